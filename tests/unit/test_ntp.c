/*
 * test_ntp.c — the SNTP client exchange (net/ntp_msg.c): which replies are
 * believed (source address and port, originate timestamp, each answered
 * once, well-formed), the exchange going on after an ignored datagram, the
 * median of three samples, the offset arithmetic (RFC 4330 §5), and the
 * build-date floor.
 */
#define UNIT_NAME "ntp"
#include "core/err.h"
#include "core/util.h"
#include "net/ntp_msg.h"
#include "unit.h"

static const uint8_t server[4] = { 192, 0, 2, 1 };
static const uint8_t other[4] = { 192, 0, 2, 3 };

/* 2026-11-26 00:00:00 UTC */
#define T0_UNIX 1795651200LL
#define BUILT (T0_UNIX - 86400)

/* An NTP timestamp for Unix ms @ms at @p. */
static void put_ts(uint8_t *p, int64_t ms)
{
	uint64_t secs = (uint64_t)(ms / 1000) + NTP_UNIX_OFFSET;

	wb_put32(p, (uint32_t)secs);
	wb_put32(p + 4, (uint32_t)((((uint64_t)(ms % 1000)) << 32) / 1000 + 1));
}

/* The server's reply to @req: received at @t2, sent at @t3 (Unix ms). */
static void reply(uint8_t rep[NTP_MSG_LEN], const uint8_t req[NTP_MSG_LEN], int64_t t2, int64_t t3)
{
	memset(rep, 0, NTP_MSG_LEN);
	rep[0] = 0x24;                  /* LI 0, VN 4, mode 4 */
	rep[1] = 2;                     /* stratum 2 */
	memcpy(rep + 24, req + 40, 8);  /* originate = our transmit */
	put_ts(rep + 32, t2);
	put_ts(rep + 40, t3);
}

static void test_codec(void)
{
	uint8_t req[NTP_MSG_LEN], rep[NTP_MSG_LEN];
	int64_t rx, tx, t;

	ntp_msg_build(req, 0x0102030405060708ULL);
	reply(rep, req, T0_UNIX * 1000 + 250, T0_UNIX * 1000 + 251);
	CHECK("timestamps: parses", !ntp_msg_parse_ts(rep, sizeof(rep), 0x0102030405060708ULL, &rx, &tx));
	CHECK("timestamps: receive to the millisecond", rx == T0_UNIX * 1000 + 250);
	CHECK("timestamps: transmit to the millisecond", tx == T0_UNIX * 1000 + 251);
	CHECK("seconds: parses", !ntp_msg_parse(rep, sizeof(rep), 0x0102030405060708ULL, &t) && t == T0_UNIX);
	put_ts(rep + 32, T0_UNIX * 1000 + 252);
	CHECK("transmitted before received: refused",
	      ntp_msg_parse_ts(rep, sizeof(rep), 0x0102030405060708ULL, &rx, &tx) == -WB_ENTPBAD);
	memset(rep + 32, 0, 8);
	CHECK("no receive timestamp: the transmit one stands in",
	      !ntp_msg_parse_ts(rep, sizeof(rep), 0x0102030405060708ULL, &rx, &tx) && rx == tx);
}

static void test_median(void)
{
	static const int64_t v[][4] = {
		{ 1, 2, 3, 2 }, { 3, 2, 1, 2 }, { 2, 1, 3, 2 }, { 2, 3, 1, 2 }, { 1, 3, 2, 2 },
		{ 3, 1, 2, 2 }, { 5, 5, 1, 5 }, { 1, 5, 5, 5 }, { 7, 7, 7, 7 },
		{ -4, 1000000000000LL, 3, 3 },
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (ntp_median3(v[i][0], v[i][1], v[i][2]) != v[i][3])
			bad++;
	CHECK("median of three: every order, ties, an outlier", !bad);
}

/* A client that sent a request at local @t1 ms; its bytes in @req. */
static void ask(struct ntp_client *c, uint64_t nonce, uint64_t t1, uint8_t req[NTP_MSG_LEN])
{
	ntp_client_request(c, nonce, t1, req);
}

static void test_client(void)
{
	struct ntp_client c;
	uint8_t req[NTP_MSG_LEN], req2[NTP_MSG_LEN], rep[NTP_MSG_LEN], bad[NTP_MSG_LEN];
	/* the server's clock is local + OFF ms; the path takes 10 ms each way */
	const int64_t OFF = T0_UNIX * 1000 - 5000;
	int64_t t;
	uint64_t now = 5000;

	ntp_client_init(&c, server);
	CHECK("nothing: timeout", ntp_client_result(&c, now, BUILT, &t) == -WB_ENTPTIMEOUT);
	ask(&c, 0x1111, now, req);
	reply(rep, req, OFF + (int64_t)now + 10, OFF + (int64_t)now + 11);

	/* forged or stray datagrams first: each ignored, the exchange goes on */
	CHECK("another source port: ignored", !ntp_client_input(&c, server, 1123, rep, sizeof(rep), now + 21));
	CHECK("... reason", c.last_refusal == -WB_ENTPSOURCE);
	CHECK("another address, port 123: ignored", !ntp_client_input(&c, other, 123, rep, sizeof(rep), now + 21));
	CHECK("... reason", c.last_refusal == -WB_ENTPSOURCE);
	memcpy(bad, rep, sizeof(bad));
	bad[31] ^= 1;
	CHECK("wrong originate timestamp: ignored", !ntp_client_input(&c, server, 123, bad, sizeof(bad), now + 21));
	CHECK("... reason", c.last_refusal == -WB_ENTPORIGIN);
	memset(bad + 24, 0, 8);
	CHECK("zero originate timestamp: ignored", !ntp_client_input(&c, server, 123, bad, sizeof(bad), now + 21));
	CHECK("short datagram: ignored", !ntp_client_input(&c, server, 123, rep, 47, now + 21));
	CHECK("... reason", c.last_refusal == -WB_ENTPBAD);
	memcpy(bad, rep, sizeof(bad));
	bad[0] = 0xe4;   /* LI 3 */
	CHECK("unsynchronised server: ignored", !ntp_client_input(&c, server, 123, bad, sizeof(bad), now + 21));
	CHECK("... and the request is still outstanding", c.nsamples == 0 && c.ignored == 6);
	CHECK("... reason", c.last_refusal == -WB_ENTPLEAP);
	CHECK("ignored only: too few", ntp_client_result(&c, now, BUILT, &t) == -WB_ENTPFEW);
	{   /* header fields refused, each with its own reason (SECURITY.md, SNTP replies) */
		static const struct { uint8_t b0, stratum; int why; const char *what; } hdr[] = {
			{ 0x23, 2, -WB_ENTPMODE, "mode 3 (a client's request)" },
			{ 0x25, 2, -WB_ENTPMODE, "mode 5 (broadcast)" },
			{ 0x14, 2, -WB_ENTPVERSION, "version 2" },
			{ 0x2c, 2, -WB_ENTPVERSION, "version 5" },
			{ 0x24, 16, -WB_ENTPSTRATUM, "stratum 16 (unsynchronised)" },
			{ 0x24, 0, -WB_ENTPSTRATUM, "stratum 0 (kiss-o'-death)" },
			{ 0x24, 255, -WB_ENTPSTRATUM, "stratum 255" },
		};

		for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++) {
			unsigned before = c.ignored;

			memcpy(bad, rep, sizeof(bad));
			bad[0] = hdr[i].b0;
			bad[1] = hdr[i].stratum;
			CHECK(hdr[i].what, !ntp_client_input(&c, server, 123, bad, sizeof(bad), now + 21) &&
			      c.ignored == before + 1 && c.last_refusal == hdr[i].why && c.nsamples == 0);
		}
		memcpy(bad, rep, sizeof(bad));
		bad[0] = 0x1c;   /* version 3, mode 4, stratum 15: the edges that are taken */
		bad[1] = 15;
		CHECK("version 3, stratum 15: accepted by the parser",
		      !ntp_msg_parse_ts(bad, sizeof(bad), (uint64_t)wb_get32(bad + 24) << 32 | wb_get32(bad + 28),
					&t, &t));
	}

	/* the real reply after them */
	CHECK("real reply: taken", ntp_client_input(&c, server, 123, rep, sizeof(rep), now + 21));
	CHECK("the same reply again (replay): ignored",
	      !ntp_client_input(&c, server, 123, rep, sizeof(rep), now + 22) && c.last_refusal == -WB_ENTPORIGIN);
	CHECK("one sample: too few", ntp_client_result(&c, now, BUILT, &t) == -WB_ENTPFEW);

	/* sample 2: a request retransmitted; the late reply to the first copy counts */
	now = 7000;
	ask(&c, 0x2222, now, req);
	ask(&c, 0x2223, now + 1000, req2);
	reply(rep, req, OFF + (int64_t)now + 10, OFF + (int64_t)now + 10);
	CHECK("late reply to an earlier copy: taken", ntp_client_input(&c, server, 123, rep, sizeof(rep), now + 1020));
	/* its path was slow one way (1000 ms back): the offset is off by ~500 ms */
	/* sample 3: a fast exchange */
	now = 9000;
	ask(&c, 0x3333, now, req);
	reply(rep, req, OFF + (int64_t)now + 10, OFF + (int64_t)now + 12);
	CHECK("third reply: taken", ntp_client_input(&c, server, 123, rep, sizeof(rep), now + 22));
	CHECK("three samples: done", ntp_client_done(&c));
	CHECK("more after done: ignored", !ntp_client_input(&c, server, 123, rep, sizeof(rep), now + 23));
	CHECK("result: ok", ntp_client_result(&c, 20000, BUILT, &t) == 0);
	CHECK("result: the median offset applied to the caller's clock (the slow sample left out)",
	      t == (OFF + 20000) / 1000);
	CHECK("before the build date: refused, the time given",
	      ntp_client_result(&c, 20000, T0_UNIX + 3600, &t) == -WB_ENTPPAST && t == (OFF + 20000) / 1000);
}

/* Offsets: one wild sample (a forged time that got through) does not move the median. */
static void test_client_outlier(void)
{
	struct ntp_client c;
	uint8_t req[NTP_MSG_LEN], rep[NTP_MSG_LEN];
	const int64_t OFF = T0_UNIX * 1000;
	static const int64_t skew[3] = { 0, 315360000000LL /* +10 years */, 40 };
	int64_t t;

	ntp_client_init(&c, server);
	for (int i = 0; i < 3; i++) {
		uint64_t now = 1000 + (uint64_t)i * 100;

		ask(&c, 0x4000 + (uint64_t)i, now, req);
		reply(rep, req, OFF + skew[i] + (int64_t)now + 5, OFF + skew[i] + (int64_t)now + 5);
		ntp_client_input(&c, server, 123, rep, sizeof(rep), now + 10);
	}
	CHECK("outlier: result", ntp_client_result(&c, 3000, BUILT, &t) == 0);
	CHECK("outlier: the median sample's time", t == (OFF + 40 + 3000) / 1000);
}

/* More requests than remembered: the oldest is forgotten, its reply ignored. */
static void test_client_pending(void)
{
	struct ntp_client c;
	uint8_t first[NTP_MSG_LEN], req[NTP_MSG_LEN], rep[NTP_MSG_LEN];

	ntp_client_init(&c, server);
	ask(&c, 0x5000, 1, first);
	for (int i = 1; i <= NTP_PENDING_MAX; i++)
		ask(&c, 0x5000 + (uint64_t)i, 1 + (uint64_t)i, req);
	reply(rep, first, T0_UNIX * 1000, T0_UNIX * 1000);
	CHECK("forgotten request: its reply ignored", !ntp_client_input(&c, server, 123, rep, sizeof(rep), 50));
	reply(rep, req, T0_UNIX * 1000, T0_UNIX * 1000);
	CHECK("latest request: its reply taken", ntp_client_input(&c, server, 123, rep, sizeof(rep), 50));
}

int main(void)
{
	test_codec();
	test_median();
	test_client();
	test_client_outlier();
	test_client_pending();
	return unit_done();
}
