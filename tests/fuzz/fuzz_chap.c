/*
 * fuzz_chap.c — libFuzzer target: CHAP value decoders as a target's login
 * text reaches them (chap_decode_value, chap_parse_id, chap_pick_alg,
 * chap_verify).  Input: NUL-free string (cut at the first NUL).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/chap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t prefs[] = { CHAP_A_SHA256, CHAP_A_SHA1, CHAP_A_MD5 };
	static char s[2 * CHAP_CHALLENGE_MAX + 64];
	uint8_t out[CHAP_CHALLENGE_MAX];
	size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	int rc;

	memcpy(s, data, n);
	s[n] = 0;
	rc = chap_decode_value(s, out, sizeof(out));
	if (rc == 0 || rc > (int)sizeof(out))
		__builtin_trap();
	rc = chap_decode_value(s, out, 16);
	if (rc == 0 || rc > 16)
		__builtin_trap();
	rc = chap_parse_id(s);
	if (rc > 255)
		__builtin_trap();
	rc = chap_pick_alg(s, prefs, sizeof(prefs));
	if (rc > 0 && rc != 5 && rc != 6 && rc != 7)
		__builtin_trap();
	rc = chap_verify(CHAP_A_MD5, 1, (const uint8_t *)"secret-secret", 13, (const uint8_t *)"challenge", 9, s);
	(void)rc;
	return 0;
}
