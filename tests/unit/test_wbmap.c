/*
 * test_wbmap.c — the .wbmap manifest (san/wbmap.h): the writer against
 * SHA-256 known answers (FIPS 180-2 appendix B.1 "abc"; 4096 and 3 zero
 * bytes, computed with Python's hashlib and written here as constants) and
 * against a per-chunk reference hash for images of awkward sizes fed in odd
 * pieces; the parser's round trip and every malformed header (one check
 * each); wbmap_check on good, flipped, short and out-of-range chunks.
 */
#define UNIT_NAME "wbmap"
#include <stdint.h>
#include <stdlib.h>

#include "bearssl_hash.h"
#include "core/err.h"
#include "san/wbmap.h"
#include "unit.h"

static const char *const SHA_ABC =    /* FIPS 180-2 B.1: SHA-256("abc") */
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char *const SHA_Z4096 =  /* hashlib.sha256(bytes(4096)) */
	"ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7";
static const char *const SHA_Z3 =     /* hashlib.sha256(bytes(3)) */
	"709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c";

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* make a manifest of @img with the writer, fed in pieces of the sizes in @pieces (cycled) */
static int make(const uint8_t *img, uint64_t size, uint32_t chunk, const size_t *pieces,
		size_t npieces, uint8_t **out, size_t *outlen)
{
	struct wbmap_writer *w;
	size_t len = wbmap_size(size, chunk), off = 0, k = 0;
	int rc;

	*out = NULL;
	rc = wbmap_writer_new(size, chunk, &w);
	if (rc)
		return rc;
	while (off < size) {
		size_t n = pieces[k++ % npieces];

		if (n > size - off)
			n = size - off;
		rc = wbmap_writer_feed(w, img + off, n);
		if (rc)
			goto out;
		off += n;
	}
	*out = malloc(len);
	rc = wbmap_writer_finish(w, *out, len);
	*outlen = len;
out:
	wbmap_writer_free(w);
	return rc;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

/* a header by hand (the format as wbmap.h documents it, not the writer's code) */
static void header(uint8_t *p, uint32_t chunk, uint32_t alg, uint64_t image)
{
	memcpy(p, "WBMAP1\n\0", 8);
	put32(p + 8, chunk);
	put32(p + 12, alg);
	put64(p + 16, image);
}

static void known_answers(void)
{
	static uint8_t zeros[3 * 4096 + 3];
	static const size_t one[] = { 1 }, odd[] = { 5, 4091, 1, 4099 };
	uint8_t *mf;
	size_t len;
	char h[65];
	struct wbmap m;

	CHECK("abc: writer", make((const uint8_t *)"abc", 3, 4096, one, 1, &mf, &len) == 0);
	CHECK("abc: 24 + 32 bytes", len == 56);
	CHECK("abc: header bytes as the format says",
	      !memcmp(mf, "WBMAP1\n\0\x00\x10\x00\x00\x01\x00\x00\x00\x03\0\0\0\0\0\0\0", 24));
	hex(mf + 24, 32, h);
	CHECK_STR("abc: chunk 0 is SHA-256(\"abc\") (FIPS 180-2 B.1)", h, SHA_ABC);
	CHECK("abc: parses", wbmap_parse(mf, len, &m) == 0 && m.chunks == 1 && m.image_size == 3 &&
	      m.chunk_size == 4096 && m.hashes == mf + 24);
	CHECK("abc: chunk length 3", wbmap_chunk_len(&m, 0) == 3);
	CHECK("abc: check passes", wbmap_check(&m, 0, (const uint8_t *)"abc", 3) == 0);
	CHECK("abc: check of \"abd\" mismatches",
	      wbmap_check(&m, 0, (const uint8_t *)"abd", 3) == -WB_EWBMAPMISMATCH);
	free(mf);

	CHECK("zeros 3*4096+3: writer", make(zeros, sizeof(zeros), 4096, odd, 4, &mf, &len) == 0);
	CHECK("zeros: 24 + 4*32 bytes", len == 24 + 4 * 32);
	for (int i = 0; i < 3; i++) {
		hex(mf + 24 + 32 * i, 32, h);
		CHECK_STR(i == 0 ? "zeros: chunk 0 is SHA-256(4096 zero bytes)" :
			  i == 1 ? "zeros: chunk 1 is SHA-256(4096 zero bytes)" :
				   "zeros: chunk 2 is SHA-256(4096 zero bytes)", h, SHA_Z4096);
	}
	hex(mf + 24 + 96, 32, h);
	CHECK_STR("zeros: last chunk is SHA-256(3 zero bytes) (short chunk)", h, SHA_Z3);
	CHECK("zeros: parses", wbmap_parse(mf, len, &m) == 0 && m.chunks == 4);
	CHECK("zeros: last chunk length 3", wbmap_chunk_len(&m, 3) == 3);
	CHECK("zeros: full chunk length 4096", wbmap_chunk_len(&m, 2) == 4096);
	CHECK("zeros: last chunk checks with 3 bytes", wbmap_check(&m, 3, zeros, 3) == 0);
	CHECK("zeros: last chunk with 4096 bytes: wrong length",
	      wbmap_check(&m, 3, zeros, 4096) == -WB_EINVAL);
	free(mf);
}

/* images of awkward sizes in odd pieces, against a plain per-chunk hash */
static void sizes(void)
{
	static const uint64_t size[] = { 1, 4095, 4096, 4097, 65535, 65536, 65537, 3 * 65536 + 17 };
	static const uint32_t chunk[] = { 4096, 65536, 16u << 20 };
	static const size_t p1[] = { 1 }, p2[] = { 7, 4093, 65539 }, p3[] = { 1u << 20 },
		p4[] = { 4096 };
	static const struct { const size_t *p; size_t n; } pieces[] = {
		{ p1, 1 }, { p2, 3 }, { p3, 1 }, { p4, 1 },
	};
	uint64_t max = 3 * 65536 + 17;
	uint8_t *img = malloc(max);
	uint32_t x = 12345;
	int all_ok = 1, all_checks = 1, all_parse = 1, all_len = 1;

	for (uint64_t i = 0; i < max; i++) {
		x = x * 1103515245u + 12345u;
		img[i] = (uint8_t)(x >> 16);
	}
	for (size_t s = 0; s < sizeof(size) / sizeof(size[0]); s++)
		for (size_t c = 0; c < sizeof(chunk) / sizeof(chunk[0]); c++)
			for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
				uint8_t *mf, ref[32];
				size_t len;
				uint64_t n = (size[s] + chunk[c] - 1) / chunk[c];
				struct wbmap m;
				int ok;

				if (make(img, size[s], chunk[c], pieces[p].p, pieces[p].n, &mf, &len)) {
					all_ok = 0;
					printf("    size %llu chunk %u pieces %zu: writer failed\n",
					       (unsigned long long)size[s], chunk[c], p);
					free(mf);
					continue;
				}
				ok = len == 24 + 32 * n;
				for (uint64_t k = 0; ok && k < n; k++) {
					br_sha256_context sha;
					uint64_t off = k * chunk[c];
					uint64_t l = size[s] - off < chunk[c] ? size[s] - off : chunk[c];

					br_sha256_init(&sha);
					br_sha256_update(&sha, img + off, (size_t)l);
					br_sha256_out(&sha, ref);
					ok = !memcmp(mf + 24 + 32 * k, ref, 32);
				}
				if (!ok) {
					all_ok = 0;
					printf("    size %llu chunk %u pieces %zu: hashes differ\n",
					       (unsigned long long)size[s], chunk[c], p);
				}
				if (wbmap_parse(mf, len, &m) || m.chunks != n || m.image_size != size[s] ||
				    m.chunk_size != chunk[c])
					all_parse = 0;
				else
					for (uint64_t k = 0; k < n; k++) {
						uint32_t l = wbmap_chunk_len(&m, k);

						if (l != (k + 1 < n ? chunk[c] : size[s] - k * chunk[c]))
							all_len = 0;
						if (wbmap_check(&m, k, img + k * chunk[c], l))
							all_checks = 0;
					}
				free(mf);
			}
	CHECK("sizes 1..3*65536+17, chunks 4K/64K/16M, pieces 1/7,4093,65539/1M/4096: hashes as a per-chunk SHA-256",
	      all_ok);
	CHECK("sizes: every manifest parses back to its size, chunk size and count", all_parse);
	CHECK("sizes: wbmap_chunk_len of every chunk (the last one short)", all_len);
	CHECK("sizes: every chunk passes wbmap_check", all_checks);
	free(img);
}

static void checks(void)
{
	static uint8_t img[2 * 4096 + 100];
	static const size_t one[] = { 4096 };
	uint8_t *mf;
	size_t len;
	struct wbmap m;

	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7 + 3 + i / 4096 * 13);   /* chunks differ */
	CHECK("check: writer", make(img, sizeof(img), 4096, one, 1, &mf, &len) == 0);
	CHECK("check: parses", wbmap_parse(mf, len, &m) == 0 && m.chunks == 3);
	CHECK("check: chunk 1 passes", wbmap_check(&m, 1, img + 4096, 4096) == 0);
	img[4096 + 1234] ^= 0x10;
	CHECK("check: chunk 1 with one bit flipped: mismatch",
	      wbmap_check(&m, 1, img + 4096, 4096) == -WB_EWBMAPMISMATCH);
	img[4096 + 1234] ^= 0x10;
	CHECK("check: chunk 0 given chunk 1's data: mismatch",
	      wbmap_check(&m, 0, img + 4096, 4096) == -WB_EWBMAPMISMATCH);
	mf[24 + 32 + 31] ^= 1;
	CHECK("check: a flipped bit in the manifest's hash: mismatch",
	      wbmap_check(&m, 1, img + 4096, 4096) == -WB_EWBMAPMISMATCH);
	mf[24 + 32 + 31] ^= 1;
	CHECK("check: one byte short: invalid", wbmap_check(&m, 1, img + 4096, 4095) == -WB_EINVAL);
	CHECK("check: one byte long: invalid", wbmap_check(&m, 1, img + 4096, 4097) == -WB_EINVAL);
	CHECK("check: last chunk is 100 bytes", wbmap_chunk_len(&m, 2) == 100);
	CHECK("check: last chunk with 100 bytes passes", wbmap_check(&m, 2, img + 8192, 100) == 0);
	CHECK("check: last chunk with a full chunk: invalid",
	      wbmap_check(&m, 2, img + 8192, 4096) == -WB_EINVAL);
	CHECK("check: index 3 (= chunks) out of range", wbmap_check(&m, 3, img, 4096) == -WB_EINVAL);
	CHECK("check: index 2^63 out of range", wbmap_check(&m, 1ull << 63, img, 4096) == -WB_EINVAL);
	CHECK("check: chunk_len out of range is 0", wbmap_chunk_len(&m, 3) == 0);
	CHECK("check: empty data: invalid", wbmap_check(&m, 0, img, 0) == -WB_EINVAL);
	free(mf);
}

/* every malformed header refused, one check each; the good one beside them */
static void malformed(void)
{
	static uint8_t b[24 + 32 * 4 + 1];
	struct wbmap m;

#define PARSE(len) wbmap_parse(b, (len), &m)
	header(b, 4096, 1, 3 * 4096 + 1);
	CHECK("parse: good (4 chunks, 152 bytes)", PARSE(24 + 128) == 0 && m.chunks == 4);
	CHECK("parse: one byte short", PARSE(24 + 127) == -WB_EWBMAPFORMAT);
	CHECK("parse: one byte long", PARSE(24 + 129) == -WB_EWBMAPFORMAT);
	CHECK("parse: one hash short (32 bytes)", PARSE(24 + 96) == -WB_EWBMAPFORMAT);
	CHECK("parse: header only", PARSE(24) == -WB_EWBMAPFORMAT);
	CHECK("parse: 23 bytes", PARSE(23) == -WB_EWBMAPFORMAT);
	CHECK("parse: empty", PARSE(0) == -WB_EWBMAPFORMAT);
	CHECK("parse: NULL buffer", wbmap_parse(NULL, 152, &m) == -WB_EWBMAPFORMAT);
	b[0] = 'w';
	CHECK("parse: bad magic", PARSE(152) == -WB_EWBMAPFORMAT);
	b[0] = 'W';
	b[5] = '2';
	CHECK("parse: version 2", PARSE(152) == -WB_EWBMAPFORMAT);
	b[5] = '1';
	b[6] = '\r';
	CHECK("parse: magic with CR", PARSE(152) == -WB_EWBMAPFORMAT);
	b[6] = '\n';
	b[7] = ' ';
	CHECK("parse: magic without its NUL", PARSE(152) == -WB_EWBMAPFORMAT);
	b[7] = 0;
	CHECK("parse: restored header is good again", PARSE(152) == 0);
	header(b, 4096, 0, 3 * 4096 + 1);
	CHECK("parse: algorithm 0", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 4096, 2, 3 * 4096 + 1);
	CHECK("parse: algorithm 2", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 4096, 1, 3 * 4096 + 1);
	b[15] = 1;   /* 0x01000001: only the low byte right */
	CHECK("parse: algorithm 0x01000001", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 2048, 1, 2048 * 3 + 1);
	CHECK("parse: chunk size 2048 (below 4 KiB)", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 0, 1, 1);
	CHECK("parse: chunk size 0", PARSE(56) == -WB_EWBMAPFORMAT);
	header(b, 4097, 1, 4097 * 3 + 1);
	CHECK("parse: chunk size 4097 (not a power of two)", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 12288, 1, 12288 * 3 + 1);
	CHECK("parse: chunk size 12288 (not a power of two)", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 32u << 20, 1, 1);
	CHECK("parse: chunk size 32 MiB (above 16 MiB)", PARSE(56) == -WB_EWBMAPFORMAT);
	header(b, 0x80000000u, 1, 1);
	CHECK("parse: chunk size 2^31", PARSE(56) == -WB_EWBMAPFORMAT);
	header(b, 16u << 20, 1, 1);
	CHECK("parse: chunk size 16 MiB is fine", PARSE(56) == 0 && m.chunks == 1);
	header(b, 4096, 1, 1);
	CHECK("parse: chunk size 4 KiB is fine", PARSE(56) == 0 && wbmap_chunk_len(&m, 0) == 1);
	header(b, 4096, 1, 0);
	CHECK("parse: image size 0", PARSE(24) == -WB_EWBMAPFORMAT);
	CHECK("parse: image size 0 with one hash", PARSE(56) == -WB_EWBMAPFORMAT);
	header(b, 4096, 1, 4096 * 4 + 1);
	CHECK("parse: image size needs 5 chunks, 4 given", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 4096, 1, 4096 * 2);
	CHECK("parse: image size needs 2 chunks, 4 given", PARSE(152) == -WB_EWBMAPFORMAT);
	header(b, 4096, 1, UINT64_MAX);
	CHECK("parse: image size 2^64-1 (2^52 chunks)", PARSE(152) == -WB_EWBMAPFORMAT);
	/* 2^40 chunks: 32 × 2^40 bytes truncated to 32 bits would be 0 */
	header(b, 16u << 20, 1, UINT64_MAX);
	CHECK("parse: image size 2^64-1 in 16 MiB chunks", PARSE(24) == -WB_EWBMAPFORMAT);
	/* 2^27 chunks: 24 + 32 × 2^27 is 24 in 32 bits */
	header(b, 4096, 1, (1ull << 27) * 4096);
	CHECK("parse: 2^27 chunks (length 24 modulo 2^32)", PARSE(24) == -WB_EWBMAPFORMAT);
#undef PARSE
}

static void bounds(void)
{
	uint8_t b[56], *big;
	struct wbmap m;
	struct wbmap_writer *w = (struct wbmap_writer *)&m;

	CHECK("size: 3 bytes in 4 KiB chunks is 56", wbmap_size(3, 4096) == 56);
	CHECK("size: 64 GiB in 64 KiB chunks is WBMAP_SIZE_MAX",
	      wbmap_size(64ull << 30, 65536) == WBMAP_SIZE_MAX);
	CHECK("size: 64 GiB + 1 in 64 KiB chunks: too big (0)", wbmap_size((64ull << 30) + 1, 65536) == 0);
	CHECK("size: 16 TiB in 16 MiB chunks is WBMAP_SIZE_MAX",
	      wbmap_size(16ull << 40, 16u << 20) == WBMAP_SIZE_MAX);
	CHECK("size: image size 0 (0)", wbmap_size(0, 4096) == 0);
	CHECK("size: chunk size 4097 (0)", wbmap_size(1, 4097) == 0);
	CHECK("size: chunk size 2048 (0)", wbmap_size(1, 2048) == 0);
	CHECK("size: chunk size 32 MiB (0)", wbmap_size(1, 32u << 20) == 0);
	CHECK("size: 2^64-1 bytes (0)", wbmap_size(UINT64_MAX, 16u << 20) == 0);
	/* the parser refuses what the writer would refuse to make: over WBMAP_SIZE_MAX */
	big = calloc(1, WBMAP_SIZE_MAX + 32);
	header(big, 65536, 1, 64ull << 30);
	CHECK("parse: 64 GiB in 64 KiB chunks (WBMAP_SIZE_MAX bytes) is fine",
	      wbmap_parse(big, WBMAP_SIZE_MAX, &m) == 0 && m.chunks == 1u << 20 &&
	      wbmap_chunk_len(&m, (1u << 20) - 1) == 65536);
	header(big, 65536, 1, (64ull << 30) + 1);
	CHECK("parse: 64 GiB + 1 in 64 KiB chunks (manifest over WBMAP_SIZE_MAX)",
	      wbmap_parse(big, WBMAP_SIZE_MAX + 32, &m) == -WB_EWBMAPFORMAT);
	free(big);
	CHECK("writer: image size 0 refused", wbmap_writer_new(0, 4096, &w) == -WB_EINVAL && !w);
	CHECK("writer: chunk size 5000 refused", wbmap_writer_new(10, 5000, &w) == -WB_EINVAL && !w);
	CHECK("writer: manifest over WBMAP_SIZE_MAX refused",
	      wbmap_writer_new((64ull << 30) + 1, 65536, &w) == -WB_EINVAL && !w);
	CHECK("writer: 4 bytes", wbmap_writer_new(4, 4096, &w) == 0 && w);
	CHECK("writer: feed 0 bytes is fine", wbmap_writer_feed(w, NULL, 0) == 0);
	CHECK("writer: feed 3 of 4", wbmap_writer_feed(w, (const uint8_t *)"abc", 3) == 0);
	CHECK("writer: finish at 3 of 4 bytes refused", wbmap_writer_finish(w, b, sizeof(b)) == -WB_EINVAL);
	CHECK("writer: feeding 2 more (past the image size) refused",
	      wbmap_writer_feed(w, (const uint8_t *)"de", 2) == -WB_EINVAL);
	CHECK("writer: the last byte", wbmap_writer_feed(w, (const uint8_t *)"d", 1) == 0);
	CHECK("writer: feeding after the end refused", wbmap_writer_feed(w, (const uint8_t *)"e", 1) == -WB_EINVAL);
	CHECK("writer: finish into 55 bytes refused", wbmap_writer_finish(w, b, 55) == -WB_EINVAL);
	CHECK("writer: finish", wbmap_writer_finish(w, b, sizeof(b)) == 0);
	CHECK("writer: result parses, checks \"abcd\"", wbmap_parse(b, 56, &m) == 0 &&
	      wbmap_check(&m, 0, (const uint8_t *)"abcd", 4) == 0);
	wbmap_writer_free(w);
	wbmap_writer_free(NULL);
}

static int sweep_run(void *arg)
{
	struct wbmap_writer *w;
	uint8_t out[24 + 64];
	int rc = wbmap_writer_new(5000, 4096, &w);

	(void)arg;
	if (rc)
		return rc;
	rc = wbmap_writer_feed(w, (const uint8_t *)arg, 5000);
	if (!rc)
		rc = wbmap_writer_finish(w, out, sizeof(out));
	wbmap_writer_free(w);
	return rc;
}

static int sweep_ok(int rc) { return rc == 0 || rc == -WB_ENOMEM; }

int main(void)
{
	static uint8_t data[5000];

	known_answers();
	sizes();
	checks();
	malformed();
	bounds();
	unit_alloc_sweep("writer", sweep_run, data, sweep_ok);
	return unit_done();
}
