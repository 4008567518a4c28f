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
	/* Inside the ExitBootServices notification: memory services are off
	 * limits (UEFI 2.10 §7.4.6), so plat_malloc returns NULL and plat_free
	 * does nothing while SAN disks log out. */
	int in_ebs;
	/* > 0 while wireboot's own code runs (it starts at 1; StartImage of
	 * another program drops it, our Block IO entry points raise it).  The
	 * SAN keep-alive timer works only at 0, so it never re-enters lwIP or
	 * the iSCSI session under our feet. */
	int wb_busy;
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

/** Device path of link @i's SNP handle (NULL when the firmware gave none). */
const EFI_DEVICE_PATH_PROTOCOL *efi_snp_link_dp(int i);
/**
 * Read the whole file @name (CHAR16, '\\' separators) from @sfs.  @data is
 * plat_malloc'd, the caller frees it.  -WB_ENOENT, -WB_ENODEV, -WB_ETOOBIG.
 */
int efi_sfs_read(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs, const CHAR16 *name, uint8_t **data, size_t *len);
/** ExitBootServices: log every published SAN disk out (before the NICs stop). */
void efi_san_ebs(void);
/** StartImage with the SAN keep-alive timer allowed to run meanwhile. */
EFI_STATUS efi_start_image(EFI_HANDLE child, UINTN *exit_size, CHAR16 **exit_data);

/** Write an ASCII string (no formatting) — for platform diagnostics. */
void efi_puts(const char *s);
/** Same, followed by a hex number. */
void efi_put_status(const char *what, EFI_STATUS st);

#endif
