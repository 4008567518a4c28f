/*
 * fuzz_mask.c — libFuzzer target: script/mask.c, which decides what of an
 * echoed script line (a failing line, U-Boot's load options) is a secret.
 *
 * Input: byte 0 is the output size for a cut copy (0-255); byte 1 bit 0
 * builds the text as "set password TOKEN && REST", where TOKEN is the
 * input's letters and digits up to the first '|' (at least 4) and REST is
 * what follows; otherwise the text is the input itself.
 *
 * Checks: the returned length equals what a big enough buffer receives;
 * a cut copy is NUL-terminated inside its buffer; with a TOKEN set
 * literally, the masked text holds TOKEN fewer times than the input does;
 * script_mask_values() with TOKEN as the secret leaves no TOKEN at all.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/mask.h"

static size_t count(const char *s, const char *t)
{
	size_t n = 0, tl = strlen(t);

	for (const char *p = s; (p = strstr(p, t)); p += tl)
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *out, *cut, token[64] = "";
	size_t n, cap, tl = 0, off = 2;
	const char *secrets[1];

	if (size < 2)
		return 0;
	cap = data[0];
	in = malloc(size + 32);
	if (!in)
		return 0;
	if (data[1] & 1) {
		while (off < size && data[off] != '|' && tl < sizeof(token) - 1) {
			char c = (char)data[off++];

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
				token[tl++] = c;
		}
		token[tl] = '\0';
		if (off < size)
			off++;   /* the '|' */
		if (tl < 4) {
			free(in);
			return 0;
		}
		n = (size_t)snprintf(in, size + 32, "set password %s && ", token);
		memcpy(in + n, data + off, size - off);
		in[n + size - off] = '\0';
	} else {
		memcpy(in, data + 2, size - 2);
		in[size - 2] = '\0';
	}
	n = script_mask_secrets(in, NULL, 0);
	out = malloc(n + 1);
	cut = malloc(cap + 1);
	if (!out || !cut)
		goto out;
	if (script_mask_secrets(in, out, n + 1) != n || strlen(out) != n)
		abort();
	memset(cut, 'x', cap + 1);
	if (script_mask_secrets(in, cut, cap) != n || (cap && strlen(cut) >= cap))
		abort();
	if (tl && count(out, token) >= count(in, token))
		abort();   /* the literal `set password TOKEN` was not masked */
	free(out);
	secrets[0] = token;
	n = script_mask_values(in, secrets, 1, NULL, 0);
	out = malloc(n + 1);
	if (!out)
		goto out;
	if (script_mask_values(in, secrets, 1, out, n + 1) != n)
		abort();
	if (tl && strstr(out, token))
		abort();   /* a secret value left in the text */
out:
	free(out);
	free(cut);
	free(in);
	return 0;
}
