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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>

#include "core/err.h"
#include "core/util.h"
#include "disk/fat.h"
#include "disk/inspect.h"
#include "cli/cli.h"

int inspect_main(int argc, char **argv);

/* @len bytes at byte offset @off of @fd (short reads and EINTR retried) */
static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -WB_EDISKREAD;
		got += (size_t)r;
	}
	return 0;
}

struct img {
	int fd;
	uint32_t bs;
};

static int img_read(void *arg, uint64_t lba, uint32_t n, void *buf)
{
	struct img *im = arg;

	return pread_all(im->fd, buf, (size_t)n * im->bs, lba * im->bs);
}

static void print_line(void *arg, const char *text)
{
	(void)arg;
	printf("%s\n", text);
}

/* --ls: the ESP as a FAT volume through byte reads on the image */
struct esp_win {
	int fd;
	uint64_t base;
};

static int esp_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct esp_win *w = arg;

	return pread_all(w->fd, buf, len, w->base + off);
}

static int ls_line(void *arg, const struct fat_dirent *e)
{
	(void)arg;
	printf("  %c%c%c %10u  %s\n", (e->attr & FAT_ATTR_DIRECTORY) ? 'd' : '-',
	       (e->attr & FAT_ATTR_HIDDEN) ? 'h' : '-', (e->attr & FAT_ATTR_SYSTEM) ? 's' : '-',
	       (unsigned)e->size, e->name);
	return 0;
}

static int list_esp(int fd, const struct disk_report *rep, const char *path)
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
	w.fd = fd;
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

static int has_gpt_sig(int fd, off_t off)
{
	char sig[8];

	return pread(fd, sig, 8, off) == 8 && !memcmp(sig, "EFI PART", 8);
}

int inspect_main(int argc, char **argv)
{
	const char *image = NULL, *arch = "arm64", *filename = NULL, *ls = NULL;
	unsigned long long bs = 0;
	struct disk_report *rep;
	struct disk_reader r;
	struct img im;
	struct stat st;
	uint64_t size;
	int i, rc;

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
	im.fd = open(image, O_RDONLY | O_CLOEXEC);
	if (im.fd < 0 || fstat(im.fd, &st) < 0) {
		fprintf(stderr, "wireboot inspect: cannot open %s: %s\n", image, strerror(errno));
		if (im.fd >= 0)
			close(im.fd);
		free(rep);
		return 2;
	}
	size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode)) {
		/* a block device (an LVM volume, /dev/sdX, /dev/loopN): st_size is 0,
		 * the kernel knows its size; read-only, opened O_RDONLY above */
		int lbs = 0;

		if (ioctl(im.fd, BLKGETSIZE64, &size) < 0) {
			fprintf(stderr, "wireboot inspect: %s: cannot get the block device's size: %s\n",
				image, strerror(errno));
			close(im.fd);
			free(rep);
			return 1;
		}
		if (!bs && ioctl(im.fd, BLKSSZGET, &lbs) == 0 && lbs == 4096 && !has_gpt_sig(im.fd, 512))
			bs = 4096;   /* a 4Kn disk, whatever the GPT probe below finds */
	} else if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "wireboot inspect: %s is neither a disk image file nor a block device\n", image);
		close(im.fd);
		free(rep);
		return 2;
	}
	if (!bs)
		bs = !has_gpt_sig(im.fd, 512) && has_gpt_sig(im.fd, 4096) ? 4096 : 512;
	im.bs = (uint32_t)bs;
	r.read = img_read;
	r.arg = &im;
	r.block_size = im.bs;
	r.blocks = size / bs;
	if (r.blocks == 0) {
		fprintf(stderr, "wireboot inspect: %s is smaller than one %u-byte block\n", image, im.bs);
		close(im.fd);
		free(rep);
		return 1;
	}
	if (S_ISBLK(st.st_mode))
		printf("image: %s (block device, %llu bytes)\n", image, (unsigned long long)size);
	else
		printf("image: %s\n", image);
	rc = disk_inspect(&r, rep);
	disk_report_print(rep, print_line, NULL);
	if (ls && list_esp(im.fd, rep, ls) < 0 && rc == 0)
		rc = -WB_ENOENT;
	close(im.fd);
	free(rep);
	return rc == 0 ? 0 : 1;
}
