/*
 * efi_imgfs.h — the fetched images offered to a started image: the Linux
 * initrd LoadFile2 handle and a read-only file system on the image's device
 * handle (see efi_imgfs.c).  Used only by efi_image.c.
 */
#ifndef WB_EFI_IMGFS_H
#define WB_EFI_IMGFS_H

#include "platform/efi/efi.h"
#include "platform/platform.h"

#pragma pack(1)
struct efi_imgfs_lf2_dp {
	EFI_DEVICE_PATH_PROTOCOL vendor;   /* media, vendor: 4 + 16 bytes */
	UINT8 guid[16];
	EFI_DEVICE_PATH_PROTOCOL end;
};
#pragma pack()

struct imgfs_file;

/** Caller-allocated; lives from efi_imgfs_install() to efi_imgfs_uninstall(). */
struct efi_imgfs {
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL sfs;
	EFI_LOAD_FILE2_PROTOCOL lf2;
	const struct plat_image_file *files;   /* borrowed */
	size_t nfiles;
	size_t initrd_len;
	VOID *image_dp;                         /* borrowed: the image's device path */
	EFI_HANDLE fs_handle, lf2_handle;
	int sfs_installed, lf2_installed;
	struct efi_imgfs_lf2_dp lf2_dp;
	struct imgfs_file *open;                /* file handles not yet closed */
};

/**
 * Install, on a new handle, @image_dp (the device path LoadImage will get)
 * and the read-only file system serving @files; then, when @files hold
 * initrd parts and @flags lacks PLAT_IMAGE_NO_LOADFILE2, the initrd
 * LoadFile2 handle.  @files and @image_dp must outlive the installation.
 * @return 0; -WB_EINITRDLF2 (another initrd LoadFile2 is installed, or the
 * firmware refused), -WB_EINITRDBIG, -WB_EIMAGESTART.  On failure nothing
 * stays installed.
 */
int efi_imgfs_install(struct efi_imgfs *fs, VOID *image_dp, const struct plat_image_file *files,
		      size_t nfiles, unsigned flags);

/** Withdraw both handles and free file handles left open.  Idempotent. */
void efi_imgfs_uninstall(struct efi_imgfs *fs);

/** 1 when the initrd LoadFile2 handle is installed. */
int efi_imgfs_lf2_installed(const struct efi_imgfs *fs);

#endif
