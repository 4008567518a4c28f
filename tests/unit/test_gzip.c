/*
 * test_gzip.c — the gzip (RFC 1952) and zlib (RFC 1950) containers and gz_inflate().
 *
 * Vectors: hand-assembled from the RFCs — an empty gzip member (a fixed-Huffman block
 * holding only end-of-block, RFC 1951 §3.2.6), stored blocks (§3.2.4) of "123456789"
 * (its CRC-32 is the published check value 0xCBF43926) and of "Wikipedia" (Adler-32
 * 0x11E60398, the example of the Adler-32 article), a header with every optional field
 * (FEXTRA, FNAME, FCOMMENT, FHCRC: the header CRC computed with Python's zlib.crc32) —
 * and the output of `gzip -9n` and of zlib.compress(..., 9) (dynamic Huffman blocks).
 * Each bad case is one of those with one thing broken.  The bomb is a fixed-Huffman
 * stream written bit by bit here: one literal and then only <length 258, distance 1>
 * pairs, 13 bits for every 258 output bytes.
 *
 * Then the script commands over a fake fetcher: automatic inflation at `chain` and `boot`,
 * `imgextract` (default name, --name, --keep, a URI), the errors, and all of it run once
 * per allocation it makes with that allocation failing (nothing may leak).
 */
#define UNIT_NAME "gzip"
#include <stdlib.h>

#include "zlib.h"

#include "core/err.h"
#include "core/settings.h"
#include "img/gzip.h"
#include "script/image.h"
#include "script/script.h"
#include "unit.h"

void *plat_malloc(size_t n);
void plat_free(void *p);

/* gzip, empty: header (no flags, OS 3), deflate 03 00, CRC 0, ISIZE 0 */
static const uint8_t gz_empty[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x03, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* gzip, stored block "123456789", OS 255 */
static const uint8_t gz_check[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff,
	0x01, 0x09, 0x00, 0xf6, 0xff, '1', '2', '3', '4', '5', '6', '7', '8', '9',
	0x26, 0x39, 0xf4, 0xcb, 0x09, 0x00, 0x00, 0x00,
};

/* zlib (CMF 78: deflate, 32 KiB window; FLG 01), stored block "Wikipedia", Adler-32 */
static const uint8_t zl_wiki[] = {
	0x78, 0x01,
	0x01, 0x09, 0x00, 0xf6, 0xff, 'W', 'i', 'k', 'i', 'p', 'e', 'd', 'i', 'a',
	0x11, 0xe6, 0x03, 0x98,
};

/* gzip with FHCRC|FEXTRA|FNAME|FCOMMENT, MTIME 0x5f5e1000, stored block "hello" */
static const uint8_t gz_all[] = {
	0x1f, 0x8b, 0x08, 0x1e, 0x00, 0x10, 0x5e, 0x5f, 0x00, 0x03,
	0x04, 0x00, 0x41, 0x42, 0x00, 0x00,                     /* XLEN 4: SI 'A' 'B', LEN 0 */
	'v', 'm', 'l', 'i', 'n', 'u', 'z', 0x00,                /* FNAME */
	'a', ' ', 'c', 'o', 'm', 'm', 'e', 'n', 't', 0x00,      /* FCOMMENT */
	0xa0, 0x94,                                             /* FHCRC */
	0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o',
	0x86, 0xa6, 0x10, 0x36, 0x05, 0x00, 0x00, 0x00,
};
#define GZ_ALL_DATA_OFF 36

/* printf 'hello hello hello hello\n' | gzip -9n */
static const uint8_t gz_tool[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48,
	0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x27, 0xb9, 0x00, 0x00, 0x88, 0x59,
	0x0b, 0x18, 0x00, 0x00, 0x00,
};
static const char gz_tool_text[] = "hello hello hello hello\n";

/* zlib.compress(b'The quick brown fox jumps over the lazy dog. ' * 20, 9) */
static const uint8_t zl_fox[] = {
	0x78, 0xda, 0x0b, 0xc9, 0x48, 0x55, 0x28, 0x2c, 0xcd, 0x4c, 0xce, 0x56, 0x48, 0x2a,
	0xca, 0x2f, 0xcf, 0x53, 0x48, 0xcb, 0xaf, 0x50, 0xc8, 0x2a, 0xcd, 0x2d, 0x28, 0x56,
	0xc8, 0x2f, 0x4b, 0x2d, 0x52, 0x28, 0x01, 0x4a, 0xe7, 0x24, 0x56, 0x55, 0x2a, 0xa4,
	0xe4, 0xa7, 0xeb, 0x29, 0x84, 0x8c, 0x2a, 0x1e, 0x55, 0x3c, 0xaa, 0x98, 0xda, 0x8a,
	0x01, 0x47, 0xa5, 0x43, 0x1c,
};
static const char fox[] = "The quick brown fox jumps over the lazy dog. ";

#define MIB (1024u * 1024u)

/* Inflate @in with @cap; check rc, the output and that nothing leaked. */
static int inflate_case(const char *what, const uint8_t *in, size_t len, size_t cap, int want_rc,
			const void *want, size_t want_len)
{
	long live = host_live_allocs();
	uint8_t *out = (uint8_t *)1;
	size_t out_len = 99;
	char name[160];
	int rc = gz_inflate(in, len, cap, &out, &out_len, NULL);

	snprintf(name, sizeof(name), "%s: %s", what, want_rc ? wb_strerror(want_rc) : "inflates");
	if (rc != want_rc)
		printf("    %s: got %d (%s)\n", what, rc, wb_strerror(rc));
	if (!want_rc)
		CHECK(name, !rc && out && out_len == want_len && !memcmp(out, want, want_len));
	else
		CHECK(name, rc == want_rc && !out && !out_len);
	plat_free(out != (uint8_t *)1 ? out : NULL);
	snprintf(name, sizeof(name), "%s: nothing left allocated", what);
	CHECK(name, host_live_allocs() == live);
	return rc;
}

/* A copy of @src (@len) with byte @at XORed with @x; @cut bytes dropped from the end. */
static uint8_t *mutate(const uint8_t *src, size_t len, size_t at, uint8_t x, size_t cut, size_t *out_len)
{
	uint8_t *p = malloc(len);

	memcpy(p, src, len);
	if (at < len)
		p[at] ^= x;
	*out_len = len - cut;
	return p;
}

static void bad(const char *what, const uint8_t *src, size_t len, size_t at, uint8_t x, size_t cut,
		int want_rc)
{
	size_t n;
	uint8_t *p = mutate(src, len, at, x, cut, &n);

	inflate_case(what, p, n, MIB, want_rc, NULL, 0);
	free(p);
}

/* ---- a bit writer for hand-made deflate streams (RFC 1951 §3.1.1) ---- */
struct bits {
	uint8_t *buf;
	size_t len, cap;
	uint32_t acc;
	int n;
};

static void put_bits(struct bits *b, uint32_t v, int n)   /* LSB first */
{
	b->acc |= v << b->n;
	b->n += n;
	while (b->n >= 8) {
		if (b->len == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 4096;
			b->buf = realloc(b->buf, b->cap);
		}
		b->buf[b->len++] = (uint8_t)b->acc;
		b->acc >>= 8;
		b->n -= 8;
	}
}

static void put_huff(struct bits *b, uint32_t code, int n)   /* Huffman codes MSB first */
{
	uint32_t r = 0;

	for (int i = 0; i < n; i++)
		r |= ((code >> i) & 1) << (n - 1 - i);
	put_bits(b, r, n);
}

/* One final fixed-Huffman block: literal 0, @k × <258, 1>, end of block: 1 + 258 k bytes. */
static void deflate_bomb(struct bits *b, size_t k)
{
	put_bits(b, 1, 1);              /* BFINAL */
	put_bits(b, 1, 2);              /* BTYPE 01: fixed Huffman */
	put_huff(b, 0x30, 8);           /* literal 0: 00110000 */
	for (size_t i = 0; i < k; i++) {
		put_huff(b, 0xc5, 8);   /* length code 285 (258): 11000101 */
		put_huff(b, 0, 5);      /* distance code 0 (1) */
	}
	put_huff(b, 0, 7);              /* 256, end of block */
	put_bits(b, 0, 7);              /* flush */
}

/* Wrap the raw stream @d as zlib (@zlib) or gzip with ISIZE @isize and CRC @crc. */
static uint8_t *wrap(const struct bits *d, int zlib, uint32_t check, uint32_t isize, size_t *len)
{
	size_t h = zlib ? 2 : 10, t = zlib ? 4 : 8;
	uint8_t *p = calloc(1, h + d->len + t);

	if (zlib) {
		p[0] = 0x78;
		p[1] = 0x01;
		p[h + d->len] = (uint8_t)(check >> 24);
		p[h + d->len + 1] = (uint8_t)(check >> 16);
		p[h + d->len + 2] = (uint8_t)(check >> 8);
		p[h + d->len + 3] = (uint8_t)check;
	} else {
		static const uint8_t gh[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };

		memcpy(p, gh, 10);
		for (int i = 0; i < 4; i++) {
			p[h + d->len + i] = (uint8_t)(check >> (8 * i));
			p[h + d->len + 4 + i] = (uint8_t)(isize >> (8 * i));
		}
	}
	memcpy(p + h, d->buf, d->len);
	*len = h + d->len + t;
	return p;
}

static const uint8_t *sweep_in;
static size_t sweep_len;

static int sweep_run(void *arg)
{
	uint8_t *out;
	size_t n;
	int rc = gz_inflate(sweep_in, sweep_len, MIB, &out, &n, NULL);

	(void)arg;
	if (!rc)
		plat_free(out);
	return rc;
}

static int sweep_ok(int rc)
{
	return rc == 0 || rc == -WB_ENOMEM;
}

/* ---- the script commands ---- */

/* @body (@n bytes) as one stored deflate block in a gzip or zlib container, plat_malloc'd */
static uint8_t *stored(int zlib, const char *body, size_t n, size_t *len)
{
	size_t h = zlib ? 2 : 10, t = zlib ? 4 : 8, i = h;
	uint8_t *p = plat_malloc(h + 5 + n + t);

	if (!p)
		return NULL;
	if (zlib) {
		uint32_t a = (uint32_t)adler32(adler32(0L, Z_NULL, 0), (const Bytef *)body, (uInt)n);

		p[0] = 0x78;
		p[1] = 0x01;
		i = h + 5 + n;
		p[i++] = (uint8_t)(a >> 24);
		p[i++] = (uint8_t)(a >> 16);
		p[i++] = (uint8_t)(a >> 8);
		p[i++] = (uint8_t)a;
	} else {
		static const uint8_t gh[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
		uint32_t c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)body, (uInt)n);

		memcpy(p, gh, 10);
		i = h + 5 + n;
		for (int k = 0; k < 4; k++) {
			p[i + k] = (uint8_t)(c >> (8 * k));
			p[i + 4 + k] = (uint8_t)(n >> (8 * k));
		}
	}
	p[h] = 1;                       /* BFINAL, stored */
	p[h + 1] = (uint8_t)n;
	p[h + 2] = (uint8_t)(n >> 8);
	p[h + 3] = (uint8_t)~n;
	p[h + 4] = (uint8_t)(~n >> 8);
	memcpy(p + h + 5, body, n);
	*len = h + 5 + n + t;
	return p;
}

static int gz_fetch(struct script_ctx *c, const char *uri, uint8_t **data, size_t *len)
{
	static const char script[] = "#!ipxe\nset ran ${ran}g\n";
	static const char text[] = "plain text";

	(void)c;
	if (strstr(uri, "/s.ipxe.gz"))
		*data = stored(0, script, sizeof(script) - 1, len);
	else if (strstr(uri, "/s.ipxe.z"))
		*data = stored(1, script, sizeof(script) - 1, len);
	else if (strstr(uri, "/text.gz"))
		*data = stored(0, text, sizeof(text) - 1, len);
	else if (strstr(uri, "/bad.gz")) {
		*data = stored(0, script, sizeof(script) - 1, len);
		if (*data)
			(*data)[*len - 8] ^= 1;   /* the CRC-32 */
	} else {
		return -WB_ENOENT;
	}
	return *data ? 0 : -WB_ENOMEM;
}

static struct script_ctx sctx;

static int script_exec_ok(const char *line, int want)
{
	int rc = script_exec_line(&sctx, line);

	if (rc != want)
		printf("    \"%s\": %d (%s), want %d\n", line, rc, wb_strerror(rc), want);
	return rc == want;
}

/* The scenario the allocation sweep runs: every command may fail, nothing may leak. */
static int run_cmds(void *arg)
{
	static const char *const lines[] = {
		"chain http://t/s.ipxe.gz",
		"kernel http://t/s.ipxe.z",
		"boot",
		"imgextract http://t/s.ipxe.gz",
		"imgfetch http://t/text.gz a b",
		"imgextract --keep --name t text.gz",
		"imgextract http://t/bad.gz",
		"chain http://t/bad.gz",
		"imgfree",
	};
	int rc = 0;

	(void)arg;
	script_init(&sctx);
	script_register_basic(&sctx);
	script_register_image(&sctx);
	sctx.fetch = gz_fetch;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int r = script_exec_line(&sctx, lines[i]);

		if (r && r != -WB_EGZCRC && !rc)
			rc = r;
	}
	script_fini(&sctx);
	return rc;
}

static void script_tests(void)
{
	long live = host_live_allocs();

	script_init(&sctx);
	script_register_basic(&sctx);
	script_register_image(&sctx);
	sctx.fetch = gz_fetch;
	CHECK("chain of a gzip'd script inflates and runs it", script_exec_ok("chain http://t/s.ipxe.gz", 0));
	CHECK_STR("the script ran", settings_get(&sctx.settings, "ran", NULL), "g");
	CHECK("kernel + boot of a zlib'd script", script_exec_ok("kernel http://t/s.ipxe.z", 0) &&
						   script_exec_ok("boot", 0));
	CHECK_STR("it ran", settings_get(&sctx.settings, "ran", NULL), "gg");
	CHECK("boot again: the image is the inflated script now", script_exec_ok("boot", 0));
	CHECK_STR("it ran again", settings_get(&sctx.settings, "ran", NULL), "ggg");
	CHECK("imgextract of a URI", script_exec_ok("imgextract http://t/s.ipxe.gz", 0));
	CHECK("the extracted image is s.ipxe", script_exec_ok("imgexec s.ipxe", 0));
	CHECK("the compressed one is gone", script_exec_ok("imgexec s.ipxe.gz", -WB_ENOIMAGE));
	CHECK("imgextract --keep --name", script_exec_ok("imgfetch http://t/text.gz a b", 0) &&
					  script_exec_ok("imgextract --keep --name t text.gz", 0));
	CHECK("--keep kept the original", script_exec_ok("imgargs text.gz c", 0));
	CHECK("the extracted data is not runnable", script_exec_ok("imgexec t", -WB_EBADIMAGE));
	CHECK("a plain image is not compressed", script_exec_ok("imgextract t", -WB_ENOTCOMPRESSED));
	CHECK("--keep under the same name refused", script_exec_ok("imgextract --keep --name text.gz text.gz", -WB_EEXIST));
	CHECK("compressed data is inflated but not run", script_exec_ok("imgexec text.gz", -WB_EBADIMAGE));
	CHECK("imgextract of a bad CRC", script_exec_ok("imgextract http://t/bad.gz", -WB_EGZCRC));
	CHECK("its fetched image is discarded", script_exec_ok("imgargs bad.gz x", -WB_ENOIMAGE));
	CHECK("chain of a bad CRC", script_exec_ok("chain http://t/bad.gz", -WB_EGZCRC));
	CHECK("chain keeps what it fetched", script_exec_ok("imgargs bad.gz x", 0));
	settings_set(&sctx.settings, "imgextract-max", "9");
	CHECK("imgextract-max 9 (one under the 10 bytes): refused", script_exec_ok("imgextract --keep --name u text.gz", -WB_EINFCAP));
	settings_set(&sctx.settings, "imgextract-max", "0");
	CHECK("imgextract-max 0: a bad value", script_exec_ok("imgextract --keep --name u text.gz", -WB_EBADVAL));
	settings_set(&sctx.settings, "imgextract-max", "0x100");
	CHECK("imgextract-max 0x100: fits", script_exec_ok("imgextract --keep --name u text.gz", 0));
	CHECK("imgextract with no image or URI", script_exec_ok("imgextract", -WB_EUSAGE));
	CHECK("imgextract of a missing URI", script_exec_ok("imgextract http://t/missing.gz", -WB_ENOENT));
	script_fini(&sctx);
	CHECK("script commands: nothing left allocated", host_live_allocs() == live);

	/* imgtrust: a compressed image must be verified (its compressed bytes) before it is
	 * inflated; what it inflates to, in place or by imgextract, inherits the trust */
	{
		struct image *img;

		script_init(&sctx);
		script_register_basic(&sctx);
		script_register_image(&sctx);
		sctx.fetch = gz_fetch;
		sctx.img_trust_required = 1;
		CHECK("imgtrust: an unverified gzip'd script is refused",
		      script_exec_ok("chain http://t/s.ipxe.gz", -WB_ENOTTRUSTED));
		CHECK("imgtrust: the refused image is kept", script_image_acquire(&sctx, "s.ipxe.gz", &img) == 0);
		{
			const uint8_t *d;
			size_t n;

			script_image_bytes(img, &d, &n);
			CHECK("imgtrust: the refused image is still compressed", gz_detect(d, n) == GZ_GZIP);
		}
		script_image_set_trusted(img);   /* what a good imgverify does */
		CHECK("imgtrust: verified, it is inflated and runs", script_exec_ok("boot s.ipxe.gz", 0));
		CHECK_STR("imgtrust: it ran", settings_get(&sctx.settings, "ran", NULL), "g");
		CHECK("imgtrust: imgextract of a verified image", script_exec_ok("imgfetch http://t/s.ipxe.z", 0) &&
			script_image_acquire(&sctx, "s.ipxe.z", &img) == 0);
		script_image_set_trusted(img);
		CHECK("imgtrust: ... gives a trusted image that runs",
		      script_exec_ok("imgextract --name e s.ipxe.z", 0) && script_exec_ok("imgexec e", 0));
		CHECK("imgtrust: imgextract of an unverified image gives an untrusted one",
		      script_exec_ok("imgfetch --name u http://t/s.ipxe.gz", 0) &&
		      script_exec_ok("imgextract --name v u", 0) && script_exec_ok("imgexec v", -WB_ENOTTRUSTED));
		script_fini(&sctx);
	}
	CHECK("the sweep's scenario runs", run_cmds(NULL) == 0);
	unit_alloc_sweep("compressed images in scripts", run_cmds, NULL, sweep_ok);
}

int main(void)
{
	struct gz_header h;
	uint32_t check, isize;
	char text[20 * 45 + 1];
	int rc;

	/* ---- detection: magic only */
	CHECK("detect: gzip 1f 8b", gz_detect(gz_empty, sizeof(gz_empty)) == GZ_GZIP);
	CHECK("detect: zlib 78 01", gz_detect(zl_wiki, sizeof(zl_wiki)) == GZ_ZLIB);
	CHECK("detect: zlib 78 da", gz_detect(zl_fox, sizeof(zl_fox)) == GZ_ZLIB);
	CHECK("detect: zlib 78 9c", gz_detect((const uint8_t *)"\x78\x9c", 2) == GZ_ZLIB);
	CHECK("detect: zlib 08 1d (256-byte window)", gz_detect((const uint8_t *)"\x08\x1d", 2) == GZ_ZLIB);
	CHECK("detect: 78 02 (FCHECK wrong) is not zlib", gz_detect((const uint8_t *)"\x78\x02", 2) == GZ_NONE);
	CHECK("detect: 79 xx (CM 9) is not zlib", gz_detect((const uint8_t *)"\x79\x01", 2) == GZ_NONE);
	CHECK("detect: MZ is not compressed", gz_detect((const uint8_t *)"MZ", 2) == GZ_NONE);
	CHECK("detect: #!ipxe is not compressed", gz_detect((const uint8_t *)"#!ipxe", 6) == GZ_NONE);
	CHECK("detect: one byte is nothing", gz_detect(gz_empty, 1) == GZ_NONE);

	/* ---- headers */
	rc = gz_parse_header(gz_empty, sizeof(gz_empty), &h);
	CHECK("header: empty gzip: data at 10, 8-byte trailer",
	      !rc && h.format == GZ_GZIP && h.data_off == 10 && h.trailer_len == 8 && h.os == 3 &&
	      !h.name_len);
	rc = gz_parse_header(gz_all, sizeof(gz_all), &h);
	CHECK("header: FEXTRA FNAME FCOMMENT FHCRC skipped, data after them",
	      !rc && h.data_off == GZ_ALL_DATA_OFF && h.flg == 0x1e && h.mtime == 0x5f5e1000);
	CHECK("header: FNAME found", !rc && h.name_len == 7 && !memcmp(gz_all + h.name_off, "vmlinuz", 7));
	gz_trailer(&h, gz_all, sizeof(gz_all), &check, &isize);
	CHECK("trailer: gzip CRC-32 and ISIZE, little-endian", check == 0x3610a686 && isize == 5);
	rc = gz_parse_header(zl_wiki, sizeof(zl_wiki), &h);
	CHECK("header: zlib: data at 2, 4-byte trailer, 32 KiB window",
	      !rc && h.format == GZ_ZLIB && h.data_off == 2 && h.trailer_len == 4 && h.window == 32768);
	gz_trailer(&h, zl_wiki, sizeof(zl_wiki), &check, &isize);
	CHECK("trailer: zlib Adler-32, big-endian", check == 0x11e60398 && isize == 0);
	CHECK("header: plain data is -WB_ENOTCOMPRESSED",
	      gz_parse_header((const uint8_t *)"MZxxxxxxxxxxxxxxxxxxx", 20, &h) == -WB_ENOTCOMPRESSED);
	CHECK("header: gzip cut inside the fixed header is -WB_EGZHEADER",
	      gz_parse_header(gz_all, 9, &h) == -WB_EGZHEADER);
	CHECK("header: gzip cut inside FEXTRA is -WB_EGZHEADER",
	      gz_parse_header(gz_all, 14, &h) == -WB_EGZHEADER);
	CHECK("header: gzip cut inside FNAME is -WB_EGZHEADER",
	      gz_parse_header(gz_all, 20, &h) == -WB_EGZHEADER);
	CHECK("header: gzip cut inside FCOMMENT is -WB_EGZHEADER",
	      gz_parse_header(gz_all, 30, &h) == -WB_EGZHEADER);
	CHECK("header: gzip cut inside FHCRC is -WB_EGZHEADER",
	      gz_parse_header(gz_all, 35, &h) == -WB_EGZHEADER);
	CHECK("header: gzip with no room for the trailer is -WB_EINFTRUNC",
	      gz_parse_header(gz_all, GZ_ALL_DATA_OFF + 7, &h) == -WB_EINFTRUNC);
	CHECK("header: zlib of 5 bytes (no room for the trailer) is -WB_EINFTRUNC",
	      gz_parse_header(zl_wiki, 5, &h) == -WB_EINFTRUNC);

	/* ---- good images */
	inflate_case("empty gzip", gz_empty, sizeof(gz_empty), MIB, 0, "", 0);
	inflate_case("gzip stored 123456789 (CRC 0xCBF43926)", gz_check, sizeof(gz_check), MIB, 0,
		     "123456789", 9);
	inflate_case("zlib stored Wikipedia (Adler-32 0x11E60398)", zl_wiki, sizeof(zl_wiki), MIB, 0,
		     "Wikipedia", 9);
	inflate_case("gzip with every optional header field", gz_all, sizeof(gz_all), MIB, 0, "hello", 5);
	inflate_case("gzip -9n output", gz_tool, sizeof(gz_tool), MIB, 0, gz_tool_text,
		     sizeof(gz_tool_text) - 1);
	for (int i = 0; i < 20; i++)
		memcpy(text + 45 * i, fox, 45);
	inflate_case("zlib level 9 output (dynamic Huffman)", zl_fox, sizeof(zl_fox), MIB, 0, text, 900);
	inflate_case("cap exactly the output size", zl_fox, sizeof(zl_fox), 900, 0, text, 900);
	inflate_case("cap one byte under the output", zl_fox, sizeof(zl_fox), 899, -WB_EINFCAP, NULL, 0);
	inflate_case("gzip: cap one byte under the output", gz_check, sizeof(gz_check), 8, -WB_EINFCAP,
		     NULL, 0);

	/* ---- bad images: one thing broken each */
	bad("gzip CM 7", gz_check, sizeof(gz_check), 2, 0x0f, 0, -WB_EGZMETHOD);
	bad("gzip reserved FLG bit 5", gz_check, sizeof(gz_check), 3, 0x20, 0, -WB_EGZFLAGS);
	bad("gzip reserved FLG bit 7", gz_check, sizeof(gz_check), 3, 0x80, 0, -WB_EGZFLAGS);
	bad("gzip FHCRC wrong", gz_all, sizeof(gz_all), GZ_ALL_DATA_OFF - 1, 0x01, 0, -WB_EGZHCRC);
	bad("gzip header changed under FHCRC", gz_all, sizeof(gz_all), 17, 0x01, 0, -WB_EGZHCRC);
	bad("gzip FEXTRA XLEN past the end", gz_all, sizeof(gz_all), 11, 0x40, 0, -WB_EGZHEADER);
	bad("gzip CRC-32 wrong", gz_check, sizeof(gz_check), sizeof(gz_check) - 8, 0x01, 0, -WB_EGZCRC);
	bad("gzip ISIZE too small", gz_check, sizeof(gz_check), sizeof(gz_check) - 4, 0x01, 0, -WB_EGZSIZE);
	bad("gzip ISIZE too large", gz_check, sizeof(gz_check), sizeof(gz_check) - 4, 0x02, 0, -WB_EGZSIZE);
	bad("gzip ISIZE past the cap (output fits)", gz_check, sizeof(gz_check), sizeof(gz_check) - 1,
	    0x80, 0, -WB_EGZSIZE);
	bad("gzip data changed (CRC catches it)", gz_check, sizeof(gz_check), 17, 0x01, 0, -WB_EGZCRC);
	bad("gzip stored block NLEN wrong", gz_check, sizeof(gz_check), 13, 0x01, 0, -WB_EINFDATA);
	bad("gzip block type 3 (reserved)", gz_empty, sizeof(gz_empty), 10, 0x04, 0, -WB_EINFDATA);
	bad("gzip -9n output, one deflate bit flipped", gz_tool, sizeof(gz_tool), 14, 0x10, 0, -WB_EINFDATA);
	bad("gzip cut in the deflate stream", gz_tool, sizeof(gz_tool), 0, 0, 12, -WB_EINFTRUNC);
	bad("gzip cut by one byte", gz_tool, sizeof(gz_tool), 0, 0, 1, -WB_EINFTRUNC);
	bad("zlib Adler-32 wrong", zl_wiki, sizeof(zl_wiki), sizeof(zl_wiki) - 1, 0x01, 0, -WB_EZLIBADLER);
	bad("zlib data changed (Adler-32 catches it)", zl_wiki, sizeof(zl_wiki), 8, 0x01, 0, -WB_EZLIBADLER);
	bad("zlib cut in the deflate stream", zl_fox, sizeof(zl_fox), 0, 0, 20, -WB_EINFTRUNC);
	{
		/* 0x88 0x1c: CINFO 8 with a right FCHECK — detected, refused for its window */
		static const uint8_t big_window[] = { 0x88, 0x1c, 0x03, 0x00, 0, 0, 0, 1 };
		/* 0x78 0xbb: FDICT set (FCHECK right), DICTID would follow */
		static const uint8_t fdict[] = { 0x78, 0xbb, 0, 0, 0, 1, 0x03, 0x00, 0, 0, 0, 1 };

		inflate_case("zlib CINFO 8 with a right FCHECK", big_window, sizeof(big_window), MIB,
			     -WB_EZLIBHEADER, NULL, 0);
		inflate_case("zlib FDICT", fdict, sizeof(fdict), MIB, -WB_EZLIBDICT, NULL, 0);
	}
	{
		/* two gzip members back to back: the first's trailer is not the image's end */
		uint8_t two[2 * sizeof(gz_check)];

		memcpy(two, gz_check, sizeof(gz_check));
		memcpy(two + sizeof(gz_check), gz_check, sizeof(gz_check));
		inflate_case("two gzip members", two, sizeof(two), MIB, -WB_EINFTRAIL, NULL, 0);
	}
	{
		/* padding after the stream, the trailer moved to the end */
		uint8_t pad[sizeof(gz_check) + 4];

		memcpy(pad, gz_check, sizeof(gz_check) - 8);
		memset(pad + sizeof(gz_check) - 8, 0, 4);
		memcpy(pad + sizeof(gz_check) - 4, gz_check + sizeof(gz_check) - 8, 8);
		inflate_case("bytes between stream end and trailer", pad, sizeof(pad), MIB, -WB_EINFTRAIL,
			     NULL, 0);
	}

	/* ---- decompression bombs: 32 MiB + 1 from 211 KB, the cap 1 MiB */
	{
		struct bits d = { 0 };
		size_t k = 32 * MIB / 258 + 1, out_len = 1 + 258 * k, n, largest;
		uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
		uint8_t *img, *zeros = calloc(1, out_len);

		crc = (uint32_t)crc32(crc, zeros, (uInt)out_len);
		free(zeros);
		deflate_bomb(&d, k);
		printf("    bomb: %zu bytes of deflate inflate to %zu bytes\n", d.len, out_len);
		/* zlib: no size declared (its Adler-32 is never reached: the cap comes first) */
		img = wrap(&d, 1, 0, 0, &n);
		host_alloc_largest();
		inflate_case("zlib bomb", img, n, MIB, -WB_EINFCAP, NULL, 0);
		largest = host_alloc_largest();
		printf("    zlib bomb: largest allocation %zu bytes\n", largest);
		CHECK("zlib bomb: no allocation of 64 KiB or more", largest < 65536);
		free(img);
		/* gzip, ISIZE honest (over the cap) and lying (small) */
		img = wrap(&d, 0, crc, (uint32_t)out_len, &n);
		inflate_case("gzip bomb, true ISIZE and CRC", img, n, MIB, -WB_EINFCAP, NULL, 0);
		CHECK("gzip bomb, true ISIZE: no allocation of 64 KiB or more", host_alloc_largest() < 65536);
		/* the same image under a cap it fits inflates, into one buffer of its size */
		{
			uint8_t *out = NULL;
			size_t got = 0, nz = 0;

			rc = gz_inflate(img, n, 64 * MIB, &out, &got, NULL);
			for (size_t i = 0; out && i < got; i++)
				nz += out[i] != 0;
			CHECK("the bomb under a 64 MiB cap: 32 MiB + 1 of zeros", !rc && got == out_len && !nz);
			CHECK("the bomb under a 64 MiB cap: its one large allocation is the output",
			      host_alloc_largest() == out_len);
			plat_free(out);
		}
		free(img);
		img = wrap(&d, 0, crc, 100, &n);
		inflate_case("gzip bomb, ISIZE 100", img, n, MIB, -WB_EINFCAP, NULL, 0);
		CHECK("gzip bomb, ISIZE 100: no allocation of 64 KiB or more", host_alloc_largest() < 65536);
		inflate_case("gzip bomb, ISIZE 100, under a 64 MiB cap", img, n, 64 * MIB, -WB_EGZSIZE, NULL, 0);
		CHECK("gzip bomb, ISIZE 100, under a 64 MiB cap: no allocation of 64 KiB or more",
		      host_alloc_largest() < 65536);
		free(img);
		free(d.buf);
	}

	/* ---- every allocation failing once */
	sweep_in = zl_fox;
	sweep_len = sizeof(zl_fox);
	unit_alloc_sweep("inflate zlib", sweep_run, NULL, sweep_ok);
	sweep_in = gz_all;
	sweep_len = sizeof(gz_all);
	unit_alloc_sweep("inflate gzip", sweep_run, NULL, sweep_ok);

	script_tests();
	return unit_done();
}
