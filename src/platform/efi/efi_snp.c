/*
 * efi_snp.c — links over the Simple Network Protocol (UEFI 2.10 §24.1).
 *
 * How this works:
 *   efi_snp_init()   LocateHandleBuffer(ByProtocol, SNP) (after connecting
 *                    all controllers if there is none yet).  EDK2 puts SNP on
 *                    the NIC and on PXE/IP children of the same NIC, so keep
 *                    the handles whose device path ends in a MAC node (or all
 *                    of them when none does).  Open each BY_DRIVER|EXCLUSIVE,
 *                    which makes EDK2 disconnect its own MNP/IP stack from the
 *                    NIC; fall back to GET_PROTOCOL, then HandleProtocol.
 *   plat_link_open   drive the SNP state machine to Initialized:
 *                      Stopped --Start--> Started --Initialize--> Initialized
 *                    An SNP found already Initialized is Shutdown() first:
 *                    U-Boot's own net commands can leave it marked
 *                    Initialized while the NIC is halted.
 *   plat_link_tx     reclaim finished buffers (GetStatus until TxBuf==NULL),
 *                    copy the frame into a free buffer of our pool, Transmit.
 *                    SNP owns a buffer from Transmit until GetStatus hands it
 *                    back, hence the pool.
 *   plat_link_rx     Receive into the caller's buffer.
 *   efi_snp_fini     Shutdown, Stop, CloseProtocol (from ExitBootServices:
 *                    only Shutdown and Stop, and only on U-Boot).
 *
 * Firmware quirks handled here (U-Boot 2023.01 unless said):
 *   - ReceiveFilters returns EFI_UNSUPPORTED; U-Boot delivers all frames.
 *   - PermanentAddress is all zeros: use CurrentAddress.
 *   - GetStatus returns only the most recent TxBuf (Transmit is synchronous,
 *     it copies the frame); earlier buffers are never returned, so on U-Boot
 *     a full pool is simply recycled.
 *   - Receive with a too-small buffer leaves the frame queued; we drain it
 *     into a scratch buffer or we would see it forever.
 *   - MaxPacketSize is 1522 (header included) on U-Boot, 1500 (payload) on
 *     EDK2: the MTU is derived accordingly.
 */
#include "platform/platform.h"
#include "platform/efi/efi_plat.h"
#include "core/err.h"

#include <string.h>

#define SNP_TX_SLOTS 32
#define SNP_TX_SLOT_SIZE 1536
#define SNP_RX_SCRATCH 2048
#define SNP_ETH_MIN 60           /* minimum frame without FCS: pad short ones */

struct plat_link {
	EFI_HANDLE handle;
	EFI_SIMPLE_NETWORK_PROTOCOL *snp;
	UINT32 open_attr;        /* OpenProtocol attributes used; 0 = HandleProtocol */
	int up;                  /* we brought it to Initialized */
	int index;
	char name[32];
	uint8_t *tx_pool;        /* SNP_TX_SLOTS * SNP_TX_SLOT_SIZE */
	uint8_t tx_busy[SNP_TX_SLOTS];
	unsigned tx_inflight;
	uint8_t *rx_scratch;     /* SNP_RX_SCRATCH */
};

static EFI_GUID snp_guid = EFI_SIMPLE_NETWORK_PROTOCOL_GUID;
static EFI_GUID snp_dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static struct plat_link *snp_links;
static int snp_count;

/* ---- device paths ----------------------------------------------------- */

static size_t snp_dp_len(const EFI_DEVICE_PATH_PROTOCOL *n)
{
	return (size_t)n->Length[0] | ((size_t)n->Length[1] << 8);
}

/*
 * Walk a device path; return its last node before the end node (NULL if
 * empty or malformed) and, through *pci, the last PCI node seen.
 */
static const EFI_DEVICE_PATH_PROTOCOL *snp_dp_last(const EFI_DEVICE_PATH_PROTOCOL *n,
						   const EFI_DP_PCI **pci)
{
	const EFI_DEVICE_PATH_PROTOCOL *last = NULL;
	int guard = 0;

	*pci = NULL;
	while (n && n->Type != EFI_DP_TYPE_END && guard++ < 64) {
		if (snp_dp_len(n) < 4)
			return NULL;
		if (n->Type == EFI_DP_TYPE_HARDWARE && n->SubType == EFI_DP_SUB_PCI &&
		    snp_dp_len(n) >= sizeof(EFI_DP_PCI))
			*pci = (const EFI_DP_PCI *)n;
		last = n;
		n = (const EFI_DEVICE_PATH_PROTOCOL *)((const uint8_t *)n + snp_dp_len(n));
	}
	return last;
}

static const EFI_DEVICE_PATH_PROTOCOL *snp_handle_dp(EFI_HANDLE h)
{
	VOID *dp = NULL;

	if (efi_plat.bs->HandleProtocol(h, &snp_dp_guid, &dp) != EFI_SUCCESS)
		return NULL;
	return dp;
}

static int snp_dp_is_mac(const EFI_DEVICE_PATH_PROTOCOL *n)
{
	return n && n->Type == EFI_DP_TYPE_MESSAGING && n->SubType == EFI_DP_SUB_MAC;
}

/* ---- names ------------------------------------------------------------ */

struct snp_str {
	char *buf;
	size_t cap, len;
};

static void snp_str_add(struct snp_str *s, const char *t)
{
	while (*t && s->len + 1 < s->cap)
		s->buf[s->len++] = *t++;
	s->buf[s->len] = 0;
}

static void snp_str_hex(struct snp_str *s, unsigned v, int digits)
{
	char t[9];
	int i;

	if (digits > 8)
		digits = 8;
	for (i = digits - 1; i >= 0; i--, v >>= 4)
		t[i] = "0123456789abcdef"[v & 0xf];
	t[digits] = 0;
	snp_str_add(s, t);
}

/* "Pci(0x3,0x0)/MAC(525400123456)", "MAC(...)" or "snp0": short enough for
 * plat_link_info.name[32] while still telling two NICs apart. */
static void snp_make_name(struct plat_link *l)
{
	struct snp_str s = { l->name, sizeof(l->name), 0 };
	const EFI_DP_PCI *pci;
	const EFI_DEVICE_PATH_PROTOCOL *last = snp_dp_last(snp_handle_dp(l->handle), &pci);
	EFI_SIMPLE_NETWORK_MODE *m = l->snp->Mode;
	unsigned i, hw;

	l->name[0] = 0;
	if (pci) {
		snp_str_add(&s, "Pci(0x");
		snp_str_hex(&s, pci->Device, pci->Device > 0xf ? 2 : 1);
		snp_str_add(&s, ",0x");
		snp_str_hex(&s, pci->Function, 1);
		snp_str_add(&s, ")/");
	}
	if (snp_dp_is_mac(last) && m) {
		hw = m->HwAddressSize ? m->HwAddressSize : 6;
		if (hw > 6)
			hw = 6;
		snp_str_add(&s, "MAC(");
		for (i = 0; i < hw; i++)
			snp_str_hex(&s, ((const EFI_DP_MAC *)last)->MacAddress.Addr[i], 2);
		snp_str_add(&s, ")");
	} else {
		s.len = 0;
		snp_str_add(&s, "snp");
		snp_str_hex(&s, (unsigned)l->index, 1);
	}
}

/* ---- init / fini ------------------------------------------------------ */

static int snp_open_handle(struct plat_link *l, EFI_HANDLE h)
{
	EFI_BOOT_SERVICES *bs = efi_plat.bs;
	VOID *iface = NULL;
	static const UINT32 tries[] = {
		EFI_OPEN_PROTOCOL_BY_DRIVER | EFI_OPEN_PROTOCOL_EXCLUSIVE,
		EFI_OPEN_PROTOCOL_GET_PROTOCOL,
	};
	unsigned i;

	l->handle = h;
	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		iface = NULL;
		if (bs->OpenProtocol(h, &snp_guid, &iface, efi_plat.image, h, tries[i]) == EFI_SUCCESS &&
		    iface) {
			l->open_attr = tries[i];
			l->snp = iface;
			return 0;
		}
	}
	if (bs->HandleProtocol(h, &snp_guid, &iface) == EFI_SUCCESS && iface) {
		l->open_attr = 0;
		l->snp = iface;
		return 0;
	}
	return -WB_ELINK;
}

/*
 * EDK2 connects only the devices its boot option needs (OVMF booting from a
 * disk leaves the NIC without a driver, so there is no SNP yet).  When no
 * SNP exists, connect every handle recursively once, as a boot manager's
 * "connect all" would.
 */
static void snp_connect_all(void)
{
	EFI_HANDLE *all = NULL;
	UINTN n = 0, i;

	if (efi_plat.bs->LocateHandleBuffer(AllHandles, NULL, NULL, &n, &all) != EFI_SUCCESS)
		return;
	for (i = 0; i < n; i++)
		efi_plat.bs->ConnectController(all[i], NULL, NULL, 1);
	efi_plat.bs->FreePool(all);
}

int efi_snp_init(void)
{
	EFI_BOOT_SERVICES *bs = efi_plat.bs;
	EFI_HANDLE *handles = NULL;
	UINTN n = 0, i;
	int mac_ended = 0;
	const EFI_DP_PCI *pci;

	snp_count = 0;
	if (bs->LocateHandleBuffer(ByProtocol, &snp_guid, NULL, &n, &handles) != EFI_SUCCESS || !n) {
		if (efi_plat.is_uboot)
			return 0;
		snp_connect_all();
		n = 0;
		handles = NULL;
		if (bs->LocateHandleBuffer(ByProtocol, &snp_guid, NULL, &n, &handles) != EFI_SUCCESS || !n)
			return 0;
	}
	for (i = 0; i < n; i++)
		if (snp_dp_is_mac(snp_dp_last(snp_handle_dp(handles[i]), &pci)))
			mac_ended++;
	snp_links = plat_malloc(sizeof(*snp_links) * n);
	if (!snp_links)
		goto out;
	memset(snp_links, 0, sizeof(*snp_links) * n);
	for (i = 0; i < n; i++) {
		struct plat_link *l = &snp_links[snp_count];

		if (mac_ended && !snp_dp_is_mac(snp_dp_last(snp_handle_dp(handles[i]), &pci)))
			continue;   /* an EDK2 PXE/IP child of a NIC we already have */
		memset(l, 0, sizeof(*l));
		l->index = snp_count;
		if (snp_open_handle(l, handles[i]) != 0 || !l->snp->Mode)
			continue;
		l->tx_pool = plat_malloc(SNP_TX_SLOTS * SNP_TX_SLOT_SIZE);
		l->rx_scratch = plat_malloc(SNP_RX_SCRATCH);
		if (!l->tx_pool || !l->rx_scratch) {
			plat_free(l->tx_pool);
			plat_free(l->rx_scratch);
			if (l->open_attr)
				bs->CloseProtocol(l->handle, &snp_guid, efi_plat.image, l->handle);
			continue;
		}
		snp_make_name(l);
		snp_count++;
	}
out:
	bs->FreePool(handles);
	return snp_count;
}

void efi_snp_fini(int from_ebs)
{
	int i;

	for (i = 0; i < snp_count; i++) {
		struct plat_link *l = &snp_links[i];

		if (from_ebs) {
			/* ExitBootServices notification: the NIC must stop DMA
			 * into memory the OS now owns, but a notification may
			 * not allocate or free memory (UEFI 2.10 §7.4), or the
			 * loader's memory map key goes stale.  U-Boot's SNP
			 * Shutdown/Stop only halt the device: call them.  EDK2's
			 * VirtioNetDxe frees its rings in Shutdown, and every
			 * EDK2 NIC driver quiesces itself from its own EBS
			 * event: leave the device to it. */
			if (l->up && efi_plat.is_uboot) {
				l->snp->Shutdown(l->snp);
				l->snp->Stop(l->snp);
			}
			l->up = 0;
			continue;
		}
		plat_link_close(l);
		if (l->open_attr) {
			efi_plat.bs->CloseProtocol(l->handle, &snp_guid, efi_plat.image, l->handle);
			/* Give the NIC back to EDK2's own network stack, which
			 * our EXCLUSIVE open disconnected.  (U-Boot has none.) */
			if ((l->open_attr & EFI_OPEN_PROTOCOL_BY_DRIVER) && !efi_plat.is_uboot)
				efi_plat.bs->ConnectController(l->handle, NULL, NULL, 1);
			l->open_attr = 0;
		}
		plat_free(l->tx_pool);
		plat_free(l->rx_scratch);
		l->tx_pool = NULL;
		l->rx_scratch = NULL;
	}
	if (!from_ebs) {
		plat_free(snp_links);
		snp_links = NULL;
		snp_count = 0;
	}
}

/* ---- platform.h: links ------------------------------------------------ */

int plat_link_count(void)
{
	return snp_count;
}

const EFI_DEVICE_PATH_PROTOCOL *efi_snp_link_dp(int i)
{
	if (i < 0 || i >= snp_count)
		return NULL;
	return snp_handle_dp(snp_links[i].handle);
}

struct plat_link *plat_link_get(int i)
{
	if (i < 0 || i >= snp_count)
		return NULL;
	return &snp_links[i];
}

static void snp_diag(struct plat_link *l, const char *what, EFI_STATUS st)
{
	efi_puts("efi: ");
	efi_puts(l->name);
	efi_puts(": ");
	efi_put_status(what, st);
}

int plat_link_open(struct plat_link *l)
{
	EFI_SIMPLE_NETWORK_PROTOCOL *snp;
	EFI_SIMPLE_NETWORK_MODE *m;
	EFI_STATUS st;
	UINT32 want;

	if (!l || efi_plat.boot_services_gone)
		return -WB_ENODEV;
	if (l->up)
		return 0;
	snp = l->snp;
	m = snp->Mode;
	if (m->State == EfiSimpleNetworkStopped) {
		st = snp->Start(snp);
		if (EFI_ERROR(st) && st != EFI_ALREADY_STARTED) {
			snp_diag(l, "SNP Start failed: ", st);
			return -WB_ELINK;
		}
	}
	if (m->State == EfiSimpleNetworkInitialized) {
		/* Someone else left it initialized (U-Boot: maybe with the NIC
		 * halted).  Re-initialize so the device is really running. */
		snp->Shutdown(snp);
	}
	st = snp->Initialize(snp, 0, 0);
	if (EFI_ERROR(st)) {
		snp_diag(l, "SNP Initialize failed: ", st);
		return -WB_ELINK;
	}
	want = EFI_SIMPLE_NETWORK_RECEIVE_UNICAST | EFI_SIMPLE_NETWORK_RECEIVE_BROADCAST;
	if (m->ReceiveFilterMask & EFI_SIMPLE_NETWORK_RECEIVE_PROMISCUOUS_MULTICAST)
		want |= EFI_SIMPLE_NETWORK_RECEIVE_PROMISCUOUS_MULTICAST;
	if (m->ReceiveFilterMask)
		want &= m->ReceiveFilterMask;
	/* U-Boot answers EFI_UNSUPPORTED and delivers everything: ignore. */
	(void)snp->ReceiveFilters(snp, want, 0, 0, 0, NULL);
	memset(l->tx_busy, 0, sizeof(l->tx_busy));
	l->tx_inflight = 0;
	l->up = 1;
	return 0;
}

void plat_link_close(struct plat_link *l)
{
	if (!l || !l->up)
		return;
	l->up = 0;
	if (efi_plat.boot_services_gone)
		return;
	l->snp->Shutdown(l->snp);
	l->snp->Stop(l->snp);
	memset(l->tx_busy, 0, sizeof(l->tx_busy));
	l->tx_inflight = 0;
}

void plat_link_info(struct plat_link *l, struct plat_link_info *out)
{
	EFI_SIMPLE_NETWORK_MODE *m = l->snp->Mode;
	uint32_t mtu = m->MaxPacketSize;
	unsigned i;

	memset(out, 0, sizeof(*out));
	memcpy(out->name, l->name, sizeof(out->name));
	for (i = 0; i < 6; i++)
		out->mac[i] = m->CurrentAddress.Addr[i];
	/* EDK2: payload size (1500); U-Boot: frame size incl. header (1522). */
	if (mtu > 1500)
		mtu = (mtu - 14 > 1500) ? 1500 : mtu - 14;
	if (mtu < 576)
		mtu = 1500;
	out->mtu = (uint16_t)mtu;
	out->media_present = m->MediaPresentSupported ? (m->MediaPresent ? 1 : 0) : -1;
}

/* Take back the buffers SNP has finished sending. */
static void snp_tx_reclaim(struct plat_link *l)
{
	unsigned guard, i;

	for (guard = 0; guard <= SNP_TX_SLOTS && l->tx_inflight; guard++) {
		VOID *done = NULL;
		EFI_STATUS st = l->snp->GetStatus(l->snp, NULL, &done);

		if (EFI_ERROR(st) || !done)
			break;
		i = (unsigned)(((uint8_t *)done - l->tx_pool) / SNP_TX_SLOT_SIZE);
		if ((uint8_t *)done >= l->tx_pool && i < SNP_TX_SLOTS &&
		    (uint8_t *)done == l->tx_pool + i * SNP_TX_SLOT_SIZE && l->tx_busy[i]) {
			l->tx_busy[i] = 0;
			l->tx_inflight--;
		}
	}
	if (l->tx_inflight >= SNP_TX_SLOTS && efi_plat.is_uboot) {
		/* U-Boot copies in Transmit and reports only the latest
		 * buffer: everything older is free already. */
		memset(l->tx_busy, 0, sizeof(l->tx_busy));
		l->tx_inflight = 0;
	}
}

int plat_link_tx(struct plat_link *l, const void *frame, size_t len)
{
	EFI_STATUS st;
	uint8_t *buf;
	unsigned i;

	if (!l || !l->up)
		return -WB_ENOTOPEN;
	if (efi_plat.boot_services_gone)
		return -WB_ELINK;
	if (len < 14 || len > SNP_TX_SLOT_SIZE)
		return -WB_EINVAL;
	snp_tx_reclaim(l);
	for (i = 0; i < SNP_TX_SLOTS && l->tx_busy[i]; i++)
		;
	if (i == SNP_TX_SLOTS)
		return -WB_EAGAIN;
	buf = l->tx_pool + i * SNP_TX_SLOT_SIZE;
	memcpy(buf, frame, len);
	if (len < SNP_ETH_MIN) {
		memset(buf + len, 0, SNP_ETH_MIN - len);
		len = SNP_ETH_MIN;
	}
	st = l->snp->Transmit(l->snp, 0, len, buf, NULL, NULL, NULL);
	if (st == EFI_SUCCESS) {
		l->tx_busy[i] = 1;
		l->tx_inflight++;
		return 0;
	}
	if (st == EFI_NOT_READY)
		return -WB_EAGAIN;   /* device queue full: the slot stays free */
	return -WB_ELINK;
}

int plat_link_rx(struct plat_link *l, void *buf, size_t cap)
{
	UINTN hdr = 0, n = cap;
	EFI_STATUS st;

	if (!l || !l->up)
		return -WB_ENOTOPEN;
	if (efi_plat.boot_services_gone)
		return -WB_ELINK;
	st = l->snp->Receive(l->snp, &hdr, &n, buf, NULL, NULL, NULL);
	if (st == EFI_SUCCESS)
		return n <= cap ? (int)n : 0;
	if (st == EFI_NOT_READY)
		return 0;
	if (st == EFI_BUFFER_TOO_SMALL) {
		/* Drain it (U-Boot keeps it queued otherwise).  If what comes
		 * out fits the caller after all, hand it over. */
		n = SNP_RX_SCRATCH;
		st = l->snp->Receive(l->snp, &hdr, &n, l->rx_scratch, NULL, NULL, NULL);
		if (st == EFI_SUCCESS && n <= cap) {
			memcpy(buf, l->rx_scratch, n);
			return (int)n;
		}
		if (st == EFI_BUFFER_TOO_SMALL && n > SNP_RX_SCRATCH) {
			void *big = plat_malloc(n);
			if (big) {
				l->snp->Receive(l->snp, &hdr, &n, big, NULL, NULL, NULL);
				plat_free(big);
			}
		}
		return 0;   /* oversized frame dropped */
	}
	return -WB_ELINK;
}
