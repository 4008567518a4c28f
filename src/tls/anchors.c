/*
 * anchors.c — trust anchors built at run time from certificates (tls.h).
 *
 * A trust anchor is just a subject DN and a public key (BearSSL
 * br_x509_trust_anchor).  br_x509_decoder gives both from a certificate;
 * the DN arrives through a callback in pieces, the key points into the
 * decoder context, so both are copied into one plat_malloc'd block per
 * anchor (DN bytes, then key bytes).
 */
#include <string.h>

#include "core/err.h"
#include "platform/platform.h"
#include "tls/pem.h"
#include "tls/tls.h"

struct anchors_dn {
	uint8_t *buf;
	size_t len, cap;
	int over;
};

static void anchors_dn_append(void *ctx, const void *data, size_t len)
{
	struct anchors_dn *d = ctx;

	if (d->over || len > d->cap - d->len) {
		d->over = 1;
		return;
	}
	memcpy(d->buf + d->len, data, len);
	d->len += len;
}

static int anchors_grow(struct tls_anchors *a)
{
	br_x509_trust_anchor *n;
	size_t cap = a->cap ? a->cap * 2 : 8;

	if (a->count < a->cap)
		return 0;
	n = plat_malloc(cap * sizeof(*n));
	if (!n)
		return -WB_ENOMEM;
	if (a->count)
		memcpy(n, a->ta, a->count * sizeof(*n));
	plat_free(a->ta);
	a->ta = n;
	a->cap = cap;
	return 0;
}

/* Append an anchor copying @dn and @pk into one allocation. */
static int anchors_push(struct tls_anchors *a, const uint8_t *dn, size_t dn_len,
			const br_x509_pkey *pk, unsigned flags)
{
	br_x509_trust_anchor *ta;
	size_t klen;
	uint8_t *mem;
	int rc = anchors_grow(a);

	if (rc)
		return rc;
	if (pk->key_type == BR_KEYTYPE_RSA)
		klen = pk->key.rsa.nlen + pk->key.rsa.elen;
	else if (pk->key_type == BR_KEYTYPE_EC)
		klen = pk->key.ec.qlen;
	else
		return -WB_EX509BAD;
	mem = plat_malloc(dn_len + klen ? dn_len + klen : 1);
	if (!mem)
		return -WB_ENOMEM;
	ta = &a->ta[a->count];
	memset(ta, 0, sizeof(*ta));
	memcpy(mem, dn, dn_len);
	ta->dn.data = mem;
	ta->dn.len = dn_len;
	ta->flags = flags;
	ta->pkey.key_type = pk->key_type;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		memcpy(mem + dn_len, pk->key.rsa.n, pk->key.rsa.nlen);
		memcpy(mem + dn_len + pk->key.rsa.nlen, pk->key.rsa.e, pk->key.rsa.elen);
		ta->pkey.key.rsa.n = mem + dn_len;
		ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta->pkey.key.rsa.e = mem + dn_len + pk->key.rsa.nlen;
		ta->pkey.key.rsa.elen = pk->key.rsa.elen;
	} else {
		memcpy(mem + dn_len, pk->key.ec.q, pk->key.ec.qlen);
		ta->pkey.key.ec.curve = pk->key.ec.curve;
		ta->pkey.key.ec.q = mem + dn_len;
		ta->pkey.key.ec.qlen = pk->key.ec.qlen;
	}
	a->count++;
	return 0;
}

int tls_anchors_from_der(struct tls_anchors *a, const void *der, size_t len)
{
	br_x509_decoder_context *dc;
	struct anchors_dn dn;
	const br_x509_pkey *pk;
	int rc;

	dc = plat_malloc(sizeof(*dc));
	dn.buf = plat_malloc(len ? len : 1);   /* the DN is inside the certificate */
	if (!dc || !dn.buf) {
		plat_free(dc);
		plat_free(dn.buf);
		return -WB_ENOMEM;
	}
	dn.len = 0;
	dn.cap = len;
	dn.over = 0;
	br_x509_decoder_init(dc, anchors_dn_append, &dn);
	br_x509_decoder_push(dc, der, len);
	pk = br_x509_decoder_get_pkey(dc);
	if (!pk || br_x509_decoder_last_error(dc) || dn.over)
		rc = -WB_EX509BAD;
	else
		rc = anchors_push(a, dn.buf, dn.len, pk,
				  br_x509_decoder_isCA(dc) ? BR_X509_TA_CA : 0);
	plat_free(dn.buf);
	plat_free(dc);
	return rc;
}

int tls_anchors_from_pem(struct tls_anchors *a, const char *pem, size_t len)
{
	struct pem_block blk;
	size_t pos = 0;
	uint8_t *der = plat_malloc(len ? len : 1);
	int rc, added = 0;

	if (!der)
		return -WB_ENOMEM;
	while ((rc = pem_next(pem, len, &pos, &blk, der, len)) > 0) {
		if (strcmp(blk.label, "CERTIFICATE") && strcmp(blk.label, "TRUSTED CERTIFICATE"))
			continue;
		rc = tls_anchors_from_der(a, der, blk.der_len);
		if (rc)
			break;
		added++;
	}
	plat_free(der);
	if (rc < 0)
		return rc;
	return added ? added : -WB_EPEM;
}

int tls_anchors_add(struct tls_anchors *a, const br_x509_trust_anchor *ta)
{
	br_x509_pkey pk = ta->pkey;

	return anchors_push(a, ta->dn.data, ta->dn.len, &pk, ta->flags);
}

void tls_anchors_free(struct tls_anchors *a)
{
	size_t i;

	for (i = 0; i < a->count; i++)
		plat_free(a->ta[i].dn.data);
	plat_free(a->ta);
	memset(a, 0, sizeof(*a));
}
