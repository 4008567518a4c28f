/*
 * test_san.c — san/san_iscsi.c against a fake iSCSI target over in-memory
 * streams on a fake clock: open (login, INQUIRY, TUR, READ CAPACITY, MODE
 * SENSE), reads split into pipelined commands, read-ahead, login redirects
 * (temporary, permanent, IPv6 TargetAddress, a redirect loop), recovery
 * (connection dropped mid-read, Async logout request, a silent target,
 * NOT READY, UNIT ATTENTION), giving up after retry_ms, our NOP-Out ping
 * from san_poll(), write protection, flush, logout on close.  Every read is
 * compared with the target's pattern.  san_poll() never waiting (no fake
 * time, no poller call) while the target refuses, hangs in the TCP connect
 * or never answers the login or a Logout; Ctrl-C (env.stall_cancel) for a
 * stalled read.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "proto/iscsi_pdu.h"
#include "san/san.h"

#define UNIT_NAME "san"
#include "unit.h"

#define BLOCKS 2048u
#define BS 512u
#define ROOT "iscsi:192.0.2.1::::iqn.2026-11.test:disk"

/* what the fake target does; reset per test */
static struct {
	int redirect;          /* 1 temporary, 2 permanent (from 192.0.2.1), 3 always (loop), 4 temporary to [v6] */
	int drop_at_read;      /* close the connection when the Nth READ arrives (one-shot) */
	int async_at_read;     /* send Async "logout requested" at the Nth READ (one-shot) */
	int drop_async_at_read; /* send Async "connection will be dropped" (Time2Wait 1 s) and close */
	int mute_at_read;      /* stop answering at the Nth READ (one-shot, this connection) */
	int notready;          /* answer this many commands NOT READY */
	int ua;                /* answer this many commands UNIT ATTENTION */
	int refuse;            /* connections refused */
	int wp;                /* MODE SENSE says write-protected */
	int huge;              /* 2^33 blocks: READ CAPACITY(10) overflows, (16) answers */
	uint64_t rc16_last;    /* with huge: READ CAPACITY(16) says this last LBA ... */
	uint32_t rc16_bs;      /* ... and this block size, when rc16_bs is not 0 */
	int cancel_at_read;    /* Ctrl-C when the Nth READ arrives */
	int cancel_now;
	unsigned reads, logins, connects, logouts, pings, tsih;
	unsigned writes, r2ts, immediate, bad_dataout, write_cmds, rc16, reads16;
	int drop_at_write;     /* close the connection when the Nth WRITE arrives (one-shot) */
	int short_reads;       /* answer this many READs inexactly (short_kind), GOOD status */
	int short_kind;        /* 1 no data + underflow, 2 half + underflow, 3 all + overflow, 4 half, no residual */
	int short_writes;      /* answer this many WRITEs GOOD with an underflow residual */
	unsigned short_sent;   /* inexact answers sent */
	int64_t drop_lba;      /* every READ(10) starting here closes the connection (-1: off) */
	int64_t mute_lba;      /* ... makes the target go silent on this connection */
	int64_t stall_lba;     /* ... is never answered, the CmdSN window closes, NOP-In pings go on */
	uint32_t ping_ms;      /* stalled: a NOP-In ping this often */
	uint32_t window;       /* CmdSN window the target grants (0: 32) */
	uint64_t cancel_after; /* Ctrl-C once the fake clock passes this (a guard; 0: off) */
	unsigned stalls, nopins;
	int async_idle;        /* an Async "logout requested" on the next receive (one-shot) */
	int logout_silent;     /* Logout Requests are never answered */
	int pending;           /* new connections stay STREAM_CONNECTING while set */
	int login_mute;        /* new connections never answer (a target that accepts, then hangs) */
	unsigned polls;        /* env.poller.poll calls: a waiting loop */
	int ctrl_c;            /* what env.stall_cancel answers */
	unsigned stall_asks;   /* env.stall_cancel calls */
	uint64_t first_ask;    /* fake clock at the first of them */
	struct conn *last;     /* the newest connection still open */
	char hosts[16][64];    /* every connect's host */
	uint16_t ports[16];
} sc;

static uint64_t fake_ms;
static char logbuf[8192];

static uint64_t t_now(void) { return fake_ms; }
static void t_poll(void *arg) { (void)arg; fake_ms += 1; sc.polls++; }
static int t_stall_cancel(void *arg)
{
	(void)arg;
	if (!sc.stall_asks++)
		sc.first_ask = fake_ms;
	return sc.ctrl_c;
}
static int t_cancel(void) { return sc.cancel_now || (sc.cancel_after && fake_ms > sc.cancel_after); }
static int t_rng(void *arg, void *buf, size_t len)
{
	static uint8_t x = 1;

	(void)arg;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = x = (uint8_t)(x * 5 + 3);
	return 0;
}
static void t_log(void *arg, const char *line)
{
	(void)arg;
	if (strlen(logbuf) + strlen(line) + 2 < sizeof(logbuf)) {
		strcat(logbuf, line);
		strcat(logbuf, "\n");
	}
}

static uint8_t pattern(uint64_t lba, unsigned off) { return (uint8_t)(lba * 7 + off + (lba >> 8) * 13); }

/* the target's disk: the pattern until written */
static uint8_t disk[BLOCKS * BS];

static void disk_reset(void)
{
	for (uint32_t b = 0; b < BLOCKS; b++)
		for (unsigned o = 0; o < BS; o++)
			disk[b * BS + o] = pattern(b, o);
}

/* writes in progress at the target (R2T at a time, MaxOutstandingR2T 1) */
struct wtask {
	int used;
	uint32_t itt, ttt, lba, edtl, got, r2t_end, r2tsn;
};

/* ---- the fake target, one per connection ----------------------------------------- */

struct conn {
	struct stream base;
	char host[64];
	uint16_t port;
	uint8_t in[1 << 16];
	size_t inlen;
	uint8_t *out;
	size_t outlen, outpos, outcap;
	int closed, mute, stalled, connecting;
	uint64_t last_ping;
	uint32_t statsn, expcmdsn;
	struct wtask w[8];
	uint32_t next_ttt;
};

static void emit(struct conn *c, struct iscsi_bhs *h, const uint8_t *data)
{
	size_t need = iscsi_pdu_size(h, 0, 0);
	int n;

	if (c->closed || c->mute)
		return;
	if (c->outlen + need > c->outcap) {
		c->outcap = (c->outlen + need) * 2;
		c->out = realloc(c->out, c->outcap);
	}
	h->expcmdsn = c->expcmdsn;
	/* stalled: window closed; else sc.window commands (0: 32) */
	h->maxcmdsn = c->stalled ? c->expcmdsn - 1 : c->expcmdsn + (sc.window ? sc.window : 32) - 1;
	n = iscsi_pdu_build(h, NULL, data, 0, 0, c->out + c->outlen, need);
	if (n > 0)
		c->outlen += (size_t)n;
}

static void login_rsp(struct conn *c, const struct iscsi_bhs *rq, int transit, int csg, int nsg, uint8_t cls,
		      uint8_t det, const char *text)
{
	struct iscsi_bhs h;
	uint8_t data[1024];
	size_t n = text ? strlen(text) : 0;

	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_LOGIN_RSP;
	h.flags = (uint8_t)((transit ? ISCSI_LOGIN_TRANSIT : 0) | ISCSI_LOGIN_STAGES(csg, nsg));
	memcpy(h.isid, rq->isid, 6);
	h.tsih = transit && nsg == 3 ? (uint16_t)sc.tsih : 0;
	h.itt = rq->itt;
	h.statsn = c->statsn++;
	h.status_class = cls;
	h.status_detail = det;
	for (size_t i = 0; i < n; i++)
		data[i] = text[i] == '|' ? 0 : (uint8_t)text[i];
	h.data_len = (uint32_t)n;
	c->expcmdsn = rq->cmdsn;
	emit(c, &h, n ? data : NULL);
}

static void scsi_rsp(struct conn *c, const struct iscsi_bhs *rq, uint8_t key, uint8_t asc)
{
	struct iscsi_bhs h;
	uint8_t sense[2 + 18];

	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_SCSI_RSP;
	h.flags = ISCSI_FLAG_FINAL;
	h.itt = rq->itt;
	h.statsn = c->statsn++;
	if (key) {
		memset(sense, 0, sizeof(sense));
		sense[1] = 18;
		sense[2] = 0x70;
		sense[4] = key;
		sense[9] = 10;
		sense[14] = asc;
		h.status = 2;
		h.data_len = sizeof(sense);
	}
	emit(c, &h, key ? sense : NULL);
}

/* data in pieces of 4 KiB, status on the last */
static void data_in(struct conn *c, const struct iscsi_bhs *rq, const uint8_t *d, uint32_t len)
{
	uint32_t off = 0, sn = 0;

	do {
		struct iscsi_bhs h;
		uint32_t k = len - off > 4096 ? 4096 : len - off;

		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_DATA_IN;
		h.itt = rq->itt;
		h.ttt = 0xffffffffu;
		h.datasn = sn++;
		h.buffer_offset = off;
		h.data_len = k;
		off += k;
		if (off == len) {
			h.flags = ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS;
			if (len < rq->edtl) {
				h.flags |= ISCSI_RSP_UNDERFLOW;
				h.residual = rq->edtl - len;
			}
			h.statsn = c->statsn++;
		}
		emit(c, &h, d + off - k);
	} while (off < len);
}

/* GOOD status in a SCSI Response with the U (0x02) or O (0x04) bit and a residual */
static void rsp_residual(struct conn *c, const struct iscsi_bhs *rq, uint8_t resflag, uint32_t residual)
{
	struct iscsi_bhs h;

	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_SCSI_RSP;
	h.flags = (uint8_t)(ISCSI_FLAG_FINAL | resflag);
	h.itt = rq->itt;
	h.statsn = c->statsn++;
	h.residual = residual;
	emit(c, &h, NULL);
}

/* a READ answered with GOOD status but not exactly (sc.short_kind) */
static void short_read(struct conn *c, const struct iscsi_bhs *rq, const uint8_t *d, uint32_t len)
{
	sc.short_sent++;
	switch (sc.short_kind) {
	case 1:
		rsp_residual(c, rq, ISCSI_RSP_UNDERFLOW, rq->edtl);
		return;
	case 3: {
		/* every byte, and the claim that there was more */
		struct iscsi_bhs h;

		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_DATA_IN;
		h.flags = ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS | ISCSI_RSP_OVERFLOW;
		h.itt = rq->itt;
		h.ttt = 0xffffffffu;
		h.data_len = len;
		h.residual = BS;
		h.statsn = c->statsn++;
		emit(c, &h, d);
		return;
	}
	case 4: {
		struct iscsi_bhs h;

		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_DATA_IN;
		h.flags = ISCSI_FLAG_FINAL | ISCSI_DATAIN_STATUS;
		h.itt = rq->itt;
		h.ttt = 0xffffffffu;
		h.data_len = len / 2;
		h.statsn = c->statsn++;
		emit(c, &h, d);
		return;
	}
	default:
		data_in(c, rq, d, len / 2);   /* underflow, residual len / 2 */
		return;
	}
}

/* ask for the next piece of a write: R2Ts of at most 4 KiB so that a
   command takes several */
static void r2t(struct conn *c, struct wtask *w)
{
	struct iscsi_bhs h;
	uint32_t k = w->edtl - w->got > 4096 ? 4096 : w->edtl - w->got;

	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_R2T;
	h.flags = ISCSI_FLAG_FINAL;
	h.itt = w->itt;
	h.ttt = w->ttt = ++c->next_ttt;
	h.statsn = c->statsn;
	h.datasn = w->r2tsn++;
	h.buffer_offset = w->got;
	h.length = k;
	w->r2t_end = w->got + k;
	sc.r2ts++;
	emit(c, &h, NULL);
}

static void write_progress(struct conn *c, struct wtask *w, const struct iscsi_bhs *rq)
{
	if (w->got < w->edtl) {
		r2t(c, w);
		return;
	}
	w->used = 0;
	sc.writes++;
	if (sc.short_writes > 0) {
		sc.short_writes--;
		sc.short_sent++;
		rsp_residual(c, rq, ISCSI_RSP_UNDERFLOW, BS);
		return;
	}
	scsi_rsp(c, rq, 0, 0);
}

#define OP_ANSWER "HeaderDigest=None|DataDigest=None|MaxRecvDataSegmentLength=65536|MaxBurstLength=16384|" \
	"FirstBurstLength=1024|ImmediateData=Yes|InitialR2T=Yes|MaxOutstandingR2T=1|ErrorRecoveryLevel=0|" \
	"MaxConnections=1|DataPDUInOrder=Yes|DataSequenceInOrder=Yes|DefaultTime2Wait=0|DefaultTime2Retain=0|" \
	"IFMarker=No|OFMarker=No|"

static void target_pdu(struct conn *c, const struct iscsi_bhs *rq, const uint8_t *data)
{
	static uint8_t buf[65536 * 2];
	(void)data;

	if (rq->opcode != ISCSI_OP_LOGIN_REQ && !rq->immediate)
		c->expcmdsn = rq->cmdsn + 1;
	switch (rq->opcode) {
	case ISCSI_OP_LOGIN_REQ:
		if (ISCSI_LOGIN_CSG(rq->flags) == 0) {
			int home = !strcmp(c->host, "192.0.2.1");

			if ((sc.redirect == 1 || sc.redirect == 2) && home)
				login_rsp(c, rq, 0, 0, 0, 1, (uint8_t)sc.redirect, "TargetAddress=192.0.2.9:3261,1|");
			else if (sc.redirect == 4 && home)
				login_rsp(c, rq, 0, 0, 0, 1, 1, "TargetAddress=[2001:db8::9]:3262,1|");
			else if (sc.redirect == 3)
				login_rsp(c, rq, 0, 0, 0, 1, 1, "TargetAddress=192.0.2.1,1|");
			else
				login_rsp(c, rq, 1, 0, 1, 0, 0, "TargetPortalGroupTag=1|AuthMethod=None|");
		} else {
			sc.logins++;
			sc.tsih++;
			login_rsp(c, rq, 1, 1, 3, 0, 0, OP_ANSWER);
		}
		return;
	case ISCSI_OP_NOP_OUT:
		if (rq->itt != 0xffffffffu) {
			struct iscsi_bhs h;

			sc.pings++;
			memset(&h, 0, sizeof(h));
			h.opcode = ISCSI_OP_NOP_IN;
			h.flags = ISCSI_FLAG_FINAL;
			h.itt = rq->itt;
			h.ttt = 0xffffffffu;
			h.statsn = c->statsn++;
			emit(c, &h, NULL);
		}
		return;
	case ISCSI_OP_LOGOUT_REQ: {
		struct iscsi_bhs h;

		sc.logouts++;
		if (sc.logout_silent)
			return;
		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_LOGOUT_RSP;
		h.flags = ISCSI_FLAG_FINAL;
		h.itt = rq->itt;
		h.statsn = c->statsn++;
		emit(c, &h, NULL);
		c->closed = 1;
		return;
	}
	case ISCSI_OP_DATA_OUT:
		for (int i = 0; i < 8; i++) {
			struct wtask *w = &c->w[i];

			if (!w->used || w->itt != rq->itt)
				continue;
			if (rq->ttt != w->ttt || rq->buffer_offset != w->got || rq->buffer_offset + rq->data_len > w->r2t_end) {
				sc.bad_dataout++;
				return;
			}
			memcpy(disk + (size_t)w->lba * BS + w->got, data, rq->data_len);
			w->got += rq->data_len;
			if (rq->flags & ISCSI_FLAG_FINAL) {
				struct iscsi_bhs cmd;

				memset(&cmd, 0, sizeof(cmd));
				cmd.itt = w->itt;
				write_progress(c, w, &cmd);
			}
			return;
		}
		sc.bad_dataout++;
		return;
	case ISCSI_OP_SCSI_CMD:
		break;
	default:
		return;
	}
	if (sc.notready > 0) {
		sc.notready--;
		scsi_rsp(c, rq, 0x2, 0x04);
		return;
	}
	if (sc.ua > 0) {
		sc.ua--;
		scsi_rsp(c, rq, 0x6, 0x29);
		return;
	}
	switch (rq->cdb[0]) {
	case 0x00:  /* TEST UNIT READY */
	case 0x35:  /* SYNCHRONIZE CACHE */
		scsi_rsp(c, rq, 0, 0);
		return;
	case 0x12:  /* INQUIRY */
		memset(buf, 0, 96);
		buf[2] = 5;
		buf[4] = 91;
		memcpy(buf + 8, "WBTEST  FAKE DISK       0001", 28);
		data_in(c, rq, buf, rq->edtl < 96 ? rq->edtl : 96);
		return;
	case 0x25:  /* READ CAPACITY(10) */
		memset(buf, 0, 8);
		if (sc.huge) {
			memset(buf, 0xff, 4);
		} else {
			buf[2] = (BLOCKS - 1) >> 8;
			buf[3] = (BLOCKS - 1) & 0xff;
		}
		buf[6] = BS >> 8;
		data_in(c, rq, buf, 8);
		return;
	case 0x9e:  /* SERVICE ACTION IN(16) / READ CAPACITY(16): last LBA 2^33 - 1 */
		if ((rq->cdb[1] & 0x1f) != 0x10) {
			scsi_rsp(c, rq, 0x5, 0x24);
			return;
		}
		memset(buf, 0, 32);
		buf[3] = 1;
		memset(buf + 4, 0xff, 4);
		buf[10] = BS >> 8;
		if (sc.rc16_bs) {
			for (int k = 0; k < 8; k++)
				buf[k] = (uint8_t)(sc.rc16_last >> (56 - 8 * k));
			for (int k = 0; k < 4; k++)
				buf[8 + k] = (uint8_t)(sc.rc16_bs >> (24 - 8 * k));
		}
		sc.rc16++;
		data_in(c, rq, buf, rq->edtl < 32 ? rq->edtl : 32);
		return;
	case 0x88: { /* READ(16) */
		uint64_t lba = 0;
		uint32_t n = (uint32_t)rq->cdb[10] << 24 | (uint32_t)rq->cdb[11] << 16 | (uint32_t)rq->cdb[12] << 8 | rq->cdb[13];

		for (int i = 2; i < 10; i++)
			lba = lba << 8 | rq->cdb[i];
		sc.reads16++;
		if (n * BS > sizeof(buf)) {
			scsi_rsp(c, rq, 0x5, 0x24);
			return;
		}
		for (uint32_t b = 0; b < n; b++)
			for (unsigned o = 0; o < BS; o++)
				buf[b * BS + o] = pattern(lba + b, o);
		if (sc.short_reads > 0) {
			sc.short_reads--;
			short_read(c, rq, buf, n * BS);
			return;
		}
		data_in(c, rq, buf, n * BS);
		return;
	}
	case 0x1a:  /* MODE SENSE(6): header only */
		memset(buf, 0, 4);
		buf[0] = 3;
		buf[2] = sc.wp ? 0x80 : 0;
		data_in(c, rq, buf, 4);
		return;
	case 0x2a: { /* WRITE(10): immediate data, then R2Ts */
		uint32_t lba = (uint32_t)rq->cdb[2] << 24 | (uint32_t)rq->cdb[3] << 16 | (uint32_t)rq->cdb[4] << 8 | rq->cdb[5];
		uint32_t n = (uint32_t)rq->cdb[7] << 8 | rq->cdb[8];
		struct wtask *w = NULL;

		for (int i = 0; i < 8 && !w; i++)
			if (!c->w[i].used)
				w = &c->w[i];
		if (!w || lba + n > BLOCKS || rq->edtl != n * BS || rq->data_len > rq->edtl) {
			scsi_rsp(c, rq, 0x5, 0x21);
			return;
		}
		if (sc.wp) {
			scsi_rsp(c, rq, 0x7, 0x27);
			return;
		}
		sc.write_cmds++;
		if (sc.drop_at_write && sc.write_cmds == (unsigned)sc.drop_at_write) {
			sc.drop_at_write = 0;
			c->closed = 1;
			return;
		}
		memset(w, 0, sizeof(*w));
		w->used = 1;
		w->itt = rq->itt;
		w->lba = lba;
		w->edtl = rq->edtl;
		memcpy(disk + (size_t)lba * BS, data, rq->data_len);
		w->got = rq->data_len;
		sc.immediate += rq->data_len;
		write_progress(c, w, rq);
		return;
	}
	case 0x28: { /* READ(10) */
		uint32_t lba = (uint32_t)rq->cdb[2] << 24 | (uint32_t)rq->cdb[3] << 16 | (uint32_t)rq->cdb[4] << 8 | rq->cdb[5];
		uint32_t n = (uint32_t)rq->cdb[7] << 8 | rq->cdb[8];

		sc.reads++;
		if ((int64_t)lba == sc.drop_lba) {
			c->closed = 1;
			return;
		}
		if ((int64_t)lba == sc.mute_lba) {
			c->mute = 1;
			return;
		}
		if ((int64_t)lba == sc.stall_lba) {
			c->stalled = 1;   /* swallowed; pings from c_recv */
			sc.stalls++;
			return;
		}
		if (sc.cancel_at_read && sc.reads == (unsigned)sc.cancel_at_read) {
			sc.cancel_at_read = 0;
			sc.cancel_now = 1;
		}
		if (sc.drop_at_read && sc.reads == (unsigned)sc.drop_at_read) {
			sc.drop_at_read = 0;
			c->closed = 1;
			return;
		}
		if (sc.mute_at_read && sc.reads == (unsigned)sc.mute_at_read) {
			sc.mute_at_read = 0;
			c->mute = 1;
			return;
		}
		if (sc.drop_async_at_read && sc.reads == (unsigned)sc.drop_async_at_read) {
			struct iscsi_bhs h;

			sc.drop_async_at_read = 0;
			memset(&h, 0, sizeof(h));
			h.opcode = ISCSI_OP_ASYNC;
			h.flags = ISCSI_FLAG_FINAL;
			h.itt = 0xffffffffu;
			h.statsn = c->statsn++;
			h.async_event = 2;
			h.param[1] = 1;   /* Time2Wait */
			emit(c, &h, NULL);
			c->closed = 1;
			return;
		}
		if (sc.async_at_read && sc.reads == (unsigned)sc.async_at_read) {
			struct iscsi_bhs h;

			sc.async_at_read = 0;
			memset(&h, 0, sizeof(h));
			h.opcode = ISCSI_OP_ASYNC;
			h.flags = ISCSI_FLAG_FINAL;
			h.itt = 0xffffffffu;
			h.statsn = c->statsn++;
			h.async_event = 1;
			h.param[2] = 5;
			emit(c, &h, NULL);
		}
		if (lba + n > BLOCKS || n * BS > sizeof(buf)) {
			scsi_rsp(c, rq, 0x5, 0x21);
			return;
		}
		if (sc.short_reads > 0) {
			sc.short_reads--;
			short_read(c, rq, disk + (size_t)lba * BS, n * BS);
			return;
		}
		data_in(c, rq, disk + (size_t)lba * BS, n * BS);
		return;
	}
	default:
		scsi_rsp(c, rq, 0x5, 0x20);
	}
}

static enum stream_state c_state(const struct stream *s)
{
	const struct conn *c = (const struct conn *)s;

	if (c->connecting && sc.pending)
		return STREAM_CONNECTING;
	return c->closed && c->outpos == c->outlen ? STREAM_EOF : STREAM_OPEN;
}
static int c_error(const struct stream *s) { (void)s; return 0; }
static int c_send(struct stream *s, const void *b, size_t n)
{
	struct conn *c = (struct conn *)s;

	if (c->closed)
		return -WB_ECLOSED;
	if (n > sizeof(c->in) - c->inlen)
		n = sizeof(c->in) - c->inlen;
	memcpy(c->in + c->inlen, b, n);
	c->inlen += n;
	for (;;) {
		struct iscsi_bhs h;
		size_t total;

		if (c->inlen < ISCSI_BHS_LEN || iscsi_bhs_decode(c->in, 1 << 20, &h))
			break;
		total = ISCSI_BHS_LEN + h.ahs_len + ISCSI_PAD4(h.data_len);
		if (c->inlen < total)
			break;
		if (!c->mute)
			target_pdu(c, &h, c->in + ISCSI_BHS_LEN + h.ahs_len);
		memmove(c->in, c->in + total, c->inlen - total);
		c->inlen -= total;
	}
	return (int)n;
}
static size_t c_send_space(const struct stream *s) { (void)s; return 65536; }
static int c_recv(struct stream *s, void *b, size_t n)
{
	struct conn *c = (struct conn *)s;
	size_t left;

	if (c->stalled && sc.ping_ms && fake_ms >= c->last_ping + sc.ping_ms) {
		/* the target's own ping (RFC 7143 §11.19: ITT 0xffffffff, a TTT) */
		struct iscsi_bhs h;

		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_NOP_IN;
		h.flags = ISCSI_FLAG_FINAL;
		h.itt = 0xffffffffu;
		h.ttt = 0x100 + sc.nopins++;
		h.statsn = c->statsn;
		c->last_ping = fake_ms;
		emit(c, &h, NULL);
	}
	if (sc.async_idle && !c->mute && !c->closed) {
		struct iscsi_bhs h;

		sc.async_idle = 0;
		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_ASYNC;
		h.flags = ISCSI_FLAG_FINAL;
		h.itt = 0xffffffffu;
		h.statsn = c->statsn++;
		h.async_event = 1;
		h.param[2] = 5;
		emit(c, &h, NULL);
	}
	left = c->outlen - c->outpos;

	if (left == 0)
		return c->closed ? -WB_ECLOSED : 0;
	if (n > left)
		n = left;
	if (n > 3000)
		n = 3000;   /* odd splits */
	memcpy(b, c->out + c->outpos, n);
	c->outpos += n;
	return (int)n;
}
static size_t c_recv_avail(const struct stream *s)
{
	const struct conn *c = (const struct conn *)s;

	return c->outlen - c->outpos;
}
static void c_close(struct stream *s)
{
	struct conn *c = (struct conn *)s;

	if (sc.last == c)
		sc.last = NULL;
	free(c->out);
	plat_free(c);
}
static const struct stream_ops c_ops = { c_state, c_error, c_send, c_send_space, c_recv, c_recv_avail, c_close };

static int t_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	struct conn *c;

	(void)arg;
	if (sc.connects < 16) {
		snprintf(sc.hosts[sc.connects], sizeof(sc.hosts[0]), "%s", host);
		sc.ports[sc.connects] = port;
	}
	sc.connects++;
	if (sc.refuse)
		return -WB_ECONNREFUSED;
	c = plat_malloc(sizeof(*c));
	if (!c)
		return -WB_ENOMEM;
	memset(c, 0, sizeof(*c));
	c->base.ops = &c_ops;
	snprintf(c->host, sizeof(c->host), "%s", host);
	c->port = port;
	c->statsn = 1000;
	c->connecting = sc.pending;
	c->mute = sc.login_mute;
	sc.last = c;
	*out = &c->base;
	return 0;
}

/* ---- helpers --------------------------------------------------------------------- */

static struct san_env env;
static struct san_iscsi_cfg cfg;

static void reset(void)
{
	memset(&sc, 0, sizeof(sc));
	sc.tsih = 0x100;
	sc.drop_lba = sc.mute_lba = sc.stall_lba = -1;
	disk_reset();
	logbuf[0] = '\0';
	memset(&env, 0, sizeof(env));
	env.connect = t_connect;
	env.poller.poll = t_poll;
	env.poller.cancel = t_cancel;
	env.now_ms = t_now;
	env.rng = t_rng;
	env.log = t_log;
	memset(&cfg, 0, sizeof(cfg));
	cfg.root_path = ROOT;
	cfg.initiator = "iqn.2026-11.test:init";
	cfg.depth = 4;
	cfg.retry_ms = 5000;
	cfg.io_timeout_ms = 2000;
}

static int check_data(const uint8_t *b, uint64_t lba, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		for (unsigned o = 0; o < BS; o++)
			if (b[i * BS + o] != pattern(lba + i, o))
				return 0;
	return 1;
}

static struct san_dev *open_ok(const char *what)
{
	struct san_dev *d = NULL;
	char msg[SAN_MSG_MAX];
	int rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));

	if (rc)
		printf("    %s: open: %s\n", what, msg);
	CHECK(what, rc == 0 && d);
	return rc ? NULL : d;
}

static uint8_t big[BLOCKS * BS];

/* ---- tests ----------------------------------------------------------------------- */

static void test_open_read(void)
{
	struct san_dev *d;
	const struct san_info *in;

	reset();
	d = open_ok("open: login, INQUIRY, TUR, READ CAPACITY, MODE SENSE");
	if (!d)
		return;
	in = san_info(d);
	CHECK("open: geometry", in->blocks == BLOCKS && in->block_size == BS);
	CHECK_STR("open: vendor", in->vendor, "WBTEST");
	CHECK_STR("open: product", in->product, "FAKE DISK");
	CHECK_STR("open: host", in->host, "192.0.2.1");
	CHECK("open: port, tpgt, TSIH, LUN 0", in->port == 3260 && in->tpgt == 1 && in->tsih == 0x101 && in->lun[1] == 0);
	CHECK("open: MaxBurstLength from the target", in->max_burst == 16384);
	CHECK("open: writable", in->read_only == 0);
	memset(big, 0, sizeof(big));
	CHECK("read: 100 blocks at LBA 7", san_read(d, 7, 100, big) == 0 && check_data(big, 7, 100));
	memset(big, 0, sizeof(big));
	sc.reads = 0;
	CHECK("read: the whole disk", san_read(d, 0, BLOCKS, big) == 0 && check_data(big, 0, BLOCKS));
	CHECK("read: split by MaxBurstLength (32 blocks per command)", sc.reads == BLOCKS / 32);
	CHECK("read: beyond the end refused", san_read(d, BLOCKS - 1, 2, big) == -WB_EINVAL &&
	      strstr(san_error(d), "beyond the end"));
	CHECK("read: LBA past 2^64 wrap refused", san_read(d, UINT64_MAX, 2, big) == -WB_EINVAL);
	CHECK("read: zero blocks is a no-op", san_read(d, 0, 0, big) == 0);
	CHECK("flush: SYNCHRONIZE CACHE", san_flush(d) == 0);
	CHECK("close: logout", san_close(d, 1000) == 0 && sc.logouts == 1);
	CHECK("open/close: no reconnect logged", !strstr(logbuf, "connection lost"));
}

static void test_readahead(void)
{
	struct san_dev *d;
	const struct san_stats *st;
	static uint8_t b[8 * BS];
	int ok = 1;

	reset();
	cfg.readahead = 64 * 1024;   /* 128 blocks */
	d = open_ok("read-ahead: open");
	if (!d)
		return;
	st = san_stats(d);
	sc.reads = 0;
	for (uint64_t lba = 0; lba < 512; lba += 8)
		ok &= san_read(d, lba, 8, b) == 0 && check_data(b, lba, 8);
	CHECK("read-ahead: 64 sequential 4 KiB reads return the right data", ok);
	CHECK("read-ahead: hits", st->readahead_hits == 64 - 1 - st->readahead_fills);
	CHECK("read-ahead: 4 windows of 128 blocks fetched", st->readahead_fills == 4);
	CHECK("read-ahead: far fewer READ commands than reads", sc.reads == 1 + 4 * 4);
	/* a random read goes straight to the target, the window stays */
	CHECK("read-ahead: a random read", san_read(d, 1500, 3, b) == 0 && check_data(b, 1500, 3));
	/* a write (refused: not implemented / read-only) still drops the window */
	san_write(d, 500, 1, b);
	sc.reads = 0;
	CHECK("read-ahead: after a write the window is not used", san_read(d, 505, 2, b) == 0 &&
	      check_data(b, 505, 2) && sc.reads == 1);
	san_close(d, 1000);
}

static void test_redirects(void)
{
	struct san_dev *d;
	char msg[SAN_MSG_MAX];

	reset();
	sc.redirect = 1;
	d = open_ok("redirect temporary: open");
	if (d) {
		CHECK_STR("redirect temporary: connected to the new portal", san_info(d)->host, "192.0.2.9");
		CHECK("redirect temporary: its port", san_info(d)->port == 3261 && sc.connects == 2);
		sc.drop_at_read = sc.reads + 1;
		CHECK("redirect temporary: read across a drop", san_read(d, 0, 64, big) == 0 && check_data(big, 0, 64));
		CHECK("redirect temporary: the reconnect went to the original portal first",
		      sc.connects == 4 && !strcmp(sc.hosts[2], "192.0.2.1") && !strcmp(sc.hosts[3], "192.0.2.9"));
		san_close(d, 1000);
	}
	reset();
	sc.redirect = 2;
	d = open_ok("redirect permanent: open");
	if (d) {
		sc.drop_at_read = sc.reads + 1;
		CHECK("redirect permanent: read across a drop", san_read(d, 0, 64, big) == 0 && check_data(big, 0, 64));
		CHECK("redirect permanent: the reconnect went straight to the new portal",
		      sc.connects == 3 && !strcmp(sc.hosts[2], "192.0.2.9") && sc.ports[2] == 3261);
		san_close(d, 1000);
	}
	reset();
	sc.redirect = 4;
	d = open_ok("redirect to an IPv6 TargetAddress: open");
	if (d) {
		CHECK("redirect IPv6: host without brackets, port", !strcmp(sc.hosts[1], "2001:db8::9") && sc.ports[1] == 3262);
		san_close(d, 1000);
	}
	reset();
	sc.redirect = 3;
	d = NULL;
	CHECK("redirect loop: refused", san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg)) == -WB_ESANREDIRMAX && !d);
	CHECK("redirect loop: five logins tried", sc.connects == 5);
	CHECK("redirect loop: message", strstr(msg, "more than 4 redirects") != NULL);
	CHECK("redirects: logged", strstr(logbuf, "temporary redirect from 192.0.2.1:3260 to 192.0.2.1:3260") != NULL);
}

static void test_recovery(void)
{
	struct san_dev *d;
	const struct san_stats *st;

	reset();
	d = open_ok("drop: open");
	if (!d)
		return;
	st = san_stats(d);
	sc.drop_at_read = sc.reads + 5;
	memset(big, 0, sizeof(big));
	CHECK("drop: the whole disk read across a dropped connection", san_read(d, 0, BLOCKS, big) == 0 &&
	      check_data(big, 0, BLOCKS));
	CHECK("drop: one reconnect, commands reissued", st->reconnects == 1 && st->retries >= 1 && sc.logins == 2);
	CHECK("drop: logged", strstr(logbuf, "san: connection lost (target closed the connection); reconnecting in 250 ms") &&
	      strstr(logbuf, "san: reconnected to 192.0.2.1:3260"));

	sc.async_at_read = sc.reads + 3;
	memset(big, 0, sizeof(big));
	CHECK("async logout: read completes", san_read(d, 0, BLOCKS, big) == 0 && check_data(big, 0, BLOCKS));
	CHECK("async logout: we logged out and in again", sc.logouts == 1 && sc.logins == 3 && st->reconnects == 2);
	CHECK("async logout: logged", strstr(logbuf, "target asked us to log out") != NULL);

	sc.drop_async_at_read = sc.reads + 4;
	memset(big, 0, sizeof(big));
	CHECK("async drop: read completes", san_read(d, 0, BLOCKS, big) == 0 && check_data(big, 0, BLOCKS));
	CHECK("async drop: reconnected after the target's Time2Wait", st->reconnects == 3 &&
	      strstr(logbuf, "san: connection lost (the target announced it drops the connection); reconnecting in 1000 ms"));

	sc.mute_at_read = sc.reads + 2;
	memset(big, 0, sizeof(big));
	CHECK("silent target: read completes after the I/O timeout", san_read(d, 0, BLOCKS, big) == 0 &&
	      check_data(big, 0, BLOCKS));
	CHECK("silent target: reconnected", st->reconnects == 4 && strstr(logbuf, "no answer from the target for 2000 ms"));

	/* Ctrl-C in the middle of a read: an error, and nothing of that read may
	   land in the buffer later */
	sc.cancel_at_read = sc.reads + 3;
	CHECK("cancel: the read stops", san_read(d, 0, BLOCKS, big) == -WB_ECANCELED && strstr(san_error(d), "cancelled"));
	sc.cancel_now = 0;
	memset(big, 0x11, sizeof(big));
	CHECK("cancel: the next read reconnects and returns the right data", san_read(d, 100, 50, big) == 0 &&
	      check_data(big, 100, 50) && big[50 * BS] == 0x11 && big[sizeof(big) - 1] == 0x11);

	uint32_t ua0 = st->ua_retries;
	sc.ua = 1;
	CHECK("UNIT ATTENTION: retried", san_read(d, 3, 5, big) == 0 && check_data(big, 3, 5) && st->ua_retries == ua0 + 1);

	sc.notready = 3;
	CHECK("NOT READY during I/O: waited out", san_read(d, 9, 5, big) == 0 && check_data(big, 9, 5));
	CHECK("NOT READY: logged", strstr(logbuf, "is not ready; waiting") != NULL);

	/* the target goes away for good */
	sc.drop_at_read = sc.reads + 1;
	sc.refuse = 1;
	memset(big, 0xa5, 64 * BS);
	uint64_t t0 = fake_ms;
	int rc = san_read(d, 0, 64, big);
	CHECK("gone: gives up", rc == -WB_ESANGAVEUP);
	CHECK("gone: after retry_ms", fake_ms - t0 >= 5000 && fake_ms - t0 < 7000);
	CHECK("gone: message names target, portal and the last attempt",
	      strstr(san_error(d), "lost iqn.2026-11.test:disk at 192.0.2.1:3260 (target closed the connection) and could not reconnect within 5 s; last attempt: cannot connect to 192.0.2.1 port 3260"));
	CHECK("gone: back-off logged", strstr(logbuf, "retrying in 500 ms") && strstr(logbuf, "retrying in 1000 ms"));
	t0 = fake_ms;
	CHECK("gone: the next call tries once and fails fast", san_read(d, 0, 8, big) == -WB_ESANGAVEUP &&
	      fake_ms - t0 < 1000 && strstr(san_error(d), "is still unreachable: cannot connect"));
	sc.refuse = 0;
	memset(big, 0, 64 * BS);
	CHECK("back: the next call reconnects and reads", san_read(d, 0, 64, big) == 0 && check_data(big, 0, 64));
	CHECK("gone: close", san_close(d, 1000) == 0);
}

static void test_open_errors(void)
{
	struct san_dev *d = NULL;
	char msg[SAN_MSG_MAX];
	int rc;

	reset();
	sc.notready = 5;
	d = open_ok("NOT READY at open: waited out");
	if (d)
		san_close(d, 1000);
	reset();
	sc.notready = 1000000;
	rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
	CHECK("NOT READY for good: open fails", rc == -WB_ESANNOTREADY && !d && strstr(msg, "stayed NOT READY for 30 s"));
	reset();
	sc.ua = 3;   /* power-on / reset: the first commands of a new nexus */
	d = open_ok("UNIT ATTENTION at open: retried");
	if (d)
		san_close(d, 1000);
	reset();
	sc.refuse = 1;
	rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
	CHECK("refused: clear message", rc == -WB_ECONNREFUSED && strstr(msg, "cannot connect to 192.0.2.1 port 3260"));
	reset();
	cfg.root_path = "iscsi:192.0.2.1:7:::iqn.x";
	rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
	CHECK("bad root path: refused", rc == -WB_EISCSIURIPROTO && strstr(msg, "protocol must be empty or 6"));
	reset();
	cfg.initiator = NULL;
	CHECK("no initiator: refused", san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg)) == -WB_EINVAL);
}

static void test_wp_ping(void)
{
	struct san_dev *d;
	const struct san_stats *st;

	reset();
	sc.wp = 1;
	d = open_ok("write-protected: open");
	if (!d)
		return;
	st = san_stats(d);
	CHECK("write-protected: read_only set", san_info(d)->read_only == 1);
	CHECK("write-protected: write refused", san_write(d, 0, 1, big) == -WB_EROFS && strstr(san_error(d), "write-protected"));
	san_poll(d);
	CHECK("poll: no ping while recently active", st->nops_sent == 0);
	fake_ms += 10001;
	san_poll(d);
	CHECK("poll: NOP-Out ping after 10 s idle", st->nops_sent == 1 && sc.pings == 1);
	san_poll(d);
	CHECK("poll: the NOP-In answer counted", st->nops_answered == 1);
	CHECK("poll: reads still work after the ping", san_read(d, 40, 4, big) == 0 && check_data(big, 40, 4));
	CHECK("close after ping: logout", san_close(d, 1000) == 0);
}

static void test_writes(void)
{
	static const struct { uint32_t lba, n; } v[] = { { 1, 1 }, { 7, 3 }, { 100, 33 }, { 300, 100 }, { BLOCKS - 5, 5 } };
	static uint8_t w[100 * BS], r[100 * BS];
	struct san_dev *d;
	const struct san_stats *st;
	int ok = 1;

	reset();
	cfg.readahead = 64 * 1024;
	d = open_ok("writes: open");
	if (!d)
		return;
	st = san_stats(d);
	/* fill the read-ahead window over LBA 300.. first: the write must not leave it stale */
	for (uint32_t lba = 290; lba < 310; lba += 2)
		san_read(d, lba, 2, r);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (uint32_t k = 0; k < v[i].n * BS; k++)
			w[k] = (uint8_t)(k * 31 + i * 101 + (k >> 9));
		ok &= san_write(d, v[i].lba, v[i].n, w) == 0;
		ok &= !memcmp(disk + (size_t)v[i].lba * BS, w, v[i].n * BS);
		memset(r, 0, sizeof(r));
		ok &= san_read(d, v[i].lba, v[i].n, r) == 0 && !memcmp(r, w, v[i].n * BS);
	}
	CHECK("writes: five ranges written, on the target's disk and read back", ok);
	/* FirstBurstLength 1024 rides along as immediate data, the rest comes in R2Ts
	   of 4 KiB: 1 + 4 + (4 + 0) + (4 + 4 + 4 + 1) + 1 = 19 R2Ts, 8 x <=1024 immediate */
	CHECK("writes: immediate data then several R2Ts per command", sc.immediate == 8192 && sc.r2ts == 19 &&
	      sc.bad_dataout == 0);
	CHECK("writes: counted", st->writes == 5 && st->write_bytes == (1 + 3 + 33 + 100 + 5) * BS);
	CHECK("writes: the untouched block 0 is still the pattern", san_read(d, 0, 1, r) == 0 && check_data(r, 0, 1));
	/* sequential reads, a write inside the window, the same reads again */
	for (uint32_t lba = 400; lba < 420; lba += 2)
		san_read(d, lba, 2, r);
	memset(w, 0x5a, BS);
	san_write(d, 425, 1, w);
	CHECK("writes: read after a write inside the read-ahead window sees the new data",
	      san_read(d, 425, 1, r) == 0 && r[0] == 0x5a && r[BS - 1] == 0x5a);
	/* a connection dropped in the middle of a multi-command write: the
	   unfinished commands are sent again on the new session */
	for (uint32_t k = 0; k < 100 * BS; k++)
		w[k] = (uint8_t)(k * 17 + 3);
	sc.drop_at_write = (int)sc.write_cmds + 3;
	CHECK("writes: across a dropped connection", san_write(d, 1000, 100, w) == 0 &&
	      !memcmp(disk + 1000 * BS, w, 100 * BS) && st->reconnects == 1);
	CHECK("flush", san_flush(d) == 0);
	san_close(d, 1000);
}

static void test_huge(void)
{
	struct san_dev *d;
	static uint8_t b[70 * BS];
	uint64_t last = (1ull << 33) - 1;

	reset();
	sc.huge = 1;
	cfg.readahead = 1;
	d = open_ok("2^33 blocks: open");
	if (!d)
		return;
	CHECK("2^33 blocks: READ CAPACITY(16) after (10) overflowed", sc.rc16 == 1 && san_info(d)->blocks == last + 1);
	CHECK("2^33 blocks: READ(16) above 2^32", san_read(d, (1ull << 32) + 5, 40, b) == 0 && check_data(b, (1ull << 32) + 5, 40) &&
	      sc.reads16 == 2 && sc.reads == 0);
	sc.reads = sc.reads16 = 0;
	CHECK("2^33 blocks: a read across LBA 2^32 uses READ(16) for the part that needs it",
	      san_read(d, (1ull << 32) - 10, 20, b) == 0 && check_data(b, (1ull << 32) - 10, 20) && sc.reads16 == 1);
	CHECK("2^33 blocks: the last block", san_read(d, last, 1, b) == 0 && check_data(b, last, 1));
	CHECK("2^33 blocks: past the end refused", san_read(d, last, 2, b) == -WB_EINVAL);
	san_close(d, 1000);

	/* a capacity whose byte size does not fit 64 bits: refused at open */
	{
		char msg[SAN_MSG_MAX];
		int rc;

		reset();
		sc.huge = 1;
		sc.rc16_last = (1ull << 52) - 1;
		sc.rc16_bs = 4096;
		d = NULL;
		rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
		printf("    %s\n", msg);
		CHECK("capacity of 2^64 bytes: open refused with a clear message", rc == -WB_EISCSICAPACITY && !d &&
		      !strcmp(msg, "READ CAPACITY(16) on LUN 0 of iqn.2026-11.test:disk: impossible capacity (last LBA 4503599627370495, block size 4096: more than 2^64 bytes); check the target's LUN size"));
		CHECK("capacity of 2^64 bytes: logged out", sc.logouts == 1);
		reset();
		sc.huge = 1;
		sc.rc16_last = 1000;
		sc.rc16_bs = 0x40000000u;
		rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
		CHECK("block size 2^30: open refused", rc == -WB_EISCSICAPACITY && !d &&
		      strstr(msg, "block size 1073741824: block size 0 or over 1 MiB"));
	}
}

static void test_target_address(void)
{
	static const struct { const char *in; int rc; const char *host; uint16_t port; } v[] = {
		{ "192.0.2.9:3261,1", 0, "192.0.2.9", 3261 },
		{ "192.0.2.9,7", 0, "192.0.2.9", 3260 },
		{ "target.example", 0, "target.example", 3260 },
		{ "[2001:db8::9]:3262,1", 0, "2001:db8::9", 3262 },
		{ "[2001:db8::9]", 0, "2001:db8::9", 3260 },
		{ "", -WB_ESANREDIRADDR, NULL, 0 },
		{ ",1", -WB_ESANREDIRADDR, NULL, 0 },
		{ "h:", -WB_ESANREDIRADDR, NULL, 0 },
		{ "h:0", -WB_ESANREDIRADDR, NULL, 0 },
		{ "h:65536", -WB_ESANREDIRADDR, NULL, 0 },
		{ "h:12x", -WB_ESANREDIRADDR, NULL, 0 },
		{ "[2001:db8::9", -WB_ESANREDIRADDR, NULL, 0 },
		{ "[2001:db8::9]x", -WB_ESANREDIRADDR, NULL, 0 },
		{ "[]:3260", -WB_ESANREDIRADDR, NULL, 0 },
		{ ":3260", -WB_ESANREDIRADDR, NULL, 0 },
		{ "2001:db8::9", -WB_ESANREDIRADDR, NULL, 0 },   /* IPv6 needs brackets */
	};
	char host[16], name[80];
	uint16_t port;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = san_iscsi_target_address(v[i].in, host, sizeof(host), &port);

		snprintf(name, sizeof(name), "TargetAddress \"%s\"", v[i].in);
		CHECK(name, rc == v[i].rc && (rc || (!strcmp(host, v[i].host) && port == v[i].port)));
	}
	CHECK("TargetAddress: host longer than the buffer refused",
	      san_iscsi_target_address("a-very-long-host-name:3260", host, sizeof(host), &port) == -WB_ESANREDIRADDR);
}

/*
 * Block I/O is exact: a READ/WRITE answered GOOD but with an underflow or
 * overflow residual, or with Data-In short of the transfer length, is
 * retried once and then fails with a message naming the command and its LBA
 * range; the read-ahead window never holds such an answer.
 */
static void test_inexact(void)
{
	static const char *kinds[] = { NULL, "full underflow", "partial underflow", "overflow", "short, no residual" };
	static uint8_t b[200 * BS];
	struct san_dev *d;
	const struct san_stats *st;
	char name[120];

	reset();
	cfg.readahead = 1;
	d = open_ok("inexact: open");
	if (!d)
		return;
	st = san_stats(d);
	for (int k = 1; k <= 4; k++) {
		uint32_t r0 = st->retries;

		sc.short_kind = k;
		sc.short_reads = 1;
		sc.short_sent = 0;
		memset(b, 0, sizeof(b));
		snprintf(name, sizeof(name), "inexact: READ(10) %s once: retried, right data", kinds[k]);
		CHECK(name, san_read(d, 7, 100, b) == 0 && check_data(b, 7, 100) && sc.short_sent == 1 &&
		      st->retries == r0 + 1);
		sc.short_reads = 1000;
		logbuf[0] = '\0';
		snprintf(name, sizeof(name), "inexact: READ(10) %s always: an error", kinds[k]);
		CHECK(name, san_read(d, 2048 - 64, 64, b) == -WB_EISCSIRESIDUAL);
		printf("    %s\n", san_error(d));
	}
	/* the messages, exactly; 64 blocks = 2 commands of 32 (MaxBurstLength 16384) */
	sc.short_kind = 1;
	sc.short_reads = 1000;
	logbuf[0] = '\0';
	CHECK("inexact: full underflow: the message names READ(10), the LBA range and the byte counts",
	      san_read(d, 1984, 64, b) == -WB_EISCSIRESIDUAL &&
		      !strcmp(san_error(d), "iSCSI READ(10) LBA 1984+32: target returned 0 of 16384 bytes (underflow residual 16384), again after a retry; check the target's LUN size/backing store"));
	CHECK("inexact: the retry is logged", strstr(logbuf, "san: iSCSI READ(10) LBA 1984+32: target returned 0 of 16384 bytes (underflow residual 16384); retrying once") != NULL);
	sc.short_kind = 2;
	CHECK("inexact: partial underflow message",
	      san_read(d, 100, 4, b) == -WB_EISCSIRESIDUAL &&
		      strstr(san_error(d), "iSCSI READ(10) LBA 100+4: target returned 1024 of 2048 bytes (underflow residual 1024)"));
	sc.short_kind = 3;
	CHECK("inexact: overflow message", san_read(d, 100, 4, b) == -WB_EISCSIRESIDUAL &&
	      strstr(san_error(d), "iSCSI READ(10) LBA 100+4: target returned 2048 of 2048 bytes (overflow residual 512)"));
	sc.short_kind = 4;
	CHECK("inexact: short Data-In message", san_read(d, 100, 4, b) == -WB_EISCSIRESIDUAL &&
	      strstr(san_error(d), "iSCSI READ(10) LBA 100+4: target returned 1024 of 2048 bytes (no residual reported)"));
	sc.short_reads = 0;
	CHECK("inexact: the device still works afterwards", san_read(d, 100, 4, b) == 0 && check_data(b, 100, 4));

	/* writes */
	memset(b, 0x6b, 40 * BS);
	sc.short_writes = 1;
	sc.short_sent = 0;
	CHECK("inexact: WRITE(10) with an underflow residual once: retried, written",
	      san_write(d, 500, 40, b) == 0 && sc.short_sent == 1 && disk[500 * BS] == 0x6b && disk[540 * BS - 1] == 0x6b);
	sc.short_writes = 1000;
	CHECK("inexact: WRITE(10) with an underflow residual always: an error naming it",
	      san_write(d, 500, 2, b) == -WB_EISCSIRESIDUAL &&
		      strstr(san_error(d), "iSCSI WRITE(10) LBA 500+2: target reported an underflow residual of 512 bytes of 1024 written, again after a retry"));
	printf("    %s\n", san_error(d));
	sc.short_writes = 0;
	san_close(d, 1000);

	/* read-ahead: a window that did not wholly arrive is never served */
	reset();
	cfg.readahead = 64 * 1024;   /* 128 blocks */
	d = open_ok("inexact read-ahead: open");
	if (!d)
		return;
	st = san_stats(d);
	CHECK("inexact read-ahead: a first read", san_read(d, 0, 8, b) == 0 && check_data(b, 0, 8));
	sc.short_kind = 1;
	sc.short_reads = 1000;
	memset(b, 0, 8 * BS);
	CHECK("inexact read-ahead: the window fill fails, so does the read", san_read(d, 8, 8, b) == -WB_EISCSIRESIDUAL);
	sc.short_reads = 0;
	sc.reads = 0;
	CHECK("inexact read-ahead: the next read asks the target again and is right",
	      san_read(d, 16, 8, b) == 0 && check_data(b, 16, 8) && sc.reads >= 1);
	/* partial once, within a window fill: retried, the window is whole */
	sc.short_kind = 2;
	sc.short_reads = 1;
	for (uint64_t lba = 128 + 16; lba < 128 + 16 + 256; lba += 8)
		if (san_read(d, lba, 8, b) != 0 || !check_data(b, lba, 8))
			break;
	CHECK("inexact read-ahead: a partial window answer once: retried, every sequential read right",
	      sc.short_sent >= 1 && sc.short_reads == 0 && san_read(d, 400, 8, b) == 0 && check_data(b, 400, 8));
	san_close(d, 1000);

	/* READ(16) above 2^32 */
	reset();
	sc.huge = 1;
	cfg.readahead = 1;
	d = open_ok("inexact READ(16): open");
	if (!d)
		return;
	sc.short_kind = 2;
	sc.short_reads = 1;
	CHECK("inexact: READ(16) partial underflow once: retried", san_read(d, (1ull << 32) + 5, 40, b) == 0 &&
	      check_data(b, (1ull << 32) + 5, 40));
	sc.short_kind = 1;
	sc.short_reads = 1000;
	CHECK("inexact: READ(16) full underflow always: an error naming READ(16)",
	      san_read(d, (1ull << 32) + 2048, 64, b) == -WB_EISCSIRESIDUAL &&
		      strstr(san_error(d), "iSCSI READ(16) LBA 4294969344+32: target returned 0 of 16384 bytes (underflow residual 16384)"));
	sc.short_reads = 0;
	san_close(d, 1000);
}

/*
 * Bounded recovery: a command that makes the target drop the connection, one
 * never answered, one left unanswered behind a closed CmdSN window while the
 * target keeps pinging: each is reissued at most max_reissues times, and a
 * request never takes longer than cmd_timeout_ms; then a clear error.
 */
static void test_bounds(void)
{
	static uint8_t b[64 * BS];
	struct san_dev *d;
	const struct san_stats *st;
	uint64_t t0;
	int rc;

	reset();
	cfg.readahead = 1;
	d = open_ok("bounds: open");
	if (!d)
		return;
	st = san_stats(d);

	/* the target drops the connection whenever READ LBA 64 arrives */
	sc.drop_lba = 64;
	sc.cancel_after = fake_ms + 120000;   /* the old code loops forever: stop it */
	t0 = fake_ms;
	sc.connects = 0;
	rc = san_read(d, 64, 8, b);
	CHECK("drop always: the read fails with -WB_ESANREISSUES", rc == -WB_ESANREISSUES);
	printf("    %s (%u connects, %llu ms)\n", san_error(d), sc.connects, (unsigned long long)(fake_ms - t0));
	CHECK("drop always: the message names the command, the losses and the setting",
	      !strcmp(san_error(d), "SAN: READ(10) LBA 64+8 on iqn.2026-11.test:disk: the connection was lost 4 times while it was outstanding (last: target closed the connection); not reissued again (san-retries 3)"));
	CHECK("drop always: 3 reconnects (3 reissues), no more", sc.connects == 3 && st->reconnects == 3);
	sc.drop_lba = -1;
	CHECK("drop always: the device works again afterwards", san_read(d, 64, 8, b) == 0 && check_data(b, 64, 8));

	/* never answered: the I/O timeout (2 s) each time, then the bound */
	sc.mute_lba = 200;
	t0 = fake_ms;
	rc = san_read(d, 200, 8, b);
	CHECK("never answered: -WB_ESANREISSUES", rc == -WB_ESANREISSUES &&
	      strstr(san_error(d), "READ(10) LBA 200+8 on iqn.2026-11.test:disk: the connection was lost 4 times while it was outstanding (last: no answer from the target for 2000 ms)"));
	CHECK("never answered: bounded (4 I/O timeouts and back-offs)", fake_ms - t0 >= 8000 && fake_ms - t0 < 12000);
	sc.mute_lba = -1;

	/* the target answers nothing of it but pings every 500 ms, the window closed
	   (a window of one command: the second command of the read waits behind it) */
	sc.stall_lba = 300;
	sc.ping_ms = 500;
	sc.window = 1;
	sc.stalls = sc.nopins = 0;
	t0 = fake_ms;
	sc.cancel_after = fake_ms + 120000;
	rc = san_read(d, 300, 64, b);
	printf("    %s (%u stalls, %u NOP-In, %llu ms)\n", san_error(d), sc.stalls, sc.nopins, (unsigned long long)(fake_ms - t0));
	CHECK("pings + closed window: the I/O timeout trips all the same", rc == -WB_ESANREISSUES &&
	      strstr(san_error(d), "READ(10) LBA 300+32 on iqn.2026-11.test:disk: the connection was lost 4 times while it was outstanding (last: no answer to our commands for 2000 ms, only other PDUs (NOP-In) and the CmdSN window closed)"));
	CHECK("pings + closed window: pinged, answered, stalled 4 times", sc.nopins >= 12 && st->target_nops >= 12 &&
	      sc.stalls == 4);
	CHECK("pings + closed window: bounded", fake_ms - t0 < 12000);
	sc.stall_lba = -1;
	CHECK("pings + closed window: the device works again afterwards", san_read(d, 300, 64, b) == 0 &&
	      check_data(b, 300, 64));
	sc.window = 0;

	/* no reissue at all */
	san_close(d, 1000);
	reset();
	cfg.readahead = 1;
	cfg.max_reissues = SAN_NO_REISSUE;
	d = open_ok("bounds: open (no reissue)");
	if (!d)
		return;
	sc.drop_lba = 64;
	sc.connects = 0;
	sc.cancel_after = fake_ms + 120000;
	CHECK("san-retries 0: the first loss fails the read", san_read(d, 64, 8, b) == -WB_ESANREISSUES && sc.connects == 0 &&
	      strstr(san_error(d), "lost 1 times while it was outstanding") && strstr(san_error(d), "(san-retries 0)"));
	sc.drop_lba = -1;
	CHECK("san-retries 0: other reads still work", san_read(d, 8, 8, b) == 0 && check_data(b, 8, 8));
	san_close(d, 1000);

	/* the total time: many reissues allowed, 5 s in all */
	reset();
	cfg.readahead = 1;
	cfg.max_reissues = 100;
	cfg.cmd_timeout_ms = 5000;
	d = open_ok("bounds: open (command timeout)");
	if (!d)
		return;
	sc.mute_lba = 16;
	sc.cancel_after = fake_ms + 120000;
	t0 = fake_ms;
	rc = san_read(d, 16, 8, b);
	printf("    %s (%llu ms)\n", san_error(d), (unsigned long long)(fake_ms - t0));
	CHECK("command timeout: -WB_ESANCMDTIMEOUT after 5 s", rc == -WB_ESANCMDTIMEOUT && fake_ms - t0 >= 5000 &&
	      fake_ms - t0 < 5500);
	CHECK("command timeout: the message", strstr(san_error(d), "SAN: READ(10) LBA 16+8 on iqn.2026-11.test:disk did not complete within 5 s") &&
	      strstr(san_error(d), "(san-command-timeout)"));
	sc.mute_lba = -1;
	/* reconnecting counts too: the target refuses, retry_ms (5 s) is longer */
	cfg.cmd_timeout_ms = 3000;
	san_close(d, 1000);
	reset();
	cfg.readahead = 1;
	cfg.cmd_timeout_ms = 3000;
	d = open_ok("bounds: open (command timeout while reconnecting)");
	if (!d)
		return;
	sc.drop_lba = 40;
	sc.refuse = 1;
	sc.cancel_after = fake_ms + 120000;
	t0 = fake_ms;
	rc = san_read(d, 40, 8, b);
	printf("    %s (%llu ms)\n", san_error(d), (unsigned long long)(fake_ms - t0));
	CHECK("command timeout while reconnecting: after 3 s, not retry_ms", rc == -WB_ESANCMDTIMEOUT &&
	      fake_ms - t0 >= 3000 && fake_ms - t0 < 3500 && strstr(san_error(d), "the connection is lost: target closed the connection"));
	sc.refuse = 0;
	sc.drop_lba = -1;
	CHECK("after a command timeout the device works again", san_read(d, 40, 8, b) == 0 && check_data(b, 40, 8));
	san_close(d, 1000);
}

/*
 * san_poll() (a firmware timer while GRUB runs) never waits: with the
 * target gone in three ways (connection refused, TCP connect never
 * completing, login never answered) every call takes no time on the fake
 * clock and runs no waiting loop (no env.poller.poll call), yet the device
 * keeps trying and reconnects within a few calls once the target is back.
 */
static void poll_run(struct san_dev *d, unsigned calls, uint64_t *maxstep, unsigned *waits, uint32_t until_reconnects)
{
	for (unsigned i = 0; i < calls; i++) {
		uint64_t t0 = fake_ms;
		unsigned p0 = sc.polls;

		if (until_reconnects && san_stats(d)->reconnects >= until_reconnects)
			return;
		san_poll(d);
		if (fake_ms - t0 > *maxstep)
			*maxstep = fake_ms - t0;
		*waits += sc.polls - p0;
		fake_ms += 50;   /* the firmware timer's period */
	}
}

static void test_poll_nonblocking(void)
{
	static const struct {
		const char *name;
		int refuse, pending, login_mute;
	} outage[] = {
		{ "refused", 1, 0, 0 },
		{ "TCP connect never completes", 0, 1, 0 },
		{ "login never answered", 0, 0, 1 },
	};
	struct san_dev *d;
	const struct san_stats *st;
	uint8_t b[8 * BS];

	reset();
	cfg.login_timeout_ms = 3000;
	d = open_ok("poll: open");
	if (!d)
		return;
	st = san_stats(d);
	for (unsigned k = 0; k < sizeof(outage) / sizeof(outage[0]); k++) {
		uint64_t maxstep = 0;
		unsigned waits = 0, c0 = sc.connects;
		uint32_t r0 = st->reconnects;
		char name[160];

		sc.refuse = outage[k].refuse;
		sc.pending = outage[k].pending;
		sc.login_mute = outage[k].login_mute;
		if (sc.last)
			sc.last->closed = 1;   /* the target goes away */
		poll_run(d, 200, &maxstep, &waits, 0);   /* 10 s of timer ticks */
		printf("    %s: %u connects in 10 s, longest call %llu ms, %u poller calls\n", outage[k].name,
		       sc.connects - c0, (unsigned long long)maxstep, waits);
		snprintf(name, sizeof(name), "poll (%s): every call returns at once: no fake time, no waiting loop", outage[k].name);
		CHECK(name, maxstep == 0 && waits == 0);
		snprintf(name, sizeof(name), "poll (%s): still down, but kept trying (attempts bounded by the login timeout)", outage[k].name);
		CHECK(name, st->reconnects == r0 && sc.connects - c0 >= 3);
		sc.refuse = sc.pending = sc.login_mute = 0;   /* the target is back */
		poll_run(d, 400, &maxstep, &waits, r0 + 1);
		snprintf(name, sizeof(name), "poll (%s): reconnected over several calls, none of them waiting", outage[k].name);
		CHECK(name, st->reconnects == r0 + 1 && maxstep == 0 && waits == 0 && strstr(logbuf, "(idle)"));
		memset(b, 0, sizeof(b));
		snprintf(name, sizeof(name), "poll (%s): a read afterwards succeeds on the new connection", outage[k].name);
		CHECK(name, san_read(d, 200 + 300 * k, 8, b) == 0 && check_data(b, 200 + 300 * k, 8) && st->reconnects == r0 + 1);
	}
	/* a read while san_poll's login is half-way carries it on (one login, no second connect) */
	{
		int rc;
		unsigned c0 = sc.connects;
		uint32_t r0 = st->reconnects;

		sc.pending = 1;
		if (sc.last)
			sc.last->closed = 1;
		san_poll(d);                  /* sees the loss */
		fake_ms += 300;
		san_poll(d);                  /* begins the connect, which stays pending */
		CHECK("poll: a login begun (connect pending)", sc.connects == c0 + 1 && st->reconnects == r0);
		sc.pending = 0;
		rc = san_read(d, 1500, 8, b);
		printf("    poll then read: rc %d, %u connects, %u reconnects: %s\n", rc, sc.connects - c0, st->reconnects - r0, san_error(d));
		CHECK("poll then read: the read finishes the login san_poll began",
		      rc == 0 && check_data(b, 1500, 8) && sc.connects == c0 + 1 && st->reconnects == r0 + 1);
	}
	/* an Async logout request while idle, the Logout never answered: waited for across calls */
	{
		uint64_t maxstep = 0;
		unsigned waits = 0, l0 = sc.logouts;
		uint32_t r0 = st->reconnects;

		sc.async_idle = 1;
		sc.logout_silent = 1;
		poll_run(d, 40, &maxstep, &waits, 0);   /* 2 s: still waiting for the answer */
		CHECK("poll: Async logout request: Logout sent once, its answer awaited without blocking",
		      sc.logouts == l0 + 1 && st->reconnects == r0 && maxstep == 0 && waits == 0);
		poll_run(d, 100, &maxstep, &waits, r0 + 1);
		CHECK("poll: ... given up after 3 s, logged in again, no call waiting",
		      sc.logouts == l0 + 1 && st->reconnects == r0 + 1 && maxstep == 0 && waits == 0);
		sc.logout_silent = 0;
		CHECK("poll: a read after the Async logout", san_read(d, 1800, 8, b) == 0 && check_data(b, 1800, 8));
	}
	/* redirects and the CHAP retry go through the same machine */
	{
		uint64_t maxstep = 0;
		unsigned waits = 0;
		uint32_t r0 = st->reconnects;

		sc.redirect = 1;
		if (sc.last)
			sc.last->closed = 1;
		poll_run(d, 100, &maxstep, &waits, r0 + 1);
		CHECK("poll: a reconnect through a login redirect, no call waiting",
		      st->reconnects == r0 + 1 && maxstep == 0 && waits == 0 && !strcmp(san_info(d)->host, "192.0.2.9"));
		sc.redirect = 0;
	}
	san_close(d, 1000);
}

/*
 * Ctrl-C during a firmware read (env.stall_cancel): asked only after the
 * request has had no answer for SAN_STALL_MS, then the read fails at once
 * with -WB_ECANCELED instead of waiting out the I/O timeout, the reissues
 * and san-command-timeout; a read that gets its answers never asks.
 */
static void test_stall_cancel(void)
{
	struct san_dev *d;
	uint8_t b[8 * BS];
	uint64_t t0;
	int rc;

	reset();
	cfg.readahead = 1;
	cfg.io_timeout_ms = 15000;
	env.stall_cancel = t_stall_cancel;
	sc.ctrl_c = 1;   /* held down all the time */
	d = open_ok("stall cancel: open");
	if (!d)
		return;
	CHECK("stall cancel: never asked while the target answers (open, a whole-disk read)",
	      san_read(d, 0, BLOCKS, big) == 0 && check_data(big, 0, BLOCKS) && sc.stall_asks == 0);
	/* a READ never answered */
	sc.mute_lba = 64;
	t0 = fake_ms;
	rc = san_read(d, 64, 8, b);
	printf("    %s (%llu ms, first asked after %llu ms)\n", san_error(d), (unsigned long long)(fake_ms - t0),
	       (unsigned long long)(sc.first_ask - t0));
	CHECK("stall cancel: an unanswered read ends with -WB_ECANCELED after about 1 s, not the 15 s I/O timeout",
	      rc == -WB_ECANCELED && fake_ms - t0 >= SAN_STALL_MS && fake_ms - t0 < SAN_STALL_MS + 100);
	CHECK("stall cancel: first asked after SAN_STALL_MS", sc.first_ask - t0 >= SAN_STALL_MS);
	CHECK("stall cancel: the message says Ctrl-C", strstr(san_error(d), "cancelled (Ctrl-C) after") != NULL);
	sc.mute_lba = -1;
	sc.ctrl_c = 0;
	sc.stall_asks = 0;
	CHECK("stall cancel: the next read works (a new connection)", san_read(d, 64, 8, b) == 0 && check_data(b, 64, 8));
	/* the connection lost, the target refusing: cancelled while reconnecting */
	sc.ctrl_c = 1;
	sc.refuse = 1;
	sc.drop_lba = 72;
	t0 = fake_ms;
	rc = san_read(d, 72, 8, b);
	printf("    %s (%llu ms)\n", san_error(d), (unsigned long long)(fake_ms - t0));
	CHECK("stall cancel: while reconnecting, -WB_ECANCELED after about 1 s, not retry_ms",
	      rc == -WB_ECANCELED && fake_ms - t0 >= SAN_STALL_MS && fake_ms - t0 < SAN_STALL_MS + 300 &&
	      strstr(san_error(d), "Ctrl-C"));
	/* no Ctrl-C: asked, and the read goes on to its normal end */
	sc.ctrl_c = 0;
	sc.refuse = 0;
	sc.drop_lba = -1;
	sc.stall_asks = 0;
	sc.mute_at_read = (int)sc.reads + 1;
	rc = san_read(d, 80, 8, b);
	CHECK("stall cancel: without Ctrl-C a stalled read recovers (I/O timeout, reconnect), asking meanwhile",
	      rc == 0 && check_data(b, 80, 8) && sc.stall_asks > 0);
	/* san_poll() never asks */
	sc.stall_asks = 0;
	sc.ctrl_c = 1;
	sc.refuse = 1;
	if (sc.last)
		sc.last->closed = 1;
	for (int i = 0; i < 100; i++) {
		san_poll(d);
		fake_ms += 50;
	}
	CHECK("stall cancel: san_poll never reads the console", sc.stall_asks == 0);
	san_close(d, 1000);
}

/* open, read, write, flush, close: with any one allocation failing */
#define SWEEP_SILENT 1001     /* an error without a message */
#define SWEEP_BAD_DATA 1002   /* a read that "succeeded" with wrong data */
static int sweep_run(void *arg)
{
	static uint8_t b[40 * BS];
	struct san_dev *d = NULL;
	char msg[SAN_MSG_MAX];
	int rc;

	(void)arg;
	reset();
	cfg.readahead = 64 * 1024;
	rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
	if (rc)
		return msg[0] ? rc : SWEEP_SILENT;   /* an open error always says why */
	rc = san_read(d, 3, 40, b);
	if (!rc)
		rc = check_data(b, 3, 40) ? 0 : SWEEP_BAD_DATA;   /* never wrong data */
	if (!rc)
		rc = san_read(d, 43, 8, b);
	if (!rc)
		rc = san_write(d, 100, 8, b);
	if (!rc)
		rc = san_flush(d);
	if (rc < 0 && !san_error(d)[0])
		rc = SWEEP_SILENT;
	san_close(d, 1000);
	return rc;
}

/* a run may recover from the failure (a reconnect) or fail; wrong data or a
 * silent error (no message) is not acceptable */
static int sweep_ok(int rc) { return rc <= 0; }

static void test_alloc_failures(void)
{
	unit_alloc_sweep("allocation failures (open, read, write, flush, close)", sweep_run, NULL, sweep_ok);
}

int main(void)
{
	test_target_address();
	test_open_read();
	test_readahead();
	test_redirects();
	test_recovery();
	test_open_errors();
	test_wp_ping();
	test_writes();
	test_huge();
	test_inexact();
	test_bounds();
	test_poll_nonblocking();
	test_stall_cancel();
	test_alloc_failures();
	return unit_done();
}
