/*
 * net.c — interfaces over platform links, the poll loop, DNS, ping, SNTP.
 *
 *   plat_link_rx ──▶ net_poll ──▶ [tag 0x8100? → VLAN child, tag removed]
 *                                 └─▶ lwIP ethernet_input (ARP, IPv4, …)
 *   lwIP linkoutput ──▶ [VLAN: insert tag, send on parent] ──▶ plat_link_tx
 *
 * The firmware gives us no interrupts (U-Boot has none), so every wait in
 * wireboot is a loop around net_poll().  net_poll() drains each open link
 * completely before lwIP's timers run, so that a firmware receive ring never
 * fills while we are busy elsewhere.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settings.h"
#include "core/util.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/inet_chksum.h"
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/pbuf.h"
#include "lwip/prot/icmp.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "net/net_priv.h"
#include "net/ntp_msg.h"
#include "netif/ethernet.h"
#include "platform/platform.h"

/* lwIP's run-time window (see lwipopts.h) */
unsigned int wb_lwip_tcp_wnd = 0x10000, wb_lwip_tcp_wnd_set = 1;

/* ---- lwIP port hooks -------------------------------------------------- */

uint32_t sys_now(void)
{
	return (uint32_t)plat_ms();
}

/* xorshift stirred with platform entropy when there is some: used only for
 * lwIP's first local port and DHCP xids (ISNs: tcp_isn.c), never for secrets. */
static uint64_t net_rand_state;

uint32_t net_random32(void)
{
	if (!net_rand_state) {
		uint64_t seed = 0;

		if (plat_entropy(&seed, sizeof(seed)))
			seed = plat_ms() * 0x9E3779B97F4A7C15ull;
		net_rand_state = seed | 1;
	}
	net_rand_state ^= net_rand_state << 13;
	net_rand_state ^= net_rand_state >> 7;
	net_rand_state ^= net_rand_state << 17;
	return (uint32_t)(net_rand_state >> 16);
}

uint32_t wb_lwip_rand(void)
{
	return net_random32();
}

void wb_lwip_assert(const char *msg, const char *file, int line)
{
	wb_printf("lwIP assertion failed: %s (%s:%d)\n", msg, file, line);
}

/* ---- link glue -------------------------------------------------------- */

int net_prof_on;
struct net_prof net_prof_now;
uint64_t net_prof_tx_nested;   /* t_tx spent inside the part being timed */

static int net_link_send(struct net_if *phys, const uint8_t *frame, size_t len)
{
	uint64_t start = plat_ms(), t0 = net_prof_on ? plat_ticks() : 0;
	int rc;

	/* The transmit ring recycles as the NIC completes; wait briefly. */
	while ((rc = plat_link_tx(phys->link, frame, len)) == -WB_EAGAIN) {
		phys->cnt.tx_busy++;
		if (plat_ms() - start > 50)
			break;
	}
	if (net_prof_on) {
		uint64_t t = plat_ticks() - t0;

		net_prof_now.t_tx += t;
		net_prof_now.tx_frames++;
		net_prof_tx_nested += t;
	}
	return rc;
}

/* Send the held ACKs in @mask (ascending slots: the order they were held in per connection). */
static void net_ackq_send(struct net_if *phys, unsigned mask)
{
	for (unsigned i = 0; mask; i++, mask >>= 1) {
		const uint8_t *f;
		size_t n;

		if (!(mask & 1))
			continue;
		f = ackq_take(&phys->ackq, i, &n);
		if (f && phys->open && net_link_send(phys, f, n))
			phys->cnt.tx_errors++;
	}
}

/* One frame out on @phys, through the ACK queue when coalescing is on. */
static int net_link_out(struct net_if *phys, const uint8_t *frame, size_t len)
{
	unsigned flush = 0;
	uint64_t replaced = phys->ackq.replaced;
	int r = ACKQ_SEND;

	if (phys->net->ack_coalesce)
		r = ackq_offer(&phys->ackq, frame, len, &flush);
	else
		flush = ackq_pending(&phys->ackq);
	net_ackq_send(phys, flush);
	phys->cnt.tx_acks_merged += phys->ackq.replaced - replaced;
	return r == ACKQ_HELD ? 0 : net_link_send(phys, frame, len);
}

static err_t net_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct net_if *nif = netif->state;
	struct net_if *phys = nif->parent ? nif->parent : nif;
	uint8_t frame[NET_FRAME_MAX];
	size_t len = p->tot_len, off = 0;
	int rc;

	if (len < 14 || len + (nif->parent ? 4 : 0) > sizeof(frame)) {
		nif->cnt.tx_errors++;
		return ERR_BUF;
	}
	if (nif->parent) {   /* IEEE 802.1Q: TPID 0x8100, TCI = priority 0, VID */
		pbuf_copy_partial(p, frame, 12, 0);
		wb_put16(frame + 12, 0x8100);
		wb_put16(frame + 14, (uint16_t)nif->vlan_tag);
		pbuf_copy_partial(p, frame + 16, (u16_t)(len - 12), 12);
		len += 4;
	} else {
		pbuf_copy_partial(p, frame, (u16_t)len, off);
	}
	while (len < 60)       /* minimum Ethernet frame, some NICs do not pad */
		frame[len++] = 0;
	rc = phys->open ? net_link_out(phys, frame, len) : -WB_ENOTOPEN;
	if (rc) {
		nif->cnt.tx_errors++;
		return ERR_IF;
	}
	nif->cnt.tx_frames++;
	nif->cnt.tx_bytes += len;
	return ERR_OK;
}

static err_t net_netif_init(struct netif *netif)
{
	struct net_if *nif = netif->state;

	netif->name[0] = 'w';
	netif->name[1] = 'b';
	netif->hwaddr_len = 6;
	memcpy(netif->hwaddr, nif->mac, 6);
	netif->mtu = 1500;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	netif->output = etharp_output;
	netif->linkoutput = net_linkoutput;
	return ERR_OK;
}

static int net_if_add(struct net_ctx *net, struct net_if *nif)
{
	char mac[18];
	int rc;

	if (net->nifs == NET_MAX_IFS)
		return -WB_ETOOBIG;
	nif->net = net;
	if (!netif_add(&nif->netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, nif,
		       net_netif_init, ethernet_input))
		return -WB_ENOMEM;
	rc = settings_scope_add(net->settings, nif->name);
	if (rc) {
		netif_remove(&nif->netif);
		return rc;
	}
	settings_set_in(net->settings, nif->name, "mac", wb_fmt_mac(nif->mac, mac));
	net->ifs[net->nifs++] = nif;
	return 0;
}

int net_create(struct settings_ctx *settings, struct net_ctx **out)
{
	struct net_ctx *net = plat_malloc(sizeof(*net));

	if (!net)
		return -WB_ENOMEM;
	memset(net, 0, sizeof(*net));
	net->settings = settings;
	lwip_init();
	net_set_tcp_window(net, plat_tcp_window_default());
	net->ack_coalesce = 1;
	for (int i = 0; i < plat_link_count(); i++) {
		struct net_if *nif = plat_malloc(sizeof(*nif));
		struct plat_link_info info;
		int rc;

		if (!nif)
			return -WB_ENOMEM;
		memset(nif, 0, sizeof(*nif));
		nif->link = plat_link_get(i);
		plat_link_info(nif->link, &info);
		memcpy(nif->mac, info.mac, 6);
		wb_snprintf(nif->name, sizeof(nif->name), "net%d", i);
		rc = net_if_add(net, nif);
		if (rc) {
			plat_free(nif);
			net_destroy(net);
			return rc;
		}
	}
	*out = net;
	return 0;
}

static void net_if_remove(struct net_ctx *net, struct net_if *nif)
{
	int i;

	net_if_close(net, nif);
	netif_remove(&nif->netif);
	settings_scope_remove(net->settings, nif->name);
	for (i = 0; i < net->nifs && net->ifs[i] != nif; i++)
		;
	for (; i + 1 < net->nifs; i++)
		net->ifs[i] = net->ifs[i + 1];
	net->nifs--;
	plat_free(nif);
}

void net_destroy(struct net_ctx *net)
{
	if (!net)
		return;
	/* VLANs first: they sit on their parents */
	for (int i = net->nifs - 1; i >= 0; i--)
		if (net->ifs[i]->parent)
			net_if_remove(net, net->ifs[i]);
	while (net->nifs)
		net_if_remove(net, net->ifs[net->nifs - 1]);
	plat_free(net);
}

/* Hand one received frame to lwIP on @nif (copied into a pbuf). */
static void net_input(struct net_if *nif, const uint8_t *frame, size_t len)
{
	struct pbuf *p;

	if (!nif->open) {
		nif->cnt.rx_dropped++;
		return;
	}
	uint64_t t0 = net_prof_on ? plat_ticks() : 0, t1;

	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		nif->cnt.rx_dropped++;
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	nif->cnt.rx_frames++;
	nif->cnt.rx_bytes += len;
	if (net_prof_on) {
		t1 = plat_ticks();
		net_prof_now.t_pbuf += t1 - t0;
		net_prof_tx_nested = 0;
	}
	if (nif->netif.input(p, &nif->netif) != ERR_OK)
		pbuf_free(p);
	if (net_prof_on)
		net_prof_now.t_input += plat_ticks() - t1 - net_prof_tx_nested;
}

static void net_rx_frame(struct net_ctx *net, struct net_if *phys, uint8_t *frame, size_t len)
{
	if (len >= 18 && wb_get16(frame + 12) == 0x8100) {
		unsigned tag = wb_get16(frame + 14) & 0x0fff;

		for (int i = 0; i < net->nifs; i++) {
			struct net_if *v = net->ifs[i];

			if (v->parent == phys && v->vlan_tag == tag) {
				memmove(frame + 4, frame, 12);
				net_input(v, frame + 4, len - 4);
				return;
			}
		}
		phys->cnt.rx_vlan_unknown++;
		return;
	}
	net_input(phys, frame, len);
}

void net_poll(struct net_ctx *net)
{
	int prof = net_prof_on, got = 0;
	uint64_t t0 = 0, t1;

	/* what was held since the last poll goes out first (net/ackq.h) */
	for (int i = 0; i < net->nifs; i++) {
		struct net_if *nif = net->ifs[i];
		unsigned held = ackq_pending(&nif->ackq);

		if (held)
			net_ackq_send(nif, held);
	}
	for (int i = 0; i < net->nifs; i++) {
		struct net_if *nif = net->ifs[i];
		int budget = 256;

		if (!nif->link || !nif->open)
			continue;
		while (budget--) {
			int n;

			if (prof)
				t0 = plat_ticks();
			n = plat_link_rx(nif->link, net->rxbuf, NET_FRAME_MAX);
			if (prof) {
				t1 = plat_ticks();
				if (n > 0) {
					net_prof_now.t_rx_frame += t1 - t0;
					net_prof_now.rx_frames++;
				} else {
					net_prof_now.t_rx_empty += t1 - t0;
				}
			}
			if (n <= 0) {
				if (n < 0)
					nif->cnt.rx_dropped++;
				break;
			}
			got = 1;
			net_rx_frame(net, nif, net->rxbuf, (size_t)n);
		}
	}
	if (prof) {
		net_prof_now.polls++;
		net_prof_now.empty_polls += !got;
		net_prof_tx_nested = 0;
		t0 = plat_ticks();
	}
	sys_check_timeouts();
	if (prof)
		net_prof_now.t_timers += plat_ticks() - t0 - net_prof_tx_nested;
}

void net_set_ack_coalesce(struct net_ctx *net, int on)
{
	net->ack_coalesce = on ? 1 : 0;
}

void net_prof_start(struct net_ctx *net)
{
	memset(&net_prof_now, 0, sizeof(net_prof_now));
	net->prof_start = plat_ticks();
	net_prof_on = 1;
}

void net_prof_stop(struct net_ctx *net, struct net_prof *out)
{
	net_prof_on = 0;
	net_prof_now.ticks = plat_ticks() - net->prof_start;
	*out = net_prof_now;
}

void net_set_cancel(struct net_ctx *net, net_cancel_fn fn)
{
	net->cancel = fn;
}

net_cancel_fn net_get_cancel(const struct net_ctx *net)
{
	return net->cancel;
}

int net_wait(struct net_ctx *net, int (*done)(void *arg), void *arg, uint32_t timeout_ms)
{
	uint64_t start = plat_ms();

	for (;;) {
		net_poll(net);
		if (done(arg))
			return 0;
		if (net->cancel && net->cancel())
			return -WB_ECANCELED;
		if (plat_ms() - start >= timeout_ms)
			return -WB_ETIMEDOUT;
	}
}

/* ---- interface queries ------------------------------------------------ */

int net_count(const struct net_ctx *net) { return net->nifs; }

struct net_if *net_get(struct net_ctx *net, int i)
{
	return i >= 0 && i < net->nifs ? net->ifs[i] : NULL;
}

struct net_if *net_find(struct net_ctx *net, const char *name)
{
	for (int i = 0; i < net->nifs; i++)
		if (!strcmp(net->ifs[i]->name, name))
			return net->ifs[i];
	return NULL;
}

struct net_if *net_first_open(struct net_ctx *net)
{
	for (int i = 0; i < net->nifs; i++)
		if (net->ifs[i]->open)
			return net->ifs[i];
	return NULL;
}

struct net_if *net_route(struct net_ctx *net, const uint8_t ip[4])
{
	ip4_addr_t dst;
	struct netif *nf;

	memcpy(&dst.addr, ip, 4);
	nf = ip4_route(&dst);   /* lwIP's own choice: same subnet, else the default */
	for (int i = 0; i < net->nifs; i++)
		if (nf && &net->ifs[i]->netif == nf)
			return net->ifs[i];
	return net_first_open(net);
}

int net_if_link_index(const struct net_if *nif)
{
	const struct net_if *phys = nif->parent ? nif->parent : nif;

	for (int i = 0; i < plat_link_count(); i++)
		if (plat_link_get(i) == phys->link)
			return i;
	return -1;
}

const char *net_if_name(const struct net_if *nif) { return nif->name; }
int net_if_is_open(const struct net_if *nif) { return nif->open; }
unsigned net_if_vlan_tag(const struct net_if *nif) { return nif->vlan_tag; }
void net_if_mac(const struct net_if *nif, uint8_t mac[6]) { memcpy(mac, nif->mac, 6); }
void net_if_counters(const struct net_if *nif, struct net_counters *out) { *out = nif->cnt; }
struct settings_ctx *net_settings(struct net_ctx *net) { return net->settings; }

int net_if_link_state(const struct net_if *nif)
{
	struct plat_link_info info;
	const struct net_if *phys = nif->parent ? nif->parent : nif;

	plat_link_info(phys->link, &info);
	return info.media_present;
}

void net_if_addr(const struct net_if *nif, uint8_t ip[4], uint8_t mask[4], uint8_t gw[4])
{
	memcpy(ip, &netif_ip4_addr(&nif->netif)->addr, 4);
	memcpy(mask, &netif_ip4_netmask(&nif->netif)->addr, 4);
	memcpy(gw, &netif_ip4_gw(&nif->netif)->addr, 4);
}

/* ---- open / close / configure ----------------------------------------- */

int net_if_open(struct net_ctx *net, struct net_if *nif)
{
	int rc;

	if (nif->open)
		return 0;
	if (nif->parent) {
		rc = net_if_open(net, nif->parent);
		if (rc)
			return rc;
	} else {
		rc = plat_link_open(nif->link);
		if (rc)
			return rc;
	}
	nif->open = 1;
	netif_set_up(&nif->netif);
	netif_set_link_up(&nif->netif);
	settings_scope_open(net->settings, nif->name, 1);
	return 0;
}

void net_if_close(struct net_ctx *net, struct net_if *nif)
{
	if (!nif->open)
		return;
	/* a physical link goes down only when no open VLAN uses it */
	for (int i = 0; i < net->nifs; i++)
		if (net->ifs[i]->parent == nif && net->ifs[i]->open)
			net_if_close(net, net->ifs[i]);
	netif_set_link_down(&nif->netif);
	netif_set_down(&nif->netif);
	netif_set_addr(&nif->netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
	if (nif->link)
		plat_link_close(nif->link);
	nif->open = 0;
	if (nif->dhcp_lease)
		net_dhcp_drop_lease(nif);   /* the lease ends with the interface */
	settings_scope_open(net->settings, nif->name, 0);
	net_update_default(net);
}

void net_update_default(struct net_ctx *net)
{
	struct netif *def = NULL;

	for (int i = 0; i < net->nifs && !def; i++) {
		struct net_if *nif = net->ifs[i];

		if (nif->open && !ip4_addr_isany_val(*netif_ip4_addr(&nif->netif)) &&
		    !ip4_addr_isany_val(*netif_ip4_gw(&nif->netif)))
			def = &nif->netif;
	}
	for (int i = 0; i < net->nifs && !def; i++)
		if (net->ifs[i]->open && !ip4_addr_isany_val(*netif_ip4_addr(&net->ifs[i]->netif)))
			def = &net->ifs[i]->netif;
	netif_set_default(def);
}

static int net_get_ip_setting(struct net_ctx *net, const struct net_if *nif, const char *name,
			      uint8_t out[4])
{
	char full[64];
	const char *v;

	wb_snprintf(full, sizeof(full), "%s/%s", nif->name, name);
	v = settings_get(net->settings, full, NULL);
	if (!v)
		return -WB_ENOSETTING;
	return wb_parse_ipv4(v, out);
}

int net_if_configure_static(struct net_ctx *net, struct net_if *nif)
{
	uint8_t ip[4], mask[4] = { 255, 255, 255, 0 }, gw[4] = { 0 }, dns[4];
	ip4_addr_t a, m, g;
	int rc;

	if (net_get_ip_setting(net, nif, "ip", ip))
		return -WB_EBADVAL;
	net_get_ip_setting(net, nif, "netmask", mask);
	net_get_ip_setting(net, nif, "gateway", gw);
	rc = net_if_open(net, nif);
	if (rc)
		return rc;
	memcpy(&a.addr, ip, 4);
	memcpy(&m.addr, mask, 4);
	memcpy(&g.addr, gw, 4);
	netif_set_addr(&nif->netif, &a, &m, &g);
	if (!net_get_ip_setting(net, nif, "dns", dns)) {
		ip_addr_t d;

		IP_ADDR4(&d, dns[0], dns[1], dns[2], dns[3]);
		dns_setserver(0, &d);
	}
	net_update_default(net);
	return 0;
}

/* ---- VLAN ------------------------------------------------------------- */

int net_vlan_create(struct net_ctx *net, struct net_if *parent, unsigned tag,
		    struct net_if **out)
{
	struct net_if *nif;
	char name[24];
	int rc;

	if (parent->parent)
		return -WB_EINVAL;      /* no VLAN over VLAN (802.1ad is not supported) */
	if (tag < 1 || tag > 4094)
		return -WB_EINVAL;
	wb_snprintf(name, sizeof(name), "%s-%u", parent->name, tag);
	if (net_find(net, name))
		return -WB_EEXIST;
	nif = plat_malloc(sizeof(*nif));
	if (!nif)
		return -WB_ENOMEM;
	memset(nif, 0, sizeof(*nif));
	wb_strlcpy(nif->name, name, sizeof(nif->name));
	nif->parent = parent;
	nif->vlan_tag = tag;
	memcpy(nif->mac, parent->mac, 6);
	rc = net_if_add(net, nif);
	if (rc) {
		plat_free(nif);
		return rc;
	}
	if (out)
		*out = nif;
	return 0;
}

int net_vlan_destroy(struct net_ctx *net, struct net_if *nif)
{
	if (!nif->parent)
		return -WB_EINVAL;
	net_if_remove(net, nif);
	net_update_default(net);
	return 0;
}

/* ---- DNS -------------------------------------------------------------- */

struct net_dns_wait {
	int done, ok;
	ip_addr_t addr;
};

static void net_dns_found(const char *name, const ip_addr_t *addr, void *arg)
{
	struct net_dns_wait *w = arg;

	w->done = 1;
	if (addr) {
		w->ok = 1;
		w->addr = *addr;
	}
}

static int net_flag_done(void *arg)
{
	return *(int *)arg;
}

int net_resolve(struct net_ctx *net, const char *name, uint8_t ip[4], uint32_t timeout_ms)
{
	struct net_dns_wait w = { 0 };
	const char *dns;
	uint8_t server[4];
	err_t err;
	int rc;

	if (!wb_parse_ipv4(name, ip))
		return 0;
	dns = settings_get(net->settings, "dns", NULL);
	if (!dns || wb_parse_ipv4(dns, server))
		return -WB_ENODNS;
	{
		ip_addr_t d;

		IP_ADDR4(&d, server[0], server[1], server[2], server[3]);
		dns_setserver(0, &d);
	}
	err = dns_gethostbyname(name, &w.addr, net_dns_found, &w);
	if (err == ERR_OK) {
		memcpy(ip, &ip_2_ip4(&w.addr)->addr, 4);
		return 0;
	}
	if (err != ERR_INPROGRESS)
		return err == ERR_ARG ? -WB_EINVAL : -WB_EDNS;
	rc = net_wait(net, net_flag_done, &w.done, timeout_ms);
	if (rc == -WB_ETIMEDOUT)
		return -WB_EDNS;
	if (rc)
		return rc;   /* lwIP's pending query ends on its own timer */
	if (!w.ok)
		return -WB_EDNS;
	memcpy(ip, &ip_2_ip4(&w.addr)->addr, 4);
	return 0;
}

/* ---- ping (ICMP echo, RFC 792) ---------------------------------------- */

struct net_ping_wait {
	uint16_t id, seq;
	ip4_addr_t from;
	int done;
};

static u8_t net_ping_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
	struct net_ping_wait *w = arg;
	uint8_t hdr[60 + 8];
	unsigned ihl;

	if (p->tot_len < 20 + 8 || pbuf_copy_partial(p, hdr, 20, 0) != 20)
		return 0;
	ihl = (hdr[0] & 15) * 4u;
	if (ihl < 20 || p->tot_len < ihl + 8 ||
	    pbuf_copy_partial(p, hdr, (u16_t)(ihl + 8), 0) != ihl + 8)
		return 0;
	if (hdr[ihl] != ICMP_ER || wb_get16(hdr + ihl + 4) != w->id ||
	    wb_get16(hdr + ihl + 6) != w->seq)
		return 0;
	if (!ip4_addr_cmp(ip_2_ip4(addr), &w->from))
		return 0;
	w->done = 1;
	pbuf_free(p);
	return 1;   /* eaten */
}

int net_ping(struct net_ctx *net, const uint8_t ip[4], uint16_t seq, uint32_t timeout_ms,
	     uint32_t *rtt_ms)
{
	struct net_ping_wait w = { 0 };
	struct raw_pcb *pcb;
	struct pbuf *p;
	uint8_t pkt[8 + 32];
	ip_addr_t dst;
	uint64_t start;
	int rc;

	w.id = (uint16_t)net_random32();
	w.seq = seq;
	memcpy(&w.from.addr, ip, 4);
	IP_ADDR4(&dst, ip[0], ip[1], ip[2], ip[3]);
	if (!ip4_route(ip_2_ip4(&dst)))
		return -WB_ENOROUTE;
	pcb = raw_new(IP_PROTO_ICMP);
	if (!pcb)
		return -WB_ENOMEM;
	raw_recv(pcb, net_ping_recv, &w);
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = ICMP_ECHO;
	wb_put16(pkt + 4, w.id);
	wb_put16(pkt + 6, seq);
	for (size_t i = 8; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)('a' + i % 26);
	wb_put16(pkt + 2, 0);
	{
		u16_t ck = inet_chksum(pkt, sizeof(pkt));

		memcpy(pkt + 2, &ck, 2);   /* inet_chksum returns network order */
	}
	p = pbuf_alloc(PBUF_IP, sizeof(pkt), PBUF_RAM);
	if (!p) {
		raw_remove(pcb);
		return -WB_ENOMEM;
	}
	pbuf_take(p, pkt, sizeof(pkt));
	start = plat_ms();
	raw_sendto(pcb, p, &dst);
	pbuf_free(p);
	rc = net_wait(net, net_flag_done, &w.done, timeout_ms);
	raw_remove(pcb);
	if (rc == -WB_ETIMEDOUT)
		return -WB_EPINGTIMEOUT;
	if (!rc && rtt_ms)
		*rtt_ms = (uint32_t)(plat_ms() - start);
	return rc;
}

/* ---- SNTP ------------------------------------------------------------- */

/*
 * The exchange is ntp_client (ntp_msg.c): what is believed is decided there.
 * Here: one UDP pcb, a request to port 123, and a wait for the client to take
 * a valid reply — at most NET_SNTP_RETRY_MS, then the same sample is asked
 * again with a new nonce — until NTP_SAMPLES were taken or @timeout_ms is
 * spent.  Every datagram goes to the client, which ignores what it does not
 * believe; the wait goes on after one (a forged or stray reply does not end it).
 */
#define NET_SNTP_RETRY_MS 1000

#ifndef WB_BUILD_EPOCH
#error "WB_BUILD_EPOCH (Unix seconds of the build's source date) must be defined: build with the Makefile"
#endif

struct net_sntp_wait {
	struct ntp_client client;
	int taken;                  /* samples taken since the last request */
};

static void net_sntp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
			  u16_t port)
{
	struct net_sntp_wait *w = arg;
	uint8_t buf[NTP_MSG_LEN], from[4];
	u16_t n = p->tot_len < NTP_MSG_LEN ? p->tot_len : NTP_MSG_LEN;

	(void)pcb;
	memcpy(from, &ip_2_ip4(addr)->addr, 4);
	/* (a longer datagram: NTPv4 extension fields or a MAC, not used here) */
	if (pbuf_copy_partial(p, buf, n, 0) == n &&
	    ntp_client_input(&w->client, from, port, buf, n, plat_ms()))
		w->taken = 1;
	pbuf_free(p);
}

int net_sntp(struct net_ctx *net, const uint8_t ip[4], uint32_t timeout_ms, int64_t *unix_secs,
	     struct net_sntp_info *info)
{
	struct net_sntp_wait w;
	struct udp_pcb *pcb;
	uint8_t msg[NTP_MSG_LEN];
	ip_addr_t dst;
	uint64_t start = plat_ms();
	int rc = 0;

	IP_ADDR4(&dst, ip[0], ip[1], ip[2], ip[3]);
	if (!ip4_route(ip_2_ip4(&dst)))
		return -WB_ENOROUTE;
	pcb = udp_new();
	if (!pcb)
		return -WB_ENOMEM;
	ntp_client_init(&w.client, ip);
	udp_recv(pcb, net_sntp_recv, &w);
	while (!ntp_client_done(&w.client)) {
		uint64_t spent = plat_ms() - start, nonce;
		uint32_t wait;
		struct pbuf *p;

		if (spent >= timeout_ms)
			break;
		wait = timeout_ms - spent < NET_SNTP_RETRY_MS ? (uint32_t)(timeout_ms - spent)
							      : NET_SNTP_RETRY_MS;
		/* a random transmit timestamp is the request's nonce (RFC 4330 §5) */
		do
			nonce = (uint64_t)net_random32() << 32 | net_random32();
		while (!nonce);
		p = pbuf_alloc(PBUF_TRANSPORT, NTP_MSG_LEN, PBUF_RAM);
		if (!p) {
			rc = -WB_ENOMEM;
			break;
		}
		ntp_client_request(&w.client, nonce, plat_ms(), msg);
		pbuf_take(p, msg, NTP_MSG_LEN);
		udp_sendto(pcb, p, &dst, NTP_PORT);
		pbuf_free(p);
		w.taken = 0;
		rc = net_wait(net, net_flag_done, &w.taken, wait);
		if (rc && rc != -WB_ETIMEDOUT)
			break;      /* Ctrl-C */
		rc = 0;
	}
	udp_remove(pcb);
	if (info) {
		info->valid = w.client.nsamples;
		info->ignored = w.client.ignored;
		info->last_refusal = w.client.last_refusal;
		info->not_before = WB_BUILD_EPOCH;
	}
	if (rc)
		return rc;
	return ntp_client_result(&w.client, plat_ms(), WB_BUILD_EPOCH, unix_secs);
}

/* ---- TCP window ------------------------------------------------------- */

uint32_t net_tcp_window(const struct net_ctx *net)
{
	return net->tcp_window;
}

uint32_t net_set_tcp_window(struct net_ctx *net, uint32_t bytes)
{
	if (bytes < 2 * TCP_MSS)
		bytes = 2 * TCP_MSS;
	if (bytes > WB_TCP_WND_MAX)
		bytes = WB_TCP_WND_MAX;
	net->tcp_window = bytes;
	return bytes;
}
