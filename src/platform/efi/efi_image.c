/*
 * efi_image.c — plat_image_start(): run an EFI application held in memory
 * (UEFI 2.10 §7.4).  LoadImage gets the buffer and a device path naming it:
 * one Memory Mapped node (§10.3.2.3: type 1, subtype 3, EfiLoaderData,
 * start/end) and the End node.  That path is installed first on a handle of
 * its own together with a read-only file system of the fetched images, and
 * the initrd images get the Linux initrd LoadFile2 handle (efi_imgfs.c), so
 * the image's LoadedImage->DeviceHandle is that handle and a Linux EFI stub
 * finds its initrd either way.  The command line goes into the child's
 * LoadedImage LoadOptions as UCS-2, as firmware boot managers do.  When the
 * child returns (or calls Exit) the firmware unloads it, we withdraw both
 * handles and are back.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "platform/efi/efi_imgfs.h"
#include "platform/efi/efi_plat.h"
#include "platform/platform.h"

#pragma pack(1)
struct efi_mem_path {
	UINT8 type, subtype, len[2];
	UINT32 memory_type;
	UINT64 start, end;
	UINT8 end_type, end_subtype, end_len[2];
};
#pragma pack()

static EFI_GUID image_loaded_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;

/* What the console says about how the files reach the image. */
static void image_say_files(const struct efi_imgfs *fs, const struct plat_image_file *files,
			    size_t nfiles)
{
	size_t parts = 0;

	for (size_t i = 0; i < nfiles; i++)
		parts += files[i].initrd != 0;
	if (parts)
		wb_printf("image: initrd: %zu image%s, %zu bytes, %s\n", parts, parts == 1 ? "" : "s",
			  fs->initrd_len,
			  efi_imgfs_lf2_installed(fs) ? "by LoadFile2 and by name (initrd=)"
						      : "by name only (initrd=; LoadFile2 off)");
}

/* LoadImage refused it: say why and what to do (the error code's text says it too). */
static int image_load_failed(EFI_STATUS st)
{
	switch (st) {
	case EFI_SECURITY_VIOLATION:
	case EFI_ACCESS_DENIED:
		/* (what to do follows in WB_ESECUREBOOT's message; the Secure Boot test
		   matches this line as it is) */
		wb_printf("image: the firmware's Secure Boot refused it (%s)\n",
			  st == EFI_SECURITY_VIOLATION ? "EFI_SECURITY_VIOLATION" : "EFI_ACCESS_DENIED");
		return -WB_ESECUREBOOT;
	case EFI_UNSUPPORTED:
	case EFI_LOAD_ERROR:
	case EFI_INVALID_PARAMETER:
		/* (what to check follows in WB_EBADPE's message) */
		wb_printf("image: the firmware's LoadImage refused it as a PE image (%s)\n",
			  st == EFI_UNSUPPORTED ? "EFI_UNSUPPORTED: wrong CPU or subsystem?" :
			  st == EFI_LOAD_ERROR ? "EFI_LOAD_ERROR: not PE/COFF or damaged?" :
						 "EFI_INVALID_PARAMETER");
		return -WB_EBADPE;
	default:
		efi_put_status("LoadImage", st);
		return -WB_EIMAGESTART;
	}
}

int plat_image_start(const void *data, size_t len, const char *cmdline,
		     const struct plat_image_file *files, size_t nfiles, unsigned flags,
		     int *exit_status)
{
	struct efi_mem_path *dp;
	struct efi_imgfs *fs;
	EFI_LOADED_IMAGE_PROTOCOL *li;
	EFI_HANDLE child = NULL;
	CHAR16 *opts = NULL;
	EFI_STATUS st;
	UINTN exit_size = 0;
	CHAR16 *exit_data = NULL;
	int rc;

	dp = plat_malloc(sizeof(*dp));
	fs = plat_malloc(sizeof(*fs));
	if (!dp || !fs) {
		plat_free(dp);
		plat_free(fs);
		return -WB_ENOMEM;
	}
	memset(dp, 0, sizeof(*dp));
	dp->type = 1;
	dp->subtype = 3;
	dp->len[0] = 24;
	dp->memory_type = EfiLoaderData;
	dp->start = (UINT64)(uintptr_t)data;
	dp->end = (UINT64)(uintptr_t)data + len - 1;
	dp->end_type = 0x7f;
	dp->end_subtype = 0xff;
	dp->end_len[0] = 4;
	rc = efi_imgfs_install(fs, dp, files, nfiles, flags);
	if (rc) {
		plat_free(fs);
		plat_free(dp);
		return rc;
	}
	image_say_files(fs, files, nfiles);
	st = efi_plat.bs->LoadImage(0, efi_plat.image, dp, (VOID *)data, len, &child);
	if (st != EFI_SUCCESS) {
		/* UEFI 2.10 §7.4 LoadImage: with EFI_SECURITY_VIOLATION the image was
		   loaded and a handle made anyway: it must be unloaded, never started. */
		if (st == EFI_SECURITY_VIOLATION && child)
			efi_plat.bs->UnloadImage(child);
		efi_imgfs_uninstall(fs);
		plat_free(fs);
		plat_free(dp);
		return image_load_failed(st);
	}
	if (efi_plat.bs->HandleProtocol(child, &image_loaded_guid, (VOID **)&li) == EFI_SUCCESS) {
		/* EDK2 finds our handle by the device path; say it for firmware that
		   does not (loaders open the file system on DeviceHandle) */
		li->DeviceHandle = fs->fs_handle;
		if (cmdline && *cmdline) {
			size_t n = strlen(cmdline);

			opts = plat_malloc((n + 1) * sizeof(CHAR16));
			if (opts) {
				for (size_t i = 0; i <= n; i++)
					opts[i] = (unsigned char)cmdline[i];
				li->LoadOptions = opts;
				li->LoadOptionsSize = (UINT32)((n + 1) * sizeof(CHAR16));
			}
		}
	}
	st = efi_start_image(child, &exit_size, &exit_data);
	if (exit_data)
		efi_plat.bs->FreePool(exit_data);
	efi_imgfs_uninstall(fs);   /* a second `boot` installs them afresh */
	plat_free(fs);
	plat_free(opts);
	plat_free(dp);
	if (exit_status)
		*exit_status = st == EFI_SUCCESS ? 0 : 1;
	return 0;
}
