/*
 * hello.c — a minimal EFI application for the image tests: prints a marker
 * and its load options (what `imgargs`/`chain URI ARGS` passed), then
 * returns to whoever started it (wireboot, whose script goes on).
 */
#include "platform/efi/efi.h"

static EFI_GUID hello_li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;

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
	hello_puts(st, L"hello-efi-marker: returning\r\n");
	return EFI_SUCCESS;
}
