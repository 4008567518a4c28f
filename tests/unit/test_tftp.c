/*
 * test_tftp.c — the TFTP codec (proto/tftp_msg.c) with the RFCs' examples and
 * malformed packets, and the client (proto/tftp_client.c) against a server
 * simulated in memory over a fake struct dgram: lock-step and windowed
 * transfers, block-number wrap past 65535, a packet from another port (ERROR
 * 5, not accepted), duplicates, reordering, loss, options ignored / refused /
 * exceeded, a stall, tsize mismatch, and an allocation-failure sweep.
 */
#define UNIT_NAME "tftp"
#include <stdlib.h>

#include "core/err.h"
#include "platform/platform.h"
#include "proto/tftp_client.h"
#include "proto/tftp_msg.h"
#include "unit.h"

/* ---- codec ---------------------------------------------------------- */

static void test_codec(void)
{
	uint8_t b[600];
	struct tftp_opts o = { 0 };
	struct tftp_pkt p;
	int n;
	/* RFC 2347 §5 example: RRQ foobar octet blksize 1432 */
	static const uint8_t rfc2347_rrq[] = "\0\1foobar\0octet\0blksize\0001432";
	static const uint8_t rfc2347_oack[] = "\0\6blksize\0001432";
	/* RFC 2349 §4 example: tsize 673312 and timeout 3 acknowledged */
	static const uint8_t rfc2349_oack[] = "\0\6timeout\0003\0tsize\000673312";

	o.present = TFTP_OPT_BLKSIZE;
	o.blksize = 1432;
	n = tftp_build_rrq(b, sizeof(b), "foobar", &o);
	CHECK("RFC 2347 RRQ: bytes", n == (int)sizeof(rfc2347_rrq) && !memcmp(b, rfc2347_rrq, (size_t)n));
	CHECK("RFC 2347 OACK: parses", !tftp_parse(rfc2347_oack, sizeof(rfc2347_oack), &p) &&
	      p.op == TFTP_OACK && p.opts.present == TFTP_OPT_BLKSIZE && p.opts.blksize == 1432);
	CHECK("RFC 2349 OACK: timeout and tsize",
	      !tftp_parse(rfc2349_oack, sizeof(rfc2349_oack), &p) &&
	      p.opts.present == (TFTP_OPT_TIMEOUT | TFTP_OPT_TSIZE) && p.opts.timeout == 3 &&
	      p.opts.tsize == 673312);
	o.present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE | TFTP_OPT_TIMEOUT | TFTP_OPT_WINDOW;
	o.tsize = 0;
	o.timeout = 5;
	o.windowsize = 16;
	n = tftp_build_rrq(b, sizeof(b), "boot/x.efi", &o);
	{
		static const uint8_t want[] = "\0\1boot/x.efi\0octet\0blksize\0001432\0tsize\0000\0"
					      "timeout\0005\0windowsize\00016";
		CHECK("RRQ with all four options", n == (int)sizeof(want) && !memcmp(b, want, (size_t)n));
	}
	CHECK("RRQ: empty name refused", tftp_build_rrq(b, sizeof(b), "", NULL) == -WB_ETFTPNAME);
	CHECK("RRQ: control byte refused", tftp_build_rrq(b, sizeof(b), "a\nb", NULL) == -WB_ETFTPNAME);
	memset(b, 'a', 300);
	b[256] = 0;
	CHECK("RRQ: 256-byte name refused", tftp_build_rrq(b + 300, 200, (char *)b, NULL) == -WB_ETFTPNAME);
	CHECK("RRQ: too small a buffer", tftp_build_rrq(b, 8, "foobar", NULL) == -WB_ETOOBIG);
	o.present = TFTP_OPT_BLKSIZE;
	o.blksize = 7;
	CHECK("RRQ: blksize 7 refused (RFC 2348: 8..65464)", tftp_build_rrq(b, sizeof(b), "f", &o) == -WB_EINVAL);
	o.present = TFTP_OPT_WINDOW;
	o.windowsize = 0;
	CHECK("RRQ: windowsize 0 refused (RFC 7440: 1..65535)", tftp_build_rrq(b, sizeof(b), "f", &o) == -WB_EINVAL);

	CHECK("ACK 65535", tftp_build_ack(b, 4, 65535) == 4 && !memcmp(b, "\0\4\377\377", 4));
	n = tftp_build_error(b, sizeof(b), 5, "unknown transfer ID");
	CHECK("ERROR 5", n == 24 && !memcmp(b, "\0\5\0\5unknown transfer ID", 24));
	CHECK("ERROR: message cut to the buffer", tftp_build_error(b, 8, 1, "long message") == 8 && b[7] == 0);

	{
		static const uint8_t d[] = { 0, 3, 0xff, 0xff, 'a', 'b' };
		static const uint8_t e[] = "\0\5\0\1File not found";
		static const uint8_t e2[] = { 0, 5, 0, 2, 'x', 0x01, 'y' };   /* no NUL, a control byte */

		CHECK("DATA 65535 parses", !tftp_parse(d, sizeof(d), &p) && p.op == TFTP_DATA &&
		      p.block == 65535 && p.data_len == 2 && p.data == d + 4);
		CHECK("DATA with no payload", !tftp_parse(d, 4, &p) && p.data_len == 0);
		CHECK("ERROR parses", !tftp_parse(e, sizeof(e), &p) && p.err_code == 1 &&
		      !strcmp(p.err_msg, "File not found"));
		CHECK("ERROR: missing NUL tolerated, control byte shown as ?",
		      !tftp_parse(e2, sizeof(e2), &p) && !strcmp(p.err_msg, "x?y"));
	}
	{
		static const struct { const char *name; const char *pkt; size_t len; } bad[] = {
			{ "one byte", "\0", 1 },
			{ "opcode 0", "\0\0\0\1", 4 },
			{ "opcode 7", "\0\7\0\1", 4 },
			{ "short DATA", "\0\3\0", 3 },
			{ "long ACK", "\0\4\0\1\0", 5 },
			{ "short ERROR", "\0\5\0", 3 },
			{ "OACK: unterminated name", "\0\6blksize", 9 },
			{ "OACK: missing value", "\0\6blksize\0", 10 },
			{ "OACK: unterminated value", "\0\6blksize\0001432", 14 },
			{ "OACK: empty name", "\0\6\0001\0", 5 },
			{ "OACK: blksize 7", "\0\6blksize\0007\0", 12 },
			{ "OACK: blksize 65465", "\0\6blksize\00065465\0", 16 },
			{ "OACK: windowsize 0", "\0\6windowsize\0000\0", 15 },
			{ "OACK: windowsize 65536", "\0\6windowsize\00065536\0", 19 },
			{ "OACK: timeout 256", "\0\6timeout\000256\0", 14 },
			{ "OACK: tsize not a number", "\0\6tsize\0-1\0", 11 },
			{ "OACK: tsize over 64 bits", "\0\6tsize\00018446744073709551616\0", 28 },
			{ "OACK: blksize twice", "\0\6blksize\000512\0BLKSIZE\000512\0", 24 },
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char name[96];

			snprintf(name, sizeof(name), "malformed refused: %s", bad[i].name);
			CHECK(name, tftp_parse((const uint8_t *)bad[i].pkt, bad[i].len, &p) == -WB_ETFTPBADPKT);
		}
	}
	{
		static const uint8_t oack[] = "\0\6WindowSize\0008\0tsize\00018446744073709551615\0fancy\0yes";

		CHECK("OACK: names case-insensitive, max tsize, unknown option counted",
		      !tftp_parse(oack, sizeof(oack), &p) && p.opts.windowsize == 8 &&
		      p.opts.tsize == UINT64_MAX && p.unknown_opts == 1);
	}
}

/* ---- client against a simulated server ----------------------------- */

#define SRV_PORT 69
#define SRV_TID 40000
#define STRAY_PORT 40001

struct sim {
	/* configuration */
	size_t size;            /* file length; content byte i = (i * 7 + i / 251) & 0xff */
	int options;            /* 0 ignore, 1 honour, 2 ERROR 8, 3 empty OACK, 4 bigger blksize */
	int windowsize_ok;      /* take windowsize */
	int dup;                /* send every DATA twice */
	int swap;               /* swap the first two blocks of each window */
	int lose_every;         /* drop the n-th DATA sent (first time only) */
	int stray;              /* after ACK 0: a DATA 1 from STRAY_PORT (2: an ERROR from there) */
	int stall_after;        /* stop sending after this block (0: never) */
	int lie_tsize;          /* announce tsize + 1 */
	int error_code;         /* answer the RRQ with this ERROR */
	/* state */
	uint32_t blksize, window;
	uint64_t base;          /* first unacknowledged block */
	uint64_t nblocks;
	uint64_t sent;
	int started, rrqs, got_err5, got_err, done;
	unsigned char *lost;
	/* queue to the client */
	struct { uint8_t b[70000]; size_t len; uint16_t port; } *q;
	size_t qn, qhead, qcap;
	uint64_t now;
};

struct sim_dgram {
	struct dgram base;
	struct sim *s;
};

static uint8_t content_byte(uint64_t i)
{
	return (uint8_t)((i * 7 + i / 251) & 0xff);
}

static void sim_push(struct sim *s, uint16_t port, const uint8_t *b, size_t len)
{
	size_t slot;

	if (s->qn == s->qcap)
		return;   /* full: dropped */
	slot = (s->qhead + s->qn) % s->qcap;
	memcpy(s->q[slot].b, b, len);
	s->q[slot].len = len;
	s->q[slot].port = port;
	s->qn++;
}

static void sim_data(struct sim *s, uint64_t blk)
{
	uint8_t b[4 + 65464];
	uint64_t off = (blk - 1) * s->blksize;
	size_t n = off >= s->size ? 0 : (s->size - off < s->blksize ? s->size - off : s->blksize);

	if (s->stall_after && blk > (uint64_t)s->stall_after)
		return;
	s->sent++;
	if (s->lose_every && s->sent % (uint64_t)s->lose_every == 0 && !s->lost[blk]) {
		s->lost[blk] = 1;
		return;
	}
	b[0] = 0;
	b[1] = 3;
	b[2] = (uint8_t)(blk >> 8);
	b[3] = (uint8_t)blk;
	for (size_t i = 0; i < n; i++)
		b[4 + i] = content_byte(off + i);
	sim_push(s, SRV_TID, b, 4 + n);
	if (s->dup)
		sim_push(s, SRV_TID, b, 4 + n);
}

static void sim_window(struct sim *s)
{
	uint64_t end = s->base + s->window;

	if (end > s->nblocks + 1)
		end = s->nblocks + 1;
	if (s->swap && end - s->base >= 2) {
		sim_data(s, s->base + 1);
		sim_data(s, s->base);
		for (uint64_t b = s->base + 2; b < end; b++)
			sim_data(s, b);
		return;
	}
	for (uint64_t b = s->base; b < end; b++)
		sim_data(s, b);
}

static int sim_send(struct dgram *d, const uint8_t ip[4], uint16_t port, const void *buf, size_t len)
{
	struct sim *s = ((struct sim_dgram *)d)->s;
	struct tftp_pkt p;
	uint8_t b[600];
	int n;

	(void)ip;
	if (tftp_parse(buf, len, &p))
		return 0;
	if (p.op == TFTP_ERROR) {
		if (port == STRAY_PORT && p.err_code == TFTP_ERR_TID)
			s->got_err5 = 1;
		else
			s->got_err = 1;
		return 0;
	}
	if (p.op == TFTP_RRQ && port == SRV_PORT) {
		const uint8_t *q = (const uint8_t *)buf + 2, *end = (const uint8_t *)buf + len;
		int has_opts;

		s->rrqs++;
		q += strlen((const char *)q) + 1;
		q += strlen((const char *)q) + 1;
		has_opts = q < end;
		if (s->error_code) {
			n = tftp_build_error(b, sizeof(b), (uint16_t)s->error_code, "sim says no");
			sim_push(s, SRV_TID, b, (size_t)n);
			return 0;
		}
		s->blksize = 512;
		s->window = 1;
		s->base = 1;
		if (has_opts && s->options == 2) {
			n = tftp_build_error(b, sizeof(b), 8, "no options");
			sim_push(s, SRV_TID, b, (size_t)n);
			return 0;
		}
		if (has_opts && s->options) {
			/* parse our own RRQ's options with the OACK parser */
			uint8_t o[600];
			struct tftp_pkt r;
			size_t ol = (size_t)(end - q);
			size_t pos = 2;

			o[0] = 0;
			o[1] = 6;
			memcpy(o + 2, q, ol);
			tftp_parse(o, ol + 2, &r);
			if (s->options == 3) {
				/* an OACK with no options */
			} else {
				if (r.opts.present & TFTP_OPT_BLKSIZE)
					s->blksize = r.opts.blksize + (s->options == 4 ? 1 : 0);
				if ((r.opts.present & TFTP_OPT_WINDOW) && s->windowsize_ok)
					s->window = r.opts.windowsize;
				pos += (size_t)sprintf((char *)o + pos, "blksize") + 1;
				pos += (size_t)sprintf((char *)o + pos, "%u", (unsigned)s->blksize) + 1;
				if (r.opts.present & TFTP_OPT_TSIZE) {
					pos += (size_t)sprintf((char *)o + pos, "tsize") + 1;
					pos += (size_t)sprintf((char *)o + pos, "%llu",
							       (unsigned long long)s->size + (s->lie_tsize ? 1 : 0)) + 1;
				}
				if (s->window > 1) {
					pos += (size_t)sprintf((char *)o + pos, "windowsize") + 1;
					pos += (size_t)sprintf((char *)o + pos, "%u", (unsigned)s->window) + 1;
				}
			}
			s->nblocks = s->size / s->blksize + 1;
			sim_push(s, SRV_TID, o, pos);
			return 0;
		}
		s->nblocks = s->size / s->blksize + 1;
		s->started = 1;
		sim_window(s);
		return 0;
	}
	if (p.op == TFTP_ACK && port == SRV_TID) {
		/* map the 16-bit ACK to the block it names near base */
		uint64_t acked = (s->base - 1) - (uint16_t)((uint16_t)(s->base - 1) - p.block);

		{
			uint64_t cand = s->base - 1 + (uint16_t)(p.block - (uint16_t)(s->base - 1));

			if (cand <= s->base - 1 + s->window)
				acked = cand;
		}
		s->started = 1;
		if (s->stray && acked == 0) {   /* the transfer ID is known: a forged DATA 1 */
			uint8_t x[8] = { 0, 3, 0, 1, 'X', 'X', 'X', 'X' };

			if (s->stray == 2)
				x[1] = 5;   /* ERROR 1 "XXXX" */
			s->stray = 0;
			sim_push(s, STRAY_PORT, x, sizeof(x));
		}
		if (acked >= s->nblocks) {
			s->done = 1;
			return 0;
		}
		if (acked + 1 >= s->base)
			s->base = acked + 1;
		sim_window(s);
	}
	return 0;
}

static int sim_recv(struct dgram *d, void *buf, size_t cap, uint8_t ip[4], uint16_t *port)
{
	struct sim *s = ((struct sim_dgram *)d)->s;
	size_t n;

	if (!s->qn)
		return -WB_EAGAIN;
	n = s->q[s->qhead].len < cap ? s->q[s->qhead].len : cap;
	memcpy(buf, s->q[s->qhead].b, n);
	*port = s->q[s->qhead].port;
	ip[0] = 192, ip[1] = 0, ip[2] = 2, ip[3] = 1;
	s->qhead = (s->qhead + 1) % s->qcap;
	s->qn--;
	return (int)n;
}

static struct sim *cur_sim;

static void sim_wait(struct dgram *d, uint32_t ms)
{
	(void)d;
	cur_sim->now += ms ? ms : 1;
}

static void sim_close(struct dgram *d)
{
	plat_free(d);
}

static const struct dgram_ops sim_ops = { sim_send, sim_recv, sim_wait, sim_close };

static int sim_open(void *arg, struct dgram **out)
{
	struct sim_dgram *d = plat_malloc(sizeof(*d));

	if (!d)
		return -WB_ENOMEM;
	d->base.ops = &sim_ops;
	d->s = arg;
	*out = &d->base;
	return 0;
}

static int sim_resolve(void *arg, const char *host, uint8_t ip[4])
{
	(void)arg;
	if (strcmp(host, "192.0.2.1"))
		return -WB_EDNS;
	ip[0] = 192, ip[1] = 0, ip[2] = 2, ip[3] = 1;
	return 0;
}

static uint64_t sim_now(void)
{
	return cur_sim->now;
}

struct sink {
	uint64_t got;
	int bad;
};

static int sink_check(void *arg, const uint8_t *data, size_t len)
{
	struct sink *k = arg;

	for (size_t i = 0; i < len; i++)
		if (data[i] != content_byte(k->got + i))
			k->bad = 1;
	k->got += len;
	return 0;
}

/* run one download against @s; the client's result; *k the data check */
static int sim_run(struct sim *s, struct tftp_get *g, struct sink *k)
{
	struct tftp_env env;
	int rc;

	s->qcap = 256;
	s->q = malloc(sizeof(*s->q) * s->qcap);
	s->lost = calloc(s->size / 8 + 70000, 1);
	cur_sim = s;
	memset(&env, 0, sizeof(env));
	env.resolve = sim_resolve;
	env.open = sim_open;
	env.arg = s;
	env.now_ms = sim_now;
	memset(k, 0, sizeof(*k));
	if (!g->url)
		g->url = "tftp://192.0.2.1/f";
	g->sink = sink_check;
	g->sink_arg = k;
	rc = tftp_client_get(&env, g);
	free(s->q);
	free(s->lost);
	return rc;
}

static void check_ok(const char *what, struct sim *s, struct tftp_get *g)
{
	struct sink k;
	char name[160];
	long live = host_live_allocs();
	int rc = sim_run(s, g, &k);

	snprintf(name, sizeof(name), "%s: whole file, right bytes (rc %d)", what, rc);
	CHECK(name, rc == 0 && k.got == s->size && !k.bad && g->received == s->size);
	snprintf(name, sizeof(name), "%s: nothing left allocated", what);
	CHECK(name, host_live_allocs() == live);
}

static void test_client(void)
{
	struct sim s;
	struct tftp_get g;
	struct sink k;

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 100000; s.options = 1; s.windowsize_ok = 1;
	check_ok("windowed", &s, &g);
	CHECK("windowed: blksize 1468, window 16, tsize", g.used_blksize == 1468 && g.used_window == 16 && g.tsize == 100000);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 100000; s.options = 1;
	check_ok("server without windowsize", &s, &g);
	CHECK("server without windowsize: lock-step", g.used_window == 1 && g.oack);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 5120; s.options = 0;
	check_ok("options ignored (512-byte blocks, an empty last DATA)", &s, &g);
	CHECK("options ignored: 512, lock-step, no tsize", g.used_blksize == 512 && g.used_window == 1 && g.tsize == UINT64_MAX && !g.oack);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 3000; s.options = 3;
	check_ok("empty OACK", &s, &g);
	CHECK("empty OACK: 512, lock-step", g.used_blksize == 512 && g.used_window == 1 && g.oack);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 3000; s.options = 2;
	check_ok("ERROR 8", &s, &g);
	CHECK("ERROR 8: asked again without options", g.fallback && s.rrqs == 2 && g.used_blksize == 512);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 65536 * 16 + 100; s.options = 1; s.windowsize_ok = 1;
	g.blksize = 16;
	check_ok("65543 blocks of 16 bytes, windowed: wrap past 65535", &s, &g);
	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 65536 * 8 + 100; s.options = 1;
	g.blksize = 8;
	check_ok("65549 blocks of 8 bytes, lock-step: wrap past 65535", &s, &g);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 20000; s.options = 1; s.windowsize_ok = 1; s.stray = 1;
	check_ok("DATA 1 from another port after the OACK", &s, &g);
	CHECK("another port: answered with ERROR 5, counted", s.got_err5 && g.foreign == 1);
	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 20000; s.options = 1; s.stray = 2;
	check_ok("an ERROR from another port", &s, &g);
	CHECK("an ERROR from another port: counted, not answered (no ERROR for an ERROR)",
	      !s.got_err5 && g.foreign == 1);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 200000; s.options = 1; s.windowsize_ok = 1; s.dup = 1;
	check_ok("every block twice", &s, &g);
	CHECK("every block twice: duplicates counted", g.dups > 0);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 200000; s.options = 1; s.windowsize_ok = 1; s.swap = 1;
	check_ok("first two blocks of each window swapped", &s, &g);
	CHECK("swapped: out-of-order counted", g.out_of_order > 0);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 200000; s.options = 1; s.windowsize_ok = 1; s.lose_every = 7;
	check_ok("windowed, 1 DATA in 7 lost", &s, &g);
	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 50000; s.options = 1; s.lose_every = 5;
	check_ok("lock-step, 1 DATA in 5 lost", &s, &g);
	CHECK("lock-step, lost: retransmitted", g.retransmits > 0);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 200000; s.options = 1; s.windowsize_ok = 1; s.stall_after = 30;
	g.timeout_ms = 3000;
	CHECK("stall: timed out", sim_run(&s, &g, &k) == -WB_ETFTPTIMEOUT && s.now < 4000 + 100);
	CHECK("stall: the data before it was delivered", k.got == 30 * 1468 && !k.bad);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 3000; s.options = 4;
	CHECK("OACK blksize above asked: refused", sim_run(&s, &g, &k) == -WB_ETFTPOACK && s.got_err);
	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.size = 3000; s.options = 1; s.lie_tsize = 1;
	CHECK("tsize one more than sent: refused", sim_run(&s, &g, &k) == -WB_ETFTPSIZE);
	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.error_code = 1;
	CHECK("ERROR 1: not found, code and text kept",
	      sim_run(&s, &g, &k) == -WB_ETFTPNOTFOUND && g.server_error && g.err_code == 1 &&
	      !strcmp(g.err_msg, "sim says no"));
	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.error_code = 2;
	CHECK("ERROR 2: access", sim_run(&s, &g, &k) == -WB_ETFTPACCESS);
	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	s.error_code = 0x1234;
	CHECK("ERROR 4660: generic server error", sim_run(&s, &g, &k) == -WB_ETFTPSERVER && g.err_code == 0x1234);

	memset(&s, 0, sizeof(s)); memset(&g, 0, sizeof(g));
	g.url = "http://192.0.2.1/f";
	CHECK("http URL refused", sim_run(&s, &g, &k) == -WB_ETFTPURI);
	memset(&g, 0, sizeof(g));
	g.url = "tftp://192.0.2.1/";
	CHECK("no file name refused", sim_run(&s, &g, &k) == -WB_ETFTPNAME);
	memset(&g, 0, sizeof(g));
	g.url = "tftp://nowhere.invalid/f";
	CHECK("unknown host: the resolver's error", sim_run(&s, &g, &k) == -WB_EDNS);
}

static struct sim sweep_sim;

static int sweep_run(void *arg)
{
	struct tftp_get g;
	struct sink k;

	(void)arg;
	memset(&sweep_sim, 0, sizeof(sweep_sim));
	sweep_sim.size = 4000;
	sweep_sim.options = 1;
	sweep_sim.windowsize_ok = 1;
	memset(&g, 0, sizeof(g));
	return sim_run(&sweep_sim, &g, &k);
}

static int sweep_ok(int rc)
{
	return rc == 0 || rc == -WB_ENOMEM;
}

int main(void)
{
	test_codec();
	test_client();
	unit_alloc_sweep("tftp download", sweep_run, NULL, sweep_ok);
	return unit_done();
}
