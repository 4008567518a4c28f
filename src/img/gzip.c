/*
 * gzip.c — gzip (RFC 1952) and zlib (RFC 1950) containers, and whole-image inflate.
 *
 * How it works: gz_parse_header() reads the container header (pure); the deflate stream
 * between it and the trailer goes to zlib's inflate in raw mode (windowBits < 0: zlib
 * sees no container, so the checks below are ours, each with its own error); then the
 * trailer is compared with what came out.
 *
 * gz_inflate() runs inflate twice:
 *
 *   pass 1  into one 32 KiB window, over and over: counts the output (stopping as
 *           soon as it passes the cap), computes its CRC-32 / Adler-32, finds a
 *           truncated or corrupt stream and bytes after its end.  Only inflate's own
 *           state (about 7 KiB + its window) and this window are allocated, so a
 *           decompression bomb — a few KB that would inflate to gigabytes — costs at
 *           most cap bytes of CPU work and no memory.
 *   pass 2  into a buffer of exactly the size pass 1 measured.
 *
 * Twice the CPU for an image that is good, but nothing is allocated for one that is
 * not, the declared ISIZE (which a truncated download replaces by whatever bytes
 * were last) is never trusted for an allocation, and each bad image gets the error
 * of what is wrong with it rather than "too big".
 */
#include <string.h>

#include "zlib.h"

#include "core/err.h"
#include "img/gzip.h"
#include "platform/platform.h"

/* RFC 1952 §2.3.1: FLG bits */
#define GZ_FTEXT    0x01
#define GZ_FHCRC    0x02
#define GZ_FEXTRA   0x04
#define GZ_FNAME    0x08
#define GZ_FCOMMENT 0x10
#define GZ_FRESERVED 0xe0

/* RFC 1950 §2.2: FLG bit 5 */
#define ZLIB_FDICT  0x20

#define GZ_WINDOW   32768u
/* inflate's avail_in / avail_out are 32-bit: feed it at most this much at a time */
#define GZ_CHUNK    (1u << 30)

static uint32_t gz_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t gz_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

const char *gz_format_name(enum gz_format f)
{
	return f == GZ_GZIP ? "gzip" : f == GZ_ZLIB ? "zlib" : "data";
}

enum gz_format gz_detect(const uint8_t *buf, size_t len)
{
	if (!buf || len < 2)
		return GZ_NONE;
	if (buf[0] == 0x1f && buf[1] == 0x8b)
		return GZ_GZIP;
	/* RFC 1950 §2.2: CM (low nibble of CMF) 8 = deflate; FCHECK makes CMF*256+FLG a
	 * multiple of 31.  CINFO is checked by the parser (its own error). */
	if ((buf[0] & 0x0f) == 8 && ((unsigned)buf[0] << 8 | buf[1]) % 31 == 0)
		return GZ_ZLIB;
	return GZ_NONE;
}

/* A NUL-terminated field at @pos: its length, or -1 when it runs past @len. */
static long gz_zstring(const uint8_t *buf, size_t len, size_t pos)
{
	const uint8_t *nul = pos < len ? memchr(buf + pos, 0, len - pos) : NULL;

	return nul ? (long)(nul - (buf + pos)) : -1;
}

static int gz_parse_gzip(const uint8_t *buf, size_t len, struct gz_header *h)
{
	size_t pos = 10;
	long n;

	/* RFC 1952 §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS */
	if (len < 10)
		return -WB_EGZHEADER;
	if (buf[2] != 8)
		return -WB_EGZMETHOD;
	h->flg = buf[3];
	if (h->flg & GZ_FRESERVED)   /* §2.3.1.2: "must give an error" */
		return -WB_EGZFLAGS;
	h->mtime = gz_le32(buf + 4);
	h->xfl = buf[8];
	h->os = buf[9];
	if (h->flg & GZ_FEXTRA) {    /* XLEN(2, little-endian) then XLEN bytes */
		size_t xlen;

		if (len - pos < 2)
			return -WB_EGZHEADER;
		xlen = (size_t)buf[pos] | (size_t)buf[pos + 1] << 8;
		if (len - pos - 2 < xlen)
			return -WB_EGZHEADER;
		pos += 2 + xlen;
	}
	if (h->flg & GZ_FNAME) {     /* ISO 8859-1, zero-terminated */
		n = gz_zstring(buf, len, pos);
		if (n < 0)
			return -WB_EGZHEADER;
		h->name_off = pos;
		h->name_len = (size_t)n;
		pos += (size_t)n + 1;
	}
	if (h->flg & GZ_FCOMMENT) {
		n = gz_zstring(buf, len, pos);
		if (n < 0)
			return -WB_EGZHEADER;
		pos += (size_t)n + 1;
	}
	if (h->flg & GZ_FHCRC) {     /* the two low bytes of the CRC-32 of the header so far */
		uint32_t crc;

		if (len - pos < 2)
			return -WB_EGZHEADER;
		crc = (uint32_t)crc32(0L, buf, (uInt)pos) & 0xffff;
		if (crc != ((uint32_t)buf[pos] | (uint32_t)buf[pos + 1] << 8))
			return -WB_EGZHCRC;
		pos += 2;
	}
	h->data_off = pos;
	h->trailer_len = 8;
	return 0;
}

static int gz_parse_zlib(const uint8_t *buf, size_t len, struct gz_header *h)
{
	unsigned cinfo = buf[0] >> 4;

	/* RFC 1950 §2.2: CINFO is log2(window) - 8; above 7 is not allowed */
	if (cinfo > 7)
		return -WB_EZLIBHEADER;
	if (buf[1] & ZLIB_FDICT)
		return -WB_EZLIBDICT;
	h->cmf = buf[0];
	h->window = 1u << (cinfo + 8);
	h->data_off = 2;
	h->trailer_len = 4;
	(void)len;
	return 0;
}

int gz_parse_header(const uint8_t *buf, size_t len, struct gz_header *h)
{
	int rc;

	memset(h, 0, sizeof(*h));
	h->format = gz_detect(buf, len);
	switch (h->format) {
	case GZ_GZIP:
		rc = gz_parse_gzip(buf, len, h);
		break;
	case GZ_ZLIB:
		rc = gz_parse_zlib(buf, len, h);
		break;
	default:
		return -WB_ENOTCOMPRESSED;
	}
	if (rc)
		return rc;
	/* the trailer must fit after the header: else the image was cut short */
	if (len - h->data_off < h->trailer_len)
		return -WB_EINFTRUNC;
	return 0;
}

void gz_trailer(const struct gz_header *h, const uint8_t *buf, size_t len, uint32_t *check,
		uint32_t *isize)
{
	*check = 0;
	*isize = 0;
	if (h->format == GZ_GZIP && len >= 8) {        /* RFC 1952 §2.3: CRC32, ISIZE */
		*check = gz_le32(buf + len - 8);
		*isize = gz_le32(buf + len - 4);
	} else if (h->format == GZ_ZLIB && len >= 4) { /* RFC 1950 §2.2: ADLER32, MSB first */
		*check = gz_be32(buf + len - 4);
	}
}

/* ---- inflate ----------------------------------------------------------- */

static voidpf gz_zalloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	if (size && items > (uInt)-1 / size)
		return Z_NULL;
	return plat_malloc((size_t)items * size);
}

static void gz_zfree(voidpf opaque, voidpf p)
{
	(void)opaque;
	plat_free(p);
}

/* One inflate run over a deflate stream. */
struct gz_run {
	const uint8_t *in;      /* the deflate stream and what follows it up to the trailer */
	size_t in_len;
	int wbits;              /* raw inflate: -(log2 window) */
	enum gz_format format;
	uint8_t *dst;           /* pass 2: the output buffer (dst_cap bytes); pass 1: NULL */
	size_t dst_cap;
	size_t cap;             /* the largest output accepted */
	/* results */
	size_t total;
	uint32_t check;         /* CRC-32 or Adler-32 of the output */
	const char *msg;        /* zlib's reason for a data error */
};

static void gz_sum(struct gz_run *r, const uint8_t *p, size_t n)
{
	while (n) {
		uInt k = n > GZ_CHUNK ? GZ_CHUNK : (uInt)n;

		if (r->format == GZ_GZIP)
			r->check = (uint32_t)crc32(r->check, p, k);
		else
			r->check = (uint32_t)adler32(r->check, p, k);
		p += k;
		n -= k;
	}
}

static int gz_run_inflate(struct gz_run *r)
{
	z_stream zs;
	uint8_t *win = NULL;
	size_t in_pos = 0, out_pos = 0;
	int zrc, rc = 0;

	memset(&zs, 0, sizeof(zs));
	zs.zalloc = gz_zalloc;
	zs.zfree = gz_zfree;
	r->total = 0;
	r->check = r->format == GZ_GZIP ? (uint32_t)crc32(0L, Z_NULL, 0) : (uint32_t)adler32(0L, Z_NULL, 0);
	r->msg = NULL;
	if (!r->dst) {
		win = plat_malloc(GZ_WINDOW);
		if (!win)
			return -WB_ENOMEM;
	}
	zrc = inflateInit2(&zs, r->wbits);
	if (zrc != Z_OK) {
		plat_free(win);
		return zrc == Z_MEM_ERROR ? -WB_ENOMEM : -WB_EINFDATA;
	}
	for (;;) {
		uint8_t *obuf;
		size_t before;

		if (!zs.avail_in && in_pos < r->in_len) {
			size_t k = r->in_len - in_pos;

			zs.next_in = (Bytef *)(uintptr_t)(r->in + in_pos);
			zs.avail_in = k > GZ_CHUNK ? GZ_CHUNK : (uInt)k;
			in_pos += zs.avail_in;
		}
		if (win) {
			obuf = win;
			zs.next_out = win;
			zs.avail_out = GZ_WINDOW;
		} else {
			size_t k = r->dst_cap - out_pos;

			obuf = r->dst + out_pos;
			zs.next_out = obuf;
			zs.avail_out = k > GZ_CHUNK ? GZ_CHUNK : (uInt)k;
		}
		before = zs.avail_out;
		zrc = inflate(&zs, Z_NO_FLUSH);
		if (zrc == Z_STREAM_END || zrc == Z_OK || zrc == Z_BUF_ERROR) {
			size_t n = before - zs.avail_out;

			/* the cap is checked before anything more is kept or summed */
			if (n > r->cap - r->total) {
				rc = -WB_EINFCAP;
				break;
			}
			gz_sum(r, obuf, n);
			r->total += n;
			out_pos += n;
		}
		if (zrc == Z_STREAM_END) {
			/* the stream ended: what is left before the trailer must be nothing */
			if (zs.avail_in || in_pos < r->in_len)
				rc = -WB_EINFTRAIL;
			break;
		}
		if (zrc == Z_DATA_ERROR) {
			r->msg = zs.msg;
			rc = -WB_EINFDATA;
			break;
		}
		if (zrc == Z_MEM_ERROR) {
			rc = -WB_ENOMEM;
			break;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			rc = -WB_EINFDATA;
			break;
		}
		/* no progress possible: input all given and consumed → the stream was cut */
		if (!zs.avail_in && in_pos >= r->in_len && zs.avail_out) {
			rc = -WB_EINFTRUNC;
			break;
		}
		/* pass 2's buffer full before the stream's end: the stream differs from
		 * what pass 1 measured (cannot happen for the same bytes) */
		if (!win && out_pos == r->dst_cap && !zs.avail_out) {
			uint8_t probe;

			zs.next_out = &probe;
			zs.avail_out = 1;
			zrc = inflate(&zs, Z_NO_FLUSH);
			if (zrc == Z_STREAM_END && zs.avail_out == 1) {
				if (zs.avail_in || in_pos < r->in_len)
					rc = -WB_EINFTRAIL;
			} else {
				rc = -WB_EINFDATA;
			}
			break;
		}
	}
	inflateEnd(&zs);
	plat_free(win);
	return rc;
}

int gz_inflate(const uint8_t *in, size_t len, size_t cap, uint8_t **out, size_t *out_len,
	       struct gz_header *hout)
{
	struct gz_header h;
	struct gz_run r;
	uint32_t want, isize;
	uint8_t *buf;
	int rc;

	*out = NULL;
	*out_len = 0;
	rc = gz_parse_header(in, len, &h);
	if (hout)
		*hout = h;
	if (rc)
		return rc;
	gz_trailer(&h, in, len, &want, &isize);
	memset(&r, 0, sizeof(r));
	r.in = in + h.data_off;
	r.in_len = len - h.data_off - h.trailer_len;
	r.wbits = h.format == GZ_ZLIB ? -(int)(h.cmf >> 4) - 8 : -15;
	r.format = h.format;
	r.cap = cap;
	/* pass 1: measure and check, keeping nothing */
	rc = gz_run_inflate(&r);
	if (rc) {
		if (hout)
			hout->msg = r.msg;
		return rc;
	}
	if (r.check != want)
		return h.format == GZ_GZIP ? -WB_EGZCRC : -WB_EZLIBADLER;
	if (h.format == GZ_GZIP && (uint32_t)r.total != isize)
		return -WB_EGZSIZE;
	/* pass 2: into a buffer of exactly that size */
	buf = plat_malloc(r.total ? r.total : 1);
	if (!buf)
		return -WB_ENOMEM;
	r.dst = buf;
	r.dst_cap = r.total;
	rc = gz_run_inflate(&r);
	if (!rc && (r.total != r.dst_cap || r.check != want))
		rc = -WB_EINFDATA;
	if (rc) {
		plat_free(buf);
		return rc;
	}
	*out = buf;
	*out_len = r.total;
	return 0;
}
