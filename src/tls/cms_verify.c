/*
 * cms_verify.c — verify a detached CMS signature of an image (see cms.h).
 *
 * How it works
 *
 *   1. cms_parse() the DER (a PEM "CMS"/"PKCS7" block is decoded first).
 *   2. Decode every bundled certificate (x509_info for names, dates, EKU;
 *      cms_cert_ids for serial and SKI) and find the signer's.
 *   3. Order a chain: signer first, then the bundled certificate whose
 *      subject is the previous one's issuer, until an issuer is an anchor's
 *      DN (CMS's certificate SET has no order).  Dates are checked here,
 *      each certificate against @now (BearSSL would say only "expired").
 *   4. BearSSL's x509_minimal validates that chain against the anchors and
 *      gives the signer's public key and usages.
 *   5. extendedKeyUsage codeSigning, --signer, then the digest of the image
 *      (and, with signedAttrs, the messageDigest attribute and the hash of
 *      their DER SET, RFC 5652 §5.4), and the signature with BearSSL's RSA
 *      PKCS#1 v1.5 or ECDSA verifier.  For RSA the hash recovered from the
 *      signature tells a modified image (WB_ECMSDIGEST) from a bad
 *      signature (WB_ECMSSIG); ECDSA cannot tell them apart.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "core/wallclock.h"
#include "platform/platform.h"
#include "tls/cms.h"
#include "tls/pem.h"

#define CMS_CERTS_MAX  16       /* bundled certificates looked at */
#define CMS_CHAIN_MAX  8
#define CMS_UNIX_DAY0  719528u  /* days from 0000-01-01 to 1970-01-01 (BearSSL's epoch) */
#define CMS_MIN_RSA    256      /* bytes: 2048 bits */

struct cms_cert {
	const uint8_t *der;
	size_t len;
	struct x509_info xi;
	int ok;
	const uint8_t *serial, *ski;
	size_t serial_len, ski_len;
};

struct cms_work {
	struct cms_signed cs;
	struct cms_cert certs[CMS_CERTS_MAX];
	unsigned ncerts;
	br_x509_minimal_context mini;
	br_hash_compat_context hc;
	uint8_t digest[64], tbs[64], rec[64];
};

static int cms_collect(void *arg, const uint8_t *der, size_t len)
{
	struct cms_work *w = arg;
	struct cms_cert *c;

	if (w->ncerts >= CMS_CERTS_MAX)
		return 1;
	c = &w->certs[w->ncerts++];
	c->der = der;
	c->len = len;
	c->ok = !x509_info_parse(der, len, &c->xi) &&
		!cms_cert_ids(der, len, &c->serial, &c->serial_len, &c->ski, &c->ski_len);
	return 0;
}

static int cms_same(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	return al == bl && !memcmp(a, b, al);
}

static const br_hash_class *cms_hash_class(int id)
{
	switch (id) {
	case br_sha256_ID: return &br_sha256_vtable;
	case br_sha384_ID: return &br_sha384_vtable;
	case br_sha512_ID: return &br_sha512_vtable;
	default: return NULL;
	}
}

static const unsigned char *cms_hash_oid(int id)
{
	switch (id) {
	case br_sha256_ID: return BR_HASH_OID_SHA256;
	case br_sha384_ID: return BR_HASH_OID_SHA384;
	default: return BR_HASH_OID_SHA512;
	}
}

static void cms_desc(char *buf, size_t cap, const char *what, const struct cms_cert *c)
{
	wb_snprintf(buf, cap, "%s: certificate CN=%s (issuer CN=%s)", what, c->xi.subject_cn,
		    c->xi.issuer_cn);
}

/* The BearSSL X.509 error of a refused chain, in words. */
static const char *cms_x509_why(unsigned err)
{
	switch (err) {
	case BR_ERR_X509_BAD_SIGNATURE: return "a certificate's signature does not verify";
	case BR_ERR_X509_NOT_CA: return "an issuing certificate is not a CA";
	case BR_ERR_X509_WEAK_PUBLIC_KEY: return "an RSA key is shorter than 2048 bits";
	case BR_ERR_X509_UNSUPPORTED: return "an unsupported algorithm (MD5/SHA-1 signatures are refused)";
	case BR_ERR_X509_CRITICAL_EXTENSION:
		return "a critical extension BearSSL does not process (extendedKeyUsage must not be critical)";
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE: return "a key usage forbids it";
	case BR_ERR_X509_LIMIT_EXCEEDED: return "the chain is too long";
	case BR_ERR_X509_WRONG_KEY_TYPE: return "a key of an unexpected type";
	default: return "a certificate BearSSL cannot decode";
	}
}

static int cms_run(struct cms_work *w, const uint8_t *img, size_t img_len, const uint8_t *der,
		   size_t der_len, const struct cms_verify_opts *o, struct cms_result *r)
{
	struct cms_signed *cs = &w->cs;
	const struct cms_cert *signer = NULL;
	unsigned chain[CMS_CHAIN_MAX], nchain = 0, usages = 0, err;
	const br_x509_class **xc;
	const br_x509_pkey *pk;
	const br_hash_class *hc;
	size_t hlen;
	int64_t when;
	char names[120];
	int rc;

	rc = cms_parse(der, der_len, cs);
	if (rc) {
		if (cs->why[0])
			wb_snprintf(r->detail, sizeof(r->detail), "%s", cs->why);
		return rc;
	}
	r->hash_id = cs->hash_id;
	r->sigalg = cs->sigalg;
	if (!o->anchor_count)
		return -WB_ECMSNOANCHOR;

	/* the signer among the bundled certificates */
	cms_each_cert(cs, cms_collect, w);
	for (unsigned i = 0; i < w->ncerts && !signer; i++) {
		const struct cms_cert *c = &w->certs[i];

		if (!c->ok)
			continue;
		if (cs->sid_ski ? cms_same(c->ski, c->ski_len, cs->ski, cs->ski_len) :
		    cms_same(c->der + c->xi.issuer_off, c->xi.issuer_len, cs->issuer, cs->issuer_len) &&
		    cms_same(c->serial, c->serial_len, cs->serial, cs->serial_len)) {
			signer = c;
			chain[nchain++] = i;
		}
	}
	if (!signer) {
		wb_snprintf(r->detail, sizeof(r->detail), "%u certificate(s) in the signature, none is the signer's",
			    w->ncerts);
		return -WB_ECMSNOCERT;
	}
	wb_strlcpy(r->signer_cn, signer->xi.subject_cn, sizeof(r->signer_cn));
	wb_strlcpy(r->issuer_cn, signer->xi.issuer_cn, sizeof(r->issuer_cn));

	/* order the chain: each next certificate issued the previous one */
	while (nchain < CMS_CHAIN_MAX) {
		const struct cms_cert *cur = &w->certs[chain[nchain - 1]];
		const uint8_t *idn = cur->der + cur->xi.issuer_off;
		int anchored = 0, found = -1;

		for (size_t k = 0; k < o->anchor_count; k++)
			anchored |= cms_same(o->anchors[k].dn.data, o->anchors[k].dn.len, idn, cur->xi.issuer_len);
		if (anchored || x509_info_self_issued(cur->der, &cur->xi))
			break;
		for (unsigned i = 0; i < w->ncerts && found < 0; i++) {
			const struct cms_cert *c = &w->certs[i];
			int used = 0;

			for (unsigned k = 0; k < nchain; k++)
				used |= chain[k] == i;
			if (!used && c->ok && cms_same(c->der + c->xi.subject_off, c->xi.subject_len, idn,
						       cur->xi.issuer_len))
				found = (int)i;
		}
		if (found < 0)
			break;
		chain[nchain++] = (unsigned)found;
	}

	/* dates: against the clock when known (signing time is not trusted) */
	r->dates_checked = o->now >= 0;
	when = 0;
	for (unsigned k = 0; k < nchain; k++) {
		const struct cms_cert *c = &w->certs[chain[k]];

		if (c->xi.not_before > when)
			when = c->xi.not_before;
		if (o->now < 0)
			continue;
		if (o->now < c->xi.not_before || o->now > c->xi.not_after) {
			char t[20];

			cms_desc(r->detail, sizeof(r->detail), o->now < c->xi.not_before ? "not valid before" : "expired",
				 c);
			{
				size_t n = strlen(r->detail);

				wb_snprintf(r->detail + n, sizeof(r->detail) - n, ", %s %s UTC",
					    o->now < c->xi.not_before ? "valid from" : "valid until",
					    wallclock_fmt(o->now < c->xi.not_before ? c->xi.not_before :
							      c->xi.not_after, t));
			}
			return o->now < c->xi.not_before ? -WB_ECMSNOTYET : -WB_ECMSEXPIRED;
		}
	}
	if (o->now >= 0)
		when = o->now;

	/* the chain through BearSSL */
	br_x509_minimal_init_full(&w->mini, o->anchors, o->anchor_count);
	br_x509_minimal_set_hash(&w->mini, br_md5_ID, NULL);
	br_x509_minimal_set_hash(&w->mini, br_sha1_ID, NULL);
	br_x509_minimal_set_minrsa(&w->mini, CMS_MIN_RSA);
	br_x509_minimal_set_time(&w->mini, CMS_UNIX_DAY0 + (uint32_t)(when / 86400), (uint32_t)(when % 86400));
	xc = &w->mini.vtable;
	(*xc)->start_chain(xc, NULL);
	for (unsigned k = 0; k < nchain; k++) {
		const struct cms_cert *c = &w->certs[chain[k]];

		(*xc)->start_cert(xc, (uint32_t)c->len);
		(*xc)->append(xc, c->der, c->len);
		(*xc)->end_cert(xc);
	}
	err = (*xc)->end_chain(xc);
	if (err == BR_ERR_X509_NOT_TRUSTED) {
		const struct cms_cert *top = &w->certs[chain[nchain - 1]];

		wb_snprintf(r->detail, sizeof(r->detail),
			    "chain of %u ends at CN=%s issued by CN=%s, which is not a code-signing anchor", nchain,
			    top->xi.subject_cn, top->xi.issuer_cn);
		return -WB_ECMSUNTRUSTED;
	}
	if (err == BR_ERR_X509_EXPIRED) {
		cms_desc(r->detail, sizeof(r->detail), "validity windows of the chain do not overlap", signer);
		return -WB_ECMSEXPIRED;
	}
	if (err) {
		wb_snprintf(r->detail, sizeof(r->detail), "signer CN=%s: %s (BearSSL X.509 error %u)",
			    signer->xi.subject_cn, cms_x509_why(err), err);
		return -WB_ECMSCHAIN;
	}
	pk = (*xc)->get_pkey(xc, &usages);
	if (!pk || !(usages & BR_KEYTYPE_SIGN)) {
		cms_desc(r->detail, sizeof(r->detail), "its keyUsage does not allow signatures", signer);
		return -WB_ECMSCHAIN;
	}

	/* code signing, and who */
	if (!(signer->xi.eku & X509_EKU_CODESIGN)) {
		wb_snprintf(r->detail, sizeof(r->detail),
			    "signer CN=%s: its extendedKeyUsage lists %s, not codeSigning", signer->xi.subject_cn,
			    signer->xi.eku ? x509_eku_names(signer->xi.eku, names, sizeof(names)) : "nothing (no extension)");
		return -WB_ECMSNOTCODE;
	}
	if (o->signer && strcmp(o->signer, signer->xi.subject_cn)) {
		wb_snprintf(r->detail, sizeof(r->detail), "signed by CN=%s, --signer wants \"%s\"",
			    signer->xi.subject_cn, o->signer);
		return -WB_ECMSSIGNER;
	}

	/* the image's digest, and what the signature covers */
	hc = cms_hash_class(cs->hash_id);
	hlen = (hc->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK;
	hc->init(&w->hc.vtable);
	hc->update(&w->hc.vtable, img, img_len);
	hc->out(&w->hc.vtable, w->digest);
	if (cs->attrs) {
		static const uint8_t set_tag = 0x31;   /* §5.4: the DER of the SET OF, not [0] */

		if (!cms_same(cs->msg_digest, cs->msg_digest_len, w->digest, hlen)) {
			wb_snprintf(r->detail, sizeof(r->detail), "%s of the image differs from the signed messageDigest",
				    cms_hash_name(cs->hash_id));
			return -WB_ECMSDIGEST;
		}
		hc->init(&w->hc.vtable);
		hc->update(&w->hc.vtable, &set_tag, 1);
		hc->update(&w->hc.vtable, cs->attrs + 1, cs->attrs_len - 1);
		hc->out(&w->hc.vtable, w->tbs);
	} else {
		memcpy(w->tbs, w->digest, hlen);
	}

	if (cs->sigalg == CMS_SIG_RSA && pk->key_type == BR_KEYTYPE_RSA) {
		if (!br_rsa_pkcs1_vrfy_get_default()(cs->sig, cs->sig_len, cms_hash_oid(cs->hash_id), hlen,
						     &pk->key.rsa, w->rec)) {
			wb_snprintf(r->detail, sizeof(r->detail), "RSA signature by CN=%s does not verify",
				    signer->xi.subject_cn);
			return -WB_ECMSSIG;
		}
		if (memcmp(w->rec, w->tbs, hlen)) {
			wb_snprintf(r->detail, sizeof(r->detail), "%s of the %s differs from the one CN=%s signed",
				    cms_hash_name(cs->hash_id), cs->attrs ? "signed attributes" : "image",
				    signer->xi.subject_cn);
			return cs->attrs ? -WB_ECMSSIG : -WB_ECMSDIGEST;
		}
	} else if (cs->sigalg == CMS_SIG_ECDSA && pk->key_type == BR_KEYTYPE_EC) {
		if (!br_ecdsa_vrfy_asn1_get_default()(br_ec_get_default(), w->tbs, hlen, &pk->key.ec, cs->sig,
						      cs->sig_len)) {
			wb_snprintf(r->detail, sizeof(r->detail),
				    "ECDSA signature by CN=%s does not match the %s of the %s", signer->xi.subject_cn,
				    cms_hash_name(cs->hash_id), cs->attrs ? "signed attributes" : "image");
			return cs->attrs ? -WB_ECMSSIG : -WB_ECMSDIGEST;
		}
	} else {
		wb_snprintf(r->detail, sizeof(r->detail), "the signer's key type does not match the signature algorithm");
		return -WB_ECMSALG;
	}
	return 0;
}

int cms_verify(const uint8_t *img, size_t img_len, const uint8_t *sig, size_t sig_len,
	       const struct cms_verify_opts *o, struct cms_result *r)
{
	struct cms_work *w;
	uint8_t *pem_der = NULL;
	const uint8_t *der = sig;
	size_t der_len = sig_len;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!sig_len)
		return -WB_ECMSNOTCMS;
	if (sig_len > 10 && !memcmp(sig, "-----BEGIN", 10)) {
		struct pem_block blk;
		size_t pos = 0;

		pem_der = plat_malloc(sig_len);
		if (!pem_der)
			return -WB_ENOMEM;
		rc = pem_next((const char *)sig, sig_len, &pos, &blk, pem_der, sig_len);
		if (rc <= 0 || (strcmp(blk.label, "CMS") && strcmp(blk.label, "PKCS7"))) {
			plat_free(pem_der);
			wb_snprintf(r->detail, sizeof(r->detail), "PEM without a CMS or PKCS7 block");
			return -WB_ECMSNOTCMS;
		}
		der = pem_der;
		der_len = blk.der_len;
	}
	w = plat_malloc(sizeof(*w));
	if (!w) {
		plat_free(pem_der);
		return -WB_ENOMEM;
	}
	memset(w, 0, sizeof(*w));
	rc = cms_run(w, img, img_len, der, der_len, o, r);
	plat_free(w);
	plat_free(pem_der);
	return rc;
}
