/*
 * efi_image.c — plat_image_start(): run an EFI application held in memory
 * (UEFI 2.10 §7.4).  LoadImage gets the buffer and a device path naming it:
 * one Memory Mapped node (§10.3.2.3: type 1, subtype 3, EfiLoaderData,
 * start/end) and the End node.  The command line goes into the child's
 * LoadedImage LoadOptions as UCS-2, as firmware boot managers do.  When the
 * child returns (or calls Exit) the firmware unloads it and we are back.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
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

int plat_image_start(const void *data, size_t len, const char *cmdline, int *exit_status)
{
	struct efi_mem_path *dp;
	EFI_LOADED_IMAGE_PROTOCOL *li;
	EFI_HANDLE child = NULL;
	CHAR16 *opts = NULL;
	EFI_STATUS st;
	UINTN exit_size = 0;
	CHAR16 *exit_data = NULL;

	dp = plat_malloc(sizeof(*dp));
	if (!dp)
		return -WB_ENOMEM;
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
	st = efi_plat.bs->LoadImage(0, efi_plat.image, dp, (VOID *)data, len, &child);
	if (st == EFI_SECURITY_VIOLATION || st == EFI_ACCESS_DENIED) {
		/* UEFI 2.10 §7.4 LoadImage: the image failed the platform's security
		   policy (Secure Boot: no signature from db, or listed in dbx).  With
		   EFI_SECURITY_VIOLATION the image was loaded and a handle made anyway:
		   it must be unloaded, never started. */
		plat_free(dp);
		if (st == EFI_SECURITY_VIOLATION && child)
			efi_plat.bs->UnloadImage(child);
		wb_printf("image: the firmware's Secure Boot refused it (%s)\n",
			  st == EFI_SECURITY_VIOLATION ? "EFI_SECURITY_VIOLATION" : "EFI_ACCESS_DENIED");
		return -WB_ESECUREBOOT;
	}
	if (st != EFI_SUCCESS) {
		plat_free(dp);
		efi_put_status("LoadImage", st);
		return st == EFI_UNSUPPORTED || st == EFI_LOAD_ERROR ? -WB_EBADIMAGE : -WB_EIMAGESTART;
	}
	if (cmdline && *cmdline &&
	    efi_plat.bs->HandleProtocol(child, &image_loaded_guid, (VOID **)&li) == EFI_SUCCESS) {
		size_t n = strlen(cmdline);

		opts = plat_malloc((n + 1) * sizeof(CHAR16));
		if (opts) {
			for (size_t i = 0; i <= n; i++)
				opts[i] = (unsigned char)cmdline[i];
			li->LoadOptions = opts;
			li->LoadOptionsSize = (UINT32)((n + 1) * sizeof(CHAR16));
		}
	}
	st = efi_start_image(child, &exit_size, &exit_data);
	if (exit_data)
		efi_plat.bs->FreePool(exit_data);
	plat_free(opts);
	plat_free(dp);
	if (exit_status)
		*exit_status = st == EFI_SUCCESS ? 0 : 1;
	return 0;
}
