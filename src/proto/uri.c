/*
 * uri.c — RFC 3986 URI references (see uri.h).
 *
 * How this works: uri_parse() splits the text the way Appendix B's regular
 * expression does (scheme ":" "//" authority path "?" query "#" fragment),
 * but checks each part against its grammar as it goes (§3.1 scheme, §3.2
 * authority, §2.1 percent-encoding) instead of accepting anything.  All
 * strings, raw and decoded, are copied into one allocation owned by the
 * struct.  uri_resolve() is §5.2.2 (strict) with §5.2.3 merge and §5.2.4
 * remove_dot_segments, then §5.3 recomposition and a parse of the result.
 */
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "platform/platform.h"
#include "proto/uri.h"

/* RFC 3986 §2.2/§2.3: characters allowed anywhere in a reference (besides '%' escapes) */
static int uri_char_ok(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 1;
	if (c >= 'A' && c <= 'Z')
		return 1;
	if (c >= '0' && c <= '9')
		return 1;
	return strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL && c != '\0';
}

static int uri_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int uri_is_digit(char c) { return c >= '0' && c <= '9'; }
static char uri_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* length of the prefix of @s holding none of @stop (strcspn; not in the EFI libc) */
static size_t uri_span(const char *s, const char *stop)
{
	size_t n = 0;

	while (s[n] && !strchr(stop, s[n]))
		n++;
	return n;
}

/* 1 if @s (may be NULL) holds '[' or ']' */
static int uri_has_bracket(const char *s)
{
	return s && s[uri_span(s, "[]")] != '\0';
}

/* every '%' followed by two hex digits (§2.1) */
static int uri_check_pct(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%')
			continue;
		if (i + 2 >= len || wb_hexval(s[i + 1]) < 0 || wb_hexval(s[i + 2]) < 0)
			return -WB_EURIPCT;
		i += 2;
	}
	return 0;
}

int uri_pct_decode(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -WB_EURIPCT;
			hi = wb_hexval(s[i + 1]);
			lo = wb_hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -WB_EURIPCT;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (n + 1 >= cap)
			return -WB_ETOOBIG;
		out[n++] = c;
	}
	if (cap)
		out[n] = '\0';
	return (int)n;
}

/* dec-octet "." dec-octet "." dec-octet "." dec-octet, no leading zeros (§3.2.2) */
static int uri_is_ipv4(const char *s)
{
	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		int digits = 0;

		if (part && *s++ != '.')
			return 0;
		while (uri_is_digit(*s)) {
			if (digits && v == 0)
				return 0;   /* leading zero */
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return 0;
		}
		if (!digits)
			return 0;
	}
	return *s == '\0';
}

/* append @len bytes of @s at *pos in @mem as a C string; returns the copy */
static char *uri_put(char *mem, size_t *pos, const char *s, size_t len)
{
	char *p = mem + *pos;

	memcpy(p, s, len);
	p[len] = '\0';
	*pos += len + 1;
	return p;
}

static int uri_parse_authority(struct uri *u, char *mem, size_t *pos)
{
	const char *a = u->authority, *at, *hp, *colon = NULL, *end = a + strlen(a);
	int rc;

	if (strchr(a, '[') || strchr(a, ']'))
		return -WB_EURIHOST;   /* IP-literal: IPv6 not supported */
	at = strchr(a, '@');
	if (at && strchr(at + 1, '@'))
		return -WB_EURISYNTAX;   /* '@' in userinfo must be encoded */
	if (at) {
		const char *uc = memchr(a, ':', (size_t)(at - a));
		size_t ulen = uc ? (size_t)(uc - a) : (size_t)(at - a);

		u->user = mem + *pos;
		rc = uri_pct_decode(a, ulen, u->user, ulen + 1);
		if (rc < 0)
			return rc;
		*pos += (size_t)rc + 1;
		if (uc) {
			size_t plen = (size_t)(at - uc - 1);

			u->password = mem + *pos;
			rc = uri_pct_decode(uc + 1, plen, u->password, plen + 1);
			if (rc < 0)
				return rc;
			*pos += (size_t)rc + 1;
		}
		hp = at + 1;
	} else {
		hp = a;
	}
	for (const char *p = hp; p < end; p++)
		if (*p == ':')
			colon = p;
	if (colon) {
		unsigned long v = 0;

		for (const char *p = colon + 1; p < end; p++) {
			if (!uri_is_digit(*p))
				return -WB_EURIPORT;
			v = v * 10 + (unsigned long)(*p - '0');
			if (v > 65535)
				return -WB_EURIPORT;
		}
		if (colon + 1 < end) {   /* "host:" (empty port) means no port (§3.2.3) */
			u->port = (uint16_t)v;
			u->has_port = 1;
		}
	} else {
		colon = end;
	}
	/* reg-name: unreserved / pct-encoded / sub-delims (§3.2.2) */
	for (const char *p = hp; p < colon; p++)
		if (strchr("/?#@:", *p))
			return -WB_EURIHOST;
	u->host = mem + *pos;
	rc = uri_pct_decode(hp, (size_t)(colon - hp), u->host, (size_t)(colon - hp) + 1);
	if (rc < 0)
		return rc;
	*pos += (size_t)rc + 1;
	for (char *p = u->host; *p; p++) {
		/* a decoded host goes into a Host header and DNS: no controls, no delimiters */
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("/?#@:[]\\", *p))
			return -WB_EURIHOST;
		*p = uri_lower(*p);
	}
	u->host_is_ipv4 = uri_is_ipv4(u->host);
	return 0;
}

int uri_parse(const char *s, struct uri *out)
{
	size_t len, pos = 0, i, n;
	const char *p, *e;
	char *mem;
	int rc;

	memset(out, 0, sizeof(*out));
	len = strlen(s);
	if (len > URI_MAX)
		return -WB_ETOOBIG;
	for (i = 0; i < len; i++)
		if (!uri_char_ok((unsigned char)s[i]))
			return -WB_EURISYNTAX;
	rc = uri_check_pct(s, len);
	if (rc)
		return rc;
	/* raw copies (<= len + 5 NULs) plus decoded user, password, host (<= len + 3) */
	mem = plat_malloc(2 * len + 16);
	if (!mem)
		return -WB_ENOMEM;
	out->mem_ = mem;
	p = s;
	/* scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (§3.1) */
	n = uri_span(p, ":/?#");
	if (p[n] == ':') {
		if (!n || !uri_is_alpha(p[0])) {
			rc = -WB_EURISCHEME;
			goto err;
		}
		for (i = 1; i < n; i++)
			if (!uri_is_alpha(p[i]) && !uri_is_digit(p[i]) && !strchr("+-.", p[i])) {
				rc = -WB_EURISCHEME;
				goto err;
			}
		out->scheme = uri_put(mem, &pos, p, n);
		for (char *c = out->scheme; *c; c++)
			*c = uri_lower(*c);
		p += n + 1;
	}
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		n = uri_span(p, "/?#");
		out->authority = uri_put(mem, &pos, p, n);
		p += n;
	}
	n = uri_span(p, "?#");
	out->path = uri_put(mem, &pos, p, n);
	p += n;
	if (*p == '?') {
		p++;
		n = uri_span(p, "#");
		out->query = uri_put(mem, &pos, p, n);
		p += n;
	}
	if (*p == '#') {
		p++;
		e = p + strlen(p);
		if (memchr(p, '#', (size_t)(e - p))) {
			rc = -WB_EURISYNTAX;
			goto err;
		}
		out->fragment = uri_put(mem, &pos, p, (size_t)(e - p));
	}
	/* '[' ']' belong only in an IP-literal host */
	if (uri_has_bracket(out->path) || uri_has_bracket(out->query) ||
	    uri_has_bracket(out->fragment)) {
		rc = -WB_EURISYNTAX;
		goto err;
	}
	if (out->authority) {
		rc = uri_parse_authority(out, mem, &pos);
		if (rc)
			goto err;
		/* with an authority the path is empty or absolute (§3.3) */
		if (out->path[0] && out->path[0] != '/') {
			rc = -WB_EURISYNTAX;
			goto err;
		}
	}
	return 0;
err:
	uri_free(out);
	return rc;
}

void uri_free(struct uri *u)
{
	plat_free(u->mem_);
	memset(u, 0, sizeof(*u));
}

static size_t uri_cat(char *buf, size_t cap, size_t n, const char *s)
{
	size_t l = strlen(s);

	if (n < cap) {
		size_t room = cap - n - 1, c = l < room ? l : room;

		memcpy(buf + n, s, c);
		buf[n + c] = '\0';
	}
	return n + l;
}

size_t uri_format(const struct uri *u, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap)
		buf[0] = '\0';
	if (u->scheme) {
		n = uri_cat(buf, cap, n, u->scheme);
		n = uri_cat(buf, cap, n, ":");
	}
	if (u->authority) {
		n = uri_cat(buf, cap, n, "//");
		n = uri_cat(buf, cap, n, u->authority);
	}
	n = uri_cat(buf, cap, n, u->path ? u->path : "");
	if (u->query) {
		n = uri_cat(buf, cap, n, "?");
		n = uri_cat(buf, cap, n, u->query);
	}
	if (u->fragment) {
		n = uri_cat(buf, cap, n, "#");
		n = uri_cat(buf, cap, n, u->fragment);
	}
	return n;
}

/* §5.2.4: remove "." and ".." segments; @in is modified, result in @out (>= strlen(in)+1) */
static void uri_remove_dots(char *in, char *out)
{
	size_t o = 0;

	while (*in) {
		if (!strncmp(in, "../", 3)) {
			in += 3;
		} else if (!strncmp(in, "./", 2)) {
			in += 2;
		} else if (!strncmp(in, "/./", 3)) {
			in += 2;
		} else if (!strcmp(in, "/.")) {
			in[1] = '\0';   /* "/." → "/" */
		} else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
			if (in[3] == '/')
				in += 3;
			else
				in[1] = '\0';   /* "/.." → "/" */
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (!strcmp(in, ".") || !strcmp(in, "..")) {
			in += strlen(in);
		} else {
			/* move the first segment (with its leading '/') to the output */
			do
				out[o++] = *in++;
			while (*in && *in != '/');
		}
	}
	out[o] = '\0';
}

int uri_resolve(const struct uri *base, const struct uri *ref, struct uri *out)
{
	const char *scheme, *authority, *query, *fragment;
	size_t cap;
	char *merged, *path, *text;
	int rc, keep_base_path;

	memset(out, 0, sizeof(*out));
	if (!base->scheme)
		return -WB_EURIRELATIVE;
	cap = strlen(base->path) + strlen(ref->path) + 4;
	merged = plat_malloc(2 * cap);
	if (!merged)
		return -WB_ENOMEM;
	path = merged + cap;
	fragment = ref->fragment;
	keep_base_path = 0;
	if (ref->scheme) {
		scheme = ref->scheme;
		authority = ref->authority;
		query = ref->query;
		strcpy(merged, ref->path);
	} else {
		scheme = base->scheme;
		if (ref->authority) {
			authority = ref->authority;
			query = ref->query;
			strcpy(merged, ref->path);
		} else {
			authority = base->authority;
			if (!ref->path[0]) {
				strcpy(merged, base->path);
				keep_base_path = 1;
				query = ref->query ? ref->query : base->query;
			} else {
				query = ref->query;
				if (ref->path[0] == '/') {
					strcpy(merged, ref->path);
				} else if (base->authority && !base->path[0]) {
					/* §5.2.3: base with authority and empty path */
					merged[0] = '/';
					strcpy(merged + 1, ref->path);
				} else {
					const char *slash = strrchr(base->path, '/');
					size_t keep = slash ? (size_t)(slash - base->path) + 1 : 0;

					memcpy(merged, base->path, keep);
					strcpy(merged + keep, ref->path);
				}
			}
		}
	}
	/* a path kept as is from the base gets no dot removal (§5.2.2) */
	if (keep_base_path)
		strcpy(path, merged);
	else
		uri_remove_dots(merged, path);
	{
		struct uri t = { 0 };

		t.scheme = (char *)scheme;
		t.authority = (char *)authority;
		t.path = path;
		t.query = (char *)query;
		t.fragment = (char *)fragment;
		cap = uri_format(&t, NULL, 0) + 1;
		if (cap > URI_MAX + 1) {
			plat_free(merged);
			return -WB_ETOOBIG;
		}
		text = plat_malloc(cap);
		if (!text) {
			plat_free(merged);
			return -WB_ENOMEM;
		}
		uri_format(&t, text, cap);
	}
	plat_free(merged);
	rc = uri_parse(text, out);
	plat_free(text);
	return rc;
}

int uri_resolve_str(const char *base, const char *ref, char **out)
{
	struct uri b, r, t;
	size_t n;
	int rc;

	*out = NULL;
	rc = uri_parse(base, &b);
	if (rc)
		return rc;
	rc = uri_parse(ref, &r);
	if (rc)
		goto out_b;
	rc = uri_resolve(&b, &r, &t);
	if (rc)
		goto out_r;
	n = uri_format(&t, NULL, 0) + 1;
	*out = plat_malloc(n);
	if (*out)
		uri_format(&t, *out, n);
	else
		rc = -WB_ENOMEM;
	uri_free(&t);
out_r:
	uri_free(&r);
out_b:
	uri_free(&b);
	return rc;
}

uint16_t uri_default_port(const char *scheme)
{
	if (!scheme)
		return 0;
	if (!strcmp(scheme, "http"))
		return 80;
	if (!strcmp(scheme, "https"))
		return 443;
	return 0;
}

uint16_t uri_port(const struct uri *u)
{
	return u->has_port ? u->port : uri_default_port(u->scheme);
}
