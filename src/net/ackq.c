/*
 * ackq.c — see ackq.h.  The frame layout checked here: RFC 894 Ethernet
 * (IEEE 802.1Q tag optional), RFC 791 IPv4, RFC 9293 TCP, RFC 2018 SACK.
 */
#include "net/ackq.h"

#include <string.h>


#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10
#define TCP_URG 0x20

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* 1 when the TCP options at @o (@n bytes) hold a SACK block, or cannot be walked */
static int has_sack(const uint8_t *o, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (o[i] == 0)              /* end of option list */
			return 0;
		if (o[i] == 1) {            /* no-operation */
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || o[i + 1] > n - i)
			return 1;           /* malformed: never hold it */
		if (o[i] == 5)
			return 1;
		i += o[i + 1];
	}
	return 0;
}

int ackq_parse(const uint8_t *f, size_t len, struct ackq_ack *out)
{
	size_t off = 14, ihl, tot, doff;
	const uint8_t *ip, *tcp;

	if (!f || len < 14 || len > ACKQ_FRAME_MAX)
		return 0;
	if (be16(f + 12) == 0x8100) {
		if (len < 18)
			return 0;
		off = 18;
	}
	if (be16(f + off - 2) != 0x0800 || len < off + 20)
		return 0;
	ip = f + off;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	tot = be16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 6 || (be16(ip + 6) & 0x3fff) != 0 ||
	    tot > len - off || tot < ihl + 20)
		return 0;
	tcp = ip + ihl;
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || ihl + doff != tot)   /* a payload, or a header beyond the datagram */
		return 0;
	if ((tcp[13] & (TCP_FIN | TCP_SYN | TCP_RST | TCP_URG)) || !(tcp[13] & TCP_ACK))
		return 0;
	if (has_sack(tcp + 20, doff - 20))
		return 0;
	memcpy(out->key, ip + 12, 8);
	memcpy(out->key + 8, tcp, 4);
	out->ack = be32(tcp + 8);
	out->win = be16(tcp + 14);
	return 1;
}

unsigned ackq_pending(const struct ackq *q)
{
	unsigned m = 0;

	for (unsigned i = 0; i < ACKQ_SLOTS; i++)
		if (q->s[i].used)
			m |= 1u << i;
	return m;
}

static void hold(struct ackq *q, struct ackq_slot *s, const struct ackq_ack *a, const uint8_t *frame, size_t len)
{
	s->used = 1;
	s->a = *a;
	s->len = len;
	memcpy(s->frame, frame, len);
}

int ackq_offer(struct ackq *q, const uint8_t *frame, size_t len, unsigned *flush)
{
	struct ackq_ack a;
	struct ackq_slot *free_slot = NULL;

	*flush = 0;
	if (!ackq_parse(frame, len, &a)) {
		*flush = ackq_pending(q);   /* everything held goes first: order kept */
		return ACKQ_SEND;
	}
	for (unsigned i = 0; i < ACKQ_SLOTS; i++) {
		struct ackq_slot *s = &q->s[i];

		if (!s->used) {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (memcmp(s->a.key, a.key, sizeof(a.key)))
			continue;
		/* the same connection: a later ACK (or a new window) replaces it */
		if (a.ack == s->a.ack && a.win == s->a.win) {
			*flush = 1u << i;   /* a duplicate: both go, the held one first */
			return ACKQ_SEND;
		}
		if ((int32_t)(a.ack - s->a.ack) < 0) {
			*flush = 1u << i;   /* older than the held one: never reorder */
			return ACKQ_SEND;
		}
		hold(q, s, &a, frame, len);
		q->replaced++;
		return ACKQ_HELD;
	}
	if (!free_slot) {
		*flush = ackq_pending(q);
		return ACKQ_SEND;
	}
	hold(q, free_slot, &a, frame, len);
	q->held++;
	return ACKQ_HELD;
}

const uint8_t *ackq_take(struct ackq *q, unsigned i, size_t *len)
{
	if (i >= ACKQ_SLOTS || !q->s[i].used) {
		*len = 0;
		return NULL;
	}
	q->s[i].used = 0;
	*len = q->s[i].len;
	return q->s[i].frame;
}
