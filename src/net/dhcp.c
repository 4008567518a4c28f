/*
 * dhcp.c — the DHCPv4 client (RFC 2131 §3.1, §4.4) over lwIP UDP.
 *
 *   SELECTING ──OFFER──▶ REQUESTING ──ACK──▶ BOUND (apply, publish settings)
 *       ▲  (DISCOVER            │ (REQUEST resent; after 3 tries or a NAK,
 *       │   resent on back-off) └──────────── back to SELECTING)
 *   overall deadline (DHCP_TIMEOUT_MS) ──▶ error: timeout, or the last NAK /
 *   malformed reply seen, so the message says what actually happened.
 *
 * Messages are built and parsed by dhcp_msg.c (pure); this file only moves
 * them and decides.  We ask for broadcast replies (flags bit) because the
 * interface has no address yet.
 *
 * proxyDHCP (PXE 2.1 §2.2.5): we send option 60 "PXEClient:Arch:…" so that
 * a proxyDHCP server answers our DISCOVER too, with an offer that has no
 * address (yiaddr 0), option 60 "PXEClient" and boot information only.  The
 * first such offer for our exchange is kept aside (it never becomes the
 * offer we request); the address and network settings come from the DHCP
 * server alone.  Once bound:
 *
 *   BOUND ─(lease has no boot file and no proxy offer yet)─▶ wait for one,
 *     up to DHCP_PROXY_WAIT_MS after the chosen offer arrived
 *   proxy offer ─dhcp_msg_pxe_next─▶ file: publish proxydhcp/…
 *                                 ├▶ ProxyDHCPREQUEST to proxy:4011 ─ACK─▶ again
 *                                 └▶ boot item request to server:4011 ─ACK─▶ pxebs/…
 *
 * A lease whose own option 60 is "PXEClient" and that names no boot file
 * stands for the proxy offer when none came (the DHCP server is its own
 * proxy, PXE 2.1 §2.2.5).  Port-4011 answers are taken only from the server
 * and port asked, for a fresh transaction id.  Nothing of the proxy exchange changes the lease:
 * when it fails, DHCP still succeeded and the reason is printed.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settings.h"
#include "core/settype.h"
#include "core/util.h"
#include "lwip/dns.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "net/dhcp_msg.h"
#include "net/net_priv.h"
#include "platform/platform.h"

#define DHCP_TIMEOUT_MS 16000
#define DHCP_LINK_WAIT_MS 3000
#define DHCP_PROXY_WAIT_MS 1000     /* for a proxy offer, when the lease has no boot file */
#define DHCP_PXE_TRIES 3            /* port-4011 requests, dhcp_backoff_ms apart */
/*
 * Resend intervals, each randomised by up to +-1/8 (RFC 2131 §4.1 asks for a
 * randomised exponential back-off; its 4 s start is for wide-area links: on a
 * boot LAN a lost DISCOVER, OFFER, REQUEST or ACK should cost half a second).
 */
static const uint32_t dhcp_backoff_ms[] = { 500, 1000, 2000, 4000, 4000 };

enum dhcp_state { DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_PXE };

struct dhcp_session {
	struct net_if *nif;
	struct udp_pcb *pcb;
	enum dhcp_state state;
	uint32_t xid;
	int tries;
	int got_reply;
	int naks;
	int bad;
	int foreign;               /* well-formed replies for another exchange */
	uint64_t start_ms, next_tx_ms;
	struct dhcp_reply offer;
	struct dhcp_reply reply;   /* the accepted OFFER's successor: ACK or NAK */
	struct dhcp_reply scratch; /* for the parser: a reply not (yet) accepted */
	char last_bad[96];
	char last_foreign[96];
	uint64_t offer_ms;         /* when the chosen offer arrived */
	struct dhcp_reply proxy;   /* the first proxyDHCP offer for this exchange */
	int have_proxy;
	uint8_t pxe_server[4];     /* DHCP_PXE: the only source (port 4011) answers come from */
	struct dhcp_reply pxe_ack;
};

/* a well-formed reply that is not for us: counted, the reason kept for the failure report */
static void dhcp_foreign(struct dhcp_session *s, const char *why)
{
	s->foreign++;
	wb_strlcpy(s->last_foreign, why, sizeof(s->last_foreign));
}

static void dhcp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		      u16_t port)
{
	struct dhcp_session *s = arg;
	uint8_t buf[1500];
	u16_t len = p->tot_len > sizeof(buf) ? sizeof(buf) : p->tot_len;
	const struct dhcp_reply *r;
	char why[96];
	int rc;

	pbuf_copy_partial(p, buf, len, 0);
	pbuf_free(p);
	rc = dhcp_msg_parse(buf, len, &s->scratch);
	if (rc) {
		s->bad++;
		wb_strlcpy(s->last_bad, s->scratch.why, sizeof(s->last_bad));
		return;
	}
	r = &s->scratch;
	if (r->xid != s->xid) {      /* someone else's exchange (RFC 2131 §4.4.1) */
		wb_snprintf(why, sizeof(why), "transaction id %08x is not ours (%08x)",
			    (unsigned)r->xid, (unsigned)s->xid);
		dhcp_foreign(s, why);
		return;
	}
	if (memcmp(r->chaddr, s->nif->mac, 6)) {
		wb_snprintf(why, sizeof(why),
			    "client hardware address %02x:%02x:%02x:%02x:%02x:%02x is not ours",
			    r->chaddr[0], r->chaddr[1], r->chaddr[2], r->chaddr[3], r->chaddr[4],
			    r->chaddr[5]);
		dhcp_foreign(s, why);
		return;
	}
	if (s->state == DHCP_PXE) {      /* only the server asked, from port 4011, an ACK */
		ip4_addr_t want;

		memcpy(&want.addr, s->pxe_server, 4);
		if (port != DHCP_PXE_PORT || !IP_IS_V4(addr) || !ip4_addr_cmp(ip_2_ip4(addr), &want) ||
		    r->type != DHCP_ACK || s->got_reply) {
			dhcp_foreign(s, "port-4011 reply from another server, port or of another type");
			return;
		}
		s->pxe_ack = *r;
		s->got_reply = 1;
		return;
	}
	if (dhcp_msg_is_proxy_offer(r)) {  /* boot information only, never our lease */
		if (port != 67) {
			dhcp_foreign(s, "proxyDHCP offer not from port 67");
		} else if (r->pxe.bad) {
			s->bad++;
			wb_snprintf(s->last_bad, sizeof(s->last_bad), "proxyDHCP offer: %s", r->pxe_why);
		} else if (!s->have_proxy) {
			s->proxy = *r;
			s->have_proxy = 1;
		}
		return;
	}
	if (s->state == DHCP_SELECTING && r->type == DHCP_OFFER) {
		if (!(r->yiaddr[0] | r->yiaddr[1] | r->yiaddr[2] | r->yiaddr[3]) ||
		    !r->has_server_id) {
			s->bad++;
			wb_strlcpy(s->last_bad, "offer without an address or server identifier",
				   sizeof(s->last_bad));
			return;
		}
		s->offer = *r;
		s->offer_ms = plat_ms();
		s->got_reply = 1;
	} else if (s->state == DHCP_REQUESTING && !s->got_reply &&
		   (r->type == DHCP_ACK || r->type == DHCP_NAK)) {
		if (!r->has_server_id) {   /* a MUST in ACK and NAK (RFC 2131 §4.3.1, table 3) */
			s->bad++;
			wb_strlcpy(s->last_bad, r->type == DHCP_ACK ?
				   "ACK without a server identifier (option 54)" :
				   "NAK without a server identifier (option 54)", sizeof(s->last_bad));
			return;
		}
		if (memcmp(r->server_id, s->offer.server_id, 4)) {
			char a[16], b[16];   /* answer from a server we did not choose */

			wb_snprintf(why, sizeof(why), "%s from server %s, not the one chosen (%s)",
				    r->type == DHCP_ACK ? "ACK" : "NAK", wb_fmt_ipv4(r->server_id, a),
				    wb_fmt_ipv4(s->offer.server_id, b));
			dhcp_foreign(s, why);
			return;
		}
		s->reply = *r;       /* kept until the main loop acts on it */
		s->got_reply = 1;
	}
}

/*
 * Option 97, as PXE clients send it: the SMBIOS UUID (smbios/uuid, shown in RFC
 * 4122 order) in the byte order of the SMBIOS table, first three fields little-
 * endian, which is what firmware PXE on the same machine sends, so a server
 * sees one client identity across the chainload.  None without an SMBIOS UUID.
 */
static void dhcp_client_uuid(struct settings_ctx *st, struct dhcp_request *req)
{
	const char *v = settings_get(st, "smbios/uuid", NULL);
	uint8_t u[16];
	size_t n;

	if (!v || settype_raw("uuid", v, u, sizeof(u), &n) || n != 16)
		return;
	req->uuid[0] = u[3]; req->uuid[1] = u[2]; req->uuid[2] = u[1]; req->uuid[3] = u[0];
	req->uuid[4] = u[5]; req->uuid[5] = u[4];
	req->uuid[6] = u[7]; req->uuid[7] = u[6];
	memcpy(req->uuid + 8, u + 8, 8);
	req->has_uuid = 1;
}

/* @to: NULL to broadcast to port 67; else a port-4011 request to @to from our
 * bound address, asking for PXE boot item @item when @item is not NULL */
static int dhcp_send(struct dhcp_session *s, uint8_t type, const uint8_t *to,
		     const uint16_t *item)
{
	struct dhcp_request req;
	char vc[40];
	ip_addr_t dst;
	uint8_t buf[DHCP_MSG_MAX];
	struct pbuf *p;
	err_t err;
	int len;

	memset(&req, 0, sizeof(req));
	req.type = type;
	req.xid = s->xid;
	req.secs = (uint16_t)((plat_ms() - s->start_ms) / 1000);
	memcpy(req.mac, s->nif->mac, 6);
	req.client_arch = plat_dhcp_arch();
	if (dhcp_msg_pxe_vendor_class(req.client_arch, vc, sizeof(vc)) < 0)
		return -WB_ETOOBIG;
	req.vendor_class = vc;     /* what proxyDHCP servers answer (docs/pxe.md) */
	req.user_class = "wireboot";   /* what tells wireboot apart from firmware PXE and iPXE */
	dhcp_client_uuid(s->nif->net->settings, &req);
	if (to) {
		memcpy(req.ciaddr, s->reply.yiaddr, 4);
		if (item) {
			req.has_boot_item = 1;
			req.boot_item_type = *item;
		}
	} else if (type == DHCP_REQUEST) {
		memcpy(req.requested_ip, s->offer.yiaddr, 4);
		memcpy(req.server_id, s->offer.server_id, 4);
	}
	len = dhcp_msg_build(&req, buf, sizeof(buf));
	if (len < 0)
		return len;
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (!p)
		return -WB_ENOMEM;
	pbuf_take(p, buf, (u16_t)len);
	if (to)
		IP_ADDR4(&dst, to[0], to[1], to[2], to[3]);
	err = udp_sendto_if(s->pcb, p, to ? &dst : IP4_ADDR_BROADCAST, to ? DHCP_PXE_PORT : 67,
			    &s->nif->netif);
	pbuf_free(p);
	return err == ERR_OK ? 0 : -WB_ELINK;
}

/* the lease's settings; every name written here is in dhcp_lease_names[] */
static void dhcp_publish(struct net_if *nif, const struct dhcp_reply *r)
{
	struct settings_ctx *st = nif->net->settings;
	const char *scope = nif->name;
	char b[16];

	/* a new lease replaces everything but the MAC */
	settings_set_in(st, scope, "ip", wb_fmt_ipv4(r->yiaddr, b));
	if (r->has_netmask)
		settings_set_in(st, scope, "netmask", wb_fmt_ipv4(r->netmask, b));
	if (r->has_router)
		settings_set_in(st, scope, "gateway", wb_fmt_ipv4(r->router, b));
	if (r->ndns)
		settings_set_in(st, scope, "dns", wb_fmt_ipv4(r->dns[0], b));
	if (r->nntp)
		settings_set_in(st, scope, "ntp", wb_fmt_ipv4(r->ntp[0], b));
	settings_set_in(st, scope, "domain", r->domain);
	settings_set_in(st, scope, "hostname", r->hostname);
	settings_set_in(st, scope, "root-path", r->root_path);
	settings_set_in(st, scope, "initiator-iqn", r->initiator_iqn);   /* option 203 */
	settings_set_in(st, scope, "filename", r->filename);
	if (r->siaddr[0] | r->siaddr[1] | r->siaddr[2] | r->siaddr[3])
		settings_set_in(st, scope, "next-server", wb_fmt_ipv4(r->siaddr, b));
	settings_set_in(st, scope, "tftp-server", r->tftp_server);   /* option 66 */
	settings_set_in(st, scope, "dhcp-server", wb_fmt_ipv4(r->server_id, b));
}

/*
 * Everything dhcp_publish() may write: a lease lasts until the next DHCP
 * exchange or ifclose, and none of it may outlive it (a stale initiator-iqn
 * from option 203 would log in under another machine's name).
 */
static const char *const dhcp_lease_names[] = {
	"ip", "netmask", "gateway", "dns", "ntp", "domain", "hostname",
	"root-path", "initiator-iqn", "filename", "next-server", "dhcp-server",
	"tftp-server",
};

void net_dhcp_drop_lease(struct net_if *nif)
{
	for (size_t i = 0; i < WB_ARRAY_SIZE(dhcp_lease_names); i++)
		settings_set_in(nif->net->settings, nif->name, dhcp_lease_names[i], NULL);
	nif->dhcp_lease = 0;
	if (nif->proxy_lease) {
		settings_clear_scope(nif->net->settings, "proxydhcp");
		settings_clear_scope(nif->net->settings, "pxebs");
		nif->proxy_lease = 0;
	}
}

/* a proxy's boot information, in iPXE's block names: "proxydhcp" for the proxy
 * offer or its ProxyDHCPACK, "pxebs" for a boot server's ACK */
static void dhcp_publish_boot(struct net_if *nif, const char *scope, const struct dhcp_reply *r)
{
	struct settings_ctx *st = nif->net->settings;
	char b[16];
	const uint8_t *ns = (r->siaddr[0] | r->siaddr[1] | r->siaddr[2] | r->siaddr[3]) ?
			    r->siaddr : r->server_id;   /* no siaddr: the server itself */

	settings_clear_scope(st, scope);
	settings_set_in(st, scope, "filename", r->filename);
	settings_set_in(st, scope, "next-server", wb_fmt_ipv4(ns, b));
	settings_set_in(st, scope, "dhcp-server", wb_fmt_ipv4(r->server_id, b));
	nif->proxy_lease = 1;
}

/* one port-4011 request to @server (with boot item @item unless NULL), resent
 * 1, 2, 3 s apart; @return 0 with s->pxe_ack set, or a negative error */
static int dhcp_pxe_ask(struct net_ctx *net, struct dhcp_session *s, const uint8_t server[4],
			const uint16_t *item)
{
	s->state = DHCP_PXE;
	s->xid = net_random32();   /* a new exchange: nothing earlier answers it */
	memcpy(s->pxe_server, server, 4);
	s->got_reply = 0;
	for (int tries = 0; tries < DHCP_PXE_TRIES; tries++) {
		int rc = dhcp_send(s, DHCP_REQUEST, server, item);
		uint64_t t0 = plat_ms();

		if (rc)
			return rc;
		while (!s->got_reply && plat_ms() - t0 < (uint64_t)dhcp_backoff_ms[tries]) {
			net_poll(net);
			if (net->cancel && net->cancel())
				return -WB_ECANCELED;
		}
		if (s->got_reply)
			return 0;
	}
	return -WB_EPXENOANSWER;
}

/* After the lease: a proxyDHCP offer's boot information (see the top). */
static void dhcp_proxy(struct net_ctx *net, struct dhcp_session *s)
{
	struct net_if *nif = s->nif;
	const struct dhcp_reply *r;
	const char *scope = "proxydhcp";
	char a[16];
	int from_4011 = 0;
	/* the DHCP server is its own proxy: PXE in the lease, and no boot file */
	int lease_pxe = dhcp_msg_is_pxe(&s->reply) && !s->reply.filename[0] && !s->reply.pxe.bad;

	if (!s->have_proxy && !s->reply.filename[0] && !s->reply.root_path[0] && !lease_pxe) {
		s->state = DHCP_BOUND;   /* a proxy offer may still be on its way */
		while (!s->have_proxy && plat_ms() - s->offer_ms < DHCP_PROXY_WAIT_MS) {
			net_poll(net);
			if (net->cancel && net->cancel())
				return;
		}
	}
	if (!s->have_proxy && lease_pxe) {
		s->proxy = s->reply;
		s->have_proxy = 1;
		wb_printf("proxyDHCP: the DHCP server %s is also the PXE server (option 60 PXEClient)\n",
			  wb_fmt_ipv4(s->reply.server_id, a));
	} else if (s->have_proxy) {
		wb_printf("proxyDHCP: offer from %s\n", wb_fmt_ipv4(s->proxy.server_id, a));
	} else {
		return;
	}
	dhcp_publish_boot(nif, scope, &s->proxy);
	if (s->reply.filename[0]) {   /* the DHCP server's boot file wins: no port-4011 round */
		wb_printf("proxyDHCP: the lease names a boot file; %s/filename is the offer's\n", scope);
		return;
	}
	r = &s->proxy;
	for (int step = 0; step < 3; step++) {
		uint8_t server[4];
		uint16_t item = 0;
		enum dhcp_pxe_step next = dhcp_msg_pxe_next(r, from_4011, &item, server);
		int rc;

		if (next == DHCP_PXE_DONE) {
			dhcp_publish_boot(nif, scope, r);
			wb_printf("proxyDHCP: boot file %s (%s/filename)\n", r->filename, scope);
			return;
		}
		if (next == DHCP_PXE_NOTHING) {
			wb_printf("proxyDHCP: no boot file offered%s\n",
				  r->pxe.nmenu && !r->pxe.menu_type[0] ? " (default item: local boot)" : "");
			return;
		}
		if (next == DHCP_PXE_ASK_ITEM)
			scope = "pxebs";
		wb_printf("proxyDHCP: asking %s port %u", wb_fmt_ipv4(server, a), DHCP_PXE_PORT);
		if (next == DHCP_PXE_ASK_ITEM)
			wb_printf(" for boot item %u (the menu's first)", (unsigned)item);
		wb_puts("\n");
		rc = dhcp_pxe_ask(net, s, server, next == DHCP_PXE_ASK_ITEM ? &item : NULL);
		if (rc) {
			wb_printf("%s (asked %s)\n", wb_strerror(rc), wb_fmt_ipv4(server, a));
			return;
		}
		if (s->pxe_ack.pxe.bad) {
			wb_printf("proxyDHCP: answer from %s: %s\n", wb_fmt_ipv4(server, a),
				  s->pxe_ack.pxe_why);
			return;
		}
		r = &s->pxe_ack;
		from_4011 = 1;
		if (next == DHCP_PXE_ASK_PROXY)   /* the ProxyDHCPACK replaces the offer */
			dhcp_publish_boot(nif, "proxydhcp", r);
	}
	wb_puts("proxyDHCP: no boot file after 3 requests\n");
}

static void dhcp_apply(struct net_if *nif, const struct dhcp_reply *r)
{
	ip4_addr_t a, m, g;
	static const uint8_t def_mask[4] = { 255, 255, 255, 0 };

	memcpy(&a.addr, r->yiaddr, 4);
	memcpy(&m.addr, r->has_netmask ? r->netmask : def_mask, 4);
	memset(&g.addr, 0, 4);
	if (r->has_router)
		memcpy(&g.addr, r->router, 4);
	netif_set_addr(&nif->netif, &a, &m, &g);
	for (int i = 0; i < r->ndns && i < DNS_MAX_SERVERS; i++) {
		ip_addr_t d;

		IP_ADDR4(&d, r->dns[i][0], r->dns[i][1], r->dns[i][2], r->dns[i][3]);
		dns_setserver((u8_t)i, &d);
	}
	dhcp_publish(nif, r);
	nif->dhcp_lease = 1;
	net_update_default(nif->net);
}

int net_dhcp(struct net_ctx *net, struct net_if *nif)
{
	struct dhcp_session *s;
	int rc, link;
	uint32_t iv;

	rc = net_if_open(net, nif);
	if (rc)
		return rc;
	/* a link may take a moment to come up (autonegotiation); wait a little */
	for (uint64_t t0 = plat_ms(); (link = net_if_link_state(nif)) == 0 &&
				      plat_ms() - t0 < DHCP_LINK_WAIT_MS; ) {
		net_poll(net);
		if (net->cancel && net->cancel())
			return -WB_ECANCELED;
	}
	if (link == 0)
		return -WB_ELINKDOWN;
	s = plat_malloc(sizeof(*s));
	if (!s)
		return -WB_ENOMEM;
	memset(s, 0, sizeof(*s));
	s->nif = nif;
	s->pcb = udp_new();
	if (!s->pcb) {
		plat_free(s);
		return -WB_ENOMEM;
	}
	netif_set_addr(&nif->netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
	net_dhcp_drop_lease(nif);
	/* one set of proxy boot settings: the newest exchange's, whichever interface */
	settings_clear_scope(net->settings, "proxydhcp");
	settings_clear_scope(net->settings, "pxebs");
	net_update_default(net);
	udp_bind_netif(s->pcb, &nif->netif);
	if (udp_bind(s->pcb, IP4_ADDR_ANY, 68) != ERR_OK) {
		rc = -WB_EEXIST;
		goto out;
	}
	udp_recv(s->pcb, dhcp_recv, s);

	wb_printf("DHCP (%s %02x:%02x:%02x:%02x:%02x:%02x)...", nif->name, nif->mac[0],
		  nif->mac[1], nif->mac[2], nif->mac[3], nif->mac[4], nif->mac[5]);
	s->xid = net_random32();
	s->start_ms = plat_ms();
	s->state = DHCP_SELECTING;
	s->next_tx_ms = s->start_ms;
	rc = -WB_EDHCPTIMEOUT;
	for (;;) {
		uint64_t now;

		net_poll(net);
		now = plat_ms();
		if (s->got_reply) {
			s->got_reply = 0;
			if (s->state == DHCP_SELECTING) {
				s->state = DHCP_REQUESTING;
				s->tries = 0;
				s->next_tx_ms = now;
			} else if (s->reply.type == DHCP_ACK) {
				dhcp_apply(nif, &s->reply);
				rc = 0;
				break;
			} else {   /* NAK: start over (RFC 2131 §3.1.5) */
				s->naks++;
				s->state = DHCP_SELECTING;
				s->tries = 0;
				s->next_tx_ms = now;
			}
		}
		if (now >= s->next_tx_ms) {
			if (s->state == DHCP_REQUESTING && s->tries >= 3) {
				s->state = DHCP_SELECTING;
				s->tries = 0;
			}
			rc = dhcp_send(s, s->state == DHCP_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST,
				       NULL, NULL);
			if (rc)
				break;
			rc = -WB_EDHCPTIMEOUT;
			iv = dhcp_backoff_ms[s->tries < 5 ? s->tries : 4];
			s->next_tx_ms = now + iv - iv / 8 + net_random32() % (iv / 4 + 1);
			s->tries++;
			wb_puts(".");
		}
		if (net->cancel && net->cancel()) {
			rc = -WB_ECANCELED;
			break;
		}
		if (now - s->start_ms >= DHCP_TIMEOUT_MS)
			break;
	}
	if (!rc) {
		char ip[16], mask[16];

		wb_printf(" ok\n%s: %s/%s", nif->name, wb_fmt_ipv4(s->reply.yiaddr, ip),
			  wb_fmt_ipv4(s->reply.has_netmask ? s->reply.netmask
							   : (const uint8_t *)"\xff\xff\xff\0", mask));
		if (s->reply.has_router) {
			char gw[16];

			wb_printf(" gw %s", wb_fmt_ipv4(s->reply.router, gw));
		}
		wb_puts("\n");
		dhcp_proxy(net, s);
	} else {
		wb_puts(" failed\n");
		if (rc == -WB_EDHCPTIMEOUT && s->naks)
			rc = -WB_EDHCPNAK;
		else if (rc == -WB_EDHCPTIMEOUT && s->bad)
			wb_printf("DHCP: ignored %d malformed repl%s; last: %s\n", s->bad,
				  s->bad == 1 ? "y" : "ies", s->last_bad);
		if (rc == -WB_EDHCPTIMEOUT && s->foreign)
			wb_printf("DHCP: ignored %d repl%s for another exchange; last: %s\n",
				  s->foreign, s->foreign == 1 ? "y" : "ies", s->last_foreign);
	}
out:
	udp_remove(s->pcb);
	plat_free(s);
	return rc;
}
