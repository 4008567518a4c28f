/*
 * efi_blockio.c — SAN disks published to the firmware (platform.h
 * plat_san_*): EFI_BLOCK_IO_PROTOCOL (UEFI 2.10 §13.9) plus a device path
 * on a new handle, so the firmware's own partition and FAT drivers bind to
 * a disk whose blocks come over iSCSI.
 *
 * How this works:
 *   publish   device path = the NIC's SNP path (a MAC node when it has
 *             none) [+ VLAN node] + IPv4 node (§10.3.4.12, 27 bytes) +
 *             iSCSI node (§10.3.4.21: protocol, login options, LUN, TPGT,
 *             target name) + End; an HTTP(S) disk (desc->kind
 *             PLAT_SAN_HTTP) has a URI node (§10.3.4.27: the image's URL,
 *             without user info or query) instead of the iSCSI node, as
 *             EDK2's HTTP boot paths do.  InstallProtocolInterface (device path,
 *             then Block IO on the same handle), a periodic timer for the
 *             keep-alive, then ConnectController(handle, NULL, NULL, TRUE):
 *             the firmware reads the partition table and file systems
 *             through our ReadBlocks and puts SimpleFileSystem on children.
 *   boot      among the SimpleFileSystem handles, those whose device path
 *             starts with ours (EDK2), else the ones that appeared since we
 *             published (U-Boot names its partition children with its own
 *             paths); open the file there, LoadImage(FALSE, parent, that
 *             handle's path + FilePath node) so the image's LoadedImage
 *             names its device (GRUB finds its volume through it), or, if
 *             the firmware refuses, read the file and LoadImage from memory
 *             with the same path.  StartImage.
 *   I/O       ReadBlocks/WriteBlocks check their arguments as the spec
 *             says (media id, whole blocks, range without overflow, buffer
 *             alignment) and call ops->read/write; errors become
 *             EFI_DEVICE_ERROR.  They wait for the target (reconnects
 *             included, bounded by san-command-timeout); once a request has
 *             had no answer for 1 s, Ctrl-C on the console ends it
 *             (-WB_ECANCELED → EFI_DEVICE_ERROR; the SAN layer asks the
 *             stall_cancel function the core gives it, san/san.h).
 *   timer     every 50 ms at TPL_CALLBACK: ops->poll (network + session:
 *             TCP ACKs, lwIP timers, NOP-In answers, and a lost session's
 *             reconnect, one non-blocking step per tick: the timer never
 *             waits) so the session stays
 *             alive while GRUB sits in its menu.  It runs only while
 *             another program runs (efi_plat.wb_busy == 0): never inside
 *             our own code, so it cannot re-enter lwIP or the session.
 *   EBS       efi_san_ebs(): ops->shutdown (iSCSI Logout, bounded wait)
 *             for each disk, before efi_main's handler quiesces the NICs.
 *   describe  an iSCSI Boot Firmware Table (san/ibft.h) for the OS, with
 *             EFI_ACPI_TABLE_PROTOCOL where the firmware has it (EDK2; not
 *             U-Boot: then the OS must find the target on its own).
 *   unpublish withdraw the iBFT; stop the timer; EDK2: DisconnectController and uninstall,
 *             then free.  U-Boot leaves its partition/FS children bound
 *             whatever we do (DisconnectController "succeeds"), so there
 *             the Block IO stays installed reporting no media and its
 *             memory is never freed.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/le.h"
#include "platform/efi/efi_plat.h"
#include "platform/platform.h"
#include "san/ibft.h"

#define BIO_TICK_100NS (50u * 10000u)     /* 50 ms */
#define BIO_CHUNK_BLOCKS 65536u           /* per ops->read/write call */
#define BIO_PATH_MAX 260

static EFI_GUID bio_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
static EFI_GUID bio_dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static EFI_GUID bio_sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID bio_acpi_guid = EFI_ACPI_TABLE_PROTOCOL_GUID;
static EFI_GUID bio_pci_guid = EFI_PCI_IO_PROTOCOL_GUID;

struct plat_san {
	EFI_BLOCK_IO_PROTOCOL bio;      /* first: This → struct plat_san */
	EFI_BLOCK_IO_MEDIA media;
	EFI_HANDLE handle;
	uint8_t *dp;                    /* our device path, End node included */
	size_t dp_len;
	const struct plat_disk_ops *ops;
	void *arg;
	unsigned drive;
	int live;                       /* ops may be called */
	int installed;                  /* 0: nothing on the handle */
	EFI_EVENT timer;
	EFI_HANDLE *sfs_before;         /* SimpleFileSystem handles before we published */
	UINTN nsfs_before;
	uint32_t errors;                /* failed I/O calls (first few are reported) */
	uint64_t reads;                 /* ReadBlocks calls served (diagnostics) */
	EFI_STATUS connect_status;      /* what ConnectController said */
	int acpi_installed;             /* our iBFT is in the ACPI tables, under acpi_key */
	UINTN acpi_key;
	struct plat_san *next;
};

static struct plat_san *bio_disks;   /* published, for ExitBootServices */
static UINT32 bio_media_ids = 0x5742;

/* ---- device paths ----------------------------------------------------- */

static size_t bio_node_len(const uint8_t *n)
{
	return (size_t)n[2] | ((size_t)n[3] << 8);
}

/* Length of a device path up to (not including) its End node; 0 if malformed. */
static size_t bio_dp_prefix(const uint8_t *dp)
{
	size_t off = 0;
	int guard = 0;

	if (!dp)
		return 0;
	while (dp[off] != EFI_DP_TYPE_END && guard++ < 128) {
		size_t l = bio_node_len(dp + off);

		if (l < 4)
			return 0;
		off += l;
	}
	return dp[off] == EFI_DP_TYPE_END ? off : 0;
}

static uint8_t *bio_node(uint8_t *p, uint8_t type, uint8_t sub, size_t len)
{
	memset(p, 0, len);
	p[0] = type;
	p[1] = sub;
	p[2] = (uint8_t)len;
	p[3] = (uint8_t)(len >> 8);
	return p + 4;
}

/* The disk's path (see the top of the file).  plat_malloc'd into d->dp. */
static int bio_build_dp(struct plat_san *d, const struct plat_san_desc *desc)
{
	const uint8_t *nic = (const uint8_t *)efi_snp_link_dp(desc->link);
	size_t nic_len = bio_dp_prefix(nic);
	int http = desc->kind == PLAT_SAN_HTTP;
	const char *name = http ? desc->uri : desc->target_name;
	size_t name_len = name ? strlen(name) : 0;
	size_t total, mac_len = 4 + 32 + 1, last_len;
	uint8_t *p, *v;
	uint16_t opts = 0;

	if (!name_len || name_len > (http ? 1024u : 223u))
		return -WB_EINVAL;
	last_len = (http ? 4 : EFI_DP_ISCSI_LEN) + name_len;
	total = (nic_len ? nic_len : mac_len) + (desc->vlan ? EFI_DP_VLAN_LEN : 0) + EFI_DP_IPV4_LEN +
		last_len + 4;
	d->dp = p = plat_malloc(total);
	if (!p)
		return -WB_ENOMEM;
	if (nic_len) {
		memcpy(p, nic, nic_len);
		p += nic_len;
	} else {   /* §10.3.4.11 MAC node: address padded to 32 bytes, IfType 1 (Ethernet) */
		v = bio_node(p, EFI_DP_TYPE_MESSAGING, EFI_DP_SUB_MAC, mac_len);
		memcpy(v, desc->mac, 6);
		v[32] = 1;
		p += mac_len;
	}
	if (desc->vlan) {
		v = bio_node(p, EFI_DP_TYPE_MESSAGING, EFI_DP_SUB_VLAN, EFI_DP_VLAN_LEN);
		put_le16(v, (uint16_t)desc->vlan);
		p += EFI_DP_VLAN_LEN;
	}
	/* IPv4: LocalIp, RemoteIp, LocalPort, RemotePort, Protocol, StaticIpAddress,
	 * GatewayIp, SubnetMask */
	v = bio_node(p, EFI_DP_TYPE_MESSAGING, EFI_DP_SUB_IPV4, EFI_DP_IPV4_LEN);
	memcpy(v, desc->local_ip, 4);
	memcpy(v + 4, desc->target_ip, 4);
	put_le16(v + 8, 0);
	put_le16(v + 10, desc->target_port);
	put_le16(v + 12, 6);   /* TCP */
	v[14] = desc->static_ip ? 1 : 0;
	memcpy(v + 15, desc->gateway, 4);
	memcpy(v + 19, desc->netmask, 4);
	p += EFI_DP_IPV4_LEN;
	if (http) {   /* URI: the URL's bytes, no NUL */
		v = bio_node(p, EFI_DP_TYPE_MESSAGING, EFI_DP_SUB_URI, last_len);
		memcpy(v, name, name_len);
		p += last_len;
		bio_node(p, EFI_DP_TYPE_END, EFI_DP_SUB_END_ENTIRE, 4);
		d->dp_len = total;
		return 0;
	}
	/* iSCSI: NetworkProtocol (0 = TCP), LoginOption, LUN[8], TPGT, TargetName */
	if (desc->header_digest)
		opts |= EFI_DP_ISCSI_HEADER_CRC32C;
	if (desc->data_digest)
		opts |= EFI_DP_ISCSI_DATA_CRC32C;
	if (!desc->chap)
		opts |= EFI_DP_ISCSI_AUTH_NONE;
	else if (!desc->mutual)
		opts |= EFI_DP_ISCSI_CHAP_UNI;
	v = bio_node(p, EFI_DP_TYPE_MESSAGING, EFI_DP_SUB_ISCSI, EFI_DP_ISCSI_LEN + name_len);
	put_le16(v, 0);
	put_le16(v + 2, opts);
	memcpy(v + 4, desc->lun, 8);
	put_le16(v + 12, desc->tpgt);
	memcpy(v + 14, desc->target_name, name_len);
	p += EFI_DP_ISCSI_LEN + name_len;
	bio_node(p, EFI_DP_TYPE_END, EFI_DP_SUB_END_ENTIRE, 4);
	d->dp_len = total;
	return 0;
}

/* ---- Block IO --------------------------------------------------------- */

static EFI_STATUS bio_check(struct plat_san *d, UINT32 media_id, EFI_LBA lba, UINTN size,
			    const VOID *buf, int write)
{
	UINT64 n;

	if (!d)
		return EFI_INVALID_PARAMETER;
	if (!d->media.MediaPresent || !d->live)
		return EFI_NO_MEDIA;
	if (media_id != d->media.MediaId)
		return EFI_MEDIA_CHANGED;
	if (write && d->media.ReadOnly)
		return EFI_WRITE_PROTECTED;
	if (!size)
		return EFI_SUCCESS;
	if (!buf)
		return EFI_INVALID_PARAMETER;
	if (size % d->media.BlockSize)
		return EFI_BAD_BUFFER_SIZE;
	n = size / d->media.BlockSize;
	if (lba > d->media.LastBlock || n - 1 > d->media.LastBlock - lba)
		return EFI_INVALID_PARAMETER;
	if (d->media.IoAlign > 1 && ((uintptr_t)buf & (d->media.IoAlign - 1)))
		return EFI_INVALID_PARAMETER;
	return EFI_SUCCESS;
}

static EFI_STATUS bio_io(struct plat_san *d, EFI_LBA lba, UINTN size, VOID *buf, int write)
{
	UINT64 left = size / d->media.BlockSize;
	uint8_t *p = buf;
	int rc = 0;

	if (efi_plat.in_ebs || efi_plat.boot_services_gone)
		return EFI_DEVICE_ERROR;   /* the network is gone with boot services */
	efi_plat.wb_busy++;
	if (!write)
		d->reads++;
	while (left && !rc) {
		uint32_t n = left > BIO_CHUNK_BLOCKS ? BIO_CHUNK_BLOCKS : (uint32_t)left;

		rc = write ? d->ops->write(d->arg, lba, n, p) : d->ops->read(d->arg, lba, n, p);
		if (rc)
			break;   /* lba: the chunk that failed */
		lba += n;
		left -= n;
		p += (size_t)n * d->media.BlockSize;
	}
	efi_plat.wb_busy--;
	if (!rc)
		return EFI_SUCCESS;
	if (rc == -WB_ECANCELED)
		wb_printf("san: drive 0x%x: %s of LBA %llu cancelled (Ctrl-C)\n", d->drive, write ? "write" : "read",
			  (unsigned long long)lba);
	else if (d->errors++ < 4)
		wb_printf("san: drive 0x%x: %s of LBA %llu failed: %s\n", d->drive, write ? "write" : "read",
			  (unsigned long long)lba, wb_strerror(rc));
	return rc == -WB_EROFS ? EFI_WRITE_PROTECTED : EFI_DEVICE_ERROR;
}

static EFI_STATUS EFIAPI bio_read(EFI_BLOCK_IO_PROTOCOL *This, UINT32 MediaId, EFI_LBA Lba,
				  UINTN BufferSize, VOID *Buffer)
{
	struct plat_san *d = (struct plat_san *)This;
	EFI_STATUS st = bio_check(d, MediaId, Lba, BufferSize, Buffer, 0);

	if (st != EFI_SUCCESS || !BufferSize)
		return st;
	return bio_io(d, Lba, BufferSize, Buffer, 0);
}

static EFI_STATUS EFIAPI bio_write(EFI_BLOCK_IO_PROTOCOL *This, UINT32 MediaId, EFI_LBA Lba,
				   UINTN BufferSize, VOID *Buffer)
{
	struct plat_san *d = (struct plat_san *)This;
	EFI_STATUS st = bio_check(d, MediaId, Lba, BufferSize, Buffer, 1);

	if (st != EFI_SUCCESS || !BufferSize)
		return st;
	return bio_io(d, Lba, BufferSize, Buffer, 1);
}

static EFI_STATUS EFIAPI bio_flush(EFI_BLOCK_IO_PROTOCOL *This)
{
	struct plat_san *d = (struct plat_san *)This;
	int rc;

	if (!d)
		return EFI_INVALID_PARAMETER;
	if (!d->media.MediaPresent || !d->live)
		return EFI_NO_MEDIA;
	if (d->media.ReadOnly)
		return EFI_SUCCESS;   /* nothing was written */
	if (efi_plat.in_ebs || efi_plat.boot_services_gone)
		return EFI_DEVICE_ERROR;
	efi_plat.wb_busy++;
	rc = d->ops->flush(d->arg);
	efi_plat.wb_busy--;
	return rc ? EFI_DEVICE_ERROR : EFI_SUCCESS;
}

static EFI_STATUS EFIAPI bio_reset(EFI_BLOCK_IO_PROTOCOL *This, BOOLEAN ExtendedVerification)
{
	(void)ExtendedVerification;
	/* Nothing to reset locally: the session recovers on its own. */
	return This ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
}

/* ---- keep-alive timer ------------------------------------------------- */

static VOID EFIAPI bio_tick(EFI_EVENT ev, VOID *ctx)
{
	struct plat_san *d = ctx;

	(void)ev;
	if (!d || !d->live || efi_plat.wb_busy || efi_plat.in_ebs || efi_plat.boot_services_gone)
		return;
	efi_plat.wb_busy++;
	d->ops->poll(d->arg);
	efi_plat.wb_busy--;
}

EFI_STATUS efi_start_image(EFI_HANDLE child, UINTN *exit_size, CHAR16 **exit_data)
{
	EFI_STATUS st;

	efi_plat.wb_busy--;
	st = efi_plat.bs->StartImage(child, exit_size, exit_data);
	efi_plat.wb_busy++;
	return st;
}

void efi_san_ebs(void)
{
	struct plat_san *d;

	efi_plat.in_ebs = 1;
	efi_plat.wb_busy++;
	for (d = bio_disks; d; d = d->next) {
		if (!d->live)
			continue;
		d->live = 0;
		d->media.MediaPresent = 0;
		d->ops->shutdown(d->arg);
	}
}

/* ---- platform.h ------------------------------------------------------- */

static void bio_free(struct plat_san *d)
{
	if (d->sfs_before)
		efi_plat.bs->FreePool(d->sfs_before);
	plat_free(d->dp);
	plat_free(d);
}

int plat_san_publish(const struct plat_san_desc *desc, const struct plat_disk_ops *ops, void *arg,
		     struct plat_san **out, char *msg, size_t msgcap)
{
	EFI_BOOT_SERVICES *bs = efi_plat.bs;
	struct plat_san *d;
	EFI_STATUS st;
	int rc;

	*out = NULL;
	if (!desc->block_size || !desc->blocks || !ops || !ops->read || !ops->poll || !ops->shutdown) {
		wb_snprintf(msg, msgcap, "no blocks or block size 0");
		return -WB_EINVAL;
	}
	d = plat_malloc(sizeof(*d));
	if (!d)
		return -WB_ENOMEM;
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->arg = arg;
	d->drive = desc->drive;
	rc = bio_build_dp(d, desc);
	if (rc) {
		wb_snprintf(msg, msgcap, "cannot build the device path (%s empty or too long?)",
			    desc->kind == PLAT_SAN_HTTP ? "URL" : "target name");
		bio_free(d);
		return rc;
	}
	d->media.MediaId = bio_media_ids++;
	d->media.RemovableMedia = 0;
	d->media.MediaPresent = 1;
	d->media.LogicalPartition = 0;
	d->media.ReadOnly = desc->read_only ? 1 : 0;
	d->media.WriteCaching = 0;
	d->media.BlockSize = desc->block_size;
	d->media.IoAlign = 0;
	d->media.LastBlock = desc->blocks - 1;
	d->bio.Revision = EFI_BLOCK_IO_PROTOCOL_REVISION;
	d->bio.Media = &d->media;
	d->bio.Reset = bio_reset;
	d->bio.ReadBlocks = bio_read;
	d->bio.WriteBlocks = bio_write;
	d->bio.FlushBlocks = bio_flush;
	/* which file systems exist already (U-Boot: ours are the new ones) */
	if (bs->LocateHandleBuffer(ByProtocol, &bio_sfs_guid, NULL, &d->nsfs_before, &d->sfs_before) !=
	    EFI_SUCCESS) {
		d->sfs_before = NULL;
		d->nsfs_before = 0;
	}
	d->live = 1;
	st = bs->InstallProtocolInterface(&d->handle, &bio_dp_guid, EFI_NATIVE_INTERFACE, d->dp);
	if (st != EFI_SUCCESS) {
		wb_snprintf(msg, msgcap, "InstallProtocolInterface(device path) failed: 0x%llx",
			    (unsigned long long)st);
		bio_free(d);
		return -WB_ESANPUBLISH;
	}
	st = bs->InstallProtocolInterface(&d->handle, &bio_guid, EFI_NATIVE_INTERFACE, &d->bio);
	if (st != EFI_SUCCESS) {
		wb_snprintf(msg, msgcap, "InstallProtocolInterface(Block IO) failed: 0x%llx",
			    (unsigned long long)st);
		if (bs->UninstallProtocolInterface(d->handle, &bio_dp_guid, d->dp) == EFI_SUCCESS)
			bio_free(d);   /* else the handle still points at it: keep it */
		return -WB_ESANPUBLISH;
	}
	d->installed = 1;
	d->next = bio_disks;
	bio_disks = d;
	if (bs->CreateEvent(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, bio_tick, d, &d->timer) ==
	    EFI_SUCCESS) {
		if (bs->SetTimer(d->timer, EFI_TIMER_PERIODIC, BIO_TICK_100NS) != EFI_SUCCESS) {
			bs->CloseEvent(d->timer);
			d->timer = NULL;
		}
	} else {
		d->timer = NULL;
	}
	if (!d->timer)
		wb_printf("san: drive 0x%x: no firmware timer: the session is serviced only during "
			  "reads\n", d->drive);
	/* partitions and file systems: the firmware reads through bio_read now */
	d->connect_status = bs->ConnectController(d->handle, NULL, NULL, 1);
	*out = d;
	return 0;
}

/* Does the device path @dp start with our disk's path (End node excluded)? */
static int bio_dp_under(const struct plat_san *d, const uint8_t *dp)
{
	size_t ours = d->dp_len - 4, theirs = bio_dp_prefix(dp);

	return dp && theirs > ours && !memcmp(dp, d->dp, ours);
}

static int bio_was_there(const struct plat_san *d, EFI_HANDLE h)
{
	for (UINTN i = 0; i < d->nsfs_before; i++)
		if (d->sfs_before[i] == h)
			return 1;
	return 0;
}

/* Is @name on the file system of handle @h? */
static int bio_has_file(EFI_HANDLE h, CHAR16 *name)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	EFI_FILE_PROTOCOL *root = NULL, *f = NULL;
	int found = 0;

	if (efi_plat.bs->HandleProtocol(h, &bio_sfs_guid, (VOID **)&sfs) != EFI_SUCCESS ||
	    sfs->OpenVolume(sfs, &root) != EFI_SUCCESS)
		return 0;
	if (root->Open(root, &f, name, EFI_FILE_MODE_READ, 0) == EFI_SUCCESS) {
		found = 1;
		f->Close(f);
	}
	root->Close(root);
	return found;
}

int plat_san_boot(struct plat_san *d, const char *filename, int *exit_status, char *msg,
		  size_t msgcap)
{
	EFI_BOOT_SERVICES *bs = efi_plat.bs;
	EFI_HANDLE *hs = NULL, fs = NULL, child = NULL;
	UINTN nh = 0, exit_size = 0;
	CHAR16 name[BIO_PATH_MAX], *exit_data = NULL;
	uint8_t *full = NULL, *fsdp = NULL;
	size_t i, n = 0, prefix, node;
	int nfs = 0, rc;
	EFI_STATUS st;

	*exit_status = 0;
	if (!d || !d->live)
		return -WB_ESANNODRIVE;
	if (filename[0] != '\\' && filename[0] != '/')
		name[n++] = '\\';
	for (i = 0; filename[i] && n + 1 < BIO_PATH_MAX; i++)
		name[n++] = filename[i] == '/' ? '\\' : (unsigned char)filename[i];
	name[n] = 0;
	if (filename[i]) {
		wb_snprintf(msg, msgcap, "file name too long");
		return -WB_ETOOBIG;
	}
	if (bs->LocateHandleBuffer(ByProtocol, &bio_sfs_guid, NULL, &nh, &hs) != EFI_SUCCESS)
		nh = 0;
	/* pass 0: file systems under our device path; pass 1: new ones (U-Boot) */
	for (int pass = 0; pass < 2 && !fs; pass++) {
		for (UINTN k = 0; k < nh && !fs; k++) {
			VOID *dp = NULL;
			int mine;

			if (bs->HandleProtocol(hs[k], &bio_dp_guid, &dp) != EFI_SUCCESS)
				dp = NULL;
			mine = pass == 0 ? bio_dp_under(d, dp) : !bio_was_there(d, hs[k]) && !bio_dp_under(d, dp);
			if (!mine)
				continue;
			nfs++;
			if (bio_has_file(hs[k], name)) {
				fs = hs[k];
				fsdp = dp;
			}
		}
	}
	if (hs)
		bs->FreePool(hs);
	if (!fs) {
		if (!nfs) {
			wb_snprintf(msg, msgcap, "the firmware bound no file system on the disk "
				    "(ConnectController 0x%llx after %llu reads; file systems: %llu before, "
				    "%llu now; U-Boot needs GPT with an EFI System Partition)",
				    (unsigned long long)d->connect_status, (unsigned long long)d->reads,
				    (unsigned long long)d->nsfs_before, (unsigned long long)nh);
			return -WB_ESANNOFS;
		}
		wb_snprintf(msg, msgcap, "%s not found on the disk's %d file system%s", filename, nfs,
			    nfs == 1 ? "" : "s");
		return -WB_ESANNOFILE;
	}
	/* full path: the file system's device path + FilePath node + End */
	prefix = bio_dp_prefix(fsdp);
	node = 4 + (n + 1) * sizeof(CHAR16);
	full = plat_malloc(prefix + node + 4);
	if (!full)
		return -WB_ENOMEM;
	if (prefix)
		memcpy(full, fsdp, prefix);
	memcpy(bio_node(full + prefix, EFI_DP_TYPE_MEDIA, EFI_DP_SUB_FILEPATH, node), name,
	       (n + 1) * sizeof(CHAR16));
	bio_node(full + prefix + node, EFI_DP_TYPE_END, EFI_DP_SUB_END_ENTIRE, 4);
	st = bs->LoadImage(0, efi_plat.image, full, NULL, 0, &child);
	if (st != EFI_SUCCESS) {
		/* Some firmware loads only from memory: read it ourselves, same path. */
		EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
		uint8_t *data = NULL;
		size_t len = 0;
		EFI_STATUS st2;

		rc = bs->HandleProtocol(fs, &bio_sfs_guid, (VOID **)&sfs) == EFI_SUCCESS ?
			efi_sfs_read(sfs, name, &data, &len) : -WB_ENODEV;
		if (rc) {
			wb_snprintf(msg, msgcap, "LoadImage(%s) failed (0x%llx) and reading it failed: %s",
				    filename, (unsigned long long)st, wb_strerror(rc));
			plat_free(full);
			return rc;
		}
		st2 = bs->LoadImage(0, efi_plat.image, full, data, len, &child);
		plat_free(data);
		if (st2 != EFI_SUCCESS) {
			wb_snprintf(msg, msgcap, "the firmware refused to load %s (LoadImage 0x%llx)", filename,
				    (unsigned long long)st2);
			plat_free(full);
			return st2 == EFI_UNSUPPORTED || st2 == EFI_LOAD_ERROR ? -WB_EBADIMAGE :
										 -WB_EIMAGESTART;
		}
	}
	plat_free(full);
	st = efi_start_image(child, &exit_size, &exit_data);
	if (exit_data)
		bs->FreePool(exit_data);
	*exit_status = st == EFI_SUCCESS ? 0 : 1;
	return 0;
}

/* The NIC's PCI bus/device/function (iBFT NIC field), 0 when it is not on PCI. */
static uint16_t bio_pci_bdf(int link)
{
	const EFI_DEVICE_PATH_PROTOCOL *nic = efi_snp_link_dp(link);
	VOID *dp = (VOID *)nic;
	EFI_HANDLE h = NULL;
	EFI_PCI_IO_PROTOCOL *pci = NULL;
	UINTN seg = 0, bus = 0, dev = 0, fn = 0;

	if (!nic || efi_plat.bs->LocateDevicePath(&bio_pci_guid, &dp, &h) != EFI_SUCCESS ||
	    efi_plat.bs->HandleProtocol(h, &bio_pci_guid, (VOID **)&pci) != EFI_SUCCESS || !pci ||
	    pci->GetLocation(pci, &seg, &bus, &dev, &fn) != EFI_SUCCESS || bus > 255 || dev > 31 || fn > 7)
		return 0;
	return (uint16_t)(bus << 8 | dev << 3 | fn);
}

static uint8_t bio_prefix_len(const uint8_t mask[4])
{
	uint8_t n = 0;

	for (int i = 0; i < 4; i++)
		for (int b = 7; b >= 0 && (mask[i] >> b & 1); b--)
			n++;
	return n;
}

/* ibft_publish()'s install step: EFI_ACPI_TABLE_PROTOCOL copies the table */
struct bio_acpi_install {
	EFI_ACPI_TABLE_PROTOCOL *acpi;
	UINTN key;
	EFI_STATUS st;
	int called;
};

static int bio_acpi_install(void *arg, const uint8_t *table, size_t len)
{
	struct bio_acpi_install *a = arg;

	a->called = 1;
	a->st = a->acpi->InstallAcpiTable(a->acpi, (VOID *)table, len, &a->key);
	return a->st == EFI_SUCCESS ? 0 : -WB_EIBFTINSTALL;
}

/*
 * iBFT (san/ibft.h) from @desc, installed with EFI_ACPI_TABLE_PROTOCOL,
 * which copies it into ACPI memory and links it from the RSDT/XSDT: the OS
 * finds it there after ExitBootServices.  ibft_publish() builds it in a
 * buffer of its own and wipes and frees that (it holds the CHAP secrets) at
 * once, whatever happened.
 */
int plat_san_describe(struct plat_san *d, const struct plat_san_desc *desc, char *msg, size_t msgcap)
{
	struct bio_acpi_install a = { 0 };
	struct ibft_desc t;
	size_t len = 0;
	int rc;

	if (!d || !desc)
		return -WB_EINVAL;
	if (desc->kind != PLAT_SAN_ISCSI) {
		wb_snprintf(msg, msgcap, "not described to the OS: an iBFT describes only iSCSI disks");
		return -WB_ENOTSUP;
	}
	if (efi_plat.bs->LocateProtocol(&bio_acpi_guid, NULL, (VOID **)&a.acpi) != EFI_SUCCESS || !a.acpi) {
		wb_snprintf(msg, msgcap, "the firmware has no EFI_ACPI_TABLE_PROTOCOL: the disk is not "
			    "described to the OS (no iBFT); the OS must log in on its own");
		return -WB_ENOTSUP;
	}
	if (d->acpi_installed) {
		wb_snprintf(msg, msgcap, "described to the OS by an iBFT already");
		return 0;
	}
	memset(&t, 0, sizeof(t));
	t.initiator = desc->initiator;
	memcpy(t.ip, desc->local_ip, 4);
	t.prefix = bio_prefix_len(desc->netmask);
	memcpy(t.gateway, desc->gateway, 4);
	memcpy(t.dns, desc->dns, sizeof(t.dns));
	memcpy(t.dhcp, desc->dhcp_server, 4);
	t.origin = desc->static_ip ? IBFT_ORIGIN_MANUAL : IBFT_ORIGIN_DHCP;
	t.vlan = (uint16_t)desc->vlan;
	memcpy(t.mac, desc->mac, 6);
	t.pci_bdf = bio_pci_bdf(desc->link);
	t.hostname = desc->hostname;
	memcpy(t.target_ip, desc->target_ip, 4);
	t.target_port = desc->target_port;
	memcpy(t.lun, desc->lun, 8);
	t.target_name = desc->target_name;
	t.chap_type = !desc->chap ? IBFT_CHAP_NONE : desc->mutual ? IBFT_CHAP_MUTUAL : IBFT_CHAP_ONEWAY;
	t.chap_name = desc->chap_user;
	t.chap_secret = desc->chap_secret;
	t.rchap_name = desc->rchap_user;
	t.rchap_secret = desc->rchap_secret;
	if (!ibft_size(&t)) {
		wb_snprintf(msg, msgcap, "cannot describe the disk in an iBFT (a name or CHAP credential "
			    "over %u bytes, or no initiator/target name): the OS must log in on its own",
			    (unsigned)IBFT_STR_MAX);
		return -WB_EINVAL;
	}
	rc = ibft_publish(&t, bio_acpi_install, &a, &len);
	if (!rc) {
		d->acpi_key = a.key;
		d->acpi_installed = 1;
		wb_snprintf(msg, msgcap, "described to the OS by an iBFT (%u bytes)", (unsigned)len);
	} else if (a.called) {
		wb_snprintf(msg, msgcap, "InstallAcpiTable(iBFT, %u bytes) failed (0x%llx): the disk is "
			    "not described to the OS", (unsigned)len, (unsigned long long)a.st);
	} else if (rc != -WB_ENOMEM) {
		wb_snprintf(msg, msgcap, "the iBFT built for the disk does not validate: %s",
			    wb_strerror(rc));
	}
	return rc;
}

/* Withdraw our iBFT (the disk is going away: the OS must not log in to it). */
static void bio_undescribe(struct plat_san *d)
{
	EFI_ACPI_TABLE_PROTOCOL *acpi = NULL;
	EFI_STATUS st;

	if (!d->acpi_installed)
		return;
	d->acpi_installed = 0;
	if (efi_plat.bs->LocateProtocol(&bio_acpi_guid, NULL, (VOID **)&acpi) != EFI_SUCCESS || !acpi)
		return;
	st = acpi->UninstallAcpiTable(acpi, d->acpi_key);
	if (st != EFI_SUCCESS)
		wb_printf("san: drive 0x%x: UninstallAcpiTable(iBFT) failed (0x%llx): the OS may still "
			  "see the disk's iBFT\n", d->drive, (unsigned long long)st);
}

void plat_san_unpublish(struct plat_san *d)
{
	EFI_BOOT_SERVICES *bs = efi_plat.bs;
	struct plat_san **pp;

	if (!d)
		return;
	d->live = 0;
	d->media.MediaPresent = 0;
	d->media.MediaId++;   /* anyone caching the old id gets EFI_MEDIA_CHANGED */
	for (pp = &bio_disks; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	if (efi_plat.boot_services_gone)
		return;
	bio_undescribe(d);
	if (d->timer) {
		bs->SetTimer(d->timer, EFI_TIMER_CANCEL, 0);
		bs->CloseEvent(d->timer);
		d->timer = NULL;
	}
	if (efi_plat.is_uboot)
		return;   /* children stay bound to it: installed, no media, never freed */
	bs->DisconnectController(d->handle, NULL, NULL);
	if (bs->UninstallProtocolInterface(d->handle, &bio_guid, &d->bio) != EFI_SUCCESS)
		return;   /* still in use: keep the memory */
	if (bs->UninstallProtocolInterface(d->handle, &bio_dp_guid, d->dp) != EFI_SUCCESS)
		return;
	bio_free(d);
}
