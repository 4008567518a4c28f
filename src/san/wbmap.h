/*
 * wbmap.h — the integrity manifest of a disk image served over HTTP(S)
 * (`sanboot --verify`): a chunk size and one SHA-256 per chunk.  Made by
 * `wireboot mkmap disk.img` (disk.img.wbmap); the manifest itself is
 * trusted through a SHA-256 the script gives or a signature (cmds_san.c).
 *
 * Format, version 1 (all integers little-endian):
 *
 *     offset  size  field
 *      0       8    magic "WBMAP1\n\0"
 *      8       4    chunk size in bytes: a power of two, 4 KiB … 16 MiB
 *     12       4    hash algorithm: 1 = SHA-256 (nothing else yet)
 *     16       8    image size in bytes (≥ 1)
 *     24   32 × n   SHA-256 of each chunk, n = ceil(image size / chunk size);
 *                   the last chunk hashes only the image's remaining bytes
 *
 * The file is exactly 24 + 32 n bytes; anything else is refused.  Pure:
 * no allocation in the parser and checker (the parsed map points into the
 * caller's buffer), no I/O; for untrusted input.
 */
#ifndef WB_WBMAP_H
#define WB_WBMAP_H

#include <stddef.h>
#include <stdint.h>

#define WBMAP_MAGIC         "WBMAP1\n"   /* + the terminating NUL: 8 bytes */
#define WBMAP_HEADER        24
#define WBMAP_HASH_SHA256   1
#define WBMAP_CHUNK_MIN     4096u
#define WBMAP_CHUNK_MAX     (16u << 20)
#define WBMAP_CHUNK_DEFAULT (64u << 10)
/** Largest manifest accepted (a 64 GiB image in 64 KiB chunks). */
#define WBMAP_SIZE_MAX      (WBMAP_HEADER + 32u * (1u << 20))

struct wbmap {
	uint32_t chunk_size;
	uint64_t image_size;
	uint64_t chunks;
	const uint8_t *hashes;   /* chunks × 32 bytes, inside the parsed buffer */
};

/**
 * Parse @len bytes at @buf.  @return 0 and *@m (pointing into @buf, which
 * must outlive it) or -WB_EWBMAPFORMAT (bad magic, version, algorithm,
 * chunk size, image size, or a length that does not match).
 */
int wbmap_parse(const uint8_t *buf, size_t len, struct wbmap *m);

/** Bytes in chunk @index (the last one may be short); 0 when out of range. */
uint32_t wbmap_chunk_len(const struct wbmap *m, uint64_t index);

/**
 * Check chunk @index: @len must be wbmap_chunk_len(m, index) and SHA-256
 * of @data the recorded hash.  @return 0, -WB_EWBMAPMISMATCH (hash
 * differs) or -WB_EINVAL (index out of range, wrong length).
 */
int wbmap_check(const struct wbmap *m, uint64_t index, const uint8_t *data, size_t len);

/**
 * Making a manifest, streaming (mkmap): init with the image size and chunk
 * size, feed the image's bytes in order in pieces of any size, then
 * finish writes the whole manifest to @out (wbmap_size() bytes).
 *
 * wbmap_size: 24 + 32 n, or 0 for an image size 0, a chunk size the parser
 * refuses, or a manifest over WBMAP_SIZE_MAX.  writer_new: 0 and *@out
 * (free with wbmap_writer_free; it holds the whole manifest, plat_malloc),
 * -WB_EINVAL (what wbmap_size refuses; *@out NULL) or -WB_ENOMEM.
 * writer_feed: 0, or -WB_EINVAL for bytes past the image size (none of
 * them taken).  writer_finish: 0, or -WB_EINVAL short of the image size or
 * @cap below wbmap_size(); may be called again.
 */
struct wbmap_writer;
size_t wbmap_size(uint64_t image_size, uint32_t chunk_size);   /* 0: invalid arguments */
int wbmap_writer_new(uint64_t image_size, uint32_t chunk_size, struct wbmap_writer **out);
int wbmap_writer_feed(struct wbmap_writer *w, const uint8_t *data, size_t len);
int wbmap_writer_finish(struct wbmap_writer *w, uint8_t *out, size_t cap);   /* -WB_EINVAL: short of the image size */
void wbmap_writer_free(struct wbmap_writer *w);

#endif
