/* test_iscsi_session.c — the full-feature-phase machine against a scripted target:
 * CmdSN window, pipelining and splitting, READ(10)/READ(16), out-of-order Data-In,
 * UNIT ATTENTION retry, NOP-In answered, Reject, Async, READ CAPACITY(16); ERL 0 restart with
 * tasks in flight; our pings, logout, TEST UNIT READY and NOT READY; writes (R2T sequences,
 * immediate data, InitialR2T=No, bad R2Ts, digests); SYNCHRONIZE CACHE, REPORT LUNS and
 * MODE SENSE with their parsers. */
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

	/* a logout queued behind the read waits until the read completed */
	lo = iscsi_sess_logout(&S);
	CHECK("logout: held while the read before it is in flight", drain(h + 1, 7) == 0);
	CHECK("logout: a TUR queued after it waits behind it", iscsi_sess_tur(&S) > 0 && drain(h + 1, 7) == 0);
	feed(ISCSI_OP_DATA_IN, h[0].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 0, buf, 512, 4, 10);
	CHECK("logout: the read before it completes", iscsi_sess_done(&S, tag, NULL) == 1);
	n = iscsi_sess_output(&S, out, sizeof(out));
	CHECK("logout: Logout Request, immediate, reason 0, F",
	      n == 48 && iscsi_bhs_decode(out, 0xffffff, &h[1]) == 0 && h[1].opcode == ISCSI_OP_LOGOUT_REQ &&
		      h[1].immediate && h[1].flags == 0x80 && h[1].cmdsn == 4 && S.cmdsn == 4);
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
	n = drain(h, 8);
	CHECK("logout: the TUR behind it goes out after it", n == 1 && h[0].opcode == ISCSI_OP_SCSI_CMD && h[0].cdb[0] == 0);
	feed(ISCSI_OP_SCSI_RSP, h[0].itt, ISCSI_FLAG_FINAL, SCSI_STATUS_GOOD, 0, NULL, 0, 5, 10);
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

/* a session whose login negotiated these write parameters */
static void setup_w(uint32_t max_burst, uint32_t first_burst, uint32_t max_send_dsl, int imm, int initial_r2t)
{
	setup(1, 100, max_burst, 8);
	L.params.first_burst = first_burst;
	L.params.max_send_dsl = max_send_dsl;
	L.params.immediate_data = imm;
	L.params.initial_r2t = initial_r2t;
	iscsi_sess_init(&S, &L, (const uint8_t[8]){ 0, 1 }, 8);
}

static struct iscsi_bhs W[64];
static uint8_t Wdata[64][4096];

/* every PDU the session sends now, headers and data segments kept */
static int drain_w(void)
{
	int k = 0, n;

	while ((n = iscsi_sess_output(&S, out, sizeof(out))) > 0) {
		if (k < 64 && iscsi_bhs_decode(out, 0xffffff, &W[k]) == 0) {
			memcpy(Wdata[k], out + 48, W[k].data_len < 4096 ? W[k].data_len : 4096);
			k++;
		}
	}
	return k;
}

static int feed_r2t(uint32_t itt, uint32_t ttt, uint32_t r2tsn, uint32_t off, uint32_t len)
{
	struct iscsi_pdu p;

	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_R2T;
	p.bhs.flags = ISCSI_FLAG_FINAL;
	p.bhs.itt = itt;
	p.bhs.ttt = ttt;
	p.bhs.statsn = statsn;
	p.bhs.expcmdsn = 2;
	p.bhs.maxcmdsn = 100;
	p.bhs.datasn = r2tsn;
	p.bhs.buffer_offset = off;
	p.bhs.length = len;
	return iscsi_sess_input(&S, &p);
}

/* Data-Out PDUs W[from..from+count) cover [off, off+len) of @src in
   @seg-byte pieces, DataSN 0.., TTT @ttt, F on the last only */
static int dataouts_ok(int from, int count, uint32_t itt, uint32_t ttt, uint32_t off, uint32_t len, uint32_t seg,
		       const uint8_t *src)
{
	uint32_t at = off;

	for (int i = 0; i < count; i++) {
		const struct iscsi_bhs *h = &W[from + i];
		uint32_t want = off + len - at < seg ? off + len - at : seg;
		int last = i == count - 1;

		if (h->opcode != ISCSI_OP_DATA_OUT || h->itt != itt || h->ttt != ttt || h->datasn != (uint32_t)i ||
		    h->buffer_offset != at || h->data_len != want || !!(h->flags & ISCSI_FLAG_FINAL) != last ||
		    h->lun[1] != 1 || memcmp(Wdata[from + i], src + at, want))
			return 0;
		at += want;
	}
	return at == off + len;
}

static void test_write_r2t(void)
{
	static uint8_t src[8192];
	long tag;
	int n;

	for (uint32_t i = 0; i < sizeof(src); i++)
		src[i] = pattern(i * 3 + 1);
	/* ImmediateData=No, InitialR2T=Yes: everything on R2T */
	setup_w(8192, 4096, 1024, 0, 1);
	tag = iscsi_sess_write(&S, 77, 16, src);
	CHECK("write: queued", tag > 0);
	n = drain_w();
	CHECK("write: one command, no data yet", n == 1 && W[0].opcode == ISCSI_OP_SCSI_CMD && W[0].data_len == 0);
	CHECK("write: WRITE(10) LBA 77, 16 blocks, W and F, EDTL 8192",
	      W[0].cdb[0] == SCSI_WRITE10 && be32(W[0].cdb + 2) == 77 && W[0].cdb[8] == 16 && W[0].edtl == 8192 &&
		      (W[0].flags & (ISCSI_CMD_WRITE | ISCSI_FLAG_FINAL | ISCSI_CMD_READ)) ==
			      (ISCSI_CMD_WRITE | ISCSI_FLAG_FINAL));
	{
		uint32_t itt = W[0].itt;

		CHECK("write: R2T 1 accepted", feed_r2t(itt, 0x10, 0, 0, 4096) == 0);
		n = drain_w();
		CHECK("write: R2T 1 served by 4 Data-Out of MaxSendDataSegmentLength, DataSN 0-3, TTT echoed, F last",
		      n == 4 && dataouts_ok(0, 4, itt, 0x10, 0, 4096, 1024, src));
		CHECK("write: two R2Ts at once are served in order", feed_r2t(itt, 0x11, 1, 4096, 2048) == 0 &&
		      feed_r2t(itt, 0x12, 2, 6144, 2048) == 0);
		n = drain_w();
		CHECK("write: R2T 2 then R2T 3, DataSN from 0 for each",
		      n == 4 && dataouts_ok(0, 2, itt, 0x11, 4096, 2048, 1024, src) &&
			      dataouts_ok(2, 2, itt, 0x12, 6144, 2048, 1024, src));
		CHECK("write: still pending until the response", iscsi_sess_done(&S, tag, NULL) == 0);
		feed(ISCSI_OP_SCSI_RSP, itt, ISCSI_FLAG_FINAL, SCSI_STATUS_GOOD, 0, NULL, 0, 2, 100);
		CHECK("write: GOOD completes it", iscsi_sess_done(&S, tag, NULL) == 1);
		CHECK("write: counters", S.r2ts == 3 && S.dataouts == 8);
	}

	/* ImmediateData=Yes, InitialR2T=Yes: min(FirstBurst, MaxSendDSL) rides
	   along, the target asks for the rest */
	setup_w(262144, 2048, 1024, 1, 1);
	tag = iscsi_sess_write(&S, 5, 8, src);
	n = drain_w();
	CHECK("immediate: command carries 1024 bytes (MaxSendDSL < FirstBurst), F set, nothing else",
	      n == 1 && W[0].data_len == 1024 && !memcmp(Wdata[0], src, 1024) && (W[0].flags & ISCSI_FLAG_FINAL) &&
		      W[0].edtl == 4096);
	feed_r2t(W[0].itt, 0x20, 0, 1024, 3072);
	{
		uint32_t itt = W[0].itt;

		n = drain_w();
		CHECK("immediate + R2T: the rest in 3 Data-Out", n == 3 && dataouts_ok(0, 3, itt, 0x20, 1024, 3072, 1024, src));
		feed(ISCSI_OP_SCSI_RSP, itt, ISCSI_FLAG_FINAL, SCSI_STATUS_GOOD, 0, NULL, 0, 2, 100);
		CHECK("immediate + R2T: done", iscsi_sess_done(&S, tag, NULL) == 1);
	}
	setup_w(262144, 2048, 8192, 1, 1);
	tag = iscsi_sess_write(&S, 5, 8, src);
	n = drain_w();
	CHECK("immediate: FirstBurstLength 2048 < MaxSendDSL bounds it", n == 1 && W[0].data_len == 2048);
	setup_w(262144, 65536, 8192, 1, 1);
	tag = iscsi_sess_write(&S, 5, 2, src);
	n = drain_w();
	CHECK("immediate: a small write goes whole in the command", n == 1 && W[0].data_len == 1024 &&
	      !memcmp(Wdata[0], src, 1024) && (W[0].flags & ISCSI_FLAG_FINAL));
	feed(ISCSI_OP_SCSI_RSP, W[0].itt, ISCSI_FLAG_FINAL, SCSI_STATUS_GOOD, 0, NULL, 0, 2, 100);
	CHECK("immediate: done without any R2T", iscsi_sess_done(&S, tag, NULL) == 1);

	/* InitialR2T=No: unsolicited Data-Out up to FirstBurstLength */
	setup_w(262144, 4096, 1024, 1, 0);
	tag = iscsi_sess_write(&S, 9, 16, src);
	n = drain_w();
	CHECK("InitialR2T=No: command with 1024 immediate, F clear, 3 unsolicited Data-Out (TTT 0xffffffff, DataSN 0-2, F last)",
	      n == 4 && W[0].data_len == 1024 && !(W[0].flags & ISCSI_FLAG_FINAL) &&
		      dataouts_ok(1, 3, W[0].itt, 0xffffffffu, 1024, 3072, 1024, src));
	{
		uint32_t itt = W[0].itt;

		feed_r2t(itt, 0x30, 0, 4096, 4096);
		n = drain_w();
		CHECK("InitialR2T=No: beyond FirstBurstLength on R2T", n == 4 &&
		      dataouts_ok(0, 4, itt, 0x30, 4096, 4096, 1024, src));
		feed(ISCSI_OP_SCSI_RSP, itt, ISCSI_FLAG_FINAL, SCSI_STATUS_GOOD, 0, NULL, 0, 2, 100);
		CHECK("InitialR2T=No: done", iscsi_sess_done(&S, tag, NULL) == 1);
	}
	setup_w(262144, 4096, 2048, 0, 0);
	tag = iscsi_sess_write(&S, 9, 4, src);
	n = drain_w();
	CHECK("InitialR2T=No, ImmediateData=No: empty command (F clear), Data-Out from offset 0",
	      n == 2 && W[0].data_len == 0 && !(W[0].flags & ISCSI_FLAG_FINAL) &&
		      dataouts_ok(1, 1, W[0].itt, 0xffffffffu, 0, 2048, 2048, src));

	/* a small output buffer makes smaller PDUs, never a failure */
	setup_w(262144, 65536, 8192, 0, 1);
	tag = iscsi_sess_write(&S, 0, 4, src);
	drain_w();
	feed_r2t(W[0].itt, 0x40, 0, 0, 2048);
	n = iscsi_sess_output(&S, out, 48 + 512);
	CHECK("small buffer: Data-Out of 512 bytes", n == 48 + 512 && iscsi_bhs_decode(out, 0xffffff, &W[1]) == 0 &&
	      W[1].data_len == 512 && !(W[1].flags & ISCSI_FLAG_FINAL));
	CHECK("too small a buffer: -WB_ETOOBIG", iscsi_sess_output(&S, out, 48) == -WB_ETOOBIG);
	n = drain_w();
	CHECK("small buffer: the rest follows", n == 1 && W[0].buffer_offset == 512 && W[0].data_len == 1536 &&
	      W[0].datasn == 1);
}

static void test_write_errors(void)
{
	static uint8_t src[4096], rbuf[512];
	uint8_t sense[2 + 18];
	long tag, rtag;
	uint32_t itt;
	int n;

	for (uint32_t i = 0; i < sizeof(src); i++)
		src[i] = pattern(i + 5);
	setup_w(2048, 1024, 1024, 1, 1);
	tag = iscsi_sess_write(&S, 0x1fffffffeull, 8, src);
	n = drain_w();
	CHECK("WRITE(16) above 2^32, split by MaxBurstLength into 2 commands",
	      n == 2 && W[0].cdb[0] == SCSI_WRITE16 && be32(W[0].cdb + 2) == 1 && be32(W[0].cdb + 6) == 0xfffffffeu &&
		      be32(W[0].cdb + 10) == 4 && W[1].cdb[0] == SCSI_WRITE16 && be32(W[1].cdb + 6) == 0x00000002u &&
		      W[1].edtl == 2048 && !memcmp(Wdata[1], src + 2048, 1024));
	itt = W[0].itt;
	CHECK("R2T beyond the buffer is a protocol error", feed_r2t(itt, 1, 0, 1024, 2048) == -WB_EISCSIPROTO);
	CHECK("R2T at the buffer's end is a protocol error", feed_r2t(itt, 1, 0, 2048, 1) == -WB_EISCSIPROTO);
	CHECK("R2T of length 0 is a protocol error", feed_r2t(itt, 1, 0, 1024, 0) == -WB_EISCSIPROTO);
	CHECK("R2T with an offset that wraps is a protocol error", feed_r2t(itt, 1, 0, 0xfffffc00u, 2048) == -WB_EISCSIPROTO);
	CHECK("R2T with the reserved TTT 0xffffffff is a protocol error",
	      feed_r2t(itt, 0xffffffffu, 0, 1024, 1024) == -WB_EISCSIPROTO);
	CHECK("R2T for an unknown ITT is a protocol error", feed_r2t(0x5555, 1, 0, 1024, 1024) == -WB_EISCSIPROTO);
	CHECK("nothing sent for bad R2Ts", drain_w() == 0);
	CHECK("Data-In for a write is a protocol error",
	      feed(ISCSI_OP_DATA_IN, itt, 0, 0, 0, src, 16, 2, 100) == -WB_EISCSIPROTO);
	rtag = iscsi_sess_read(&S, 0, 1, rbuf);
	n = drain_w();
	CHECK("R2T for a read is a protocol error", n == 1 && feed_r2t(W[0].itt, 1, 0, 0, 512) == -WB_EISCSIPROTO);
	(void)rtag;

	/* UNIT ATTENTION on a write: the retry starts over, immediate data again */
	memset(sense, 0, sizeof(sense));
	sense[1] = 18;
	sense[2] = 0x70;
	sense[4] = SCSI_SENSE_UNIT_ATTENTION;
	CHECK("R2T accepted", feed_r2t(itt, 7, 0, 1024, 1024) == 0);
	n = iscsi_sess_output(&S, out, sizeof(out));
	CHECK("one Data-Out sent", n == 48 + 1024);
	feed(ISCSI_OP_SCSI_RSP, itt, ISCSI_FLAG_FINAL, SCSI_STATUS_CHECK, 0, sense, sizeof(sense), 2, 100);
	n = drain_w();
	CHECK("UA on a write: reissued with its immediate data, no stale Data-Out",
	      n == 1 && W[0].opcode == ISCSI_OP_SCSI_CMD && W[0].itt == itt && W[0].data_len == 1024 &&
		      !memcmp(Wdata[0], src, 1024));
	(void)tag;
}

/* a write in flight when the connection drops is sent again from its start */
static void test_write_restart(void)
{
	static uint8_t src[4096];
	struct iscsi_rx rx;
	static uint8_t rxbuf[16384];
	uint32_t old;
	long tag;
	int n, ok = 1;

	for (uint32_t i = 0; i < sizeof(src); i++)
		src[i] = pattern(i ^ 0x55);
	setup_w(262144, 1024, 1024, 1, 1);
	tag = iscsi_sess_write(&S, 100, 8, src);
	n = drain_w();
	old = W[0].itt;
	feed_r2t(old, 9, 0, 1024, 3072);
	iscsi_sess_output(&S, out, sizeof(out));   /* one Data-Out, then the link dies */
	memset(&L, 0, sizeof(L));
	L.cmdsn = L.expcmdsn = 50;
	L.maxcmdsn = 60;
	L.params.max_burst = 262144;
	L.params.first_burst = 4096;
	L.params.max_send_dsl = 2048;
	L.params.immediate_data = 1;
	L.params.initial_r2t = 1;
	L.params.data_digest = 1;
	L.params.header_digest = 1;
	CHECK("write restart: requeued", iscsi_sess_restart(&S, &L) == 1);
	/* the new connection negotiated digests: check them with the receive framer */
	iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), 8192);
	iscsi_rx_set_digests(&rx, 1, 1);
	n = iscsi_sess_output(&S, out, sizeof(out));
	{
		size_t used;
		int rc = iscsi_rx_feed(&rx, out, (size_t)n, &used);

		CHECK("write restart: command with digests verifies, new ITT, CmdSN 50, the new MaxSendDSL of immediate data",
		      rc == 1 && used == (size_t)n && rx.pdu.bhs.itt != old && rx.pdu.bhs.cmdsn == 50 &&
			      rx.pdu.bhs.data_len == 2048 && !memcmp(rx.pdu.data, src, 2048) &&
			      n == 48 + 4 + 2048 + 4);
		feed_r2t(rx.pdu.bhs.itt, 0x77, 0, 2048, 2048);
		while ((n = iscsi_sess_output(&S, out, sizeof(out))) > 0) {
			if (iscsi_rx_feed(&rx, out, (size_t)n, &used) != 1 || rx.pdu.bhs.opcode != ISCSI_OP_DATA_OUT ||
			    memcmp(rx.pdu.data, src + rx.pdu.bhs.buffer_offset, rx.pdu.bhs.data_len))
				ok = 0;
		}
		CHECK("write restart: Data-Out with data digests verify and carry the right bytes", ok &&
		      S.dataouts == 2);
		feed(ISCSI_OP_SCSI_RSP, rx.pdu.bhs.itt, ISCSI_FLAG_FINAL, SCSI_STATUS_GOOD, 0, NULL, 0, 51, 60);
	}
	CHECK("write restart: done", iscsi_sess_done(&S, tag, NULL) == 1);
}

/* the last Data-In of a short answer: status, underflow, residual */
static int feed_res(uint32_t itt, const uint8_t *data, uint32_t len, uint32_t residual)
{
	struct iscsi_pdu p;

	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_DATA_IN;
	p.bhs.flags = ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS | ISCSI_RSP_UNDERFLOW;
	p.bhs.itt = itt;
	p.bhs.ttt = 0xffffffffu;
	p.bhs.statsn = statsn++;
	p.bhs.expcmdsn = 2;
	p.bhs.maxcmdsn = 100;
	p.bhs.data_len = len;
	p.bhs.residual = residual;
	p.data = data;
	return iscsi_sess_input(&S, &p);
}

static void test_sync_luns_modesense(void)
{
	static uint8_t lunbuf[64], ms[255];
	uint8_t luns[4][8];
	size_t nl;
	long tag;
	int n;
	/* REPORT LUNS data: list length 16 (two LUNs: 0 and 1, SAM-5 single level) */
	static const uint8_t rl[24] = { 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	static const uint8_t ms_wp[4] = { 3, 0, 0x80, 0 }, ms_rw[12] = { 11, 0, 0x10, 8 };

	setup(1, 100, 262144, 8);
	tag = iscsi_sess_sync(&S);
	n = drain(W, 4);
	CHECK("SYNCHRONIZE CACHE(10): whole LUN (LBA 0, 0 blocks), no data",
	      n == 1 && W[0].cdb[0] == SCSI_SYNC_CACHE10 && !memcmp(W[0].cdb + 1, "\0\0\0\0\0\0\0\0\0", 9) &&
		      W[0].edtl == 0);
	feed(ISCSI_OP_SCSI_RSP, W[0].itt, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 2, 100);
	CHECK("SYNCHRONIZE CACHE done", iscsi_sess_done(&S, tag, NULL) == 1);
	iscsi_sess_sync_range(&S, 0x100000000ull, 8);
	iscsi_sess_sync_range(&S, 10, 8);
	n = drain(W, 4);
	CHECK("SYNCHRONIZE CACHE(16) above 2^32, (10) below", n == 2 && W[0].cdb[0] == SCSI_SYNC_CACHE16 &&
	      be32(W[0].cdb + 2) == 1 && be32(W[0].cdb + 10) == 8 && W[1].cdb[0] == SCSI_SYNC_CACHE10 &&
	      be32(W[1].cdb + 2) == 10 && W[1].cdb[8] == 8);

	setup(1, 100, 262144, 8);
	CHECK("REPORT LUNS: allocation under 16 refused", iscsi_sess_report_luns(&S, lunbuf, 8) == -WB_EINVAL);
	tag = iscsi_sess_report_luns(&S, lunbuf, sizeof(lunbuf));
	n = drain(W, 4);
	CHECK("REPORT LUNS CDB: 0xa0, allocation length in bytes 6..9, R bit",
	      n == 1 && W[0].cdb[0] == SCSI_REPORT_LUNS && be32(W[0].cdb + 6) == 64 && W[0].edtl == 64 &&
		      (W[0].flags & ISCSI_CMD_READ));
	CHECK("REPORT LUNS: 24 bytes, residual 40", feed_res(W[0].itt, rl, 24, 40) == 0);
	{
		struct iscsi_task info;

		CHECK("REPORT LUNS: short answer (underflow) completes, residual kept",
		      iscsi_sess_done(&S, tag, &info) == 1 && info.residual == 40);
	}
	CHECK("REPORT LUNS parsed: LUN 0 and LUN 1", scsi_parse_report_luns(lunbuf, 24, luns, 4, &nl) == 0 && nl == 2 &&
	      luns[1][1] == 1 && luns[0][1] == 0 && scsi_report_luns_total(lunbuf, 24) == 2);
	CHECK("REPORT LUNS: max 1 copies one", scsi_parse_report_luns(rl, 24, luns, 1, &nl) == 0 && nl == 1);
	CHECK("REPORT LUNS: a truncated buffer copies what is whole",
	      scsi_parse_report_luns(rl, 23, luns, 4, &nl) == 0 && nl == 1 && scsi_report_luns_total(rl, 23) == 2);
	{
		uint8_t bad[16];

		memcpy(bad, rl, 16);
		bad[3] = 12;
		CHECK("REPORT LUNS: list length not a multiple of 8 refused",
		      scsi_parse_report_luns(bad, 16, luns, 4, &nl) == -WB_EISCSISCSI && nl == 0);
		CHECK("REPORT LUNS: under 8 bytes refused", scsi_parse_report_luns(rl, 7, luns, 4, &nl) == -WB_EISCSISCSI);
		bad[3] = 0;
		CHECK("REPORT LUNS: empty list", scsi_parse_report_luns(bad, 16, luns, 4, &nl) == 0 && nl == 0);
	}

	CHECK("MODE SENSE: under 4 bytes refused", iscsi_sess_mode_sense_wp(&S, ms, 3) == -WB_EINVAL);
	tag = iscsi_sess_mode_sense_wp(&S, ms, 1000);
	n = drain(W, 4);
	CHECK("MODE SENSE(6) CDB: 1a 08 3f 00 ff 00 (DBD, all pages, 255 bytes)",
	      n == 1 && !memcmp(W[0].cdb, "\x1a\x08\x3f\x00\xff\x00", 6) && W[0].edtl == 255);
	feed_res(W[0].itt, ms_wp, 4, 251);
	CHECK("MODE SENSE done", iscsi_sess_done(&S, tag, NULL) == 1);
	CHECK("MODE SENSE: WP bit set → 1", scsi_parse_mode_sense6_wp(ms, 4) == 1);
	CHECK("MODE SENSE: WP clear (DPOFUA only) → 0", scsi_parse_mode_sense6_wp(ms_rw, 12) == 0);
	CHECK("MODE SENSE: 3 bytes refused", scsi_parse_mode_sense6_wp(ms_wp, 3) == -WB_EISCSISCSI);
	{
		static const uint8_t shortlen[4] = { 2, 0, 0x80, 0 };

		CHECK("MODE SENSE: MODE DATA LENGTH under 3 refused", scsi_parse_mode_sense6_wp(shortlen, 4) == -WB_EISCSISCSI);
	}
}

/* no byte may arrive twice, and a read completes only when every byte came */
static void test_datain_coverage(void)
{
	struct iscsi_bhs h[4];
	static uint8_t buf[4096], chunk[4096];
	struct iscsi_task info;
	long tag;

	memset(chunk, 0x3c, sizeof(chunk));
	setup(1, 100, 262144, 8);
	tag = iscsi_sess_read(&S, 0, 8, buf);
	drain(h, 4);
	CHECK("coverage: first half", feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 0, chunk, 2048, 2, 100) == 0);
	CHECK("coverage: the same half again is a protocol error",
	      feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 0, chunk, 2048, 2, 100) == -WB_EISCSIPROTO);
	CHECK("coverage: overlapping by one byte is a protocol error",
	      feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 2047, chunk, 1025, 2, 100) == -WB_EISCSIPROTO);
	CHECK("coverage: status without the second half fails the read",
	      feed(ISCSI_OP_DATA_IN, h[0].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 3072, chunk, 0, 2, 100) == 0 &&
		      iscsi_sess_done(&S, tag, NULL) == -WB_EISCSIRESIDUAL);

	/* pieces 0, 2, 1: the gap filled joins them; done */
	tag = iscsi_sess_read(&S, 0, 6, buf);
	drain(h, 4);
	feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 0, chunk, 1024, 2, 100);
	feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 2048, chunk, 1024, 2, 100);
	feed(ISCSI_OP_DATA_IN, h[0].itt, ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS, 0, 1024, chunk, 1024, 2, 100);
	CHECK("coverage: the middle piece joins them, read done", iscsi_sess_done(&S, tag, NULL) == 1);

	/* more than ISCSI_SESS_FRAGS separate pieces */
	tag = iscsi_sess_read(&S, 0, 8, buf);
	drain(h, 4);
	{
		int rc = 0;

		for (int i = 0; i < ISCSI_SESS_FRAGS && rc == 0; i++)
			rc = feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, (uint32_t)i * 400, chunk, 100, 2, 100);
		CHECK("coverage: 8 separate pieces accepted", rc == 0);
		CHECK("coverage: a 9th separate piece is a protocol error",
		      feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 3500, chunk, 100, 2, 100) == -WB_EISCSIPROTO);
		CHECK("coverage: one touching a piece still fits",
		      feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 100, chunk, 300, 2, 100) == 0);
	}
	feed(ISCSI_OP_SCSI_RSP, h[0].itt, ISCSI_FLAG_FINAL, 0, 0, NULL, 0, 2, 100);
	CHECK("coverage: GOOD with holes fails the read", iscsi_sess_done(&S, tag, NULL) == -WB_EISCSIRESIDUAL);

	/* a block read may not come short, even when the target says so */
	tag = iscsi_sess_read(&S, 0, 2, buf);
	drain(h, 4);
	CHECK("underflow: 512 of 1024 bytes with residual 512", feed_res(h[0].itt, chunk, 512, 512) == 0);
	CHECK("underflow: a block read short of blocks fails",
	      iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL && info.underflow && info.residual == 512 &&
		      info.rescount == 512 && info.xfer == 512);
	/* a generic command may: its first len - residual bytes must be there */
	tag = iscsi_sess_command(&S, (const uint8_t *)"\x12\0\0\0\x60\0", 6, buf, 96);
	drain(h, 4);
	feed(ISCSI_OP_DATA_IN, h[0].itt, 0, 0, 36, chunk, 10, 2, 100);
	CHECK("underflow: the data there is not from offset 0", feed_res(h[0].itt, NULL, 0, 60) == 0 &&
	      iscsi_sess_done(&S, tag, NULL) == -WB_EISCSIPROTO);
	tag = iscsi_sess_command(&S, (const uint8_t *)"\x12\0\0\0\x60\0", 6, buf, 96);
	drain(h, 4);
	CHECK("underflow: INQUIRY answering 36 of 96 bytes completes", feed_res(h[0].itt, chunk, 36, 60) == 0 &&
	      iscsi_sess_done(&S, tag, NULL) == 1);
	tag = iscsi_sess_command(&S, (const uint8_t *)"\x12\0\0\0\x60\0", 6, buf, 96);
	drain(h, 4);
	CHECK("underflow: a residual beyond the buffer fails", feed_res(h[0].itt, chunk, 36, 97) == 0 &&
	      iscsi_sess_done(&S, tag, NULL) == -WB_EISCSIPROTO);
}

/* the status PDU of a read: Data-In with S, optional data, U/O bits and residual */
static int feed_status(uint32_t itt, uint8_t resflags, const uint8_t *data, uint32_t off, uint32_t len,
		       uint32_t residual)
{
	struct iscsi_pdu p;

	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_DATA_IN;
	p.bhs.flags = (uint8_t)(ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS | resflags);
	p.bhs.itt = itt;
	p.bhs.ttt = 0xffffffffu;
	p.bhs.statsn = statsn++;
	p.bhs.expcmdsn = 2;
	p.bhs.maxcmdsn = 100;
	p.bhs.buffer_offset = off;
	p.bhs.data_len = len;
	p.bhs.residual = residual;
	p.data = data;
	return iscsi_sess_input(&S, &p);
}

/* the response PDU: SCSI Response with U/O bits and residual */
static int feed_rsp_res(uint32_t itt, uint8_t resflags, uint32_t residual)
{
	struct iscsi_pdu p;

	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_SCSI_RSP;
	p.bhs.flags = (uint8_t)(ISCSI_FLAG_FINAL | resflags);
	p.bhs.itt = itt;
	p.bhs.statsn = statsn++;
	p.bhs.expcmdsn = 2;
	p.bhs.maxcmdsn = 100;
	p.bhs.residual = residual;
	return iscsi_sess_input(&S, &p);
}

/*
 * READ/WRITE(10/16) are exact whichever call queued them (the SAN layer uses
 * iscsi_sess_command/command_out): GOOD with an underflow or overflow
 * residual, or without every byte, is -WB_EISCSIRESIDUAL, never success.
 */
static void test_block_exact(void)
{
	static uint8_t buf[8192], chunk[8192];
	struct iscsi_bhs h[4];
	struct iscsi_task info;
	uint8_t cdb[16];
	long tag;

	memset(chunk, 0x5e, sizeof(chunk));
	setup(1, 100, 262144, 8);

	/* READ(10) of 8 blocks, the target sends nothing: full underflow */
	scsi_cdb_read10(cdb, 2048, 8);
	tag = iscsi_sess_command(&S, cdb, 10, buf, 4096);
	drain(h, 4);
	CHECK("exact: READ(10) full underflow (no data, residual = EDTL) accepted as a PDU",
	      feed_rsp_res(h[0].itt, ISCSI_RSP_UNDERFLOW, 4096) == 0);
	memset(&info, 0, sizeof(info));
	CHECK("exact: READ(10) full underflow fails the read",
	      iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL && info.underflow && info.rescount == 4096 &&
		      info.xfer == 0 && info.len == 4096);

	/* READ(10), the first 1024 bytes and an underflow of 3072 */
	tag = iscsi_sess_command(&S, cdb, 10, buf, 4096);
	drain(h, 4);
	feed_status(h[0].itt, ISCSI_RSP_UNDERFLOW, chunk, 0, 1024, 3072);
	CHECK("exact: READ(10) partial underflow fails the read",
	      iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL && info.xfer == 1024 && info.rescount == 3072);

	/* READ(16), partial and full underflow */
	scsi_cdb_read16(cdb, 0x100000000ull, 8);
	tag = iscsi_sess_command(&S, cdb, 16, buf, 4096);
	drain(h, 4);
	feed_status(h[0].itt, ISCSI_RSP_UNDERFLOW, chunk, 0, 2048, 2048);
	CHECK("exact: READ(16) partial underflow fails the read", iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL);
	tag = iscsi_sess_command(&S, cdb, 16, buf, 4096);
	drain(h, 4);
	feed_rsp_res(h[0].itt, ISCSI_RSP_UNDERFLOW, 4096);
	CHECK("exact: READ(16) full underflow fails the read", iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL);

	/* every byte came, but the target says it had more: overflow */
	scsi_cdb_read10(cdb, 0, 8);
	tag = iscsi_sess_command(&S, cdb, 10, buf, 4096);
	drain(h, 4);
	feed_status(h[0].itt, ISCSI_RSP_OVERFLOW, chunk, 0, 4096, 512);
	CHECK("exact: READ(10) with an overflow residual fails",
	      iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL && info.overflow && info.rescount == 512 &&
		      info.residual == 0);
	/* U bit with a residual of 0 is still not an exact answer */
	tag = iscsi_sess_command(&S, cdb, 10, buf, 4096);
	drain(h, 4);
	feed_status(h[0].itt, ISCSI_RSP_UNDERFLOW, chunk, 0, 4096, 0);
	CHECK("exact: READ(10) with the U bit and residual 0 fails", iscsi_sess_done(&S, tag, NULL) == -WB_EISCSIRESIDUAL);
	/* and the plain answer still completes */
	tag = iscsi_sess_command(&S, cdb, 10, buf, 4096);
	drain(h, 4);
	feed_status(h[0].itt, 0, chunk, 0, 4096, 0);
	CHECK("exact: READ(10) with all data and no residual completes", iscsi_sess_done(&S, tag, NULL) == 1);
	/* a generic command keeps the old rules: INQUIRY overflow is fine */
	tag = iscsi_sess_command(&S, (const uint8_t *)"\x12\0\0\0\x24\0", 6, buf, 36);
	drain(h, 4);
	feed_status(h[0].itt, ISCSI_RSP_OVERFLOW, chunk, 0, 36, 60);
	CHECK("exact: INQUIRY with an overflow residual still completes", iscsi_sess_done(&S, tag, NULL) == 1);

	/* writes: GOOD with a residual, GOOD before all data was asked for */
	setup_w(262144, 65536, 8192, 1, 1);
	scsi_cdb_write10(cdb, 64, 2);
	tag = iscsi_sess_command_out(&S, cdb, 10, chunk, 1024);
	CHECK("exact: WRITE(10) sent whole as immediate data", drain_w() == 1 && W[0].data_len == 1024);
	feed_rsp_res(W[0].itt, ISCSI_RSP_UNDERFLOW, 512);
	CHECK("exact: WRITE(10) with an underflow residual fails",
	      iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL && info.underflow && info.rescount == 512 &&
		      info.xfer == 1024);
	tag = iscsi_sess_command_out(&S, cdb, 10, chunk, 1024);
	drain_w();
	feed_rsp_res(W[0].itt, ISCSI_RSP_OVERFLOW, 512);
	CHECK("exact: WRITE(10) with an overflow residual fails", iscsi_sess_done(&S, tag, NULL) == -WB_EISCSIRESIDUAL);
	tag = iscsi_sess_write(&S, 64, 2, chunk);
	drain_w();
	feed_rsp_res(W[0].itt, 0, 0);
	CHECK("exact: WRITE(10) all immediate, GOOD, completes", iscsi_sess_done(&S, tag, NULL) == 1);
	/* 8 KiB, 1 KiB immediate: GOOD after one R2T for 2 KiB of the 7 left */
	setup_w(262144, 1024, 8192, 1, 1);
	scsi_cdb_write16(cdb, 0x100000000ull, 16);
	tag = iscsi_sess_command_out(&S, cdb, 16, chunk, 8192);
	drain_w();
	feed_r2t(W[0].itt, 0x77, 0, 1024, 2048);
	drain_w();
	feed_rsp_res(W[0].itt, 0, 0);
	CHECK("exact: WRITE(16) GOOD though the target asked for 3 KiB of 8 fails",
	      iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL && info.xfer == 3072 && !info.underflow);
	tag = iscsi_sess_command_out(&S, cdb, 16, chunk, 8192);
	drain_w();
	{
		uint32_t itt = W[0].itt;

		feed_r2t(itt, 0x78, 0, 1024, 7168);
		drain_w();
		feed_rsp_res(itt, ISCSI_RSP_UNDERFLOW, 4096);
	}
	CHECK("exact: WRITE(16) with every byte asked for but an underflow residual fails",
	      iscsi_sess_done(&S, tag, &info) == -WB_EISCSIRESIDUAL && info.xfer == 8192 && info.rescount == 4096);
	tag = iscsi_sess_command_out(&S, cdb, 16, chunk, 8192);
	drain_w();
	{
		uint32_t itt = W[0].itt;

		feed_r2t(itt, 0x79, 0, 1024, 7168);
		drain_w();
		feed_rsp_res(itt, 0, 0);
	}
	CHECK("exact: WRITE(16) with every byte asked for completes", iscsi_sess_done(&S, tag, NULL) == 1);
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

	/* crafted capacities: the byte size (last LBA + 1) * block size must fit
	   64 bits, the block size must be 1 .. 1 MiB */
	{
		static const struct {
			uint64_t last;
			uint32_t bs;
			int rc;
			const char *name;
		} v16[] = {
			{ (1ull << 55) - 2, 512, 0, "READ CAPACITY(16): 2^64 - 512 bytes accepted" },
			{ (1ull << 55) - 1, 512, -WB_EISCSICAPACITY, "READ CAPACITY(16): exactly 2^64 bytes refused" },
			{ (1ull << 52) - 1, 4096, -WB_EISCSICAPACITY, "READ CAPACITY(16): 2^52 blocks of 4096 refused" },
			{ 0xfffffffffffffffeull, 512, -WB_EISCSICAPACITY, "READ CAPACITY(16): 2^64 - 1 blocks of 512 refused" },
			{ 0xffffffffffffffffull, 512, -WB_EISCSICAPACITY, "READ CAPACITY(16): last LBA 2^64 - 1 refused" },
			{ (1ull << 43) - 1, 1u << 20, 0, "READ CAPACITY(16): 2^43 blocks of 1 MiB (2^63 bytes) accepted" },
			{ 1000, 0, -WB_EISCSICAPACITY, "READ CAPACITY(16): block size 0 refused" },
			{ 1000, (1u << 20) + 1, -WB_EISCSICAPACITY, "READ CAPACITY(16): block size over 1 MiB refused" },
			{ 1000, 0x80000000u, -WB_EISCSICAPACITY, "READ CAPACITY(16): block size 2^31 refused" },
		};
		static const struct {
			uint32_t last, bs;
			int rc;
			const char *name;
		} v10[] = {
			{ 0xfffffffeu, 4096, 0, "READ CAPACITY(10): 2^32 - 1 blocks of 4096 accepted" },
			{ 2047, 0, -WB_EISCSICAPACITY, "READ CAPACITY(10): block size 0 refused" },
			{ 2047, 0xffffffffu, -WB_EISCSICAPACITY, "READ CAPACITY(10): block size 2^32 - 1 refused" },
		};

		for (size_t i = 0; i < sizeof(v16) / sizeof(v16[0]); i++) {
			memset(d, 0, sizeof(d));
			for (int k = 0; k < 8; k++)
				d[k] = (uint8_t)(v16[i].last >> (56 - 8 * k));
			for (int k = 0; k < 4; k++)
				d[8 + k] = (uint8_t)(v16[i].bs >> (24 - 8 * k));
			blocks = 1234;
			bs = 0;
			CHECK(v16[i].name, scsi_parse_read_capacity16(d, 32, &blocks, &bs) == v16[i].rc &&
			      blocks == v16[i].last + 1 && bs == v16[i].bs);
		}
		for (size_t i = 0; i < sizeof(v10) / sizeof(v10[0]); i++) {
			memset(d, 0, sizeof(d));
			for (int k = 0; k < 4; k++) {
				d[k] = (uint8_t)(v10[i].last >> (24 - 8 * k));
				d[4 + k] = (uint8_t)(v10[i].bs >> (24 - 8 * k));
			}
			CHECK(v10[i].name, scsi_parse_read_capacity10(d, 8, &blocks, &bs) == v10[i].rc &&
			      blocks == (uint64_t)v10[i].last + 1 && bs == v10[i].bs);
		}
		CHECK("READ CAPACITY(16): 11 bytes is too short", scsi_parse_read_capacity16(d, 11, &blocks, &bs) == -WB_EISCSISCSI);
		CHECK("READ CAPACITY(10): 7 bytes is too short", scsi_parse_read_capacity10(d, 7, &blocks, &bs) == -WB_EISCSISCSI);
	}
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
	test_write_r2t();
	test_write_errors();
	test_write_restart();
	test_sync_luns_modesense();
	test_datain_coverage();
	test_block_exact();
	test_scsi_helpers();
	return unit_done();
}
