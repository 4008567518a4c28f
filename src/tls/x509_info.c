/*
 * x509_info.c — a DER walker for the message fields of a certificate (see
 * x509_info.h).
 *
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
 *     signature, issuer, validity, subject, subjectPublicKeyInfo,
 *     [1] [2] unique ids OPTIONAL, [3] extensions OPTIONAL }   (RFC 5280 §4.1)
 *
 * Every element is read with der_get(), which checks the length against the
 * enclosing element; nothing is read past @len.  Only single-byte tags and
 * definite lengths up to 4 bytes (DER never needs more here).
 */
#include <string.h>

#include "core/err.h"
#include "tls/x509_info.h"

struct der {
	const uint8_t *p;   /* next byte */
	size_t n;           /* bytes left in the enclosing element */
};

struct der_tlv {
	uint8_t tag;
	const uint8_t *v;   /* value */
	size_t len;
	const uint8_t *start;   /* tag byte */
};

/* Read one TLV from @d into @t.  0 or -WB_EX509BAD. */
static int der_get(struct der *d, struct der_tlv *t)
{
	size_t len, hdr = 2;

	if (d->n < 2)
		return -WB_EX509BAD;
	t->start = d->p;
	t->tag = d->p[0];
	if ((t->tag & 0x1f) == 0x1f)
		return -WB_EX509BAD;   /* multi-byte tags: not in certificates */
	len = d->p[1];
	if (len & 0x80) {
		size_t k = len & 0x7f, i;

		if (k == 0 || k > 4 || d->n < 2 + k)
			return -WB_EX509BAD;   /* indefinite or absurd */
		len = 0;
		for (i = 0; i < k; i++)
			len = (len << 8) | d->p[2 + i];
		hdr += k;
	}
	if (len > d->n - hdr)
		return -WB_EX509BAD;
	t->v = d->p + hdr;
	t->len = len;
	d->p += hdr + len;
	d->n -= hdr + len;
	return 0;
}

static int der_expect(struct der *d, uint8_t tag, struct der_tlv *t)
{
	int rc = der_get(d, t);

	if (rc)
		return rc;
	return t->tag == tag ? 0 : -WB_EX509BAD;
}

static void der_in(struct der *d, const struct der_tlv *t)
{
	d->p = t->v;
	d->n = t->len;
}

static int der_oid_is(const struct der_tlv *t, const uint8_t *oid, size_t n)
{
	return t->tag == 0x06 && t->len == n && !memcmp(t->v, oid, n);
}

#define OID(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

/* ---- time ---- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
static int64_t x509_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int x509_digits(const uint8_t *p, size_t n, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*out = v;
	return 0;
}

int x509_time_parse(uint8_t tag, const uint8_t *p, size_t n, int64_t *out)
{
	unsigned y, mo, d, h, mi, s;
	static const uint8_t mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	/* RFC 5280 §4.1.2.5: YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ, always Z, seconds present */
	if (tag == 0x17) {
		if (n != 13 || x509_digits(p, 2, &y))
			return -WB_EX509BAD;
		y += y >= 50 ? 1900 : 2000;
		p += 2;
	} else if (tag == 0x18) {
		if (n != 15 || x509_digits(p, 4, &y))
			return -WB_EX509BAD;
		p += 4;
	} else {
		return -WB_EX509BAD;
	}
	if (x509_digits(p, 2, &mo) || x509_digits(p + 2, 2, &d) || x509_digits(p + 4, 2, &h) ||
	    x509_digits(p + 6, 2, &mi) || x509_digits(p + 8, 2, &s) || p[10] != 'Z')
		return -WB_EX509BAD;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || s > 60)
		return -WB_EX509BAD;
	*out = x509_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

/* ---- names ---- */

static void x509_printable(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	if (n > X509_CN_MAX)
		n = X509_CN_MAX;
	for (i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[n] = 0;
}

/* Name ::= SEQUENCE OF SET OF AttributeTypeAndValue; copy the first CN. */
static int x509_name_cn(const struct der_tlv *name, char *cn)
{
	struct der d, set, atv;
	struct der_tlv t, a, oid, val;
	int rc;

	cn[0] = 0;
	der_in(&d, name);
	while (d.n) {
		rc = der_expect(&d, 0x31, &t);
		if (rc)
			return rc;
		der_in(&set, &t);
		while (set.n) {
			rc = der_expect(&set, 0x30, &a);
			if (rc)
				return rc;
			der_in(&atv, &a);
			if ((rc = der_expect(&atv, 0x06, &oid)) || (rc = der_get(&atv, &val)))
				return rc;
			if (!cn[0] && der_oid_is(&oid, OID(0x55, 0x04, 0x03))) {
				if (val.tag == 0x1e)   /* BMPString: not worth decoding */
					x509_printable(cn, (const uint8_t *)"?", 1);
				else
					x509_printable(cn, val.v, val.len);
			}
		}
	}
	return 0;
}

/* ---- algorithms ---- */

static void x509_sigalg(const struct der_tlv *algid, struct x509_info *out)
{
	struct der d;
	struct der_tlv oid;
	static const uint8_t rsa_pre[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01 };
	static const uint8_t ecdsa_pre[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04 };

	out->sig_hash = X509_HASH_UNKNOWN;
	der_in(&d, algid);
	if (der_expect(&d, 0x06, &oid))
		return;
	if (oid.len == 9 && !memcmp(oid.v, rsa_pre, 8)) {
		out->sig_rsa = 1;
		switch (oid.v[8]) {
		case 0x04: out->sig_hash = X509_HASH_MD5; break;
		case 0x05: out->sig_hash = X509_HASH_SHA1; break;
		case 0x0b: out->sig_hash = X509_HASH_SHA256; break;
		case 0x0c: out->sig_hash = X509_HASH_SHA384; break;
		case 0x0d: out->sig_hash = X509_HASH_SHA512; break;
		case 0x0e: out->sig_hash = X509_HASH_SHA224; break;
		default: break;
		}
	} else if (oid.len == 7 && !memcmp(oid.v, ecdsa_pre, 6) && oid.v[6] == 0x01) {
		out->sig_hash = X509_HASH_SHA1;   /* ecdsa-with-SHA1 */
	} else if (oid.len == 8 && !memcmp(oid.v, ecdsa_pre, 6) && oid.v[6] == 0x03) {
		switch (oid.v[7]) {
		case 0x01: out->sig_hash = X509_HASH_SHA224; break;
		case 0x02: out->sig_hash = X509_HASH_SHA256; break;
		case 0x03: out->sig_hash = X509_HASH_SHA384; break;
		case 0x04: out->sig_hash = X509_HASH_SHA512; break;
		default: break;
		}
	} else if (der_oid_is(&oid, OID(0x2b, 0x65, 0x70))) {
		out->sig_hash = X509_HASH_NONE;
	}
}

/* Bit length of a big-endian unsigned INTEGER body. */
static unsigned x509_int_bits(const uint8_t *v, size_t n)
{
	unsigned b;

	while (n && !v[0]) {
		v++;
		n--;
	}
	if (!n)
		return 0;
	if (n > 0xffffff)
		return 0;
	b = (unsigned)(n - 1) * 8;
	for (uint8_t x = v[0]; x; x >>= 1)
		b++;
	return b;
}

static int x509_spki(const struct der_tlv *spki, struct x509_info *out)
{
	struct der d, a, k;
	struct der_tlv alg, oid, param, bits, seq, n;
	int rc;

	der_in(&d, spki);
	if ((rc = der_expect(&d, 0x30, &alg)) || (rc = der_expect(&d, 0x03, &bits)))
		return rc;
	der_in(&a, &alg);
	if ((rc = der_expect(&a, 0x06, &oid)))
		return rc;
	if (der_oid_is(&oid, OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01))) {
		out->key_type = X509_KEY_RSA;
		/* BIT STRING: unused-bits byte 0, then RSAPublicKey ::= SEQ { n, e } */
		if (bits.len < 1 || bits.v[0] != 0)
			return -WB_EX509BAD;
		k.p = bits.v + 1;
		k.n = bits.len - 1;
		if ((rc = der_expect(&k, 0x30, &seq)))
			return rc;
		der_in(&k, &seq);
		if ((rc = der_expect(&k, 0x02, &n)))
			return rc;
		out->key_bits = x509_int_bits(n.v, n.len);
	} else if (der_oid_is(&oid, OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01))) {
		out->key_type = X509_KEY_EC;
		if (!der_get(&a, &param)) {
			if (der_oid_is(&param, OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07)))
				out->key_bits = 256;
			else if (der_oid_is(&param, OID(0x2b, 0x81, 0x04, 0x00, 0x22)))
				out->key_bits = 384;
			else if (der_oid_is(&param, OID(0x2b, 0x81, 0x04, 0x00, 0x23)))
				out->key_bits = 521;
		}
	} else if (der_oid_is(&oid, OID(0x2b, 0x65, 0x70))) {
		out->key_type = X509_KEY_ED25519;
		out->key_bits = 256;
	}
	return 0;
}

/* ---- extensions ---- */

static int x509_san(const struct der_tlv *octets, struct x509_info *out)
{
	struct der d, g;
	struct der_tlv seq, gn;
	int rc;

	der_in(&d, octets);
	if ((rc = der_expect(&d, 0x30, &seq)))
		return rc;
	der_in(&g, &seq);
	while (g.n) {
		if ((rc = der_get(&g, &gn)))
			return rc;
		if (gn.tag == 0x82) {          /* [2] dNSName IA5String */
			if (!out->san_dns_count)
				x509_printable(out->san_dns0, gn.v, gn.len);
			out->san_dns_count++;
		} else if (gn.tag == 0x87 && gn.len == 4) {   /* [7] iPAddress, IPv4 */
			if (out->san_ip_count < X509_SAN_MAX)
				memcpy(out->san_ip[out->san_ip_count++], gn.v, 4);
		}
	}
	return 0;
}

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (OBJECT IDENTIFIER) */
static int x509_eku(const struct der_tlv *octets, struct x509_info *out)
{
	static const uint8_t id_kp[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03 };   /* 1.3.6.1.5.5.7.3 */
	struct der d, k;
	struct der_tlv seq, oid;
	int rc;

	if (out->eku)
		return -WB_EX509BAD;   /* a second extendedKeyUsage (RFC 5280 §4.2: at most one) */
	der_in(&d, octets);
	if ((rc = der_expect(&d, 0x30, &seq)))
		return rc;
	if (d.n)
		return -WB_EX509BAD;   /* bytes after the SEQUENCE */
	out->eku = X509_EKU_PRESENT;
	der_in(&k, &seq);
	while (k.n) {
		if ((rc = der_expect(&k, 0x06, &oid)))
			return rc;
		if (oid.len == sizeof(id_kp) + 1 && !memcmp(oid.v, id_kp, sizeof(id_kp))) {
			switch (oid.v[sizeof(id_kp)]) {
			case 1: out->eku |= X509_EKU_SERVER; break;
			case 2: out->eku |= X509_EKU_CLIENT; break;
			case 3: out->eku |= X509_EKU_CODESIGN; break;
			case 4: out->eku |= X509_EKU_EMAIL; break;
			case 8: out->eku |= X509_EKU_TIME; break;
			case 9: out->eku |= X509_EKU_OCSP; break;
			default: out->eku |= X509_EKU_OTHER; break;
			}
		} else if (der_oid_is(&oid, OID(0x55, 0x1d, 0x25, 0x00))) {
			out->eku |= X509_EKU_ANY;
		} else {
			out->eku |= X509_EKU_OTHER;
		}
	}
	return 0;
}

static int x509_exts(const struct der_tlv *explicit3, struct x509_info *out)
{
	struct der d, e, x, b;
	struct der_tlv seq, ext, oid, t, octets, bc, ca;
	int rc;

	der_in(&d, explicit3);
	if ((rc = der_expect(&d, 0x30, &seq)))
		return rc;
	der_in(&e, &seq);
	while (e.n) {
		if ((rc = der_expect(&e, 0x30, &ext)))
			return rc;
		der_in(&x, &ext);
		if ((rc = der_expect(&x, 0x06, &oid)) || (rc = der_get(&x, &t)))
			return rc;
		if (t.tag == 0x01) {   /* critical BOOLEAN */
			if ((rc = der_get(&x, &t)))
				return rc;
		}
		if (t.tag != 0x04)
			return -WB_EX509BAD;
		octets = t;
		if (der_oid_is(&oid, OID(0x55, 0x1d, 0x11))) {
			if ((rc = x509_san(&octets, out)))
				return rc;
		} else if (der_oid_is(&oid, OID(0x55, 0x1d, 0x25))) {
			if ((rc = x509_eku(&octets, out)))
				return rc;
		} else if (der_oid_is(&oid, OID(0x55, 0x1d, 0x13))) {
			/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... } */
			der_in(&b, &octets);
			if ((rc = der_expect(&b, 0x30, &bc)))
				return rc;
			der_in(&b, &bc);
			if (b.n && !der_get(&b, &ca) && ca.tag == 0x01 && ca.len == 1 && ca.v[0])
				out->is_ca = 1;
		}
	}
	return 0;
}

int x509_info_parse(const uint8_t *der, size_t len, struct x509_info *out)
{
	struct der d, tbs, v;
	struct der_tlv cert, tbs_t, t, sigalg, issuer, validity, subject, nb, na;
	int rc;

	memset(out, 0, sizeof(*out));
	d.p = der;
	d.n = len;
	if ((rc = der_expect(&d, 0x30, &cert)))
		return rc;
	der_in(&d, &cert);
	if ((rc = der_expect(&d, 0x30, &tbs_t)) || (rc = der_expect(&d, 0x30, &sigalg)))
		return rc;
	x509_sigalg(&sigalg, out);
	der_in(&tbs, &tbs_t);
	if ((rc = der_get(&tbs, &t)))
		return rc;
	if (t.tag == 0xa0 && (rc = der_get(&tbs, &t)))   /* version, then serial */
		return rc;
	if (t.tag != 0x02)
		return -WB_EX509BAD;
	if ((rc = der_expect(&tbs, 0x30, &t)) ||          /* signature AlgorithmIdentifier */
	    (rc = der_expect(&tbs, 0x30, &issuer)) ||
	    (rc = der_expect(&tbs, 0x30, &validity)) ||
	    (rc = der_expect(&tbs, 0x30, &subject)) ||
	    (rc = der_expect(&tbs, 0x30, &t)))            /* subjectPublicKeyInfo */
		return rc;
	if ((rc = x509_spki(&t, out)))
		return rc;
	out->issuer_off = (size_t)(issuer.start - der);
	out->issuer_len = (size_t)(issuer.v + issuer.len - issuer.start);
	out->subject_off = (size_t)(subject.start - der);
	out->subject_len = (size_t)(subject.v + subject.len - subject.start);
	if ((rc = x509_name_cn(&issuer, out->issuer_cn)) || (rc = x509_name_cn(&subject, out->subject_cn)))
		return rc;
	der_in(&v, &validity);
	if ((rc = der_get(&v, &nb)) || (rc = der_get(&v, &na)) ||
	    (rc = x509_time_parse(nb.tag, nb.v, nb.len, &out->not_before)) ||
	    (rc = x509_time_parse(na.tag, na.v, na.len, &out->not_after)))
		return rc;
	while (tbs.n) {
		if ((rc = der_get(&tbs, &t)))
			return rc;
		if (t.tag == 0xa3 && (rc = x509_exts(&t, out)))
			return rc;
	}
	return 0;
}

int x509_info_self_issued(const uint8_t *der, const struct x509_info *xi)
{
	return xi->subject_len == xi->issuer_len &&
	       !memcmp(der + xi->subject_off, der + xi->issuer_off, xi->subject_len);
}

char *x509_eku_names(unsigned eku, char *buf, size_t cap)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ X509_EKU_SERVER, "serverAuth" }, { X509_EKU_CLIENT, "clientAuth" },
		{ X509_EKU_CODESIGN, "codeSigning" }, { X509_EKU_EMAIL, "emailProtection" },
		{ X509_EKU_TIME, "timeStamping" }, { X509_EKU_OCSP, "OCSPSigning" },
		{ X509_EKU_ANY, "anyExtendedKeyUsage" }, { X509_EKU_OTHER, "other purposes" },
	};
	size_t i, n = 0, k;

	if (!cap)
		return buf;
	buf[0] = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(eku & names[i].bit))
			continue;
		k = strlen(names[i].name);
		if (n + (n ? 2 : 0) + k >= cap)
			break;
		if (n) {
			memcpy(buf + n, ", ", 2);
			n += 2;
		}
		memcpy(buf + n, names[i].name, k + 1);
		n += k;
	}
	if (!n && cap > 11)
		memcpy(buf, "no purposes", 12);
	return buf;
}

const char *x509_hash_name(enum x509_hash h)
{
	static const char *const names[] = { "unknown hash", "MD5", "SHA-1", "SHA-224",
					     "SHA-256", "SHA-384", "SHA-512", "none" };

	return (unsigned)h < sizeof(names) / sizeof(names[0]) ? names[h] : "unknown hash";
}
