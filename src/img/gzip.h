/*
 * gzip.h — compressed images: the gzip (RFC 1952) and zlib (RFC 1950) containers
 * around a deflate stream (RFC 1951), and inflating a whole image with a size cap.
 *
 * The container parsers are pure functions over a buffer (fuzzed: tests/fuzz/fuzz_gzip.c).
 * The deflate decoder is zlib's inflate (Debian's zlib source, built by our Makefile
 * without its libc parts); gz_inflate() drives it in raw mode and checks the container's
 * trailer itself, so every failure has its own WB_E* code.
 *
 * What is accepted (a compressed boot image is one stream, as `gzip` and zlib write it):
 *   gzip  1f 8b, CM 8, FLG without the reserved bits 5-7, FEXTRA / FNAME / FCOMMENT
 *         skipped, FHCRC checked; one member whose 8-byte trailer (CRC-32, ISIZE) is the
 *         last 8 bytes of the image (a second member or padding after it is refused).
 *   zlib  CMF/FLG with CM 8, CINFO <= 7 (window <= 32 KiB), FCHECK right, no FDICT; the
 *         4-byte Adler-32 trailer is the last 4 bytes of the image.
 */
#ifndef WB_IMG_GZIP_H
#define WB_IMG_GZIP_H

#include <stddef.h>
#include <stdint.h>

enum gz_format {
	GZ_NONE = 0,
	GZ_GZIP,        /* RFC 1952 */
	GZ_ZLIB,        /* RFC 1950 */
};

/* What the header says.  Offsets index the buffer given to gz_parse_header(). */
struct gz_header {
	enum gz_format format;
	size_t data_off;        /* first byte of the deflate stream */
	size_t trailer_len;     /* 8 (gzip: CRC-32, ISIZE) or 4 (zlib: Adler-32) */
	/* gzip */
	uint8_t flg, xfl, os;
	uint32_t mtime;
	size_t name_off, name_len;   /* FNAME without its NUL (name_len 0: none) */
	/* zlib */
	uint8_t cmf;
	uint32_t window;        /* zlib: the window size CINFO declares, bytes */
	/* gz_inflate(): after -WB_EINFDATA, zlib's reason (static text), else NULL */
	const char *msg;
};

/**
 * Which container @buf starts with, by its first two bytes only: GZ_GZIP for
 * 1f 8b, GZ_ZLIB for a valid zlib CMF/FLG pair with CM 8 (RFC 1950 §2.2: CINFO
 * <= 7 and CMF*256+FLG a multiple of 31), else GZ_NONE.  Pure.
 */
enum gz_format gz_detect(const uint8_t *buf, size_t len);

/**
 * Parse the gzip or zlib header at the start of @buf (@len bytes: the whole image)
 * into @h.  Pure.
 * @return 0; -WB_ENOTCOMPRESSED (neither magic), -WB_EGZMETHOD (CM not 8),
 *   -WB_EGZFLAGS (gzip reserved FLG bits), -WB_EGZHEADER (header runs past the end),
 *   -WB_EGZHCRC (FHCRC wrong), -WB_EZLIBHEADER (CINFO > 7), -WB_EZLIBDICT (FDICT set),
 *   -WB_EINFTRUNC (no room for the trailer after the header: the image was cut).
 */
int gz_parse_header(const uint8_t *buf, size_t len, struct gz_header *h);

/**
 * The trailer of the image @buf/@len whose header is @h: *@check = the CRC-32 (gzip)
 * or Adler-32 (zlib), *@isize = ISIZE (gzip; the input size mod 2^32) or 0 (zlib).
 * Pure; @h must come from gz_parse_header() on the same buffer.
 */
void gz_trailer(const struct gz_header *h, const uint8_t *buf, size_t len, uint32_t *check,
		uint32_t *isize);

/**
 * Inflate the whole gzip or zlib image @in/@len.  @cap is the largest output
 * accepted: a gzip ISIZE above it is refused before anything is inflated, and no
 * output is ever allocated beyond it (a zlib stream, which declares no size, is
 * inflated once into a 32 KiB window to measure and check it, then again into a
 * buffer of exactly that size; a gzip stream into ISIZE bytes, its output stopping
 * there).  On success *@out (plat_malloc'd, the caller frees it; allocated even for
 * an empty result), *@out_len.  When @h is not NULL it receives the header (also on
 * failure, with h->msg set for -WB_EINFDATA).  On failure nothing stays allocated and
 * *@out is NULL.
 * @return 0; a gz_parse_header() error; -WB_EINFCAP (output over @cap),
 *   -WB_EINFDATA (corrupt deflate data), -WB_EINFTRUNC (the stream ends early),
 *   -WB_EINFTRAIL (bytes between the stream's end and the trailer),
 *   -WB_EGZSIZE (output length differs from ISIZE), -WB_EGZCRC, -WB_EZLIBADLER
 *   (checksum wrong), -WB_ENOMEM.
 */
int gz_inflate(const uint8_t *in, size_t len, size_t cap, uint8_t **out, size_t *out_len,
	       struct gz_header *h);

/** "gzip", "zlib" or "data". */
const char *gz_format_name(enum gz_format f);

#endif
