/*
 * fat.c — read-only FAT12/16/32.  Section numbers refer to Microsoft's "FAT:
 * General Overview of On-Disk Format" 1.03.
 *
 *   boot sector (section 3) → layout: [reserved][FAT x num_fats][root dir
 *   (FAT12/16 only)][data: cluster 2, 3, ...]
 *   FAT entry of cluster N (section 4): FAT12 at N + N/2 (12 bits, odd N in
 *   the high bits), FAT16 at 2N, FAT32 at 4N (low 28 bits).  Values >= the
 *   end-of-chain mark end the chain; 0 (free), 1, the bad-cluster mark and
 *   anything past the last cluster are corruption.
 *   directory entries (section 6): 32 bytes; name[0] 0 ends the directory,
 *   0xE5 is a deleted entry; attribute 0x0F marks a long-name entry
 *   (section 7), stored last-part-first before its short entry, each
 *   carrying the checksum of the short name.
 */
#include "disk/fat.h"

#include <string.h>

#include "core/err.h"
#include "core/le.h"
#include "disk/utf16.h"

#define DIR_MAX_BYTES (65536u * 32u)    /* a directory holds at most 65536 entries (section 6) */

uint8_t fat_lfn_checksum(const uint8_t name11[11])
{
	uint8_t sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) ? 0x80 : 0) + (sum >> 1) + name11[i]);
	return sum;
}

static int pow2(uint32_t x) { return x && !(x & (x - 1)); }

static void trim_copy(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i] < 0x20 || src[i] >= 0x7F) ? '?' : (char)src[i];
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

int fat_parse_bpb(const uint8_t *bs, size_t len, struct fat_vol *v)
{
	uint32_t bps, spc, rsvd, nfats, root_ent, tot16, tot32, fsz16, fsz32, tot, fsz;
	uint64_t meta, need;
	const uint8_t *ext;
	uint16_t extflags = 0;

	if (len < 512)
		return -WB_EFATBPB;
	/* jump instruction (section 3.1) and signature at 510 */
	if (!((bs[0] == 0xEB && bs[2] == 0x90) || bs[0] == 0xE9) || bs[510] != 0x55 || bs[511] != 0xAA)
		return -WB_EFATBPB;
	bps = le16(bs + 11);
	spc = bs[13];
	rsvd = le16(bs + 14);
	nfats = bs[16];
	root_ent = le16(bs + 17);
	tot16 = le16(bs + 19);
	fsz16 = le16(bs + 22);
	tot32 = le32(bs + 32);
	fsz32 = le32(bs + 36);
	if (bps < 512 || bps > 4096 || !pow2(bps) || !pow2(spc) || rsvd == 0 || nfats == 0 ||
	    (bs[21] != 0xF0 && bs[21] < 0xF8))
		return -WB_EFATBPB;
	tot = tot16 ? tot16 : tot32;
	fsz = fsz16 ? fsz16 : fsz32;
	if (tot == 0 || fsz == 0)
		return -WB_EFATBPB;
	v->bytes_per_sector = bps;
	v->sectors_per_cluster = spc;
	v->cluster_size = bps * spc;
	v->reserved_sectors = rsvd;
	v->num_fats = nfats;
	v->fat_sectors = fsz;
	v->root_entries = root_ent;
	v->root_dir_sectors = (root_ent * 32 + bps - 1) / bps;
	v->total_sectors = tot;
	meta = (uint64_t)rsvd + (uint64_t)nfats * fsz + v->root_dir_sectors;
	if (meta >= tot)
		return -WB_EFATBPB;
	v->clusters = (uint32_t)((tot - meta) / spc);
	/* section 3.5: the count of clusters alone decides the type */
	v->type = v->clusters < 4085 ? 12 : v->clusters < 65525 ? 16 : 32;
	if (v->type == 32) {
		if (root_ent != 0 || fsz16 != 0 || tot16 != 0 || le16(bs + 42) != 0 ||
		    v->clusters > 0x0FFFFFF5)
			return -WB_EFATBPB;
		extflags = le16(bs + 40);
		v->root_cluster = le32(bs + 44);
		if (v->root_cluster < 2 || v->root_cluster > v->clusters + 1)
			return -WB_EFATBPB;
		ext = bs + 64;
	} else {
		if (root_ent == 0 || fsz16 == 0)
			return -WB_EFATBPB;
		v->root_cluster = 0;
		ext = bs + 36;
	}
	/* the FAT must have an entry for every cluster (+ the two reserved ones) */
	need = v->type == 12 ? ((uint64_t)(v->clusters + 2) * 3 + 1) / 2 :
	       (uint64_t)(v->clusters + 2) * (v->type == 16 ? 2 : 4);
	if (need > (uint64_t)fsz * bps)
		return -WB_EFATBPB;
	if ((uint64_t)tot * bps > v->size)
		return -WB_EFATBPB;
	/* FAT32 with mirroring off (bit 7) uses only the active FAT (bits 0-3) */
	if ((extflags & 0x80) && (extflags & 0x0F) >= nfats)
		return -WB_EFATBPB;
	v->fat_off = ((uint64_t)rsvd + ((extflags & 0x80) ? (uint64_t)(extflags & 0x0F) * fsz : 0)) * bps;
	v->root_off = ((uint64_t)rsvd + (uint64_t)nfats * fsz) * bps;
	v->data_off = v->root_off + (uint64_t)v->root_dir_sectors * bps;
	if (ext[2] == 0x29) {
		v->serial = le32(ext + 3);
		trim_copy(v->label, ext + 7, 11);
	} else {
		v->serial = 0;
		strcpy(v->label, "NO NAME");
	}
	return 0;
}

int fat_mount(struct fat_vol *v, fat_read_fn read, void *arg, uint64_t size)
{
	uint8_t bs[512];
	int rc;

	memset(v, 0, sizeof(*v));
	v->read = read;
	v->arg = arg;
	v->size = size;
	if (size < 512)
		return -WB_EFATBPB;
	rc = read(arg, 0, bs, sizeof(bs));
	if (rc < 0)
		return rc;
	return fat_parse_bpb(bs, sizeof(bs), v);
}

/* next cluster after @c: 0 and *next (0 = end of chain), or -WB_EFATCHAIN */
static int fat_next(struct fat_vol *v, uint32_t c, uint32_t *next)
{
	uint8_t b[4];
	uint32_t val, eoc;
	uint64_t off;
	int rc;

	if (c < 2 || c > v->clusters + 1)
		return -WB_EFATCHAIN;
	if (v->type == 12)
		off = c + c / 2;
	else
		off = (uint64_t)c * (v->type == 16 ? 2 : 4);
	rc = v->read(v->arg, v->fat_off + off, b, v->type == 32 ? 4 : 2);
	if (rc < 0)
		return rc;
	if (v->type == 12) {
		val = le16(b);
		val = (c & 1) ? val >> 4 : val & 0xFFF;
		eoc = 0xFF8;
	} else if (v->type == 16) {
		val = le16(b);
		eoc = 0xFFF8;
	} else {
		val = le32(b) & 0x0FFFFFFF;
		eoc = 0x0FFFFFF8;
	}
	if (val >= eoc) {
		*next = 0;
		return 0;
	}
	if (val < 2 || val > v->clusters + 1)
		return -WB_EFATCHAIN;        /* free, reserved, bad (eoc - 1) or past the end */
	*next = val;
	return 0;
}

static uint64_t cluster_off(const struct fat_vol *v, uint32_t c)
{
	return v->data_off + (uint64_t)(c - 2) * v->cluster_size;
}

/* ---- directory walk ---- */

struct dir_it {
	struct fat_vol *v;
	int fixed;                  /* FAT12/16 root: a fixed region */
	uint64_t pos;               /* fixed: byte offset of the next entry */
	uint32_t left;              /* fixed: entries left */
	uint32_t cluster, idx;      /* chained: current cluster, entry index in it */
	uint32_t visited, max_clusters;
	/* long-name assembly */
	uint16_t lfn[260];
	int lfn_seq;                /* next expected ordinal, 0 = none in progress */
	int lfn_n;                  /* number of parts */
	uint8_t lfn_sum;
};

static void dir_open(struct dir_it *it, struct fat_vol *v, uint32_t first_cluster)
{
	memset(it, 0, sizeof(*it));
	it->v = v;
	if (first_cluster == 0 && v->type != 32) {
		it->fixed = 1;
		it->pos = v->root_off;
		it->left = v->root_entries;
	} else {
		it->cluster = first_cluster ? first_cluster : v->root_cluster;
		it->max_clusters = DIR_MAX_BYTES / v->cluster_size;
		if (it->max_clusters == 0)
			it->max_clusters = 1;
	}
}

/* next raw 32-byte entry: 1, 0 at the end of the directory's space, or negative */
static int dir_raw(struct dir_it *it, uint8_t e[32])
{
	struct fat_vol *v = it->v;
	int rc;

	if (it->fixed) {
		if (it->left == 0)
			return 0;
		rc = v->read(v->arg, it->pos, e, 32);
		it->pos += 32;
		it->left--;
		return rc < 0 ? rc : 1;
	}
	if (it->cluster == 0)
		return 0;
	if (it->idx == v->cluster_size / 32) {
		uint32_t next;

		rc = fat_next(v, it->cluster, &next);
		if (rc < 0)
			return rc;
		if (next == 0) {
			it->cluster = 0;
			return 0;
		}
		if (++it->visited >= it->max_clusters)
			return -WB_EFATCHAIN;    /* longer than any directory may be: a loop */
		it->cluster = next;
		it->idx = 0;
	}
	if (it->cluster < 2 || it->cluster > v->clusters + 1)
		return -WB_EFATCHAIN;
	rc = v->read(v->arg, cluster_off(v, it->cluster) + (uint64_t)it->idx * 32, e, 32);
	it->idx++;
	return rc < 0 ? rc : 1;
}

static void short_name(const uint8_t *e, char out[13])
{
	char base[9], ext[4];
	uint8_t n[11];
	size_t i;

	memcpy(n, e, 11);
	if (n[0] == 0x05)
		n[0] = 0xE5;        /* a real 0xE5 first byte is stored as 0x05 */
	trim_copy(base, n, 8);
	trim_copy(ext, n + 8, 3);
	/* Windows NT lower-case flags (byte 12: 0x08 base, 0x10 extension) */
	for (i = 0; base[i]; i++)
		if ((e[12] & 0x08) && base[i] >= 'A' && base[i] <= 'Z')
			base[i] = (char)(base[i] + 32);
	for (i = 0; ext[i]; i++)
		if ((e[12] & 0x10) && ext[i] >= 'A' && ext[i] <= 'Z')
			ext[i] = (char)(ext[i] + 32);
	strcpy(out, base);
	if (ext[0]) {
		i = strlen(out);
		out[i] = '.';
		strcpy(out + i + 1, ext);
	}
}

/* next entry (not deleted, not a volume label): 1, 0 at end, or negative */
static int dir_next(struct dir_it *it, struct fat_dirent *d)
{
	uint8_t e[32];
	int rc;

	for (;;) {
		rc = dir_raw(it, e);
		if (rc <= 0)
			return rc;
		if (e[0] == 0x00)
			return 0;
		if (e[0] == 0xE5) {
			it->lfn_seq = 0;
			continue;
		}
		if ((e[11] & 0x3F) == FAT_ATTR_LFN) {
			int ord = e[0] & 0x1F, k;
			static const uint8_t at[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

			if (e[0] & 0x40) {
				if (ord == 0 || ord > 20) {
					it->lfn_seq = 0;
					continue;
				}
				it->lfn_n = ord;
				it->lfn_sum = e[13];
				memset(it->lfn, 0, sizeof(it->lfn));
			} else if (it->lfn_seq == 0 || ord != it->lfn_seq || e[13] != it->lfn_sum) {
				it->lfn_seq = 0;  /* out of sequence: forget the long name */
				continue;
			}
			for (k = 0; k < 13; k++) {
				uint16_t c = le16(e + at[k]);

				it->lfn[(ord - 1) * 13 + k] = c == 0xFFFF ? 0 : c;
			}
			it->lfn_seq = ord - 1;
			if (it->lfn_seq == 0)
				it->lfn_seq = -1;   /* complete: the short entry comes next */
			continue;
		}
		if (e[11] & FAT_ATTR_VOLUME_ID) {
			it->lfn_seq = 0;
			continue;
		}
		memset(d, 0, sizeof(*d));
		short_name(e, d->short_name);
		d->attr = e[11];
		d->first_cluster = (uint32_t)le16(e + 26) | (it->v->type == 32 ? (uint32_t)le16(e + 20) << 16 : 0);
		d->size = (d->attr & FAT_ATTR_DIRECTORY) ? 0 : le32(e + 28);
		if (it->lfn_seq == -1 && it->lfn_sum == fat_lfn_checksum(e) &&
		    utf16_to_utf8(it->lfn, (size_t)it->lfn_n * 13, d->name, sizeof(d->name)) > 0)
			d->has_lfn = 1;
		else
			strcpy(d->name, d->short_name);
		it->lfn_seq = 0;
		return 1;
	}
}

static int ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++) {
		char x = a[i], y = b[i];

		if (!y)
			return 0;
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 32);
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 32);
		if (x != y)
			return 0;
	}
	return b[alen] == '\0';
}

static void root_dirent(const struct fat_vol *v, struct fat_dirent *d)
{
	memset(d, 0, sizeof(*d));
	strcpy(d->name, "\\");
	strcpy(d->short_name, "\\");
	d->attr = FAT_ATTR_DIRECTORY;
	d->first_cluster = v->type == 32 ? v->root_cluster : 0;
}

int fat_lookup(struct fat_vol *v, const char *path, struct fat_dirent *out)
{
	struct dir_it it;
	const char *p = path;
	int rc;

	root_dirent(v, out);
	for (;;) {
		size_t n;
		int found = 0;
		uint32_t dir;

		while (*p == '\\' || *p == '/')
			p++;
		if (!*p)
			return 0;
		for (n = 0; p[n] && p[n] != '\\' && p[n] != '/'; n++)
			;
		if (n >= FAT_NAME_MAX)
			return -WB_EFATPATH;
		if (!(out->attr & FAT_ATTR_DIRECTORY))
			return -WB_EFATNOTDIR;
		dir = out->first_cluster;
		dir_open(&it, v, dir);
		while ((rc = dir_next(&it, out)) > 0) {
			if (ieq(p, n, out->name) || ieq(p, n, out->short_name)) {
				found = 1;
				break;
			}
		}
		if (rc < 0)
			return rc;
		if (!found)
			return -WB_ENOENT;
		/* ".." pointing at the root has cluster 0 */
		if ((out->attr & FAT_ATTR_DIRECTORY) && out->first_cluster == 0 && v->type == 32)
			out->first_cluster = v->root_cluster;
		p += n;
	}
}

long fat_read(struct fat_vol *v, const struct fat_dirent *f, uint32_t off, void *buf, size_t len)
{
	uint32_t c = f->first_cluster, skip, in, done = 0;
	int rc;

	if (f->attr & FAT_ATTR_DIRECTORY)
		return -WB_EFATNOTDIR;
	if (off >= f->size || len == 0)
		return 0;
	if (len > f->size - off)
		len = f->size - off;
	if (len > 0x40000000)
		len = 0x40000000;       /* the count must fit a long (32 bits on the EFI targets) */
	/* the chain has ceil(size / cluster_size) clusters: walking to @off is bounded by that */
	for (skip = off / v->cluster_size; skip; skip--) {
		rc = fat_next(v, c, &c);
		if (rc < 0)
			return rc;
		if (c == 0)
			return -WB_EFATCHAIN;    /* chain shorter than the size says */
	}
	in = off % v->cluster_size;
	while (done < len) {
		uint32_t n = v->cluster_size - in;

		if (c < 2 || c > v->clusters + 1)
			return -WB_EFATCHAIN;
		if (n > len - done)
			n = (uint32_t)(len - done);
		rc = v->read(v->arg, cluster_off(v, c) + in, (uint8_t *)buf + done, n);
		if (rc < 0)
			return rc;
		done += n;
		in = 0;
		if (done < len) {
			rc = fat_next(v, c, &c);
			if (rc < 0)
				return rc;
			if (c == 0)
				return -WB_EFATCHAIN;
		}
	}
	return (long)done;
}

int fat_check_chain(struct fat_vol *v, const struct fat_dirent *f)
{
	uint64_t want = ((uint64_t)f->size + v->cluster_size - 1) / v->cluster_size, n = 0;
	uint32_t c = f->first_cluster, mark = 0, power = 1, lam = 0;
	int rc;

	if (want == 0)
		return c == 0 ? 0 : -WB_EFATCHAIN;
	/*
	 * Walk to the end; more clusters than the size needs, or than the volume
	 * has, is corruption.  Brent's cycle detection (compare with a mark
	 * moved at powers of two) finds a loop within about twice its length,
	 * so a 4 GiB file whose chain loops early costs little.
	 */
	while (c) {
		if (++n > want || n > v->clusters)
			return -WB_EFATCHAIN;
		if (c == mark)
			return -WB_EFATCHAIN;
		if (++lam == power) {
			mark = c;
			power *= 2;
			lam = 0;
		}
		rc = fat_next(v, c, &c);
		if (rc < 0)
			return rc;
	}
	return n == want ? 0 : -WB_EFATCHAIN;
}

int fat_list(struct fat_vol *v, const char *path, int (*cb)(void *arg, const struct fat_dirent *e),
	     void *arg)
{
	struct fat_dirent *d;
	struct dir_it it;
	int rc;
	struct fat_dirent dir;

	rc = fat_lookup(v, path, &dir);
	if (rc < 0)
		return rc;
	if (!(dir.attr & FAT_ATTR_DIRECTORY))
		return -WB_EFATNOTDIR;
	dir_open(&it, v, dir.first_cluster);
	d = &dir;       /* reuse: the directory's own entry is no longer needed */
	while ((rc = dir_next(&it, d)) > 0) {
		if (!strcmp(d->short_name, ".") || !strcmp(d->short_name, ".."))
			continue;
		if (cb(arg, d))
			return 0;
	}
	return rc;
}
