/*
 * hello.c — a minimal EFI application for the image tests: prints a marker
 * and its load options (what `imgargs`/`chain URI ARGS` passed), then
 * returns to whoever started it (wireboot, whose script goes on).  When it
 * was loaded from a device (sanboot: LoadImage by device path), it also
 * says whether that device has a file system and whether its path goes
 * through an iSCSI node (UEFI 2.10 §10.3.4.21), which is what lets a boot
 * loader find its own volume.
 */
#include "platform/efi/efi.h"

static EFI_GUID hello_li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID hello_dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static EFI_GUID hello_sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

/* 1 if the device path @p has a Messaging/iSCSI node */
static int hello_dp_iscsi(const UINT8 *p)
{
	for (int guard = 0; p && p[0] != EFI_DP_TYPE_END && guard < 64; guard++) {
		UINTN len = (UINTN)p[2] | ((UINTN)p[3] << 8);

		if (p[0] == EFI_DP_TYPE_MESSAGING && p[1] == EFI_DP_SUB_ISCSI)
			return 1;
		if (len < 4)
			return 0;
		p += len;
	}
	return 0;
}

static void hello_puts(EFI_SYSTEM_TABLE *st, const CHAR16 *s)
{
	st->ConOut->OutputString(st->ConOut, (CHAR16 *)s);
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_LOADED_IMAGE_PROTOCOL *li = 0;
	CHAR16 line[160];
	UINTN n = 0;

	hello_puts(st, L"hello-efi-marker: started\r\n");
	if (st->BootServices->HandleProtocol(image, &hello_li_guid, (VOID **)&li) == EFI_SUCCESS &&
	    li->LoadOptions && li->LoadOptionsSize >= 2) {
		const CHAR16 *o = li->LoadOptions;
		static const CHAR16 pfx[] = L"hello-efi-args: ";

		for (UINTN i = 0; pfx[i]; i++)
			line[n++] = pfx[i];
		for (UINTN i = 0; i < li->LoadOptionsSize / 2 && o[i] && n < 150; i++)
			line[n++] = o[i];
		line[n++] = L'\r';
		line[n++] = L'\n';
		line[n] = 0;
		hello_puts(st, line);
	}
	if (li && li->DeviceHandle) {
		VOID *sfs = 0, *dp = 0;

		if (st->BootServices->HandleProtocol(li->DeviceHandle, &hello_sfs_guid, &sfs) == EFI_SUCCESS)
			hello_puts(st, L"hello-efi-device: file system\r\n");
		if (st->BootServices->HandleProtocol(li->DeviceHandle, &hello_dp_guid, &dp) == EFI_SUCCESS &&
		    hello_dp_iscsi(dp))
			hello_puts(st, L"hello-efi-device: iSCSI path\r\n");
	}
	hello_puts(st, L"hello-efi-marker: returning\r\n");
	return EFI_SUCCESS;
}
