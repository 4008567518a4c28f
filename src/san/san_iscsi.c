/*
 * san_iscsi.c — an iSCSI LUN as a block device (see san.h).
 *
 * How this works.  The device owns one connection at a time and drives the
 * sans-I/O machines over it: proto/iscsi_login.c for the login (and every
 * re-login), proto/iscsi_session.c for the full feature phase.  Every I/O is
 * a list of SCSI commands kept HERE (struct san_cmd: CDB, buffer, length),
 * not only inside the session, so that after a lost connection the commands
 * that had not finished can be queued again on a fresh session:
 *
 *             open: connect → login (≤ 4 redirects) → INQUIRY → TUR → CAPACITY → MODE SENSE
 *                     │
 *     ┌───────────► UP ── san_read/write/flush: queue cmds, pump until done
 *     │               │
 *     │   EOF / stream error / protocol error / no answer for io_timeout /
 *     │   ping unanswered / Async "please log out" (we log out first)
 *     │               ▼
 *     │             DOWN ── log "san: connection lost (why); reconnecting in N ms"
 *     │               │     back-off 250 ms doubling to 4 s; each try is
 *     │               │     connect + login (same ISID, TSIH 0: the target
 *     │               │     reinstates the session, RFC 7143 §6.3.5)
 *     └── login ok ◄──┘     unfinished commands are queued again (stats.retries);
 *                           after cfg.retry_ms without success: -WB_ESANGAVEUP.
 *
 * Data integrity: a command's buffer is only ever filled by Data-In of that
 * command on the current connection (the session checks ITT and offsets);
 * a reissued command rewrites the whole buffer.  READ/WRITE must be exact
 * (the session fails them with -WB_EISCSIRESIDUAL on any residual or
 * missing Data-In): such a command is reissued once, then the request fails
 * naming the command, LBA range and byte counts.  So a read returns the
 * target's data or an error.
 *
 * Read-ahead: when a read starts where the previous one ended and is smaller
 * than the window, the whole window (cfg.readahead bytes) is read from there
 * in one pipelined request and later sequential reads are copied out of it.
 * A write drops the window (never stale data).  Requests at least as large
 * as the window bypass it.
 *
 * Idle: san_poll() reads what the target sent and, after SAN_PING_IDLE_MS
 * without traffic, sends our own NOP-Out (immediate, ITT from a range the
 * session never uses); a ping unanswered for io_timeout_ms counts as a lost
 * connection.  san_poll() never waits: its reconnect steps the login
 * machine below (login_begin/login_step) once per call, and an Async
 * logout's answer is awaited across calls (logout_check).  The blocking
 * calls drive the same machines in their own loops (conn_login, logout).
 *
 * Ctrl-C: poller.cancel whenever we wait; env.stall_cancel only once a
 * request has had no answer for SAN_STALL_MS (cancelled()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/stream.h"
#include "core/util.h"
#include "platform/platform.h"
#include "proto/chap.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"
#include "proto/iscsi_scsi.h"
#include "proto/iscsi_session.h"
#include "proto/iscsi_uri.h"
#include "san/san.h"

#define SAN_DSL            65536           /* our MaxRecvDataSegmentLength */
#define SAN_CMDS           48              /* commands one batch keeps queued (< ISCSI_SESS_TASKS) */
#define SAN_RA_DEFAULT     (512u * 1024u)
#define SAN_PING_IDLE_MS   10000u
#define SAN_REDIRECTS      4
#define SAN_BACKOFF_MIN    250u
#define SAN_BACKOFF_MAX    4000u
#define SAN_NOTREADY_MS    30000u          /* how long open waits for NOT READY to clear */

enum { CMD_NEW, CMD_QUEUED, CMD_DONE };

/* login_step(): where the login in progress is */
enum { LS_IDLE, LS_CONNECTING, LS_SENDING, LS_WAITING };

struct san_cmd {
	uint8_t cdb[16];
	uint8_t cdb_len;
	uint8_t state;
	uint8_t *buf;                  /* read direction */
	const uint8_t *wbuf;           /* write direction (buf NULL) */
	uint32_t len;
	long tag;
	int result;
	uint8_t retried;               /* reissued once after an inexact answer */
	uint32_t reissues;             /* connections lost while it was outstanding */
	struct iscsi_task info;        /* the failing task (status, sense) */
};

struct san_iscsi {
	struct san_dev base;           /* first: the common head (san.h) */
	struct san_env env;
	struct san_iscsi_cfg cfg;      /* strings point into owned copies below */
	char *own[7];
	struct iscsi_uri uri;
	char home_host[ISCSI_URI_HOST_MAX + 1];   /* portal for (re)logins; permanent redirects move it */
	uint16_t home_port;
	int have_isid;
	uint8_t isid[6];
	int warned;

	struct stream *s;
	int up;
	struct iscsi_login l;
	struct iscsi_sess sess;
	struct iscsi_rx rx;
	uint8_t rxdata[ISCSI_PAD4(SAN_DSL)];
	uint8_t rbuf[16384];
	size_t rpos, rlen;
	uint8_t tx[SAN_DSL + 1024];
	size_t txlen, txoff;
	uint64_t last_rx, last_tx;
	uint64_t last_progress;        /* last PDU that moved one of our commands (sent or answered) */
	uint64_t io_deadline;          /* exec(): the running request must be done by then */

	int sess_valid;                /* d->sess holds a session (restart possible) */
	int fresh_needed;              /* next login: new session state, not a restart */
	unsigned reissued;             /* tasks queued again by the last login */
	int ping_out;
	long ping_tag;
	uint64_t ping_at;
	int logout_seen;               /* a Logout Response arrived */
	uint64_t hold_until;           /* NOT READY: queue nothing before this */
	uint64_t notready_since;
	uint32_t notready_ms;
	int async_logout;              /* the target asked us to log out */
	int gave_up;                   /* a call already waited retry_ms in vain */
	int async_drop;                /* the target announced it drops the connection */
	uint32_t reconnect_delay;      /* first delay after a loss (Async Time2Wait) */
	char why[120];                 /* why the connection was lost */
	uint64_t lost_at;
	uint64_t next_try;             /* san_poll's next reconnect attempt */
	uint32_t poll_backoff;
	uint64_t io_start;             /* exec(): when the running request began (0: none) */
	int stall_cancelled;           /* cancelled() was env.stall_cancel's Ctrl-C */
	int plogout;                   /* san_poll(): our Logout (plogout_tag) awaits its answer */
	long plogout_tag;
	uint64_t plogout_until;

	/* the login in progress (login_begin/login_step; LS_IDLE: none) */
	int ls;
	char ls_host[ISCSI_URI_HOST_MAX + 1];   /* portal of this attempt (after redirects) */
	uint16_t ls_port;
	int ls_redirects;
	uint64_t ls_deadline;          /* connect + login must be done by then */
	size_t ls_txlen, ls_txoff;     /* the login request in d->tx being sent */

	struct san_info info;
	struct san_stats st;
	char err[SAN_MSG_MAX];
	struct san_cmd cmds[SAN_CMDS];

	uint8_t *ra;                   /* read-ahead window */
	uint32_t ra_cap;               /* bytes */
	uint64_t ra_lba;
	uint32_t ra_blocks;            /* valid blocks in the window (0 = empty) */
	uint64_t seq_next;             /* where the previous read ended */
	int seq_valid;
};

/* ---- small helpers ----------------------------------------------------------------- */

static uint64_t now(const struct san_iscsi *d) { return d->env.now_ms(); }

#define dlog(d, ...) san_env_log(&(d)->env, __VA_ARGS__)

static int seterr(struct san_iscsi *d, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int seterr(struct san_iscsi *d, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wb_vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Ctrl-C.  poller.cancel is asked whenever we wait; env.stall_cancel only
 * while a request (exec) has waited SAN_STALL_MS without any answer from
 * the target (or with the connection lost): the firmware's reads then end
 * with -WB_ECANCELED instead of waiting out san-command-timeout, while a
 * request that moves never touches the console (GRUB's keys stay GRUB's).
 */
static int cancelled(struct san_iscsi *d)
{
	uint64_t t, since;

	if (d->env.poller.cancel && d->env.poller.cancel())
		return 1;
	if (!d->io_start || !d->env.stall_cancel)
		return 0;
	t = now(d);
	since = d->io_start;
	if (d->up && d->last_progress > since)
		since = d->last_progress;
	if (t < since + SAN_STALL_MS || !d->env.stall_cancel(d->env.stall_arg))
		return 0;
	d->stall_cancelled = 1;
	return 1;
}

static void step(struct san_iscsi *d)
{
	if (d->env.poller.poll)
		d->env.poller.poll(d->env.poller.arg);
}

static long lun_number(const struct san_iscsi *d) { return iscsi_uri_lun_number(d->uri.lun); }

/* ---- connection ---------------------------------------------------------------------- */

static void conn_close(struct san_iscsi *d)
{
	if (d->s)
		stream_close(d->s);
	d->s = NULL;
	d->up = 0;
	d->ls = LS_IDLE;
	d->txlen = d->txoff = 0;
	d->rpos = d->rlen = 0;
}

/* the next PDU if one has arrived: 1 and *out, 0 when none yet, or a negative error */
static int recv_pdu(struct san_iscsi *d, struct iscsi_pdu *out)
{
	for (;;) {
		if (d->rpos < d->rlen) {
			size_t used = 0;
			int rc = iscsi_rx_feed(&d->rx, d->rbuf + d->rpos, d->rlen - d->rpos, &used);

			d->rpos += used;
			if (rc < 0)
				return rc;
			if (rc == 1) {
				*out = d->rx.pdu;
				d->last_rx = now(d);
				return 1;
			}
			continue;
		}
		int k = stream_recv(d->s, d->rbuf, sizeof(d->rbuf));

		if (k < 0)
			return k;
		if (k > 0) {
			d->rpos = 0;
			d->rlen = (size_t)k;
			d->last_rx = now(d);
			continue;
		}
		return 0;
	}
}

/* TargetAddress (RFC 7143 §13.8): "host", "host:port", "[v6]:port", each with an
   optional ",tpgt" */
int san_iscsi_target_address(const char *a, char *host, size_t hostcap, uint16_t *port)
{
	const char *end = strchr(a, ','), *hs, *he, *ps = NULL;
	size_t len = end ? (size_t)(end - a) : strlen(a);
	unsigned long long p = ISCSI_DEFAULT_PORT;
	char num[8];

	if (len == 0)
		return -WB_ESANREDIRADDR;
	if (a[0] == '[') {
		hs = a + 1;
		he = memchr(a, ']', len);
		if (!he)
			return -WB_ESANREDIRADDR;
		if (he + 1 < a + len) {
			if (he[1] != ':')
				return -WB_ESANREDIRADDR;
			ps = he + 2;
		}
	} else {
		hs = a;
		he = memchr(a, ':', len);
		if (he)
			ps = he + 1;
		else
			he = a + len;
	}
	if (he == hs || (size_t)(he - hs) >= hostcap)
		return -WB_ESANREDIRADDR;
	if (ps) {
		size_t pl = (size_t)(a + len - ps);

		if (pl == 0 || pl >= sizeof(num))
			return -WB_ESANREDIRADDR;
		memcpy(num, ps, pl);
		num[pl] = '\0';
		if (wb_parse_uint(num, 65535, &p) || p == 0)
			return -WB_ESANREDIRADDR;
	}
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	*port = (uint16_t)p;
	return 0;
}

/*
 * The login as a non-blocking machine, so that san_poll() (a firmware timer
 * while GRUB runs) never waits for the network:
 *
 *   login_begin ─► CONNECTING ─(stream open)─► SENDING ─(request sent)─► WAITING
 *                      ▲                          ▲                           │
 *                      │                          └──── next request ◄───────┤ response
 *                      └── redirect / CHAP retry without 7 (new connection) ◄┤
 *                                                         done: login_finish ◄┘
 *
 * login_step() does what can be done now and returns: 0 still in progress,
 * 1 logged in (d->up), or a negative error (d->err says why; the connection
 * is closed and the machine idle).  Every state fails with -WB_ETIMEDOUT
 * once cfg.login_timeout_ms has passed since login_begin().  conn_login()
 * is the blocking form for callers that wait (open, san_read/san_write).
 */
static void login_cfg(const struct san_iscsi *d, struct iscsi_login_cfg *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->initiator = d->cfg.initiator;
	lc->target = d->uri.target;
	lc->user = d->cfg.user;
	lc->secret = d->cfg.secret;
	lc->reverse_user = d->cfg.reverse_user;
	lc->reverse_secret = d->cfg.reverse_secret;
	memcpy(lc->chap_algs, d->cfg.chap_algs, sizeof(lc->chap_algs));
	lc->chap_flags = d->cfg.chap_flags;
	lc->header_digest = d->cfg.header_digest;
	lc->data_digest = d->cfg.data_digest;
	lc->max_recv_dsl = SAN_DSL;
	lc->immediate_data = 1;
	lc->initial_r2t = 1;
	lc->rng = d->env.rng;
	lc->rng_arg = d->env.rng_arg;
}

/* one connection's login to d->ls_host:d->ls_port: set up the machine, start the connect */
static int login_attempt(struct san_iscsi *d)
{
	struct iscsi_login_cfg lc;
	int rc;

	conn_close(d);
	login_cfg(d, &lc);
	rc = d->env.rng(d->env.rng_arg, &lc.cmdsn, sizeof(lc.cmdsn));
	if (rc)
		return seterr(d, rc, "iSCSI: no randomness for the login: %s", wb_strerror(rc));
	rc = iscsi_login_init(&d->l, &lc);
	if (rc && d->l.msg[0])
		return seterr(d, rc, "%s", d->l.msg);   /* a CHAP secret refused (RFC 7143 section 12.1.3) */
	if (rc)
		return seterr(d, rc, "iSCSI: bad login settings (initiator name, CHAP users): %s", wb_strerror(rc));
	if (d->have_isid)
		memcpy(d->l.isid, d->isid, 6);   /* same session identity: reinstatement */
	if (!d->warned) {
		d->warned = 1;
		if (d->l.secret_warnings & CHAP_WARN_SHORT_SECRET)
			dlog(d, "san: warning: the CHAP secret is shorter than 12 bytes (RFC 7143 section 12.1.3 asks for at least 12)");
		if (d->l.secret_warnings & CHAP_WARN_SHORT_RSECRET)
			dlog(d, "san: warning: the reverse CHAP secret is shorter than 12 bytes");
		if (d->l.secret_warnings & CHAP_WARN_SAME_SECRET)
			dlog(d, "san: warning: the CHAP secret and the reverse secret are the same (use different secrets for the two directions)");
	}
	rc = iscsi_rx_init(&d->rx, d->rxdata, sizeof(d->rxdata), SAN_DSL);
	if (rc)
		return seterr(d, rc, "iSCSI: receive buffer setup failed");
	rc = d->env.connect(d->env.arg, d->ls_host, d->ls_port, &d->s);
	if (rc) {
		conn_close(d);
		return seterr(d, rc, "cannot connect to %s port %u: %s", d->ls_host, d->ls_port, wb_strerror(rc));
	}
	d->ls = LS_CONNECTING;
	return 0;
}

/* start a login at the home portal (a connection already there is closed) */
static int login_begin(struct san_iscsi *d)
{
	wb_strlcpy(d->ls_host, d->home_host, sizeof(d->ls_host));
	d->ls_port = d->home_port;
	d->ls_redirects = 0;
	d->ls_deadline = now(d) + d->cfg.login_timeout_ms;
	return login_attempt(d);
}

/* the login failed with @rc: close, stop the machine, say why */
static int login_fail(struct san_iscsi *d, int rc)
{
	int connecting = d->ls == LS_CONNECTING;

	conn_close(d);
	if (connecting)
		return seterr(d, rc, "cannot connect to %s port %u: %s", d->ls_host, d->ls_port, wb_strerror(rc));
	return seterr(d, rc, "login to %s at %s port %u: %s", d->uri.target, d->ls_host, d->ls_port,
		      rc == -WB_ECLOSED ? "target closed the connection during login" : wb_strerror(rc));
}

/* logged in: a session to go on with (restarted or fresh), d->info, d->up */
static int login_finish(struct san_iscsi *d)
{
	int rc;

	d->ls = LS_IDLE;
	memcpy(d->isid, d->l.isid, 6);
	d->have_isid = 1;
	if (d->sess_valid && !d->fresh_needed) {
		/* ERL 0 recovery: the unfinished tasks go out again on this
		   connection, in order, with their tags kept (RFC 7143 §7.12) */
		rc = iscsi_sess_restart(&d->sess, &d->l);
		if (rc < 0) {
			conn_close(d);
			return seterr(d, rc, "iSCSI: session restart failed: %s", wb_strerror(rc));
		}
		d->reissued = (unsigned)rc;
	} else {
		/* first login, or a session whose state we gave up (a Logout
		   that got no answer must not be sent again): our own command
		   list is queued again from scratch */
		unsigned n = 0;

		rc = iscsi_sess_init(&d->sess, &d->l, d->uri.lun, d->cfg.depth);
		if (rc) {
			conn_close(d);
			return seterr(d, rc, "iSCSI: session setup failed: %s", wb_strerror(rc));
		}
		for (unsigned i = 0; i < SAN_CMDS; i++)
			if (d->cmds[i].state == CMD_QUEUED) {
				d->cmds[i].state = CMD_NEW;
				n++;
			}
		d->reissued = n;
		d->ping_out = 0;
		d->sess_valid = 1;
		d->fresh_needed = 0;
	}
	if (d->info.block_size)
		d->sess.block_size = d->info.block_size;
	iscsi_rx_set_digests(&d->rx, d->l.params.header_digest, d->l.params.data_digest);
	/* info: what we are connected to now */
	wb_strlcpy(d->info.target, d->uri.target, sizeof(d->info.target));
	wb_strlcpy(d->info.host, d->ls_host, sizeof(d->info.host));
	d->info.port = d->ls_port;
	if (wb_parse_ipv4(d->ls_host, d->info.ip))
		memset(d->info.ip, 0, 4);
	memcpy(d->info.lun, d->uri.lun, 8);
	d->info.tpgt = d->l.params.tpgt;
	memcpy(d->info.isid, d->l.isid, 6);
	d->info.tsih = d->l.tsih;
	d->info.header_digest = d->l.params.header_digest;
	d->info.data_digest = d->l.params.data_digest;
	d->info.chap_alg = d->l.params.chap_alg;
	d->info.mutual = d->l.params.mutual;
	d->info.max_recv_dsl = d->l.params.max_recv_dsl;
	d->info.max_send_dsl = d->l.params.max_send_dsl;
	d->info.max_burst = d->sess.max_burst;
	d->up = 1;
	d->last_rx = d->last_tx = d->last_progress = now(d);
	d->async_logout = 0;
	d->async_drop = 0;
	d->reconnect_delay = 0;
	return 0;
}

/*
 * The login machine said @rc (not ISCSI_LOGIN_SEND): done, a redirect or
 * the CHAP retry without 7 (a new connection: 0, still in progress), or
 * an error.
 */
static int login_result(struct san_iscsi *d, int rc)
{
	if (rc == -WB_EISCSIREDIRECT) {
		char nh[ISCSI_URI_HOST_MAX + 1];
		uint16_t np;
		int permanent = d->l.status_detail == 2;

		conn_close(d);
		if (d->ls_redirects++ == SAN_REDIRECTS)
			return seterr(d, -WB_ESANREDIRMAX, "login to %s: more than %d redirects (last to %s): check the target's portal configuration",
				      d->uri.target, SAN_REDIRECTS, d->l.redirect);
		rc = san_iscsi_target_address(d->l.redirect, nh, sizeof(nh), &np);
		if (rc)
			return seterr(d, rc, "login to %s: redirect to unusable TargetAddress \"%s\"", d->uri.target,
				      d->l.redirect);
		dlog(d, "san: %s redirect from %s:%u to %s:%u", permanent ? "permanent" : "temporary", d->ls_host,
		     d->ls_port, nh, np);
		wb_strlcpy(d->ls_host, nh, sizeof(d->ls_host));
		d->ls_port = np;
		if (permanent) {
			wb_strlcpy(d->home_host, nh, sizeof(d->home_host));
			d->home_port = np;
		}
		return login_attempt(d);
	}
	if (rc < 0) {
		struct iscsi_login_cfg lc;

		login_cfg(d, &lc);
		if (iscsi_login_chap_fallback(&d->l, &lc)) {
			/* tgt/IET; remembered for re-logins (iscsi_login.h) */
			conn_close(d);
			memcpy(d->cfg.chap_algs, lc.chap_algs, sizeof(lc.chap_algs));
			dlog(d, "san: target picked CHAP_A 7 (SHA-256), then refused our response (status 0x0200) as tgt and IET do (their 7 is SHA-1): logging in again without 7");
			return login_attempt(d);
		}
		conn_close(d);
		return seterr(d, rc, "%s", d->l.msg[0] ? d->l.msg : wb_strerror(rc));
	}
	rc = login_finish(d);
	return rc ? rc : 1;
}

/* one non-blocking round of the login in progress (see above) */
static int login_step(struct san_iscsi *d)
{
	for (;;) {
		struct iscsi_pdu p;
		enum stream_state st;
		size_t n;
		int rc, k;

		if (d->ls == LS_IDLE)
			return seterr(d, -WB_ENOTCONN, "SAN: no login in progress");
		switch (d->ls) {
		case LS_CONNECTING:
			st = stream_state(d->s);
			if (st == STREAM_ERROR)
				return login_fail(d, stream_error(d->s) ? stream_error(d->s) : -WB_ENOTCONN);
			if (st == STREAM_CONNECTING)
				break;
			rc = iscsi_login_step(&d->l, NULL, d->tx, sizeof(d->tx), &n);
			if (rc != ISCSI_LOGIN_SEND)
				return login_fail(d, rc < 0 ? rc : -WB_EISCSIPROTO);
			d->ls_txlen = n;
			d->ls_txoff = 0;
			d->ls = LS_SENDING;
			continue;
		case LS_SENDING:
			k = stream_send(d->s, d->tx + d->ls_txoff, d->ls_txlen - d->ls_txoff);
			if (k < 0)
				return login_fail(d, k);
			d->ls_txoff += (size_t)k;
			if (d->ls_txoff < d->ls_txlen)
				break;   /* back-pressure */
			d->last_tx = now(d);
			d->ls = LS_WAITING;
			continue;
		case LS_WAITING:
			rc = recv_pdu(d, &p);
			if (rc < 0)
				return login_fail(d, rc);
			if (rc == 0)
				break;
			rc = iscsi_login_step(&d->l, &p, d->tx, sizeof(d->tx), &n);
			if (rc == ISCSI_LOGIN_SEND) {
				d->ls_txlen = n;
				d->ls_txoff = 0;
				d->ls = LS_SENDING;
				continue;
			}
			d->ls = LS_IDLE;   /* a new attempt sets it again */
			rc = login_result(d, rc);
			if (rc < 0)
				return rc;
			if (rc == 1)
				return 1;
			continue;   /* a new connection to the next portal */
		default:
			break;
		}
		/* nothing more to do now */
		if (now(d) > d->ls_deadline)
			return login_fail(d, -WB_ETIMEDOUT);
		return 0;
	}
}

/*
 * Connect to the home portal and log in, following redirects, waiting
 * (pumping env.poller) until done; a login that san_poll() started is
 * carried on.  On success the session is ready and d->up is set.
 * Failure: d->err says why.
 */
static int conn_login(struct san_iscsi *d)
{
	int rc;

	if (d->ls == LS_IDLE) {
		rc = login_begin(d);
		if (rc)
			return rc;
	}
	for (;;) {
		rc = login_step(d);
		if (rc == 1)
			return 0;
		if (rc < 0)
			return rc;
		if (cancelled(d))
			return login_fail(d, -WB_ECANCELED);
		step(d);
	}
}

/* ---- full feature phase pump ------------------------------------------------------------ */

/* mark the connection lost (the session keeps its tasks for the restart) */
static void lost(struct san_iscsi *d, int rc, const char *why)
{
	if (why)
		wb_snprintf(d->why, sizeof(d->why), "%s", why);
	else
		wb_snprintf(d->why, sizeof(d->why), "%s", rc == -WB_ECLOSED ? "target closed the connection" :
			    wb_strerror(rc));
	conn_close(d);
	d->lost_at = now(d);
}

static int handle_async(struct san_iscsi *d)
{
	const struct iscsi_async *a = &d->sess.async;

	switch (a->event) {
	case 1:   /* logout requested (RFC 7143 §11.9.1): log out, then back in */
		d->async_logout = 1;
		return 0;
	case 2:   /* the target will drop this connection */
	case 3:   /* ... all connections of the session */
		d->reconnect_delay = (uint32_t)a->param[1] * 1000u;   /* Time2Wait */
		d->async_drop = 1;
		return -WB_ECLOSED;
	default:  /* 0 SCSI event, 4 renegotiation (we keep our values), 255 vendor */
		return 0;
	}
}

/*
 * A PDU that answers one of our tasks (data, status, R2T, the answer to our
 * ping, a Reject), as opposed to the target's own NOP-In pings and Async
 * Messages: only these count as progress for the I/O timeout, so that a
 * target that pings but never answers a command is still timed out.
 */
static int answers_us(const struct iscsi_pdu *p)
{
	switch (p->bhs.opcode) {
	case ISCSI_OP_DATA_IN:
	case ISCSI_OP_SCSI_RSP:
	case ISCSI_OP_R2T:
	case ISCSI_OP_LOGOUT_RSP:
	case ISCSI_OP_REJECT:
		return 1;
	case ISCSI_OP_NOP_IN:
		return p->bhs.itt != 0xffffffffu;
	default:
		return 0;
	}
}

/*
 * One non-blocking round: send what can be sent, receive and handle what
 * arrived.  @return 1 when something moved, 0 when idle, or a negative
 * error (the connection must be dropped).
 */
static int pump(struct san_iscsi *d)
{
	int progress = 0, rc;

	for (;;) {
		if (d->txoff < d->txlen) {
			int k = stream_send(d->s, d->tx + d->txoff, d->txlen - d->txoff);

			if (k < 0)
				return k;
			if (k == 0)
				break;
			d->txoff += (size_t)k;
			d->last_tx = now(d);
			progress = 1;
			continue;
		}
		int n = iscsi_sess_output(&d->sess, d->tx, sizeof(d->tx));

		if (n < 0)
			return n;
		if (n == 0)
			break;
		if ((d->tx[0] & 0x3f) == ISCSI_OP_SCSI_CMD)
			d->st.commands++;
		if ((d->tx[0] & 0x3f) == ISCSI_OP_SCSI_CMD || (d->tx[0] & 0x3f) == ISCSI_OP_DATA_OUT)
			d->last_progress = now(d);
		d->txlen = (size_t)n;
		d->txoff = 0;
	}
	for (int i = 0; i < 64; i++) {
		struct iscsi_pdu p;
		uint32_t mx;

		rc = recv_pdu(d, &p);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		progress = 1;
		if (p.bhs.opcode == ISCSI_OP_LOGOUT_RSP)
			d->logout_seen = 1;
		mx = d->sess.maxcmdsn;
		rc = iscsi_sess_input(&d->sess, &p);
		if (answers_us(&p) || d->sess.maxcmdsn != mx)
			d->last_progress = now(d);   /* (a MaxCmdSN that moved opened the window) */
		d->st.ua_retries = d->sess.ua_retries;
		d->st.target_nops = d->sess.nops_answered;
		if (rc == ISCSI_SESS_ASYNC)
			rc = handle_async(d);
		if (rc < 0)
			return rc;
		if (d->async_logout || d->logout_seen)
			return 1;   /* the target may close right after a Logout Response */
	}
	return progress;
}

/* our ping: finished? */
static void check_ping(struct san_iscsi *d)
{
	int r;

	if (!d->ping_out)
		return;
	r = iscsi_sess_done(&d->sess, d->ping_tag, NULL);
	if (r == 0)
		return;
	d->ping_out = 0;
	if (r == 1)
		d->st.nops_answered++;
}

static int wait_ms(struct san_iscsi *d, uint32_t ms)
{
	uint64_t until = now(d) + ms;

	while (now(d) < until) {
		if (cancelled(d))
			return -WB_ECANCELED;
		step(d);
	}
	return 0;
}

/* the logout (tag) is over with @rc: close; a Logout that may still be queued is never sent again */
static int logout_end(struct san_iscsi *d, int rc)
{
	if (rc && rc != -WB_EISCSILOGOUT)
		d->fresh_needed = 1;
	d->logout_seen = 0;
	d->plogout = 0;
	conn_close(d);
	return rc;
}

/*
 * One non-blocking look at the logout @tag: 1 while still waiting (*idle:
 * nothing moved), else it is over (0 or an error; the connection closed).
 */
static int logout_check(struct san_iscsi *d, long tag, uint64_t deadline, int *idle)
{
	int rc = iscsi_sess_done(&d->sess, tag, NULL);

	if (rc != 0)
		return logout_end(d, rc == 1 ? 0 : rc);
	rc = pump(d);
	if (rc < 0 && !d->logout_seen)
		return logout_end(d, rc);
	if (now(d) > deadline)
		return logout_end(d, -WB_ETIMEDOUT);
	*idle = rc == 0;
	return 1;
}

/*
 * Log out (iscsi_sess_logout: Logout Request, reason "close the session",
 * RFC 7143 §11.14) and wait up to @timeout_ms for the response, feeding the
 * session whatever else arrives meanwhile; a logout san_poll() began is
 * waited for instead of sending another.  Leaves the connection closed.
 */
static int logout(struct san_iscsi *d, uint32_t timeout_ms)
{
	uint64_t deadline = now(d) + timeout_ms;
	long tag;

	if (!d->up)
		return 0;
	if (d->plogout) {
		tag = d->plogout_tag;
	} else {
		tag = iscsi_sess_logout(&d->sess);
		if (tag < 0) {
			d->fresh_needed = 1;
			conn_close(d);
			return (int)tag;
		}
		d->logout_seen = 0;
	}
	for (;;) {
		int idle = 0, rc = logout_check(d, tag, deadline, &idle);

		if (rc != 1)
			return rc;
		if (cancelled(d))
			return logout_end(d, -WB_ECANCELED);
		if (idle)
			step(d);
	}
}

/*
 * Reconnect with back-off until cfg.retry_ms after the loss.  0 when up again
 * (the unfinished commands are queued again on the new session).
 */
static int reconnect(struct san_iscsi *d)
{
	uint32_t delay = d->reconnect_delay ? d->reconnect_delay : SAN_BACKOFF_MIN;
	int first = 1, rc;
	char last[SAN_MSG_MAX] = "";

	for (;;) {
		uint64_t t = now(d), elapsed = t - d->lost_at;

		if (elapsed >= d->cfg.retry_ms)
			return seterr(d, -WB_ESANGAVEUP,
				      "SAN: lost %s at %s:%u (%s) and could not reconnect within %u s; last attempt: %s",
				      d->uri.target, d->home_host, d->home_port, d->why, d->cfg.retry_ms / 1000,
				      last[0] ? last : "none (check that the target is up and reachable)");
		if (d->io_deadline && t >= d->io_deadline)
			return seterr(d, -WB_ESANCMDTIMEOUT, "SAN: the request's time (san-command-timeout) ran out while reconnecting");
		if (delay > d->cfg.retry_ms - elapsed)
			delay = (uint32_t)(d->cfg.retry_ms - elapsed);
		if (d->io_deadline && delay > d->io_deadline - t)
			delay = (uint32_t)(d->io_deadline - t);
		if (first && d->ls != LS_IDLE)
			dlog(d, "san: connection lost (%s); a reconnect is under way", d->why);
		else if (first)
			dlog(d, "san: connection lost (%s); reconnecting in %u ms", d->why, delay);
		else
			dlog(d, "san: reconnect failed (%s); retrying in %u ms", last, delay);
		first = 0;
		rc = d->ls == LS_IDLE ? wait_ms(d, delay) : 0;   /* san_poll() may have begun one */
		if (rc)
			return seterr(d, rc, "SAN: reconnect to %s cancelled", d->uri.target);
		rc = conn_login(d);
		if (rc == 0) {
			d->st.reconnects++;
			d->st.retries += d->reissued;
			dlog(d, "san: reconnected to %s:%u after %llu ms (TSIH 0x%04x), reissuing %u commands",
			     d->info.host, d->info.port, (unsigned long long)(now(d) - d->lost_at), d->info.tsih,
			     d->reissued);
			d->err[0] = '\0';
			return 0;
		}
		if (rc == -WB_ECANCELED)
			return rc;
		wb_strlcpy(last, d->err, sizeof(last));
		delay = delay * 2 > SAN_BACKOFF_MAX ? SAN_BACKOFF_MAX : delay * 2;
	}
}

/* after an Async logout request: log out now, then reconnect right away; the
   commands still unfinished are reissued after the new login */
static void async_logout(struct san_iscsi *d)
{
	int rc;

	dlog(d, "san: target asked us to log out (Async Message); logging out and in again");
	rc = logout(d, 3000);
	lost(d, rc, "target requested a logout");
	d->async_logout = 0;
	d->reconnect_delay = 1;
}

/*
 * exec() gives up with commands still queued: they point into the caller's
 * buffer, which is the caller's again once we return, so nothing may ever
 * complete into it.  Drop the connection and the session's task list (the
 * next login starts a fresh session).
 */
static int abandon(struct san_iscsi *d, unsigned n, int rc)
{
	for (unsigned i = 0; i < n; i++)
		d->cmds[i].state = CMD_DONE;
	if (d->up)
		lost(d, rc, "I/O abandoned");
	d->fresh_needed = 1;
	d->ping_out = 0;
	return rc;
}

/* a READ/WRITE(10/16) CDB: its name, LBA and block count (0 when it is none of those) */
static const char *cdb_range(const struct san_cmd *c, uint64_t *lba, uint32_t *nblocks)
{
	const uint8_t *b = c->cdb;

	*lba = 0;
	*nblocks = 0;
	switch (b[0]) {
	case SCSI_READ10:
	case SCSI_WRITE10:
		*lba = (uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 | (uint32_t)b[4] << 8 | b[5];
		*nblocks = (uint32_t)b[7] << 8 | b[8];
		return b[0] == SCSI_READ10 ? "READ(10)" : "WRITE(10)";
	case SCSI_READ16:
	case SCSI_WRITE16:
		for (int i = 2; i < 10; i++)
			*lba = *lba << 8 | b[i];
		*nblocks = (uint32_t)b[10] << 24 | (uint32_t)b[11] << 16 | (uint32_t)b[12] << 8 | b[13];
		return b[0] == SCSI_READ16 ? "READ(16)" : "WRITE(16)";
	default:
		return NULL;
	}
}

/*
 * What an inexact answer to a READ/WRITE was, for a message: "target
 * returned 8192 of 32768 bytes (underflow residual 24576)".
 */
static void inexact_what(const struct san_cmd *c, char *out, size_t cap)
{
	const struct iscsi_task *t = &c->info;
	const char *res = t->underflow ? "underflow" : t->overflow ? "overflow" : NULL;

	if (c->wbuf) {
		if (res)
			wb_snprintf(out, cap, "target reported an %s residual of %u bytes of %u written", res, t->rescount,
				    c->len);
		else
			wb_snprintf(out, cap, "target reported GOOD status having asked for only %u of %u bytes", t->xfer,
				    c->len);
	} else if (res) {
		wb_snprintf(out, cap, "target returned %u of %u bytes (%s residual %u)", t->xfer, c->len, res, t->rescount);
	} else {
		wb_snprintf(out, cap, "target returned %u of %u bytes (no residual reported)", t->xfer, c->len);
	}
}

/* "READ(10) LBA 2048+64", "SYNCHRONIZE CACHE", ...: a command for a message */
static void cmd_name(const struct san_cmd *c, char *out, size_t cap)
{
	uint64_t lba;
	uint32_t nb;
	const char *name = cdb_range(c, &lba, &nb);

	if (name) {
		wb_snprintf(out, cap, "%s LBA %llu+%u", name, (unsigned long long)lba, nb);
		return;
	}
	switch (c->cdb[0]) {
	case SCSI_INQUIRY: name = "INQUIRY"; break;
	case SCSI_TEST_UNIT_READY: name = "TEST UNIT READY"; break;
	case SCSI_READ_CAPACITY10: name = "READ CAPACITY(10)"; break;
	case SCSI_SERVICE_ACTION_IN16: name = "READ CAPACITY(16)"; break;
	case SCSI_MODE_SENSE6: name = "MODE SENSE(6)"; break;
	case SCSI_SYNC_CACHE10: case SCSI_SYNC_CACHE16: name = "SYNCHRONIZE CACHE"; break;
	default: break;
	}
	if (name)
		wb_snprintf(out, cap, "%s", name);
	else
		wb_snprintf(out, cap, "SCSI command 0x%02x", c->cdb[0]);
}

/* the first command of d->cmds[0..n) not done yet (there is one while exec() runs) */
static const struct san_cmd *first_open(const struct san_iscsi *d, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (d->cmds[i].state != CMD_DONE)
			return &d->cmds[i];
	return &d->cmds[0];
}

/* the request ran out of cfg.cmd_timeout_ms: fail it, naming its oldest open command */
static int timed_out(struct san_iscsi *d, unsigned n)
{
	char name[64], why[160] = "";

	cmd_name(first_open(d, n), name, sizeof(name));
	if (!d->up)
		wb_snprintf(why, sizeof(why), " (the connection is lost: %s)", d->why);
	return abandon(d, n, seterr(d, -WB_ESANCMDTIMEOUT, "SAN: %s on %s did not complete within %u s%s; giving up (san-command-timeout)",
				    name, d->uri.target, d->cfg.cmd_timeout_ms / 1000, why));
}

/*
 * The connection is lost (@rc, @why as for lost()) while exec() runs: every
 * command outstanding at the target counts one reissue; one over
 * cfg.max_reissues fails the request (-WB_ESANREISSUES), else 0 and the
 * loop reconnects and reissues.
 */
static int drop(struct san_iscsi *d, unsigned n, int rc, const char *why)
{
	const struct san_cmd *over = NULL;
	char name[64];

	for (unsigned i = 0; i < n; i++) {
		struct san_cmd *c = &d->cmds[i];

		if (c->state == CMD_QUEUED && iscsi_sess_sent(&d->sess, c->tag) && ++c->reissues > d->cfg.max_reissues &&
		    !over)
			over = c;
	}
	if (d->up)
		lost(d, rc, why);
	if (!over)
		return 0;
	cmd_name(over, name, sizeof(name));
	return abandon(d, n, seterr(d, -WB_ESANREISSUES, "SAN: %s on %s: the connection was lost %u times while it was outstanding (last: %s); not reissued again (san-retries %u)",
				    name, d->uri.target, over->reissues, d->why, d->cfg.max_reissues));
}

/*
 * Run d->cmds[0..n) to completion over as many connections as it takes.
 * NOT READY is waited out (d->notready_ms).  @return 0 when every command
 * succeeded, else the first command's error (its sense in d->cmds[i].info),
 * or -WB_ESANGAVEUP / -WB_ECANCELED.
 */
static int exec_run(struct san_iscsi *d, unsigned n)
{
	int rc;

	for (unsigned i = 0; i < n; i++) {
		d->cmds[i].state = CMD_NEW;
		d->cmds[i].tag = 0;
		d->cmds[i].result = 0;
		d->cmds[i].retried = 0;
		d->cmds[i].reissues = 0;
	}
	d->io_deadline = now(d) + d->cfg.cmd_timeout_ms;
	for (;;) {
		unsigned done = 0;
		uint64_t t = now(d);

		if (cancelled(d))
			return abandon(d, n, seterr(d, -WB_ECANCELED, "SAN: I/O cancelled"));
		if (t >= d->io_deadline)
			return timed_out(d, n);
		if (!d->up && d->gave_up) {
			/* an earlier call already spent retry_ms: one attempt, so
			   that a dead target fails each call fast */
			rc = conn_login(d);
			if (rc == -WB_ECANCELED)
				return abandon(d, n, rc);
			if (rc) {
				char why[SAN_MSG_MAX];

				wb_strlcpy(why, d->err, sizeof(why));
				return abandon(d, n, seterr(d, -WB_ESANGAVEUP, "SAN: %s at %s:%u is still unreachable: %s",
							    d->uri.target, d->home_host, d->home_port, why));
			}
			d->gave_up = 0;
			d->st.reconnects++;
			d->st.retries += d->reissued;
			dlog(d, "san: reconnected to %s:%u, reissuing %u commands", d->info.host, d->info.port,
			     d->reissued);
		}
		if (!d->up) {
			rc = reconnect(d);
			if (rc == -WB_ESANCMDTIMEOUT)
				return timed_out(d, n);
			if (rc) {
				d->gave_up = rc == -WB_ESANGAVEUP;
				return abandon(d, n, rc);
			}
		}
		for (unsigned i = 0; i < n && t >= d->hold_until; i++) {
			struct san_cmd *c = &d->cmds[i];

			if (c->state == CMD_NEW) {
				long tag = c->wbuf ? iscsi_sess_command_out(&d->sess, c->cdb, c->cdb_len, c->wbuf, c->len) :
					   iscsi_sess_command(&d->sess, c->cdb, c->cdb_len, c->buf, c->len);

				if (tag == -WB_EAGAIN)
					break;
				if (tag < 0)
					return abandon(d, n, seterr(d, (int)tag, "SAN: cannot queue a SCSI command: %s",
								    wb_strerror((int)tag)));
				c->tag = tag;
				c->state = CMD_QUEUED;
			}
		}
		for (unsigned i = 0; i < n; i++) {
			struct san_cmd *c = &d->cmds[i];

			if (c->state == CMD_QUEUED) {
				int r = iscsi_sess_done(&d->sess, c->tag, &c->info);

				if (r == -WB_ENOTREADY) {
					/* the LUN is coming up (target restart): ask again
					   in a moment, for a bounded time */
					if (!d->notready_since) {
						d->notready_since = t;
						dlog(d, "san: LUN %ld is not ready; waiting up to %u s", lun_number(d),
						     d->notready_ms / 1000);
					}
					if (t - d->notready_since < d->notready_ms) {
						c->state = CMD_NEW;
						d->hold_until = t + 500;
						continue;
					}
				} else if (r == 1) {
					d->notready_since = 0;
				} else if (r == -WB_EISCSIRESIDUAL && !c->retried) {
					/* block I/O that moved more or fewer bytes than
					   asked: the buffer is not trusted; once more */
					uint64_t lba;
					uint32_t nb;
					const char *name = cdb_range(c, &lba, &nb);
					char what[120];

					inexact_what(c, what, sizeof(what));
					dlog(d, "san: iSCSI %s LBA %llu+%u: %s; retrying once", name ? name : "command",
					     (unsigned long long)lba, nb, what);
					c->retried = 1;
					c->state = CMD_NEW;
					d->st.retries++;
					continue;
				}
				if (r != 0) {
					c->state = CMD_DONE;
					c->result = r < 0 ? r : 0;
				}
			}
			done += c->state == CMD_DONE;
		}
		check_ping(d);
		if (done == n) {
			for (unsigned i = 0; i < n; i++)
				if (d->cmds[i].result)
					return d->cmds[i].result;
			return 0;
		}
		rc = pump(d);
		if (rc < 0) {
			rc = drop(d, n, rc, d->async_drop ? "the target announced it drops the connection" : NULL);
			if (rc)
				return rc;
			continue;
		}
		if (d->async_logout) {
			async_logout(d);
			rc = drop(d, n, 0, NULL);
			if (rc)
				return rc;
			continue;
		}
		if (rc == 0) {
			uint64_t t2 = now(d);   /* pump may have moved last_progress past t */

			/* no answer to any of our commands for io_timeout_ms: the
			   target's own pings do not count, so a target that keeps
			   the connection alive but never answers (or keeps the
			   CmdSN window closed) is timed out too */
			if (iscsi_sess_pending(&d->sess) && t2 > d->last_progress &&
			    t2 - d->last_progress > d->cfg.io_timeout_ms) {
				char why[120];

				if (t2 - d->last_rx > d->cfg.io_timeout_ms)
					wb_snprintf(why, sizeof(why), "no answer from the target for %u ms",
						    d->cfg.io_timeout_ms);
				else
					wb_snprintf(why, sizeof(why), "no answer to our commands for %u ms, only other PDUs (NOP-In)%s",
						    d->cfg.io_timeout_ms,
						    (int32_t)(d->sess.cmdsn - d->sess.maxcmdsn) > 0 ? " and the CmdSN window closed" : "");
				rc = drop(d, n, -WB_ETIMEDOUT, why);
				if (rc)
					return rc;
				continue;
			}
			step(d);
		}
	}
}

static int exec(struct san_iscsi *d, unsigned n)
{
	uint64_t t0 = now(d);
	int rc;

	d->io_start = t0 ? t0 : 1;
	d->stall_cancelled = 0;
	rc = exec_run(d, n);
	d->io_start = 0;
	if (rc == -WB_ECANCELED && d->stall_cancelled)
		seterr(d, rc, "SAN: I/O on %s cancelled (Ctrl-C) after %llu ms waiting for the target",
		       d->uri.target, (unsigned long long)(now(d) - t0));
	d->stall_cancelled = 0;
	return rc;
}

static void cmd_set(struct san_cmd *c, const uint8_t *cdb, uint8_t cdb_len, void *buf, uint32_t len)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->cdb, cdb, cdb_len);
	c->cdb_len = cdb_len;
	c->buf = buf;
	c->len = len;
}

/* one command, its error message naming @what */
static int exec1(struct san_iscsi *d, const char *what, const uint8_t *cdb, uint8_t cdb_len, void *buf, uint32_t len)
{
	int rc;

	cmd_set(&d->cmds[0], cdb, cdb_len, buf, len);
	rc = exec(d, 1);
	if (rc && rc != -WB_ESANGAVEUP && rc != -WB_ECANCELED && rc != -WB_ESANREISSUES && rc != -WB_ESANCMDTIMEOUT) {
		const struct iscsi_task *t = &d->cmds[0].info;

		if (rc == -WB_ENOTREADY)
			rc = seterr(d, -WB_ESANNOTREADY, "%s: LUN %ld of %s stayed NOT READY for %u s (ASC/ASCQ 0x%02x/0x%02x): check the target's backing store",
				    what, lun_number(d), d->uri.target, d->notready_ms / 1000, t->sense.asc, t->sense.ascq);
		else if (rc == -WB_EISCSISCSI)
			seterr(d, rc, "%s on LUN %ld of %s failed: SCSI status 0x%02x, sense key 0x%x ASC/ASCQ 0x%02x/0x%02x",
			       what, lun_number(d), d->uri.target, t->status, t->sense.key, t->sense.asc, t->sense.ascq);
		else
			seterr(d, rc, "%s on LUN %ld of %s failed: %s", what, lun_number(d), d->uri.target,
			       wb_strerror(rc));
	}
	return rc;
}

/* ---- open ------------------------------------------------------------------------------- */

static int dup_cfg(struct san_iscsi *d, const struct san_iscsi_cfg *cfg)
{
	const char **f[7] = { &d->cfg.root_path, &d->cfg.initiator, &d->cfg.user, &d->cfg.secret,
			      &d->cfg.reverse_user, &d->cfg.reverse_secret, NULL };

	d->cfg = *cfg;
	for (int i = 0; f[i]; i++) {
		if (!*f[i] || !**f[i]) {
			*f[i] = NULL;
			continue;
		}
		d->own[i] = wb_strdup(*f[i]);
		if (!d->own[i])
			return -WB_ENOMEM;
		*f[i] = d->own[i];
	}
	if (!d->cfg.depth)
		d->cfg.depth = 8;
	if (d->cfg.depth > SAN_CMDS)
		d->cfg.depth = SAN_CMDS;
	if (!d->cfg.readahead)
		d->cfg.readahead = SAN_RA_DEFAULT;
	if (!d->cfg.io_timeout_ms)
		d->cfg.io_timeout_ms = 15000;
	if (!d->cfg.retry_ms)
		d->cfg.retry_ms = 120000;
	if (!d->cfg.login_timeout_ms)
		d->cfg.login_timeout_ms = 15000;
	if (!d->cfg.max_reissues)
		d->cfg.max_reissues = SAN_REISSUES_DEFAULT;
	else if (d->cfg.max_reissues == SAN_NO_REISSUE)
		d->cfg.max_reissues = 0;
	if (!d->cfg.cmd_timeout_ms)
		d->cfg.cmd_timeout_ms = SAN_CMD_TIMEOUT_DEFAULT;
	return 0;
}

static void dev_free(struct san_iscsi *d)
{
	if (!d)
		return;
	conn_close(d);
	for (int i = 0; i < 7; i++) {
		if (d->own[i]) {
			/* secrets: wipe before freeing */
			memset(d->own[i], 0, strlen(d->own[i]));
			plat_free(d->own[i]);
		}
	}
	plat_free(d->ra);
	memset(&d->l, 0, sizeof(d->l));
	plat_free(d);
}

static int probe(struct san_iscsi *d)
{
	uint8_t cdb[16], data[256];
	struct scsi_inquiry inq;
	const char *what;
	int rc;

	/* INQUIRY first: it names what is at the LUN before anything else fails */
	memset(data, 0, sizeof(data));
	scsi_cdb_inquiry(cdb, 96);
	rc = exec1(d, "INQUIRY", cdb, 6, data, 96);
	if (rc)
		return rc;
	rc = scsi_parse_inquiry(data, 96, &inq);
	if (rc)
		return seterr(d, rc, "INQUIRY on LUN %ld: malformed answer", lun_number(d));
	if (inq.qualifier == 3)
		return seterr(d, -WB_ESANNOLUN, "LUN %ld does not exist on %s (check the LUN in the root path; tgt's disk is LUN 1)",
			      lun_number(d), d->uri.target);
	d->info.peripheral_type = inq.peripheral_type;
	if (inq.peripheral_type != 0)
		return seterr(d, -WB_ESANNOLUN, "LUN %ld is not a disk (peripheral type 0x%02x; tgt's LUN 0 is its controller, the disk is LUN 1)",
			      lun_number(d), inq.peripheral_type);
	d->info.removable = (data[1] & 0x80) != 0;
	wb_strlcpy(d->info.vendor, inq.vendor, sizeof(d->info.vendor));
	wb_strlcpy(d->info.product, inq.product, sizeof(d->info.product));
	wb_strlcpy(d->info.revision, inq.revision, sizeof(d->info.revision));
	/* TEST UNIT READY: exec() waits while NOT READY (d->notready_ms), the
	   session retries UNIT ATTENTION, and we once more */
	for (int i = 0; i < 3; i++) {
		scsi_cdb_test_unit_ready(cdb);
		rc = exec1(d, "TEST UNIT READY", cdb, 6, NULL, 0);
		if (rc != -WB_EISCSISCSI || d->cmds[0].info.sense.key != SCSI_SENSE_UNIT_ATTENTION)
			break;
	}
	if (rc)
		return rc;
	/* READ CAPACITY(10), then (16) when the disk is too large for it */
	memset(data, 0, sizeof(data));
	scsi_cdb_read_capacity10(cdb);
	rc = exec1(d, "READ CAPACITY(10)", cdb, 10, data, 8);
	if (rc)
		return rc;
	what = "READ CAPACITY(10)";
	if (scsi_read_capacity10_overflow(data, 8)) {
		memset(data, 0, sizeof(data));
		scsi_cdb_read_capacity16(cdb);
		what = "READ CAPACITY(16)";
		rc = exec1(d, what, cdb, 16, data, 32);
		if (rc)
			return rc;
		rc = scsi_parse_read_capacity16(data, 32, &d->info.blocks, &d->info.block_size);
	} else {
		rc = scsi_parse_read_capacity10(data, 8, &d->info.blocks, &d->info.block_size);
	}
	if (rc == -WB_EISCSICAPACITY) {
		uint64_t last = d->info.blocks - 1;   /* what the target sent (wraps back) */

		d->info.blocks = 0;
		return seterr(d, rc, "%s on LUN %ld of %s: impossible capacity (last LBA %llu, block size %u: %s); check the target's LUN size",
			      what, lun_number(d), d->uri.target, (unsigned long long)last, d->info.block_size,
			      d->info.block_size == 0 || d->info.block_size > SCSI_BLOCK_SIZE_MAX ?
				      "block size 0 or over 1 MiB" : "more than 2^64 bytes");
	}
	if (rc)
		return seterr(d, rc, "READ CAPACITY on LUN %ld: malformed answer", lun_number(d));
	if (d->info.block_size < 512 || d->info.block_size > 65536 || (d->info.block_size & (d->info.block_size - 1)) ||
	    d->info.blocks == 0)
		return seterr(d, -WB_EISCSISCSI, "LUN %ld reports an unusable geometry (%llu blocks of %u bytes)",
			      lun_number(d), (unsigned long long)d->info.blocks, d->info.block_size);
	d->sess.block_size = d->info.block_size;
	/* MODE SENSE(6), all pages, DBD: byte 2 of the header has WP in bit 7
	   (SBC-3 §6.4.1).  Targets that refuse it are taken as writable. */
	memset(data, 0, sizeof(data));
	scsi_cdb_mode_sense6(cdb, 0x3f, 192);
	rc = exec1(d, "MODE SENSE(6)", cdb, 6, data, 192);
	if (rc == -WB_ESANGAVEUP || rc == -WB_ECANCELED || rc == -WB_ESANREISSUES || rc == -WB_ESANCMDTIMEOUT)
		return rc;
	d->info.read_only = rc == 0 && scsi_parse_mode_sense6_wp(data, 192) == 1;
	d->err[0] = '\0';
	return 0;
}

static const struct san_ops iscsi_ops;

int san_iscsi_open(const struct san_env *env, const struct san_iscsi_cfg *cfg, struct san_dev **out, char *msg,
		   size_t msgcap)
{
	struct san_iscsi *d;
	int rc;

	if (msg && msgcap)
		msg[0] = '\0';
	if (!env || !cfg || !out || !env->connect || !env->now_ms || !env->rng || !cfg->root_path ||
	    !cfg->initiator || !*cfg->initiator) {
		if (msg)
			wb_snprintf(msg, msgcap, "SAN: root path and initiator name are required");
		return -WB_EINVAL;
	}
	*out = NULL;
	d = plat_malloc(sizeof(*d));
	if (!d) {
		if (msg)
			wb_snprintf(msg, msgcap, "SAN: out of memory for the device");
		return -WB_ENOMEM;
	}
	memset(d, 0, sizeof(*d));
	d->env = *env;
	rc = dup_cfg(d, cfg);
	if (rc) {
		seterr(d, rc, "SAN: out of memory for the settings");
		goto err;
	}
	rc = iscsi_uri_parse(d->cfg.root_path, &d->uri);
	if (rc) {
		seterr(d, rc, "%s: %s", d->cfg.root_path, wb_strerror(rc));
		goto err;
	}
	wb_strlcpy(d->home_host, d->uri.server, sizeof(d->home_host));
	d->home_port = d->uri.port;
	rc = conn_login(d);
	if (rc)
		goto err;
	d->notready_ms = SAN_NOTREADY_MS;
	rc = probe(d);
	d->notready_ms = d->cfg.retry_ms;
	if (rc) {
		if (d->up)
			logout(d, 2000);
		goto err;
	}
	if (d->cfg.readahead > 1) {
		uint32_t cap = d->cfg.readahead - d->cfg.readahead % d->info.block_size;

		if (cap >= d->info.block_size) {
			d->ra = plat_malloc(cap);
			if (d->ra)
				d->ra_cap = cap;   /* no memory: simply no read-ahead */
		}
	}
	d->base.ops = &iscsi_ops;
	*out = &d->base;
	return 0;
err:
	if (msg)
		wb_snprintf(msg, msgcap, "%s", d->err[0] ? d->err : wb_strerror(rc));
	dev_free(d);
	return rc;
}

static const struct san_info *iscsi_info(const struct san_dev *b)
{
	return &((const struct san_iscsi *)b)->info;
}

static const struct san_stats *iscsi_stats(const struct san_dev *b)
{
	return &((const struct san_iscsi *)b)->st;
}

static const char *iscsi_error(const struct san_dev *b)
{
	return ((const struct san_iscsi *)b)->err;
}

/* ---- reads ------------------------------------------------------------------------------ */

static int check_range(struct san_iscsi *d, uint64_t lba, uint32_t nblocks, const void *buf, const char *what)
{
	if (!buf)
		return seterr(d, -WB_EINVAL, "SAN: %s without a buffer", what);
	if (lba >= d->info.blocks || nblocks > d->info.blocks - lba)
		return seterr(d, -WB_EINVAL, "SAN: %s of %u blocks at LBA %llu is beyond the end of the disk (%llu blocks)",
			      what, nblocks, (unsigned long long)lba, (unsigned long long)d->info.blocks);
	return 0;
}

/* read from / write to the target, split into commands of MaxBurstLength */
static int rw_direct(struct san_iscsi *d, uint64_t lba, uint32_t nblocks, uint8_t *rbuf, const uint8_t *wbuf)
{
	uint32_t bs = d->info.block_size, per;
	const char *what = wbuf ? "WRITE" : "READ";
	int rc;

	per = d->sess.max_burst / bs;
	if (per == 0)
		per = 1;
	if (per > 0xffff)
		per = 0xffff;
	while (nblocks) {
		unsigned n = 0;
		uint64_t first = lba;

		while (nblocks && n < SAN_CMDS) {
			uint32_t k = nblocks < per ? nblocks : per;
			uint8_t cdb[16];
			uint8_t cl;
			struct san_cmd *c = &d->cmds[n++];

			if (lba + k - 1 > 0xffffffffu) {
				if (wbuf)
					scsi_cdb_write16(cdb, lba, k);
				else
					scsi_cdb_read16(cdb, lba, k);
				cl = 16;
			} else {
				if (wbuf)
					scsi_cdb_write10(cdb, (uint32_t)lba, (uint16_t)k);
				else
					scsi_cdb_read10(cdb, (uint32_t)lba, (uint16_t)k);
				cl = 10;
			}
			if (wbuf) {
				cmd_set(c, cdb, cl, NULL, k * bs);
				c->wbuf = wbuf;
				wbuf += (size_t)k * bs;
			} else {
				cmd_set(c, cdb, cl, rbuf, k * bs);
				rbuf += (size_t)k * bs;
			}
			lba += k;
			nblocks -= k;
		}
		rc = exec(d, n);
		if (rc) {
			/* exec() said it all already */
			if (rc == -WB_ESANGAVEUP || rc == -WB_ECANCELED || rc == -WB_ESANREISSUES || rc == -WB_ESANCMDTIMEOUT)
				return rc;
			for (unsigned i = 0; i < n; i++) {
				const struct san_cmd *c = &d->cmds[i];

				if (c->result) {
					uint64_t at = first;

					for (unsigned j = 0; j < i; j++)
						at += d->cmds[j].len / bs;
					if (c->result == -WB_EISCSIRESIDUAL) {
						uint64_t clba;
						uint32_t cn;
						const char *name = cdb_range(c, &clba, &cn);
						char why[120];

						inexact_what(c, why, sizeof(why));
						return seterr(d, c->result, "iSCSI %s LBA %llu+%u: %s, again after a retry; check the target's LUN size/backing store",
							      name ? name : what, (unsigned long long)clba, cn, why);
					}
					if (c->result == -WB_EISCSISCSI)
						return seterr(d, c->result, "SAN: %s at LBA %llu failed: SCSI status 0x%02x, sense key 0x%x ASC/ASCQ 0x%02x/0x%02x (see the target's log)",
							      what, (unsigned long long)at, c->info.status, c->info.sense.key,
							      c->info.sense.asc, c->info.sense.ascq);
					if (c->result == -WB_ENOTREADY)
						return seterr(d, -WB_ESANNOTREADY, "SAN: %s at LBA %llu: LUN %ld stayed NOT READY for %u s: check the target's backing store",
							      what, (unsigned long long)at, lun_number(d), d->notready_ms / 1000);
					return seterr(d, c->result, "SAN: %s at LBA %llu failed: %s", what,
						      (unsigned long long)at, wb_strerror(c->result));
				}
			}
			return rc;
		}
	}
	return 0;
}

static int read_direct(struct san_iscsi *d, uint64_t lba, uint32_t nblocks, uint8_t *buf)
{
	return rw_direct(d, lba, nblocks, buf, NULL);
}

static int iscsi_read(struct san_iscsi *d, uint64_t lba, uint32_t nblocks, void *buf)
{
	uint32_t bs;
	uint8_t *out = buf;
	int rc, sequential, fetched = 0;

	if (!d)
		return -WB_EINVAL;
	if (nblocks == 0)
		return 0;
	rc = check_range(d, lba, nblocks, buf, "read");
	if (rc)
		return rc;
	bs = d->info.block_size;
	d->st.reads++;
	d->st.read_bytes += (uint64_t)nblocks * bs;
	sequential = d->seq_valid && lba == d->seq_next;
	d->seq_valid = 1;
	d->seq_next = lba + nblocks;
	if (!d->ra_cap || (uint64_t)nblocks * bs >= d->ra_cap)
		return read_direct(d, lba, nblocks, out);
	while (nblocks) {
		if (d->ra_blocks && lba >= d->ra_lba && lba < d->ra_lba + d->ra_blocks) {
			uint32_t k = (uint32_t)(d->ra_lba + d->ra_blocks - lba);

			if (k > nblocks)
				k = nblocks;
			memcpy(out, d->ra + (size_t)(lba - d->ra_lba) * bs, (size_t)k * bs);
			out += (size_t)k * bs;
			lba += k;
			nblocks -= k;
			continue;
		}
		if (!sequential && out == buf)
			return read_direct(d, lba, nblocks, out);
		/* sequential: fetch the window from here */
		{
			uint32_t w = d->ra_cap / bs;

			if (w > d->info.blocks - lba)
				w = (uint32_t)(d->info.blocks - lba);
			d->ra_blocks = 0;
			rc = read_direct(d, lba, w, d->ra);
			if (rc)
				return rc;
			d->ra_lba = lba;
			d->ra_blocks = w;
			d->st.readahead_fills++;
			fetched = 1;
		}
	}
	if (!fetched)
		d->st.readahead_hits++;   /* served without asking the target */
	return 0;
}

/* ---- writes, flush ------------------------------------------------------------------------ */

static int iscsi_write(struct san_iscsi *d, uint64_t lba, uint32_t nblocks, const void *buf)
{
	int rc;

	if (!d)
		return -WB_EINVAL;
	if (nblocks == 0)
		return 0;
	rc = check_range(d, lba, nblocks, buf, "write");
	if (rc)
		return rc;
	/* whatever happens, the read-ahead window may no longer match the disk */
	d->ra_blocks = 0;
	d->seq_valid = 0;
	if (d->info.read_only)
		return seterr(d, -WB_EROFS, "SAN: LUN %ld of %s is write-protected", lun_number(d), d->uri.target);
	d->st.writes++;
	d->st.write_bytes += (uint64_t)nblocks * d->info.block_size;
	return rw_direct(d, lba, nblocks, NULL, buf);
}

static int iscsi_flush(struct san_iscsi *d)
{
	uint8_t cdb[10];

	if (!d)
		return -WB_EINVAL;
	scsi_cdb_sync_cache10(cdb, 0, 0);   /* the whole medium (SBC-3 §5.22) */
	return exec1(d, "SYNCHRONIZE CACHE", cdb, 10, NULL, 0);
}

/* ---- idle service, close ------------------------------------------------------------------------ */

/* san_poll(): the reconnect attempt failed; the next one after a back-off */
static void poll_retry_later(struct san_iscsi *d)
{
	d->poll_backoff = d->poll_backoff ? d->poll_backoff * 2 : SAN_BACKOFF_MIN;
	if (d->poll_backoff > SAN_BACKOFF_MAX * 4)
		d->poll_backoff = SAN_BACKOFF_MAX * 4;
	d->next_try = now(d) + d->poll_backoff;
}

/* san_poll(): logged out at the target's request (or gave up waiting): in again at once */
static void poll_relogin(struct san_iscsi *d)
{
	lost(d, 0, "target requested a logout");
	d->async_logout = 0;
	d->plogout = 0;
	d->next_try = now(d);
}

/*
 * Never waits: the reconnect is the login machine (login_begin/login_step)
 * stepped once per call, attempts spaced by a back-off (250 ms doubling to
 * 16 s), each bounded by login_timeout_ms.  An idle device keeps trying (no
 * retry_ms: nothing is waiting for it); failed attempts are not logged (the
 * console belongs to the program running).  An Async logout request is
 * answered the same way: Logout sent, its answer awaited across calls (at
 * most 3 s), then the reconnect.
 */
static void iscsi_poll(struct san_iscsi *d)
{
	uint64_t t;
	int rc;

	if (!d)
		return;
	t = now(d);
	if (!d->up) {
		if (d->ls == LS_IDLE) {
			if (t < d->next_try)
				return;
			if (login_begin(d)) {
				poll_retry_later(d);
				return;
			}
		}
		rc = login_step(d);
		if (rc == 1) {
			d->st.reconnects++;
			d->st.retries += d->reissued;
			d->poll_backoff = 0;
			d->gave_up = 0;
			d->err[0] = '\0';
			dlog(d, "san: reconnected to %s:%u (idle)", d->info.host, d->info.port);
		} else if (rc < 0) {
			poll_retry_later(d);
		}
		return;
	}
	if (d->plogout) {
		/* the Async logout, waited for across calls */
		int idle;

		if (logout_check(d, d->plogout_tag, d->plogout_until, &idle) != 1)
			poll_relogin(d);
		return;
	}
	rc = pump(d);
	check_ping(d);
	t = now(d);
	if (rc >= 0 && d->async_logout) {
		long tag;

		dlog(d, "san: target asked us to log out (Async Message); logging out and in again");
		tag = iscsi_sess_logout(&d->sess);
		if (tag < 0) {
			d->fresh_needed = 1;
			poll_relogin(d);
			return;
		}
		d->logout_seen = 0;
		d->plogout = 1;
		d->plogout_tag = tag;
		d->plogout_until = t + 3000;
		pump(d);
		return;
	}
	if (rc < 0 || (d->ping_out && t > d->ping_at + d->cfg.io_timeout_ms)) {
		lost(d, rc, rc < 0 ? (d->async_drop ? "the target announced it drops the connection" : NULL) :
			"our NOP-Out ping was not answered");
		dlog(d, "san: connection lost (%s); reconnecting", d->why);
		d->next_try = now(d) + SAN_BACKOFF_MIN;
		return;
	}
	if (!d->ping_out && iscsi_sess_pending(&d->sess) == 0 && t >= d->last_rx + SAN_PING_IDLE_MS &&
	    t >= d->last_tx + SAN_PING_IDLE_MS) {
		long tag = iscsi_sess_ping(&d->sess);

		if (tag > 0) {
			d->ping_out = 1;
			d->ping_tag = tag;
			d->ping_at = t;
			d->st.nops_sent++;
			pump(d);
		}
	}
}

static int iscsi_close(struct san_iscsi *d, uint32_t timeout_ms)
{
	int rc = 0;

	if (!d)
		return 0;
	if (d->up) {
		rc = logout(d, timeout_ms ? timeout_ms : 1);
		if (rc)
			seterr(d, rc, "SAN: logout from %s: %s", d->uri.target,
			       rc == -WB_EISCSIPROTO ? "target refused the logout" : wb_strerror(rc));
	}
	dev_free(d);
	return rc;
}

/* ---- the common calls (san.h) ------------------------------------------------------------- */

static int op_read(struct san_dev *b, uint64_t lba, uint32_t n, void *buf)
{
	return iscsi_read((struct san_iscsi *)b, lba, n, buf);
}

static int op_write(struct san_dev *b, uint64_t lba, uint32_t n, const void *buf)
{
	return iscsi_write((struct san_iscsi *)b, lba, n, buf);
}

static int op_flush(struct san_dev *b) { return iscsi_flush((struct san_iscsi *)b); }
static void op_poll(struct san_dev *b) { iscsi_poll((struct san_iscsi *)b); }
static int op_close(struct san_dev *b, uint32_t ms) { return iscsi_close((struct san_iscsi *)b, ms); }

static const struct san_ops iscsi_ops = {
	.read = op_read,
	.write = op_write,
	.flush = op_flush,
	.poll = op_poll,
	.close = op_close,
	.info = iscsi_info,
	.stats = iscsi_stats,
	.error = iscsi_error,
};
