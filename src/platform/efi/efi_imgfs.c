/*
 * efi_imgfs.c — how a started image (a Linux EFI stub, GRUB, a loader) finds
 * the other fetched images while it runs.  Two ways, both withdrawn when it
 * returns:
 *
 *  - the Linux initrd LoadFile2 (UEFI 2.10 §13.2; the convention Linux's stub
 *    follows since 5.8): a new handle carrying the device path
 *      Vendor media node (type 4, subtype 3, LINUX_EFI_INITRD_MEDIA_GUID) + End
 *    and EFI_LOAD_FILE2_PROTOCOL, whose LoadFile returns every `initrd` image
 *    concatenated in order (core/initrd.h: 4-byte aligned parts).  The stub
 *    finds it with LocateDevicePath and calls LoadFile twice: size, then data.
 *
 *  - a read-only EFI_SIMPLE_FILE_SYSTEM_PROTOCOL (§13.4/§13.5) on the handle
 *    that carries the image's own (memory-mapped) device path, i.e. its
 *    LoadedImage->DeviceHandle: a flat root directory holding every fetched
 *    image under its name (case-insensitive, leading backslashes ignored).
 *    This is where `initrd=NAME` on a Linux command line is read from (older
 *    stubs; newer ones when no LoadFile2 is there) and where GRUB or other
 *    loaders find their files.
 *
 * Ownership: the file list and the image bytes are borrowed from the script
 * layer and stay valid until efi_imgfs_uninstall().  File handles the child
 * left open are freed there too (their protocol is gone with the handle).
 */
#include <stddef.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/initrd.h"
#include "platform/efi/efi_imgfs.h"
#include "platform/efi/efi_plat.h"

static EFI_GUID imgfs_dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static EFI_GUID imgfs_sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID imgfs_lf2_guid = EFI_LOAD_FILE2_PROTOCOL_GUID;
static EFI_GUID imgfs_info_guid = EFI_FILE_INFO_ID;
static const EFI_GUID imgfs_initrd_guid = LINUX_EFI_INITRD_MEDIA_GUID;

#define IMGFS_INFO_NAME_OFF 80   /* EFI_FILE_INFO: FileName after 3×8 + 3×16 + 8 bytes */

struct imgfs_file {
	EFI_FILE_PROTOCOL proto;   /* first: This points here */
	struct efi_imgfs *fs;
	struct imgfs_file *next;   /* the fs's open files */
	size_t index;              /* the image, or IMGFS_ROOT */
	UINT64 pos;                /* byte offset; the root: next entry */
};
#define IMGFS_ROOT ((size_t)-1)

/* ---- names ------------------------------------------------------------ */

static int imgfs_lower(unsigned c)
{
	return c >= 'A' && c <= 'Z' ? (int)(c + 32) : (int)c;
}

/* Does the UCS-2 @name (leading '\\' and "." components skipped) equal the ASCII @img? */
static int imgfs_name_eq(const CHAR16 *name, const char *img)
{
	size_t i = 0;

	for (; name[i] && img[i]; i++)
		if (name[i] > 0x7f || imgfs_lower(name[i]) != imgfs_lower((unsigned char)img[i]))
			return 0;
	return !name[i] && !img[i];
}

/* Skip leading separators and "." components ("\\", ".\\", "\\.\\x" …). */
static const CHAR16 *imgfs_skip(const CHAR16 *p)
{
	for (;;) {
		if (*p == '\\' || *p == '/')
			p++;
		else if (p[0] == '.' && (!p[1] || p[1] == '\\' || p[1] == '/'))
			p++;
		else
			return p;
	}
}

/* ---- EFI_FILE_PROTOCOL ------------------------------------------------ */

static const EFI_FILE_PROTOCOL imgfs_file_ops;

static EFI_STATUS imgfs_new_file(struct efi_imgfs *fs, size_t index, EFI_FILE_PROTOCOL **out)
{
	struct imgfs_file *f;

	if (efi_plat.bs->AllocatePool(EfiBootServicesData, sizeof(*f), (VOID **)&f) != EFI_SUCCESS)
		return EFI_OUT_OF_RESOURCES;
	memset(f, 0, sizeof(*f));
	f->proto = imgfs_file_ops;
	f->fs = fs;
	f->index = index;
	f->next = fs->open;
	fs->open = f;
	*out = &f->proto;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI imgfs_open(EFI_FILE_PROTOCOL *This, EFI_FILE_PROTOCOL **NewHandle,
				    CHAR16 *FileName, UINT64 OpenMode, UINT64 Attributes)
{
	struct imgfs_file *self = (struct imgfs_file *)This;
	const CHAR16 *name;

	(void)Attributes;
	if (!This || !NewHandle || !FileName)
		return EFI_INVALID_PARAMETER;
	if (OpenMode != EFI_FILE_MODE_READ)
		return EFI_WRITE_PROTECTED;   /* write or create on a read-only volume */
	name = imgfs_skip(FileName);
	/* one flat directory: "" (and "..", which cannot climb above it) is the root;
	 * from a file, a name is looked up in the root as well */
	if (!*name || (name[0] == '.' && name[1] == '.' && !*imgfs_skip(name + 2)))
		return imgfs_new_file(self->fs, IMGFS_ROOT, NewHandle);
	for (size_t i = 0; i < self->fs->nfiles; i++)
		if (imgfs_name_eq(name, self->fs->files[i].name))
			return imgfs_new_file(self->fs, i, NewHandle);
	return EFI_NOT_FOUND;
}

static EFI_STATUS EFIAPI imgfs_close(EFI_FILE_PROTOCOL *This)
{
	struct imgfs_file *self = (struct imgfs_file *)This;

	if (!This)
		return EFI_INVALID_PARAMETER;
	for (struct imgfs_file **pp = &self->fs->open; *pp; pp = &(*pp)->next)
		if (*pp == self) {
			*pp = self->next;
			efi_plat.bs->FreePool(self);
			break;
		}
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI imgfs_delete(EFI_FILE_PROTOCOL *This)
{
	imgfs_close(This);   /* §13.5 Delete: the handle is closed either way */
	return EFI_WARN_DELETE_FAILURE;
}

/* EFI_FILE_INFO of image @index (IMGFS_ROOT: the root directory) into @buf. */
static EFI_STATUS imgfs_info(struct efi_imgfs *fs, size_t index, UINTN *size, VOID *buf)
{
	const char *name = index == IMGFS_ROOT ? "" : fs->files[index].name;
	size_t n = strlen(name), need = IMGFS_INFO_NAME_OFF + (n + 1) * sizeof(CHAR16);
	EFI_FILE_INFO info;
	CHAR16 *out;

	if (!size)
		return EFI_INVALID_PARAMETER;
	if (*size < need || !buf) {
		*size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	memset(&info, 0, sizeof(info));
	info.Size = need;
	info.FileSize = info.PhysicalSize = index == IMGFS_ROOT ? 0 : fs->files[index].len;
	info.Attribute = EFI_FILE_READ_ONLY | (index == IMGFS_ROOT ? EFI_FILE_DIRECTORY : 0);
	memcpy(buf, &info, sizeof(info));
	out = (CHAR16 *)((UINT8 *)buf + IMGFS_INFO_NAME_OFF);
	for (size_t i = 0; i <= n; i++)
		out[i] = (unsigned char)name[i];
	*size = need;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI imgfs_read(EFI_FILE_PROTOCOL *This, UINTN *BufferSize, VOID *Buffer)
{
	struct imgfs_file *self = (struct imgfs_file *)This;
	const struct plat_image_file *img;
	size_t n;

	if (!This || !BufferSize || (*BufferSize && !Buffer))
		return EFI_INVALID_PARAMETER;
	if (self->index == IMGFS_ROOT) {
		/* §13.5 Read on a directory: one EFI_FILE_INFO per call, 0 bytes at the end */
		EFI_STATUS st;

		if (self->pos >= self->fs->nfiles) {
			*BufferSize = 0;
			return EFI_SUCCESS;
		}
		st = imgfs_info(self->fs, (size_t)self->pos, BufferSize, Buffer);
		if (st == EFI_SUCCESS)
			self->pos++;
		return st;
	}
	img = &self->fs->files[self->index];
	if (self->pos > img->len)
		return EFI_DEVICE_ERROR;   /* §13.5: a read past the end after SetPosition */
	n = img->len - (size_t)self->pos;
	if (n > *BufferSize)
		n = *BufferSize;
	memcpy(Buffer, (const UINT8 *)img->data + self->pos, n);
	self->pos += n;
	*BufferSize = n;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI imgfs_write(EFI_FILE_PROTOCOL *This, UINTN *BufferSize, VOID *Buffer)
{
	(void)This;
	(void)BufferSize;
	(void)Buffer;
	return EFI_ACCESS_DENIED;   /* §13.5 Write: the file was opened read-only */
}

static EFI_STATUS EFIAPI imgfs_getpos(EFI_FILE_PROTOCOL *This, UINT64 *Position)
{
	struct imgfs_file *self = (struct imgfs_file *)This;

	if (!This || !Position)
		return EFI_INVALID_PARAMETER;
	if (self->index == IMGFS_ROOT)
		return EFI_UNSUPPORTED;   /* §13.5 GetPosition: not on directories */
	*Position = self->pos;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI imgfs_setpos(EFI_FILE_PROTOCOL *This, UINT64 Position)
{
	struct imgfs_file *self = (struct imgfs_file *)This;

	if (!This)
		return EFI_INVALID_PARAMETER;
	if (self->index == IMGFS_ROOT) {
		if (Position)
			return EFI_UNSUPPORTED;   /* directories: only 0, restart the listing */
		self->pos = 0;
		return EFI_SUCCESS;
	}
	/* all ones: the end of the file; beyond the end is allowed (Read fails then) */
	self->pos = Position == ~(UINT64)0 ? self->fs->files[self->index].len : Position;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI imgfs_getinfo(EFI_FILE_PROTOCOL *This, EFI_GUID *InformationType,
				       UINTN *BufferSize, VOID *Buffer)
{
	struct imgfs_file *self = (struct imgfs_file *)This;

	if (!This || !InformationType || !BufferSize)
		return EFI_INVALID_PARAMETER;
	if (memcmp(InformationType, &imgfs_info_guid, sizeof(EFI_GUID)))
		return EFI_UNSUPPORTED;
	return imgfs_info(self->fs, self->index, BufferSize, Buffer);
}

static EFI_STATUS EFIAPI imgfs_setinfo(EFI_FILE_PROTOCOL *This, EFI_GUID *InformationType,
				       UINTN BufferSize, VOID *Buffer)
{
	(void)This;
	(void)InformationType;
	(void)BufferSize;
	(void)Buffer;
	return EFI_WRITE_PROTECTED;
}

static EFI_STATUS EFIAPI imgfs_flush(EFI_FILE_PROTOCOL *This)
{
	(void)This;
	return EFI_SUCCESS;   /* nothing is ever written */
}

static const EFI_FILE_PROTOCOL imgfs_file_ops = {
	EFI_FILE_PROTOCOL_REVISION, imgfs_open, imgfs_close, imgfs_delete, imgfs_read,
	imgfs_write, imgfs_getpos, imgfs_setpos, imgfs_getinfo, imgfs_setinfo, imgfs_flush,
};

static EFI_STATUS EFIAPI imgfs_open_volume(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *This,
					   EFI_FILE_PROTOCOL **Root)
{
	struct efi_imgfs *fs;

	if (!This || !Root)
		return EFI_INVALID_PARAMETER;
	fs = (struct efi_imgfs *)((UINT8 *)This - offsetof(struct efi_imgfs, sfs));
	return imgfs_new_file(fs, IMGFS_ROOT, Root);
}

/* ---- LoadFile2 (the initrd) ------------------------------------------- */

static int imgfs_is_end(const EFI_DEVICE_PATH_PROTOCOL *dp)
{
	return dp->Type == EFI_DP_TYPE_END && dp->SubType == EFI_DP_SUB_END_ENTIRE;
}

static EFI_STATUS EFIAPI imgfs_load_file(EFI_LOAD_FILE2_PROTOCOL *This, EFI_DEVICE_PATH_PROTOCOL *FilePath,
					 BOOLEAN BootPolicy, UINTN *BufferSize, VOID *Buffer)
{
	struct efi_imgfs *fs;
	size_t size;

	if (!This || !FilePath || !BufferSize)
		return EFI_INVALID_PARAMETER;
	if (BootPolicy)
		return EFI_UNSUPPORTED;   /* §13.2: LoadFile2 never takes the boot policy */
	fs = (struct efi_imgfs *)((UINT8 *)This - offsetof(struct efi_imgfs, lf2));
	/* The caller passes what LocateDevicePath left of the path it asked for: the
	 * End node when it asked for our vendor path.  Our full path is accepted too;
	 * any other path names a file this handle does not have. */
	if (!imgfs_is_end(FilePath) &&
	    memcmp(FilePath, &fs->lf2_dp, sizeof(fs->lf2_dp)))
		return EFI_NOT_FOUND;
	size = fs->initrd_len;
	if (!Buffer || *BufferSize < size) {
		*BufferSize = size;
		return EFI_BUFFER_TOO_SMALL;
	}
	initrd_copy(fs->files, fs->nfiles, 0, Buffer, size);
	*BufferSize = size;
	return EFI_SUCCESS;
}

/* ---- install / uninstall ---------------------------------------------- */

int efi_imgfs_install(struct efi_imgfs *fs, VOID *image_dp, const struct plat_image_file *files,
		      size_t nfiles, unsigned flags)
{
	EFI_BOOT_SERVICES *bs = efi_plat.bs;
	EFI_STATUS st;
	int rc;

	memset(fs, 0, sizeof(*fs));
	fs->files = files;
	fs->nfiles = nfiles;
	fs->image_dp = image_dp;
	fs->sfs.Revision = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_REVISION;
	fs->sfs.OpenVolume = imgfs_open_volume;
	fs->lf2.LoadFile = imgfs_load_file;
	rc = initrd_size(files, nfiles, &fs->initrd_len);
	if (rc)
		return rc;

	/* the image's device handle: its memory-mapped path + the file system */
	st = bs->InstallProtocolInterface(&fs->fs_handle, &imgfs_dp_guid, EFI_NATIVE_INTERFACE, image_dp);
	if (st != EFI_SUCCESS) {
		efi_put_status("image: InstallProtocolInterface(device path)", st);
		return -WB_EIMAGESTART;
	}
	st = bs->InstallProtocolInterface(&fs->fs_handle, &imgfs_sfs_guid, EFI_NATIVE_INTERFACE, &fs->sfs);
	if (st != EFI_SUCCESS) {
		efi_put_status("image: InstallProtocolInterface(SimpleFileSystem)", st);
		efi_imgfs_uninstall(fs);
		return -WB_EIMAGESTART;
	}
	fs->sfs_installed = 1;

	if (!fs->initrd_len || (flags & PLAT_IMAGE_NO_LOADFILE2))
		return 0;
	fs->lf2_dp.vendor.Type = EFI_DP_TYPE_MEDIA;
	fs->lf2_dp.vendor.SubType = EFI_DP_SUB_MEDIA_VENDOR;
	fs->lf2_dp.vendor.Length[0] = sizeof(fs->lf2_dp.vendor) + sizeof(fs->lf2_dp.guid);
	memcpy(fs->lf2_dp.guid, &imgfs_initrd_guid, sizeof(fs->lf2_dp.guid));
	fs->lf2_dp.end.Type = EFI_DP_TYPE_END;
	fs->lf2_dp.end.SubType = EFI_DP_SUB_END_ENTIRE;
	fs->lf2_dp.end.Length[0] = sizeof(fs->lf2_dp.end);
	{
		/* Another initrd LoadFile2 (the firmware's own, e.g. U-Boot's
		 * EFI_LOAD_FILE2_INITRD) would make the stub's LocateDevicePath pick
		 * either one: refuse rather than boot with a stranger's initrd. */
		VOID *dp = &fs->lf2_dp;
		EFI_HANDLE other = NULL;

		if (bs->LocateDevicePath(&imgfs_lf2_guid, &dp, &other) == EFI_SUCCESS && other) {
			efi_imgfs_uninstall(fs);
			return -WB_EINITRDLF2;
		}
	}
	st = bs->InstallProtocolInterface(&fs->lf2_handle, &imgfs_dp_guid, EFI_NATIVE_INTERFACE, &fs->lf2_dp);
	if (st != EFI_SUCCESS) {
		efi_put_status("image: InstallProtocolInterface(initrd device path)", st);
		efi_imgfs_uninstall(fs);
		return -WB_EINITRDLF2;
	}
	st = bs->InstallProtocolInterface(&fs->lf2_handle, &imgfs_lf2_guid, EFI_NATIVE_INTERFACE, &fs->lf2);
	if (st != EFI_SUCCESS) {
		efi_put_status("image: InstallProtocolInterface(LoadFile2)", st);
		efi_imgfs_uninstall(fs);
		return -WB_EINITRDLF2;
	}
	fs->lf2_installed = 1;
	return 0;
}

void efi_imgfs_uninstall(struct efi_imgfs *fs)
{
	EFI_BOOT_SERVICES *bs = efi_plat.bs;

	if (fs->lf2_handle) {
		if (fs->lf2_installed)
			bs->UninstallProtocolInterface(fs->lf2_handle, &imgfs_lf2_guid, &fs->lf2);
		bs->UninstallProtocolInterface(fs->lf2_handle, &imgfs_dp_guid, &fs->lf2_dp);
		fs->lf2_handle = NULL;
		fs->lf2_installed = 0;
	}
	if (fs->fs_handle) {
		if (fs->sfs_installed)
			bs->UninstallProtocolInterface(fs->fs_handle, &imgfs_sfs_guid, &fs->sfs);
		bs->UninstallProtocolInterface(fs->fs_handle, &imgfs_dp_guid, fs->image_dp);
		fs->fs_handle = NULL;
		fs->sfs_installed = 0;
	}
	while (fs->open) {   /* handles the child never closed */
		struct imgfs_file *f = fs->open;

		fs->open = f->next;
		bs->FreePool(f);
	}
}

int efi_imgfs_lf2_installed(const struct efi_imgfs *fs)
{
	return fs->lf2_installed;
}
