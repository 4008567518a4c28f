/*
 * x509_info.h — the few facts about an X.509 certificate (RFC 5280) that a
 * refusal message needs: subject and issuer CN, validity, key type and
 * size, signature algorithm, CA flag, subject alternative names.
 *
 * Pure and bounds-checked: a small DER walker over the caller's bytes, no
 * allocation (tests/fuzz/fuzz_x509info.c).  It decides nothing; BearSSL
 * validates the chain, and tls.c makes the two checks BearSSL lacks from
 * these facts: IPv4 host names against IP SANs, and extendedKeyUsage
 * (RFC 5280 §4.2.1.12) of the server certificate.  Strings are made
 * printable ('?' for other bytes) so that they can go to a console.
 */
#ifndef WB_X509_INFO_H
#define WB_X509_INFO_H

#include <stddef.h>
#include <stdint.h>

#define X509_CN_MAX   64
#define X509_SAN_MAX  8

enum x509_key_type { X509_KEY_UNKNOWN, X509_KEY_RSA, X509_KEY_EC, X509_KEY_ED25519 };

/* Hash of the signature algorithm: BearSSL's ids (br_md5_ID = 1 … br_sha512_ID = 6). */
enum x509_hash { X509_HASH_UNKNOWN = 0, X509_HASH_MD5 = 1, X509_HASH_SHA1 = 2,
		 X509_HASH_SHA224 = 3, X509_HASH_SHA256 = 4, X509_HASH_SHA384 = 5,
		 X509_HASH_SHA512 = 6, X509_HASH_NONE = 7 /* Ed25519 */ };

/* extendedKeyUsage facts (x509_info.eku): KeyPurposeIds, RFC 5280 §4.2.1.12 */
#define X509_EKU_PRESENT   0x001   /* the certificate has the extension */
#define X509_EKU_SERVER    0x002   /* id-kp-serverAuth 1.3.6.1.5.5.7.3.1 */
#define X509_EKU_CLIENT    0x004   /* id-kp-clientAuth .3.2 */
#define X509_EKU_CODESIGN  0x008   /* id-kp-codeSigning .3.3 */
#define X509_EKU_EMAIL     0x010   /* id-kp-emailProtection .3.4 */
#define X509_EKU_TIME      0x020   /* id-kp-timeStamping .3.8 */
#define X509_EKU_OCSP      0x040   /* id-kp-OCSPSigning .3.9 */
#define X509_EKU_ANY       0x080   /* anyExtendedKeyUsage 2.5.29.37.0 */
#define X509_EKU_OTHER     0x100   /* any other purpose */

struct x509_info {
	char subject_cn[X509_CN_MAX + 1];   /* "" when the name has no CN */
	char issuer_cn[X509_CN_MAX + 1];
	/* the whole Name TLVs (SEQUENCE), as offsets into the DER given */
	size_t subject_off, subject_len;
	size_t issuer_off, issuer_len;
	int64_t not_before, not_after;      /* Unix seconds */
	enum x509_key_type key_type;
	unsigned key_bits;                  /* RSA modulus / EC curve size; 0 unknown */
	int sig_rsa;                        /* 1 RSA signature, 0 ECDSA/other */
	enum x509_hash sig_hash;
	int is_ca;                          /* basicConstraints cA = TRUE */
	unsigned san_dns_count;             /* dNSName entries seen (all) */
	char san_dns0[X509_CN_MAX + 1];     /* the first one */
	unsigned san_ip_count;              /* IPv4 iPAddress entries kept in san_ip */
	uint8_t san_ip[X509_SAN_MAX][4];
	unsigned eku;                       /* X509_EKU_* bits; 0: no extendedKeyUsage */
};

/**
 * Decode @der[0..@len) (one Certificate).  Fills every field of @out.
 * @return 0, or -WB_EX509BAD if the bytes are not a certificate this walker
 * understands (then @out is partially filled and must not be trusted).  An
 * extendedKeyUsage that is not a SEQUENCE of OIDs, or a second one, is
 * -WB_EX509BAD too: a check built on @out->eku must then fail closed.
 */
int x509_info_parse(const uint8_t *der, size_t len, struct x509_info *out);

/** Same name: @a and @b DN bytes identical (DER is canonical enough for this). */
int x509_info_self_issued(const uint8_t *der, const struct x509_info *xi);

/**
 * The purposes in @eku (X509_EKU_* bits) as "serverAuth, clientAuth, …" in
 * @buf (always NUL-terminated, @cap > 0); "no purposes" for an empty list.
 * @return @buf.
 */
char *x509_eku_names(unsigned eku, char *buf, size_t cap);

/** "SHA-1", "SHA-256", … for messages. */
const char *x509_hash_name(enum x509_hash h);

/**
 * Convert an ASN.1 UTCTime (@tag 0x17) or GeneralizedTime (0x18) body to Unix
 * seconds.  @return 0 or -WB_EX509BAD.
 */
int x509_time_parse(uint8_t tag, const uint8_t *p, size_t n, int64_t *out);

#endif
