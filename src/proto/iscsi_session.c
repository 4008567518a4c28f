/*
 * iscsi_session.c — see iscsi_session.h (the manual).
 *
 * How this works: a fixed table of task slots; a request (read, write) is
 * one or more tasks sharing a tag (req).  Each task moves
 *
 *   FREE --queue--> QUEUED --iscsi_sess_output() builds its PDU--> SENT
 *   SENT --status (SCSI Response, Data-In with S, NOP-In, Logout Response,
 *          Reject)--> DONE --iscsi_sess_done() reaps it--> FREE
 *   SENT --UNIT ATTENTION--> QUEUED (same ITT, new CmdSN)
 *   QUEUED/SENT --iscsi_sess_restart()--> QUEUED (new ITT, progress dropped)
 *
 * While a write is SENT it may still owe Data-Out: the unsolicited range
 * [unsol_off, unsol_end) and the R2Ts in r2t[]; iscsi_sess_output() drains
 * those (one PDU per call) before it starts new commands.  Data-In is
 * recorded as disjoint byte ranges (frag[]) so that no byte counts twice.
 * Output order: NOP-Out answer, our pings, Data-Out, then queued tasks by
 * queue order (seq), commands held by the CmdSN window and @depth.
 */
#include <stddef.h>
#include <string.h>

#include "core/err.h"
#include "proto/iscsi_session.h"

/* serial number arithmetic, RFC 1982 with SERIAL_BITS 32 (RFC 7143 §4.2.2.1) */
static int sn_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static int sn_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

/* what a (new) login negotiated: digests, lengths, numbering */
static void load_login(struct iscsi_sess *s, const struct iscsi_login *l)
{
	s->header_digest = l->params.header_digest;
	s->data_digest = l->params.data_digest;
	s->max_burst = l->params.max_burst ? l->params.max_burst : 262144;
	/* RFC 7143 §13.12 / §13.14 defaults when a login left them 0 */
	s->max_send_dsl = l->params.max_send_dsl ? l->params.max_send_dsl : 8192;
	s->first_burst = l->params.first_burst ? l->params.first_burst : 65536;
	if (s->first_burst > s->max_burst)
		s->first_burst = s->max_burst;   /* §13.14: FirstBurstLength <= MaxBurstLength */
	s->immediate_data = l->params.immediate_data;
	s->initial_r2t = l->params.initial_r2t;
	s->cid = l->cfg.cid;
	s->cmdsn = l->cmdsn;
	s->expstatsn = l->expstatsn;
	s->expcmdsn = l->expcmdsn;
	s->maxcmdsn = l->maxcmdsn;
	/* the login's last response is the freshest window we know; the first
	   command's CmdSN is what the target expects */
	if (sn_lt(s->cmdsn, s->expcmdsn))
		s->cmdsn = s->expcmdsn;
}

int iscsi_sess_init(struct iscsi_sess *s, const struct iscsi_login *l, const uint8_t lun[8], uint32_t depth)
{
	if (!s || !l || !lun || depth > ISCSI_SESS_TASKS)
		return -WB_EINVAL;
	memset(s, 0, sizeof(*s));
	memcpy(s->lun, lun, 8);
	load_login(s, l);
	s->depth = depth ? depth : 8;
	s->next_itt = 1;
	s->block_size = 512;
	return 0;
}

static uint32_t alloc_itt(struct iscsi_sess *s)
{
	for (;;) {
		uint32_t itt = s->next_itt;
		int used = 0;

		s->next_itt = (s->next_itt + 1) & 0x7fffffffu;
		if (s->next_itt == 0)
			s->next_itt = 1;
		for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++)
			if (s->t[i].state != ISCSI_TASK_FREE && (s->t[i].itt == itt || s->t[i].req == itt))
				used = 1;
		if (!used)
			return itt;
	}
}

static unsigned free_slots(const struct iscsi_sess *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++)
		n += s->t[i].state == ISCSI_TASK_FREE;
	return n;
}

static struct iscsi_task *queue_task(struct iscsi_sess *s, uint32_t req, const uint8_t *cdb, size_t cdb_len,
				     uint8_t *buf, uint32_t len)
{
	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++) {
		struct iscsi_task *t = &s->t[i];

		if (t->state != ISCSI_TASK_FREE)
			continue;
		memset(t, 0, sizeof(*t));
		t->state = ISCSI_TASK_QUEUED;
		t->kind = ISCSI_KIND_SCSI;
		t->itt = alloc_itt(s);
		t->req = req ? req : t->itt;
		t->seq = s->next_seq++;
		memcpy(t->cdb, cdb, cdb_len);
		t->cdb_len = (uint8_t)cdb_len;
		t->buf = buf;
		t->len = len;
		/* block I/O moves exactly what it asks for (see the header) */
		t->exact = cdb_len > 0 && (cdb[0] == SCSI_READ10 || cdb[0] == SCSI_READ16 || cdb[0] == SCSI_WRITE10 ||
					   cdb[0] == SCSI_WRITE16);
		return t;
	}
	return NULL;
}

long iscsi_sess_command(struct iscsi_sess *s, const uint8_t *cdb, size_t cdb_len, uint8_t *buf, uint32_t len)
{
	struct iscsi_task *t;

	if (!cdb || cdb_len == 0 || cdb_len > 16 || (len && !buf))
		return -WB_EINVAL;
	t = queue_task(s, 0, cdb, cdb_len, buf, len);
	if (!t)
		return -WB_EAGAIN;
	return (long)t->req;
}

long iscsi_sess_command_out(struct iscsi_sess *s, const uint8_t *cdb, size_t cdb_len, const uint8_t *buf,
			    uint32_t len)
{
	struct iscsi_task *t;

	if (!cdb || cdb_len == 0 || cdb_len > 16 || (len && !buf))
		return -WB_EINVAL;
	t = queue_task(s, 0, cdb, cdb_len, NULL, len);
	if (!t)
		return -WB_EAGAIN;
	t->write = 1;
	t->wbuf = buf;
	return (long)t->req;
}

/* reads and writes: split by MaxBurstLength, (10) below 2^32, else (16) */
static long queue_rw(struct iscsi_sess *s, uint64_t lba, uint32_t nblocks, uint8_t *rbuf, const uint8_t *wbuf)
{
	uint32_t per, ncmd, req = 0;
	uint8_t cdb[16];

	if ((!rbuf && !wbuf) || nblocks == 0 || s->block_size == 0)
		return -WB_EINVAL;
	if ((uint64_t)nblocks * s->block_size > 0xffffffffu)
		return -WB_EINVAL;
	per = s->max_burst / s->block_size;
	if (per == 0)
		per = 1;
	if (per > 0xffff)
		per = 0xffff;
	ncmd = (nblocks + per - 1) / per;
	if (ncmd > free_slots(s))
		return -WB_EAGAIN;
	while (nblocks) {
		uint32_t n = nblocks < per ? nblocks : per;
		size_t cl;
		struct iscsi_task *t;

		if (lba + n - 1 > 0xffffffffu) {
			if (wbuf)
				scsi_cdb_write16(cdb, lba, n);
			else
				scsi_cdb_read16(cdb, lba, n);
			cl = 16;
		} else {
			if (wbuf)
				scsi_cdb_write10(cdb, (uint32_t)lba, (uint16_t)n);
			else
				scsi_cdb_read10(cdb, (uint32_t)lba, (uint16_t)n);
			cl = 10;
		}
		t = queue_task(s, req, cdb, cl, rbuf, n * s->block_size);
		if (!t)
			return -WB_EAGAIN;   /* not reached: slots counted above */
		if (!req)
			req = t->req;
		if (wbuf) {
			t->write = 1;
			t->wbuf = wbuf;
			wbuf += (size_t)n * s->block_size;
		} else {
			rbuf += (size_t)n * s->block_size;
		}
		lba += n;
		nblocks -= n;
	}
	return (long)req;
}

long iscsi_sess_read(struct iscsi_sess *s, uint64_t lba, uint32_t nblocks, uint8_t *buf)
{
	if (!buf)
		return -WB_EINVAL;
	return queue_rw(s, lba, nblocks, buf, NULL);
}

long iscsi_sess_write(struct iscsi_sess *s, uint64_t lba, uint32_t nblocks, const uint8_t *buf)
{
	if (!buf)
		return -WB_EINVAL;
	return queue_rw(s, lba, nblocks, NULL, buf);
}

long iscsi_sess_sync_range(struct iscsi_sess *s, uint64_t lba, uint32_t nblocks)
{
	uint8_t cdb[16];

	if (lba > 0xffffffffu || nblocks > 0xffff || (nblocks && lba + nblocks - 1 > 0xffffffffu)) {
		scsi_cdb_sync_cache16(cdb, lba, nblocks);
		return iscsi_sess_command(s, cdb, 16, NULL, 0);
	}
	scsi_cdb_sync_cache10(cdb, (uint32_t)lba, (uint16_t)nblocks);
	return iscsi_sess_command(s, cdb, 10, NULL, 0);
}

long iscsi_sess_sync(struct iscsi_sess *s)
{
	return iscsi_sess_sync_range(s, 0, 0);
}

long iscsi_sess_report_luns(struct iscsi_sess *s, uint8_t *buf, uint32_t len)
{
	uint8_t cdb[12];

	if (!buf || len < 16)
		return -WB_EINVAL;   /* SPC-4 §6.33: allocation length at least 16 */
	scsi_cdb_report_luns(cdb, len);
	return iscsi_sess_command(s, cdb, sizeof(cdb), buf, len);
}

long iscsi_sess_mode_sense_wp(struct iscsi_sess *s, uint8_t *buf, uint32_t len)
{
	uint8_t cdb[6];

	if (!buf || len < 4)
		return -WB_EINVAL;
	if (len > 255)
		len = 255;
	scsi_cdb_mode_sense6(cdb, 0x3f, (uint8_t)len);
	return iscsi_sess_command(s, cdb, sizeof(cdb), buf, len);
}

long iscsi_sess_tur(struct iscsi_sess *s)
{
	uint8_t cdb[6];

	scsi_cdb_test_unit_ready(cdb);
	return iscsi_sess_command(s, cdb, sizeof(cdb), NULL, 0);
}

static long queue_special(struct iscsi_sess *s, uint8_t kind)
{
	static const uint8_t none[1] = { 0 };
	struct iscsi_task *t = queue_task(s, 0, none, 1, NULL, 0);

	if (!t)
		return -WB_EAGAIN;
	t->kind = kind;
	t->cdb_len = 0;
	return (long)t->req;
}

long iscsi_sess_ping(struct iscsi_sess *s)
{
	return queue_special(s, ISCSI_KIND_PING);
}

long iscsi_sess_logout(struct iscsi_sess *s)
{
	return queue_special(s, ISCSI_KIND_LOGOUT);
}

/* forget what was transferred: the task starts over */
static void reset_progress(struct iscsi_task *t)
{
	t->xfer = 0;
	t->nfrag = 0;
	t->imm = 0;
	t->unsol_off = t->unsol_end = t->unsol_sn = 0;
	t->nr2t = 0;
}

int iscsi_sess_restart(struct iscsi_sess *s, const struct iscsi_login *l)
{
	int n = 0;

	if (!s || !l)
		return -WB_EINVAL;
	load_login(s, l);
	s->inflight = 0;
	s->nop_pending = 0;
	/* the old connection's tasks are gone on the target (ERL 0: the
	   session was reinstated); ours are sent again as new tasks.  New ITTs
	   keep a late PDU of the old connection from matching (alloc_itt skips
	   every ITT still in the table, old ones included). */
	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++) {
		struct iscsi_task *t = &s->t[i];

		if (t->state != ISCSI_TASK_QUEUED && t->state != ISCSI_TASK_SENT)
			continue;
		t->state = ISCSI_TASK_QUEUED;
		reset_progress(t);
		t->residual = 0;
		t->underflow = 0;
		t->overflow = 0;
		t->rescount = 0;
		t->status = 0;
		memset(&t->sense, 0, sizeof(t->sense));
		t->itt = alloc_itt(s);
		n++;
	}
	s->restarts++;
	return n;
}

uint32_t iscsi_sess_pending(const struct iscsi_sess *s)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++)
		n += s->t[i].state == ISCSI_TASK_QUEUED || s->t[i].state == ISCSI_TASK_SENT;
	return n;
}

int iscsi_sess_sent(const struct iscsi_sess *s, long tag)
{
	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++)
		if (s->t[i].state == ISCSI_TASK_SENT && (long)s->t[i].req == tag)
			return 1;
	return 0;
}

/* data bytes a PDU may carry in @cap bytes with our digests (0: too small) */
static uint32_t room_for_data(const struct iscsi_sess *s, size_t cap)
{
	size_t over = ISCSI_BHS_LEN + (s->header_digest ? ISCSI_DIGEST_LEN : 0) + (s->data_digest ? ISCSI_DIGEST_LEN : 0);

	if (cap < over + 4)
		return 0;
	cap = (cap - over) & ~(size_t)3;   /* padding to 4 included */
	return cap > ISCSI_DSL_MAX ? ISCSI_DSL_MAX : (uint32_t)cap;
}

static int cover(struct iscsi_task *t, uint32_t off, uint32_t len);

/* one Data-Out PDU of @t: unsolicited first, then the oldest R2T (§11.7) */
static int build_dataout(struct iscsi_sess *s, struct iscsi_task *t, uint8_t *out, size_t cap)
{
	struct iscsi_bhs h;
	uint32_t off, end, seg, room = room_for_data(s, cap);
	int unsol = t->unsol_off < t->unsol_end, n;
	struct iscsi_r2t *r = &t->r2t[0];

	if (!room)
		return -WB_ETOOBIG;
	off = unsol ? t->unsol_off : r->off;
	end = unsol ? t->unsol_end : r->end;
	seg = end - off;
	if (seg > s->max_send_dsl)
		seg = s->max_send_dsl;
	if (seg > room)
		seg = room;
	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_DATA_OUT;
	h.flags = off + seg == end ? ISCSI_FLAG_FINAL : 0;
	memcpy(h.lun, s->lun, 8);
	h.itt = t->itt;
	h.ttt = unsol ? 0xffffffffu : r->ttt;
	h.expstatsn = s->expstatsn;
	h.datasn = unsol ? t->unsol_sn : r->datasn;
	h.buffer_offset = off;
	h.data_len = seg;
	n = iscsi_pdu_build(&h, NULL, t->wbuf + off, s->header_digest, s->data_digest, out, cap);
	if (n < 0)
		return n;
	s->dataouts++;
	if (unsol) {
		t->unsol_off += seg;
		t->unsol_sn++;
	} else {
		r->off += seg;
		r->datasn++;
		if (r->off == r->end) {
			/* this R2T is served: the next one moves up */
			memmove(&t->r2t[0], &t->r2t[1], sizeof(t->r2t[0]) * (size_t)(t->nr2t - 1));
			t->nr2t--;
		}
	}
	return n;
}

/* a SCSI Command PDU; a write carries its immediate data (§4.2.5.2) */
static int build_command(struct iscsi_sess *s, struct iscsi_task *t, uint8_t *out, size_t cap)
{
	struct iscsi_bhs h;
	uint32_t imm = 0, unsol_end = 0;

	if (!t->write) {
		iscsi_scsi_cmd(&h, s->lun, t->itt, s->cmdsn, s->expstatsn, t->cdb, t->cdb_len, t->len);
		return iscsi_pdu_build(&h, NULL, NULL, s->header_digest, s->data_digest, out, cap);
	}
	if (s->immediate_data) {
		imm = t->len;
		if (imm > s->first_burst)
			imm = s->first_burst;
		if (imm > s->max_send_dsl)
			imm = s->max_send_dsl;
		/* a short buffer sends less now; the target asks for the rest */
		if (imm > room_for_data(s, cap))
			imm = room_for_data(s, cap);
	}
	/* InitialR2T=No: unsolicited data up to FirstBurstLength in all */
	unsol_end = imm;
	if (!s->initial_r2t)
		unsol_end = t->len < s->first_burst ? t->len : s->first_burst;
	if (unsol_end < imm)
		unsol_end = imm;
	iscsi_scsi_cmd_write(&h, s->lun, t->itt, s->cmdsn, s->expstatsn, t->cdb, t->cdb_len, t->len,
			     unsol_end == imm);
	h.data_len = imm;
	{
		int n = iscsi_pdu_build(&h, NULL, imm ? t->wbuf : NULL, s->header_digest, s->data_digest, out, cap);

		if (n < 0)
			return n;
		t->imm = imm;
		t->unsol_off = imm;
		t->unsol_end = unsol_end;
		t->unsol_sn = 0;
		t->nr2t = 0;
		/* a write's frag[] records what the target will have had of it:
		   the immediate and unsolicited data now, R2T ranges later */
		t->nfrag = 0;
		if (unsol_end)
			cover(t, 0, unsol_end);
		return n;
	}
}

int iscsi_sess_output(struct iscsi_sess *s, uint8_t *out, size_t cap)
{
	struct iscsi_bhs h;
	struct iscsi_task *next = NULL;
	int n;

	if (s->nop_pending) {
		/* answer the target's ping: immediate, ITT reserved, its TTT and
		   data echoed (RFC 7143 §11.18) */
		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_NOP_OUT;
		h.immediate = 1;
		h.flags = ISCSI_FLAG_FINAL;
		h.itt = 0xffffffffu;
		h.ttt = s->nop_ttt;
		memcpy(h.lun, s->nop_lun, 8);
		h.cmdsn = s->cmdsn;
		h.expstatsn = s->expstatsn;
		h.data_len = s->nop_len;
		n = iscsi_pdu_build(&h, NULL, s->nop_len ? s->nop_data : NULL, s->header_digest, s->data_digest,
				    out, cap);
		if (n < 0)
			return n;
		s->nop_pending = 0;
		s->nops_answered++;
		return n;
	}
	/* our pings jump the queue (they check liveness, a closed window must
	   not hold them); everything else goes in queue order */
	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++) {
		struct iscsi_task *t = &s->t[i];

		if (t->state == ISCSI_TASK_QUEUED && t->kind == ISCSI_KIND_PING && (!next || sn_lt(t->seq, next->seq)))
			next = t;
	}
	if (!next) {
		/* Data-Out of writes in flight, oldest first */
		struct iscsi_task *w = NULL;

		for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++) {
			struct iscsi_task *t = &s->t[i];

			if (t->state == ISCSI_TASK_SENT && t->write && (t->unsol_off < t->unsol_end || t->nr2t) &&
			    (!w || sn_lt(t->seq, w->seq)))
				w = t;
		}
		if (w)
			return build_dataout(s, w, out, cap);
		for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++) {
			struct iscsi_task *t = &s->t[i];

			if (t->state == ISCSI_TASK_QUEUED && (!next || sn_lt(t->seq, next->seq)))
				next = t;
		}
	}
	if (next && next->kind == ISCSI_KIND_LOGOUT) {
		/* closing the session ends every task still open on the target
		   (§11.14): wait for what was sent before it to complete */
		for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++)
			if (s->t[i].state == ISCSI_TASK_SENT && s->t[i].kind == ISCSI_KIND_SCSI)
				return 0;
	}
	if (next && next->kind != ISCSI_KIND_SCSI) {
		/* immediate: CmdSN carried but not advanced (§3.2.2.1) */
		memset(&h, 0, sizeof(h));
		h.immediate = 1;
		h.itt = next->itt;
		h.cmdsn = s->cmdsn;
		h.expstatsn = s->expstatsn;
		if (next->kind == ISCSI_KIND_PING) {
			/* §11.18: a ping of ours, answered by a NOP-In with this ITT */
			h.opcode = ISCSI_OP_NOP_OUT;
			h.flags = ISCSI_FLAG_FINAL;
			h.ttt = 0xffffffffu;
			memcpy(h.lun, s->lun, 8);
		} else {
			/* §11.14: reason 0, close the session (CID only matters
			   for the connection reasons, sent anyway) */
			h.opcode = ISCSI_OP_LOGOUT_REQ;
			h.flags = ISCSI_FLAG_FINAL | ISCSI_LOGOUT_CLOSE_SESSION;
			h.cid = s->cid;
		}
		n = iscsi_pdu_build(&h, NULL, NULL, s->header_digest, s->data_digest, out, cap);
		if (n < 0)
			return n;
		next->cmdsn = s->cmdsn;
		next->state = ISCSI_TASK_SENT;
		return n;
	}
	if (!next || s->inflight >= s->depth)
		return 0;
	if (!sn_le(s->cmdsn, s->maxcmdsn)) {
		s->window_stalls++;
		return 0;
	}
	n = build_command(s, next, out, cap);
	if (n < 0)
		return n;
	next->cmdsn = s->cmdsn++;
	next->state = ISCSI_TASK_SENT;
	s->inflight++;
	return n;
}

/* the task in flight with this ITT, of this kind (-1: any kind) */
static struct iscsi_task *find_sent(struct iscsi_sess *s, uint32_t itt, int kind)
{
	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++)
		if (s->t[i].state == ISCSI_TASK_SENT && s->t[i].itt == itt && (kind < 0 || s->t[i].kind == kind))
			return &s->t[i];
	return NULL;
}

/* ExpCmdSN/MaxCmdSN from a target PDU (RFC 7143 §4.2.2.1) */
static void window_update(struct iscsi_sess *s, const struct iscsi_bhs *b)
{
	if (sn_lt(b->maxcmdsn, b->expcmdsn - 1))
		return;   /* MaxCmdSN < ExpCmdSN - 1: both ignored */
	if (sn_lt(s->cmdsn, b->expcmdsn))
		return;   /* expects commands we never sent: inconsistent, ignored */
	if (sn_lt(s->expcmdsn, b->expcmdsn))
		s->expcmdsn = b->expcmdsn;
	/* only forward, and never so far that serial comparison with the
	   CmdSNs we are about to use would wrap */
	if (sn_lt(s->maxcmdsn, b->maxcmdsn) && (uint32_t)(b->maxcmdsn - (s->cmdsn - 1)) < 0x40000000u)
		s->maxcmdsn = b->maxcmdsn;
}

static void statsn_update(struct iscsi_sess *s, uint32_t statsn)
{
	if (sn_le(s->expstatsn, statsn))
		s->expstatsn = statsn + 1;
}

static void finish(struct iscsi_sess *s, struct iscsi_task *t, int result)
{
	t->state = ISCSI_TASK_DONE;
	t->result = result;
	if (t->kind == ISCSI_KIND_SCSI && s->inflight)
		s->inflight--;
}

/* status delivered (Data-In with S, or SCSI Response) */
static void complete(struct iscsi_sess *s, struct iscsi_task *t, uint8_t response, uint8_t status, uint8_t flags,
		     uint32_t residual, const uint8_t *sense_seg, uint32_t seg_len)
{
	t->status = status;
	if (response != 0) {
		finish(s, t, -WB_EISCSISCSI);
		return;
	}
	if (status == SCSI_STATUS_CHECK) {
		/* data segment: SenseLength (2 bytes) then sense data (§11.4.7) */
		if (sense_seg && seg_len >= 2) {
			uint32_t sl = (uint32_t)sense_seg[0] << 8 | sense_seg[1];

			if (sl > seg_len - 2)
				sl = seg_len - 2;
			scsi_parse_sense(sense_seg + 2, sl, &t->sense);
		}
		if (t->sense.key == SCSI_SENSE_UNIT_ATTENTION && t->retries < ISCSI_SESS_UA_RETRIES) {
			/* reissue with a new CmdSN; the same ITT is free again as
			   the target has finished the task */
			t->retries++;
			t->state = ISCSI_TASK_QUEUED;
			reset_progress(t);
			s->ua_retries++;
			if (s->inflight)
				s->inflight--;
			return;
		}
		/* NOT READY: the caller waits and tries again (becoming
		   ready, or offline for now) */
		finish(s, t, t->sense.key == SCSI_SENSE_NOT_READY ? -WB_ENOTREADY : -WB_EISCSISCSI);
		return;
	}
	if (status != SCSI_STATUS_GOOD) {
		finish(s, t, -WB_EISCSISCSI);
		return;
	}
	if (flags & ISCSI_RSP_OVERFLOW) {
		t->overflow = 1;
		t->rescount = residual;
		t->residual = 0;
	} else if (flags & ISCSI_RSP_UNDERFLOW) {
		t->underflow = 1;
		t->rescount = residual;
		t->residual = residual;
	}
	if (t->exact) {
		/* block I/O: all of it, nothing more, nothing less (see the
		   header); Data-In never overlaps, so one piece from 0 is all */
		int whole = t->nfrag == 1 && t->frag[0].start == 0 && t->frag[0].end == t->len;

		if (t->write) {
			t->xfer = 0;
			for (unsigned i = 0; i < t->nfrag; i++)
				t->xfer += t->frag[i].end - t->frag[i].start;
			if (t->unsol_off < t->unsol_end || t->nr2t)
				whole = 0;   /* status before the data we still owed */
		}
		if (t->underflow || t->overflow || (t->len && !whole)) {
			finish(s, t, -WB_EISCSIRESIDUAL);
			return;
		}
		finish(s, t, 0);
		return;
	}
	/* a read must have had every byte it reports delivered: [0, len -
	   residual) covered.  A write's GOOD status says the target has
	   taken its data. */
	if (!t->write) {
		uint32_t want = t->len;

		if (t->underflow) {
			if (t->residual > t->len) {
				finish(s, t, -WB_EISCSIPROTO);
				return;
			}
			want = t->len - t->residual;
		}
		if (want && (t->nfrag != 1 || t->frag[0].start != 0 || t->frag[0].end < want)) {
			finish(s, t, -WB_EISCSIPROTO);
			return;
		}
	}
	finish(s, t, 0);
}

/*
 * Record that [off, off + len) arrived: refused (-1) when any of it
 * arrived before (a repeated or overlapping Data-In could otherwise stand
 * in for bytes never sent) or when the pieces would be more than
 * ISCSI_SESS_FRAGS.  Adjacent pieces merge, so in-order delivery is one.
 */
static int cover(struct iscsi_task *t, uint32_t off, uint32_t len)
{
	uint32_t end = off + len;   /* no wrap: checked against t->len before */
	int at = -1;

	for (unsigned i = 0; i < t->nfrag; i++)
		if (off < t->frag[i].end && t->frag[i].start < end)
			return -1;
	for (unsigned i = 0; i < t->nfrag; i++) {
		if (t->frag[i].end == off) {
			t->frag[i].end = end;
			at = (int)i;
			break;
		}
	}
	for (unsigned j = 0; j < t->nfrag; j++) {
		if (t->frag[j].start != end)
			continue;
		if (at >= 0) {
			/* fills the gap between two pieces: join them */
			t->frag[at].end = t->frag[j].end;
			t->frag[j] = t->frag[t->nfrag - 1];
			t->nfrag--;
		} else {
			t->frag[j].start = off;
			at = (int)j;
		}
		break;
	}
	if (at < 0) {
		if (t->nfrag >= ISCSI_SESS_FRAGS)
			return -1;
		t->frag[t->nfrag].start = off;
		t->frag[t->nfrag].end = end;
		t->nfrag++;
	}
	return 0;
}

int iscsi_sess_input(struct iscsi_sess *s, const struct iscsi_pdu *p)
{
	const struct iscsi_bhs *b = &p->bhs;
	struct iscsi_task *t;

	switch (b->opcode) {
	case ISCSI_OP_DATA_IN:
		window_update(s, b);
		t = find_sent(s, b->itt, ISCSI_KIND_SCSI);
		if (!t || t->write)
			return -WB_EISCSIPROTO;
		if (b->buffer_offset > t->len || b->data_len > t->len - b->buffer_offset)
			return -WB_EISCSIPROTO;
		if (b->data_len) {
			if (cover(t, b->buffer_offset, b->data_len))
				return -WB_EISCSIPROTO;
			memcpy(t->buf + b->buffer_offset, p->data, b->data_len);
		}
		t->xfer += b->data_len;
		if (b->flags & ISCSI_DATAIN_STATUS) {
			statsn_update(s, b->statsn);
			complete(s, t, 0, b->status, b->flags, b->residual, NULL, 0);
		}
		return 0;
	case ISCSI_OP_SCSI_RSP:
		window_update(s, b);
		statsn_update(s, b->statsn);
		t = find_sent(s, b->itt, ISCSI_KIND_SCSI);
		if (!t)
			return -WB_EISCSIPROTO;
		complete(s, t, b->response, b->status, b->flags, b->residual, p->data, b->data_len);
		return 0;
	case ISCSI_OP_NOP_IN:
		window_update(s, b);
		if (b->itt != 0xffffffffu) {
			/* the answer to a ping of ours: a response, StatSN
			   advances (§11.19.3) */
			t = find_sent(s, b->itt, ISCSI_KIND_PING);
			if (!t)
				return -WB_EISCSIPROTO;
			statsn_update(s, b->statsn);
			finish(s, t, 0);
		} else if (b->ttt != 0xffffffffu) {
			/* a ping: StatSN is not advanced by it (§11.19.4), answer */
			if (b->data_len > ISCSI_SESS_NOP_MAX)
				return -WB_EISCSIPROTO;
			s->nop_pending = 1;
			s->nop_ttt = b->ttt;
			memcpy(s->nop_lun, b->lun, 8);
			s->nop_len = b->data_len;
			if (b->data_len)
				memcpy(s->nop_data, p->data, b->data_len);
		} else {
			/* unsolicited, no answer wanted: StatSN is the next one,
			   not a status of its own (§11.19.3) */
			if (sn_lt(s->expstatsn, b->statsn))
				s->expstatsn = b->statsn;
		}
		return 0;
	case ISCSI_OP_LOGOUT_RSP:
		window_update(s, b);
		statsn_update(s, b->statsn);
		t = find_sent(s, b->itt, ISCSI_KIND_LOGOUT);
		if (!t)
			return -WB_EISCSIPROTO;
		/* §11.15.1: 0 closed; 1 CID not found; 2 recovery not
		   supported; 3 cleanup failed */
		finish(s, t, b->response == 0 ? 0 : -WB_EISCSILOGOUT);
		return 0;
	case ISCSI_OP_ASYNC:
		window_update(s, b);
		statsn_update(s, b->statsn);
		s->async.event = b->async_event;
		s->async.vcode = b->async_vcode;
		memcpy(s->async.param, b->param, sizeof(s->async.param));
		return ISCSI_SESS_ASYNC;
	case ISCSI_OP_REJECT:
		window_update(s, b);
		statsn_update(s, b->statsn);
		s->reject_reason = b->reason;
		/* the data segment is the rejected PDU's header (§11.17.1) */
		if (b->data_len >= ISCSI_BHS_LEN && p->data) {
			uint32_t itt = (uint32_t)p->data[16] << 24 | (uint32_t)p->data[17] << 16 |
				       (uint32_t)p->data[18] << 8 | p->data[19];

			t = find_sent(s, itt, -1);
			if (t) {
				finish(s, t, -WB_EISCSIREJECT);
				return 0;
			}
		}
		return -WB_EISCSIREJECT;
	case ISCSI_OP_R2T:
		/* §11.8: StatSN is not advanced by an R2T */
		window_update(s, b);
		t = find_sent(s, b->itt, ISCSI_KIND_SCSI);
		if (!t || !t->write)
			return -WB_EISCSIPROTO;
		/* §11.8.4: 0 < Desired Data Transfer Length <= MaxBurstLength,
		   and inside the command's buffer; the TTT 0xffffffff is
		   reserved (it marks unsolicited Data-Out, §11.7.4) */
		if (b->ttt == 0xffffffffu || b->length == 0 || b->length > s->max_burst || b->buffer_offset >= t->len ||
		    b->length > t->len - b->buffer_offset || t->nr2t >= ISCSI_SESS_R2T_MAX)
			return -WB_EISCSIPROTO;
		t->r2t[t->nr2t].ttt = b->ttt;
		t->r2t[t->nr2t].off = b->buffer_offset;
		t->r2t[t->nr2t].end = b->buffer_offset + b->length;
		t->r2t[t->nr2t].datasn = 0;
		t->nr2t++;
		s->r2ts++;
		/* for the exactness check; an R2T asking again for bytes it had
		   (only at ERL > 0) adds nothing, so its failure is ignored */
		(void)cover(t, b->buffer_offset, b->length);
		return 0;
	case ISCSI_OP_TMF_RSP:
	case ISCSI_OP_TEXT_RSP:
	case ISCSI_OP_LOGIN_RSP:
	default:
		return -WB_EISCSIPROTO;   /* nothing of ours asked for these */
	}
}

int iscsi_sess_done(struct iscsi_sess *s, long tag, struct iscsi_task *info)
{
	int found = 0, err = 0;

	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++) {
		struct iscsi_task *t = &s->t[i];

		if (t->state == ISCSI_TASK_FREE || (long)t->req != tag)
			continue;
		found = 1;
		if (t->state != ISCSI_TASK_DONE)
			return 0;
	}
	if (!found)
		return -WB_ENOENT;
	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++) {
		struct iscsi_task *t = &s->t[i];

		if (t->state != ISCSI_TASK_DONE || (long)t->req != tag)
			continue;
		if (info && (!err || t->result))
			*info = *t;
		if (t->result && !err)
			err = t->result;
		t->state = ISCSI_TASK_FREE;
	}
	return err ? err : 1;
}
