/*
 * test_chap.c — CHAP responses and helpers (RFC 1994 §4.1, RFC 7143 §12.1.3).
 *
 * Vectors:
 *  - hash known answers through the CHAP construction: with Identifier
 *    'a' (0x61), secret "bc" and an empty challenge, the response is
 *    H("abc"): RFC 1321 §A.5 MD5("abc"), FIPS 180-2 SHA-1("abc") and
 *    SHA-256("abc") — published values, independent of this code.
 *  - full CHAP responses generated with Python 3 hashlib on the build host:
 *      python3 -c "import hashlib; print(hashlib.new(ALG,
 *          bytes([ID]) + SECRET + CHALLENGE).hexdigest())"
 *    for ID 0x2a, SECRET b'wireboot-chap-secret', CHALLENGE bytes(range(0xa0,0xb0))
 *    and ID 0xff, SECRET b'reverse-secret-12',
 *    CHALLENGE bytes.fromhex('00112233445566778899aabbccddeeff0011').
 */
#define UNIT_NAME "chap"
#include <stdint.h>

#include "core/err.h"
#include "proto/chap.h"
#include "unit.h"

static int hexeq(const uint8_t *b, int n, const char *hex)
{
	char s[2 * CHAP_DIGEST_MAX + 1];

	if (n < 0 || (size_t)n * 2 != strlen(hex))
		return 0;
	for (int i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02x", b[i]);
	return !strcmp(s, hex);
}

static void test_response(void)
{
	uint8_t out[CHAP_DIGEST_MAX], ch1[16], ch2[18];
	static const uint8_t ch2_init[18] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
					      0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11 };
	const uint8_t *s1 = (const uint8_t *)"wireboot-chap-secret", *s2 = (const uint8_t *)"reverse-secret-12";
	static const struct { int alg; const char *abc, *v1, *v2; } t[] = {
		{ CHAP_A_MD5, "900150983cd24fb0d6963f7d28e17f72",
		  "45682a5c587e3eed74513e6dbe779974", "c9b57fcf28ba8b212545dfdaae4e0fd2" },
		{ CHAP_A_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d",
		  "6d6f4be77fcd50c4bec05e1d686523457d8738f3", "3aad30c058c1804bdff6bfd91c1a1654b34d2c25" },
		{ CHAP_A_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		  "c75310757a7822391229c2de29231b6caad9ff5418213deb2cc47b8ecdbfe3a1",
		  "ae45ed65a96f2a358716a79894b98d930dc91b0b544649152164f1f220a35efd" },
	};
	char name[80];

	for (int i = 0; i < 16; i++)
		ch1[i] = (uint8_t)(0xa0 + i);
	memcpy(ch2, ch2_init, sizeof(ch2));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "CHAP_A=%d: H('a' || \"bc\" || \"\") = H(\"abc\")", t[i].alg);
		CHECK(name, hexeq(out, chap_response(t[i].alg, 'a', (const uint8_t *)"bc", 2, NULL, 0, out), t[i].abc));
		snprintf(name, sizeof(name), "CHAP_A=%d: vector 1 (id 0x2a)", t[i].alg);
		CHECK(name, hexeq(out, chap_response(t[i].alg, 0x2a, s1, 20, ch1, 16, out), t[i].v1));
		snprintf(name, sizeof(name), "CHAP_A=%d: vector 2 (id 0xff)", t[i].alg);
		CHECK(name, hexeq(out, chap_response(t[i].alg, 0xff, s2, 17, ch2, 18, out), t[i].v2));
	}
	CHECK("digest lengths", chap_digest_len(5) == 16 && chap_digest_len(6) == 20 && chap_digest_len(7) == 32 &&
	      chap_digest_len(128) == 0);
	CHECK("unknown algorithm refused", chap_response(128, 1, s1, 20, ch1, 16, out) == -WB_ECHAPALG);
}

static void test_alg(void)
{
	static const uint8_t prefs[] = { CHAP_A_SHA256, CHAP_A_SHA1, CHAP_A_MD5 };
	static const uint8_t md5only[] = { CHAP_A_MD5 };
	static const uint8_t junk[] = { 128, 3 };
	char s[16];

	CHECK("offer list 7,6,5", chap_alg_list(prefs, 3, s, sizeof(s)) == 5 && !strcmp(s, "7,6,5"));
	CHECK("offer list too small", chap_alg_list(prefs, 3, s, 5) == -WB_ETOOBIG);
	CHECK("offer list of unknown algorithms", chap_alg_list(junk, 2, s, sizeof(s)) == -WB_ECHAPALG);
	CHECK("target answers 5 (tgt)", chap_pick_alg("5", prefs, 3) == CHAP_A_MD5);
	CHECK("target answers 7", chap_pick_alg("7", prefs, 3) == CHAP_A_SHA256);
	CHECK("target list: our preference wins", chap_pick_alg("5,6,7", prefs, 3) == CHAP_A_SHA256);
	CHECK("target list with unknown values", chap_pick_alg("128,0x6,129", prefs, 3) == CHAP_A_SHA1);
	CHECK("target wants SHA-256, we allow only MD5", chap_pick_alg("7", md5only, 1) == -WB_ECHAPALG);
	CHECK("target wants an unregistered algorithm", chap_pick_alg("128", prefs, 3) == -WB_ECHAPALG);
	CHECK("garbage CHAP_A", chap_pick_alg("md5", prefs, 3) == -WB_ECHAPALG);
}

static void test_values(void)
{
	uint8_t b[CHAP_CHALLENGE_MAX + 8];
	char s[80];
	static char big[2 * (CHAP_CHALLENGE_MAX + 1) + 3];

	CHECK("CHAP_I 0", chap_parse_id("0") == 0);
	CHECK("CHAP_I 255", chap_parse_id("255") == 255);
	CHECK("CHAP_I 0xff", chap_parse_id("0xff") == 255);
	CHECK("CHAP_I 256 refused", chap_parse_id("256") == -WB_ECHAPVALUE);
	CHECK("CHAP_I text refused", chap_parse_id("x") == -WB_ECHAPVALUE);
	CHECK("CHAP_C hex", chap_decode_value("0xa0a1a2a3a4a5a6a7a8a9aaabacadaeaf", b, sizeof(b)) == 16 && b[15] == 0xaf);
	/* base64 of bytes a0..af, from python3 base64.b64encode(bytes(range(0xa0, 0xb0))) */
	CHECK("CHAP_C base64", chap_decode_value("0boKGio6SlpqeoqaqrrK2urw==", b, sizeof(b)) == 16 && b[0] == 0xa0 &&
	      b[15] == 0xaf);
	CHECK("CHAP_C empty refused", chap_decode_value("0x", b, sizeof(b)) == -WB_ECHAPVALUE);
	CHECK("CHAP_C plain text refused", chap_decode_value("abcdef", b, sizeof(b)) == -WB_ECHAPVALUE);
	CHECK("CHAP_C over the buffer refused", chap_decode_value("0x010203", b, 2) == -WB_ECHAPVALUE);
	big[0] = '0';
	big[1] = 'x';
	memset(big + 2, '7', 2 * CHAP_CHALLENGE_MAX);
	CHECK("CHAP_C of 1024 bytes accepted", chap_decode_value(big, b, sizeof(b)) == CHAP_CHALLENGE_MAX);
	big[2 + 2 * CHAP_CHALLENGE_MAX] = '7';
	big[3 + 2 * CHAP_CHALLENGE_MAX] = '7';
	CHECK("CHAP_C of 1025 bytes refused", chap_decode_value(big, b, sizeof(b)) == -WB_ECHAPVALUE);
	CHECK("encode", chap_encode_value((const uint8_t *)"\xde\xad", 2, s, sizeof(s)) == 6 && !strcmp(s, "0xdead"));
}

static void test_mutual(void)
{
	uint8_t ours[16], theirs[16], r[CHAP_DIGEST_MAX];
	char resp[2 * CHAP_DIGEST_MAX + 3];
	const uint8_t *rs = (const uint8_t *)"reverse-secret-12";

	for (int i = 0; i < 16; i++)
		ours[i] = theirs[i] = (uint8_t)(0xa0 + i);
	CHECK("reflected challenge refused", chap_check_reflection(theirs, 16, ours, 16) == -WB_ECHAPREFLECT);
	theirs[15] ^= 1;
	CHECK("different challenge accepted", chap_check_reflection(theirs, 16, ours, 16) == 0);
	CHECK("prefix of our challenge is not a reflection", chap_check_reflection(ours, 15, ours, 16) == 0);

	/* the target proves itself: it computes H(I' || reverse secret || C') */
	int n = chap_response(CHAP_A_MD5, 77, rs, 17, ours, 16, r);
	chap_encode_value(r, (size_t)n, resp, sizeof(resp));
	CHECK("mutual: right response accepted", chap_verify(CHAP_A_MD5, 77, rs, 17, ours, 16, resp) == 0);
	CHECK("mutual: wrong identifier", chap_verify(CHAP_A_MD5, 78, rs, 17, ours, 16, resp) == -WB_ECHAPMUTUAL);
	CHECK("mutual: wrong secret", chap_verify(CHAP_A_MD5, 77, (const uint8_t *)"reverse-secret-13", 17, ours, 16,
						  resp) == -WB_ECHAPMUTUAL);
	CHECK("mutual: right bytes, wrong algorithm length", chap_verify(CHAP_A_SHA256, 77, rs, 17, ours, 16, resp) ==
	      -WB_ECHAPMUTUAL);
	resp[n * 2] = 0; /* drop the last byte */
	CHECK("mutual: truncated response", chap_verify(CHAP_A_MD5, 77, rs, 17, ours, 16, resp) == -WB_ECHAPMUTUAL);
	CHECK("mutual: undecodable response", chap_verify(CHAP_A_MD5, 77, rs, 17, ours, 16, "0xzz") == -WB_ECHAPVALUE);
	CHECK("mutual: no response", chap_verify(CHAP_A_MD5, 77, rs, 17, ours, 16, "") == -WB_ECHAPVALUE);

	CHECK("secrets: fine", chap_secret_warnings((const uint8_t *)"twelve-bytes", 12, rs, 17) == 0);
	CHECK("secrets: short forward", chap_secret_warnings((const uint8_t *)"short", 5, NULL, 0) ==
	      CHAP_WARN_SHORT_SECRET);
	CHECK("secrets: short reverse", chap_secret_warnings(rs, 17, (const uint8_t *)"eleven-byte", 11) ==
	      CHAP_WARN_SHORT_RSECRET);
	CHECK("secrets: same both ways", chap_secret_warnings(rs, 17, rs, 17) == CHAP_WARN_SAME_SECRET);
}

/* RFC 7143 section 12.1.3: a mutual response equal to our own answer is no proof */
static void test_mirror(void)
{
	uint8_t ours[32], r[CHAP_DIGEST_MAX];
	char resp[2 * CHAP_DIGEST_MAX + 3], name[64];
	const uint8_t *fs = (const uint8_t *)"wireboot-chap-secret", *rs = (const uint8_t *)"reverse-secret-12";
	static const int algs[] = { CHAP_A_MD5, CHAP_A_SHA1, CHAP_A_SHA256 };

	for (int i = 0; i < 32; i++)
		ours[i] = (uint8_t)(0x40 + 3 * i);
	for (size_t k = 0; k < sizeof(algs) / sizeof(algs[0]); k++) {
		int a = algs[k], n;
		size_t cl = chap_digest_len(a);

		/* the target "proves itself" with our (forward) secret */
		n = chap_response(a, 9, fs, 20, ours, cl, r);
		chap_encode_value(r, (size_t)n, resp, sizeof(resp));
		snprintf(name, sizeof(name), "mirror (alg %d): our own answer refused", a);
		CHECK(name, chap_check_mirror(a, 9, fs, 20, ours, cl, resp) == -WB_ECHAPMIRROR);
		/* the honest proof with the reverse secret is no mirror */
		n = chap_response(a, 9, rs, 17, ours, cl, r);
		chap_encode_value(r, (size_t)n, resp, sizeof(resp));
		snprintf(name, sizeof(name), "mirror (alg %d): reverse-secret proof passes", a);
		CHECK(name, chap_check_mirror(a, 9, fs, 20, ours, cl, resp) == 0);
	}
	CHECK("mirror: another identifier is not our answer",
	      chap_check_mirror(CHAP_A_MD5, 10, fs, 20, ours, 16, resp) == 0);
	CHECK("mirror: undecodable left to chap_verify", chap_check_mirror(CHAP_A_MD5, 9, fs, 20, ours, 16, "0xzz") == 0);
	CHECK("mirror: unknown algorithm", chap_check_mirror(128, 9, fs, 20, ours, 16, "0x00") == -WB_ECHAPALG);
}

/* chap-algorithms / --chap-alg */
static void test_alg_list(void)
{
	static const struct { const char *in; int rc; uint8_t want[3]; } t[] = {
		{ "7,6,5", 0, { 7, 6, 5 } },
		{ "5", 0, { 5, 0, 0 } },
		{ "7,5", 0, { 7, 5, 0 } },
		{ " 6 , 5 ", 0, { 6, 5, 0 } },
		{ "", -WB_ECHAPALGLIST, { 0 } },
		{ "5,", -WB_ECHAPALGLIST, { 0 } },
		{ ",5", -WB_ECHAPALGLIST, { 0 } },
		{ "5,5", -WB_ECHAPALGLIST, { 0 } },
		{ "4", -WB_ECHAPALGLIST, { 0 } },
		{ "8", -WB_ECHAPALGLIST, { 0 } },
		{ "57", -WB_ECHAPALGLIST, { 0 } },
		{ "md5", -WB_ECHAPALGLIST, { 0 } },
		{ "7,6,5,5", -WB_ECHAPALGLIST, { 0 } },
		{ "5;7", -WB_ECHAPALGLIST, { 0 } },
	};
	uint8_t a[3];
	char name[64];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc;

		memset(a, 0xee, sizeof(a));
		rc = chap_parse_alg_list(t[i].in, a);
		snprintf(name, sizeof(name), "alg list \"%s\"", t[i].in);
		CHECK(name, rc == t[i].rc && !memcmp(a, t[i].want, 3));
	}
	CHECK("alg list NULL", chap_parse_alg_list(NULL, a) == -WB_ECHAPALGLIST);
}

int main(void)
{
	test_response();
	test_alg();
	test_values();
	test_mutual();
	test_mirror();
	test_alg_list();
	return unit_done();
}
