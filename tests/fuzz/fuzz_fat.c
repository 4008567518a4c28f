/*
 * fuzz_fat.c — libFuzzer target: the FAT reader over a fuzzed volume image
 * (fat_mount, fat_lookup, fat_read, fat_check_chain, fat_list), and the whole
 * disk inspector (disk_inspect) over the same bytes taken as a disk.
 *
 * The volume claims 64 MiB; bytes past the input read as zeros, so small
 * inputs can describe FAT16/FAT32 geometries.  For the disk pass, when byte
 * 0 is odd and a GPT header sits at byte 512, the harness recomputes its
 * entry-array and header CRC32s (on a copy) so mutations get past them.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
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

static uint8_t copy[1u << 20];

static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* recompute the GPT CRCs of the header at byte 512 of @d (@n bytes) */
static void fix_gpt(uint8_t *d, size_t n)
{
	uint8_t *h = d + 512;
	uint32_t hs = get32(h + 12), ne = get32(h + 80), es = get32(h + 84);
	uint64_t elba = get32(h + 72) | (uint64_t)get32(h + 76) << 32;

	if (n < 1024 || memcmp(h, "EFI PART", 8))
		return;
	if (es && ne <= (1u << 20) / es && elba < n / 512 && (uint64_t)ne * es <= n - elba * 512)
		put32(h + 88, wb_crc32(0, d + elba * 512, (size_t)ne * es));
	if (hs >= 92 && hs <= 512) {
		put32(h + 16, 0);
		put32(h + 16, wb_crc32(0, h, hs));
	}
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
	if (size >= 1024 && (data[0] & 1) && size <= sizeof(copy)) {
		memcpy(copy, data, size);
		fix_gpt(copy, size);
		b.d = copy;
	}
	if (size >= 1024 && disk_report_init(&rep, "arm64", "\\EFI\\debian\\grubaa64.efi") == 0)
		(void)disk_inspect(&r, &rep);
	return 0;
}
