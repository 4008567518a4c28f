/*
 * fuzz_cms.c — libFuzzer target for the CMS SignedData walker (src/tls/cms.c):
 * cms_parse() on the input, then cms_cert_ids() and x509_info_parse() on every
 * certificate it bundles, and cms_verify() of a fixed image with no anchors (the
 * parse, PEM and allocation paths up to the anchor check).  Seeds: the unit
 * vectors of tests/unit/data/cms (openssl cms -sign …).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "tls/cms.h"
#include "tls/x509_info.h"

static const uint8_t *fuzz_base;
static size_t fuzz_len;

static int fuzz_cert(void *arg, const uint8_t *der, size_t len)
{
	const uint8_t *serial, *ski;
	size_t sl, kl;
	struct x509_info xi;

	(void)arg;
	if (der < fuzz_base || len > fuzz_len || (size_t)(der - fuzz_base) > fuzz_len - len)
		abort();
	if (!cms_cert_ids(der, len, &serial, &sl, &ski, &kl)) {
		if (serial < der || serial + sl > der + len || (ski && (ski < der || ski + kl > der + len)))
			abort();
	}
	(void)x509_info_parse(der, len, &xi);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly @size bytes so ASan catches any over-read */
	uint8_t *der = malloc(size ? size : 1);
	struct cms_signed cs;
	struct cms_result r;
	struct cms_verify_opts o = { NULL, 0, 0, NULL };
	static const uint8_t image[] = "image";

	memcpy(der, data, size);
	fuzz_base = der;
	fuzz_len = size;
	if (cms_parse(der, size, &cs) == 0) {
		if (!cs.sig || !cs.sig_len || cs.sig < der || cs.sig + cs.sig_len > der + size)
			abort();
		if (cs.attrs && (cs.attrs < der || cs.attrs + cs.attrs_len > der + size || !cs.msg_digest))
			abort();
		if (cs.hash_id != br_sha256_ID && cs.hash_id != br_sha384_ID && cs.hash_id != br_sha512_ID)
			abort();
		cms_each_cert(&cs, fuzz_cert, NULL);
	}
	(void)cms_verify(image, sizeof(image), der, size, &o, &r);
	if (strlen(r.detail) >= sizeof(r.detail))
		abort();
	free(der);
	return 0;
}
