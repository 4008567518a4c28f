/*
 * test_ackq.c — holding back pure TCP ACKs (net/ackq.c): which frames are
 * pure ACKs (data, SYN/FIN/RST/URG, SACK blocks, fragments, other protocols,
 * 802.1Q tags, malformed headers), and the queue's decisions: a later ACK or
 * window replaces the held one, a duplicate sends both in order, an older
 * ACK never overtakes, any other frame sends everything held first, full
 * slots send everything, take frees.
 */
#define UNIT_NAME "ackq"
#include <stdint.h>

#include "net/ackq.h"
#include "unit.h"

/* An Ethernet frame with IPv4 + TCP: ports sp→dp, ack number, window, flags,
 * @opt TCP option bytes (multiple of 4), @data payload bytes; @vlan: tagged. */
static size_t mk(uint8_t *f, int vlan, uint16_t sp, uint16_t dp, uint32_t ack, uint16_t win, uint8_t flags,
		 const uint8_t *opt, size_t optlen, size_t data)
{
	size_t o = 0, ihl = 20, th = 20 + optlen, tot = ihl + th + data;
	uint8_t *ip, *tcp;

	memset(f, 0, 200);
	memset(f, 0x52, 6);
	memset(f + 6, 0x02, 6);
	o = 12;
	if (vlan) {
		f[o++] = 0x81; f[o++] = 0x00; f[o++] = 0x00; f[o++] = 0x05;
	}
	f[o++] = 0x08; f[o++] = 0x00;
	ip = f + o;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8); ip[3] = (uint8_t)tot;
	ip[6] = 0x40;                 /* DF */
	ip[8] = 64; ip[9] = 6;
	ip[12] = 192; ip[13] = 0; ip[14] = 2; ip[15] = 100;
	ip[16] = 192; ip[17] = 0; ip[18] = 2; ip[19] = 1;
	tcp = ip + ihl;
	tcp[0] = (uint8_t)(sp >> 8); tcp[1] = (uint8_t)sp;
	tcp[2] = (uint8_t)(dp >> 8); tcp[3] = (uint8_t)dp;
	tcp[8] = (uint8_t)(ack >> 24); tcp[9] = (uint8_t)(ack >> 16); tcp[10] = (uint8_t)(ack >> 8); tcp[11] = (uint8_t)ack;
	tcp[12] = (uint8_t)((th / 4) << 4);
	tcp[13] = flags;
	tcp[14] = (uint8_t)(win >> 8); tcp[15] = (uint8_t)win;
	if (optlen)
		memcpy(tcp + 20, opt, optlen);
	return o + tot;
}

#define ACK 0x10

static void parse_tests(void)
{
	uint8_t f[200];
	struct ackq_ack a;
	size_t n;
	static const uint8_t sack[12] = { 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9 };
	static const uint8_t nops[4] = { 1, 1, 1, 0 };
	static const uint8_t badopt[4] = { 8, 9, 0, 0 };   /* length beyond the header */

	n = mk(f, 0, 5001, 49152, 0x01020304, 8760, ACK, NULL, 0, 0);
	CHECK("pure ACK recognised", ackq_parse(f, n, &a) == 1);
	CHECK("its ack number", a.ack == 0x01020304);
	CHECK("its window", a.win == 8760);
	CHECK("its key: addresses and ports", a.key[3] == 100 && a.key[7] == 1 && a.key[8] == 0x13 && a.key[9] == 0x89);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK | 0x08, NULL, 0, 0);
	CHECK("ACK with PSH, no data: pure", ackq_parse(f, n, &a) == 1);
	n = mk(f, 1, 5001, 49152, 1, 8760, ACK, NULL, 0, 0);
	CHECK("802.1Q-tagged pure ACK", ackq_parse(f, n, &a) == 1);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, nops, 4, 0);
	CHECK("options without SACK: pure", ackq_parse(f, n, &a) == 1);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, NULL, 0, 1);
	CHECK("one byte of data: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK | 0x01, NULL, 0, 0);
	CHECK("FIN: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK | 0x02, NULL, 0, 0);
	CHECK("SYN-ACK: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK | 0x04, NULL, 0, 0);
	CHECK("RST: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK | 0x20, NULL, 0, 0);
	CHECK("URG: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, 0x04, NULL, 0, 0);
	CHECK("no ACK flag: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, sack, 12, 0);
	CHECK("SACK blocks: sent (loss recovery counts them)", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, badopt, 4, 0);
	CHECK("malformed option: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, NULL, 0, 0);
	f[14 + 9] = 17;
	CHECK("UDP: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, NULL, 0, 0);
	f[14 + 6] = 0x20;
	CHECK("IP fragment (MF): sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, NULL, 0, 0);
	f[12] = 0x86; f[13] = 0xdd;
	CHECK("not IPv4: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, NULL, 0, 0);
	CHECK("truncated frame: sent", ackq_parse(f, n - 1, &a) == 0);
	f[14 + 3] = 10;
	CHECK("IP total length below the headers: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, NULL, 0, 0);
	f[14] = 0x44;
	CHECK("IHL 4: sent", ackq_parse(f, n, &a) == 0);
	n = mk(f, 0, 5001, 49152, 1, 8760, ACK, NULL, 0, 0);
	f[14 + 20 + 12] = 0x40;
	CHECK("TCP data offset 4: sent", ackq_parse(f, n, &a) == 0);
	CHECK("NULL frame: sent", ackq_parse(NULL, 60, &a) == 0);
	CHECK("frame above ACKQ_FRAME_MAX: sent", ackq_parse(f, ACKQ_FRAME_MAX + 1, &a) == 0);
}

static void queue_tests(void)
{
	struct ackq q;
	uint8_t f[200], g[200], h[200];
	size_t n, m, k, len;
	unsigned fl;
	const uint8_t *p;

	memset(&q, 0, sizeof(q));
	n = mk(f, 0, 5001, 49152, 1000, 8760, ACK, NULL, 0, 0);
	CHECK("first ACK held", ackq_offer(&q, f, n, &fl) == ACKQ_HELD && fl == 0);
	CHECK("one slot pending", ackq_pending(&q) == 1);
	m = mk(g, 0, 5001, 49152, 3920, 5840, ACK, NULL, 0, 0);
	CHECK("later ACK replaces it", ackq_offer(&q, g, m, &fl) == ACKQ_HELD && fl == 0 && q.replaced == 1);
	p = ackq_take(&q, 0, &len);
	CHECK("the held frame is the later one", p && len == m && !memcmp(p, g, m));
	CHECK("take frees the slot", ackq_pending(&q) == 0 && ackq_take(&q, 0, &len) == NULL && len == 0);

	memset(&q, 0, sizeof(q));
	ackq_offer(&q, g, m, &fl);
	k = mk(h, 0, 5001, 49152, 3920, 8760, ACK, NULL, 0, 0);
	CHECK("same ack, larger window (update): replaces", ackq_offer(&q, h, k, &fl) == ACKQ_HELD && fl == 0);
	CHECK("a duplicate (same ack and window): held one first, then it",
	      ackq_offer(&q, h, k, &fl) == ACKQ_SEND && fl == 1);
	ackq_take(&q, 0, &len);

	memset(&q, 0, sizeof(q));
	ackq_offer(&q, g, m, &fl);
	CHECK("an older ack never overtakes the held one", ackq_offer(&q, f, n, &fl) == ACKQ_SEND && fl == 1);
	ackq_take(&q, 0, &len);

	memset(&q, 0, sizeof(q));
	n = mk(f, 0, 5001, 49152, 0xfffffff0u, 8760, ACK, NULL, 0, 0);
	m = mk(g, 0, 5001, 49152, 0x10, 8760, ACK, NULL, 0, 0);
	ackq_offer(&q, f, n, &fl);
	CHECK("ack number wrapping round counts as later", ackq_offer(&q, g, m, &fl) == ACKQ_HELD && fl == 0);
	ackq_take(&q, 0, &len);

	memset(&q, 0, sizeof(q));
	n = mk(f, 0, 5001, 49152, 1000, 8760, ACK, NULL, 0, 0);
	m = mk(g, 0, 5002, 49153, 1000, 8760, ACK, NULL, 0, 0);
	ackq_offer(&q, f, n, &fl);
	CHECK("another connection gets its own slot", ackq_offer(&q, g, m, &fl) == ACKQ_HELD && ackq_pending(&q) == 3);
	k = mk(h, 0, 5001, 49152, 1000, 8760, ACK, NULL, 0, 10);
	CHECK("a data frame sends everything held first", ackq_offer(&q, h, k, &fl) == ACKQ_SEND && fl == 3);
	ackq_take(&q, 0, &len);
	ackq_take(&q, 1, &len);

	memset(&q, 0, sizeof(q));
	for (unsigned i = 0; i < ACKQ_SLOTS; i++) {
		n = mk(f, 0, (uint16_t)(6000 + i), 49152, 1, 8760, ACK, NULL, 0, 0);
		ackq_offer(&q, f, n, &fl);
	}
	CHECK("every slot used", ackq_pending(&q) == (1u << ACKQ_SLOTS) - 1);
	n = mk(f, 0, 7000, 49152, 1, 8760, ACK, NULL, 0, 0);
	CHECK("slots full: everything held goes, then it", ackq_offer(&q, f, n, &fl) == ACKQ_SEND &&
	      fl == (1u << ACKQ_SLOTS) - 1);
	CHECK("take of a bad index", ackq_take(&q, ACKQ_SLOTS, &len) == NULL && len == 0);
}

int main(void)
{
	parse_tests();
	queue_tests();
	return unit_done();
}
