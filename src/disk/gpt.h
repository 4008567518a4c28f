/*
 * gpt.h — GUID Partition Table reader (UEFI spec 2.10 section 5.3), pure and
 * read-only: the caller reads the blocks, these functions check them.
 *
 *   1. gpt_parse_header() on the block at LBA 1 (primary) or at the last LBA
 *      (backup): signature, revision, header size, header CRC32, my_lba, the
 *      usable range and where the entry array lies, entry size/count bounds.
 *   2. The caller reads h.array_bytes from h.entries_lba.
 *   3. gpt_parse_entries(): entry array CRC32, then each used entry (type
 *      GUID not zero): LBA range inside the usable range, no overlaps, name
 *      from UTF-16LE to UTF-8.
 *
 * Block sizes 512 to 4096 (a power of two).  gpt_check_pmbr() checks sector
 * 0 for the protective MBR that makes firmware look at the GPT at all.
 */
#ifndef WB_DISK_GPT_H
#define WB_DISK_GPT_H

#include <stddef.h>
#include <stdint.h>

/* larger entry arrays than this are refused (-WB_EGPTENTSIZE); tools write 16 KiB */
#define GPT_MAX_ARRAY_BYTES (256u * 1024u)
#define GPT_NAME_MAX        109     /* 36 UTF-16 units as UTF-8, + NUL */

/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B in on-disk byte order */
extern const uint8_t gpt_type_esp[16];

struct gpt_header {
	uint32_t revision, header_size;
	uint64_t my_lba, alternate_lba;
	uint64_t first_usable, last_usable;
	uint8_t disk_guid[16];
	uint64_t entries_lba;
	uint32_t num_entries, entry_size, entries_crc;
	uint32_t array_bytes;       /* num_entries * entry_size (<= GPT_MAX_ARRAY_BYTES) */
	uint32_t array_blocks;      /* blocks holding the array */
	int alternate_ok;           /* alternate_lba is where it belongs (last LBA for a primary, 1 for a backup) */
};

struct gpt_part {
	uint32_t index;             /* 0-based slot in the entry array */
	uint8_t type[16], uniq[16];
	uint64_t first_lba, last_lba, attrs;
	char name[GPT_NAME_MAX];    /* UTF-8, control characters shown as '?' */
};

/**
 * Check the header block @blk (@block_size bytes) read from @lba of a disk of
 * @disk_blocks blocks and fill @h.  Returns 0, -WB_EDISKGEOM (block size),
 * -WB_EGPTSIG, -WB_EGPTHDR, -WB_EGPTCRC or -WB_EGPTENTSIZE.
 */
int gpt_parse_header(const uint8_t *blk, uint32_t block_size, uint64_t lba, uint64_t disk_blocks,
		     struct gpt_header *h);

/**
 * Check the entry array @arr (@len >= h->array_bytes) against @h and store the
 * used entries, in slot order, into @parts (up to @max of them).  *@nused gets
 * the number of used entries (may exceed @max).  Returns 0, -WB_EGPTENTSIZE
 * (@len short), -WB_EGPTENTCRC or -WB_EGPTPART (range/overlap; @parts is
 * still filled).
 */
int gpt_parse_entries(const struct gpt_header *h, const uint8_t *arr, size_t len,
		      struct gpt_part *parts, uint32_t max, uint32_t *nused);

/**
 * The protective MBR check firmware makes before trusting a GPT (UEFI spec
 * 2.10 section 5.2.3; EDK2 and U-Boot both require it): sector 0 (@sec,
 * @len >= 512) has the 55AA signature and a partition record of type EE
 * starting at LBA 1.  Returns 0 or -WB_EGPTPMBR.  Whether it is exactly as
 * the spec writes it (one record, size = disk - 1) is mbr_parse()'s business
 * (mbr_info.hybrid).
 */
int gpt_check_pmbr(const uint8_t *sec, size_t len);

/** Format a GUID (mixed-endian on disk) as 8-4-4-4-12 upper-case hex into @out[37]. */
char *gpt_guid_fmt(const uint8_t g[16], char out[37]);
/** Name of a well-known partition type ("EFI System", "Linux filesystem", ...) or NULL. */
const char *gpt_type_name(const uint8_t type[16]);

#endif
