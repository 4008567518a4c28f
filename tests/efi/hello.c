/*
 * hello.c — a minimal EFI application for the image tests: prints a marker
 * and its load options (what `imgargs`/`chain URI ARGS` passed), then
 * returns to whoever started it (wireboot, whose script goes on).  When it
 * was loaded from a device (sanboot: LoadImage by device path), it also
 * says whether that device has a file system and whether its path goes
 * through an iSCSI node (UEFI 2.10 §10.3.4.21), which is what lets a boot
 * loader find its own volume, or through a URI node (§10.3.4.27, an
 * HTTP(S) SAN disk: "hello-efi-device: URI path <the node's text>").
 *
 * Started from a SAN disk (its path has the iSCSI or URI node), it then behaves like a boot
 * loader waiting in its menu: 15 s of CheckEvent(WaitForKey) + Stall, with no disk
 * I/O (wireboot's keep-alive timer must keep the iSCSI session going), and after that
 * reads \EFI\BOOT\DATA.BIN from its own volume and prints its size and a checksum
 * ("hello-efi-data: N bytes sum S": S = sum of all bytes, mod 2^32).
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

/* The Messaging/URI node of the device path @p, or NULL */
static const UINT8 *hello_dp_uri(const UINT8 *p)
{
	for (int guard = 0; p && p[0] != EFI_DP_TYPE_END && guard < 64; guard++) {
		UINTN len = (UINTN)p[2] | ((UINTN)p[3] << 8);

		if (p[0] == EFI_DP_TYPE_MESSAGING && p[1] == EFI_DP_SUB_URI)
			return p;
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

/* The menu-like wait, then DATA.BIN read through the volume we came from. */
static void hello_san(EFI_SYSTEM_TABLE *st, EFI_HANDLE dev)
{
	EFI_BOOT_SERVICES *bs = st->BootServices;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs = 0;
	EFI_FILE_PROTOCOL *root = 0, *f = 0;
	static UINT8 buf[65536];
	UINT32 sum = 0;
	UINT64 total = 0;
	CHAR16 line[80];
	UINTN n = 0;

	hello_puts(st, L"hello-efi-wait: 15 s without disk I/O\r\n");
	for (int i = 0; i < 1500; i++) {
		if (st->ConIn && st->ConIn->WaitForKey)
			bs->CheckEvent(st->ConIn->WaitForKey);
		bs->Stall(10000);
	}
	if (bs->HandleProtocol(dev, &hello_sfs_guid, (VOID **)&sfs) != EFI_SUCCESS ||
	    sfs->OpenVolume(sfs, &root) != EFI_SUCCESS ||
	    root->Open(root, &f, (CHAR16 *)L"\\EFI\\BOOT\\DATA.BIN", EFI_FILE_MODE_READ, 0) != EFI_SUCCESS) {
		hello_puts(st, L"hello-efi-data: cannot open DATA.BIN\r\n");
		return;
	}
	for (;;) {
		UINTN got = sizeof(buf);

		if (f->Read(f, &got, buf) != EFI_SUCCESS) {
			hello_puts(st, L"hello-efi-data: read error\r\n");
			f->Close(f);
			return;
		}
		if (!got)
			break;
		for (UINTN i = 0; i < got; i++)
			sum += buf[i];
		total += got;
	}
	f->Close(f);
	root->Close(root);
	{
		static const CHAR16 pfx[] = L"hello-efi-data: ";
		static const CHAR16 mid[] = L" bytes sum ";
		CHAR16 num[24];
		int k;

		for (UINTN i = 0; pfx[i]; i++)
			line[n++] = pfx[i];
		k = 0;
		do { num[k++] = (CHAR16)(L'0' + total % 10); total /= 10; } while (total);
		while (k)
			line[n++] = num[--k];
		for (UINTN i = 0; mid[i]; i++)
			line[n++] = mid[i];
		k = 0;
		do { num[k++] = (CHAR16)(L'0' + sum % 10); sum /= 10; } while (sum);
		while (k)
			line[n++] = num[--k];
		line[n++] = L'\r';
		line[n++] = L'\n';
		line[n] = 0;
	}
	hello_puts(st, line);
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
		    hello_dp_iscsi(dp)) {
			hello_puts(st, L"hello-efi-device: iSCSI path\r\n");
			hello_san(st, li->DeviceHandle);
		} else if (dp && hello_dp_uri(dp)) {
			const UINT8 *u = hello_dp_uri(dp);
			UINTN len = ((UINTN)u[2] | ((UINTN)u[3] << 8)) - 4, n = 0;
			static const CHAR16 pfx[] = L"hello-efi-device: URI path ";
			CHAR16 line[300];

			for (UINTN i = 0; pfx[i]; i++)
				line[n++] = pfx[i];
			for (UINTN i = 0; i < len && n < 290; i++)   /* bytes shown as they are */
				line[n++] = (u[4 + i] >= 0x20 && u[4 + i] < 0x7f) ? u[4 + i] : L'?';
			line[n++] = L'\r';
			line[n++] = L'\n';
			line[n] = 0;
			hello_puts(st, line);
			hello_san(st, li->DeviceHandle);
		}
	}
	hello_puts(st, L"hello-efi-marker: returning\r\n");
	return EFI_SUCCESS;
}
