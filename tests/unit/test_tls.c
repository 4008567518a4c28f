/*
 * test_tls.c — unit tests for the pure parts of src/tls and src/core/jitter:
 * the PEM reader (RFC 7468 / RFC 4648 §10 base64 vectors), the X.509 fact
 * walker (certificates made with openssl for this file: an ECDSA P-256 leaf
 * with fixed dates 2024-01-02 03:04:05 to 2055-06-07 08:09:10 and SANs
 * unit.test, www.unit.test, 192.0.2.1; an RSA-2048 CA; a SHA-1-signed
 * leaf; and minimal certificates built here around crafted extendedKeyUsage
 * extensions, RFC 5280 §4.2.1.12), run-time trust anchors, and the SP
 * 800-90B health tests.
 */
#define UNIT_NAME "tls"
#include <stdint.h>

#include "core/err.h"
#include "core/jitter.h"
#include "tls/pem.h"
#include "tls/tls.h"
#include "tls/x509_info.h"
#include "unit.h"

static const char pem_leaf_ec[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICkTCCAXmgAwIBAgICEBAwDQYJKoZIhvcNAQELBQAwKDEmMCQGA1UEAwwdd2ly\n"
	"ZWJvb3QgVGVzdCBJbnRlcm1lZGlhdGUgQ0EwIBcNMjQwMTAyMDMwNDA1WhgPMjA1\n"
	"NTA2MDcwODA5MTBaMBQxEjAQBgNVBAMMCXVuaXQudGVzdDBZMBMGByqGSM49AgEG\n"
	"CCqGSM49AwEHA0IABF9Nbhy1/s3zNwQmp1GXRaITt/j6RDvEpUG7a/Z0WD+5SQpV\n"
	"Ixq3BGXVQnNbpolAjhLNkpaYmDqnuSkt8Fs8qM+jgaEwgZ4wDAYDVR0TAQH/BAIw\n"
	"ADAOBgNVHQ8BAf8EBAMCBaAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwKQYDVR0RBCIw\n"
	"IIIJdW5pdC50ZXN0gg13d3cudW5pdC50ZXN0hwTAAAIBMB0GA1UdDgQWBBTgFUPG\n"
	"Nf0c+xVmLKAwFLYkyOF3NDAfBgNVHSMEGDAWgBS7LwqUpdxxj0U7M/rJaLnG0CCv\n"
	"zjANBgkqhkiG9w0BAQsFAAOCAQEAkcU6UaIJ4PAGHpK2xRtA3yGbMOiKUPzts66B\n"
	"N+0jLHQrVKyhrrXd2kUCQKf7xBizlrf8iO7Hnd+ofBYZTWrLOC39dFVKV93+KnZJ\n"
	"UltB2GBzDzmkO0SlYmeryfYOD+KNj4sg3RmPyFfj+9A8NIW+HOhZZmUJNqe4xtNb\n"
	"PZ8THQTgUMrwgE0FlGv/YmCPi/rykKHZBta56Kastj6vC6QcIW9QmS8Bpg43a7EO\n"
	"T+I6c/RGHh+ragI7LtTsAWKgBbdrqLQUcsJuTn6u+JJWXxD8EMyAN4SE5HVVN9mr\n"
	"4FFhHehDuC7xQ9o4jTmc7+a5nnd/pf69iwrBK1p5/trP6/atrQ==\n"
	"-----END CERTIFICATE-----\n";
static const char pem_inter[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDJzCCAg+gAwIBAgICEAEwDQYJKoZIhvcNAQELBQAwIDEeMBwGA1UEAwwVd2ly\n"
	"ZWJvb3QgVGVzdCBSb290IENBMB4XDTI2MTEyNjEyMjUwM1oXDTI3MTEyNjEyMjUw\n"
	"M1owKDEmMCQGA1UEAwwdd2lyZWJvb3QgVGVzdCBJbnRlcm1lZGlhdGUgQ0EwggEi\n"
	"MA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCTspoj/7gy3l7/UWLIvc8EbHtg\n"
	"6cGBPD0WUAL5BlwFxZrbtJ6Gj+R/QITBw56AlM2wWQvJWSYpemkCnvb2MuXjctvg\n"
	"+vY5NnBQu+6tqOHvqZFE7ReV0a7xnu/mLrlUTjr5XZyaYQKPUuAOjAHqVIJ3+G9C\n"
	"ZBQHs4ujtzpw3KUH9ZHqPGX7Zj+8OtAi7QKACJLdgBWN2a7/zIpvTWC6O6PUVJ/W\n"
	"KcYCr/v/XtlZeiOsowthSDKdYp6BoFnRpcsSzJPQMDnsd6lIiRkfS9OkqJ6YOuau\n"
	"K0ZZZKkzH7vmn8O1T5AKUgfq4MVu1cE7yFkBVeqfqOfhXx8JeRy9Ozm4PJbrAgMB\n"
	"AAGjYzBhMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQW\n"
	"BBS7LwqUpdxxj0U7M/rJaLnG0CCvzjAfBgNVHSMEGDAWgBQc2fMg8P4bfDyucPjs\n"
	"JaUXJYNYyjANBgkqhkiG9w0BAQsFAAOCAQEAEWnaOJM3dzCPUxKmQe1NuQwA8cgS\n"
	"NtArOJf7UEnLiuyEyDcE9HIFUjnmwc1wOz09Tm6BJ6u9prf/xL+JIp8FsFuVQEBD\n"
	"yR9y7L7qcMOrxhocH8HyfSOze7b1Tn6EtP3F8wUN4SOMqkf4epHG3fiXgRNw8eEa\n"
	"Co9VpqpiQb/Zks6fz/vmsAbLmdgil6fTb0mQ5wJgYTNOj53hW/RBfIPy6+pTLQFJ\n"
	"53VMu4mwxQHZMUnwyI87b+kd96dfBdB7nUOQKbV6WeZHNqX8h5n6tKgIKBMYIlXG\n"
	"Zup5auPFaQVVjy2uNBjkPL6wVbg5PxUuseL15px3pH8Kc6BvaVvdU/wsYA==\n"
	"-----END CERTIFICATE-----\n";
static const char pem_sha1[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDSzCCAjOgAwIBAgICEA4wDQYJKoZIhvcNAQEFBQAwKDEmMCQGA1UEAwwdd2ly\n"
	"ZWJvb3QgVGVzdCBJbnRlcm1lZGlhdGUgQ0EwHhcNMjYxMTI2MTIyNTA2WhcNMjcx\n"
	"MTI2MTIyNTA2WjAUMRIwEAYDVQQDDAlib290LnRlc3QwggEiMA0GCSqGSIb3DQEB\n"
	"AQUAA4IBDwAwggEKAoIBAQDUw1+PEfcmIu20SDghKxH0oIpZ7dGG3oVA5YFkk+hS\n"
	"bCyH3EgtihMARJF35JQRIKwEve5s21w6qOYQhA4Ih51h+lg0/PHVMSOPiNrRMx/n\n"
	"JNyJOWfcFyE13JzJQp1Rwv/pcA0q2M4ZHAVCwdCzHyEfP0qrBy+xvrUI5yhRXZUf\n"
	"Lvrkg6BCJyVUayZImtWE9WAwSoLDbq9hFczenwGO0PbZ/LSLQtPjws9NoZFv480J\n"
	"nB090zGDnfgPsmyaYXPG+HnFwFemorqigolH6qRsvywxNone0PLJ9GrYdVvvTNwC\n"
	"9J83pD39lgxvY9WivzHD83dmwbXV1pzjv6QiiJghaAAVAgMBAAGjgZIwgY8wDAYD\n"
	"VR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCBaAwEwYDVR0lBAwwCgYIKwYBBQUHAwEw\n"
	"GgYDVR0RBBMwEYIJYm9vdC50ZXN0hwTAAAIBMB0GA1UdDgQWBBRXOLt+WtD+Hj9b\n"
	"648EJnOL7TUMNTAfBgNVHSMEGDAWgBS7LwqUpdxxj0U7M/rJaLnG0CCvzjANBgkq\n"
	"hkiG9w0BAQUFAAOCAQEAjQuj3EDREUdwOmQUoVc2OwJYJgnf93jrSV4gfA6xNDRC\n"
	"MQmDow+qtqG3nYZZZF9ofr2XInaaqWDcVuBs31ReQ/Gki9Y4inJW48emplQ3JxvR\n"
	"P6MSiSu86pZ4N8Z8yHLG4Mspvkq0oW1QYJzml5LlVMZa1zHoDyRp0iEYVjQJexy3\n"
	"xW0WFJKMup48B+rnXo5MLiHss+biQm6YbMQT79lMggIUGM5FaMMZmn+KiftTqDMu\n"
	"4W0zlycgiWNJ6Pwx2E4KtWqxEU8Gl8J6bxKFPKx72YyRwKw4SfjKcGNTNB/3lLB0\n"
	"zulDFJGKqWmTw4S76Hja98G8xSnsH8y5NSlSOYfFHQ==\n"
	"-----END CERTIFICATE-----\n";

static int decode(const char *pem, uint8_t *der, size_t cap, size_t *len)
{
	struct pem_block b;
	size_t pos = 0;
	int rc = pem_next(pem, strlen(pem), &pos, &b, der, cap);

	*len = b.der_len;
	return rc;
}

static void test_base64(void)
{
	/* RFC 4648 §10 */
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" },
		{ "Zm9vYg==", "foob" }, { "Zm9vYmE=", "fooba" }, { "Zm9vYmFy", "foobar" },
	};
	uint8_t out[16];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int n = pem_base64_decode(v[i].in, strlen(v[i].in), out, sizeof(out));

		CHECK("base64 RFC 4648 vector", n == (int)strlen(v[i].out) && !memcmp(out, v[i].out, (size_t)n));
	}
	CHECK("base64 whitespace ignored", pem_base64_decode("Zm9v\r\nYmFy ", 11, out, sizeof(out)) == 6);
	CHECK("base64 bad char", pem_base64_decode("Zm9*", 4, out, sizeof(out)) == -WB_EPEM);
	CHECK("base64 partial quad", pem_base64_decode("Zm9vY", 5, out, sizeof(out)) == -WB_EPEM);
	CHECK("base64 data after pad", pem_base64_decode("Zg==Zg==", 8, out, sizeof(out)) == -WB_EPEM);
	CHECK("base64 three pads", pem_base64_decode("Z===", 4, out, sizeof(out)) == -WB_EPEM);
	CHECK("base64 non-canonical bits", pem_base64_decode("Zh==", 4, out, sizeof(out)) == -WB_EPEM);
	CHECK("base64 output too small", pem_base64_decode("Zm9vYmFy", 8, out, 5) == -WB_ETOOBIG);
}

static void test_pem(void)
{
	static const char two[] = "junk before\n-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n"
				  "Bag Attributes: x\n-----BEGIN PRIVATE KEY-----\r\nYmFy\r\n-----END PRIVATE KEY-----\r\n";
	struct pem_block b;
	uint8_t der[64];
	size_t pos = 0;

	CHECK("pem first block", pem_next(two, strlen(two), &pos, &b, der, sizeof(der)) == 1);
	CHECK_STR("pem first label", b.label, "CERTIFICATE");
	CHECK("pem first body", b.der_len == 3 && !memcmp(der, "foo", 3));
	CHECK("pem second block (CRLF)", pem_next(two, strlen(two), &pos, &b, der, sizeof(der)) == 1);
	CHECK_STR("pem second label", b.label, "PRIVATE KEY");
	CHECK("pem second body", b.der_len == 3 && !memcmp(der, "bar", 3));
	CHECK("pem end", pem_next(two, strlen(two), &pos, &b, der, sizeof(der)) == 0);
	CHECK("pem end again", pem_next(two, strlen(two), &pos, &b, der, sizeof(der)) == 0);

	static const struct { const char *name, *text; } bad[] = {
		{ "pem no END", "-----BEGIN X-----\nZm9v\n" },
		{ "pem label mismatch", "-----BEGIN X-----\nZm9v\n-----END Y-----\n" },
		{ "pem encrypted header", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nZm9v\n-----END RSA PRIVATE KEY-----\n" },
		{ "pem bad base64", "-----BEGIN X-----\nZm9v!\n-----END X-----\n" },
		{ "pem BEGIN without dashes", "-----BEGIN X\nZm9v\n-----END X-----\n" },
		{ "pem END at EOF without newline ok", NULL },
	};
	for (size_t i = 0; bad[i].text; i++) {
		pos = 0;
		CHECK(bad[i].name, pem_next(bad[i].text, strlen(bad[i].text), &pos, &b, der, sizeof(der)) == -WB_EPEM);
	}
	static const char noeol[] = "-----BEGIN X-----\nZm9v\n-----END X-----";
	pos = 0;
	CHECK("pem END at EOF without newline", pem_next(noeol, strlen(noeol), &pos, &b, der, sizeof(der)) == 1 &&
						     pos == strlen(noeol));
	pos = 0;
	CHECK("pem too small", pem_next(noeol, strlen(noeol), &pos, &b, der, 2) == -WB_ETOOBIG);
	pos = 0;
	CHECK("pem nothing", pem_next("hello\n", 6, &pos, &b, der, sizeof(der)) == 0);
}

static void test_x509(void)
{
	static uint8_t der[4096];
	struct x509_info xi;
	size_t len;
	int64_t t;

	CHECK("leaf pem", decode(pem_leaf_ec, der, sizeof(der), &len) == 1);
	CHECK("leaf parses", x509_info_parse(der, len, &xi) == 0);
	CHECK_STR("leaf subject CN", xi.subject_cn, "unit.test");
	CHECK_STR("leaf issuer CN", xi.issuer_cn, "wireboot Test Intermediate CA");
	CHECK("leaf notBefore 2024-01-02 03:04:05", xi.not_before == 1704164645);
	CHECK("leaf notAfter 2055-06-07 08:09:10 (GeneralizedTime)", xi.not_after == 2695968550LL);
	CHECK("leaf EC P-256", xi.key_type == X509_KEY_EC && xi.key_bits == 256);
	CHECK("leaf sha256WithRSAEncryption (signed by the RSA CA)", xi.sig_rsa && xi.sig_hash == X509_HASH_SHA256);
	CHECK("leaf not CA", !xi.is_ca);
	CHECK("leaf two DNS SANs", xi.san_dns_count == 2);
	CHECK_STR("leaf first DNS SAN", xi.san_dns0, "unit.test");
	CHECK("leaf IP SAN 192.0.2.1", xi.san_ip_count == 1 && !memcmp(xi.san_ip[0], "\xc0\x00\x02\x01", 4));
	CHECK("leaf not self-issued", !x509_info_self_issued(der, &xi));
	CHECK("leaf extendedKeyUsage serverAuth", xi.eku == (X509_EKU_PRESENT | X509_EKU_SERVER));
	/* every truncation fails cleanly */
	{
		int all = 1;

		for (size_t n = 0; n < len; n++)
			if (x509_info_parse(der, n, &xi) == 0)
				all = 0;
		CHECK("leaf truncations refused", all);
	}

	CHECK("inter pem", decode(pem_inter, der, sizeof(der), &len) == 1);
	CHECK("inter parses", x509_info_parse(der, len, &xi) == 0);
	CHECK_STR("inter subject CN", xi.subject_cn, "wireboot Test Intermediate CA");
	CHECK_STR("inter issuer CN", xi.issuer_cn, "wireboot Test Root CA");
	CHECK("inter RSA-2048", xi.key_type == X509_KEY_RSA && xi.key_bits == 2048);
	CHECK("inter sha256WithRSAEncryption", xi.sig_rsa && xi.sig_hash == X509_HASH_SHA256);
	CHECK("inter is CA", xi.is_ca);
	CHECK("inter has no extendedKeyUsage", xi.eku == 0);

	CHECK("sha1 pem", decode(pem_sha1, der, sizeof(der), &len) == 1);
	CHECK("sha1 parses", x509_info_parse(der, len, &xi) == 0);
	CHECK("sha1WithRSAEncryption", xi.sig_rsa && xi.sig_hash == X509_HASH_SHA1);
	CHECK_STR("hash name", x509_hash_name(xi.sig_hash), "SHA-1");

	CHECK("UTCTime 500101 is 1950", x509_time_parse(0x17, (const uint8_t *)"500101000000Z", 13, &t) == 0 &&
					    t == -631152000LL);
	CHECK("UTCTime 491231235959Z is 2049", x509_time_parse(0x17, (const uint8_t *)"491231235959Z", 13, &t) == 0 &&
						  t == 2524607999LL);
	CHECK("time epoch", x509_time_parse(0x18, (const uint8_t *)"19700101000000Z", 15, &t) == 0 && t == 0);
	CHECK("time leap day", x509_time_parse(0x18, (const uint8_t *)"20240229000000Z", 15, &t) == 0 &&
				       t == 1709164800LL);
	CHECK("time month 13 refused", x509_time_parse(0x18, (const uint8_t *)"20241301000000Z", 15, &t) < 0);
	CHECK("time without Z refused", x509_time_parse(0x17, (const uint8_t *)"240101000000+", 13, &t) < 0);
	CHECK("time wrong tag refused", x509_time_parse(0x04, (const uint8_t *)"240101000000Z", 13, &t) < 0);
	CHECK("garbage refused", x509_info_parse((const uint8_t *)"\x30\x84\xff\xff\xff\xff", 6, &xi) < 0);
	CHECK("empty refused", x509_info_parse(der, 0, &xi) < 0);
}

/* ---- extendedKeyUsage over crafted certificates ---- */

struct mk {
	uint8_t b[1024];
	size_t n;
};

/* append TAG LEN VALUE (definite length, short or 0x81/0x82 form) */
static void mk_tlv(struct mk *m, uint8_t tag, const void *v, size_t len)
{
	m->b[m->n++] = tag;
	if (len < 0x80) {
		m->b[m->n++] = (uint8_t)len;
	} else if (len < 0x100) {
		m->b[m->n++] = 0x81;
		m->b[m->n++] = (uint8_t)len;
	} else {
		m->b[m->n++] = 0x82;
		m->b[m->n++] = (uint8_t)(len >> 8);
		m->b[m->n++] = (uint8_t)len;
	}
	if (len)
		memcpy(m->b + m->n, v, len);
	m->n += len;
}

static void mk_raw(struct mk *m, const void *v, size_t len)
{
	memcpy(m->b + m->n, v, len);
	m->n += len;
}

/* Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue
 * OCTET STRING } for extendedKeyUsage with the KeyPurposeIds @oids (each a
 * complete OID TLV, @olen bytes in all) */
static void mk_eku_ext(struct mk *out, const uint8_t *oids, size_t olen, int critical)
{
	static const uint8_t oid_eku[] = { 0x06, 0x03, 0x55, 0x1d, 0x25 };
	struct mk seq = { .n = 0 }, oct = { .n = 0 }, ext = { .n = 0 };

	mk_tlv(&seq, 0x30, oids, olen);
	mk_tlv(&oct, 0x04, seq.b, seq.n);
	mk_raw(&ext, oid_eku, sizeof(oid_eku));
	if (critical)
		mk_raw(&ext, "\x01\x01\xff", 3);
	mk_raw(&ext, oct.b, oct.n);
	mk_tlv(out, 0x30, ext.b, ext.n);
}

/* a minimal v3 certificate (CN=unit, EC P-256 key, ecdsa-with-SHA256, dummy
 * key and signature bytes) whose extensions are @exts (Extension TLVs) */
static void mk_cert(struct mk *cert, const uint8_t *exts, size_t elen)
{
	static const uint8_t head[] = {
		0xa0, 0x03, 0x02, 0x01, 0x02,                           /* version v3 */
		0x02, 0x01, 0x01,                                       /* serial 1 */
		0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
		0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x04, 'u', 'n', 'i', 't',
		0x30, 0x1e, 0x17, 0x0d, '2', '4', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z',
		0x17, 0x0d, '3', '4', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z',
		0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x04, 'u', 'n', 'i', 't',
		0x30, 0x19, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
		0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x02, 0x00, 0x04,
	};
	static const uint8_t tail[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
					0x03, 0x01, 0x00 };
	struct mk tbs = { .n = 0 }, seq = { .n = 0 }, body = { .n = 0 };

	mk_raw(&tbs, head, sizeof(head));
	mk_tlv(&seq, 0x30, exts, elen);
	mk_tlv(&tbs, 0xa3, seq.b, seq.n);
	mk_tlv(&body, 0x30, tbs.b, tbs.n);
	mk_raw(&body, tail, sizeof(tail));
	cert->n = 0;
	mk_tlv(cert, 0x30, body.b, body.n);
}

#define KP(x) 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, (x)   /* id-kp-x */
#define KP_ANY 0x06, 0x04, 0x55, 0x1d, 0x25, 0x00                        /* anyExtendedKeyUsage */

static void test_eku(void)
{
	/* KeyPurposeId lists: RFC 5280 §4.2.1.12 OIDs */
	static const uint8_t server[] = { KP(1) }, client[] = { KP(2) }, both[] = { KP(2), KP(1) },
		any[] = { KP_ANY }, code_time[] = { KP(3), KP(8) }, email_ocsp_other[] = { KP(4), KP(9), KP(42) },
		private_oid[] = { 0x06, 0x03, 0x2a, 0x03, 0x04 }, not_oid[] = { 0x04, 0x01, 0x01 };
	static const struct {
		const char *name;
		const uint8_t *oids;
		size_t len;
		int critical;
		int rc;
		unsigned eku;
		const char *names;
	} v[] = {
		{ "serverAuth", server, sizeof(server), 0, 0, X509_EKU_PRESENT | X509_EKU_SERVER, "serverAuth" },
		{ "clientAuth only", client, sizeof(client), 0, 0, X509_EKU_PRESENT | X509_EKU_CLIENT, "clientAuth" },
		{ "clientAuth + serverAuth, critical", both, sizeof(both), 1, 0,
		  X509_EKU_PRESENT | X509_EKU_CLIENT | X509_EKU_SERVER, "serverAuth, clientAuth" },
		{ "anyExtendedKeyUsage", any, sizeof(any), 0, 0, X509_EKU_PRESENT | X509_EKU_ANY, "anyExtendedKeyUsage" },
		{ "codeSigning + timeStamping", code_time, sizeof(code_time), 0, 0,
		  X509_EKU_PRESENT | X509_EKU_CODESIGN | X509_EKU_TIME, "codeSigning, timeStamping" },
		{ "emailProtection, OCSPSigning, id-kp-42", email_ocsp_other, sizeof(email_ocsp_other), 0, 0,
		  X509_EKU_PRESENT | X509_EKU_EMAIL | X509_EKU_OCSP | X509_EKU_OTHER,
		  "emailProtection, OCSPSigning, other purposes" },
		{ "a private OID", private_oid, sizeof(private_oid), 0, 0, X509_EKU_PRESENT | X509_EKU_OTHER,
		  "other purposes" },
		{ "empty list (SIZE 1..MAX broken): present, no purpose", NULL, 0, 0, 0, X509_EKU_PRESENT,
		  "no purposes" },
		{ "a purpose that is not an OID: malformed", not_oid, sizeof(not_oid), 0, -WB_EX509BAD, 0, NULL },
	};
	struct mk exts, cert;
	struct x509_info xi;
	char names[120], msg[160];
	size_t i;

	/* no extendedKeyUsage at all (only basicConstraints) */
	mk_cert(&cert, (const uint8_t *)"\x30\x0c\x06\x03\x55\x1d\x13\x01\x01\xff\x04\x02\x30\x00", 14);
	CHECK("EKU: certificate without it parses", x509_info_parse(cert.b, cert.n, &xi) == 0);
	CHECK("EKU: absent is 0", xi.eku == 0 && !xi.is_ca && !strcmp(xi.subject_cn, "unit"));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc;

		exts.n = 0;
		mk_eku_ext(&exts, v[i].oids, v[i].len, v[i].critical);
		mk_cert(&cert, exts.b, exts.n);
		rc = x509_info_parse(cert.b, cert.n, &xi);
		snprintf(msg, sizeof(msg), "EKU %s: parse rc %d (want %d), bits %#x (want %#x)", v[i].name, rc, v[i].rc,
			 rc ? 0 : xi.eku, v[i].eku);
		CHECK(msg, rc == v[i].rc && (rc || xi.eku == v[i].eku));
		if (!rc && v[i].names)
			CHECK_STR(v[i].name, x509_eku_names(xi.eku, names, sizeof(names)), v[i].names);
	}
	/* two extendedKeyUsage extensions (RFC 5280 §4.2: at most one): malformed,
	 * so that a check built on the facts fails closed */
	exts.n = 0;
	mk_eku_ext(&exts, server, sizeof(server), 0);
	mk_eku_ext(&exts, client, sizeof(client), 0);
	mk_cert(&cert, exts.b, exts.n);
	CHECK("EKU twice: malformed", x509_info_parse(cert.b, cert.n, &xi) == -WB_EX509BAD);
	/* bytes after the KeyPurposeId SEQUENCE inside the OCTET STRING */
	{
		static const uint8_t ext[] = { 0x30, 0x13, 0x06, 0x03, 0x55, 0x1d, 0x25, 0x04, 0x0c,
					       0x30, 0x0a, KP(1) };
		uint8_t bad[sizeof(ext) + 2];

		memcpy(bad, ext, sizeof(ext));
		bad[1] += 2;
		bad[8] += 2;
		bad[sizeof(ext)] = 0x05;
		bad[sizeof(ext) + 1] = 0x00;
		mk_cert(&cert, ext, sizeof(ext));
		CHECK("EKU hand-written serverAuth parses", x509_info_parse(cert.b, cert.n, &xi) == 0 &&
								xi.eku == (X509_EKU_PRESENT | X509_EKU_SERVER));
		mk_cert(&cert, bad, sizeof(bad));
		CHECK("EKU with trailing bytes: malformed", x509_info_parse(cert.b, cert.n, &xi) == -WB_EX509BAD);
	}
	/* every truncation of a certificate with an EKU fails cleanly */
	exts.n = 0;
	mk_eku_ext(&exts, both, sizeof(both), 1);
	mk_cert(&cert, exts.b, exts.n);
	{
		int all = 1;

		for (i = 0; i < cert.n; i++)
			if (x509_info_parse(cert.b, i, &xi) == 0)
				all = 0;
		CHECK("EKU certificate truncations refused", all);
	}
	CHECK_STR("EKU names, short buffer", x509_eku_names(X509_EKU_PRESENT | X509_EKU_SERVER | X509_EKU_CLIENT,
							    names, 14), "serverAuth");
}

static void test_anchors(void)
{
	struct tls_anchors a = { 0 }, b = { 0 };
	char both[8192];

	snprintf(both, sizeof(both), "%s%s", pem_inter, pem_leaf_ec);
	CHECK("anchors from two PEM certs", tls_anchors_from_pem(&a, both, strlen(both)) == 2 && a.count == 2);
	CHECK("anchor 0 RSA CA", a.ta[0].pkey.key_type == BR_KEYTYPE_RSA && (a.ta[0].flags & BR_X509_TA_CA) &&
					 a.ta[0].pkey.key.rsa.nlen == 256);
	CHECK("anchor 1 EC non-CA", a.ta[1].pkey.key_type == BR_KEYTYPE_EC && !(a.ta[1].flags & BR_X509_TA_CA) &&
					    a.ta[1].pkey.key.ec.curve == BR_EC_secp256r1 && a.ta[1].pkey.key.ec.qlen == 65);
	for (int i = 0; i < 20; i++)
		tls_anchors_add(&b, &a.ta[i % 2]);
	CHECK("anchors grow and deep-copy", b.count == 20 && b.ta[19].dn.len == a.ta[1].dn.len &&
						    !memcmp(b.ta[19].dn.data, a.ta[1].dn.data, a.ta[1].dn.len) &&
						    b.ta[19].dn.data != a.ta[1].dn.data);
	CHECK("anchors from text without certs", tls_anchors_from_pem(&a, "hello", 5) == -WB_EPEM);
	CHECK("anchors from garbage DER", tls_anchors_from_der(&a, "\x30\x03\x02\x01\x00", 5) == -WB_EX509BAD);
	tls_anchors_free(&a);
	tls_anchors_free(&b);
	CHECK("anchors freed", a.count == 0 && a.ta == NULL);
}

static void test_health(void)
{
	static uint8_t s[2 * JITTER_SAMPLES];
	uint32_t x = 12345;
	size_t i;

	for (i = 0; i < sizeof(s); i++) {
		x = x * 1103515245u + 12345u;
		s[i] = (uint8_t)(x >> 16);
	}
	CHECK("health: varied samples pass", jitter_health(s, sizeof(s)) == 0);
	memset(s + 100, 7, JITTER_RCT_CUTOFF - 1);
	CHECK("health: run of C-1 passes RCT", jitter_health(s, sizeof(s)) == 0);
	memset(s + 100, 7, JITTER_RCT_CUTOFF);
	CHECK("health: run of C fails RCT", jitter_health(s, sizeof(s)) == -WB_EENTROPYHEALTH);
	/* APT: alternate two values so there is no long run, but value 1 dominates */
	for (i = 0; i < sizeof(s); i++)
		s[i] = (i % 5 == 4) ? (uint8_t)i : 1;
	CHECK("health: 80% one value fails APT", jitter_health(s, sizeof(s)) == -WB_EENTROPYHEALTH);
	for (i = 0; i < sizeof(s); i++)
		s[i] = (i % 2) ? (uint8_t)(i * 7) : 1;
	CHECK("health: 50% one value passes APT", jitter_health(s, sizeof(s)) == 0);
}

static void test_entropy(void)
{
	uint8_t a[32], b[32];

	CHECK("jitter source produces bytes", jitter_read(a, sizeof(a)) == 0 && jitter_read(b, sizeof(b)) == 0);
	CHECK("jitter outputs differ", memcmp(a, b, sizeof(a)) != 0);
	CHECK_STR("entropy source on the host", wb_entropy_source(), "getrandom");
}

int main(void)
{
	test_base64();
	test_pem();
	test_x509();
	test_eku();
	test_anchors();
	test_health();
	test_entropy();
	return unit_done();
}
