/*
 * udpdgram.c — struct dgram over lwIP UDP (see udpdgram.h).
 *
 * lwIP hands each received datagram to udp_dgram_input() as a pbuf; it is
 * kept (not copied) in a ring of NET_UDP_QUEUE until recv() copies it out
 * and frees it.  A full ring drops the newest, as a full socket buffer
 * would.  wait() runs net_poll() until a datagram is queued or the time is
 * up: the firmware has no interrupts, so polling is how anything arrives.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "lwip/ip4.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "net/net.h"
#include "net/udpdgram.h"
#include "platform/platform.h"

struct udp_dgram {
	struct dgram base;     /* first: a struct dgram * is a struct udp_dgram * */
	struct net_ctx *net;
	struct udp_pcb *pcb;
	struct {
		struct pbuf *p;
		uint8_t ip[4];
		uint16_t port;
	} q[NET_UDP_QUEUE];
	unsigned head, count;
	unsigned dropped;
};

static void udp_dgram_input(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			    const ip_addr_t *addr, u16_t port)
{
	struct udp_dgram *u = arg;
	unsigned slot;

	(void)pcb;
	if (u->count == NET_UDP_QUEUE) {
		u->dropped++;
		pbuf_free(p);
		return;
	}
	slot = (u->head + u->count) % NET_UDP_QUEUE;
	u->q[slot].p = p;
	memcpy(u->q[slot].ip, &ip_2_ip4(addr)->addr, 4);
	u->q[slot].port = port;
	u->count++;
}

static int udp_dgram_send(struct dgram *d, const uint8_t ip[4], uint16_t port, const void *buf,
			  size_t len)
{
	struct udp_dgram *u = (struct udp_dgram *)d;
	ip_addr_t dst;
	struct pbuf *p;
	err_t err;

	if (len > 0xffff)
		return -WB_EINVAL;
	IP_ADDR4(&dst, ip[0], ip[1], ip[2], ip[3]);
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (!p)
		return -WB_ENOMEM;
	pbuf_take(p, buf, (u16_t)len);
	err = udp_sendto(u->pcb, p, &dst, port);
	pbuf_free(p);
	if (err == ERR_MEM)
		return -WB_ENOMEM;
	return err == ERR_OK ? 0 : -WB_ETFTPSEND;
}

static int udp_dgram_recv(struct dgram *d, void *buf, size_t cap, uint8_t ip[4], uint16_t *port)
{
	struct udp_dgram *u = (struct udp_dgram *)d;
	struct pbuf *p;
	u16_t n;

	if (!u->count)
		return -WB_EAGAIN;
	p = u->q[u->head].p;
	memcpy(ip, u->q[u->head].ip, 4);
	*port = u->q[u->head].port;
	u->head = (u->head + 1) % NET_UDP_QUEUE;
	u->count--;
	n = p->tot_len < cap ? p->tot_len : (u16_t)cap;
	pbuf_copy_partial(p, buf, n, 0);
	pbuf_free(p);
	return n;
}

static void udp_dgram_wait(struct dgram *d, uint32_t ms)
{
	struct udp_dgram *u = (struct udp_dgram *)d;
	uint64_t end = plat_ms() + ms;

	do
		net_poll(u->net);
	while (!u->count && plat_ms() < end);
}

static void udp_dgram_close(struct dgram *d)
{
	struct udp_dgram *u = (struct udp_dgram *)d;

	udp_remove(u->pcb);
	while (u->count) {
		pbuf_free(u->q[u->head].p);
		u->head = (u->head + 1) % NET_UDP_QUEUE;
		u->count--;
	}
	plat_free(u);
}

static const struct dgram_ops udp_dgram_ops = {
	udp_dgram_send, udp_dgram_recv, udp_dgram_wait, udp_dgram_close,
};

int net_udp_open(struct net_ctx *net, struct dgram **out)
{
	struct udp_dgram *u = plat_malloc(sizeof(*u));

	if (!u)
		return -WB_ENOMEM;
	memset(u, 0, sizeof(*u));
	u->base.ops = &udp_dgram_ops;
	u->net = net;
	u->pcb = udp_new();
	if (!u->pcb || udp_bind(u->pcb, IP4_ADDR_ANY, 0) != ERR_OK) {
		if (u->pcb)
			udp_remove(u->pcb);
		plat_free(u);
		return -WB_ETFTPSOCKET;
	}
	udp_recv(u->pcb, udp_dgram_input, u);
	*out = &u->base;
	return 0;
}

static int net_tftp_resolve(void *arg, const char *host, uint8_t ip[4])
{
	return net_resolve(arg, host, ip, NET_UDP_DNS_TIMEOUT_MS);
}

static int net_tftp_open(void *arg, struct dgram **out)
{
	return net_udp_open(arg, out);
}

static void net_tftp_print(const char *line)
{
	wb_printf("%s\n", line);
}

void net_tftp_env(struct net_ctx *net, struct tftp_env *out)
{
	memset(out, 0, sizeof(*out));
	out->resolve = net_tftp_resolve;
	out->open = net_tftp_open;
	out->arg = net;
	out->cancel = net_get_cancel(net);
	out->now_ms = plat_ms;
	out->print = net_tftp_print;
}
