/*
 * cms.c — a DER walker for detached CMS SignedData (RFC 5652 §5), see cms.h.
 *
 *   ContentInfo ::= SEQUENCE { contentType id-signedData, content [0] EXPLICIT SignedData }
 *   SignedData ::= SEQUENCE { version, digestAlgorithms SET,
 *       encapContentInfo SEQUENCE { eContentType, eContent [0] OPTIONAL (absent: detached) },
 *       certificates [0] IMPLICIT SET OPTIONAL, crls [1] IMPLICIT OPTIONAL,
 *       signerInfos SET OF SignerInfo }
 *   SignerInfo ::= SEQUENCE { version, sid (IssuerAndSerialNumber | [0] SKI),
 *       digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL, signatureAlgorithm,
 *       signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
 *
 * Every element is read with cms_get(), which checks its length against the
 * bytes left in the enclosing element, so nothing is read past @len.  Only
 * DER: single-byte tags, definite lengths of at most 4 length bytes (BER's
 * indefinite lengths are refused).  Pure: no allocation, pointers into the
 * caller's buffer (tests/fuzz/fuzz_cms.c).
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "tls/cms.h"

struct cms_der {
	const uint8_t *p;
	size_t n;
};

struct cms_tlv {
	uint8_t tag;
	const uint8_t *start;   /* the tag byte */
	const uint8_t *v;
	size_t len;
};

/* One TLV.  -WB_ECMSTRUNC when its length runs past the enclosing element,
 * -WB_ECMSBAD for a multi-byte tag or an indefinite/absurd length. */
static int cms_get(struct cms_der *d, struct cms_tlv *t)
{
	size_t len, hdr = 2;

	if (d->n < 2)
		return -WB_ECMSTRUNC;
	t->start = d->p;
	t->tag = d->p[0];
	if ((t->tag & 0x1f) == 0x1f)
		return -WB_ECMSBAD;
	len = d->p[1];
	if (len & 0x80) {
		size_t k = len & 0x7f;

		if (k == 0 || k > 4)
			return -WB_ECMSBAD;
		if (d->n < 2 + k)
			return -WB_ECMSTRUNC;
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = (len << 8) | d->p[2 + i];
		hdr += k;
	}
	if (len > d->n - hdr)
		return -WB_ECMSTRUNC;
	t->v = d->p + hdr;
	t->len = len;
	d->p += hdr + len;
	d->n -= hdr + len;
	return 0;
}

/* The next TLV must have @tag; @what names it for out->why. */
static int cms_expect(struct cms_der *d, uint8_t tag, struct cms_tlv *t, struct cms_signed *out,
		      const char *what)
{
	int rc = cms_get(d, t);

	if (rc) {
		if (rc == -WB_ECMSBAD)
			wb_snprintf(out->why, sizeof(out->why), "%s: not DER", what);
		return rc;
	}
	if (t->tag != tag) {
		wb_snprintf(out->why, sizeof(out->why), "%s: tag 0x%02x, expected 0x%02x", what,
			    t->tag, tag);
		return -WB_ECMSBAD;
	}
	return 0;
}

static void cms_in(struct cms_der *d, const struct cms_tlv *t)
{
	d->p = t->v;
	d->n = t->len;
}

static int cms_oid_is(const struct cms_tlv *t, const uint8_t *oid, size_t n)
{
	return t->tag == 0x06 && t->len == n && !memcmp(t->v, oid, n);
}

#define CMS_OID(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

/* 1.2.840.113549 */
#define CMS_RSADSI 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d

/* The OID of an AlgorithmIdentifier (parameters, if any, are not looked at). */
static int cms_algid(struct cms_der *d, struct cms_tlv *oid, struct cms_signed *out, const char *what)
{
	struct cms_tlv seq;
	struct cms_der a;
	int rc;

	if ((rc = cms_expect(d, 0x30, &seq, out, what)))
		return rc;
	cms_in(&a, &seq);
	return cms_expect(&a, 0x06, oid, out, what);
}

/* digestAlgorithm: SHA-256/384/512; SHA-1 refused by name. */
static int cms_digest_alg(const struct cms_tlv *oid, struct cms_signed *out)
{
	static const uint8_t sha2[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02 };

	if (oid->len == sizeof(sha2) + 1 && !memcmp(oid->v, sha2, sizeof(sha2))) {
		switch (oid->v[sizeof(sha2)]) {
		case 1: out->hash_id = br_sha256_ID; return 0;
		case 2: out->hash_id = br_sha384_ID; return 0;
		case 3: out->hash_id = br_sha512_ID; return 0;
		default: break;
		}
	}
	if (cms_oid_is(oid, CMS_OID(0x2b, 0x0e, 0x03, 0x02, 0x1a)))
		return -WB_ECMSSHA1;
	wb_snprintf(out->why, sizeof(out->why), "digest algorithm is not SHA-256, SHA-384 or SHA-512");
	return -WB_ECMSALG;
}

/* signatureAlgorithm: RSA (plain or sha*WithRSAEncryption) or ECDSA; its hash must be the digest's. */
static int cms_sig_alg(const struct cms_tlv *oid, struct cms_signed *out)
{
	static const uint8_t pkcs1[] = { CMS_RSADSI, 0x01, 0x01 };
	static const uint8_t ecdsa_sha2[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03 };
	int hash = 0;

	if (oid->len == sizeof(pkcs1) + 1 && !memcmp(oid->v, pkcs1, sizeof(pkcs1))) {
		out->sigalg = CMS_SIG_RSA;
		switch (oid->v[sizeof(pkcs1)]) {
		case 0x01: return 0;   /* rsaEncryption: the digest algorithm says the hash */
		case 0x0b: hash = br_sha256_ID; break;
		case 0x0c: hash = br_sha384_ID; break;
		case 0x0d: hash = br_sha512_ID; break;
		case 0x05: return -WB_ECMSSHA1;
		default: break;
		}
	} else if (oid->len == sizeof(ecdsa_sha2) + 1 && !memcmp(oid->v, ecdsa_sha2, sizeof(ecdsa_sha2))) {
		out->sigalg = CMS_SIG_ECDSA;
		switch (oid->v[sizeof(ecdsa_sha2)]) {
		case 0x02: hash = br_sha256_ID; break;
		case 0x03: hash = br_sha384_ID; break;
		case 0x04: hash = br_sha512_ID; break;
		default: break;
		}
	} else if (cms_oid_is(oid, CMS_OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01))) {
		return -WB_ECMSSHA1;   /* ecdsa-with-SHA1 */
	} else if (cms_oid_is(oid, CMS_OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01))) {
		out->sigalg = CMS_SIG_ECDSA;   /* id-ecPublicKey, as some signers write it */
		return 0;
	}
	if (!hash) {
		out->sigalg = 0;
		wb_snprintf(out->why, sizeof(out->why),
			    "signature algorithm is not RSA or ECDSA with SHA-256/384/512");
		return -WB_ECMSALG;
	}
	if (hash != out->hash_id) {
		wb_snprintf(out->why, sizeof(out->why),
			    "signature algorithm's hash differs from the digest algorithm");
		return -WB_ECMSALG;
	}
	return 0;
}

/*
 * signedAttrs (RFC 5652 §5.3, §11.1-11.2): a SET OF Attribute { attrType,
 * attrValues SET }; contentType must be id-data, messageDigest one OCTET STRING.
 */
static int cms_attrs(const struct cms_tlv *attrs, struct cms_signed *out)
{
	struct cms_der d, a, v;
	struct cms_tlv attr, type, vals, val;
	int rc, have_type = 0;

	cms_in(&d, attrs);
	while (d.n) {
		if ((rc = cms_expect(&d, 0x30, &attr, out, "signed attribute")))
			return rc;
		cms_in(&a, &attr);
		if ((rc = cms_expect(&a, 0x06, &type, out, "signed attribute type")) ||
		    (rc = cms_expect(&a, 0x31, &vals, out, "signed attribute values")))
			return rc;
		cms_in(&v, &vals);
		if (cms_oid_is(&type, CMS_OID(CMS_RSADSI, 0x01, 0x09, 0x04))) {
			if (out->msg_digest) {
				wb_snprintf(out->why, sizeof(out->why), "two messageDigest attributes");
				return -WB_ECMSBAD;
			}
			if ((rc = cms_expect(&v, 0x04, &val, out, "messageDigest")))
				return rc;
			if (v.n) {
				wb_snprintf(out->why, sizeof(out->why), "messageDigest has several values");
				return -WB_ECMSBAD;
			}
			out->msg_digest = val.v;
			out->msg_digest_len = val.len;
		} else if (cms_oid_is(&type, CMS_OID(CMS_RSADSI, 0x01, 0x09, 0x03))) {
			if ((rc = cms_expect(&v, 0x06, &val, out, "contentType")))
				return rc;
			if (!cms_oid_is(&val, CMS_OID(CMS_RSADSI, 0x01, 0x07, 0x01))) {
				wb_snprintf(out->why, sizeof(out->why), "contentType attribute is not id-data");
				return -WB_ECMSBAD;
			}
			have_type = 1;
		}
		/* others (signingTime: ignored as iPXE does; smimeCapabilities …) */
	}
	if (!out->msg_digest || !have_type) {
		wb_snprintf(out->why, sizeof(out->why),
			    "signed attributes without messageDigest or contentType (RFC 5652 §5.3)");
		return -WB_ECMSBAD;
	}
	return 0;
}

static int cms_signer_info(const struct cms_tlv *si, struct cms_signed *out)
{
	struct cms_der d, s;
	struct cms_tlv t, oid;
	int rc;

	cms_in(&d, si);
	if ((rc = cms_expect(&d, 0x02, &t, out, "SignerInfo version")))
		return rc;
	if ((rc = cms_get(&d, &t)))
		return rc;
	if (t.tag == 0x30) {            /* IssuerAndSerialNumber */
		struct cms_tlv name, serial;

		cms_in(&s, &t);
		if ((rc = cms_expect(&s, 0x30, &name, out, "signer issuer")) ||
		    (rc = cms_expect(&s, 0x02, &serial, out, "signer serial number")))
			return rc;
		out->issuer = name.start;
		out->issuer_len = (size_t)(name.v + name.len - name.start);
		out->serial = serial.v;
		out->serial_len = serial.len;
	} else if (t.tag == 0x80) {     /* [0] IMPLICIT SubjectKeyIdentifier */
		out->sid_ski = 1;
		out->ski = t.v;
		out->ski_len = t.len;
	} else {
		wb_snprintf(out->why, sizeof(out->why), "signer identifier: tag 0x%02x", t.tag);
		return -WB_ECMSBAD;
	}
	if ((rc = cms_algid(&d, &oid, out, "digestAlgorithm")) || (rc = cms_digest_alg(&oid, out)))
		return rc;
	if (d.n && d.p[0] == 0xa0) {
		if ((rc = cms_get(&d, &t)))
			return rc;
		out->attrs = t.start;
		out->attrs_len = (size_t)(t.v + t.len - t.start);
		if ((rc = cms_attrs(&t, out)))
			return rc;
	}
	if ((rc = cms_algid(&d, &oid, out, "signatureAlgorithm")) || (rc = cms_sig_alg(&oid, out)))
		return rc;
	if ((rc = cms_expect(&d, 0x04, &t, out, "signature")))
		return rc;
	if (!t.len) {
		wb_snprintf(out->why, sizeof(out->why), "empty signature value");
		return -WB_ECMSBAD;
	}
	out->sig = t.v;
	out->sig_len = t.len;
	return 0;   /* unsignedAttrs, if any, are not looked at */
}

int cms_parse(const uint8_t *der, size_t len, struct cms_signed *out)
{
	struct cms_der d, sd, e;
	struct cms_tlv ci, t, oid, sdata, eci, signers, si;
	int rc;

	memset(out, 0, sizeof(*out));
	d.p = der;
	d.n = len;
	if (!len || der[0] != 0x30)
		return -WB_ECMSNOTCMS;
	if ((rc = cms_get(&d, &ci)))
		return rc == -WB_ECMSTRUNC ? rc : -WB_ECMSNOTCMS;
	cms_in(&d, &ci);
	if (cms_get(&d, &oid) || !cms_oid_is(&oid, CMS_OID(CMS_RSADSI, 0x01, 0x07, 0x02)))
		return -WB_ECMSNOTCMS;
	if ((rc = cms_expect(&d, 0xa0, &t, out, "ContentInfo content")))
		return rc;
	cms_in(&d, &t);
	if ((rc = cms_expect(&d, 0x30, &sdata, out, "SignedData")))
		return rc;
	cms_in(&sd, &sdata);
	if ((rc = cms_expect(&sd, 0x02, &t, out, "SignedData version")) ||
	    (rc = cms_expect(&sd, 0x31, &t, out, "digestAlgorithms")) ||
	    (rc = cms_expect(&sd, 0x30, &eci, out, "encapContentInfo")))
		return rc;
	cms_in(&e, &eci);
	if ((rc = cms_expect(&e, 0x06, &oid, out, "eContentType")))
		return rc;
	if (e.n) {
		wb_snprintf(out->why, sizeof(out->why),
			    "the signature carries the content (not detached: drop -nodetach)");
		return -WB_ECMSBAD;
	}
	if (!cms_oid_is(&oid, CMS_OID(CMS_RSADSI, 0x01, 0x07, 0x01))) {
		wb_snprintf(out->why, sizeof(out->why), "eContentType is not id-data");
		return -WB_ECMSBAD;
	}
	if ((rc = cms_get(&sd, &t)))
		return rc;
	if (t.tag == 0xa0) {            /* certificates */
		out->certs = t.v;
		out->certs_len = t.len;
		if ((rc = cms_get(&sd, &t)))
			return rc;
	}
	if (t.tag == 0xa1 && (rc = cms_get(&sd, &t)))   /* crls: not used */
		return rc;
	if (t.tag != 0x31) {
		wb_snprintf(out->why, sizeof(out->why), "signerInfos: tag 0x%02x", t.tag);
		return -WB_ECMSBAD;
	}
	signers = t;
	cms_in(&d, &signers);
	if (!d.n) {
		wb_snprintf(out->why, sizeof(out->why), "no SignerInfo (nothing was signed)");
		return -WB_ECMSBAD;
	}
	if ((rc = cms_expect(&d, 0x30, &si, out, "SignerInfo")))
		return rc;
	return cms_signer_info(&si, out);
}

int cms_each_cert(const struct cms_signed *cs,
		  int (*fn)(void *arg, const uint8_t *der, size_t len), void *arg)
{
	struct cms_der d = { cs->certs, cs->certs_len };
	struct cms_tlv t;
	int rc;

	while (d.n) {
		if (cms_get(&d, &t))
			return 0;   /* the rest is not DER: nothing more to offer */
		if (t.tag != 0x30)
			continue;   /* extendedCertificate, attribute certificates, other */
		rc = fn(arg, t.start, (size_t)(t.v + t.len - t.start));
		if (rc)
			return rc;
	}
	return 0;
}

int cms_cert_ids(const uint8_t *der, size_t len, const uint8_t **serial, size_t *serial_len,
		 const uint8_t **ski, size_t *ski_len)
{
	struct cms_der d = { der, len }, x, e;
	struct cms_tlv t, oid, val;
	int rc;

	*serial = *ski = NULL;
	*serial_len = *ski_len = 0;
	/* Certificate { tbsCertificate { [0] version, serialNumber, signature, issuer,
	 * validity, subject, spki, [1], [2], [3] extensions } …} (RFC 5280 §4.1) */
	if ((rc = cms_get(&d, &t)) || t.tag != 0x30)
		return rc ? rc : -WB_ECMSBAD;
	cms_in(&d, &t);
	if ((rc = cms_get(&d, &t)) || t.tag != 0x30)
		return rc ? rc : -WB_ECMSBAD;
	cms_in(&d, &t);
	if ((rc = cms_get(&d, &t)))
		return rc;
	if (t.tag == 0xa0 && (rc = cms_get(&d, &t)))
		return rc;
	if (t.tag != 0x02)
		return -WB_ECMSBAD;
	*serial = t.v;
	*serial_len = t.len;
	while (d.n) {
		if ((rc = cms_get(&d, &t)))
			return rc;
		if (t.tag != 0xa3)
			continue;
		cms_in(&x, &t);
		if ((rc = cms_get(&x, &t)) || t.tag != 0x30)
			return rc ? rc : -WB_ECMSBAD;
		cms_in(&x, &t);
		while (x.n) {
			if ((rc = cms_get(&x, &t)) || t.tag != 0x30)
				return rc ? rc : -WB_ECMSBAD;
			cms_in(&e, &t);
			if ((rc = cms_get(&e, &oid)) || (rc = cms_get(&e, &val)))
				return rc;
			if (val.tag == 0x01 && (rc = cms_get(&e, &val)))   /* critical */
				return rc;
			if (!cms_oid_is(&oid, CMS_OID(0x55, 0x1d, 0x0e)) || val.tag != 0x04)
				continue;
			/* SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING), inside the extnValue */
			cms_in(&e, &val);
			if ((rc = cms_get(&e, &t)) || t.tag != 0x04)
				return rc ? rc : -WB_ECMSBAD;
			*ski = t.v;
			*ski_len = t.len;
		}
	}
	return 0;
}

const char *cms_hash_name(int hash_id)
{
	switch (hash_id) {
	case br_sha256_ID: return "SHA-256";
	case br_sha384_ID: return "SHA-384";
	case br_sha512_ID: return "SHA-512";
	default: return "?";
	}
}
