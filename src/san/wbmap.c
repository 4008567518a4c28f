/*
 * wbmap.c — the .wbmap integrity manifest (wbmap.h has the format).
 *
 * How this works: wbmap_parse() checks the 24-byte header field by field
 * and then the length, with every product computed in 64 bits against
 * bounds chosen so that nothing can overflow (chunks ≤ 2^20 by
 * WBMAP_SIZE_MAX, so 32 × chunks fits any size_t); the map it returns
 * points into the caller's buffer.  wbmap_check() hashes one chunk with
 * BearSSL's SHA-256 (FIPS 180-4) on the stack and compares.  The writer
 * (mkmap) hashes the image as it streams by, chunk by chunk, into one
 * buffer that already holds the header; it is the only part that
 * allocates (plat_malloc, wbmap_size() bytes).
 *
 * The hashes are public (the manifest is served next to the image), so
 * the comparison need not be constant-time; it is anyway, at no cost.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bearssl_hash.h"
#include "core/err.h"
#include "core/le.h"
#include "platform/platform.h"
#include "san/wbmap.h"

#define WBMAP_HASH_LEN 32u

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* 1 when @c is a power of two within [WBMAP_CHUNK_MIN, WBMAP_CHUNK_MAX] */
static int chunk_size_ok(uint32_t c)
{
	return c >= WBMAP_CHUNK_MIN && c <= WBMAP_CHUNK_MAX && (c & (c - 1)) == 0;
}

/* ceil(@image_size / @chunk_size), or 0 when the arguments are invalid or the
 * manifest would exceed WBMAP_SIZE_MAX (its hash count then exceeds 2^20). */
static uint64_t chunk_count(uint64_t image_size, uint32_t chunk_size)
{
	uint64_t n;

	if (!image_size || !chunk_size_ok(chunk_size))
		return 0;
	/* no overflow: image_size / chunk_size + (remainder != 0) */
	n = image_size / chunk_size + (image_size % chunk_size != 0);
	if (n > (WBMAP_SIZE_MAX - WBMAP_HEADER) / WBMAP_HASH_LEN)
		return 0;
	return n;
}

size_t wbmap_size(uint64_t image_size, uint32_t chunk_size)
{
	uint64_t n = chunk_count(image_size, chunk_size);

	return n ? (size_t)(WBMAP_HEADER + WBMAP_HASH_LEN * n) : 0;
}

int wbmap_parse(const uint8_t *buf, size_t len, struct wbmap *m)
{
	uint32_t chunk, alg;
	uint64_t image, n;

	if (!buf || !m || len < WBMAP_HEADER || len > WBMAP_SIZE_MAX)
		return -WB_EWBMAPFORMAT;
	/* magic and version: "WBMAP1\n" and its NUL, 8 bytes */
	if (memcmp(buf, WBMAP_MAGIC, sizeof(WBMAP_MAGIC)) != 0)
		return -WB_EWBMAPFORMAT;
	chunk = le32(buf + 8);
	alg = le32(buf + 12);
	image = le64(buf + 16);
	if (!chunk_size_ok(chunk) || alg != WBMAP_HASH_SHA256 || image == 0)
		return -WB_EWBMAPFORMAT;
	n = chunk_count(image, chunk);
	/* n == 0 here: more chunks than WBMAP_SIZE_MAX holds */
	if (!n || (uint64_t)len != WBMAP_HEADER + WBMAP_HASH_LEN * n)
		return -WB_EWBMAPFORMAT;
	m->chunk_size = chunk;
	m->image_size = image;
	m->chunks = n;
	m->hashes = buf + WBMAP_HEADER;
	return 0;
}

uint32_t wbmap_chunk_len(const struct wbmap *m, uint64_t index)
{
	uint64_t off;

	if (!m || index >= m->chunks)
		return 0;
	off = index * m->chunk_size;   /* < image_size: no overflow */
	return m->image_size - off < m->chunk_size ? (uint32_t)(m->image_size - off) : m->chunk_size;
}

int wbmap_check(const struct wbmap *m, uint64_t index, const uint8_t *data, size_t len)
{
	br_sha256_context sha;
	uint8_t sum[WBMAP_HASH_LEN];
	const uint8_t *want;
	uint32_t want_len = wbmap_chunk_len(m, index);
	unsigned diff = 0;

	if (!want_len || len != want_len || !data)
		return -WB_EINVAL;
	br_sha256_init(&sha);
	br_sha256_update(&sha, data, len);
	br_sha256_out(&sha, sum);
	want = m->hashes + index * WBMAP_HASH_LEN;
	for (unsigned i = 0; i < WBMAP_HASH_LEN; i++)
		diff |= (unsigned)(sum[i] ^ want[i]);
	return diff ? -WB_EWBMAPMISMATCH : 0;
}

/* ---- the writer (mkmap) */

struct wbmap_writer {
	uint64_t image_size;
	uint64_t fed;           /* bytes fed so far */
	uint32_t chunk_size;
	uint32_t in_chunk;      /* bytes of the current chunk hashed so far */
	uint64_t chunk;         /* index of the current chunk */
	br_sha256_context sha;  /* the current chunk's hash */
	size_t size;            /* wbmap_size() */
	uint8_t *out;           /* the manifest being built: header + hashes */
};

int wbmap_writer_new(uint64_t image_size, uint32_t chunk_size, struct wbmap_writer **out)
{
	struct wbmap_writer *w;
	size_t size = wbmap_size(image_size, chunk_size);

	if (!out)
		return -WB_EINVAL;
	*out = NULL;
	if (!size)
		return -WB_EINVAL;
	w = plat_malloc(sizeof(*w));
	if (!w)
		return -WB_ENOMEM;
	memset(w, 0, sizeof(*w));
	w->out = plat_malloc(size);
	if (!w->out) {
		plat_free(w);
		return -WB_ENOMEM;
	}
	w->image_size = image_size;
	w->chunk_size = chunk_size;
	w->size = size;
	memset(w->out, 0, size);
	memcpy(w->out, WBMAP_MAGIC, sizeof(WBMAP_MAGIC));
	put_le32(w->out + 8, chunk_size);
	put_le32(w->out + 12, WBMAP_HASH_SHA256);
	put_le64(w->out + 16, image_size);
	br_sha256_init(&w->sha);
	*out = w;
	return 0;
}

/* the current chunk is complete: store its hash, start the next */
static void writer_end_chunk(struct wbmap_writer *w)
{
	br_sha256_out(&w->sha, w->out + WBMAP_HEADER + w->chunk * WBMAP_HASH_LEN);
	br_sha256_init(&w->sha);
	w->chunk++;
	w->in_chunk = 0;
}

int wbmap_writer_feed(struct wbmap_writer *w, const uint8_t *data, size_t len)
{
	if (!w || (!data && len))
		return -WB_EINVAL;
	/* more than the image size given to wbmap_writer_new(): refused whole */
	if (len > w->image_size - w->fed)
		return -WB_EINVAL;
	while (len) {
		uint64_t left_in_image = w->image_size - w->fed;
		uint32_t want = w->chunk_size - w->in_chunk;
		size_t n;

		if (want > left_in_image)
			want = (uint32_t)left_in_image;   /* the last, short chunk */
		n = len < want ? len : want;
		br_sha256_update(&w->sha, data, n);
		data += n;
		len -= n;
		w->fed += n;
		w->in_chunk += (uint32_t)n;
		if (w->in_chunk == w->chunk_size || w->fed == w->image_size)
			writer_end_chunk(w);
	}
	return 0;
}

int wbmap_writer_finish(struct wbmap_writer *w, uint8_t *out, size_t cap)
{
	if (!w || !out || cap < w->size || w->fed != w->image_size)
		return -WB_EINVAL;
	memcpy(out, w->out, w->size);
	return 0;
}

void wbmap_writer_free(struct wbmap_writer *w)
{
	if (!w)
		return;
	plat_free(w->out);
	plat_free(w);
}
