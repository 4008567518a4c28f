/*
 * fuzz_http.c — libFuzzer target: the HTTP response parser fed in random
 * chunkings.  Byte 0: flags (bit 0 HEAD, bit 1 signal EOF at the end);
 * byte 1: seed for the piece sizes; the rest is the response.  Checks that
 * @used never exceeds what was fed and that the body delivered never
 * exceeds what came in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/http.h"

static int fuzz_body(void *arg, const uint8_t *d, size_t len)
{
	size_t *total = arg;

	*total += len;
	if (len && (d[0] == 0xde && d[len - 1] == 0xad))
		return -1000;   /* the sink may fail too */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_parser p;   /* big; the fuzzer is single-threaded */
	size_t total = 0, off = 2;
	uint32_t seed;
	int rc = HTTP_MORE;

	if (size < 2)
		return 0;
	seed = data[1] * 2654435761u + 1;
	http_parser_init(&p, data[0] & 1, fuzz_body, &total);
	while (off < size || rc == HTTP_HEADERS) {
		size_t n, used = 0;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 64;
		if (n > size - off)
			n = size - off;
		rc = http_parser_feed(&p, data + off, n, &used);
		if (used > n)
			abort();
		off += used;
		if (rc < 0 || rc == 2)
			break;
	}
	if (rc >= 0 && rc != HTTP_DONE && (data[0] & 2))
		http_parser_eof(&p);
	if (total > size || p.body_bytes != total)
		abort();
	return 0;
}
