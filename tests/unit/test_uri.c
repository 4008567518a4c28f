/*
 * test_uri.c — proto/uri.c: RFC 3986 §5.4.1 (normal) and §5.4.2 (abnormal)
 * reference resolution examples against base "http://a/b/c/d;p?q", parsing
 * of components, decoding, bad input.
 */
#include <stdlib.h>

#include "core/err.h"
#include "platform/platform.h"
#include "proto/uri.h"

#define UNIT_NAME "uri"
#include "unit.h"

/* RFC 3986 §5.4.1 and §5.4.2, verbatim */
static const struct { const char *ref, *want; } rfc3986_5_4[] = {
	/* 5.4.1 normal examples */
	{ "g:h", "g:h" },
	{ "g", "http://a/b/c/g" },
	{ "./g", "http://a/b/c/g" },
	{ "g/", "http://a/b/c/g/" },
	{ "/g", "http://a/g" },
	{ "//g", "http://g" },
	{ "?y", "http://a/b/c/d;p?y" },
	{ "g?y", "http://a/b/c/g?y" },
	{ "#s", "http://a/b/c/d;p?q#s" },
	{ "g#s", "http://a/b/c/g#s" },
	{ "g?y#s", "http://a/b/c/g?y#s" },
	{ ";x", "http://a/b/c/;x" },
	{ "g;x", "http://a/b/c/g;x" },
	{ "g;x?y#s", "http://a/b/c/g;x?y#s" },
	{ "", "http://a/b/c/d;p?q" },
	{ ".", "http://a/b/c/" },
	{ "./", "http://a/b/c/" },
	{ "..", "http://a/b/" },
	{ "../", "http://a/b/" },
	{ "../g", "http://a/b/g" },
	{ "../..", "http://a/" },
	{ "../../", "http://a/" },
	{ "../../g", "http://a/g" },
	/* 5.4.2 abnormal examples */
	{ "../../../g", "http://a/g" },
	{ "../../../../g", "http://a/g" },
	{ "/./g", "http://a/g" },
	{ "/../g", "http://a/g" },
	{ "g.", "http://a/b/c/g." },
	{ ".g", "http://a/b/c/.g" },
	{ "g..", "http://a/b/c/g.." },
	{ "..g", "http://a/b/c/..g" },
	{ "./../g", "http://a/b/g" },
	{ "./g/.", "http://a/b/c/g/" },
	{ "g/./h", "http://a/b/c/g/h" },
	{ "g/../h", "http://a/b/c/h" },
	{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
	{ "g;x=1/../y", "http://a/b/c/y" },
	{ "g?y/./x", "http://a/b/c/g?y/./x" },
	{ "g?y/../x", "http://a/b/c/g?y/../x" },
	{ "g#s/./x", "http://a/b/c/g#s/./x" },
	{ "g#s/../x", "http://a/b/c/g#s/../x" },
	{ "http:g", "http:g" },   /* strict parsers (§5.4.2) */
};

static const struct { const char *in; int rc; } bad[] = {
	{ "http://a b/", -WB_EURISYNTAX },
	{ "http://a/\x01", -WB_EURISYNTAX },
	{ "http://a/\xc3\xa9", -WB_EURISYNTAX },
	{ "http://a/%", -WB_EURIPCT },
	{ "http://a/%4", -WB_EURIPCT },
	{ "http://a/%zz", -WB_EURIPCT },
	{ "http://a%00b/", -WB_EURIPCT },
	{ "http://a%0d%0aX:1/", -WB_EURIHOST },
	{ "1http://a/", -WB_EURISCHEME },
	{ ":foo", -WB_EURISCHEME },
	{ "ht_tp://a/", -WB_EURISCHEME },
	{ "http://a:65536/", -WB_EURIPORT },
	{ "http://a:8x/", -WB_EURIPORT },
	{ "http://a:99999999999999999999/", -WB_EURIPORT },
	{ "http://[::1]/", -WB_EURIHOST },
	{ "http://u@v@a/", -WB_EURISYNTAX },
	{ "http://a/#x#y", -WB_EURISYNTAX },
	{ "http://a/b[1]", -WB_EURISYNTAX },
};

int main(void)
{
	struct uri base, ref, t, u;
	char buf[256], name[300];
	int rc;

	rc = uri_parse("http://a/b/c/d;p?q", &base);
	CHECK("base parses", rc == 0);
	for (size_t i = 0; i < sizeof(rfc3986_5_4) / sizeof(rfc3986_5_4[0]); i++) {
		snprintf(name, sizeof(name), "RFC 3986 5.4: \"%s\"", rfc3986_5_4[i].ref);
		rc = uri_parse(rfc3986_5_4[i].ref, &ref);
		if (rc) {
			CHECK(name, rc == 0);
			continue;
		}
		rc = uri_resolve(&base, &ref, &t);
		if (!rc) {
			uri_format(&t, buf, sizeof(buf));
			CHECK_STR(name, buf, rfc3986_5_4[i].want);
			uri_free(&t);
		} else {
			CHECK(name, rc == 0);
		}
		uri_free(&ref);
	}
	uri_free(&base);

	/* components */
	rc = uri_parse("HTTPS://Us%65r:p%40ss@Boot.Test:8443/a%20b/c?x=1&y#frag", &u);
	CHECK("full URI parses", rc == 0);
	if (!rc) {
		CHECK_STR("scheme lower-cased", u.scheme, "https");
		CHECK_STR("authority raw", u.authority, "Us%65r:p%40ss@Boot.Test:8443");
		CHECK_STR("user decoded", u.user, "User");
		CHECK_STR("password decoded", u.password, "p@ss");
		CHECK_STR("host lower-cased", u.host, "boot.test");
		CHECK("port 8443", u.has_port && u.port == 8443 && uri_port(&u) == 8443);
		CHECK_STR("path raw", u.path, "/a%20b/c");
		CHECK_STR("query", u.query, "x=1&y");
		CHECK_STR("fragment", u.fragment, "frag");
		CHECK("not an IPv4 literal", !u.host_is_ipv4);
		uri_format(&u, buf, sizeof(buf));
		CHECK_STR("formats back", buf, "https://Us%65r:p%40ss@Boot.Test:8443/a%20b/c?x=1&y#frag");
		uri_free(&u);
	}
	rc = uri_parse("http://192.0.2.1/boot.ipxe", &u);
	CHECK("IPv4 host", rc == 0 && u.host_is_ipv4 && !u.has_port && uri_port(&u) == 80 &&
			   !u.user && !u.query && !u.fragment);
	uri_free(&u);
	rc = uri_parse("http://192.0.2.01/", &u);
	CHECK("192.0.2.01 is a reg-name, not an IPv4 literal", rc == 0 && !u.host_is_ipv4);
	uri_free(&u);
	rc = uri_parse("https://h:/", &u);
	CHECK("empty port = default", rc == 0 && !u.has_port && uri_port(&u) == 443);
	uri_free(&u);
	rc = uri_parse("http://user@h", &u);
	CHECK("user without password, empty path", rc == 0 && !strcmp(u.user, "user") && !u.password &&
							   !strcmp(u.path, ""));
	uri_free(&u);
	rc = uri_parse("boot.ipxe", &u);
	CHECK("relative reference", rc == 0 && !u.scheme && !u.authority && !strcmp(u.path, "boot.ipxe"));
	if (!rc) {
		rc = uri_resolve(&u, &u, &t);
		CHECK("relative base refused", rc == -WB_EURIRELATIVE);
		uri_free(&u);
	}
	{
		char *s = NULL;

		rc = uri_resolve_str("http://boot.test/dir/a.ipxe", "../img/k?x", &s);
		CHECK_STR("uri_resolve_str", s, "http://boot.test/img/k?x");
		plat_free(s);
		rc = uri_resolve_str("https://h", "x", &s);
		CHECK_STR("merge with empty base path (5.2.3)", s, "https://h/x");
		plat_free(s);
	}
	{
		char dec[8];

		CHECK("pct decode", uri_pct_decode("a%41b", 5, dec, sizeof(dec)) == 3 && !strcmp(dec, "aAb"));
		CHECK("pct decode too big", uri_pct_decode("abcdefgh", 8, dec, sizeof(dec)) == -WB_ETOOBIG);
		CHECK("pct decode cut escape", uri_pct_decode("a%4", 3, dec, sizeof(dec)) == -WB_EURIPCT);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "bad input #%zu rejected with its error", i);
		rc = uri_parse(bad[i].in, &u);
		CHECK(name, rc == bad[i].rc);
		if (rc != bad[i].rc)
			printf("    got %d (%s), want %d\n", rc, wb_strerror(rc), bad[i].rc);
		if (!rc)
			uri_free(&u);
	}
	{
		char *big = malloc(URI_MAX + 2);

		memset(big, 'a', URI_MAX + 1);
		big[URI_MAX + 1] = '\0';
		CHECK("longer than URI_MAX refused", uri_parse(big, &u) == -WB_ETOOBIG);
		free(big);
	}
	return unit_done();
}
