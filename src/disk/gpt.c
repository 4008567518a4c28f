/*
 * gpt.c — GPT header and entry array checks (UEFI spec 2.10 section 5.3.2,
 * table 5-5 header, 5-6 entry).  All fields little-endian.
 *
 * Header: 0 "EFI PART", 8 revision, 12 header size, 16 header CRC32 (over
 * header-size bytes with this field zero), 20 reserved, 24 my LBA, 32
 * alternate LBA, 40 first usable, 48 last usable, 56 disk GUID, 72 entry
 * array LBA, 80 number of entries, 84 entry size (128 * 2^n), 88 array CRC32.
 * Entry: 0 type GUID, 16 unique GUID, 32 first LBA, 40 last LBA (inclusive),
 * 48 attributes, 56 name (36 UTF-16LE units).
 */
#include "disk/gpt.h"

#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "core/le.h"
#include "disk/utf16.h"

const uint8_t gpt_type_esp[16] = {0x28, 0x73, 0x2A, 0xC1, 0x1F, 0xF8, 0xD2, 0x11,
				  0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B};

char *gpt_guid_fmt(const uint8_t g[16], char out[37])
{
	static const char hex[] = "0123456789ABCDEF";
	/* byte order: 3 2 1 0 - 5 4 - 7 6 - 8 9 - 10..15 */
	static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	char *o = out;
	int i;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[g[order[i]] >> 4];
		*o++ = hex[g[order[i]] & 15];
	}
	*o = '\0';
	return out;
}

const char *gpt_type_name(const uint8_t type[16])
{
	static const struct { const char *guid, *name; } known[] = {
		{"C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI System"},
		{"21686148-6449-6E6F-744E-656564454649", "BIOS boot"},
		{"0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem"},
		{"0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"},
		{"E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM"},
		{"A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID"},
		{"4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)"},
		{"B921B045-1DF0-41C3-AF44-4C6F280D3FAE", "Linux root (arm64)"},
		{"BC13C2FF-59E6-4262-A352-B275FD6F7172", "Linux extended boot"},
		{"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data"},
		{"E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved"},
	};
	char s[37];
	size_t i;

	gpt_guid_fmt(type, s);
	for (i = 0; i < WB_ARRAY_SIZE(known); i++)
		if (!strcmp(s, known[i].guid))
			return known[i].name;
	return NULL;
}

int gpt_check_pmbr(const uint8_t *sec, size_t len)
{
	int i;

	if (len < 512 || sec[510] != 0x55 || sec[511] != 0xAA)
		return -WB_EGPTPMBR;
	/* records at 446, 16 bytes: type at +4, starting LBA at +8 */
	for (i = 0; i < 4; i++)
		if (sec[446 + 16 * i + 4] == 0xEE && le32(sec + 446 + 16 * i + 8) == 1)
			return 0;
	return -WB_EGPTPMBR;
}

int gpt_parse_header(const uint8_t *blk, uint32_t block_size, uint64_t lba, uint64_t disk_blocks,
		     struct gpt_header *h)
{
	uint8_t tmp[512];
	uint32_t crc;
	uint64_t arr_end;

	memset(h, 0, sizeof(*h));
	if (block_size < 512 || block_size > 4096 || (block_size & (block_size - 1)))
		return -WB_EDISKGEOM;
	if (memcmp(blk, "EFI PART", 8))
		return -WB_EGPTSIG;
	h->revision = le32(blk + 8);
	h->header_size = le32(blk + 12);
	/* revision 1.x; the header fits the block (92..block size; we CRC up to 512) */
	if ((h->revision >> 16) != 1 || h->header_size < 92 || h->header_size > 512 ||
	    h->header_size > block_size)
		return -WB_EGPTHDR;
	memcpy(tmp, blk, h->header_size);
	memset(tmp + 16, 0, 4);
	crc = wb_crc32(0, tmp, h->header_size);
	if (crc != le32(blk + 16))
		return -WB_EGPTCRC;
	h->my_lba = le64(blk + 24);
	h->alternate_lba = le64(blk + 32);
	h->first_usable = le64(blk + 40);
	h->last_usable = le64(blk + 48);
	memcpy(h->disk_guid, blk + 56, 16);
	h->entries_lba = le64(blk + 72);
	h->num_entries = le32(blk + 80);
	h->entry_size = le32(blk + 84);
	h->entries_crc = le32(blk + 88);
	if (h->my_lba != lba || lba >= disk_blocks || disk_blocks < 3)
		return -WB_EGPTHDR;
	/* the usable range lies strictly between LBA 1 and the last LBA and excludes the header */
	if (h->first_usable < 2 || h->first_usable > h->last_usable || h->last_usable >= disk_blocks - 1 ||
	    (lba >= h->first_usable && lba <= h->last_usable))
		return -WB_EGPTHDR;
	if (h->entry_size < 128 || h->entry_size > 4096 || (h->entry_size & (h->entry_size - 1)) ||
	    h->num_entries > GPT_MAX_ARRAY_BYTES / h->entry_size)
		return -WB_EGPTENTSIZE;
	h->array_bytes = h->num_entries * h->entry_size;
	h->array_blocks = (h->array_bytes + block_size - 1) / block_size;
	/* the array: inside the disk, not over this header, not in the usable range */
	if (h->entries_lba < 2 || h->entries_lba >= disk_blocks)
		return -WB_EGPTENTSIZE;
	arr_end = h->entries_lba + h->array_blocks;       /* exclusive */
	if (arr_end > disk_blocks || (lba >= h->entries_lba && lba < arr_end) ||
	    (h->array_blocks && h->entries_lba <= h->last_usable && arr_end > h->first_usable))
		return -WB_EGPTENTSIZE;
	h->alternate_ok = lba == 1 ? h->alternate_lba == disk_blocks - 1 : h->alternate_lba == 1;
	return 0;
}

/* the 36 UTF-16LE units of an entry's name as UTF-8 */
static void name_utf8(const uint8_t *p, char *out)
{
	uint16_t u[36];
	size_t i;

	for (i = 0; i < 36; i++)
		u[i] = le16(p + 2 * i);
	utf16_to_utf8(u, 36, out, GPT_NAME_MAX);
}

static int is_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int gpt_parse_entries(const struct gpt_header *h, const uint8_t *arr, size_t len,
		      struct gpt_part *parts, uint32_t max, uint32_t *nused)
{
	uint32_t i, j, n = 0;
	int rc = 0;

	*nused = 0;
	if (len < h->array_bytes)
		return -WB_EGPTENTSIZE;
	if (wb_crc32(0, arr, h->array_bytes) != h->entries_crc)
		return -WB_EGPTENTCRC;
	for (i = 0; i < h->num_entries; i++) {
		const uint8_t *e = arr + (size_t)i * h->entry_size;
		uint64_t first, last;

		if (is_zero(e, 16))
			continue;
		first = le64(e + 32);
		last = le64(e + 40);
		if (first > last || first < h->first_usable || last > h->last_usable)
			rc = -WB_EGPTPART;
		/* overlap with every earlier used entry (the array is small: bounded above) */
		for (j = 0; j < i && rc == 0; j++) {
			const uint8_t *f = arr + (size_t)j * h->entry_size;

			if (!is_zero(f, 16) && first <= le64(f + 40) && le64(f + 32) <= last)
				rc = -WB_EGPTPART;
		}
		if (n < max) {
			struct gpt_part *p = &parts[n];

			p->index = i;
			memcpy(p->type, e, 16);
			memcpy(p->uniq, e + 16, 16);
			p->first_lba = first;
			p->last_lba = last;
			p->attrs = le64(e + 48);
			name_utf8(e + 56, p->name);
		}
		n++;
	}
	*nused = n;
	return rc;
}
