/*
 * inspect.h — "will this disk boot?": find the partition table (GPT
 * preferred, else MBR), the EFI System Partition, its FAT file system, and
 * the removable-media boot files \EFI\BOOT\BOOTAA64.EFI / BOOTX64.EFI (plus
 * one optional extra path such as \EFI\debian\grubaa64.efi), and judge them
 * for a target architecture.  Read-only; the disk comes through a block read
 * callback, so the same code serves a local image file (`wireboot inspect`)
 * and an iSCSI LUN (`wireboot preflight`, sanboot).
 *
 * Usage:
 *   struct disk_report rep;      (large: allocate it, ~6 KiB)
 *   disk_report_init(&rep, "arm64", NULL);
 *   rc = disk_inspect(&reader, &rep);     0 = bootable
 *   disk_report_print(&rep, line_cb, arg);
 */
#ifndef WB_DISK_INSPECT_H
#define WB_DISK_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "disk/gpt.h"
#include "disk/mbr.h"
#include "disk/pe.h"

struct disk_reader {
	/** Read @nblocks blocks from @lba into @buf: 0 or a negative WB_E*. */
	int (*read)(void *arg, uint64_t lba, uint32_t nblocks, void *buf);
	void *arg;
	uint32_t block_size;        /* 512..4096, a power of two */
	uint64_t blocks;
};

enum disk_verdict {
	DISK_OK = 0,
	DISK_IO_ERROR,              /* the reader failed */
	DISK_NO_TABLE,              /* neither GPT nor MBR */
	DISK_BAD_GPT,               /* both GPT copies damaged, or a GPT without a protective MBR */
	DISK_NO_ESP,
	DISK_ESP_NOT_FAT,
	DISK_FILE_MISSING,
	DISK_NOT_PE,
	DISK_WRONG_MACHINE,
	DISK_NOT_EFI_APP,
};

enum disk_table { DISK_TABLE_NONE, DISK_TABLE_GPT, DISK_TABLE_MBR };

#define DISK_MAX_PARTS 16           /* partitions kept for the report */
#define DISK_MAX_FILES 3
#define DISK_PATH_MAX  128
#define DISK_LINE_MAX  256
#define DISK_MAX_WARN  4

struct disk_part {
	uint32_t number;            /* 1-based, as Linux numbers them */
	uint64_t first_lba, last_lba;
	char type[64];              /* "EFI System", GUID, or "0x83 Linux" */
	char name[GPT_NAME_MAX];    /* GPT name ("" for MBR) */
	int esp, bootable;
};

struct disk_file {
	char path[DISK_PATH_MAX];
	int rc;                     /* 0 found, else -WB_ENOENT, -WB_EFATNOTDIR (a directory), ... */
	uint32_t size;
	int pe_rc;                  /* pe_parse() of its first bytes */
	struct pe_info pe;
	int chain_rc;               /* fat_check_chain() */
};

struct disk_report {
	/* inputs (disk_report_init) */
	char arch[16];
	uint16_t want_machine;
	/* disk */
	uint32_t block_size;
	uint64_t blocks;
	enum disk_table table;
	int mbr_rc;
	struct mbr_info mbr;
	int gpt_rc, gpt_backup_rc;  /* primary / backup header+array: 0 or WB_E* */
	uint64_t gpt_backup_lba;
	int gpt_used_backup;
	int gpt_part_rc;            /* gpt_parse_entries() range/overlap check */
	int pmbr_rc;                /* gpt_check_pmbr() on sector 0 */
	struct gpt_header gpt;
	uint32_t nparts_total, nparts;
	struct disk_part parts[DISK_MAX_PARTS];
	/* ESP */
	int esp;                    /* index into parts[], -1 none */
	int fat_rc;
	int fat_type;
	char fat_label[12];
	uint32_t cluster_size, clusters;
	/* files */
	uint32_t nfiles;
	struct disk_file files[DISK_MAX_FILES];
	int target_file;            /* the file the firmware would boot for arch, -1 none */
	/* result */
	enum disk_verdict verdict;
	char reason[DISK_LINE_MAX];
	uint32_t nwarn;
	char warn[DISK_MAX_WARN][DISK_LINE_MAX];
};

/**
 * Prepare @rep for @arch ("arm64"/"aa64" or "x86_64"/"x64") and an optional
 * @extra_path (NULL/"" none; it then is the file judged, as `sanboot
 * --filename` boots it).  0 or -WB_EINVAL (unknown arch, path too long).
 */
int disk_report_init(struct disk_report *rep, const char *arch, const char *extra_path);

/**
 * Inspect the disk behind @r, filling @rep (prepared by disk_report_init).
 * Returns 0 when the disk is bootable for the architecture, else a negative
 * WB_E* naming the first problem; rep->verdict and rep->reason say it as a
 * line.  -WB_EINVAL when @rep was not prepared.  Allocates (plat_malloc)
 * only temporarily (one block, the GPT entry array, 4 KiB); nothing to free
 * after.  Blocking: as long as @r->read takes.
 */
int disk_inspect(const struct disk_reader *r, struct disk_report *rep);

/** The report as human lines, each passed to @line (no newline). */
void disk_report_print(const struct disk_report *rep, void (*line)(void *arg, const char *text), void *arg);

/**
 * The removable-media boot file of @arch ("arm64"/"aa64" or "x86_64"/"x64"):
 * "\\EFI\\BOOT\\BOOTAA64.EFI" or "\\EFI\\BOOT\\BOOTX64.EFI"; NULL for an unknown arch.
 */
const char *disk_boot_path(const char *arch);

/** Short name of a verdict ("ok", "no-esp", ...), for scripts. */
const char *disk_verdict_name(enum disk_verdict v);

#endif
