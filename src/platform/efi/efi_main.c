/*
 * efi_main.c — the UEFI entry point.
 *
 * How this works:
 *   efi_main  remember the system table, disable the boot manager's
 *             watchdog (an interactive prompt may sit for longer than its
 *             5 minutes), set up clock, console, firmware facts and SNP
 *             links, register an ExitBootServices notification, then run
 *             the application: app_init, app_boot, app_fini.  On the way
 *             out every link is shut down and its protocol closed.
 *   EBS event if a loaded OS calls ExitBootServices while our links are
 *             still up (we may have chained to it), first log published
 *             SAN disks out (efi_san_ebs: iSCSI Logout over the still
 *             running NIC), then quiesce the NICs (see efi_snp_fini(1) for
 *             which firmware gets SNP Shutdown + Stop).
 *             Registered at TPL_CALLBACK: EDK2's SNP drivers raise the TPL
 *             to TPL_CALLBACK inside, and raising to a lower TPL than the
 *             current one is an error (an ASSERT in debug builds).
 *
 * Status conversion: the application returns 0 or a negative WB_E* code;
 * efi_status_from_rc() is the one place that maps it to an EFI_STATUS.
 */
#include "platform/platform.h"
#include "platform/efi/efi_plat.h"
#include "core/err.h"
#include "app/app.h"

struct efi_plat efi_plat;

static VOID EFIAPI efi_on_exit_boot_services(EFI_EVENT ev, VOID *ctx)
{
	(void)ev;
	(void)ctx;
	efi_san_ebs();
	efi_snp_fini(1);
	efi_plat.boot_services_gone = 1;
}

static EFI_STATUS efi_status_from_rc(int rc)
{
	if (rc < 0)
		rc = -rc;
	switch (rc) {
	case 0:
		return EFI_SUCCESS;
	case WB_ENOMEM:
		return EFI_OUT_OF_RESOURCES;
	case WB_EINVAL:
	case WB_EUSAGE:
	case WB_ESYNTAX:
	case WB_EBADVAL:
		return EFI_INVALID_PARAMETER;
	case WB_ETIMEDOUT:
	case WB_EDHCPTIMEOUT:
	case WB_ENTPTIMEOUT:
	case WB_EPINGTIMEOUT:
		return EFI_TIMEOUT;
	case WB_ECANCELED:
		return EFI_ABORTED;
	case WB_ENOTSUP:
		return EFI_UNSUPPORTED;
	case WB_ENODEV:
	case WB_ENOENT:
	case WB_ENOSETTING:
	case WB_EDNS:
		return EFI_NOT_FOUND;
	case WB_ELINK:
	case WB_ELINKDOWN:
		return EFI_DEVICE_ERROR;
	case WB_ECONNREFUSED:
	case WB_ECONNRESET:
	case WB_ECLOSED:
	case WB_EDHCPNAK:
	case WB_EDHCPBAD:
		return EFI_PROTOCOL_ERROR;
	default:
		return EFI_LOAD_ERROR;
	}
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_EVENT ebs_event = NULL;
	int rc;

	efi_plat.image = image;
	efi_plat.st = st;
	efi_plat.bs = st->BootServices;
	efi_plat.rs = st->RuntimeServices;
	efi_plat.boot_services_gone = 0;
	efi_plat.in_ebs = 0;
	efi_plat.wb_busy = 1;

	efi_plat.bs->SetWatchdogTimer(0, 0, 0, NULL);
	efi_console_init();
	efi_time_init();
	efi_misc_init();
	efi_snp_init();
	if (efi_plat.bs->CreateEvent(EVT_SIGNAL_EXIT_BOOT_SERVICES, TPL_CALLBACK, efi_on_exit_boot_services,
				     NULL, &ebs_event) != EFI_SUCCESS)
		ebs_event = NULL;

	rc = app_init();
	if (rc == 0)
		rc = app_boot();
	app_fini();   /* safe after a failed app_init */

	if (!efi_plat.boot_services_gone) {
		efi_snp_fini(0);
		if (ebs_event)
			efi_plat.bs->CloseEvent(ebs_event);
	}
	return efi_status_from_rc(rc);
}
