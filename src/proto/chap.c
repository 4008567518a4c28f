/*
 * chap.c — CHAP values for iSCSI (see chap.h).
 *
 * How this works: the response is RFC 1994 §4.1's one-way hash over the
 * Identifier byte, the secret and the challenge, with the hash chosen by
 * the CHAP_A number (IANA PPP Authentication Algorithms registry; RFC 7143
 * §12.1.3 names 5 = MD5, 6 = SHA-1 (RFC 3174), 7 = SHA-256 (RFC 6234)).
 * Hashes come from BearSSL.  Values on the wire use the §6.1 binary
 * encodings, decoded by iscsi_text_decode_binary().
 */
#include <string.h>

#include "bearssl.h"
#include "core/err.h"
#include "proto/chap.h"
#include "proto/iscsi_text.h"

size_t chap_digest_len(int alg)
{
	switch (alg) {
	case CHAP_A_MD5: return br_md5_SIZE;
	case CHAP_A_SHA1: return br_sha1_SIZE;
	case CHAP_A_SHA256: return br_sha256_SIZE;
	default: return 0;
	}
}

int chap_response(int alg, uint8_t id, const uint8_t *secret, size_t secret_len,
		  const uint8_t *challenge, size_t challenge_len, uint8_t out[CHAP_DIGEST_MAX])
{
	const br_hash_class *h;
	br_hash_compat_context ctx;

	switch (alg) {
	case CHAP_A_MD5: h = &br_md5_vtable; break;
	case CHAP_A_SHA1: h = &br_sha1_vtable; break;
	case CHAP_A_SHA256: h = &br_sha256_vtable; break;
	default: return -WB_ECHAPALG;
	}
	h->init(&ctx.vtable);
	h->update(&ctx.vtable, &id, 1);
	h->update(&ctx.vtable, secret, secret_len);
	h->update(&ctx.vtable, challenge, challenge_len);
	h->out(&ctx.vtable, out);
	/* the context held secret-derived state */
	memset(&ctx, 0, sizeof(ctx));
	return (int)chap_digest_len(alg);
}

int chap_alg_list(const uint8_t *prefs, size_t n, char *out, size_t cap)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (!chap_digest_len(prefs[i]))
			continue;
		if (len + (len ? 2 : 1) + 1 > cap)
			return -WB_ETOOBIG;
		if (len)
			out[len++] = ',';
		out[len++] = (char)('0' + prefs[i]);
	}
	if (!len)
		return -WB_ECHAPALG;
	out[len] = 0;
	return (int)len;
}

/* is algorithm @alg in the comma-separated list @list? */
static int list_has_alg(const char *list, int alg)
{
	const char *p = list;
	char item[24];

	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		uint64_t v;

		if (len < sizeof(item)) {
			memcpy(item, p, len);
			item[len] = 0;
			if (iscsi_text_parse_number(item, &v) == 0 && v == (uint64_t)alg)
				return 1;
		}
		if (!e)
			return 0;
		p = e + 1;
	}
}

int chap_pick_alg(const char *theirs, const uint8_t *prefs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (chap_digest_len(prefs[i]) && list_has_alg(theirs, prefs[i]))
			return prefs[i];
	return -WB_ECHAPALG;
}

int chap_parse_id(const char *s)
{
	uint64_t v;

	if (iscsi_text_parse_number(s, &v) < 0 || v > 255)
		return -WB_ECHAPVALUE;
	return (int)v;
}

int chap_decode_value(const char *s, uint8_t *out, size_t cap)
{
	int n;

	if (cap > CHAP_CHALLENGE_MAX)
		cap = CHAP_CHALLENGE_MAX;
	n = iscsi_text_decode_binary(s, out, cap);
	if (n <= 0)
		return -WB_ECHAPVALUE;
	return n;
}

int chap_encode_value(const uint8_t *in, size_t len, char *out, size_t cap)
{
	return iscsi_text_encode_hex(in, len, out, cap);
}

int chap_check_reflection(const uint8_t *theirs, size_t tlen, const uint8_t *ours, size_t olen)
{
	if (tlen == olen && !memcmp(theirs, ours, tlen))
		return -WB_ECHAPREFLECT;
	return 0;
}

int chap_verify(int alg, uint8_t id, const uint8_t *secret, size_t secret_len,
		const uint8_t *challenge, size_t challenge_len, const char *response)
{
	uint8_t want[CHAP_DIGEST_MAX], got[CHAP_CHALLENGE_MAX];
	unsigned diff = 0;
	int n, m;

	n = chap_response(alg, id, secret, secret_len, challenge, challenge_len, want);
	if (n < 0)
		return n;
	m = chap_decode_value(response, got, sizeof(got));
	if (m < 0)
		return m;
	if (m != n)
		return -WB_ECHAPMUTUAL;
	for (int i = 0; i < n; i++)
		diff |= (unsigned)(want[i] ^ got[i]);
	memset(want, 0, sizeof(want));
	return diff ? -WB_ECHAPMUTUAL : 0;
}

int chap_check_mirror(int alg, uint8_t id, const uint8_t *fwd_secret, size_t fwd_len,
		      const uint8_t *challenge, size_t challenge_len, const char *response)
{
	int rc = chap_verify(alg, id, fwd_secret, fwd_len, challenge, challenge_len, response);

	if (rc == 0)
		return -WB_ECHAPMIRROR;
	return rc == -WB_ECHAPALG ? rc : 0;
}

int chap_parse_alg_list(const char *s, uint8_t out[3])
{
	uint8_t a[3] = { 0, 0, 0 };
	size_t n = 0;

	memset(out, 0, 3);
	if (!s)
		return -WB_ECHAPALGLIST;
	for (;;) {
		while (*s == ' ')
			s++;
		if (*s < '5' || *s > '7' || n == 3)
			return -WB_ECHAPALGLIST;
		for (size_t i = 0; i < n; i++)
			if (a[i] == (uint8_t)(*s - '0'))
				return -WB_ECHAPALGLIST;   /* listed twice */
		a[n++] = (uint8_t)(*s++ - '0');
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s++ != ',')
			return -WB_ECHAPALGLIST;
	}
	memcpy(out, a, 3);
	return 0;
}

unsigned chap_secret_warnings(const uint8_t *secret, size_t slen, const uint8_t *rsecret, size_t rslen)
{
	unsigned f = 0;

	if (slen < CHAP_SECRET_MIN)
		f |= CHAP_WARN_SHORT_SECRET;
	if (rsecret) {
		if (rslen < CHAP_SECRET_MIN)
			f |= CHAP_WARN_SHORT_RSECRET;
		if (rslen == slen && !memcmp(secret, rsecret, slen))
			f |= CHAP_WARN_SAME_SECRET;
	}
	return f;
}
