/*
 * efi_plat.h — shared state and helpers inside src/platform/efi only.
 *
 * The platform is a singleton by nature (one firmware, one image), so the
 * handles the firmware gave us live in one struct, set once by efi_main().
 */
#ifndef WB_EFI_PLAT_H
#define WB_EFI_PLAT_H

#include "platform/efi/efi.h"

struct efi_plat {
	EFI_HANDLE image;
	EFI_SYSTEM_TABLE *st;
	EFI_BOOT_SERVICES *bs;
	EFI_RUNTIME_SERVICES *rs;
	int is_uboot;          /* FirmwareVendor says U-Boot: quirks apply */
	int boot_services_gone; /* set by the ExitBootServices notification */
};
extern struct efi_plat efi_plat;

/** Console: nothing to set up beyond the system table; kept for symmetry. */
void efi_console_init(void);
/** Clock: calibrate the x86_64 TSC against Stall(); read CNTFRQ on arm64. */
void efi_time_init(void);
/** Firmware name, RNG protocol, load options (reads LoadedImage). */
void efi_misc_init(void);
/** Find the SNP handles and open them; returns the number of links. */
int efi_snp_init(void);
/** Close every link (Shutdown, Stop) and, unless @from_ebs, CloseProtocol. */
void efi_snp_fini(int from_ebs);

/** Write an ASCII string (no formatting) — for platform diagnostics. */
void efi_puts(const char *s);
/** Same, followed by a hex number. */
void efi_put_status(const char *what, EFI_STATUS st);

#endif
