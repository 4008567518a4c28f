/*
 * test_cms.c — unit tests for detached CMS signatures (src/tls/cms.c,
 * cms_verify.c) on vectors made with openssl by tests/unit/data/cms/make.sh
 * (the signing command sites use: openssl cms -sign -binary -noattr …
 * -certfile inter.pem -outform DER; and variants: ECDSA, signed attributes
 * per RFC 5652 §5.4, subjectKeyIdentifier sid, SHA-384/512, SHA-1, a signer
 * without codeSigning, one with a critical extendedKeyUsage, expired, under an unknown root, no certificates, no
 * intermediate, PEM).  Read from tests/unit/data/cms/ (run from the top
 * directory, as tests/run-all.sh does).  Dates are checked against a time
 * taken from the signer's own certificate, so the vectors do not age.
 */
#define UNIT_NAME "cms"
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "tls/cms.h"
#include "tls/tls.h"
#include "tls/x509_info.h"
#include "unit.h"

#define DIR "tests/unit/data/cms/"

struct blob {
	uint8_t *p;
	size_t n;
};

static struct blob load(const char *name)
{
	char path[256];
	struct blob b = { NULL, 0 };
	FILE *f;
	long n;

	snprintf(path, sizeof(path), DIR "%s", name);
	f = fopen(path, "rb");
	if (!f) {
		printf("FAIL: cms: cannot open %s (run from the top directory)\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b.p = malloc((size_t)n + 1);
	b.n = fread(b.p, 1, (size_t)n, f);
	fclose(f);
	return b;
}

static struct blob img;
static struct tls_anchors anchors, others;
static int64_t t_valid;   /* inside every good certificate's validity */
static char detail[320];

static int verify_at(const char *sigfile, const struct blob *image, const struct tls_anchors *a,
		     int64_t now, const char *signer, struct cms_result *r)
{
	struct blob s = load(sigfile);
	struct cms_verify_opts o = { a->ta, a->count, now, signer };
	int rc = cms_verify(image->p, image->n, s.p, s.n, &o, r);

	memcpy(detail, r->detail, sizeof(detail));
	free(s.p);
	return rc;
}

static int verify(const char *sigfile)
{
	struct cms_result r;

	return verify_at(sigfile, &img, &anchors, t_valid, NULL, &r);
}

static int parse(const char *sigfile, struct cms_signed *cs, struct blob *keep)
{
	*keep = load(sigfile);
	return cms_parse(keep->p, keep->n, cs);
}

/* the signer's notBefore, from the first certificate of rsa.sig whose CN is the signer's */
static int find_signer_time(void *arg, const uint8_t *der, size_t len)
{
	struct x509_info xi;

	if (!x509_info_parse(der, len, &xi) && !strcmp(xi.subject_cn, "wireboot rsa signer")) {
		*(struct x509_info *)arg = xi;
		return 1;
	}
	return 0;
}

static int sweep_run(void *arg)
{
	struct cms_result r;

	(void)arg;
	return verify_at("rsa-pem.sig", &img, &anchors, t_valid, NULL, &r);
}

static int sweep_ok(int rc)
{
	return rc == 0 || rc == -WB_ENOMEM;
}

int main(void)
{
	struct blob root = load("root.der"), other = load("other-root.der"), b, mod;
	struct cms_signed cs;
	struct cms_result r;
	struct x509_info sxi;
	int rc, bad;

	img = load("image.bin");
	CHECK("anchor from the test root", tls_anchors_from_der(&anchors, root.p, root.n) == 0);
	CHECK("anchor from another root", tls_anchors_from_der(&others, other.p, other.n) == 0);

	/* ---- the parser ---- */
	rc = parse("rsa.sig", &cs, &b);
	CHECK("rsa.sig parses", rc == 0);
	CHECK("rsa.sig: SHA-256, RSA, issuerAndSerialNumber, no signedAttrs",
	      cs.hash_id == br_sha256_ID && cs.sigalg == CMS_SIG_RSA && !cs.sid_ski && cs.issuer && cs.serial &&
	      !cs.attrs && cs.sig_len == 256 && cs.certs_len > 0);
	memset(&sxi, 0, sizeof(sxi));
	CHECK("rsa.sig bundles the signer's certificate", cms_each_cert(&cs, find_signer_time, &sxi) == 1);
	t_valid = sxi.not_before + 86400;
	free(b.p);
	rc = parse("ec.sig", &cs, &b);
	CHECK("ec.sig: ECDSA", rc == 0 && cs.sigalg == CMS_SIG_ECDSA && cs.hash_id == br_sha256_ID);
	free(b.p);
	rc = parse("rsa-attrs.sig", &cs, &b);
	CHECK("rsa-attrs.sig: signedAttrs with a 32-byte messageDigest",
	      rc == 0 && cs.attrs && cs.attrs[0] == 0xa0 && cs.msg_digest_len == 32);
	free(b.p);
	rc = parse("rsa-ski.sig", &cs, &b);
	CHECK("rsa-ski.sig: subjectKeyIdentifier sid", rc == 0 && cs.sid_ski && cs.ski_len == 20);
	free(b.p);
	rc = parse("rsa-sha384.sig", &cs, &b);
	CHECK("rsa-sha384.sig: SHA-384", rc == 0 && cs.hash_id == br_sha384_ID);
	free(b.p);
	rc = parse("ec-sha512.sig", &cs, &b);
	CHECK("ec-sha512.sig: SHA-512", rc == 0 && cs.hash_id == br_sha512_ID);
	free(b.p);
	CHECK("rsa-sha1.sig: SHA-1 refused", parse("rsa-sha1.sig", &cs, &b) == -WB_ECMSSHA1);
	free(b.p);
	CHECK("an image is not a CMS SignedData", cms_parse(img.p, img.n, &cs) == -WB_ECMSNOTCMS);
	CHECK("empty input", cms_parse(img.p, 0, &cs) == -WB_ECMSNOTCMS);

	/* every prefix of a signature is refused, never over-read (ASan) */
	b = load("rsa.sig");
	bad = 0;
	for (size_t n = 0; n < b.n; n++) {
		uint8_t *cut = malloc(n ? n : 1);

		memcpy(cut, b.p, n);
		if (!cms_parse(cut, n, &cs))
			bad++;
		free(cut);
	}
	CHECK("every truncation of rsa.sig is refused", bad == 0);
	CHECK("half of rsa.sig: truncated DER", cms_parse(b.p, b.n / 2, &cs) == -WB_ECMSTRUNC);
	/* SHA-224 (digest OID 2.16.840.1.101.3.4.2.4) instead of SHA-256 everywhere: unsupported */
	{
		static const uint8_t sha256[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
		int n = 0;

		for (size_t i = 0; i + sizeof(sha256) <= b.n; i++)
			if (!memcmp(b.p + i, sha256, sizeof(sha256))) {
				b.p[i + sizeof(sha256) - 1] = 0x04;
				n++;
			}
		CHECK("SHA-224 digest: unsupported algorithm", n == 2 && cms_parse(b.p, b.n, &cs) == -WB_ECMSALG);
	}
	free(b.p);

	/* ---- verification ---- */
	CHECK("rsa.sig verifies", verify("rsa.sig") == 0);
	rc = verify_at("rsa.sig", &img, &anchors, t_valid, NULL, &r);
	CHECK_STR("rsa.sig: signer CN", r.signer_cn, "wireboot rsa signer");
	CHECK("rsa.sig: dates were checked", rc == 0 && r.dates_checked);
	CHECK("ec.sig verifies (ECDSA P-256)", verify("ec.sig") == 0);
	CHECK("rsa-attrs.sig verifies (signed attributes, RFC 5652 §5.4)", verify("rsa-attrs.sig") == 0);
	CHECK("ec-attrs.sig verifies", verify("ec-attrs.sig") == 0);
	CHECK("rsa-ski.sig verifies (signer by subjectKeyIdentifier)", verify("rsa-ski.sig") == 0);
	CHECK("rsa-sha384.sig verifies", verify("rsa-sha384.sig") == 0);
	CHECK("ec-sha512.sig verifies", verify("ec-sha512.sig") == 0);
	CHECK("rsa-pem.sig verifies (PEM)", verify("rsa-pem.sig") == 0);
	CHECK("--signer with the signer's CN", verify_at("rsa.sig", &img, &anchors, t_valid, "wireboot rsa signer", &r) == 0);
	CHECK("--signer with another name", verify_at("rsa.sig", &img, &anchors, t_valid, "wireboot ec signer", &r) ==
	      -WB_ECMSSIGNER);
	CHECK("unknown time: verified, dates not checked",
	      verify_at("rsa.sig", &img, &anchors, -1, NULL, &r) == 0 && !r.dates_checked);

	/* a modified image */
	mod.n = img.n;
	mod.p = malloc(mod.n);
	memcpy(mod.p, img.p, mod.n);
	mod.p[100] ^= 1;
	CHECK("modified image, RSA: digest mismatch", verify_at("rsa.sig", &mod, &anchors, t_valid, NULL, &r) == -WB_ECMSDIGEST);
	CHECK("modified image, ECDSA: digest mismatch", verify_at("ec.sig", &mod, &anchors, t_valid, NULL, &r) == -WB_ECMSDIGEST);
	CHECK("modified image, signed attributes: messageDigest mismatch",
	      verify_at("rsa-attrs.sig", &mod, &anchors, t_valid, NULL, &r) == -WB_ECMSDIGEST);
	mod.n--;
	CHECK("image one byte short: digest mismatch", verify_at("rsa.sig", &mod, &anchors, t_valid, NULL, &r) == -WB_ECMSDIGEST);
	free(mod.p);

	/* the chain and the signer */
	CHECK("signer without codeSigning: refused", verify("noeku.sig") == -WB_ECMSNOTCODE);
	CHECK("… the detail lists its purposes", strstr(detail, "serverAuth") != NULL);
	CHECK("critical extendedKeyUsage: chain refused", verify("crit.sig") == -WB_ECMSCHAIN);
	CHECK("… the detail says what to change", strstr(detail, "extendedKeyUsage must not be critical") != NULL);
	CHECK("expired signer: refused", verify("expired.sig") == -WB_ECMSEXPIRED);
	CHECK("… the detail names the certificate", strstr(detail, "wireboot expired signer") != NULL);
	CHECK("before the signer's notBefore: not yet valid",
	      verify_at("rsa.sig", &img, &anchors, sxi.not_before - 86400, NULL, &r) == -WB_ECMSNOTYET);
	CHECK("after the signer's notAfter: expired",
	      verify_at("rsa.sig", &img, &anchors, sxi.not_after + 1, NULL, &r) == -WB_ECMSEXPIRED);
	CHECK("signer under an unknown root: not anchored", verify("unknown.sig") == -WB_ECMSUNTRUSTED);
	CHECK("good signature, other anchors: not anchored",
	      verify_at("rsa.sig", &img, &others, t_valid, NULL, &r) == -WB_ECMSUNTRUSTED);
	CHECK("no intermediate bundled: not anchored", verify("nointer.sig") == -WB_ECMSUNTRUSTED);
	CHECK("no certificates bundled: signer not found", verify("nocerts.sig") == -WB_ECMSNOCERT);
	{
		struct tls_anchors none = { NULL, 0, 0 };

		CHECK("no anchors built in", verify_at("rsa.sig", &img, &none, t_valid, NULL, &r) == -WB_ECMSNOANCHOR);
	}
	CHECK("SHA-1: refused", verify("rsa-sha1.sig") == -WB_ECMSSHA1);
	b = load("rsa.sig");
	{
		struct cms_verify_opts o = { anchors.ta, anchors.count, t_valid, NULL };

		CHECK("truncated signature: truncated DER", cms_verify(img.p, img.n, b.p, b.n - 10, &o, &r) == -WB_ECMSTRUNC);
		b.p[b.n - 1] ^= 0x40;   /* the last byte of the RSA signature value */
		CHECK("signature value changed: does not verify", cms_verify(img.p, img.n, b.p, b.n, &o, &r) == -WB_ECMSSIG);
		CHECK("image as its own signature: not CMS", cms_verify(img.p, img.n, img.p, img.n, &o, &r) == -WB_ECMSNOTCMS);
		CHECK("empty signature: not CMS", cms_verify(img.p, img.n, b.p, 0, &o, &r) == -WB_ECMSNOTCMS);
	}
	free(b.p);

	unit_alloc_sweep("cms_verify", sweep_run, NULL, sweep_ok);

	tls_anchors_free(&anchors);
	tls_anchors_free(&others);
	free(img.p);
	free(root.p);
	free(other.p);
	return unit_done();
}
