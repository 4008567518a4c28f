/*
 * fat.h — read-only FAT12/16/32 (Microsoft "FAT: General Overview of On-Disk
 * Format", version 1.03) over a read callback, for looking into an EFI System
 * Partition: mount, look up a path such as \EFI\BOOT\BOOTAA64.EFI
 * (case-insensitive; long names with checked checksums, or 8.3 names), read a
 * file's bytes, list a directory.  Never writes.
 *
 * The volume is a caller-allocated struct fat_vol; nothing is allocated.
 * Every cluster number read from disk is range-checked, and every chain walk
 * is bounded (a file by its size, a directory by the spec's 65536 entries),
 * so a corrupt or hostile image ends in -WB_EFATCHAIN, never a hang.
 */
#ifndef WB_DISK_FAT_H
#define WB_DISK_FAT_H

#include <stddef.h>
#include <stdint.h>

#define FAT_NAME_MAX 768            /* 255 UTF-16 units as UTF-8 (<= 3 bytes each) + NUL */

#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_HIDDEN    0x02
#define FAT_ATTR_SYSTEM    0x04
#define FAT_ATTR_VOLUME_ID 0x08
#define FAT_ATTR_DIRECTORY 0x10
#define FAT_ATTR_ARCHIVE   0x20
#define FAT_ATTR_LFN       0x0F

/**
 * Read @len bytes at byte offset @off of the volume into @buf: 0 or a
 * negative WB_E* (the error is passed up unchanged).
 */
typedef int (*fat_read_fn)(void *arg, uint64_t off, void *buf, size_t len);

struct fat_vol {
	fat_read_fn read;
	void *arg;
	uint64_t size;                  /* bytes the volume may occupy (partition size) */
	int type;                       /* 12, 16 or 32 */
	uint32_t bytes_per_sector, sectors_per_cluster, cluster_size;
	uint32_t reserved_sectors, num_fats, fat_sectors;
	uint32_t root_entries, root_dir_sectors;
	uint32_t total_sectors, clusters;   /* clusters: count of data clusters (2..clusters+1 valid) */
	uint32_t root_cluster;          /* FAT32 root directory's first cluster; 0 on FAT12/16 */
	uint64_t fat_off, root_off, data_off;   /* byte offsets in the volume */
	uint32_t serial;
	char label[12];                 /* BS_VolLab trimmed ("NO NAME" when unset) */
};

struct fat_dirent {
	char name[FAT_NAME_MAX];        /* long name if it is valid, else the 8.3 name */
	char short_name[13];            /* "NAME.EXT" */
	uint8_t attr;
	uint32_t first_cluster;         /* 0 for an empty file / the FAT12/16 root */
	uint32_t size;                  /* bytes (0 for directories) */
	int has_lfn;
};

/**
 * Check a boot sector (@bs, @len >= 512) and compute the layout into @v
 * (read/arg/size untouched except size is checked: the file system must fit
 * in @v->size bytes).  Pure.  0 or -WB_EFATBPB.  The FAT type follows from
 * the count of clusters alone (< 4085 FAT12, < 65525 FAT16, else FAT32).
 */
int fat_parse_bpb(const uint8_t *bs, size_t len, struct fat_vol *v);

/** Read the boot sector through @read and fat_parse_bpb() it.  0 or negative. */
int fat_mount(struct fat_vol *v, fat_read_fn read, void *arg, uint64_t size);

/**
 * Find @path ('\' or '/' separated, leading separator optional, case-insensitive)
 * from the root directory.  "" or "\" is the root itself.  Returns 0,
 * -WB_ENOENT, -WB_EFATNOTDIR, -WB_EFATPATH, -WB_EFATCHAIN or a read error.
 */
int fat_lookup(struct fat_vol *v, const char *path, struct fat_dirent *out);

/**
 * Read up to @len bytes (at most 1 GiB a call) of file @f from byte @off
 * into @buf.  Returns the number of bytes read (0 at or past the end), or
 * -WB_EFATCHAIN / -WB_EFATNOTDIR (a directory) / a read error.
 */
long fat_read(struct fat_vol *v, const struct fat_dirent *f, uint32_t off, void *buf, size_t len);

/** Walk the whole cluster chain of file @f: 0 when its length matches the size, else -WB_EFATCHAIN. */
int fat_check_chain(struct fat_vol *v, const struct fat_dirent *f);

/**
 * Call @cb for each entry of directory @path (not the volume label, "." or
 * ".."); @cb returns non-zero to stop.  0 or negative.
 */
int fat_list(struct fat_vol *v, const char *path, int (*cb)(void *arg, const struct fat_dirent *e),
	     void *arg);

/** The long-name checksum of an 11-byte 8.3 name (spec section 7). */
uint8_t fat_lfn_checksum(const uint8_t name11[11]);

#endif
