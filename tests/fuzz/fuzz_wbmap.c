/*
 * fuzz_wbmap.c — libFuzzer target: the .wbmap manifest (wbmap_parse,
 * wbmap_chunk_len, wbmap_check).  What wbmap_parse accepts must be
 * consistent: its hashes lie inside the input, the input is exactly
 * 24 + 32 × chunks bytes, the chunk size is a power of two in range, and
 * the chunk lengths add up to the image size (checked at both ends).  The
 * input is also fed with its length field fixed so the hash and check paths
 * are reached, and a manifest of the input's own bytes is made with the
 * writer and must verify them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "san/wbmap.h"

static void one(const uint8_t *buf, size_t size)
{
	struct wbmap m;
	uint64_t last;
	uint32_t l;
	int rc;

	if (wbmap_parse(buf, size, &m) != 0)
		return;
	if (m.hashes != buf + WBMAP_HEADER || size != WBMAP_HEADER + 32 * m.chunks || !m.chunks)
		__builtin_trap();
	if (m.chunk_size < WBMAP_CHUNK_MIN || m.chunk_size > WBMAP_CHUNK_MAX ||
	    (m.chunk_size & (m.chunk_size - 1)) || !m.image_size)
		__builtin_trap();
	last = m.chunks - 1;
	l = wbmap_chunk_len(&m, last);
	if (!l || l > m.chunk_size || last * m.chunk_size + l != m.image_size)
		__builtin_trap();
	if (wbmap_chunk_len(&m, m.chunks) != 0 || (m.chunks > 1 && wbmap_chunk_len(&m, 0) != m.chunk_size))
		__builtin_trap();
	/* check the last chunk against bytes of the input (usually a mismatch) */
	if (l <= size) {
		rc = wbmap_check(&m, last, buf, l);
		if (rc != 0 && rc != -WB_EWBMAPMISMATCH)
			__builtin_trap();
	}
	if (wbmap_check(&m, m.chunks, buf, l) != -WB_EINVAL)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	struct wbmap_writer *w;
	struct wbmap m;

	one(data, size);
	/* the same header with the image size fixed to fit the hashes that follow */
	if (size >= WBMAP_HEADER + 32 && size <= 4096) {
		uint64_t n = (size - WBMAP_HEADER) / 32, image;
		uint32_t chunk = (uint32_t)data[8] | (uint32_t)data[9] << 8 |
				 (uint32_t)data[10] << 16 | (uint32_t)data[11] << 24;
		size_t len = WBMAP_HEADER + 32 * n;

		copy = malloc(len);
		memcpy(copy, data, len);
		memcpy(copy, WBMAP_MAGIC, sizeof(WBMAP_MAGIC));
		image = chunk ? (n - 1) * (uint64_t)chunk + 1 + data[size - 1] % chunk : 1;
		for (int i = 0; i < 8; i++)
			copy[16 + i] = (uint8_t)(image >> 8 * i);
		one(copy, len);
		free(copy);
	}
	/* the writer over the input's own bytes: its manifest parses and verifies them */
	if (size && wbmap_writer_new(size, WBMAP_CHUNK_MIN, &w) == 0) {
		size_t len = wbmap_size(size, WBMAP_CHUNK_MIN), off = 0, step = size % 7 + 1;

		copy = malloc(len);
		while (off < size) {
			size_t n = size - off < step ? size - off : step;

			if (wbmap_writer_feed(w, data + off, n))
				__builtin_trap();
			off += n;
		}
		if (wbmap_writer_finish(w, copy, len) || wbmap_parse(copy, len, &m))
			__builtin_trap();
		for (uint64_t k = 0; k < m.chunks; k++)
			if (wbmap_check(&m, k, data + k * WBMAP_CHUNK_MIN, wbmap_chunk_len(&m, k)))
				__builtin_trap();
		free(copy);
		wbmap_writer_free(w);
	}
	return 0;
}
