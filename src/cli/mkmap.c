/*
 * mkmap.c — `wireboot mkmap [--chunk-size BYTES] [-o FILE] IMAGE`: make the
 * integrity manifest (san/wbmap.h) of a disk image for `sanboot --verify`.
 *
 * Reads IMAGE (a file or a block device, through host_image_*) once, in
 * 1 MiB pieces, into the streaming writer; writes the manifest to FILE
 * (default IMAGE.wbmap) atomically: a new temporary file beside it
 * (FILE.tmp-N, created exclusively), synced, then renamed over FILE, so a
 * server never serves half a manifest and an interrupted run leaves the old
 * one.  Prints one line on stdout:
 *
 *   wbmap: FILE N chunks of C bytes sha256 HEX
 *
 * HEX (the last field) is the manifest's own SHA-256: what a script gives to
 * `sanboot --verify --map-sha256 HEX`.  Exit 0 done, 1 failed (empty or
 * unreadable image, too many chunks, cannot write), 2 bad usage or IMAGE
 * cannot be opened (as inspect), 130 SIGINT (no file left behind).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bearssl_hash.h"
#include "cli/cli.h"
#include "cli/cmds.h"
#include "core/err.h"
#include "platform/host/hostcli.h"
#include "san/wbmap.h"

#define MKMAP_PIECE (1u << 20)

void mkmap_usage(FILE *f)
{
	fprintf(f,
		"usage: wireboot mkmap [--chunk-size BYTES] [-o FILE] IMAGE\n"
		"       (the .wbmap manifest for sanboot --verify: FILE defaults to IMAGE.wbmap,\n"
		"        BYTES to 65536: a power of two from 4096 to 16777216, or 64K, 1M ...)\n");
}

/* "65536", "64K", "1M": a power of two in the manifest's range, else 0 */
static uint32_t parse_chunk_size(const char *s)
{
	unsigned long long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > WBMAP_CHUNK_MAX)
			return 0;
	}
	if ((*p == 'K' || *p == 'k') && !p[1])
		v <<= 10;
	else if ((*p == 'M' || *p == 'm') && !p[1])
		v <<= 20;
	else if (*p)
		return 0;
	if (v < WBMAP_CHUNK_MIN || v > WBMAP_CHUNK_MAX || (v & (v - 1)))
		return 0;
	return (uint32_t)v;
}

/* the temporary file beside @out, created exclusively ("wx": C11): its name in @tmp */
static FILE *open_temp(const char *out, char *tmp, size_t cap)
{
	for (unsigned k = 0; k < 100; k++) {
		FILE *f;

		if ((size_t)snprintf(tmp, cap, "%s.tmp-%u", out, k) >= cap)
			return NULL;
		f = fopen(tmp, "wbx");
		if (f)
			return f;
	}
	return NULL;
}

/* hash the whole image into @w: 0, -WB_EDISKREAD, or -WB_ECANCELED (SIGINT) */
static int feed_image(struct host_image *im, uint64_t size, struct wbmap_writer *w, uint8_t *buf)
{
	for (uint64_t off = 0; off < size;) {
		size_t n = size - off < MKMAP_PIECE ? (size_t)(size - off) : MKMAP_PIECE;
		int rc;

		if (host_sigint_count())
			return -WB_ECANCELED;
		rc = host_image_read(im, buf, n, off);
		if (!rc)
			rc = wbmap_writer_feed(w, buf, n);
		if (rc)
			return rc;
		off += n;
	}
	return 0;
}

int mkmap_main(int argc, char **argv)
{
	const char *image = NULL, *out = NULL, *why = "";
	uint32_t chunk = WBMAP_CHUNK_DEFAULT, lbs;
	struct host_image *im;
	struct wbmap_writer *w = NULL;
	uint8_t *buf = NULL, *map = NULL, sum[32];
	char *outbuf = NULL, *tmp = NULL, hex[65];
	br_sha256_context sha;
	uint64_t size, chunks;
	size_t len = 0, tmpcap;
	FILE *f = NULL;
	int kind, rc, status = 1;

	if (cli_wants_help(argc, argv)) {
		mkmap_usage(stdout);
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--chunk-size") || !strcmp(argv[i], "-o")) {
			if (i + 1 == argc)
				return cli_usage_error("mkmap", mkmap_usage, "%s needs a value", argv[i]);
			if (argv[i][1] == 'o') {
				out = argv[++i];
				if (!*out)
					return cli_usage_error("mkmap", mkmap_usage, "-o needs a file name");
			} else {
				chunk = parse_chunk_size(argv[++i]);
				if (!chunk)
					return cli_usage_error("mkmap", mkmap_usage,
							       "bad --chunk-size '%s' (a power of two from 4096 to 16777216 bytes, e.g. 65536 or 64K)",
							       argv[i]);
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("mkmap", mkmap_usage, "unknown option '%s'", argv[i]);
		} else if (image) {
			return cli_usage_error("mkmap", mkmap_usage, "unexpected argument '%s'", argv[i]);
		} else {
			image = argv[i];
		}
	}
	if (!image)
		return cli_usage_error("mkmap", mkmap_usage, "no IMAGE given");
	if (!out) {
		len = strlen(image) + sizeof(".wbmap");
		outbuf = malloc(len);
		if (!outbuf) {
			fprintf(stderr, "wireboot mkmap: out of memory\n");
			return 1;
		}
		snprintf(outbuf, len, "%s.wbmap", image);
		out = outbuf;
	}

	switch (host_image_open(image, &im, &kind, &size, &lbs, &why)) {
	case HOST_IMAGE_OK:
		break;
	case HOST_IMAGE_EOPEN:
		fprintf(stderr, "wireboot mkmap: cannot open %s: %s\n", image, why);
		free(outbuf);
		return CLI_EXIT_USAGE;
	case HOST_IMAGE_ESIZE:
		fprintf(stderr, "wireboot mkmap: %s: cannot get the block device's size: %s\n", image, why);
		free(outbuf);
		return 1;
	case HOST_IMAGE_EKIND:
	default:
		fprintf(stderr, "wireboot mkmap: %s is neither a disk image file nor a block device\n", image);
		free(outbuf);
		return CLI_EXIT_USAGE;
	}
	if (!size) {
		fprintf(stderr, "wireboot mkmap: %s is empty: nothing to map\n", image);
		goto out;
	}
	len = wbmap_size(size, chunk);
	if (!len) {
		fprintf(stderr, "wireboot mkmap: %s: %llu bytes is more than %u chunks of %u bytes "
			"(a manifest is at most %u bytes): use a larger --chunk-size\n", image,
			(unsigned long long)size, (unsigned)((WBMAP_SIZE_MAX - WBMAP_HEADER) / 32), chunk,
			(unsigned)WBMAP_SIZE_MAX);
		goto out;
	}
	chunks = (len - WBMAP_HEADER) / 32;
	buf = malloc(MKMAP_PIECE);
	map = malloc(len);
	tmpcap = strlen(out) + 16;
	tmp = malloc(tmpcap);
	if (tmp)
		tmp[0] = 0;   /* no temporary file yet */
	rc = buf && map && tmp ? wbmap_writer_new(size, chunk, &w) : -WB_ENOMEM;
	if (rc) {
		fprintf(stderr, "wireboot mkmap: %s\n", wb_strerror(rc));
		goto out;
	}
	host_sigint_count_start();
	rc = feed_image(im, size, w, buf);
	if (!rc)
		rc = wbmap_writer_finish(w, map, len);
	if (rc == -WB_ECANCELED) {
		fprintf(stderr, "wireboot mkmap: interrupted; %s not written\n", out);
		status = CLI_EXIT_SIGINT;
		goto out;
	}
	if (rc) {
		fprintf(stderr, "wireboot mkmap: reading %s: %s\n", image, wb_strerror(rc));
		goto out;
	}

	f = open_temp(out, tmp, tmpcap);
	if (!f) {
		fprintf(stderr, "wireboot mkmap: cannot create %s.tmp-N beside %s: %s\n", out, out,
			strerror(errno));
		tmp[0] = 0;   /* not ours */
		goto out;
	}
	if (fwrite(map, 1, len, f) != len || host_file_sync(f)) {
		fprintf(stderr, "wireboot mkmap: cannot write %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	rc = fclose(f);
	f = NULL;
	if (rc) {
		fprintf(stderr, "wireboot mkmap: cannot write %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	if (host_sigint_count()) {
		fprintf(stderr, "wireboot mkmap: interrupted; %s not written\n", out);
		status = CLI_EXIT_SIGINT;
		goto out;
	}
	if (rename(tmp, out)) {
		fprintf(stderr, "wireboot mkmap: cannot rename %s to %s: %s\n", tmp, out, strerror(errno));
		goto out;
	}
	tmp[0] = 0;   /* renamed: nothing to remove */
	br_sha256_init(&sha);
	br_sha256_update(&sha, map, len);
	br_sha256_out(&sha, sum);
	for (int k = 0; k < 32; k++)
		snprintf(hex + 2 * k, 3, "%02x", sum[k]);
	printf("wbmap: %s %llu chunks of %u bytes sha256 %s\n", out, (unsigned long long)chunks,
	       chunk, hex);
	status = 0;
out:
	if (f)
		fclose(f);
	if (tmp && tmp[0] && status)
		remove(tmp);
	wbmap_writer_free(w);
	host_image_close(im);
	free(tmp);
	free(map);
	free(buf);
	free(outbuf);
	return status;
}
