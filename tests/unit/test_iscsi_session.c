/* test_iscsi_session.c — the full-feature-phase machine against a scripted target:
 * CmdSN window, pipelining and splitting, READ(10)/READ(16), out-of-order Data-In,
 * UNIT ATTENTION retry, NOP-In answered, Reject, Async, READ CAPACITY(16); ERL 0 restart with
 * tasks in flight; our pings, logout, TEST UNIT READY and NOT READY. */
#define UNIT_NAME "iscsi_session"
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_session.h"
#include "unit.h"

static struct iscsi_login L;
static struct iscsi_sess S;
static uint8_t out[70000];
static uint32_t statsn = 100;

static void setup(uint32_t cmdsn, uint32_t maxcmdsn, uint32_t max_burst, uint32_t depth)
{
	static const uint8_t lun[8] = { 0, 1 };

	memset(&L, 0, sizeof(L));
	L.cmdsn = cmdsn;
	L.expcmdsn = cmdsn;
	L.maxcmdsn = maxcmdsn;
	L.expstatsn = statsn;
	L.params.max_burst = max_burst;
	iscsi_sess_init(&S, &L, lun, depth);
}

/* collect every PDU the session wants to send now; decoded into h[] */
static int drain(struct iscsi_bhs *h, int max)
{
	int k = 0, n;

	while ((n = iscsi_sess_output(&S, out, sizeof(out))) > 0) {
		if (k < max && iscsi_bhs_decode(out, 0xffffff, &h[k]) == 0)
			k++;
	}
	return k;
}

static uint8_t pattern(uint64_t off) { return (uint8_t)(off * 7 + (off >> 9)); }

static int feed(uint8_t op, uint32_t itt, uint8_t flags, uint8_t status, uint32_t off,
		const uint8_t *data, uint32_t len, uint32_t expcmdsn, uint32_t maxcmdsn)
{
	struct iscsi_pdu p;

	memset(&p, 0, sizeof(p));
	p.bhs.opcode = op;
	p.bhs.itt = itt;
	p.bhs.ttt = 0xffffffffu;
	p.bhs.flags = flags;
	p.bhs.status = status;
	p.bhs.buffer_offset = off;
	p.bhs.data_len = len;
	p.bhs.expcmdsn = expcmdsn;
	p.bhs.maxcmdsn = maxcmdsn;
	if (op == ISCSI_OP_SCSI_RSP || (flags & ISCSI_DATAIN_STATUS) || op == ISCSI_OP_NOP_IN)
		p.bhs.statsn = statsn++;
	p.data = data;
	return iscsi_sess_input(&S, &p);
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void test_pipeline_window(void)
{
	struct iscsi_bhs h[16];
	static uint8_t buf[8 * 4096], chunk[4096];
	long tag;
	int n, ok = 1;

	/* 64 blocks of 512 = 32 KiB, MaxBurstLength 4096 → 8 commands of 8 blocks;
	   window: CmdSN 10..12 open (3 commands), depth 8 */
	setup(10, 12, 4096, 8);
	tag = iscsi_sess_read(&S, 1000, 64, buf);
	CHECK("read queued with a tag", tag > 0);
	n = drain(h, 16);
	CHECK("window closed after MaxCmdSN: 3 commands sent", n == 3);
	CHECK("CmdSN 10,11,12 in order", n == 3 && h[0].cmdsn == 10 && h[1].cmdsn == 11 && h[2].cmdsn == 12);
	CHECK("READ(10) for LBA below 2^32, LBA and length in the CDB",
	      h[0].cdb[0] == SCSI_READ10 && be32(h[0].cdb + 2) == 1000 && h[0].cdb[8] == 8 && h[0].edtl == 4096);
	CHECK("second command continues at LBA 1008", be32(h[1].cdb + 2) == 1008);
	CHECK("commands carry R and F flags", (h[0].flags & (ISCSI_CMD_READ | ISCSI_FLAG_FINAL)) == (ISCSI_CMD_READ | ISCSI_FLAG_FINAL));
	CHECK("distinct ITTs", h[0].itt != h[1].itt && h[1].itt != h[2].itt);
	CHECK("window stall counted", S.window_stalls > 0);
	CHECK("nothing more to send while the window is closed", drain(h, 16) == 0);
	CHECK("request pending", iscsi_sess_done(&S, tag, NULL) == 0);

	/* a NOP-In without data opens the window to 17: the rest go out */
	{
		struct iscsi_bhs first3[3];

		memcpy(first3, h, sizeof(first3));
		CHECK("NOP-In (no ping) accepted", feed(ISCSI_OP_NOP_IN, 0xffffffffu, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 10, 17) == 0);
		n = drain(h + 3, 13);
		CHECK("MaxCmdSN 17 opens the window: the 5 remaining commands go out", n == 5);
		CHECK("CmdSN continues at 13", n == 5 && h[3].cmdsn == 13 && h[7].cmdsn == 17);
		memcpy(h, first3, sizeof(first3));
	}
	/* answer every command with Data-In in reverse offset order, 1 KiB pieces,
	   the last piece (offset 0) carrying status */
	for (int c = 7; c >= 0; c--) {
		uint32_t base = (uint32_t)c * 4096;

		for (int piece = 3; piece >= 0; piece--) {
			for (int i = 0; i < 1024; i++)
				chunk[i] = pattern(base + (uint32_t)piece * 1024 + (uint32_t)i);
			if (feed(ISCSI_OP_DATA_IN, h[c].itt, (uint8_t)(piece == 0 ? ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS : 0),
				 0, (uint32_t)piece * 1024, chunk, 1024, 18, 30))
				ok = 0;
		}
	}
	CHECK("Data-In accepted", ok);
	CHECK("request done", iscsi_sess_done(&S, tag, NULL) == 1);
	ok = 1;
	for (uint32_t i = 0; i < sizeof(buf); i++)
		if (buf[i] != pattern(i))
			ok = 0;
	CHECK("out-of-order Data-In placed at their offsets", ok);
	CHECK("slots freed after done", iscsi_sess_done(&S, tag, NULL) == -WB_ENOENT);
	CHECK("ExpStatSN follows StatSN", S.expstatsn == statsn);
}

static void test_depth(void)
{
	struct iscsi_bhs h[16];
	static uint8_t buf[16 * 512];

	setup(1, 100, 512, 2);
	iscsi_sess_read(&S, 0, 16, buf);
	CHECK("depth 2: two commands in flight although the window is open", drain(h, 16) == 2);
	feed(ISCSI_OP_SCSI_RSP, h[0].itt, ISCSI_FLAG_FINAL | ISCSI_RSP_UNDERFLOW, 0, 0, NULL, 0, 3, 100);
	CHECK("a read that was short (underflow without data) fails", S.inflight == 1);
	CHECK("the freed depth slot lets one more out", drain(h, 16) == 1);
}

static void test_read16(void)
{
	struct iscsi_bhs h[4];
	static uint8_t buf[4096];
	long tag;

	setup(1, 100, 262144, 8);
	tag = iscsi_sess_read(&S, 0xfffffffeull, 4, buf);
	CHECK("read straddling 2^32 queued", tag > 0);
	CHECK("one command", drain(h, 4) == 1);
	CHECK("READ(16) when the last LBA is above 2^32-1",
	      h[0].cdb[0] == SCSI_READ16 && be32(h[0].cdb + 2) == 0 && be32(h[0].cdb + 6) == 0xfffffffeu &&
		      be32(h[0].cdb + 10) == 4);
	{
		static uint8_t src[2048];

		feed(ISCSI_OP_DATA_IN, h[0].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 0, src, 2048, 2, 100);
	}
	CHECK("READ(16) completes", iscsi_sess_done(&S, tag, NULL) == 1);
	tag = iscsi_sess_read(&S, 0x12345678ull, 1, buf);
	drain(h, 4);
	CHECK("READ(10) below 2^32", h[0].cdb[0] == SCSI_READ10 && be32(h[0].cdb + 2) == 0x12345678u);
}

static void test_unit_attention(void)
{
	struct iscsi_bhs h[4];
	static uint8_t buf[512];
	uint8_t sense[2 + 18];
	struct iscsi_task info;
	long tag;

	memset(sense, 0, sizeof(sense));
	sense[1] = 18;
	sense[2] = 0x70;
	sense[4] = SCSI_SENSE_UNIT_ATTENTION;
	sense[14] = 0x29;   /* POWER ON, RESET, OR BUS DEVICE RESET OCCURRED */
	setup(5, 50, 262144, 8);
	tag = iscsi_sess_read(&S, 7, 1, buf);
	CHECK("sent", drain(h, 4) == 1 && h[0].cmdsn == 5);
	feed(ISCSI_OP_SCSI_RSP, h[0].itt, ISCSI_FLAG_FINAL, SCSI_STATUS_CHECK, 0, sense, sizeof(sense), 6, 50);
	CHECK("UNIT ATTENTION: still pending", iscsi_sess_done(&S, tag, NULL) == 0);
	CHECK("UNIT ATTENTION: reissued with a new CmdSN", drain(h + 1, 3) == 1 && h[1].cmdsn == 6 &&
	      h[1].cdb[0] == SCSI_READ10 && be32(h[1].cdb + 2) == 7);
	CHECK("retry counted", S.ua_retries == 1);
	{
		static uint8_t src[512];

		memset(src, 0x5a, sizeof(src));
		feed(ISCSI_OP_DATA_IN, h[1].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 0, src, 512, 7, 50);
		CHECK("retried read's data", buf[0] == 0x5a && buf[511] == 0x5a);
	}
	CHECK("retried read completes", iscsi_sess_done(&S, tag, NULL) == 1);

	/* MEDIUM ERROR (descriptor format) is not retried; sense kept */
	memset(sense, 0, sizeof(sense));
	sense[1] = 8;
	sense[2] = 0x72;
	sense[3] = 0x3;
	sense[4] = 0x11;
	tag = iscsi_sess_read(&S, 9, 1, buf);
	drain(h, 4);
	feed(ISCSI_OP_SCSI_RSP, h[0].itt, ISCSI_FLAG_FINAL, SCSI_STATUS_CHECK, 0, sense, 10, 8, 50);
	CHECK("MEDIUM ERROR fails the read", iscsi_sess_done(&S, tag, &info) == -WB_EISCSISCSI);
	CHECK("descriptor sense decoded", info.sense.key == 3 && info.sense.asc == 0x11);
}

static void test_nop_reject_async(void)
{
	struct iscsi_bhs h[4];
	struct iscsi_pdu p;
	static uint8_t buf[512];
	uint8_t ping[5] = { 'h', 'e', 'l', 'l', 'o' }, rej[48];
	long tag;
	int n;

	setup(1, 50, 262144, 8);
	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_NOP_IN;
	p.bhs.itt = 0xffffffffu;
	p.bhs.ttt = 0xabcd;
	p.bhs.lun[1] = 1;
	p.bhs.data_len = 5;
	p.bhs.expcmdsn = 1;
	p.bhs.maxcmdsn = 50;
	p.bhs.statsn = statsn;
	p.data = ping;
	CHECK("NOP-In ping accepted", iscsi_sess_input(&S, &p) == 0);
	n = iscsi_sess_output(&S, out, sizeof(out));
	CHECK("NOP-Out answer built", n == 48 + 8 && iscsi_bhs_decode(out, 0xffffff, &h[0]) == 0);
	CHECK("NOP-Out: immediate, reserved ITT, the target's TTT, data echoed",
	      h[0].opcode == ISCSI_OP_NOP_OUT && h[0].immediate && h[0].itt == 0xffffffffu && h[0].ttt == 0xabcd &&
		      h[0].data_len == 5 && !memcmp(out + 48, "hello", 5) && h[0].cmdsn == 1);
	CHECK("answered once", iscsi_sess_output(&S, out, sizeof(out)) == 0 && S.nops_answered == 1);

	tag = iscsi_sess_read(&S, 0, 1, buf);
	drain(h, 4);
	memset(rej, 0, sizeof(rej));
	rej[0] = ISCSI_OP_SCSI_CMD;
	rej[16] = (uint8_t)(h[0].itt >> 24);
	rej[17] = (uint8_t)(h[0].itt >> 16);
	rej[18] = (uint8_t)(h[0].itt >> 8);
	rej[19] = (uint8_t)h[0].itt;
	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_REJECT;
	p.bhs.reason = 0x09;
	p.bhs.itt = 0xffffffffu;
	p.bhs.data_len = 48;
	p.bhs.expcmdsn = 2;
	p.bhs.maxcmdsn = 50;
	p.data = rej;
	CHECK("Reject naming our task: input ok", iscsi_sess_input(&S, &p) == 0);
	CHECK("Reject fails that task", iscsi_sess_done(&S, tag, NULL) == -WB_EISCSIREJECT && S.reject_reason == 9);
	rej[19] ^= 0x55;
	CHECK("Reject naming nothing of ours is an error", iscsi_sess_input(&S, &p) == -WB_EISCSIREJECT);

	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_ASYNC;
	p.bhs.async_event = 1;
	p.bhs.param[2] = 10;
	p.bhs.expcmdsn = 2;
	p.bhs.maxcmdsn = 50;
	CHECK("Async Message surfaced", iscsi_sess_input(&S, &p) == ISCSI_SESS_ASYNC && S.async.event == 1 &&
	      S.async.param[2] == 10);
	CHECK("Data-In for an unknown ITT is a protocol error",
	      feed(ISCSI_OP_DATA_IN, 0x7777, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 2, 50) == -WB_EISCSIPROTO);
}

static void test_window_rules(void)
{
	struct iscsi_bhs h[4];
	static uint8_t buf[512];

	setup(0xfffffffeu, 0xfffffffeu, 262144, 8);
	iscsi_sess_read(&S, 0, 1, buf);
	iscsi_sess_read(&S, 1, 1, buf);
	iscsi_sess_read(&S, 2, 1, buf);
	CHECK("one command fits", drain(h, 4) == 1);
	/* MaxCmdSN < ExpCmdSN - 1: ignored */
	feed(ISCSI_OP_NOP_IN, 0xffffffffu, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 0xffffffffu, 0xfffffff0u);
	CHECK("inconsistent window ignored", drain(h, 4) == 0 && S.maxcmdsn == 0xfffffffeu);
	/* window across the wrap: MaxCmdSN 0 (serial > 0xfffffffe) */
	feed(ISCSI_OP_NOP_IN, 0xffffffffu, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 0xffffffffu, 0);
	CHECK("window across 2^32 wrap: CmdSN 0xffffffff and 0 sent", drain(h, 4) == 2 && h[0].cmdsn == 0xffffffffu &&
	      h[1].cmdsn == 0);
	/* an older MaxCmdSN does not shrink the window */
	feed(ISCSI_OP_NOP_IN, 0xffffffffu, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 0xfffffffeu, 0xfffffffeu);
	CHECK("stale MaxCmdSN does not move the window back", S.maxcmdsn == 0);
	/* ExpCmdSN beyond the CmdSNs we used: inconsistent, ignored */
	feed(ISCSI_OP_NOP_IN, 0xffffffffu, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 5, 9);
	CHECK("ExpCmdSN ahead of our CmdSN ignored", S.expcmdsn == 0xffffffffu && S.maxcmdsn == 0);
	/* a MaxCmdSN so far ahead that serial comparison would wrap is ignored */
	feed(ISCSI_OP_NOP_IN, 0xffffffffu, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 1, 0x70000000u);
	CHECK("MaxCmdSN 2^30 or more ahead ignored", S.maxcmdsn == 0);
}

/* ERL 0 recovery: reads in flight (one half delivered) and queued survive a
   new login; they go out again in their original order with new ITTs and
   the new session's CmdSNs, and the data lands where it belongs */
static void test_restart(void)
{
	struct iscsi_bhs h[16], r[16];
	static uint8_t buf[6 * 1024], chunk[1024];
	static uint8_t one[512];
	long tag, tag1;
	int n, ok = 1;

	setup(20, 22, 1024, 8);
	tag1 = iscsi_sess_read(&S, 500, 1, one);
	n = drain(h, 16);
	CHECK("restart: first read sent", n == 1);
	memset(chunk, 0x11, 512);
	feed(ISCSI_OP_DATA_IN, h[0].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 0, chunk, 512, 21, 22);
	tag = iscsi_sess_read(&S, 0, 12, buf);       /* 6 commands of 2 blocks */
	n = drain(h, 16);
	CHECK("restart: window 21..22 lets two commands out", n == 2 && h[0].cmdsn == 21 && h[1].cmdsn == 22);
	/* half of the first command's data, then the connection dies */
	memset(chunk, 0xee, 512);
	feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 0, chunk, 512, 21, 22);
	/* a NOP-In ping answer is pending when it dies: dropped */
	{
		struct iscsi_pdu p;

		memset(&p, 0, sizeof(p));
		p.bhs.opcode = ISCSI_OP_NOP_IN;
		p.bhs.itt = 0xffffffffu;
		p.bhs.ttt = 7;
		p.bhs.expcmdsn = 21;
		p.bhs.maxcmdsn = 22;
		iscsi_sess_input(&S, &p);
	}
	memset(&L, 0, sizeof(L));
	L.cmdsn = 1;
	L.expcmdsn = 1;
	L.maxcmdsn = 40;
	L.expstatsn = 7;
	L.params.max_burst = 1024;
	CHECK("restart: six unfinished commands queued again", iscsi_sess_restart(&S, &L) == 6);
	CHECK("restart: the done read is untouched", iscsi_sess_done(&S, tag1, NULL) == 1 && one[0] == 0x11);
	CHECK("restart: window and numbering from the new login", S.cmdsn == 1 && S.maxcmdsn == 40 &&
	      S.expstatsn == 7 && S.inflight == 0 && !S.nop_pending);
	n = drain(r, 16);
	CHECK("restart: every command sent again, no NOP-Out answer", n == 6 && r[0].opcode == ISCSI_OP_SCSI_CMD);
	for (int i = 0; i < n; i++) {
		if (r[i].cmdsn != (uint32_t)(1 + i) || be32(r[i].cdb + 2) != (uint32_t)(2 * i))
			ok = 0;
		for (int j = 0; j < 2; j++)
			if (r[i].itt == h[j].itt)
				ok = 0;
	}
	CHECK("restart: original order (LBA 0,2,..), CmdSN 1..6, no old ITT reused", ok);
	CHECK("restart: old ITTs are unknown now",
	      feed(ISCSI_OP_DATA_IN, h[1].itt, 0, 0, 0, chunk, 512, 2, 40) == -WB_EISCSIPROTO);
	ok = 1;
	for (int i = n - 1; i >= 0; i--) {
		for (int k = 0; k < 1024; k++)
			chunk[k] = pattern((uint32_t)i * 1024 + (uint32_t)k);
		if (feed(ISCSI_OP_DATA_IN, r[i].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 0, chunk, 1024, 7, 40))
			ok = 0;
	}
	CHECK("restart: Data-In for the new ITTs accepted", ok);
	CHECK("restart: the request completes under its old tag", iscsi_sess_done(&S, tag, NULL) == 1);
	ok = 1;
	for (uint32_t i = 0; i < sizeof(buf); i++)
		if (buf[i] != pattern(i))
			ok = 0;
	CHECK("restart: every byte is the new connection's data", ok);
	CHECK("restart counted", S.restarts == 1);
	CHECK("restart: NULL login refused", iscsi_sess_restart(&S, NULL) == -WB_EINVAL);
}

static void test_ping_logout_tur(void)
{
	struct iscsi_bhs h[8];
	struct iscsi_pdu p;
	static uint8_t buf[512];
	uint8_t sense[2 + 18];
	struct iscsi_task info;
	long ping, lo, tag, tur;
	int n;

	/* window closed: a read waits, our ping still goes out */
	setup(3, 2, 262144, 8);
	tag = iscsi_sess_read(&S, 0, 1, buf);
	ping = iscsi_sess_ping(&S);
	CHECK("ping: tag", ping > 0 && ping != tag);
	n = drain(h, 8);
	CHECK("ping: goes out although the window is closed, the read does not", n == 1);
	CHECK("ping: NOP-Out immediate, own ITT, TTT 0xffffffff, no data, CmdSN not advanced",
	      h[0].opcode == ISCSI_OP_NOP_OUT && h[0].immediate && h[0].itt != 0xffffffffu &&
		      h[0].ttt == 0xffffffffu && h[0].data_len == 0 && h[0].cmdsn == 3 && S.cmdsn == 3 &&
		      (h[0].flags & ISCSI_FLAG_FINAL) && h[0].lun[1] == 1);
	CHECK("ping: pending until answered", iscsi_sess_done(&S, ping, NULL) == 0);
	CHECK("ping: a NOP-In for another ITT is a protocol error",
	      feed(ISCSI_OP_NOP_IN, h[0].itt + 1, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 3, 2) == -WB_EISCSIPROTO);
	CHECK("ping: the answer (same ITT) opens the window too",
	      feed(ISCSI_OP_NOP_IN, h[0].itt, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 3, 10) == 0);
	CHECK("ping: done", iscsi_sess_done(&S, ping, NULL) == 1);
	CHECK("ping: StatSN of the answer acknowledged", S.expstatsn == statsn);
	n = drain(h, 8);
	CHECK("ping: the read follows with CmdSN 3", n == 1 && h[0].opcode == ISCSI_OP_SCSI_CMD && h[0].cmdsn == 3);

	/* a logout queued behind the read goes out after it */
	lo = iscsi_sess_logout(&S);
	n = drain(h + 1, 7);
	CHECK("logout: Logout Request, immediate, reason 0, F",
	      n == 1 && h[1].opcode == ISCSI_OP_LOGOUT_REQ && h[1].immediate && h[1].flags == 0x80 &&
		      h[1].cmdsn == 4 && S.cmdsn == 4);
	feed(ISCSI_OP_DATA_IN, h[0].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 0, buf, 512, 4, 10);
	CHECK("logout: the read before it completes", iscsi_sess_done(&S, tag, NULL) == 1);
	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_LOGOUT_RSP;
	p.bhs.itt = h[1].itt ^ 1;
	p.bhs.statsn = statsn++;
	p.bhs.expcmdsn = 4;
	p.bhs.maxcmdsn = 10;
	CHECK("logout: a response for another ITT is a protocol error", iscsi_sess_input(&S, &p) == -WB_EISCSIPROTO);
	p.bhs.itt = h[1].itt;
	CHECK("logout: response 0 accepted", iscsi_sess_input(&S, &p) == 0);
	CHECK("logout: done, success", iscsi_sess_done(&S, lo, NULL) == 1);
	lo = iscsi_sess_logout(&S);
	drain(h, 8);
	p.bhs.itt = h[0].itt;
	p.bhs.response = 3;   /* cleanup failed */
	p.bhs.statsn = statsn++;
	iscsi_sess_input(&S, &p);
	CHECK("logout: response 3 is an error", iscsi_sess_done(&S, lo, NULL) == -WB_EISCSILOGOUT);

	/* TEST UNIT READY; NOT READY fails with its own code, not retried */
	setup(1, 50, 262144, 8);
	tur = iscsi_sess_tur(&S);
	n = drain(h, 8);
	CHECK("TUR: six zero bytes, no data, no R/W", n == 1 && h[0].cdb[0] == 0 && h[0].edtl == 0 &&
	      !(h[0].flags & (ISCSI_CMD_READ | ISCSI_CMD_WRITE)) && !memcmp(h[0].cdb, "\0\0\0\0\0\0", 6));
	memset(sense, 0, sizeof(sense));
	sense[1] = 18;
	sense[2] = 0x70;
	sense[4] = SCSI_SENSE_NOT_READY;
	sense[14] = 0x04;   /* LOGICAL UNIT NOT READY */
	sense[15] = 0x01;   /* BECOMING READY */
	feed(ISCSI_OP_SCSI_RSP, h[0].itt, ISCSI_FLAG_FINAL, SCSI_STATUS_CHECK, 0, sense, sizeof(sense), 2, 50);
	CHECK("NOT READY: -WB_ENOTREADY with the sense kept",
	      iscsi_sess_done(&S, tur, &info) == -WB_ENOTREADY && info.sense.key == 2 && info.sense.asc == 4 &&
		      info.sense.ascq == 1);
	CHECK("NOT READY: not retried", drain(h, 8) == 0 && S.ua_retries == 0);
	tur = iscsi_sess_tur(&S);
	drain(h, 8);
	feed(ISCSI_OP_SCSI_RSP, h[0].itt, ISCSI_FLAG_FINAL, SCSI_STATUS_GOOD, 0, NULL, 0, 3, 50);
	CHECK("TUR: GOOD completes", iscsi_sess_done(&S, tur, NULL) == 1);
}

static void test_scsi_helpers(void)
{
	uint8_t d[32], cdb[16];
	uint64_t blocks;
	uint32_t bs;

	memset(d, 0xff, 4);
	d[4] = 0; d[5] = 0; d[6] = 2; d[7] = 0;
	CHECK("READ CAPACITY(10) 0xffffffff means use (16)", scsi_read_capacity10_overflow(d, 8));
	memset(d, 0, sizeof(d));
	d[3] = 1;           /* last LBA 0x1_00000000 + ... */
	d[7] = 5;
	d[10] = 0x10;       /* 4096 */
	CHECK("READ CAPACITY(16) parsed", scsi_parse_read_capacity16(d, 32, &blocks, &bs) == 0 &&
	      blocks == 0x100000006ull && bs == 4096);
	scsi_cdb_read_capacity16(cdb);
	CHECK("READ CAPACITY(16) CDB", cdb[0] == 0x9e && cdb[1] == 0x10 && be32(cdb + 10) == 32);
}

int main(void)
{
	test_pipeline_window();
	test_depth();
	test_read16();
	test_unit_attention();
	test_nop_reject_async();
	test_window_rules();
	test_restart();
	test_ping_logout_tur();
	test_scsi_helpers();
	return unit_done();
}
