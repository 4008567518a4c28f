/*
 * chap.h — CHAP for iSCSI login, sans-I/O (RFC 1994 §4.1, RFC 7143 §12.1.3,
 * IANA "PPP Authentication Algorithms": 5 = MD5, 6 = SHA-1, 7 = SHA-256).
 *
 * The exchange (RFC 7143 §12.1.3):
 *   I->T  CHAP_A=<A1,A2,...>             our algorithms, preference order
 *   T->I  CHAP_A=<A> CHAP_I=<I> CHAP_C=<C>
 *   I->T  CHAP_N=<user> CHAP_R=<H(I || secret || C)>
 *         [mutual: CHAP_I=<I'> CHAP_C=<C'>]
 *   T->I  [mutual: CHAP_N=<target user> CHAP_R=<H(I' || reverse secret || C')>]
 * This module computes and checks the values; a login layer sends them.
 * It never logs and never keeps a secret: secrets are passed in per call.
 */
#ifndef WB_CHAP_H
#define WB_CHAP_H

#include <stddef.h>
#include <stdint.h>

enum chap_alg {
	CHAP_A_MD5 = 5,
	CHAP_A_SHA1 = 6,
	CHAP_A_SHA256 = 7,
};

#define CHAP_DIGEST_MAX     32    /* SHA-256 */
#define CHAP_CHALLENGE_MAX  1024  /* RFC 7143 §12.1.3: binary length of CHAP_C at most 1024 bytes */
#define CHAP_SECRET_MIN     12    /* RFC 7143 §12.1.3 recommends at least 12 bytes (96 bits) */

/** Digest length of @alg (16, 20, 32), or 0 for an algorithm we do not do. */
size_t chap_digest_len(int alg);

/**
 * RFC 1994 §4.1 response: H(@id || @secret || @challenge) into @out
 * (CHAP_DIGEST_MAX bytes).  Returns the digest length or -WB_ECHAPALG.  Pure.
 */
int chap_response(int alg, uint8_t id, const uint8_t *secret, size_t secret_len,
		  const uint8_t *challenge, size_t challenge_len, uint8_t out[CHAP_DIGEST_MAX]);

/**
 * Format our preference order @prefs (@n algorithm numbers) as a CHAP_A
 * value "7,6,5" into @out (@cap bytes).  Unknown algorithms are skipped.
 * Returns the string length, -WB_ETOOBIG, or -WB_ECHAPALG when none is left.
 */
int chap_alg_list(const uint8_t *prefs, size_t n, char *out, size_t cap);

/**
 * Choose the algorithm from the target's CHAP_A value @theirs (one number,
 * as a target answers, or a list): the first of our @prefs that appears in
 * it.  Returns the algorithm (5, 6, 7) or -WB_ECHAPALG (nothing in common,
 * e.g. a target insisting on an algorithm we were not configured for).
 */
int chap_pick_alg(const char *theirs, const uint8_t *prefs, size_t n);

/** CHAP_I: a number 0..255 in any §6.1 encoding.  Returns it or -WB_ECHAPVALUE. */
int chap_parse_id(const char *s);

/**
 * Decode a CHAP_C or CHAP_R value ("0x" hex or "0b" base64, RFC 7143 §6.1)
 * into @out (@cap bytes).  Returns the byte length (>= 1) or -WB_ECHAPVALUE
 * (bad encoding, empty, longer than @cap or CHAP_CHALLENGE_MAX).
 */
int chap_decode_value(const char *s, uint8_t *out, size_t cap);

/** Encode bytes as a CHAP value ("0x" hex).  Length or -WB_ETOOBIG. */
int chap_encode_value(const uint8_t *in, size_t len, char *out, size_t cap);

/**
 * Refuse a reflected challenge (RFC 3720 §8.2.1, RFC 7143 §12.1.3): the
 * target's CHAP_C @theirs (decoded, @tlen bytes) must not equal a
 * challenge we issued, @ours (@olen bytes) — otherwise the target may be
 * using us to answer our own challenge.  0 or -WB_ECHAPREFLECT.
 */
int chap_check_reflection(const uint8_t *theirs, size_t tlen, const uint8_t *ours, size_t olen);

/**
 * Mutual CHAP: check the target's CHAP_R text @response against
 * H(@id || @secret || @challenge) where @id/@challenge are what we sent.
 * Constant-time compare.  0, -WB_ECHAPMUTUAL (wrong or wrong-length
 * response), -WB_ECHAPVALUE (undecodable), -WB_ECHAPALG.
 */
int chap_verify(int alg, uint8_t id, const uint8_t *secret, size_t secret_len,
		const uint8_t *challenge, size_t challenge_len, const char *response);

/**
 * Refuse a mirrored mutual response (RFC 7143 §12.1.3: a CHAP response equal
 * to the one the receiver itself would give to that challenge is an
 * authentication failure): the target's CHAP_R text @response must not be
 * H(@id || @fwd_secret || @challenge), where @fwd_secret is *our* secret
 * (password) and @id/@challenge are what we sent.  Such an answer proves
 * only that someone got us to answer our own challenge (e.g. on a parallel
 * login), or that both directions share one secret.  Constant-time.
 * 0 (not a mirror, or undecodable: chap_verify() reports that),
 * -WB_ECHAPMIRROR, -WB_ECHAPALG.
 */
int chap_check_mirror(int alg, uint8_t id, const uint8_t *fwd_secret, size_t fwd_len,
		      const uint8_t *challenge, size_t challenge_len, const char *response);

/**
 * Parse a CHAP_A preference list as a user writes it ("7,6,5", "5", "7, 5")
 * into @out (0-terminated when shorter than 3).  Only 5, 6, 7, each at most
 * once, at least one.  Pure.  0 or -WB_ECHAPALGLIST.
 */
int chap_parse_alg_list(const char *s, uint8_t out[3]);

/* chap_secret_warnings() flags */
#define CHAP_WARN_SHORT_SECRET   0x1  /* forward secret under CHAP_SECRET_MIN bytes */
#define CHAP_WARN_SHORT_RSECRET  0x2  /* reverse secret under CHAP_SECRET_MIN bytes */
#define CHAP_WARN_SAME_SECRET    0x4  /* forward and reverse secrets equal (reflection risk) */

/**
 * Warnings about configured secrets, for the caller to print (this never
 * prints, and the flags reveal nothing but lengths/equality).  @rsecret may
 * be NULL when there is no mutual CHAP.  Returns CHAP_WARN_* flags.
 */
unsigned chap_secret_warnings(const uint8_t *secret, size_t slen, const uint8_t *rsecret, size_t rslen);

#endif
