/*
 * test_disk.c — GPT, MBR, FAT and PE readers and the disk inspector.
 *
 * Vectors: a GPT header and entries written by sgdisk 1.0.9 (fixed GUIDs;
 * its CRCs are sgdisk's, not ours), boot sectors and directories built here
 * from the field tables of the UEFI spec (section 5), Microsoft's FAT 1.03
 * overview and the PE format specification, each with negative cases.
 */
#define UNIT_NAME "disk"
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/util.h"
#include "disk/fat.h"
#include "disk/gpt.h"
#include "disk/inspect.h"
#include "disk/mbr.h"
#include "disk/pe.h"

static void p16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void p32(uint8_t *p, uint32_t v) { p16(p, v); p16(p + 2, v >> 16); }
static void p64(uint8_t *p, uint64_t v) { p32(p, (uint32_t)v); p32(p + 4, (uint32_t)(v >> 32)); }

/* ------------------------------------------------------------------ sgdisk vector */

/* `sgdisk -U 01234567-89AB-CDEF-0123-456789ABCDEF -n 1:34:+200K -t 1:EF00 -c 1:EFI
 *  -u 1:11111111-2222-3333-4444-555555555555 -n 2:0:0 -t 2:8300 -c 2:root
 *  -u 2:AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE` on a 1 MiB (2048-block) image */
static const uint8_t sg_hdr[92] = {
	0x45, 0x46, 0x49, 0x20, 0x50, 0x41, 0x52, 0x54, 0x00, 0x00, 0x01, 0x00,
	0x5c, 0x00, 0x00, 0x00, 0xc8, 0x03, 0x5f, 0x99, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x07, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xde, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x67, 0x45, 0x23, 0x01,
	0xab, 0x89, 0xef, 0xcd, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00,
	0x80, 0x00, 0x00, 0x00, 0xbe, 0xbd, 0x32, 0xc5};
static const uint8_t sg_ent[2][72] = {
	{0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b,
	 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
	 0x22, 0, 0, 0, 0, 0, 0, 0, 0xb1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	 'E', 0, 'F', 0, 'I', 0},
	{0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47, 0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4,
	 0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb, 0xcc, 0xcc, 0xdd, 0xdd, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
	 0xb2, 0x01, 0, 0, 0, 0, 0, 0, 0xde, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	 'r', 0, 'o', 0, 'o', 0, 't', 0},
};

static void fix_hdr_crc(uint8_t *h)
{
	p32(h + 16, 0);
	p32(h + 16, wb_crc32(0, h, 92));
}

static void test_gpt_sgdisk(void)
{
	uint8_t blk[512] = {0}, *arr = calloc(1, 128 * 128);
	struct gpt_header h;
	struct gpt_part parts[4];
	uint32_t n = 0;
	char g[37];
	int rc;

	memcpy(blk, sg_hdr, sizeof(sg_hdr));
	memcpy(arr, sg_ent[0], 72);
	memcpy(arr + 128, sg_ent[1], 72);
	rc = gpt_parse_header(blk, 512, 1, 2048, &h);
	CHECK("gpt: sgdisk header parses (its CRC32 0x995F03C8 verifies)", rc == 0);
	CHECK("gpt: sgdisk header fields", h.first_usable == 34 && h.last_usable == 2014 && h.entries_lba == 2 &&
	      h.num_entries == 128 && h.entry_size == 128 && h.alternate_lba == 2047 && h.alternate_ok);
	CHECK_STR("gpt: disk GUID text", gpt_guid_fmt(h.disk_guid, g), "01234567-89AB-CDEF-0123-456789ABCDEF");
	CHECK("gpt: entry array CRC32 of sgdisk's array (0xC532BDBE)", h.entries_crc == wb_crc32(0, arr, 128 * 128));
	rc = gpt_parse_entries(&h, arr, 128 * 128, parts, 4, &n);
	CHECK("gpt: sgdisk entries parse", rc == 0 && n == 2);
	CHECK("gpt: ESP entry", !memcmp(parts[0].type, gpt_type_esp, 16) && parts[0].first_lba == 34 &&
	      parts[0].last_lba == 433 && parts[0].index == 0);
	CHECK_STR("gpt: ESP name UTF-16LE to UTF-8", parts[0].name, "EFI");
	CHECK_STR("gpt: ESP type name", gpt_type_name(parts[0].type), "EFI System");
	CHECK_STR("gpt: unique GUID text", gpt_guid_fmt(parts[0].uniq, g), "11111111-2222-3333-4444-555555555555");
	CHECK_STR("gpt: Linux type name", gpt_type_name(parts[1].type), "Linux filesystem");
	CHECK("gpt: second entry range", parts[1].first_lba == 434 && parts[1].last_lba == 2014);
	CHECK("gpt: 'max' bounds what is stored but not the count",
	      gpt_parse_entries(&h, arr, 128 * 128, parts, 1, &n) == 0 && n == 2);

	/* negative cases */
	blk[60] ^= 1;
	CHECK("gpt: corrupted header → CRC mismatch", gpt_parse_header(blk, 512, 1, 2048, &h) == -WB_EGPTCRC);
	blk[60] ^= 1;
	CHECK("gpt: header read from the wrong LBA (my_lba)", gpt_parse_header(blk, 512, 2047, 2048, &h) == -WB_EGPTHDR);
	CHECK("gpt: disk smaller than the header says", gpt_parse_header(blk, 512, 1, 1000, &h) == -WB_EGPTHDR);
	CHECK("gpt: block size 1000 refused", gpt_parse_header(blk, 1000, 1, 2048, &h) == -WB_EDISKGEOM);
	blk[0] = 'X';
	CHECK("gpt: no signature", gpt_parse_header(blk, 512, 1, 2048, &h) == -WB_EGPTSIG);
	memcpy(blk, sg_hdr, sizeof(sg_hdr));
	gpt_parse_header(blk, 512, 1, 2048, &h);
	arr[200] ^= 0x40;
	CHECK("gpt: entry array CRC mismatch", gpt_parse_entries(&h, arr, 128 * 128, parts, 4, &n) == -WB_EGPTENTCRC);
	arr[200] ^= 0x40;
	CHECK("gpt: short array buffer", gpt_parse_entries(&h, arr, 128 * 127, parts, 4, &n) == -WB_EGPTENTSIZE);
	/* the moved backup: alternate_lba not the last LBA is reported, not refused */
	p64(blk + 32, 2000);
	fix_hdr_crc(blk);
	CHECK("gpt: backup not at the last LBA is reported (alternate_ok 0) but accepted",
	      gpt_parse_header(blk, 512, 1, 2048, &h) == 0 && !h.alternate_ok);
	free(arr);
}

/* a header + array built from fields, for range/overlap/size cases */
static void mk_hdr(uint8_t *b, uint32_t bs, uint64_t lba, uint64_t blocks, uint64_t first, uint64_t last,
		   uint64_t elba, uint32_t n, uint32_t esz, uint32_t ecrc)
{
	memset(b, 0, bs);
	memcpy(b, "EFI PART", 8);
	p32(b + 8, 0x00010000);
	p32(b + 12, 92);
	p64(b + 24, lba);
	p64(b + 32, lba == 1 ? blocks - 1 : 1);
	p64(b + 40, first);
	p64(b + 48, last);
	memset(b + 56, 0x5A, 16);
	p64(b + 72, elba);
	p32(b + 80, n);
	p32(b + 84, esz);
	p32(b + 88, ecrc);
	fix_hdr_crc(b);
}

static void mk_ent(uint8_t *e, const uint8_t type[16], uint64_t first, uint64_t last, const char *name)
{
	size_t i;

	memset(e, 0, 128);
	memcpy(e, type, 16);
	memset(e + 16, 0x33, 16);
	p64(e + 32, first);
	p64(e + 40, last);
	for (i = 0; name && name[i] && i < 36; i++)
		p16(e + 56 + 2 * i, (uint8_t)name[i]);
}

static void test_gpt_built(void)
{
	static const uint8_t linux_fs[16] = {0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
					     0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4};
	uint8_t blk[4096], arr[4 * 128];
	struct gpt_header h;
	struct gpt_part parts[4];
	uint32_t n;

	/* 4096-byte blocks: header at LBA 1, 4 entries in one block at LBA 2 */
	mk_ent(arr, gpt_type_esp, 6, 100, "ESP");
	mk_ent(arr + 128, linux_fs, 101, 200, NULL);
	memset(arr + 256, 0, 256);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 128, wb_crc32(0, arr, sizeof(arr)));
	CHECK("gpt 4K: header parses", gpt_parse_header(blk, 4096, 1, 256, &h) == 0 && h.array_blocks == 1);
	CHECK("gpt 4K: entries parse", gpt_parse_entries(&h, arr, sizeof(arr), parts, 4, &n) == 0 && n == 2);

	/* overlapping entries */
	mk_ent(arr + 128, linux_fs, 100, 200, NULL);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 128, wb_crc32(0, arr, sizeof(arr)));
	gpt_parse_header(blk, 4096, 1, 256, &h);
	CHECK("gpt: overlapping entries → WB_EGPTPART (entries still listed)",
	      gpt_parse_entries(&h, arr, sizeof(arr), parts, 4, &n) == -WB_EGPTPART && n == 2);
	/* out of the usable range */
	mk_ent(arr + 128, linux_fs, 101, 251, NULL);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 128, wb_crc32(0, arr, sizeof(arr)));
	gpt_parse_header(blk, 4096, 1, 256, &h);
	CHECK("gpt: entry past last usable LBA → WB_EGPTPART",
	      gpt_parse_entries(&h, arr, sizeof(arr), parts, 4, &n) == -WB_EGPTPART);
	mk_ent(arr + 128, linux_fs, 150, 120, NULL);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 128, wb_crc32(0, arr, sizeof(arr)));
	gpt_parse_header(blk, 4096, 1, 256, &h);
	CHECK("gpt: entry with first > last → WB_EGPTPART",
	      gpt_parse_entries(&h, arr, sizeof(arr), parts, 4, &n) == -WB_EGPTPART);

	/* header field bounds */
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 100, 0);
	CHECK("gpt: entry size 100 (not 128*2^n) refused", gpt_parse_header(blk, 4096, 1, 256, &h) == -WB_EGPTENTSIZE);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 0x100000, 128, 0);
	CHECK("gpt: 1M entries (128 MiB array) refused", gpt_parse_header(blk, 4096, 1, 256, &h) == -WB_EGPTENTSIZE);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 7, 4, 128, 0);
	CHECK("gpt: entry array inside the usable range refused", gpt_parse_header(blk, 4096, 1, 256, &h) == -WB_EGPTENTSIZE);
	mk_hdr(blk, 4096, 1, 256, 6, 255, 2, 4, 128, 0);
	CHECK("gpt: usable range over the backup header refused", gpt_parse_header(blk, 4096, 1, 256, &h) == -WB_EGPTHDR);
	mk_hdr(blk, 4096, 1, 256, 100, 50, 2, 4, 128, 0);
	CHECK("gpt: first usable > last usable refused", gpt_parse_header(blk, 4096, 1, 256, &h) == -WB_EGPTHDR);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 128, 0);
	p32(blk + 12, 91);
	fix_hdr_crc(blk);
	CHECK("gpt: header size 91 refused", gpt_parse_header(blk, 4096, 1, 256, &h) == -WB_EGPTHDR);
	mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 128, 0);
	p32(blk + 8, 0x00020000);
	fix_hdr_crc(blk);
	CHECK("gpt: revision 2.0 refused", gpt_parse_header(blk, 4096, 1, 256, &h) == -WB_EGPTHDR);

	/* names: non-ASCII, surrogate pair, lone surrogate, control character */
	{
		static const uint16_t u[] = {'E', 0x00E9, 0x20AC, 0xD83D, 0xDE00, 0xDC00, 0x01, 0};
		size_t i;

		mk_ent(arr, gpt_type_esp, 6, 100, NULL);
		for (i = 0; i < WB_ARRAY_SIZE(u); i++)
			p16(arr + 56 + 2 * i, u[i]);
		memset(arr + 128, 0, 384);
		mk_hdr(blk, 4096, 1, 256, 6, 250, 2, 4, 128, wb_crc32(0, arr, sizeof(arr)));
		gpt_parse_header(blk, 4096, 1, 256, &h);
		gpt_parse_entries(&h, arr, sizeof(arr), parts, 4, &n);
		CHECK_STR("gpt: UTF-16LE name (é, €, U+1F600, lone surrogate, control) to UTF-8", parts[0].name,
			  "E\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD?");
	}
}

/* ------------------------------------------------------------------ MBR */

static void mbr_ent(uint8_t *s, int i, uint8_t status, uint8_t type, uint32_t start, uint32_t count)
{
	uint8_t *e = s + 446 + 16 * i;

	memset(e, 0, 16);
	e[0] = status;
	e[4] = type;
	p32(e + 8, start);
	p32(e + 12, count);
}

static void test_mbr(void)
{
	uint8_t s[512] = {0};
	struct mbr_info m;

	CHECK("mbr: no signature", mbr_parse(s, 512, 1000, &m) == -WB_EMBRSIG);
	s[510] = 0x55;
	s[511] = 0xAA;
	p32(s + 440, 0xDEADBEEF);
	mbr_ent(s, 0, 0x80, 0xEF, 2048, 4096);
	mbr_ent(s, 1, 0x00, 0x83, 6144, 1000);
	mbr_ent(s, 2, 0x00, 0x05, 8000, 1000);
	CHECK("mbr: ESP + Linux + extended parse", mbr_parse(s, 512, 10000, &m) == 0 && !m.protective &&
	      m.part[0].type == 0xEF && m.part[0].status == 0x80 && m.part[0].lba_start == 2048 &&
	      m.part[0].lba_count == 4096 && m.part[2].type == 0x05 && m.disk_signature == 0xDEADBEEF);
	CHECK("mbr: extended type recognised", mbr_is_extended(m.part[2].type) && !mbr_is_extended(0x83));
	CHECK_STR("mbr: type name", mbr_type_name(0xEF), "EFI System");
	CHECK("mbr: partition past the end of the disk", mbr_parse(s, 512, 8500, &m) == -WB_EMBRBAD);
	mbr_ent(s, 1, 0x00, 0x83, 6000, 1000);
	CHECK("mbr: overlapping partitions", mbr_parse(s, 512, 10000, &m) == -WB_EMBRBAD);
	mbr_ent(s, 1, 0x00, 0x83, 6144, 1000);
	s[446 + 16] = 0x12;
	CHECK("mbr: bad status byte (a superfloppy boot sector)", mbr_parse(s, 512, 10000, &m) == -WB_EMBRBAD);
	memset(s + 446, 0, 64);
	mbr_ent(s, 0, 0x00, 0xEE, 1, 0xFFFFFFFF);
	CHECK("mbr: protective EE entry (count may exceed the disk)", mbr_parse(s, 512, 10000, &m) == 0 &&
	      m.protective && !m.hybrid);
	mbr_ent(s, 1, 0x00, 0x0C, 2048, 100);
	CHECK("mbr: hybrid", mbr_parse(s, 512, 10000, &m) == 0 && m.protective && m.hybrid);
	CHECK("mbr: short buffer", mbr_parse(s, 100, 10000, &m) == -WB_EMBRSIG);
	CHECK("gpt: hybrid MBR still has the protective record at LBA 1", gpt_check_pmbr(s, 512) == 0);
	memset(s + 446, 0, 64);
	mbr_ent(s, 2, 0x00, 0xEE, 1, 9999);
	CHECK("gpt: protective record in slot 3 accepted", gpt_check_pmbr(s, 512) == 0);
	mbr_ent(s, 2, 0x00, 0xEE, 2, 9999);
	CHECK("gpt: EE record not starting at LBA 1 is no protective MBR", gpt_check_pmbr(s, 512) == -WB_EGPTPMBR);
	mbr_ent(s, 2, 0x00, 0x83, 1, 9999);
	CHECK("gpt: no EE record, no protective MBR", gpt_check_pmbr(s, 512) == -WB_EGPTPMBR);
	mbr_ent(s, 2, 0x00, 0xEE, 1, 9999);
	s[511] = 0;
	CHECK("gpt: protective MBR needs 55AA", gpt_check_pmbr(s, 512) == -WB_EGPTPMBR);
}

/* ------------------------------------------------------------------ FAT */

/* A FAT volume built in memory: 512-byte sectors, @spc sectors per cluster,
 * exactly @clusters data clusters, 2 FATs. */
struct mkfat {
	uint8_t *v;
	size_t size;
	int type;
	uint32_t spc, cs, rsvd, fatsz, root_ent, clusters;
	uint64_t fat_off, root_off, data_off;
	uint32_t next;      /* next free cluster */
};

static void mkfat_init(struct mkfat *f, int type, uint32_t clusters, uint32_t spc)
{
	uint64_t need, tot;
	uint8_t *b;

	memset(f, 0, sizeof(*f));
	f->type = type;
	f->spc = spc;
	f->cs = 512 * spc;
	f->clusters = clusters;
	f->rsvd = type == 32 ? 32 : 1;
	f->root_ent = type == 32 ? 0 : 64;
	need = type == 12 ? ((uint64_t)(clusters + 2) * 3 + 1) / 2 : (uint64_t)(clusters + 2) * (type == 16 ? 2 : 4);
	f->fatsz = (uint32_t)((need + 511) / 512);
	tot = f->rsvd + 2ull * f->fatsz + f->root_ent * 32 / 512 + (uint64_t)clusters * spc;
	f->size = (size_t)tot * 512;
	f->v = calloc(1, f->size);
	f->fat_off = f->rsvd * 512ull;
	f->root_off = f->fat_off + 2ull * f->fatsz * 512;
	f->data_off = f->root_off + f->root_ent * 32ull;
	f->next = 2;
	b = f->v;
	b[0] = 0xEB; b[1] = 0x3C; b[2] = 0x90;
	memcpy(b + 3, "MSWIN4.1", 8);
	p16(b + 11, 512);
	b[13] = (uint8_t)spc;
	p16(b + 14, f->rsvd);
	b[16] = 2;
	p16(b + 17, f->root_ent);
	if (tot < 0x10000 && type != 32)
		p16(b + 19, (uint32_t)tot);
	else
		p32(b + 32, (uint32_t)tot);
	b[21] = 0xF8;
	if (type == 32) {
		p32(b + 36, f->fatsz);
		p32(b + 44, 2);     /* root directory at cluster 2 */
		b[66] = 0x29;
		p32(b + 67, 0x12345678);
		memcpy(b + 71, "BIG32      ", 11);
		memcpy(b + 82, "FAT32   ", 8);
	} else {
		p16(b + 22, f->fatsz);
		b[38] = 0x29;
		p32(b + 39, 0xCAFEF00D);
		memcpy(b + 43, type == 12 ? "TINY12     " : "MID16      ", 11);
	}
	b[510] = 0x55;
	b[511] = 0xAA;
}

static void setfat(struct mkfat *f, uint32_t c, uint32_t val)
{
	int k;

	for (k = 0; k < 2; k++) {
		uint8_t *fat = f->v + f->fat_off + (uint64_t)k * f->fatsz * 512;

		if (f->type == 12) {
			uint8_t *p = fat + c + c / 2;
			uint16_t w = (uint16_t)(p[0] | p[1] << 8);

			w = (c & 1) ? (uint16_t)((w & 0x000F) | (val << 4)) : (uint16_t)((w & 0xF000) | (val & 0xFFF));
			p16(p, w);
		} else if (f->type == 16) {
			p16(fat + 2 * c, val);
		} else {
			p32(fat + 4 * c, val);
		}
	}
}

static uint32_t eoc(const struct mkfat *f) { return f->type == 12 ? 0xFFF : f->type == 16 ? 0xFFFF : 0x0FFFFFFF; }

static uint8_t *clus(struct mkfat *f, uint32_t c) { return f->v + f->data_off + (uint64_t)(c - 2) * f->cs; }

/* allocate a chain of @n clusters (contiguous), return the first */
static uint32_t alloc_chain(struct mkfat *f, uint32_t n)
{
	uint32_t first = f->next, i;

	for (i = 0; i < n; i++)
		setfat(f, first + i, i + 1 < n ? first + i + 1 : eoc(f));
	f->next += n;
	return first;
}

/* write a short entry at @e */
static void sfn(uint8_t *e, const char name11[11], uint8_t attr, uint32_t cluster, uint32_t size)
{
	memset(e, 0, 32);
	memcpy(e, name11, 11);
	e[11] = attr;
	p16(e + 20, cluster >> 16);
	p16(e + 26, cluster & 0xFFFF);
	p32(e + 28, size);
}

/* long-name entries for @name (ASCII) then the short entry; returns entries used */
static int lfn_and_sfn(uint8_t *e, const char *name, const char name11[11], uint8_t attr, uint32_t cluster,
		       uint32_t size, int bad_sum)
{
	static const uint8_t at[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
	size_t len = strlen(name);
	int parts = (int)((len + 12) / 13), i, k;
	uint8_t sum = fat_lfn_checksum((const uint8_t *)name11);

	for (i = 0; i < parts; i++) {
		int ord = parts - i;
		uint8_t *x = e + 32 * i;

		memset(x, 0, 32);
		x[0] = (uint8_t)(ord | (i == 0 ? 0x40 : 0));
		x[11] = 0x0F;
		x[13] = (uint8_t)(bad_sum ? sum ^ 1 : sum);
		for (k = 0; k < 13; k++) {
			size_t pos = (size_t)(ord - 1) * 13 + (size_t)k;
			uint16_t c = pos < len ? (uint8_t)name[pos] : pos == len ? 0 : 0xFFFF;

			p16(x + at[k], c);
		}
	}
	sfn(e + 32 * parts, name11, attr, cluster, size);
	return parts + 1;
}

static int mem_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct mkfat *f = arg;

	if (off > f->size || len > f->size - off)
		return -WB_EDISKREAD;
	memcpy(buf, f->v + off, len);
	return 0;
}

static void test_fat_types(void)
{
	static const struct { int type; uint32_t clusters; int want; } t[] = {
		{12, 100, 12}, {12, 4084, 12}, {16, 4085, 16}, {16, 65524, 16}, {32, 65525, 32},
	};
	size_t i;

	for (i = 0; i < WB_ARRAY_SIZE(t); i++) {
		struct mkfat f;
		struct fat_vol v = {0};
		char name[80];
		int rc;

		mkfat_init(&f, t[i].type, t[i].clusters, 1);
		v.size = f.size;
		rc = fat_parse_bpb(f.v, 512, &v);
		snprintf(name, sizeof(name), "fat: %u clusters → FAT%d (count of clusters decides)",
			 (unsigned)t[i].clusters, t[i].want);
		CHECK(name, rc == 0 && v.type == t[i].want && v.clusters == t[i].clusters);
		snprintf(name, sizeof(name), "fat: FAT%d layout offsets", t[i].want);
		CHECK(name, v.fat_off == f.fat_off && v.root_off == f.root_off && v.data_off == f.data_off);
		if (t[i].want == 32) {
			CHECK_STR("fat32: label", v.label, "BIG32");
			CHECK("fat32: root cluster and serial", v.root_cluster == 2 && v.serial == 0x12345678);
			/* FAT32 rules: RootEntCnt must be 0 */
			p16(f.v + 17, 16);
			CHECK("fat32: root entry count != 0 refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			p16(f.v + 17, 0);
			p32(f.v + 44, 70000);
			CHECK("fat32: root cluster past the end refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			p32(f.v + 44, 2);
		}
		if (t[i].want == 12 && t[i].clusters == 100) {
			CHECK_STR("fat12: label", v.label, "TINY12");
			v.size = f.size - 512;
			CHECK("fat: file system larger than the partition refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			v.size = f.size;
			f.v[510] = 0;
			CHECK("fat: no 55AA refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			f.v[510] = 0x55;
			p16(f.v + 11, 500);
			CHECK("fat: 500 bytes per sector refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			p16(f.v + 11, 512);
			f.v[13] = 3;
			CHECK("fat: 3 sectors per cluster refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			f.v[13] = 1;
			p16(f.v + 22, 0);
			CHECK("fat: FAT size 0 refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			p16(f.v + 22, f.fatsz);
			f.v[0] = 0;
			CHECK("fat: no jump instruction refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
			f.v[0] = 0xEB;
			CHECK("fat: restored boot sector parses again", fat_parse_bpb(f.v, 512, &v) == 0);
		}
		free(f.v);
	}
	/* a FAT too small for the clusters it must describe */
	{
		struct mkfat f;
		struct fat_vol v = {0};

		mkfat_init(&f, 16, 5000, 1);
		v.size = f.size;
		/* move sectors from the FAT to the data region: 1 FAT sector describes 256 clusters */
		p16(f.v + 22, 2);
		CHECK("fat: FAT too small for the cluster count refused", fat_parse_bpb(f.v, 512, &v) == -WB_EFATBPB);
		free(f.v);
	}
}

struct lst { int n; char names[8][64]; };
static int list_cb(void *arg, const struct fat_dirent *e)
{
	struct lst *l = arg;

	if (l->n < 8)
		snprintf(l->names[l->n], 64, "%s", e->name);
	l->n++;
	return 0;
}

/* a volume with \EFI\BOOT\BOOTAA64.EFI (long name, 3 clusters, fragmented), \README.TXT (8.3 only) */
static void build_tree(struct mkfat *f, int type, uint32_t clusters, uint32_t spc)
{
	uint32_t efi, boot, file, readme, i;
	uint8_t *root, *d;
	int n;

	mkfat_init(f, type, clusters, spc);
	if (type == 32) {
		alloc_chain(f, 1);          /* cluster 2: the root directory */
		root = clus(f, 2);
	} else {
		root = f->v + f->root_off;
	}
	efi = alloc_chain(f, 1);
	boot = alloc_chain(f, 1);
	/* file: clusters efi+2, then one gap, then two more (fragmented) */
	file = f->next;
	setfat(f, file, file + 2);
	setfat(f, file + 2, file + 3);
	setfat(f, file + 3, eoc(f));
	f->next += 4;
	readme = alloc_chain(f, 1);
	for (i = 0; i < 3 * f->cs; i++) {
		uint32_t c = i / f->cs == 0 ? file : file + 1 + i / f->cs;

		clus(f, c)[i % f->cs] = (uint8_t)(i * 7 + 1);
	}
	memcpy(clus(f, readme), "hello\n", 6);
	/* root: volume label, deleted entry, EFI dir, README.TXT */
	sfn(root, "ROOTLABEL  ", FAT_ATTR_VOLUME_ID, 0, 0);
	sfn(root + 32, "\xE5OLD    TXT", 0x20, 0, 0);
	sfn(root + 64, "EFI        ", FAT_ATTR_DIRECTORY, efi, 0);
	sfn(root + 96, "README  TXT", 0x20, readme, 6);
	/* \EFI: ., .., BOOT (long name "Boot" with an LFN entry) */
	d = clus(f, efi);
	sfn(d, ".          ", FAT_ATTR_DIRECTORY, efi, 0);
	sfn(d + 32, "..         ", FAT_ATTR_DIRECTORY, 0, 0);
	lfn_and_sfn(d + 64, "Boot", "BOOT       ", FAT_ATTR_DIRECTORY, boot, 0, 0);
	/* \EFI\BOOT: the boot file with a long name, a file whose LFN checksum is wrong */
	d = clus(f, boot);
	sfn(d, ".          ", FAT_ATTR_DIRECTORY, boot, 0);
	sfn(d + 32, "..         ", FAT_ATTR_DIRECTORY, efi, 0);
	n = lfn_and_sfn(d + 64, "BootAA64.efi", "BOOTAA64EFI", 0x20, file, 3 * f->cs - 5, 0);
	lfn_and_sfn(d + 64 + 32 * n, "Not Trusted Long Name.efi", "NOTTRU~1EFI", 0x20, readme, 6, 1);
}

static void test_fat_tree(int type, uint32_t clusters, uint32_t spc)
{
	struct mkfat f;
	struct fat_vol v;
	struct fat_dirent *e = malloc(sizeof(*e));
	uint8_t *buf;
	struct lst l = {0};
	char name[96], tag[8];
	long n;
	uint32_t i, file_size, bad = 0;

	build_tree(&f, type, clusters, spc);
	snprintf(tag, sizeof(tag), "FAT%d", type);
	file_size = 3 * f.cs - 5;
	buf = calloc(1, file_size + 16);
	snprintf(name, sizeof(name), "%s: mount", tag);
	CHECK(name, fat_mount(&v, mem_read, &f, f.size) == 0 && v.type == type);
	snprintf(name, sizeof(name), "%s: lookup \\EFI\\BOOT\\BOOTAA64.EFI (long name, case-insensitive)", tag);
	CHECK(name, fat_lookup(&v, "\\EFI\\BOOT\\BOOTAA64.EFI", e) == 0 && e->has_lfn && e->size == file_size);
	snprintf(name, sizeof(name), "%s: long name kept with its case", tag);
	CHECK_STR(name, e->name, "BootAA64.efi");
	snprintf(name, sizeof(name), "%s: read the whole fragmented file", tag);
	n = fat_read(&v, e, 0, buf, file_size + 16);
	for (i = 0; i < file_size; i++)
		if (buf[i] != (uint8_t)(i * 7 + 1))
			bad++;
	CHECK(name, n == (long)file_size && bad == 0);
	snprintf(name, sizeof(name), "%s: read at an offset in the third cluster", tag);
	n = fat_read(&v, e, 2 * f.cs + 3, buf, 4);
	CHECK(name, n == 4 && buf[0] == (uint8_t)((2 * f.cs + 3) * 7 + 1));
	snprintf(name, sizeof(name), "%s: read past the end gives 0", tag);
	CHECK(name, fat_read(&v, e, file_size, buf, 4) == 0);
	snprintf(name, sizeof(name), "%s: chain length matches size", tag);
	CHECK(name, fat_check_chain(&v, e) == 0);
	snprintf(name, sizeof(name), "%s: 8.3 lookup with '/' separators", tag);
	CHECK(name, fat_lookup(&v, "/efi/boot/bootaa64.efi", e) == 0 && e->size == file_size);
	snprintf(name, sizeof(name), "%s: README.TXT (no long name)", tag);
	CHECK(name, fat_lookup(&v, "readme.txt", e) == 0 && !e->has_lfn && fat_read(&v, e, 0, buf, 100) == 6 &&
	      !memcmp(buf, "hello\n", 6));
	snprintf(name, sizeof(name), "%s: a long name with a wrong checksum is ignored", tag);
	CHECK(name, fat_lookup(&v, "\\EFI\\BOOT\\Not Trusted Long Name.efi", e) == -WB_ENOENT &&
	      fat_lookup(&v, "\\EFI\\BOOT\\NOTTRU~1.EFI", e) == 0 && !e->has_lfn);
	snprintf(name, sizeof(name), "%s: missing file", tag);
	CHECK(name, fat_lookup(&v, "\\EFI\\BOOT\\BOOTX64.EFI", e) == -WB_ENOENT);
	snprintf(name, sizeof(name), "%s: deleted entry and volume label not found", tag);
	CHECK(name, fat_lookup(&v, "\\OLD.TXT", e) == -WB_ENOENT && fat_lookup(&v, "\\ROOTLABEL", e) == -WB_ENOENT);
	snprintf(name, sizeof(name), "%s: a file used as a directory", tag);
	CHECK(name, fat_lookup(&v, "\\README.TXT\\X", e) == -WB_EFATNOTDIR);
	snprintf(name, sizeof(name), "%s: '..' back to the root", tag);
	CHECK(name, fat_lookup(&v, "\\EFI\\..\\README.TXT", e) == 0 && e->size == 6);
	snprintf(name, sizeof(name), "%s: list \\EFI\\BOOT", tag);
	CHECK(name, fat_list(&v, "\\EFI\\BOOT", list_cb, &l) == 0 && l.n == 2 && !strcmp(l.names[0], "BootAA64.efi") &&
	      !strcmp(l.names[1], "NOTTRU~1.EFI"));
	l.n = 0;
	snprintf(name, sizeof(name), "%s: list the root", tag);
	CHECK(name, fat_list(&v, "\\", list_cb, &l) == 0 && l.n == 2 && !strcmp(l.names[0], "EFI") &&
	      !strcmp(l.names[1], "README.TXT"));

	/* corruption: the file's chain loops back (third → first): a read stops at the size */
	fat_lookup(&v, "\\EFI\\BOOT\\BOOTAA64.EFI", e);
	{
		uint32_t first = e->first_cluster;

		setfat(&f, first + 3, first);
		snprintf(name, sizeof(name), "%s: chain longer than the size (loop) → WB_EFATCHAIN", tag);
		CHECK(name, fat_check_chain(&v, e) == -WB_EFATCHAIN);
		setfat(&f, first + 2, 0);
		snprintf(name, sizeof(name), "%s: free cluster inside a chain → WB_EFATCHAIN", tag);
		CHECK(name, fat_read(&v, e, 0, buf, file_size) == -WB_EFATCHAIN && fat_check_chain(&v, e) == -WB_EFATCHAIN);
		setfat(&f, first + 2, f.clusters + 5);
		snprintf(name, sizeof(name), "%s: cluster past the end inside a chain → WB_EFATCHAIN", tag);
		CHECK(name, fat_read(&v, e, 0, buf, file_size) == -WB_EFATCHAIN);
		setfat(&f, first + 2, eoc(&f));
		snprintf(name, sizeof(name), "%s: chain shorter than the size → WB_EFATCHAIN", tag);
		CHECK(name, fat_read(&v, e, 0, buf, file_size) == -WB_EFATCHAIN && fat_check_chain(&v, e) == -WB_EFATCHAIN);
	}
	/* a directory whose chain loops onto itself without an end marker must end */
	fat_lookup(&v, "\\EFI\\BOOT", e);
	{
		uint32_t c = e->first_cluster, k;
		uint8_t *d = clus(&f, c);

		/* fill the directory with entries (no end marker) and loop its chain */
		for (k = 4; k < f.cs / 32; k++)
			sfn(d + 32 * k, "FILLER  BIN", 0x20, 0, 0);
		setfat(&f, c, c);
		snprintf(name, sizeof(name), "%s: directory cluster loop → WB_EFATCHAIN, no hang", tag);
		CHECK(name, fat_lookup(&v, "\\EFI\\BOOT\\NOSUCH.EFI", e) == -WB_EFATCHAIN);
	}
	free(buf);
	free(e);
	free(f.v);
}

static void test_lfn_checksum(void)
{
	/* values from the spec's algorithm, matching what mtools writes */
	CHECK("fat: LFN checksum of README  TXT is 0x73", fat_lfn_checksum((const uint8_t *)"README  TXT") == 0x73);
	CHECK("fat: LFN checksum of BOOTAA64EFI is 0x54", fat_lfn_checksum((const uint8_t *)"BOOTAA64EFI") == 0x54);
	CHECK("fat: LFN checksum of ALONGF~1EFI is 0xEA", fat_lfn_checksum((const uint8_t *)"ALONGF~1EFI") == 0xEA);
}

/* ------------------------------------------------------------------ PE */

static size_t mk_pe(uint8_t *b, size_t cap, uint32_t lfanew, uint16_t machine, uint16_t magic, uint16_t subsys)
{
	uint8_t *c, *o;

	memset(b, 0, cap);
	b[0] = 'M';
	b[1] = 'Z';
	p32(b + 0x3C, lfanew);
	memcpy(b + lfanew, "PE\0\0", 4);
	c = b + lfanew + 4;
	p16(c, machine);
	p16(c + 2, 3);
	p16(c + 16, magic == PE_MAGIC_PE32PLUS ? 240 : 224);
	p16(c + 18, 0x0022);
	o = c + 20;
	p16(o, magic);
	p32(o + 16, 0x1000);
	p32(o + 56, 0x40000);
	p16(o + 68, subsys);
	return lfanew + 24 + (magic == PE_MAGIC_PE32PLUS ? 240 : 224);
}

static void test_pe(void)
{
	uint8_t b[1024];
	struct pe_info pi;
	size_t n;

	n = mk_pe(b, sizeof(b), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 10);
	CHECK("pe: arm64 PE32+ EFI application", pe_parse(b, n, &pi) == 0 && pi.machine == 0xAA64 &&
	      pi.magic == PE_MAGIC_PE32PLUS && pi.subsystem == 10 && pi.size_of_image == 0x40000 && pi.entry_rva == 0x1000);
	CHECK_STR("pe: machine name arm64", pe_machine_name(pi.machine), "arm64");
	CHECK_STR("pe: subsystem 10", pe_subsystem_name(pi.subsystem), "EFI application");
	n = mk_pe(b, sizeof(b), 0x100, PE_MACHINE_X86_64, PE_MAGIC_PE32PLUS, 10);
	CHECK("pe: x86_64 PE32+", pe_parse(b, n, &pi) == 0 && pi.machine == 0x8664 && pi.e_lfanew == 0x100);
	CHECK_STR("pe: machine name x86_64", pe_machine_name(pi.machine), "x86_64");
	n = mk_pe(b, sizeof(b), 0x45, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 10);
	CHECK("pe: unaligned e_lfanew accepted (as firmware does)", pe_parse(b, n, &pi) == 0 && pi.e_lfanew == 0x45);
	n = mk_pe(b, sizeof(b), 0x80, PE_MACHINE_I386, PE_MAGIC_PE32, 10);
	CHECK("pe: i386 PE32 parses as PE32", pe_parse(b, n, &pi) == 0 && pi.magic == PE_MAGIC_PE32 && pi.subsystem == 10);
	n = mk_pe(b, sizeof(b), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 11);
	CHECK("pe: boot service driver subsystem", pe_parse(b, n, &pi) == 0 && pi.subsystem == 11);
	CHECK_STR("pe: subsystem 11", pe_subsystem_name(11), "EFI boot service driver");
	CHECK_STR("pe: subsystem 12", pe_subsystem_name(12), "EFI runtime driver");
	CHECK_STR("pe: RISC-V named", pe_machine_name(0x5064), "riscv64");
	CHECK("pe: arch names", pe_machine_for_arch("arm64") == 0xAA64 && pe_machine_for_arch("x64") == 0x8664 &&
	      pe_machine_for_arch("mips") == 0);

	/* negative cases */
	n = mk_pe(b, sizeof(b), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 10);
	CHECK("pe: truncated inside the optional header", pe_parse(b, 0x80 + 24 + 60, &pi) == -WB_EPEHDR);
	CHECK("pe: truncated inside the MS-DOS header", pe_parse(b, 40, &pi) == -WB_EPEHDR);
	CHECK("pe: 1 byte", pe_parse(b, 1, &pi) == -WB_EPEMZ);
	b[0] = 'Z';
	CHECK("pe: no MZ", pe_parse(b, n, &pi) == -WB_EPEMZ);
	b[0] = 'M';
	p32(b + 0x3C, 0x7FFFFFF8);
	CHECK("pe: e_lfanew far past the buffer", pe_parse(b, n, &pi) == -WB_EPEHDR);
	p32(b + 0x3C, 0xFFFFFFF8);
	CHECK("pe: e_lfanew near 4 GiB (no wrap)", pe_parse(b, n, &pi) == -WB_EPEHDR);
	p32(b + 0x3C, 0x20);
	CHECK("pe: e_lfanew inside the MS-DOS header", pe_parse(b, n, &pi) == -WB_EPEHDR);
	p32(b + 0x3C, 0x83);
	CHECK("pe: e_lfanew pointing past the signature", pe_parse(b, n, &pi) == -WB_EPESIG);
	p32(b + 0x3C, 0x88);
	CHECK("pe: no PE signature at e_lfanew", pe_parse(b, n, &pi) == -WB_EPESIG);
	p32(b + 0x3C, 0x80);
	p16(b + 0x80 + 24, 0x0107);
	CHECK("pe: ROM optional header magic refused", pe_parse(b, n, &pi) == -WB_EPEHDR);
	n = mk_pe(b, sizeof(b), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 10);
	p16(b + 0x80 + 4 + 16, 60);
	CHECK("pe: SizeOfOptionalHeader too small for Subsystem", pe_parse(b, n, &pi) == -WB_EPEHDR);
}

/* ------------------------------------------------------------------ inspect */

struct mdisk {
	uint8_t *d;
	uint32_t bs;
	uint64_t blocks;
	int fail_at;        /* fail reads of this LBA (-1 none) */
};

static int mdisk_read(void *arg, uint64_t lba, uint32_t n, void *buf)
{
	struct mdisk *m = arg;

	if (lba >= m->blocks || n > m->blocks - lba)
		return -WB_EDISKREAD;
	if (m->fail_at >= 0 && (uint64_t)m->fail_at >= lba && (uint64_t)m->fail_at < lba + n)
		return -WB_EDISKREAD;
	memcpy(buf, m->d + lba * m->bs, (size_t)n * m->bs);
	return 0;
}

#define ESP_LBA 64

/* GPT disk (@bs) with the FAT volume @f as partition 1 (ESP) */
static void mk_gpt_disk(struct mdisk *m, uint32_t bs, const struct mkfat *f, const uint8_t type[16])
{
	uint64_t esp_blocks = (f->size + bs - 1) / bs, arr_blocks = (128 * 128 + bs - 1) / bs;
	uint8_t *arr = calloc(1, 128 * 128);
	uint32_t crc;

	m->bs = bs;
	m->blocks = ESP_LBA + esp_blocks + 64;
	m->d = calloc(1, (size_t)(m->blocks * bs));
	m->fail_at = -1;
	/* protective MBR */
	m->d[510] = 0x55;
	m->d[511] = 0xAA;
	mbr_ent(m->d, 0, 0, 0xEE, 1, (uint32_t)(m->blocks - 1));
	mk_ent(arr, type, ESP_LBA, ESP_LBA + esp_blocks - 1, "EFI system partition");
	crc = wb_crc32(0, arr, 128 * 128);
	memcpy(m->d + 2 * bs, arr, 128 * 128);
	memcpy(m->d + (m->blocks - 1 - arr_blocks) * bs, arr, 128 * 128);
	mk_hdr(m->d + bs, bs, 1, m->blocks, 2 + arr_blocks, m->blocks - 2 - arr_blocks, 2, 128, 128, crc);
	mk_hdr(m->d + (m->blocks - 1) * bs, bs, m->blocks - 1, m->blocks, 2 + arr_blocks, m->blocks - 2 - arr_blocks,
	       m->blocks - 1 - arr_blocks, 128, 128, crc);
	memcpy(m->d + (uint64_t)ESP_LBA * bs, f->v, f->size);
	free(arr);
}

/* after editing the primary entry array of an mk_gpt_disk() disk: copy it to the backup, redo the CRCs */
static void regpt(struct mdisk *m)
{
	uint64_t arr_blocks = (128 * 128 + m->bs - 1) / m->bs;
	uint8_t *prim = m->d + m->bs, *back = m->d + (m->blocks - 1) * m->bs;
	uint32_t crc = wb_crc32(0, m->d + 2 * m->bs, 128 * 128);

	memcpy(m->d + (m->blocks - 1 - arr_blocks) * m->bs, m->d + 2 * m->bs, 128 * 128);
	p32(prim + 88, crc);
	p32(back + 88, crc);
	fix_hdr_crc(prim);
	fix_hdr_crc(back);
}

static struct disk_report *run_inspect(struct mdisk *m, const char *arch, const char *extra, int *rc)
{
	static struct disk_report rep;
	struct disk_reader r = {mdisk_read, m, m->bs, m->blocks};

	disk_report_init(&rep, arch, extra);
	*rc = disk_inspect(&r, &rep);
	return &rep;
}

static char printed[4096];
static void print_cb(void *arg, const char *text)
{
	(void)arg;
	strncat(printed, text, sizeof(printed) - strlen(printed) - 2);
	strcat(printed, "\n");
}

static void put_boot_file(struct mkfat *f, const uint8_t *pe, size_t n)
{
	struct fat_vol v;
	struct fat_dirent e;

	fat_mount(&v, mem_read, f, f->size);
	fat_lookup(&v, "\\EFI\\BOOT\\BOOTAA64.EFI", &e);
	memset(clus(f, e.first_cluster), 0, f->cs);
	memcpy(clus(f, e.first_cluster), pe, n);
}

/* the inspector with one allocation failing: it must say out of memory, not
 * blame the disk (a wrong verdict would send an admin chasing a good disk) */
static int sweep_inspect(void *arg)
{
	int rc;
	struct disk_report *rep = run_inspect(arg, "arm64", NULL, &rc);

	if (rc == 0 && rep->verdict != DISK_OK)
		return 1001;
	if (rc && (!rep->reason[0] || rc != -WB_ENOMEM))
		return 1002;
	return rc;
}

static int sweep_ok(int rc) { return rc <= 0; }

static void test_inspect(void)
{
	struct mkfat f;
	struct mdisk m;
	struct disk_report *rep;
	uint8_t pe[1024];
	int rc;
	size_t n;

	CHECK_STR("boot path: arm64", disk_boot_path("arm64"), "\\EFI\\BOOT\\BOOTAA64.EFI");
	CHECK_STR("boot path: x64", disk_boot_path("x64"), "\\EFI\\BOOT\\BOOTX64.EFI");
	CHECK("boot path: unknown arch", disk_boot_path("mips") == NULL && disk_boot_path(NULL) == NULL);
	CHECK("inspect: unknown arch refused", disk_report_init(&(struct disk_report){0}, "mips", NULL) == -WB_EINVAL);

	build_tree(&f, 12, 300, 4);     /* 2 KiB clusters: the PE headers fit in the first */
	n = mk_pe(pe, sizeof(pe), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 10);
	put_boot_file(&f, pe, n);
	mk_gpt_disk(&m, 512, &f, gpt_type_esp);

	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: GPT + FAT12 ESP + arm64 PE → OK", rc == 0 && rep->verdict == DISK_OK && rep->table == DISK_TABLE_GPT &&
	      rep->esp == 0 && rep->fat_type == 12 && rep->files[0].rc == 0 && rep->files[1].rc == -WB_ENOENT);
	CHECK("inspect: backup header checked", rep->gpt_backup_rc == 0 && rep->gpt_backup_lba == m.blocks - 1);
	CHECK_STR("inspect: OK line", rep->reason, "OK: \\EFI\\BOOT\\BOOTAA64.EFI is an arm64 EFI application (6139 bytes)");
	printed[0] = '\0';
	disk_report_print(rep, print_cb, NULL);
	CHECK("inspect: printed report names the ESP, FAT, both files and the verdict",
	      strstr(printed, "partition 1: LBA 64-") && strstr(printed, "EFI System \"EFI system partition\"") &&
	      strstr(printed, "[ESP]") && strstr(printed, "ESP: partition 1, FAT12, label \"TINY12\", 2048-byte clusters") &&
	      strstr(printed, "\\EFI\\BOOT\\BOOTAA64.EFI: 6139 bytes, PE32+ arm64 (0xaa64), EFI application (subsystem 10)") &&
	      strstr(printed, "\\EFI\\BOOT\\BOOTX64.EFI: missing") &&
	      strstr(printed, "verdict (arm64): OK: "));

	unit_alloc_sweep("inspect: allocation failures", sweep_inspect, &m, sweep_ok);

	rep = run_inspect(&m, "x86_64", NULL, &rc);
	CHECK_STR("inspect: x86_64 → BOOTX64.EFI missing", rep->reason, "\\EFI\\BOOT\\BOOTX64.EFI is missing on the ESP");
	CHECK("inspect: missing → DISK_FILE_MISSING, -WB_ENOENT", rc == -WB_ENOENT && rep->verdict == DISK_FILE_MISSING);
	rep = run_inspect(&m, "x86_64", "\\efi\\boot\\bootaa64.efi", &rc);
	CHECK_STR("inspect: extra path judged: wrong machine", rep->reason,
		  "\\efi\\boot\\bootaa64.efi is a PE image for arm64 (machine 0xaa64), not x86_64");
	CHECK("inspect: wrong machine verdict", rep->verdict == DISK_WRONG_MACHINE && rc == -WB_EBADIMAGE);
	rep = run_inspect(&m, "arm64", "\\EFI", &rc);
	CHECK("inspect: extra path is a directory → missing", rep->verdict == DISK_FILE_MISSING);

	/* the boot file's kind */
	n = mk_pe(pe, sizeof(pe), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 11);
	put_boot_file(&f, pe, n);
	memcpy(m.d + (uint64_t)ESP_LBA * 512, f.v, f.size);
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK_STR("inspect: driver, not application", rep->reason,
		  "\\EFI\\BOOT\\BOOTAA64.EFI is not an EFI application (subsystem 11: EFI boot service driver)");
	CHECK("inspect: not-application verdict", rep->verdict == DISK_NOT_EFI_APP);
	n = mk_pe(pe, sizeof(pe), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32, 10);
	put_boot_file(&f, pe, n);
	memcpy(m.d + (uint64_t)ESP_LBA * 512, f.v, f.size);
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: PE32 for arm64 → not PE32+", rep->verdict == DISK_NOT_PE &&
	      strstr(rep->reason, "is PE32, not PE32+"));
	memcpy(pe, "#!ipxe\necho hi\n", 15);
	put_boot_file(&f, pe, 15);
	memcpy(m.d + (uint64_t)ESP_LBA * 512, f.v, f.size);
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK_STR("inspect: a script is not a PE image", rep->reason,
		  "\\EFI\\BOOT\\BOOTAA64.EFI is not a PE image (PE: no MZ signature (not a PE/EFI image))");
	CHECK("inspect: not-PE verdict", rep->verdict == DISK_NOT_PE && rc == -WB_EPEMZ);

	/* the GPT: primary header damaged → the backup is used */
	n = mk_pe(pe, sizeof(pe), 0x80, PE_MACHINE_ARM64, PE_MAGIC_PE32PLUS, 10);
	put_boot_file(&f, pe, n);
	memcpy(m.d + (uint64_t)ESP_LBA * 512, f.v, f.size);
	m.d[512 + 40] ^= 0xFF;
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: corrupted primary header → backup used, OK", rc == 0 && rep->gpt_used_backup &&
	      rep->gpt_rc == -WB_EGPTCRC && rep->nwarn == 1 && strstr(rep->warn[0], "using the backup"));
	m.d[(m.blocks - 1) * 512 + 40] ^= 0xFF;
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK_STR("inspect: both headers corrupted → GPT damaged", rep->reason,
		  "GPT damaged: primary: GPT: header CRC32 mismatch (header corrupted); backup: GPT: header CRC32 mismatch (header corrupted)");
	CHECK("inspect: bad-GPT verdict", rep->verdict == DISK_BAD_GPT && rc == -WB_EGPTCRC);
	m.d[512 + 40] ^= 0xFF;
	m.d[(m.blocks - 1) * 512 + 40] ^= 0xFF;
	/* the entry array damaged: primary refused, the backup's array used */
	m.d[2 * 512 + 60] ^= 1;
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: primary entry array CRC mismatch → backup used", rc == 0 && rep->gpt_used_backup &&
	      rep->gpt_rc == -WB_EGPTENTCRC);
	m.d[2 * 512 + 60] ^= 1;
	/* no ESP: change the type (recompute both CRCs through mk_gpt_disk) */
	free(m.d);
	{
		static const uint8_t linux_fs[16] = {0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
						     0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4};

		mk_gpt_disk(&m, 512, &f, linux_fs);
	}
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: no ESP", rep->verdict == DISK_NO_ESP && rc == -WB_ENOENT &&
	      !strncmp(rep->reason, "no EFI System Partition", 23));
	free(m.d);
	/* ESP not FAT */
	mk_gpt_disk(&m, 512, &f, gpt_type_esp);
	m.d[(uint64_t)ESP_LBA * 512 + 510] = 0;
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK_STR("inspect: ESP not FAT", rep->reason,
		  "ESP (partition 1) is not FAT: FAT: boot sector/BPB invalid (not a FAT file system)");
	CHECK("inspect: ESP-not-FAT verdict", rep->verdict == DISK_ESP_NOT_FAT);
	m.d[(uint64_t)ESP_LBA * 512 + 510] = 0x55;
	/* the protective MBR: gone → the GPT is ignored (as EDK2 and U-Boot do) */
	{
		uint8_t sec0[512];

		memcpy(sec0, m.d, 512);
		memset(m.d, 0, 512);
		rep = run_inspect(&m, "arm64", NULL, &rc);
		CHECK_STR("inspect: valid GPT without protective MBR → refused", rep->reason,
			  "GPT without a protective MBR: GPT: sector 0 has no protective MBR (a type EE entry starting at LBA 1); firmware ignores such a GPT");
		CHECK("inspect: no-PMBR verdict", rep->verdict == DISK_BAD_GPT && rc == -WB_EGPTPMBR);
		/* a real MBR over the GPT: firmware uses the MBR */
		m.d[510] = 0x55;
		m.d[511] = 0xAA;
		mbr_ent(m.d, 1, 0x00, 0xEF, ESP_LBA, (uint32_t)((f.size + 511) / 512));
		rep = run_inspect(&m, "arm64", NULL, &rc);
		CHECK("inspect: MBR over a GPT → the MBR is used, with a warning", rc == 0 && rep->table == DISK_TABLE_MBR &&
		      rep->parts[0].number == 2 && rep->nwarn == 1 && strstr(rep->warn[0], "a valid GPT is ignored"));
		memcpy(m.d, sec0, 512);
	}
	/* an ESP entry reaching past the disk: listed, warned about, not used */
	p64(m.d + 2 * 512 + 40, m.blocks + 10);
	regpt(&m);
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: ESP past the end of the disk → range warning, no ESP", rep->verdict == DISK_NO_ESP &&
	      rep->gpt_part_rc == -WB_EGPTPART && rep->nwarn == 1 && strstr(rep->warn[0], "lies outside the disk"));
	p64(m.d + 2 * 512 + 40, ESP_LBA + (f.size + 511) / 512 - 1);
	regpt(&m);
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: entry restored, CRCs redone → OK", rc == 0);
	/* a read error */
	m.fail_at = ESP_LBA;
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: read error at the ESP → I/O verdict", rep->verdict == DISK_IO_ERROR && rc == -WB_EDISKREAD);
	m.fail_at = -1;
	/* no partition table at all */
	memset(m.d, 0, 34 * 512);
	memset(m.d + (m.blocks - 33) * 512, 0, 33 * 512);
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK_STR("inspect: blank disk", rep->reason,
		  "no partition table (no GPT header at LBA 1 and no MBR signature in sector 0)");
	CHECK("inspect: no-table verdict", rep->verdict == DISK_NO_TABLE && rc == -WB_EMBRSIG);
	/* MBR with an 0xEF partition */
	m.d[510] = 0x55;
	m.d[511] = 0xAA;
	mbr_ent(m.d, 0, 0x80, 0xEF, ESP_LBA, (uint32_t)((f.size + 511) / 512));
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: MBR with a 0xEF partition → OK", rc == 0 && rep->table == DISK_TABLE_MBR && rep->esp == 0 &&
	      rep->parts[0].bootable);
	free(m.d);

	/* 4096-byte blocks */
	mk_gpt_disk(&m, 4096, &f, gpt_type_esp);
	rep = run_inspect(&m, "arm64", NULL, &rc);
	CHECK("inspect: 4096-byte blocks → OK", rc == 0 && rep->block_size == 4096 && rep->gpt_backup_rc == 0);
	free(m.d);
	free(f.v);

	/* FAT32 ESP */
	build_tree(&f, 32, 65600, 1);
	n = mk_pe(pe, sizeof(pe), 0x100, PE_MACHINE_X86_64, PE_MAGIC_PE32PLUS, 10);
	put_boot_file(&f, pe, n);
	mk_gpt_disk(&m, 512, &f, gpt_type_esp);
	rep = run_inspect(&m, "x86_64", "\\EFI\\BOOT\\BOOTAA64.EFI", &rc);
	CHECK("inspect: FAT32 ESP, x86_64 image under another name → OK", rc == 0 && rep->fat_type == 32 &&
	      rep->files[2].pe.machine == PE_MACHINE_X86_64);
	free(m.d);
	free(f.v);
}

int main(void)
{
	test_gpt_sgdisk();
	test_gpt_built();
	test_mbr();
	test_lfn_checksum();
	test_fat_types();
	test_fat_tree(12, 300, 1);
	test_fat_tree(16, 5000, 1);
	test_fat_tree(32, 65600, 1);
	test_fat_tree(12, 200, 8);
	test_pe();
	test_inspect();
	return unit_done();
}
