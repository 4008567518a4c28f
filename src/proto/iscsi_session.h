/*
 * iscsi_session.h — iSCSI full feature phase as a sans-I/O machine
 * (RFC 7143 §3.2.2, §4.2.2.1, §4.2.5, §11.3-§11.9, §11.14-§11.19; SBC-3
 * READ, WRITE, SYNCHRONIZE CACHE; SPC-4 REPORT LUNS, MODE SENSE).
 *
 * Sits on top of a finished login (iscsi_login.h).  The caller owns the
 * connection:
 *
 *   iscsi_sess_init(&s, &login, lun, depth);
 *   tag = iscsi_sess_read(&s, lba, nblocks, buf);        queue (no I/O)
 *   loop:
 *     while ((n = iscsi_sess_output(&s, out, cap)) > 0) send out[0..n);
 *     if (iscsi_sess_done(&s, tag) != 0) break;         1 = ok, <0 = error
 *     receive one PDU p (iscsi_rx); iscsi_sess_input(&s, &p);
 *
 * Command numbering (§4.2.2.1): every non-immediate command takes the next
 * CmdSN and is sent only while CmdSN <= MaxCmdSN (serial arithmetic,
 * RFC 1982); ExpCmdSN/MaxCmdSN are taken from every target PDU that carries
 * them, ignored when MaxCmdSN < ExpCmdSN - 1, and only moved forward.
 * At most @depth commands are in flight at once; a read or write is split
 * into commands of at most MaxBurstLength bytes so that they pipeline.
 * READ(10)/WRITE(10) serve LBAs below 2^32, READ(16)/WRITE(16) the rest.
 *
 * Writes (§4.2.5.2 unsolicited data, §11.7 Data-Out, §11.8 R2T): per
 * command, immediate data of min(FirstBurstLength, MaxSendDataSegmentLength)
 * bytes rides in the SCSI Command PDU when ImmediateData=Yes; with
 * InitialR2T=No unsolicited Data-Out PDUs (TTT 0xffffffff) follow up to
 * FirstBurstLength in all, F on the last; the rest goes on the target's
 * R2Ts: Data-Out PDUs of at most MaxSendDataSegmentLength at the R2T's
 * Buffer Offset for its Desired Data Transfer Length, DataSN from 0 per
 * R2T, its TTT echoed, F on the last.  iscsi_sess_output() hands these out
 * like every other PDU (before new commands); a PDU is made smaller when
 * the caller's buffer cannot hold a full segment.  An R2T outside the
 * command's buffer, of length 0, above MaxBurstLength or for a task that
 * is not a write in flight is a protocol error.
 *
 * Responses: Data-In is placed at its Buffer Offset (any order, but no byte
 * twice, and in at most ISCSI_SESS_FRAGS separate pieces at any time: else a
 * protocol error); the S bit carries the status.  A read completes only
 * when every byte arrived ([0, length - residual) for commands that may
 * underflow, such as REPORT LUNS): never with bytes the target did not send.
 *
 * Exactness of block I/O: every READ(10)/READ(16)/WRITE(10)/WRITE(16) task
 * (whichever call queued it: iscsi_sess_read/write or iscsi_sess_command/
 * command_out with such a CDB) is "exact": a GOOD status that carries an
 * underflow or overflow residual (U or O bit, RFC 7143 §11.4.5), a read
 * whose Data-In did not cover the whole Expected Data Transfer Length, or a
 * write the target did not ask for all of (immediate + unsolicited + R2T
 * ranges short of the length, or Data-Out still owed) fails the task with
 * -WB_EISCSIRESIDUAL; the task keeps underflow/overflow, rescount and xfer
 * (bytes received, or asked for by a write) for the caller's message.  The
 * session does not retry it: the caller decides (the SAN layer retries once).
 *
 * SCSI Response with CHECK CONDITION: UNIT ATTENTION is
 * retried (new CmdSN) up to ISCSI_SESS_UA_RETRIES times, other sense fails
 * the task with the sense kept.  NOP-In with a Target Transfer Tag is
 * answered with a NOP-Out (immediate, same TTT and data).  Reject fails the
 * task it names (-WB_EISCSIREJECT).  An Async Message is surfaced:
 * iscsi_sess_input() returns ISCSI_SESS_ASYNC and s->async holds it.
 * NOT READY sense fails the task with -WB_ENOTREADY (the caller waits and
 * asks again, e.g. with iscsi_sess_tur()).
 *
 * Besides SCSI commands, a task may be one of our own NOP-Out pings
 * (iscsi_sess_ping) or a Logout Request (iscsi_sess_logout): both are
 * immediate (no CmdSN consumed, not held by the window or @depth) and
 * complete through iscsi_sess_done() like any other tag.
 *
 * Recovery at ErrorRecoveryLevel 0 (§7.1.5, §7.12): the caller drops the
 * connection, logs in again on a new one, and calls iscsi_sess_restart()
 * with the new login; every unfinished task is queued again (new ITT,
 * numbered in the new session) and sent by iscsi_sess_output() in its
 * original order, its partial data discarded.
 * No allocation, no globals.
 */
#ifndef WB_ISCSI_SESSION_H
#define WB_ISCSI_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"
#include "proto/iscsi_scsi.h"

#define ISCSI_SESS_TASKS      64     /* task slots (queued + in flight + done) */
#define ISCSI_SESS_UA_RETRIES 4
#define ISCSI_SESS_NOP_MAX    4096   /* NOP-In ping data we echo */
#define ISCSI_SESS_ASYNC      1      /* iscsi_sess_input(): an Async Message arrived */

enum { ISCSI_TASK_FREE, ISCSI_TASK_QUEUED, ISCSI_TASK_SENT, ISCSI_TASK_DONE };
/* what a task is */
enum { ISCSI_KIND_SCSI, ISCSI_KIND_PING, ISCSI_KIND_LOGOUT };

#define ISCSI_SESS_R2T_MAX 4          /* R2Ts of one task waiting for our Data-Out */
#define ISCSI_SESS_FRAGS   8          /* disjoint Data-In ranges one task may have */

/** One R2T being served: Data-Out for [off, end), TTT echoed, DataSN from 0. */
struct iscsi_r2t {
	uint32_t ttt, off, end, datasn;
};

struct iscsi_task {
	uint8_t state;
	uint8_t kind;                  /* ISCSI_KIND_* */
	uint8_t write;                 /* data goes out from wbuf */
	uint8_t nr2t;                  /* R2Ts queued in r2t[] */
	const uint8_t *wbuf;           /* write data (len bytes), caller's */
	uint32_t imm;                  /* immediate data sent with the command */
	uint32_t unsol_off, unsol_end; /* unsolicited Data-Out still to send */
	uint32_t unsol_sn;             /* DataSN of the next unsolicited Data-Out */
	struct iscsi_r2t r2t[ISCSI_SESS_R2T_MAX];
	uint8_t cdb_len;
	uint8_t retries;
	uint8_t underflow;
	uint8_t cdb[16];
	uint32_t itt, cmdsn;
	uint32_t req;                  /* tag of the request this task belongs to */
	uint32_t seq;                  /* queue order */
	uint8_t *buf;
	uint32_t len;                  /* Expected Data Transfer Length */
	uint32_t xfer;                 /* Data-In bytes received (no byte twice) */
	uint8_t exact;                 /* READ/WRITE(10/16): every byte moves, no residual at all */
	uint8_t overflow;              /* the status carried the O bit */
	uint32_t rescount;             /* Residual Count as sent (U or O bit), for messages */
	uint8_t nfrag;
	struct { uint32_t start, end; } frag[ISCSI_SESS_FRAGS];  /* Data-In received, disjoint */
	uint32_t residual;
	int result;                    /* 0 or a negative error, valid in DONE */
	struct scsi_sense sense;
	uint8_t status;
};

struct iscsi_async {
	uint8_t event, vcode;
	uint16_t param[3];
};

struct iscsi_sess {
	uint8_t lun[8];
	int header_digest, data_digest;
	uint32_t max_burst;
	uint32_t max_send_dsl;         /* the target's MaxRecvDataSegmentLength */
	uint32_t first_burst;
	int immediate_data, initial_r2t;
	uint16_t cid;
	uint32_t block_size;           /* set by the caller after READ CAPACITY */
	uint32_t depth;                /* commands in flight at most */
	uint32_t cmdsn, expstatsn, expcmdsn, maxcmdsn;
	uint32_t next_itt, next_seq;
	uint32_t inflight;
	struct iscsi_task t[ISCSI_SESS_TASKS];
	/* pending NOP-Out answer */
	int nop_pending;
	uint32_t nop_ttt;
	uint8_t nop_lun[8];
	uint32_t nop_len;
	uint8_t nop_data[ISCSI_SESS_NOP_MAX];
	/* last Async Message / Reject */
	struct iscsi_async async;
	uint8_t reject_reason;
	/* counters */
	uint32_t ua_retries, nops_answered, window_stalls, restarts, r2ts, dataouts;
};

/** Set up @s from a login that reached ISCSI_LOGIN_DONE.  @depth 0 = 8.  0 or -WB_EINVAL. */
int iscsi_sess_init(struct iscsi_sess *s, const struct iscsi_login *l, const uint8_t lun[8], uint32_t depth);

/**
 * Queue one read-direction command (@cdb, @len bytes into @buf; @len 0 =
 * no data).  Returns its tag (> 0) or -WB_EAGAIN (no free slot).
 */
long iscsi_sess_command(struct iscsi_sess *s, const uint8_t *cdb, size_t cdb_len, uint8_t *buf, uint32_t len);

/**
 * Queue a read of @nblocks blocks from @lba into @buf (nblocks * block_size
 * bytes), split into commands of at most MaxBurstLength bytes.  Returns the
 * request's tag (> 0), -WB_EAGAIN (not enough free slots), -WB_EINVAL.
 */
long iscsi_sess_read(struct iscsi_sess *s, uint64_t lba, uint32_t nblocks, uint8_t *buf);

/**
 * Queue a write of @nblocks blocks at @lba from @buf (nblocks * block_size
 * bytes, the caller's, unchanged until the request is done), split into
 * commands of at most MaxBurstLength bytes; WRITE(10) below 2^32, else
 * WRITE(16).  Returns the request's tag (> 0), -WB_EAGAIN, -WB_EINVAL.
 */
long iscsi_sess_write(struct iscsi_sess *s, uint64_t lba, uint32_t nblocks, const uint8_t *buf);

/** One write-direction command (@cdb, @len bytes out of @buf).  Tag, -WB_EAGAIN or -WB_EINVAL. */
long iscsi_sess_command_out(struct iscsi_sess *s, const uint8_t *cdb, size_t cdb_len, const uint8_t *buf,
			    uint32_t len);

/**
 * SYNCHRONIZE CACHE(10) for the whole LUN (LBA 0, NUMBER OF LOGICAL
 * BLOCKS 0 = through the last block, SBC-3 §5.22, so (16) is never needed
 * for this).  A tag or -WB_EAGAIN.
 */
long iscsi_sess_sync(struct iscsi_sess *s);
/** SYNCHRONIZE CACHE of a range (@nblocks 0 = to the end): (10) when it fits, else (16). */
long iscsi_sess_sync_range(struct iscsi_sess *s, uint64_t lba, uint32_t nblocks);

/**
 * REPORT LUNS (SELECT REPORT 0) into @buf (@len >= 16 bytes, at most
 * 2^32-1): a tag; decode with scsi_parse_report_luns() once done (the
 * residual in the iscsi_task from iscsi_sess_done() tells how much came).
 * -WB_EINVAL, -WB_EAGAIN.
 */
long iscsi_sess_report_luns(struct iscsi_sess *s, uint8_t *buf, uint32_t len);

/**
 * MODE SENSE(6), all pages (0x3f), no block descriptors, into @buf
 * (@len >= 4; at most 255 bytes are asked for): a tag; once done,
 * scsi_parse_mode_sense6_wp(buf, len) says whether the LUN is
 * write-protected.  -WB_EINVAL, -WB_EAGAIN.
 */
long iscsi_sess_mode_sense_wp(struct iscsi_sess *s, uint8_t *buf, uint32_t len);

/**
 * The next PDU to send into @out (@cap bytes), its length, or 0 when
 * nothing may be sent now (nothing queued, window closed or depth reached),
 * or a negative error (-WB_ETOOBIG).  Order: an answer to a target
 * NOP-In, our pings, Data-Out of writes in flight, then queued commands
 * and a Logout in queue order.  @cap of 48 + MaxSendDataSegmentLength + 8
 * sends every segment whole; smaller buffers get smaller Data-Out PDUs.
 */
int iscsi_sess_output(struct iscsi_sess *s, uint8_t *out, size_t cap);

/**
 * Consume one received PDU.  0, ISCSI_SESS_ASYNC, or a negative error after
 * which the connection must be dropped (-WB_EISCSIPROTO, -WB_EISCSIREJECT
 * for a Reject that names no task of ours).
 */
int iscsi_sess_input(struct iscsi_sess *s, const struct iscsi_pdu *p);

/**
 * Poll a request: 0 while pending, 1 when it completed successfully (its
 * slots are freed), or its negative error (slots freed too).  When @info is
 * not NULL it receives the failing task (sense) or the last one.
 */
int iscsi_sess_done(struct iscsi_sess *s, long tag, struct iscsi_task *info);

/** TEST UNIT READY (no data).  A tag or -WB_EAGAIN.  NOT READY → -WB_ENOTREADY from iscsi_sess_done(). */
long iscsi_sess_tur(struct iscsi_sess *s);

/**
 * Queue a NOP-Out ping of ours (RFC 7143 §11.18: immediate, a fresh ITT,
 * TTT 0xffffffff, no data).  Returns a tag; iscsi_sess_done() gives 1 once
 * the NOP-In with the same ITT arrived.  -WB_EAGAIN when no slot is free.
 */
long iscsi_sess_ping(struct iscsi_sess *s);

/**
 * Queue a Logout Request (§11.14, reason 0 = close the session,
 * immediate).  It goes out once every task queued before it has completed
 * (closing the session would end them on the target); tasks queued after
 * it wait behind it.  Returns a
 * tag; iscsi_sess_done() gives 1 when the Logout Response says 0
 * (success), -WB_EISCSILOGOUT otherwise.  The caller then closes the
 * connection (the target does too).
 */
long iscsi_sess_logout(struct iscsi_sess *s);

/**
 * After a fresh login (@l reached ISCSI_LOGIN_DONE on a new connection,
 * ErrorRecoveryLevel 0 recovery): every unfinished task (QUEUED or SENT)
 * is kept, its partial Data-In progress dropped (xfer = 0), given a new
 * ITT and marked QUEUED in its original order so iscsi_sess_output()
 * sends it again; CmdSN, ExpStatSN and the window come from @l, as do the
 * digests and the negotiated lengths; tasks already DONE are untouched; a
 * pending answer to a target NOP-In is dropped.  Tags stay valid.
 * Returns the number of tasks queued again, or -WB_EINVAL.
 */
int iscsi_sess_restart(struct iscsi_sess *s, const struct iscsi_login *l);

/** Commands queued or in flight. */
uint32_t iscsi_sess_pending(const struct iscsi_sess *s);

/**
 * 1 when a task of request @tag is SENT (outstanding at the target: a
 * connection lost now makes it a reissue), else 0.  Pure.
 */
int iscsi_sess_sent(const struct iscsi_sess *s, long tag);

#endif
