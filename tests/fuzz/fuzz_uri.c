/*
 * fuzz_uri.c — libFuzzer target: uri_parse, uri_format round trip,
 * uri_resolve.  Input "BASE\nREF" (or just REF against a fixed base).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "proto/uri.h"

static void fuzz_uri_roundtrip(const struct uri *u)
{
	size_t n = uri_format(u, NULL, 0);
	char *s = malloc(n + 1);
	struct uri again;

	uri_format(u, s, n + 1);
	/* what we format must parse again, to the same text */
	if (uri_parse(s, &again) == 0) {
		char *t = malloc(n + 1);

		if (uri_format(&again, t, n + 1) != n || strcmp(s, t))
			abort();
		free(t);
		uri_free(&again);
	} else if (n <= URI_MAX) {
		abort();
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *nl;
	const char *base_s = "http://a/b/c/d;p?q", *ref_s;
	struct uri base, ref, t;

	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		base_s = text;
		ref_s = nl + 1;
	} else {
		ref_s = text;
	}
	if (uri_parse(ref_s, &ref) == 0) {
		fuzz_uri_roundtrip(&ref);
		if (uri_parse(base_s, &base) == 0) {
			if (uri_resolve(&base, &ref, &t) == 0) {
				fuzz_uri_roundtrip(&t);
				uri_free(&t);
			}
			uri_free(&base);
		}
		uri_free(&ref);
	}
	free(text);
	return 0;
}
