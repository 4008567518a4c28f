/*
 * inspect.c — `wireboot inspect IMAGE [--arch arm64|x86_64] [--filename PATH]
 *   [--block-size 512|4096] [--ls ESP-DIR]`
 *
 * With --ls PATH, also lists that directory of the ESP (name, size, attributes).
 *
 * Runs the disk inspector (disk/inspect.c) over a local disk image file:
 * partition table, EFI System Partition, FAT, the removable-media boot files
 * and their PE headers, and a verdict for the architecture.  The block size
 * is found by looking for "EFI PART" at byte 512, then 4096 (default 512).
 * Exit 0 when the image is bootable for the architecture, 1 with the reason
 * (the last line, "verdict (ARCH): ..."), 2 for bad usage or an unreadable file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "disk/fat.h"
#include "disk/inspect.h"
#include "cli/cli.h"
#include "platform/host/hostcli.h"

int inspect_main(int argc, char **argv);

struct img {
	struct host_image *h;
	uint32_t bs;
};

static int img_read(void *arg, uint64_t lba, uint32_t n, void *buf)
{
	struct img *im = arg;

	return host_image_read(im->h, buf, (size_t)n * im->bs, lba * im->bs);
}

static void print_line(void *arg, const char *text)
{
	(void)arg;
	printf("%s\n", text);
}

/* --ls: the ESP as a FAT volume through byte reads on the image */
struct esp_win {
	struct host_image *h;
	uint64_t base;
};

static int esp_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct esp_win *w = arg;

	return host_image_read(w->h, buf, len, w->base + off);
}

static int ls_line(void *arg, const struct fat_dirent *e)
{
	(void)arg;
	printf("  %c%c%c %10u  %s\n", (e->attr & FAT_ATTR_DIRECTORY) ? 'd' : '-',
	       (e->attr & FAT_ATTR_HIDDEN) ? 'h' : '-', (e->attr & FAT_ATTR_SYSTEM) ? 's' : '-',
	       (unsigned)e->size, e->name);
	return 0;
}

static int list_esp(struct host_image *h, const struct disk_report *rep, const char *path)
{
	const struct disk_part *p;
	struct esp_win w;
	struct fat_vol v;
	int rc;

	if (rep->esp < 0 || rep->fat_rc != 0 || !rep->fat_type) {
		printf("ls %s: no FAT ESP to list\n", path);
		return -WB_ENOENT;
	}
	p = &rep->parts[rep->esp];
	w.h = h;
	w.base = p->first_lba * rep->block_size;
	rc = fat_mount(&v, esp_read, &w, (p->last_lba - p->first_lba + 1) * rep->block_size);
	if (rc == 0) {
		printf("ls %s:\n", path);
		rc = fat_list(&v, path, ls_line, NULL);
	}
	if (rc < 0)
		printf("ls %s: %s\n", path, wb_strerror(rc));
	return rc;
}

void inspect_usage(FILE *f);

void inspect_usage(FILE *f)
{
	fprintf(f, "usage: wireboot inspect IMAGE|BLOCK-DEVICE [--arch arm64|x86_64] [--filename PATH] [--block-size 512|4096]\n"
			"                        [--ls ESP-DIR]\n");
}

static int has_gpt_sig(struct host_image *h, uint64_t off)
{
	char sig[8];

	return host_image_read(h, sig, 8, off) == 0 && !memcmp(sig, "EFI PART", 8);
}

int inspect_main(int argc, char **argv)
{
	const char *image = NULL, *arch = "arm64", *filename = NULL, *ls = NULL;
	unsigned long long bs = 0;
	struct disk_report *rep;
	struct disk_reader r;
	struct img im;
	const char *why = "";
	uint64_t size = 0;
	uint32_t lbs = 0;
	int i, rc, kind = HOST_IMAGE_FILE;

	if (cli_wants_help(argc, argv)) {
		inspect_usage(stdout);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "--arch") || !strcmp(argv[i], "--filename") || !strcmp(argv[i], "--ls") ||
		     !strcmp(argv[i], "--block-size")) && i + 1 == argc)
			return cli_usage_error("inspect", inspect_usage, "%s needs a value", argv[i]);
		if (!strcmp(argv[i], "--arch") && i + 1 < argc) {
			arch = argv[++i];
		} else if (!strcmp(argv[i], "--filename") && i + 1 < argc) {
			filename = argv[++i];
		} else if (!strcmp(argv[i], "--ls") && i + 1 < argc) {
			ls = argv[++i];
		} else if (!strcmp(argv[i], "--block-size") && i + 1 < argc) {
			if (wb_parse_uint(argv[++i], 4096, &bs) || (bs != 512 && bs != 1024 && bs != 2048 && bs != 4096))
				return cli_usage_error("inspect", inspect_usage, "--block-size must be 512, 1024, 2048 or 4096");
		} else if (argv[i][0] == '-') {
			return cli_usage_error("inspect", inspect_usage, "unknown option '%s'", argv[i]);
		} else if (image) {
			return cli_usage_error("inspect", inspect_usage, "unexpected argument '%s' (one IMAGE)", argv[i]);
		} else {
			image = argv[i];
		}
	}
	if (!image)
		return cli_usage_error("inspect", inspect_usage, "no IMAGE given");
	rep = malloc(sizeof(*rep));
	if (!rep) {
		fprintf(stderr, "wireboot inspect: out of memory\n");
		return 1;
	}
	if (disk_report_init(rep, arch, filename) < 0) {
		free(rep);
		return cli_usage_error("inspect", inspect_usage,
				       "unknown --arch '%s' (arm64 or x86_64), or --filename too long", arch);
	}
	switch (host_image_open(image, &im.h, &kind, &size, &lbs, &why)) {
	case HOST_IMAGE_OK:
		break;
	case HOST_IMAGE_EOPEN:
		fprintf(stderr, "wireboot inspect: cannot open %s: %s\n", image, why);
		free(rep);
		return 2;
	case HOST_IMAGE_ESIZE:
		fprintf(stderr, "wireboot inspect: %s: cannot get the block device's size: %s\n",
			image, why);
		free(rep);
		return 1;
	case HOST_IMAGE_EKIND:
	default:
		fprintf(stderr, "wireboot inspect: %s is neither a disk image file nor a block device\n", image);
		free(rep);
		return 2;
	}
	if (kind == HOST_IMAGE_BLOCKDEV && !bs && lbs == 4096 && !has_gpt_sig(im.h, 512))
		bs = 4096;   /* a 4Kn disk, whatever the GPT probe below finds */
	if (!bs)
		bs = !has_gpt_sig(im.h, 512) && has_gpt_sig(im.h, 4096) ? 4096 : 512;
	im.bs = (uint32_t)bs;
	r.read = img_read;
	r.arg = &im;
	r.block_size = im.bs;
	r.blocks = size / bs;
	if (r.blocks == 0) {
		fprintf(stderr, "wireboot inspect: %s is smaller than one %u-byte block\n", image, im.bs);
		host_image_close(im.h);
		free(rep);
		return 1;
	}
	if (kind == HOST_IMAGE_BLOCKDEV)
		printf("image: %s (block device, %llu bytes)\n", image, (unsigned long long)size);
	else
		printf("image: %s\n", image);
	rc = disk_inspect(&r, rep);
	disk_report_print(rep, print_line, NULL);
	if (ls && list_esp(im.h, rep, ls) < 0 && rc == 0)
		rc = -WB_ENOENT;
	host_image_close(im.h);
	free(rep);
	return rc == 0 ? 0 : 1;
}
