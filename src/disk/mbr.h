/*
 * mbr.h — the classic PC partition table in sector 0 (pure, read-only).
 *
 * Four primary entries at byte 446, 16 bytes each, and the 55 AA signature at
 * 510.  Extended partitions (types 05, 0F, 85) are listed as such but their
 * logical partitions are not followed: an EFI System Partition is a primary
 * partition (UEFI spec 2.10 section 5.2.1).  A GPT disk carries a protective
 * MBR: one entry of type EE starting at LBA 1 (section 5.2.3).
 */
#ifndef WB_DISK_MBR_H
#define WB_DISK_MBR_H

#include <stddef.h>
#include <stdint.h>

#define MBR_TYPE_PROTECTIVE 0xEE
#define MBR_TYPE_ESP        0xEF

struct mbr_part {
	uint8_t status;        /* 0x80 bootable, 0x00 not */
	uint8_t type;          /* 0 = unused entry */
	uint32_t lba_start;
	uint32_t lba_count;
};

struct mbr_info {
	struct mbr_part part[4];
	uint32_t disk_signature;
	int protective;        /* an EE entry is present (a GPT disk) */
	int hybrid;            /* ... together with other entries (hybrid MBR) */
};

/**
 * Parse sector 0 (@sec, @len >= 512 bytes) of a disk of @disk_blocks blocks.
 * Checks the signature, status bytes (0x00/0x80), that used entries lie
 * inside the disk (an EE entry may claim more, as the spec allows) and do
 * not overlap.  Returns 0, -WB_EMBRSIG (no 55AA) or -WB_EMBRBAD; @out is
 * filled as far as parsing got.
 */
int mbr_parse(const uint8_t *sec, size_t len, uint64_t disk_blocks, struct mbr_info *out);

/** Human name of a partition type byte ("EFI System", "Linux", "extended", ...); never NULL. */
const char *mbr_type_name(uint8_t type);
/** 1 for the extended-partition container types (05, 0F, 85). */
int mbr_is_extended(uint8_t type);

#endif
