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
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settings.h"
#include "core/util.h"
#include "lwip/dns.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "net/dhcp_msg.h"
#include "net/net_priv.h"
#include "platform/platform.h"

#define DHCP_TIMEOUT_MS 16000
#define DHCP_LINK_WAIT_MS 3000
/*
 * Resend intervals, each randomised by up to +-1/8 (RFC 2131 §4.1 asks for a
 * randomised exponential back-off; its 4 s start is for wide-area links: on a
 * boot LAN a lost DISCOVER, OFFER, REQUEST or ACK should cost half a second).
 */
static const uint32_t dhcp_backoff_ms[] = { 500, 1000, 2000, 4000, 4000 };

enum dhcp_state { DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND };

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
	if (s->state == DHCP_SELECTING && r->type == DHCP_OFFER) {
		if (!(r->yiaddr[0] | r->yiaddr[1] | r->yiaddr[2] | r->yiaddr[3]) ||
		    !r->has_server_id) {
			s->bad++;
			wb_strlcpy(s->last_bad, "offer without an address or server identifier",
				   sizeof(s->last_bad));
			return;
		}
		s->offer = *r;
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

static int dhcp_send(struct dhcp_session *s, uint8_t type)
{
	struct dhcp_request req;
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
	req.vendor_class = "wireboot";
	req.user_class = "wireboot";
	if (type == DHCP_REQUEST) {
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
	err = udp_sendto_if(s->pcb, p, IP4_ADDR_BROADCAST, 67, &s->nif->netif);
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
			rc = dhcp_send(s, s->state == DHCP_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST);
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
