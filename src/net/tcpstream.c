/*
 * tcpstream.c — TCP streams on lwIP's raw API (see tcpstream.h, core/stream.h).
 *
 * Received pbufs are chained on s->rx in arrival order; stream_recv() copies
 * from the head, frees what it consumed and tells lwIP (tcp_recved) only
 * then, so the advertised window is exactly the free room in our buffer.
 * lwIP's error callback frees the pcb itself; we then only drop our pointer.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "lwip/priv/tcp_priv.h"   /* tcp_keepalive(), tcp_ticks: stall probes */
#include "lwip/tcp.h"
#include "net/net_priv.h"
#include "net/tcp_isn.h"
#include "net/tcpstream.h"
#include "platform/platform.h"

struct tcp_stream {
	struct stream base;       /* first: a struct stream * is a struct tcp_stream * */
	struct tcp_pcb *pcb;
	struct pbuf *rx;          /* received, not yet read */
	size_t rx_off;            /* bytes of rx's first pbuf already read */
	enum stream_state state;
	int err;
	int fin;                  /* peer sent FIN */
	int rx_seen;              /* a segment arrived since the last poll tick */
	int refreshes;            /* ACKs re-sent since the last segment arrived */
	int got_data;             /* data arrived at least once */
	int probes;               /* keep-alive probes sent in this quiet spell */
	u32_t probe_tick;         /* tcp_ticks when the first of them went out */
	int stall_said;           /* the stall line was printed */
};

/*
 * Lost-ACK repair.  With the small windows firmware links need (24 segments on
 * U-Boot), the ACK that reopens our window is often the only one the sender
 * waits for: when it is lost the sender sits on its persist or retransmission
 * timer (200 ms and more, backing off).  So when a connection that was
 * receiving goes quiet for a poll tick (TCP_SLOW_INTERVAL, lwipopts.h), our
 * current ACK and window are sent again, at most STREAM_ACK_REFRESH times per
 * quiet spell: a few pure ACKs per burst, and none on an idle connection.
 */
#define STREAM_ACK_REFRESH 3

/*
 * Stall detection.  A link can stop delivering frames for good (U-Boot's
 * virtio-net before 2025.10 after a burst larger than its ring, see
 * plat_link_stall_hint(); a dead peer or cable looks the same).  Without this
 * the only sign is a read timeout much later.  When a connection that has
 * received data, is open for more (no FIN, window open) and has heard
 * nothing from the peer for STREAM_PROBE_QUIET_MS, send a keep-alive probe
 * (RFC 9293 §3.8.4: one byte below snd_nxt, which the peer must ACK) every
 * STREAM_PROBE_EVERY_MS; after STREAM_PROBES unanswered ones, say once that
 * the link delivers nothing.  An answered probe ends the probing until data
 * arrives again, so an idle connection costs one probe per quiet spell.
 */
#define STREAM_PROBE_QUIET_MS 2000u
#define STREAM_PROBE_EVERY_MS 1000u
#define STREAM_PROBES 3

static int stream_lwip_err(err_t e)
{
	switch (e) {
	case ERR_RST:
		return -WB_ECONNRESET;
	case ERR_ABRT:
	case ERR_CLSD:
		return -WB_ECONNRESET;
	case ERR_TIMEOUT:
		return -WB_ETIMEDOUT;
	case ERR_RTE:
		return -WB_ENOROUTE;
	case ERR_MEM:
	case ERR_BUF:
		return -WB_ENOMEM;
	default:
		return -WB_ECONNREFUSED;
	}
}

static void stream_on_err(void *arg, err_t e)
{
	struct tcp_stream *s = arg;

	s->pcb = NULL;   /* already freed by lwIP */
	/* a reset while connecting is a refusal */
	s->err = (e == ERR_RST && s->state == STREAM_CONNECTING) ? -WB_ECONNREFUSED
								  : stream_lwip_err(e);
	s->state = STREAM_ERROR;
}

static err_t stream_on_connected(void *arg, struct tcp_pcb *pcb, err_t e)
{
	struct tcp_stream *s = arg;

	if (s->state == STREAM_CONNECTING)
		s->state = STREAM_OPEN;
	return ERR_OK;
}

static err_t stream_on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t e)
{
	struct tcp_stream *s = arg;

	if (!p) {
		s->fin = 1;
		return ERR_OK;
	}
	s->rx_seen = 1;
	s->refreshes = 0;
	s->got_data = 1;
	s->probes = 0;
	s->stall_said = 0;
	if (s->rx)
		pbuf_cat(s->rx, p);
	else
		s->rx = p;
	return ERR_OK;
}

/* See "Stall detection" above; called every poll tick of an open stream. */
static void stream_stall_check(struct tcp_stream *s, struct tcp_pcb *pcb)
{
	u32_t quiet_ms = (u32_t)(tcp_ticks - pcb->tmr) * TCP_SLOW_INTERVAL;
	u32_t since_ms;
	uint8_t ip[4];
	char txt[16];

	if (!s->got_data || s->stall_said || pcb->rcv_wnd < TCP_MSS)
		return;
	if (s->probes && (s32_t)(pcb->tmr - s->probe_tick) >= 0) {
		s->probes = STREAM_PROBES + 1;   /* answered: the link works */
		return;
	}
	if (s->probes > STREAM_PROBES)
		return;
	if (!s->probes) {
		if (quiet_ms < STREAM_PROBE_QUIET_MS)
			return;
		s->probe_tick = tcp_ticks;
		s->probes = 1;
		tcp_keepalive(pcb);
		return;
	}
	since_ms = (u32_t)(tcp_ticks - s->probe_tick) * TCP_SLOW_INTERVAL;
	if (since_ms < (u32_t)s->probes * STREAM_PROBE_EVERY_MS)
		return;
	if (s->probes < STREAM_PROBES) {
		s->probes++;
		tcp_keepalive(pcb);
		return;
	}
	s->stall_said = 1;
	memcpy(ip, &ip_2_ip4(&pcb->remote_ip)->addr, 4);   /* (network order) */
	wb_printf("tcp: nothing received from %s:%u for %u s, not even answers to %d keep-alive"
		  " probes: the peer is gone or this NIC stopped receiving%s\n",
		  wb_fmt_ipv4(ip, txt), (unsigned)pcb->remote_port,
		  (unsigned)(quiet_ms / 1000), STREAM_PROBES, plat_link_stall_hint());
}

static err_t stream_on_poll(void *arg, struct tcp_pcb *pcb)
{
	struct tcp_stream *s = arg;

	if (!s || s->state != STREAM_OPEN || s->fin)
		return ERR_OK;
	stream_stall_check(s, pcb);
	if (s->rx_seen) {
		s->rx_seen = 0;
		return ERR_OK;
	}
	if (s->refreshes < STREAM_ACK_REFRESH) {
		s->refreshes++;
		tcp_set_flags(pcb, TF_ACK_NOW);   /* (lwIP's tcp_ack_now, public spelling) */
		tcp_output(pcb);
	}
	return ERR_OK;
}

static const struct stream_ops tcp_stream_ops;

int net_tcp_connect_host_from(struct net_ctx *net, const char *host, uint16_t port,
			      uint16_t local_port, struct stream **out)
{
	uint8_t ip[4];
	int rc = net_resolve(net, host, ip, NET_TCP_DNS_TIMEOUT_MS);

	if (rc)
		return rc;
	return net_tcp_connect_from(net, ip, port, local_port, out);
}

int net_tcp_connect_host(struct net_ctx *net, const char *host, uint16_t port,
			 struct stream **out)
{
	return net_tcp_connect_host_from(net, host, port, 0, out);
}

int net_tcp_connect(struct net_ctx *net, const uint8_t ip[4], uint16_t port, struct stream **out)
{
	return net_tcp_connect_from(net, ip, port, 0, out);
}

int net_tcp_connect_from(struct net_ctx *net, const uint8_t ip[4], uint16_t port,
			 uint16_t local_port, struct stream **out)
{
	struct tcp_stream *s;
	ip_addr_t dst;
	err_t e;
	int rc;

	IP_ADDR4(&dst, ip[0], ip[1], ip[2], ip[3]);
	if (!ip4_route(ip_2_ip4(&dst)))
		return -WB_ENOROUTE;
	/* no unpredictable ISN without the secret: no connection (tcp_isn.h) */
	rc = net_tcp_isn_ready();
	if (rc)
		return rc;
	s = plat_malloc(sizeof(*s));
	if (!s)
		return -WB_ENOMEM;
	memset(s, 0, sizeof(*s));
	s->base.ops = &tcp_stream_ops;
	/* the window in force for this connection (lwipopts.h) */
	wb_lwip_tcp_wnd = net_tcp_window(net);
	s->pcb = tcp_new();
	if (!s->pcb) {
		plat_free(s);
		return -WB_ENOMEM;
	}
	/*
	 * RFC 6298 §2.1's 1 s initial retransmission timeout instead of lwIP's 3 s
	 * (tcp_alloc): a lost SYN or SYN-ACK costs a second.  lwIP keeps it constant
	 * while connecting (no back-off in SYN_SENT); TCP_SYNMAXRTX bounds the tries.
	 */
	s->pcb->rto = s->pcb->sv = (s16_t)(1000 / (2 * TCP_TMR_INTERVAL));
	tcp_arg(s->pcb, s);
	tcp_err(s->pcb, stream_on_err);
	tcp_recv(s->pcb, stream_on_recv);
	tcp_poll(s->pcb, stream_on_poll, 1);
	s->refreshes = STREAM_ACK_REFRESH;   /* nothing to repeat before the first segment */
	tcp_nagle_disable(s->pcb);
	s->state = STREAM_CONNECTING;
	if (local_port) {
		/* (lwIP refuses a port a PCB or a TIME_WAIT still holds: ERR_USE) */
		e = tcp_bind(s->pcb, IP4_ADDR_ANY, local_port);
		if (e != ERR_OK) {
			tcp_abort(s->pcb);
			plat_free(s);
			return e == ERR_USE ? -WB_EPORTBUSY : stream_lwip_err(e);
		}
	}
	e = tcp_connect(s->pcb, &dst, port, stream_on_connected);
	if (e != ERR_OK) {
		tcp_abort(s->pcb);
		plat_free(s);
		return stream_lwip_err(e);
	}
	*out = &s->base;
	return 0;
}

static enum stream_state tcp_s_state(const struct stream *st)
{
	const struct tcp_stream *s = (const struct tcp_stream *)st;

	if (s->state == STREAM_OPEN && s->fin && !s->rx)
		return STREAM_EOF;
	return s->state;
}

static int tcp_s_error(const struct stream *st)
{
	const struct tcp_stream *s = (const struct tcp_stream *)st;

	return s->state == STREAM_ERROR ? s->err : 0;
}

static size_t tcp_s_send_space(const struct stream *st)
{
	const struct tcp_stream *s = (const struct tcp_stream *)st;

	if (!s->pcb || s->state != STREAM_OPEN)
		return 0;
	return tcp_sndbuf(s->pcb);
}

static int tcp_s_send(struct stream *st, const void *buf, size_t len)
{
	struct tcp_stream *s = (struct tcp_stream *)st;
	size_t room;
	err_t e;

	if (s->state == STREAM_ERROR)
		return s->err;
	if (s->state != STREAM_OPEN || !s->pcb)
		return -WB_ENOTCONN;
	room = tcp_sndbuf(s->pcb);
	if (len > room)
		len = room;
	if (len > 0xffff)
		len = 0xffff;
	if (!len)
		return 0;
	e = tcp_write(s->pcb, buf, (u16_t)len, TCP_WRITE_FLAG_COPY);
	if (e == ERR_MEM)
		return 0;
	if (e != ERR_OK)
		return stream_lwip_err(e);
	tcp_output(s->pcb);
	return (int)len;
}

static size_t tcp_s_recv_avail(const struct stream *st)
{
	const struct tcp_stream *s = (const struct tcp_stream *)st;

	return s->rx ? s->rx->tot_len - s->rx_off : 0;
}

static int tcp_s_recv_(struct stream *st, void *buf, size_t len)
{
	struct tcp_stream *s = (struct tcp_stream *)st;
	uint8_t *out = buf;
	size_t done = 0;

	while (s->rx && done < len) {
		struct pbuf *p = s->rx;
		size_t n = p->len - s->rx_off;

		if (n > len - done)
			n = len - done;
		memcpy(out + done, (uint8_t *)p->payload + s->rx_off, n);
		done += n;
		s->rx_off += n;
		if (s->rx_off == p->len) {
			s->rx = p->next;
			if (s->rx)
				pbuf_ref(s->rx);
			pbuf_free(p);
			s->rx_off = 0;
		}
	}
	if (done) {
		/* reopen the window by what was consumed */
		if (s->pcb) {
			size_t left = done;
			/* what the sender may still send: our last ACK's right edge */
			u32_t usable0 = s->pcb->rcv_ann_right_edge - s->pcb->rcv_nxt, usable;
			int sends = 0;

			while (left) {
				u16_t chunk = left > 0xffff ? 0xffff : (u16_t)left;

				tcp_recved(s->pcb, chunk);
				left -= chunk;
			}
			/*
			 * A sender that was offered less than a segment is stopped until
			 * a window update arrives; lwIP sends one only once the window
			 * grew by TCP_WND_UPDATE_THRESHOLD and only once.  Announce a
			 * segment or more as soon as we have it, and send it twice, so a
			 * lost frame does not cost the sender's persist timer (200 ms+).
			 */
			usable = s->pcb->rcv_ann_right_edge - s->pcb->rcv_nxt;
			if (usable0 < TCP_MSS) {
				if (usable >= TCP_MSS)
					sends = 1;   /* lwIP sent it: once more */
				else if (s->pcb->rcv_ann_wnd >= TCP_MSS)
					sends = 2;
			}
			while (sends-- > 0) {
				tcp_set_flags(s->pcb, TF_ACK_NOW);
				tcp_output(s->pcb);
			}
		}
		return (int)done;
	}
	if (s->state == STREAM_ERROR)
		return s->err;
	if (s->fin)
		return -WB_ECLOSED;
	return 0;
}

/* tcp_s_recv_() timed for net_prof (window updates sent from it excluded: they count as t_tx) */
static int tcp_s_recv(struct stream *st, void *buf, size_t len)
{
	uint64_t t0;
	int n;

	if (!net_prof_on)
		return tcp_s_recv_(st, buf, len);
	net_prof_tx_nested = 0;
	t0 = plat_ticks();
	n = tcp_s_recv_(st, buf, len);
	net_prof_now.t_stream_copy += plat_ticks() - t0 - net_prof_tx_nested;
	return n;
}

static void tcp_s_close(struct stream *st)
{
	struct tcp_stream *s = (struct tcp_stream *)st;

	if (s->pcb) {
		tcp_arg(s->pcb, NULL);
		tcp_err(s->pcb, NULL);
		tcp_recv(s->pcb, NULL);
		tcp_poll(s->pcb, NULL, 0);
		if (s->rx || tcp_close(s->pcb) != ERR_OK)
			tcp_abort(s->pcb);
	}
	if (s->rx)
		pbuf_free(s->rx);
	plat_free(s);
}

static const struct stream_ops tcp_stream_ops = {
	tcp_s_state, tcp_s_error, tcp_s_send, tcp_s_send_space,
	tcp_s_recv, tcp_s_recv_avail, tcp_s_close,
};

static void tcp_poll_net(void *arg)
{
	net_poll(arg);
}

void net_tcp_poller(struct net_ctx *net, struct stream_poller *out)
{
	out->poll = tcp_poll_net;
	out->arg = net;
	out->cancel = net_get_cancel(net);
}
