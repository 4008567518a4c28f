/*
 * inspect.c — the disk inspector (see inspect.h).
 *
 * Order, as a firmware's removable-media boot goes (UEFI spec 2.10 sections
 * 5.3.2, 13.3.1.3, 3.5.1.1):
 *   sector 0 → MBR (protective or not);  LBA 1 → primary GPT header + entry
 *   array; the backup header at the alternate LBA is checked and used when
 *   the primary is damaged.  GPT wins; an MBR is used only when it is not
 *   protective.  ESP = GPT type C12A7328-... or MBR type 0xEF → FAT volume →
 *   \EFI\BOOT\BOOT{AA64,X64}.EFI (+ extra) → PE header → verdict.
 */
#include "disk/inspect.h"

#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "disk/fat.h"
#include "platform/platform.h"

#define PE_PEEK 4096    /* bytes of each boot file read for its PE header */

static const char *const boot_paths[2] = {"\\EFI\\BOOT\\BOOTAA64.EFI", "\\EFI\\BOOT\\BOOTX64.EFI"};

/* boot_paths[] index of the file the firmware boots for PE machine @m */
static int boot_path_index(uint16_t m)
{
	return m == PE_MACHINE_ARM64 ? 0 : 1;
}

const char *disk_boot_path(const char *arch)
{
	uint16_t m = arch ? pe_machine_for_arch(arch) : 0;

	return m ? boot_paths[boot_path_index(m)] : NULL;
}

const char *disk_verdict_name(enum disk_verdict v)
{
	switch (v) {
	case DISK_OK: return "ok";
	case DISK_IO_ERROR: return "io-error";
	case DISK_NO_TABLE: return "no-partition-table";
	case DISK_BAD_GPT: return "bad-gpt";
	case DISK_NO_ESP: return "no-esp";
	case DISK_ESP_NOT_FAT: return "esp-not-fat";
	case DISK_FILE_MISSING: return "file-missing";
	case DISK_NOT_PE: return "not-pe";
	case DISK_WRONG_MACHINE: return "wrong-machine";
	case DISK_NOT_EFI_APP: return "not-efi-application";
	}
	return "?";
}

int disk_report_init(struct disk_report *rep, const char *arch, const char *extra_path)
{
	uint16_t m = arch ? pe_machine_for_arch(arch) : 0;

	memset(rep, 0, sizeof(*rep));
	rep->esp = -1;
	rep->target_file = -1;
	if (!m)
		return -WB_EINVAL;
	rep->want_machine = m;
	wb_strlcpy(rep->arch, pe_machine_name(m), sizeof(rep->arch));
	wb_strlcpy(rep->files[0].path, boot_paths[0], DISK_PATH_MAX);
	wb_strlcpy(rep->files[1].path, boot_paths[1], DISK_PATH_MAX);
	rep->nfiles = 2;
	rep->target_file = boot_path_index(m);
	if (extra_path && *extra_path) {
		if (strlen(extra_path) >= DISK_PATH_MAX)
			return -WB_EINVAL;
		wb_strlcpy(rep->files[2].path, extra_path, DISK_PATH_MAX);
		rep->nfiles = 3;
		rep->target_file = 2;
	}
	return 0;
}

static void warn(struct disk_report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct disk_report *rep, const char *fmt, ...)
{
	va_list ap;

	if (rep->nwarn >= DISK_MAX_WARN)
		return;
	va_start(ap, fmt);
	wb_vsnprintf(rep->warn[rep->nwarn++], DISK_LINE_MAX, fmt, ap);
	va_end(ap);
}

static int verdict(struct disk_report *rep, enum disk_verdict v, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int verdict(struct disk_report *rep, enum disk_verdict v, int rc, const char *fmt, ...)
{
	va_list ap;

	rep->verdict = v;
	va_start(ap, fmt);
	wb_vsnprintf(rep->reason, sizeof(rep->reason), fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- block I/O with a one-block cache, and byte reads for the FAT layer ---- */

struct io {
	const struct disk_reader *r;
	uint8_t *blk;               /* one block */
	uint64_t cached;            /* LBA in blk, UINT64_MAX none */
	uint64_t part_lba, part_blocks;   /* the FAT volume's window */
	uint64_t fail_lba;
};

static int io_blocks(struct io *io, uint64_t lba, uint32_t n, void *buf)
{
	int rc;

	if (lba >= io->r->blocks || n > io->r->blocks - lba)
		return -WB_EDISKREAD;
	rc = io->r->read(io->r->arg, lba, n, buf);
	if (rc < 0) {
		io->fail_lba = lba;
		return rc;
	}
	return 0;
}

static int io_block(struct io *io, uint64_t lba)
{
	int rc;

	if (io->cached == lba)
		return 0;
	io->cached = UINT64_MAX;
	rc = io_blocks(io, lba, 1, io->blk);
	if (rc == 0)
		io->cached = lba;
	return rc;
}

/* fat_read_fn over the partition window */
static int io_fat_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct io *io = arg;
	uint32_t bs = io->r->block_size;
	uint8_t *out = buf;
	int rc;

	if (off > io->part_blocks * bs || len > io->part_blocks * bs - off)
		return -WB_EDISKREAD;
	while (len) {
		uint64_t lba = io->part_lba + off / bs;
		uint32_t in = (uint32_t)(off % bs), n;

		if (in == 0 && len >= bs) {
			/* whole blocks straight into the caller's buffer (up to 256 KiB a call) */
			uint64_t nb = len / bs;

			if (nb > (256u * 1024u) / bs)
				nb = (256u * 1024u) / bs;
			rc = io_blocks(io, lba, (uint32_t)nb, out);
			if (rc < 0)
				return rc;
			n = (uint32_t)(nb * bs);
		} else {
			rc = io_block(io, lba);
			if (rc < 0)
				return rc;
			n = bs - in;
			if (n > len)
				n = (uint32_t)len;
			memcpy(out, io->blk + in, n);
		}
		out += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* ---- GPT ---- */

/* header at @lba + its entry array; fills rep->gpt/parts on success */
static int gpt_load(struct io *io, struct disk_report *rep, uint64_t lba)
{
	const struct disk_reader *r = io->r;
	struct gpt_header h;
	struct gpt_part *gp = NULL;
	uint8_t *arr = NULL;
	uint32_t nused = 0, i, n;
	int rc;

	rc = io_block(io, lba);
	if (rc < 0)
		return rc;
	rc = gpt_parse_header(io->blk, r->block_size, lba, r->blocks, &h);
	if (rc < 0)
		return rc;
	arr = plat_malloc((size_t)h.array_blocks * r->block_size + 1);
	gp = plat_malloc(sizeof(*gp) * DISK_MAX_PARTS);
	if (!arr || !gp) {
		rc = -WB_ENOMEM;
		goto out;
	}
	if (h.array_blocks) {
		rc = io_blocks(io, h.entries_lba, h.array_blocks, arr);
		if (rc < 0)
			goto out;
	}
	rc = gpt_parse_entries(&h, arr, (size_t)h.array_blocks * r->block_size, gp, DISK_MAX_PARTS, &nused);
	if (rc < 0 && rc != -WB_EGPTPART)
		goto out;
	rep->gpt_part_rc = rc;
	rc = 0;
	rep->gpt = h;
	rep->nparts_total = nused;
	n = nused < DISK_MAX_PARTS ? nused : DISK_MAX_PARTS;
	rep->nparts = n;
	for (i = 0; i < n; i++) {
		struct disk_part *p = &rep->parts[i];
		const char *tn = gpt_type_name(gp[i].type);

		memset(p, 0, sizeof(*p));
		p->number = gp[i].index + 1;
		p->first_lba = gp[i].first_lba;
		p->last_lba = gp[i].last_lba;
		if (tn)
			wb_strlcpy(p->type, tn, sizeof(p->type));
		else
			gpt_guid_fmt(gp[i].type, p->type);
		wb_strlcpy(p->name, gp[i].name, sizeof(p->name));
		p->esp = !memcmp(gp[i].type, gpt_type_esp, 16);
		p->bootable = (gp[i].attrs >> 2) & 1;    /* legacy BIOS bootable */
	}
out:
	plat_free(arr);
	plat_free(gp);
	return rc;
}

static void mbr_parts(struct disk_report *rep)
{
	uint32_t i;

	rep->nparts = rep->nparts_total = 0;
	for (i = 0; i < 4; i++) {
		const struct mbr_part *m = &rep->mbr.part[i];
		struct disk_part *p;

		if (!m->type)
			continue;
		p = &rep->parts[rep->nparts++];
		memset(p, 0, sizeof(*p));
		p->number = i + 1;
		p->first_lba = m->lba_start;
		p->last_lba = (uint64_t)m->lba_start + m->lba_count - 1;
		wb_snprintf(p->type, sizeof(p->type), "0x%02X %s%s", m->type, mbr_type_name(m->type),
			    mbr_is_extended(m->type) ? " (logical partitions not followed)" : "");
		p->esp = m->type == MBR_TYPE_ESP;
		p->bootable = m->status == 0x80;
	}
	rep->nparts_total = rep->nparts;
}

/*
 * A valid GPT counts only behind a protective MBR (EDK2's partition driver
 * and U-Boot's part_efi both look for the EE record first).  Without one,
 * a valid non-protective MBR is what firmware uses; with neither, nothing.
 */
static int gpt_chosen(struct disk_report *rep)
{
	if (rep->pmbr_rc == 0)
		return 0;
	if (rep->mbr_rc == 0 && !rep->mbr.protective) {
		warn(rep, "a valid GPT is ignored: sector 0 holds a non-protective MBR, which firmware uses instead");
		rep->table = DISK_TABLE_MBR;
		mbr_parts(rep);
		return 0;
	}
	rep->table = DISK_TABLE_NONE;
	rep->nparts = rep->nparts_total = 0;
	return verdict(rep, DISK_BAD_GPT, rep->pmbr_rc, "GPT without a protective MBR: %s",
		       wb_strerror(rep->pmbr_rc));
}

static int find_table(struct io *io, struct disk_report *rep)
{
	const struct disk_reader *r = io->r;
	int rc;

	rc = io_block(io, 0);
	if (rc < 0)
		return verdict(rep, DISK_IO_ERROR, rc, "disk read failed at LBA 0: %s", wb_strerror(rc));
	rep->mbr_rc = mbr_parse(io->blk, r->block_size, r->blocks, &rep->mbr);
	rep->pmbr_rc = gpt_check_pmbr(io->blk, r->block_size);
	rep->gpt_rc = r->blocks > 1 ? gpt_load(io, rep, 1) : -WB_EGPTSIG;
	if (rep->gpt_rc == -WB_EDISKREAD || rep->gpt_rc == -WB_ENOMEM)
		return verdict(rep, DISK_IO_ERROR, rep->gpt_rc, "reading the GPT failed: %s",
			       wb_strerror(rep->gpt_rc));
	rep->gpt_backup_lba = r->blocks - 1;
	if (rep->gpt_rc == 0) {
		struct gpt_header primary = rep->gpt;

		rep->table = DISK_TABLE_GPT;
		/* the backup: where the primary says, checked but not required */
		if (!primary.alternate_ok)
			warn(rep, "GPT: primary header names the backup at LBA %llu, not the last LBA %llu "
			     "(image resized? sgdisk -e moves it)", (unsigned long long)primary.alternate_lba,
			     (unsigned long long)(r->blocks - 1));
		if (primary.alternate_lba < r->blocks && primary.alternate_lba > 1) {
			rep->gpt_backup_lba = primary.alternate_lba;
			rc = io_block(io, primary.alternate_lba);
			if (rc == 0) {
				struct gpt_header b;

				rc = gpt_parse_header(io->blk, r->block_size, primary.alternate_lba, r->blocks, &b);
			}
			rep->gpt_backup_rc = rc;
		} else {
			rep->gpt_backup_rc = -WB_EGPTHDR;
		}
		return gpt_chosen(rep);
	}
	/* primary damaged or absent: a backup at the last LBA still makes this a GPT disk */
	if (r->blocks > 2) {
		uint32_t keep_nparts = rep->nparts;

		rep->gpt_backup_rc = gpt_load(io, rep, r->blocks - 1);
		if (rep->gpt_backup_rc == 0) {
			rep->table = DISK_TABLE_GPT;
			rep->gpt_used_backup = 1;
			warn(rep, "GPT: primary header unusable (%s); using the backup at LBA %llu",
			     wb_strerror(rep->gpt_rc), (unsigned long long)(r->blocks - 1));
			return gpt_chosen(rep);
		}
		rep->nparts = keep_nparts;
	} else {
		rep->gpt_backup_rc = -WB_EGPTSIG;
	}
	if (rep->mbr_rc == 0 && !rep->mbr.protective) {
		rep->table = DISK_TABLE_MBR;
		mbr_parts(rep);
		return 0;
	}
	if (rep->gpt_rc != -WB_EGPTSIG || (rep->mbr_rc == 0 && rep->mbr.protective))
		return verdict(rep, DISK_BAD_GPT, rep->gpt_rc,
			       "GPT damaged: primary: %s; backup: %s", wb_strerror(rep->gpt_rc),
			       wb_strerror(rep->gpt_backup_rc));
	if (rep->mbr_rc == -WB_EMBRBAD)
		return verdict(rep, DISK_NO_TABLE, rep->mbr_rc, "no partition table (no GPT; sector 0: %s)",
			       wb_strerror(rep->mbr_rc));
	return verdict(rep, DISK_NO_TABLE, -WB_EMBRSIG,
		       "no partition table (no GPT header at LBA 1 and no MBR signature in sector 0)");
}

/* ---- files on the ESP ---- */

static void check_file(struct fat_vol *v, struct disk_file *f, uint8_t *peek)
{
	struct fat_dirent *d = plat_malloc(sizeof(*d));
	long n;

	f->pe_rc = -WB_EPEMZ;
	if (!d) {
		f->rc = -WB_ENOMEM;
		return;
	}
	f->rc = fat_lookup(v, f->path, d);
	if (f->rc == 0 && (d->attr & FAT_ATTR_DIRECTORY))
		f->rc = -WB_EFATNOTDIR;
	if (f->rc == 0) {
		f->size = d->size;
		f->chain_rc = fat_check_chain(v, d);
		n = fat_read(v, d, 0, peek, PE_PEEK);
		if (n < 0)
			f->rc = (int)n;
		else
			f->pe_rc = pe_parse(peek, (size_t)n, &f->pe);
	}
	plat_free(d);
}

int disk_inspect(const struct disk_reader *r, struct disk_report *rep)
{
	struct io io = {0};
	struct fat_vol *vol = NULL;
	uint8_t *peek = NULL;
	const struct disk_part *esp;
	const struct disk_file *t;
	uint32_t i;
	int rc;

	if (!rep->want_machine || rep->target_file < 0 || rep->target_file >= (int)rep->nfiles)
		return -WB_EINVAL;          /* not prepared by disk_report_init() */
	rep->block_size = r->block_size;
	rep->blocks = r->blocks;
	rep->verdict = DISK_OK;
	rep->reason[0] = '\0';
	if (r->block_size < 512 || r->block_size > 4096 || (r->block_size & (r->block_size - 1)) || !r->blocks)
		return verdict(rep, DISK_IO_ERROR, -WB_EDISKGEOM, "%s", wb_strerror(-WB_EDISKGEOM));
	io.r = r;
	io.cached = UINT64_MAX;
	io.blk = plat_malloc(r->block_size);
	vol = plat_malloc(sizeof(*vol));
	peek = plat_malloc(PE_PEEK);
	if (!io.blk || !vol || !peek) {
		rc = verdict(rep, DISK_IO_ERROR, -WB_ENOMEM, "%s", wb_strerror(-WB_ENOMEM));
		goto out;
	}
	rc = find_table(&io, rep);
	if (rc < 0)
		goto out;
	for (i = 0; i < rep->nparts; i++) {
		const struct disk_part *p = &rep->parts[i];

		if (!p->esp)
			continue;
		/* GPT ranges were checked (gpt_part_rc) but the entries are kept for the report */
		if (p->first_lba == 0 || p->first_lba > p->last_lba || p->last_lba >= r->blocks) {
			warn(rep, "partition %u (ESP type) lies outside the disk: ignored", (unsigned)p->number);
			continue;
		}
		rep->esp = (int)i;
		break;
	}
	if (rep->esp < 0) {
		rc = verdict(rep, DISK_NO_ESP, -WB_ENOENT,
			     "no EFI System Partition (GPT type C12A7328-F81F-11D2-BA4B-00A0C93EC93B or MBR type 0xEF)");
		goto out;
	}
	esp = &rep->parts[rep->esp];
	io.part_lba = esp->first_lba;
	io.part_blocks = esp->last_lba - esp->first_lba + 1;
	rep->fat_rc = fat_mount(vol, io_fat_read, &io, io.part_blocks * r->block_size);
	if (rep->fat_rc < 0) {
		if (rep->fat_rc == -WB_EFATBPB)
			rc = verdict(rep, DISK_ESP_NOT_FAT, rep->fat_rc, "ESP (partition %u) is not FAT: %s",
				     (unsigned)esp->number, wb_strerror(rep->fat_rc));
		else
			rc = verdict(rep, DISK_IO_ERROR, rep->fat_rc, "reading the ESP failed: %s",
				     wb_strerror(rep->fat_rc));
		goto out;
	}
	rep->fat_type = vol->type;
	wb_strlcpy(rep->fat_label, vol->label, sizeof(rep->fat_label));
	rep->cluster_size = vol->cluster_size;
	rep->clusters = vol->clusters;
	for (i = 0; i < rep->nfiles; i++)
		check_file(vol, &rep->files[i], peek);
	t = &rep->files[rep->target_file];
	if (t->rc == -WB_ENOENT || t->rc == -WB_EFATNOTDIR) {
		rc = verdict(rep, DISK_FILE_MISSING, -WB_ENOENT, "%s is missing on the ESP%s", t->path,
			     t->rc == -WB_EFATNOTDIR ? " (a directory is in the way)" : "");
	} else if (t->rc < 0) {
		rc = verdict(rep, t->rc == -WB_EDISKREAD ? DISK_IO_ERROR : DISK_ESP_NOT_FAT, t->rc,
			     "reading %s failed: %s", t->path, wb_strerror(t->rc));
	} else if (t->pe_rc < 0) {
		rc = verdict(rep, DISK_NOT_PE, t->pe_rc, "%s is not a PE image (%s)", t->path, wb_strerror(t->pe_rc));
	} else if (t->pe.machine != rep->want_machine) {
		rc = verdict(rep, DISK_WRONG_MACHINE, -WB_EBADIMAGE, "%s is a PE image for %s (machine 0x%04x), not %s",
			     t->path, pe_machine_name(t->pe.machine), t->pe.machine, rep->arch);
	} else if (t->pe.magic != PE_MAGIC_PE32PLUS) {
		rc = verdict(rep, DISK_NOT_PE, -WB_EBADIMAGE, "%s is PE32, not PE32+ (64-bit EFI images are PE32+)",
			     t->path);
	} else if (t->pe.subsystem != PE_SUBSYS_EFI_APP) {
		rc = verdict(rep, DISK_NOT_EFI_APP, -WB_EBADIMAGE, "%s is not an EFI application (subsystem %u: %s)",
			     t->path, t->pe.subsystem, pe_subsystem_name(t->pe.subsystem));
	} else {
		rc = verdict(rep, DISK_OK, 0, "OK: %s is an %s EFI application (%u bytes)", t->path, rep->arch,
			     (unsigned)t->size);
	}
	if (rc == 0 && t->chain_rc < 0)
		warn(rep, "%s: its cluster chain does not match its size (%s)", t->path, wb_strerror(t->chain_rc));
out:
	if (rep->verdict == DISK_IO_ERROR && io.fail_lba)
		warn(rep, "the failing read was at LBA %llu", (unsigned long long)io.fail_lba);
	plat_free(io.blk);
	plat_free(vol);
	plat_free(peek);
	return rc;
}

/* ---- printer ---- */

static void out(void (*line)(void *, const char *), void *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void out(void (*line)(void *, const char *), void *arg, const char *fmt, ...)
{
	char buf[DISK_LINE_MAX + GPT_NAME_MAX];
	va_list ap;

	va_start(ap, fmt);
	wb_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	line(arg, buf);
}

/* "64 MiB" / "200 KiB" into @buf[24] */
static const char *size_str(uint64_t blocks, uint32_t bs, char *buf)
{
	uint64_t bytes = blocks * bs;

	if (bytes >= (1u << 20))
		wb_snprintf(buf, 24, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		wb_snprintf(buf, 24, "%llu KiB", (unsigned long long)(bytes >> 10));
	return buf;
}

void disk_report_print(const struct disk_report *rep, void (*line)(void *arg, const char *text), void *arg)
{
	char g[37], sz[24];
	uint32_t i;

	out(line, arg, "disk: %llu blocks of %u bytes (%s)", (unsigned long long)rep->blocks,
	    (unsigned)rep->block_size, size_str(rep->blocks, rep->block_size, sz));
	if (rep->block_size == 0)
		goto verdict;
	if (rep->mbr_rc == 0)
		out(line, arg, "MBR: %s", rep->mbr.hybrid ? "hybrid (GPT protective entry plus others)" :
		    rep->mbr.protective ? "protective (GPT disk)" : "partition table");
	else if (rep->mbr_rc < 0)
		out(line, arg, "MBR: none (%s)", wb_strerror(rep->mbr_rc));
	if (rep->table == DISK_TABLE_GPT) {
		out(line, arg, "GPT: %s header at LBA %llu, disk GUID %s, %u entries of %u bytes at LBA %llu, usable LBA %llu-%llu",
		    rep->gpt_used_backup ? "backup" : "primary", (unsigned long long)rep->gpt.my_lba,
		    gpt_guid_fmt(rep->gpt.disk_guid, g), (unsigned)rep->gpt.num_entries,
		    (unsigned)rep->gpt.entry_size, (unsigned long long)rep->gpt.entries_lba,
		    (unsigned long long)rep->gpt.first_usable, (unsigned long long)rep->gpt.last_usable);
		if (rep->gpt_used_backup)
			out(line, arg, "GPT: primary header at LBA 1: %s", wb_strerror(rep->gpt_rc));
		else
			out(line, arg, "GPT: backup header at LBA %llu: %s", (unsigned long long)rep->gpt_backup_lba,
			    rep->gpt_backup_rc ? wb_strerror(rep->gpt_backup_rc) : "ok");
		if (rep->gpt_part_rc < 0)
			out(line, arg, "GPT: warning: %s", wb_strerror(rep->gpt_part_rc));
	} else if (rep->table == DISK_TABLE_NONE && rep->gpt_rc && rep->gpt_rc != -WB_EGPTSIG) {
		out(line, arg, "GPT: primary: %s; backup: %s", wb_strerror(rep->gpt_rc),
		    wb_strerror(rep->gpt_backup_rc));
	}
	for (i = 0; i < rep->nparts; i++) {
		const struct disk_part *p = &rep->parts[i];

		out(line, arg, "partition %u: LBA %llu-%llu (%s) %s%s%s%s%s%s", (unsigned)p->number,
		    (unsigned long long)p->first_lba, (unsigned long long)p->last_lba,
		    size_str(p->last_lba - p->first_lba + 1, rep->block_size, sz), p->type,
		    p->name[0] ? " \"" : "", p->name, p->name[0] ? "\"" : "", p->bootable ? " bootable" : "",
		    p->esp ? " [ESP]" : "");
	}
	if (rep->nparts_total > rep->nparts)
		out(line, arg, "(%u more partitions not shown)", (unsigned)(rep->nparts_total - rep->nparts));
	if (rep->esp >= 0 && rep->fat_rc == 0 && rep->fat_type) {
		out(line, arg, "ESP: partition %u, FAT%d, label \"%s\", %u-byte clusters, %u clusters",
		    (unsigned)rep->parts[rep->esp].number, rep->fat_type, rep->fat_label,
		    (unsigned)rep->cluster_size, (unsigned)rep->clusters);
		for (i = 0; i < rep->nfiles; i++) {
			const struct disk_file *f = &rep->files[i];

			if (f->rc == -WB_ENOENT)
				out(line, arg, "%s: missing", f->path);
			else if (f->rc < 0)
				out(line, arg, "%s: %s", f->path, wb_strerror(f->rc));
			else if (f->pe_rc < 0)
				out(line, arg, "%s: %u bytes, not a PE image (%s)", f->path, (unsigned)f->size,
				    wb_strerror(f->pe_rc));
			else
				out(line, arg, "%s: %u bytes, %s %s (0x%04x), %s (subsystem %u), image size %u",
				    f->path, (unsigned)f->size, f->pe.magic == PE_MAGIC_PE32PLUS ? "PE32+" : "PE32",
				    pe_machine_name(f->pe.machine), f->pe.machine,
				    pe_subsystem_name(f->pe.subsystem), f->pe.subsystem, (unsigned)f->pe.size_of_image);
		}
	}
verdict:
	for (i = 0; i < rep->nwarn; i++)
		out(line, arg, "warning: %s", rep->warn[i]);
	out(line, arg, "verdict (%s): %s", rep->arch, rep->reason);
}
