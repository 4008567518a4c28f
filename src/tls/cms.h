/*
 * cms.h — detached CMS SignedData signatures of images (RFC 5652), as
 * `openssl cms -sign -binary -noattr -in IMG -signer cs.crt -inkey cs.key
 * -certfile ca.crt -outform DER -out IMG.sig` writes them, and their
 * verification (iPXE's imgverify, ipxe.org/cmd/imgverify).
 *
 *   struct cms_signed cs;
 *   rc = cms_parse(sig, sig_len, &cs);          // pure: pointers into @sig
 *   struct cms_verify_opts o = { anchors, n, now, "signer CN or NULL" };
 *   struct cms_result r;
 *   rc = cms_verify(img, img_len, sig, sig_len, &o, &r);   // r.detail says why
 *
 * What cms_parse() accepts: ContentInfo id-signedData (DER, or one PEM
 * block "CMS"/"PKCS7" — see cms_verify), encapContentInfo without eContent
 * (detached), certificates [0] (plain X.509 certificates; other choices are
 * skipped), no crls needed (skipped), the first SignerInfo: sid
 * issuerAndSerialNumber or subjectKeyIdentifier, digestAlgorithm SHA-256,
 * SHA-384 or SHA-512 (SHA-1 refused with its own code), signedAttrs
 * optional (when present: the messageDigest attribute, RFC 5652 §5.4),
 * signatureAlgorithm rsaEncryption, sha{256,384,512}WithRSAEncryption or
 * ecdsa-with-SHA{256,384,512}.
 *
 * What cms_verify() checks, in order, each with its own error (err.h
 * WB_ECMS*): the DER above; the signer's certificate among the bundled
 * ones; a chain from it through the bundled certificates to one of the
 * anchors, validated by BearSSL's x509_minimal (RSA keys >= 2048 bits, no
 * MD5/SHA-1 certificate signatures); each chain certificate's dates against
 * @now when it is known (signing time is ignored, as iPXE does); the
 * signer's extendedKeyUsage lists codeSigning; the signer's CN equals
 * o->signer when given; the image's digest and the signature (PKCS#1 v1.5
 * or ECDSA) with BearSSL primitives.
 */
#ifndef WB_CMS_H
#define WB_CMS_H

#include <stddef.h>
#include <stdint.h>

#include "bearssl.h"
#include "tls/x509_info.h"

enum cms_sigalg { CMS_SIG_RSA = 1, CMS_SIG_ECDSA = 2 };

/* The parts of one detached SignedData the verifier needs; pointers into the DER. */
struct cms_signed {
	/* certificates [0]: the contents of the SET (Certificate TLVs and others) */
	const uint8_t *certs;
	size_t certs_len;
	/* the first SignerInfo's sid: issuerAndSerialNumber or subjectKeyIdentifier */
	int sid_ski;                    /* 1: subjectKeyIdentifier */
	const uint8_t *issuer;          /* whole Name TLV (SEQUENCE) */
	size_t issuer_len;
	const uint8_t *serial;          /* INTEGER contents */
	size_t serial_len;
	const uint8_t *ski;             /* OCTET STRING contents */
	size_t ski_len;
	int hash_id;                    /* br_sha256_ID, br_sha384_ID or br_sha512_ID */
	enum cms_sigalg sigalg;
	/* signedAttrs [0] as sent (tag 0xa0 … ); NULL when absent */
	const uint8_t *attrs;
	size_t attrs_len;
	const uint8_t *msg_digest;      /* messageDigest attribute value (with attrs) */
	size_t msg_digest_len;
	const uint8_t *sig;             /* signature OCTET STRING contents */
	size_t sig_len;
	char why[96];                   /* on WB_ECMSBAD/WB_ECMSALG: what was wrong */
};

/**
 * Parse the DER @der[0..@len) as a detached CMS SignedData.  Pure, no
 * allocation; @out points into @der.  @return 0, -WB_ECMSNOTCMS (not a
 * ContentInfo of id-signedData), -WB_ECMSTRUNC (a length runs past the end),
 * -WB_ECMSBAD (structure; out->why), -WB_ECMSALG (algorithm; out->why),
 * -WB_ECMSSHA1.
 */
int cms_parse(const uint8_t *der, size_t len, struct cms_signed *out);

/**
 * Call @fn for each X.509 certificate (SEQUENCE) in @cs->certs, in order;
 * stops when @fn returns non-zero and returns that value.  0 when all ran.
 */
int cms_each_cert(const struct cms_signed *cs,
		  int (*fn)(void *arg, const uint8_t *der, size_t len), void *arg);

/**
 * The serial number (INTEGER contents) and subjectKeyIdentifier (OCTET
 * STRING contents; NULL/0 when absent) of the certificate @der[0..@len),
 * to find a SignerInfo's signer.  Pure.  @return 0 or a negative WB_ECMS*.
 */
int cms_cert_ids(const uint8_t *der, size_t len, const uint8_t **serial, size_t *serial_len,
		 const uint8_t **ski, size_t *ski_len);

struct cms_verify_opts {
	const br_x509_trust_anchor *anchors;   /* code-signing anchors */
	size_t anchor_count;
	int64_t now;                           /* Unix seconds, or -1 when unknown */
	const char *signer;                    /* required signer CN, or NULL */
};

struct cms_result {
	char signer_cn[X509_CN_MAX + 1];       /* once the signer's certificate is found */
	char issuer_cn[X509_CN_MAX + 1];
	int hash_id;
	enum cms_sigalg sigalg;
	int dates_checked;                     /* 0 when @now was unknown */
	char detail[320];                      /* on failure: which check, which certificate */
};

/**
 * Verify @sig (DER, or PEM with one "CMS" or "PKCS7" block) as a detached
 * signature of @img.  Allocates its work space (plat_malloc) and frees it.
 * @return 0 (r->signer_cn says who signed), or a WB_ECMS* code with
 * r->detail set, -WB_ENOMEM.
 */
int cms_verify(const uint8_t *img, size_t img_len, const uint8_t *sig, size_t sig_len,
	       const struct cms_verify_opts *o, struct cms_result *r);

/** "SHA-256", "SHA-384", "SHA-512" for a BearSSL hash id. */
const char *cms_hash_name(int hash_id);

#endif
