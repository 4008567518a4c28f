/*
 * fuzz_fat.c — libFuzzer target: the FAT reader over a fuzzed volume image
 * (fat_mount, fat_lookup, fat_read, fat_check_chain, fat_list), and the whole
 * disk inspector (disk_inspect) over the same bytes taken as a disk.
 *
 * The volume claims 64 MiB; bytes past the input read as zeros, so small
 * inputs can describe FAT16/FAT32 geometries.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "disk/fat.h"
#include "disk/inspect.h"

struct buf {
	const uint8_t *d;
	size_t n;
};

static int rd(void *arg, uint64_t off, void *out, size_t len)
{
	const struct buf *b = arg;
	size_t have = 0;

	if (off > (64u << 20) || len > (64u << 20) - off)
		return -WB_EDISKREAD;
	if (off < b->n)
		have = b->n - off < len ? b->n - off : len;
	memcpy(out, b->d + off, have);
	memset((uint8_t *)out + have, 0, len - have);
	return 0;
}

static int rd_blocks(void *arg, uint64_t lba, uint32_t n, void *out)
{
	return rd(arg, lba * 512, out, (size_t)n * 512);
}

static int count_cb(void *arg, const struct fat_dirent *e)
{
	int *n = arg;

	if (strlen(e->name) >= FAT_NAME_MAX)
		__builtin_trap();
	return ++*n > 1000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fat_vol v;
	static struct fat_dirent e;
	static uint8_t out[4096];
	static struct disk_report rep;
	struct buf b = {data, size};
	struct disk_reader r = {rd_blocks, &b, 512, (64u << 20) / 512};
	int n = 0;
	long got;

	if (fat_mount(&v, rd, &b, 64u << 20) == 0) {
		if (fat_lookup(&v, "\\EFI\\BOOT\\BOOTAA64.EFI", &e) == 0 && !(e.attr & FAT_ATTR_DIRECTORY)) {
			got = fat_read(&v, &e, 0, out, sizeof(out));
			if (got > (long)sizeof(out) || (got >= 0 && (uint32_t)got > e.size))
				__builtin_trap();
			(void)fat_check_chain(&v, &e);
		}
		(void)fat_list(&v, "\\", count_cb, &n);
		n = 0;
		(void)fat_list(&v, "\\EFI\\BOOT", count_cb, &n);
	}
	if (size >= 1024 && disk_report_init(&rep, "arm64", "\\EFI\\debian\\grubaa64.efi") == 0)
		(void)disk_inspect(&r, &rep);
	return 0;
}
