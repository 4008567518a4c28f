/*
 * efi_misc.c — identity, memory, entropy, load options and the per-firmware
 * TCP window default.
 *
 * Everything that asks the firmware is looked up once in efi_misc_init() and
 * kept in static storage: the values do not change while we run.
 */
#include "platform/platform.h"
#include "platform/efi/efi_plat.h"
#include "core/err.h"

static char misc_vendor[48];
static char misc_options[1024];
static EFI_RNG_PROTOCOL *misc_rng;

/*
 * TCP receive window per firmware (the one place these numbers live; the
 * analysis is docs/dev/uboot-virtio-wedge.md):
 * - U-Boot: its EFI SNP (lib/efi_loader/efi_net.c) fetches frames from the
 *   driver only when its own 32-frame queue is empty, and then at most 32
 *   (eth_rx(), ETH_PACKETS_BATCH_RECV); virtio-net posts 32 receive buffers
 *   (VIRTIO_NET_NUM_RX_BUFS).  Whatever the sender has in flight beyond 32
 *   frames between two of those fetches finds no buffer.  On virtio-net before
 *   U-Boot 2025.10 that is fatal: the driver gives buffers back to the ring
 *   without notifying the device (free_pkt without virtqueue_kick, fixed by
 *   upstream commit d1b4bfc9844), and QEMU, once it found the ring empty,
 *   waits for that notification for ever -- the NIC is wedged.  A window of
 *   MISC_TCP_WINDOW_UBOOT_MSS full segments is at most that many frames in
 *   flight, which leaves room in the 32 for ARP, ACKs of other connections
 *   and broadcasts.  Measured with tests/qemu/uboot-arm64-tcp.sh (8 MiB, two
 *   connections, kernel-default sender; QEMU TCG): 6, 12, 16, 24 and 30
 *   segments complete; 44 (64240 bytes) wedged in one of two runs, 179
 *   (256 KiB) in every run (tests/qemu/uboot-arm64-tcp-wedge.sh).
 * - EDK2: VirtioNetDxe / the UNDI drivers buffer generously and the device
 *   keeps its own ring; a large window gives full speed.
 */
#define MISC_TCP_MSS 1460u
#define MISC_TCP_WINDOW_UBOOT_MSS 24u
#define MISC_TCP_WINDOW_UBOOT (MISC_TCP_WINDOW_UBOOT_MSS * MISC_TCP_MSS)
/* U-Boot's EFI FirmwareRevision is 0xYYYYMM00, the release's digits read as
 * hex (lib/efi_loader/Makefile: -DFW_VERSION=0x$(VERSION); 2023.01 reports
 * 0x20230100); the virtio-net kick fix is in 2025.10. */
#define MISC_UBOOT_VIRTIO_FIXED 0x20251000u
#define MISC_TCP_WINDOW_EDK2 (256u * 1024u)

/* ---- identity --------------------------------------------------------- */

const char *plat_name(void)
{
	return "efi";
}

const char *plat_arch(void)
{
#if defined(__aarch64__)
	return "arm64";
#elif defined(__x86_64__)
	return "x86_64";
#else
#error "efi_misc.c: unsupported architecture"
#endif
}

uint16_t plat_dhcp_arch(void)
{
	/* RFC 4578 §2.1 / IANA "Processor Architecture Types" */
#if defined(__aarch64__)
	return 0x000b;   /* ARM 64-bit UEFI */
#else
	return 0x0007;   /* x64 UEFI */
#endif
}

const char *plat_firmware(void)
{
	return misc_vendor;
}

uint32_t plat_tcp_window_default(void)
{
	return efi_plat.is_uboot ? MISC_TCP_WINDOW_UBOOT : MISC_TCP_WINDOW_EDK2;
}

const char *plat_link_stall_hint(void)
{
	if (!efi_plat.is_uboot || efi_plat.st->FirmwareRevision >= MISC_UBOOT_VIRTIO_FIXED)
		return "";
	return "; on this U-Boot (before 2025.10) a virtio-net NIC stops receiving for good"
	       " once more than 32 frames arrive between two polls (a smaller tcp-window avoids it)";
}

/* ---- memory ----------------------------------------------------------- */

void *plat_malloc(size_t n)
{
	VOID *p = NULL;

	if (efi_plat.boot_services_gone || efi_plat.in_ebs)
		return NULL;
	/* AllocatePool aligns to 8 bytes, enough for every type we use. */
	if (efi_plat.bs->AllocatePool(EfiLoaderData, n ? n : 1, &p) != EFI_SUCCESS)
		return NULL;
	return p;
}

void plat_free(void *p)
{
	if (p && !efi_plat.boot_services_gone && !efi_plat.in_ebs)
		efi_plat.bs->FreePool(p);
}

/* ---- entropy ---------------------------------------------------------- */

int plat_entropy(void *buf, size_t len)
{
	if (!misc_rng || efi_plat.boot_services_gone)
		return -WB_ENOENTROPY;
	if (len == 0)
		return 0;
	/* NULL algorithm: the driver's default (UEFI 2.10 §37.5.2). */
	if (misc_rng->GetRNG(misc_rng, NULL, len, buf) != EFI_SUCCESS)
		return -WB_ENOENTROPY;
	return 0;
}

const char *plat_entropy_source(void)
{
	return misc_rng ? "EFI_RNG_PROTOCOL" : NULL;
}

/* ---- load options ----------------------------------------------------- */

const char *plat_load_options(void)
{
	return misc_options;
}

/*
 * LoadOptions is a CHAR16 string for U-Boot (its `bootargs`) and for the
 * EDK2 shell (the whole command line, image path first), but binary data
 * for EDK2 boot manager entries (e.g. a 16-byte GUID in auto-created
 * options).  Accept only printable text; drop a leading "*.efi" word.
 */
static void misc_load_options_init(void)
{
	static EFI_GUID lip_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE_PROTOCOL *li = NULL;
	const CHAR16 *w;
	size_t n, i, k = 0, first_end, start = 0;

	misc_options[0] = 0;
	if (efi_plat.bs->HandleProtocol(efi_plat.image, &lip_guid, (VOID **)&li) != EFI_SUCCESS || !li)
		return;
	if (!li->LoadOptions || li->LoadOptionsSize < 2 || (li->LoadOptionsSize & 1))
		return;
	w = li->LoadOptions;
	n = li->LoadOptionsSize / 2;
	for (i = 0; i < n && w[i]; i++) {
		CHAR16 c = w[i];
		if (c == '\t' || c == '\r')
			c = ' ';
		if ((c < 0x20 && c != '\n') || c > 0x7e)
			return;   /* not text: a boot manager's binary OptionalData */
		if (k + 1 >= sizeof(misc_options))
			break;
		misc_options[k++] = (char)c;
	}
	misc_options[k] = 0;

	/* Skip leading blanks, then a first word ending in ".efi". */
	while (misc_options[start] == ' ')
		start++;
	for (first_end = start; misc_options[first_end] && misc_options[first_end] != ' ' &&
				misc_options[first_end] != '\n';
	     first_end++)
		;
	if (first_end - start >= 4) {
		const char *e = misc_options + first_end - 4;
		if (e[0] == '.' && (e[1] | 0x20) == 'e' && (e[2] | 0x20) == 'f' && (e[3] | 0x20) == 'i')
			start = first_end;
	}
	while (misc_options[start] == ' ')
		start++;
	for (i = 0; misc_options[start + i]; i++)
		misc_options[i] = misc_options[start + i];
	misc_options[i] = 0;
	/* Trailing blanks. */
	while (i > 0 && (misc_options[i - 1] == ' ' || misc_options[i - 1] == '\n'))
		misc_options[--i] = 0;
}

/* ---- init ------------------------------------------------------------- */

static void misc_vendor_init(void)
{
	const CHAR16 *v = efi_plat.st->FirmwareVendor;
	size_t i, k = 0;

	if (!v) {
		misc_vendor[0] = 0;
		return;
	}
	for (i = 0; v[i] && k + 1 < sizeof(misc_vendor); i++)
		misc_vendor[k++] = (v[i] >= 0x20 && v[i] < 0x7f) ? (char)v[i] : '?';
	misc_vendor[k] = 0;
	/* U-Boot calls itself "Das U-Boot"; the core expects "U-Boot". */
	for (i = 0; misc_vendor[i]; i++) {
		const char *u = "U-Boot";
		size_t j = 0;
		while (u[j] && misc_vendor[i + j] == u[j])
			j++;
		if (!u[j]) {
			efi_plat.is_uboot = 1;
			break;
		}
	}
	if (efi_plat.is_uboot) {
		const char *u = "U-Boot";
		for (k = 0; u[k]; k++)
			misc_vendor[k] = u[k];
		misc_vendor[k] = 0;
	}
}

void efi_misc_init(void)
{
	static EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;
	VOID *p = NULL;

	misc_vendor_init();
	if (efi_plat.bs->LocateProtocol(&rng_guid, NULL, &p) == EFI_SUCCESS && p)
		misc_rng = p;
	misc_load_options_init();
}
