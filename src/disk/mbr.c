/*
 * mbr.c — sector-0 partition table reader.  Layout (UEFI spec 2.10 table
 * 5-1/5-2): boot code 0..439, disk signature 440, four 16-byte entries at
 * 446 (status, CHS start, type, CHS end, LBA start, LBA count), 55 AA at 510.
 * CHS fields are ignored: every tool since the 1990s uses the LBA fields.
 */
#include "disk/mbr.h"

#include "core/err.h"
#include "core/le.h"

int mbr_is_extended(uint8_t type) { return type == 0x05 || type == 0x0F || type == 0x85; }

const char *mbr_type_name(uint8_t type)
{
	switch (type) {
	case 0x00: return "unused";
	case 0x01: return "FAT12";
	case 0x04: case 0x06: case 0x0E: return "FAT16";
	case 0x0B: case 0x0C: return "FAT32";
	case 0x07: return "NTFS/exFAT";
	case 0x05: case 0x0F: case 0x85: return "extended";
	case 0x82: return "Linux swap";
	case 0x83: return "Linux";
	case 0x8E: return "Linux LVM";
	case 0xFD: return "Linux RAID";
	case 0xEE: return "GPT protective";
	case 0xEF: return "EFI System";
	default: return "other";
	}
}

int mbr_parse(const uint8_t *sec, size_t len, uint64_t disk_blocks, struct mbr_info *out)
{
	int i, j, used = 0, ee = 0;

	for (i = 0; i < 4; i++)
		out->part[i] = (struct mbr_part){0};
	out->disk_signature = 0;
	out->protective = out->hybrid = 0;
	if (len < 512 || sec[510] != 0x55 || sec[511] != 0xAA)
		return -WB_EMBRSIG;
	out->disk_signature = le32(sec + 440);
	for (i = 0; i < 4; i++) {
		const uint8_t *e = sec + 446 + 16 * i;
		struct mbr_part *p = &out->part[i];

		p->status = e[0];
		p->type = e[4];
		p->lba_start = le32(e + 8);
		p->lba_count = le32(e + 12);
		/* a FAT boot sector without partitions (a "superfloppy") fails here */
		if (p->status != 0x00 && p->status != 0x80)
			return -WB_EMBRBAD;
		if (p->type == 0)
			continue;
		if (p->type == MBR_TYPE_PROTECTIVE) {
			ee++;
			/* the protective entry covers the disk or 0xFFFFFFFF blocks */
			if (p->lba_start == 0 || p->lba_start >= disk_blocks)
				return -WB_EMBRBAD;
			continue;
		}
		used++;
		if (p->lba_start == 0 || p->lba_count == 0 ||
		    (uint64_t)p->lba_start + p->lba_count > disk_blocks)
			return -WB_EMBRBAD;
	}
	out->protective = ee > 0;
	out->hybrid = ee > 0 && used > 0;
	for (i = 0; i < 4; i++) {
		const struct mbr_part *a = &out->part[i];

		if (!a->type || a->type == MBR_TYPE_PROTECTIVE)
			continue;
		for (j = i + 1; j < 4; j++) {
			const struct mbr_part *b = &out->part[j];

			if (!b->type || b->type == MBR_TYPE_PROTECTIVE)
				continue;
			if ((uint64_t)a->lba_start < (uint64_t)b->lba_start + b->lba_count &&
			    (uint64_t)b->lba_start < (uint64_t)a->lba_start + a->lba_count)
				return -WB_EMBRBAD;
		}
	}
	return 0;
}
