/*
 * tftp_client.c — TFTP read (see tftp_client.h).
 *
 *   RRQ ──▶ first reply from the server's address (its port is the transfer
 *   │       ID from then on, RFC 1350 §4)
 *   ├─ OACK (RFC 2347): agreed blksize/windowsize/tsize; ACK 0
 *   ├─ DATA 1: the server ignored the options: 512-byte blocks, window 1
 *   ├─ ERROR 8 (options refused): RRQ again without options (once)
 *   └─ ERROR n: fail with the server's code and text
 *   DATA phase: block expect = last+1 (16 bits, wraps 65535 → 0)
 *     in order   deliver; ACK after each window of blocks (RFC 7440 §4) and
 *                on the last, short block (then done)
 *     ahead      a block was lost: ACK the last in-order block once, so the
 *                server sends the window again from there (RFC 7440 §4)
 *     behind     a duplicate (our ACK was lost): ACK the last block once
 *   nothing for RTO: send the last RRQ/ACK again; RTO doubles (1 s … 8 s)
 *   nothing delivered for timeout_ms: give up.
 * A datagram from another address or port gets ERROR 5 back and is not
 * looked at (RFC 1350 §4).  Sends from here are best effort: a lost ACK is
 * repaired by the timers on either side.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"
#include "proto/tftp_client.h"
#include "proto/uri.h"

struct tftp_xfer {
	const struct tftp_env *env;
	struct tftp_get *g;
	struct dgram *d;
	uint8_t ip[4];
	uint16_t port;          /* 69 or the URI's: where requests go */
	uint16_t tid;           /* the server's port once known, else 0 */
	char file[TFTP_FILENAME_MAX + 1];
	struct tftp_opts ask;   /* what the RRQ asks for (present = 0: nothing) */
	int data_phase;
	uint32_t blksize, window;
	uint64_t blocks;        /* in-order blocks received */
	uint32_t in_window;     /* blocks since our last ACK */
	int nacked;             /* an ACK for an unexpected block was sent since the last progress */
	uint8_t last[4 + 2 + TFTP_FILENAME_MAX + 1 + 6 + 80];   /* the last RRQ/ACK, for retransmission */
	size_t last_len;
	uint16_t last_port;
	uint64_t t_progress, t_next, t_start, t_print;
	uint32_t rto;
	int printed;
};

static void tftp_progress(struct tftp_xfer *x, int final)
{
	struct tftp_get *g = x->g;
	uint64_t now = x->env->now_ms(), ms = now - x->t_start;
	char got[32], total[32], rate[32], line[160];

	if (!g->progress || !x->env->print)
		return;
	if (!final && now - x->t_print < 1000)
		return;
	if (final && !x->printed && g->received < 1024 * 1024)
		return;   /* a short, small download gets no progress at all */
	x->t_print = now;
	x->printed = 1;
	wb_fmt_size(got, sizeof(got), g->received);
	wb_fmt_size(rate, sizeof(rate), ms ? g->received * 1000 / ms : 0);
	if (g->tsize != UINT64_MAX && g->tsize) {
		wb_fmt_size(total, sizeof(total), g->tsize);
		wb_snprintf(line, sizeof(line), "tftp: %s of %s (%u%%) at %s/s%s", got, total,
			    (unsigned)(g->received * 100 / g->tsize), rate, final ? ", done" : "");
	} else {
		wb_snprintf(line, sizeof(line), "tftp: %s at %s/s%s", got, rate,
			    final ? ", done" : "");
	}
	x->env->print(line);
}

/* tftp://host[:port]/path → x->ip, port, file */
static int tftp_parse_url(struct tftp_xfer *x, const char *url)
{
	struct uri u;
	const char *p;
	int rc;

	if (!url)
		return -WB_ETFTPURI;
	rc = uri_parse(url, &u);
	if (rc)
		return rc;
	if (!u.scheme || strcmp(u.scheme, "tftp") || !u.host || !u.host[0] || u.user ||
	    u.query) {
		uri_free(&u);
		return -WB_ETFTPURI;
	}
	x->port = u.has_port ? u.port : TFTP_PORT;
	p = u.path[0] == '/' ? u.path + 1 : u.path;
	rc = uri_pct_decode(p, strlen(p), x->file, sizeof(x->file));
	if (rc == -WB_ETOOBIG || rc == 0)
		rc = -WB_ETFTPNAME;
	if (rc > 0 && x->port == 0)
		rc = -WB_ETFTPURI;
	if (rc > 0)
		rc = x->env->resolve(x->env->arg, u.host, x->ip);
	uri_free(&u);
	return rc > 0 ? 0 : rc;
}

/* send (and keep, for retransmission) a packet to the server */
static int tftp_send_keep(struct tftp_xfer *x, const uint8_t *pkt, size_t len, uint16_t port)
{
	uint64_t now = x->env->now_ms();

	memcpy(x->last, pkt, len);
	x->last_len = len;
	x->last_port = port;
	x->t_next = now + x->rto;
	return dgram_send(x->d, x->ip, port, pkt, len);
}

static int tftp_send_ack(struct tftp_xfer *x, uint16_t block)
{
	uint8_t pkt[4];

	tftp_build_ack(pkt, sizeof(pkt), block);
	return tftp_send_keep(x, pkt, 4, x->tid);
}

/* an ERROR to @ip:@port (best effort: the transfer ends or goes on regardless) */
static void tftp_send_error(struct tftp_xfer *x, const uint8_t ip[4], uint16_t port,
			    uint16_t code, const char *msg)
{
	uint8_t pkt[64];
	int n = tftp_build_error(pkt, sizeof(pkt), code, msg);

	if (n > 0 && port)
		dgram_send(x->d, ip, port, pkt, (size_t)n);
}

static int tftp_send_rrq(struct tftp_xfer *x)
{
	uint8_t pkt[sizeof(x->last)];
	int n = tftp_build_rrq(pkt, sizeof(pkt), x->file, x->ask.present ? &x->ask : NULL);

	if (n < 0)
		return n;
	x->tid = 0;
	return tftp_send_keep(x, pkt, (size_t)n, x->port);
}

static int tftp_server_error(struct tftp_xfer *x, const struct tftp_pkt *p)
{
	struct tftp_get *g = x->g;

	g->err_code = p->err_code;
	wb_strlcpy(g->err_msg, p->err_msg, sizeof(g->err_msg));
	g->server_error = 1;
	switch (p->err_code) {
	case TFTP_ERR_NOTFOUND:
		return -WB_ETFTPNOTFOUND;
	case TFTP_ERR_ACCESS:
		return -WB_ETFTPACCESS;
	default:
		return -WB_ETFTPSERVER;
	}
}

/* the OACK answering our RRQ: only what we asked, never more than we asked */
static int tftp_on_oack(struct tftp_xfer *x, const struct tftp_pkt *p)
{
	const struct tftp_opts *o = &p->opts;
	struct tftp_get *g = x->g;

	if (p->unknown_opts || (o->present & ~x->ask.present) ||
	    ((o->present & TFTP_OPT_BLKSIZE) && o->blksize > x->ask.blksize) ||
	    ((o->present & TFTP_OPT_WINDOW) && o->windowsize > x->ask.windowsize)) {
		tftp_send_error(x, x->ip, x->tid, TFTP_ERR_OPTION, "option not asked for");
		return -WB_ETFTPOACK;
	}
	x->blksize = (o->present & TFTP_OPT_BLKSIZE) ? o->blksize : TFTP_BLKSIZE_DEFAULT;
	x->window = (o->present & TFTP_OPT_WINDOW) ? o->windowsize : 1;
	if (o->present & TFTP_OPT_TSIZE)
		g->tsize = o->tsize;
	g->oack = 1;
	x->data_phase = 1;
	return tftp_send_ack(x, 0);
}

static int tftp_on_data(struct tftp_xfer *x, const struct tftp_pkt *p, uint64_t now)
{
	struct tftp_get *g = x->g;
	uint16_t expect = (uint16_t)(x->blocks + 1);
	int rc, done = 0;

	if (!x->data_phase) {   /* DATA without OACK: RFC 1350 defaults */
		x->blksize = TFTP_BLKSIZE_DEFAULT;
		x->window = 1;
		x->data_phase = 1;
	}
	if (p->block != expect) {
		if ((uint16_t)(p->block - expect) < 0x8000)
			g->out_of_order++;
		else
			g->dups++;
		if (!x->nacked && (x->blocks || g->oack)) {
			x->nacked = 1;
			x->in_window = 0;
			return tftp_send_ack(x, (uint16_t)x->blocks);
		}
		return 0;
	}
	if (p->data_len > x->blksize) {
		tftp_send_error(x, x->ip, x->tid, TFTP_ERR_ILLEGAL, "block too large");
		return -WB_ETFTPBLOCK;
	}
	if (g->tsize != UINT64_MAX && g->received + p->data_len > g->tsize) {
		tftp_send_error(x, x->ip, x->tid, TFTP_ERR_UNDEF, "more data than tsize");
		return -WB_ETFTPSIZE;
	}
	x->blocks++;
	x->nacked = 0;
	x->t_progress = now;
	x->rto = TFTP_RTO_MS;
	x->t_next = now + x->rto;   /* the window is moving: no retransmission yet */
	/* ACK first, store after: the server prepares the next window meanwhile */
	if (p->data_len < x->blksize) {   /* the last block */
		tftp_send_ack(x, p->block);
		done = 1;
	} else if (++x->in_window >= x->window) {
		x->in_window = 0;
		rc = tftp_send_ack(x, p->block);
		if (rc)
			return rc;
	}
	if (g->sink && p->data_len) {
		rc = g->sink(g->sink_arg, p->data, p->data_len);
		if (rc < 0) {
			tftp_send_error(x, x->ip, x->tid, TFTP_ERR_DISKFULL, "cannot store the data");
			return rc;
		}
	}
	g->received += p->data_len;
	tftp_progress(x, 0);
	if (done && g->tsize != UINT64_MAX && g->received != g->tsize)
		return -WB_ETFTPSIZE;
	return done;
}

/* one datagram from the server's address; 1: transfer complete */
static int tftp_on_packet(struct tftp_xfer *x, const uint8_t *buf, size_t len,
			  const uint8_t ip[4], uint16_t port, uint64_t now)
{
	struct tftp_get *g = x->g;
	struct tftp_pkt p;
	int rc;

	if (memcmp(ip, x->ip, 4) || (x->tid && port != x->tid)) {
		g->foreign++;
		if (len < 2 || buf[0] || buf[1] != TFTP_ERROR)   /* never an ERROR for an ERROR */
			tftp_send_error(x, ip, port, TFTP_ERR_TID, "unknown transfer ID");
		return 0;
	}
	rc = tftp_parse(buf, len, &p);
	if (rc) {
		tftp_send_error(x, ip, port, TFTP_ERR_ILLEGAL, "malformed packet");
		return rc;
	}
	if (p.op == TFTP_ERROR) {
		if (!x->data_phase && p.err_code == TFTP_ERR_OPTION && x->ask.present &&
		    !g->fallback) {
			/* options refused (RFC 2347): ask again plainly */
			g->fallback = 1;
			x->ask.present = 0;
			return tftp_send_rrq(x);
		}
		return tftp_server_error(x, &p);
	}
	if (!x->tid)
		x->tid = port;
	switch (p.op) {
	case TFTP_OACK:
		if (!x->data_phase) {
			if (!x->ask.present) {   /* an OACK to a request without options */
				tftp_send_error(x, ip, port, TFTP_ERR_OPTION, "no options were asked");
				return -WB_ETFTPOACK;
			}
			x->t_progress = now;
			return tftp_on_oack(x, &p);
		}
		if (g->oack && !x->blocks)   /* our ACK 0 was lost: the OACK came again */
			return tftp_send_ack(x, 0);
		return 0;
	case TFTP_DATA:
		return tftp_on_data(x, &p, now);
	default:
		tftp_send_error(x, ip, port, TFTP_ERR_ILLEGAL, "unexpected opcode");
		return -WB_ETFTPOPCODE;
	}
}

static int tftp_run(struct tftp_xfer *x, uint8_t *buf, size_t cap)
{
	const struct tftp_env *env = x->env;
	struct tftp_get *g = x->g;
	uint32_t timeout = g->timeout_ms ? g->timeout_ms : TFTP_TIMEOUT_MS;
	int rc = tftp_send_rrq(x);

	if (rc)
		return rc;
	for (;;) {
		uint64_t now = env->now_ms();
		uint8_t ip[4];
		uint16_t port = 0;
		int n;

		if (env->cancel && env->cancel()) {
			tftp_send_error(x, x->ip, x->tid, TFTP_ERR_UNDEF, "cancelled");
			return -WB_ECANCELED;
		}
		if (now - x->t_progress >= timeout) {
			tftp_send_error(x, x->ip, x->tid, TFTP_ERR_UNDEF, "timed out");
			return -WB_ETFTPTIMEOUT;
		}
		if (now >= x->t_next) {   /* retransmit, back off */
			g->retransmits++;
			x->rto = x->rto * 2 > TFTP_RTO_MAX_MS ? TFTP_RTO_MAX_MS : x->rto * 2;
			x->t_next = now + x->rto;
			if (dgram_send(x->d, x->ip, x->last_port, x->last, x->last_len) == -WB_ENOMEM)
				return -WB_ENOMEM;
		}
		n = dgram_recv(x->d, buf, cap, ip, &port);
		if (n == -WB_EAGAIN) {
			uint64_t until = x->t_next < x->t_progress + timeout ? x->t_next
									       : x->t_progress + timeout;

			dgram_wait(x->d, until > now ? (uint32_t)(until - now < 10 ? until - now : 10) : 0);
			continue;
		}
		if (n < 0)
			return n;
		rc = tftp_on_packet(x, buf, (size_t)n, ip, port, now);
		if (rc)
			return rc < 0 ? rc : 0;
	}
}

int tftp_client_get(const struct tftp_env *env, struct tftp_get *g)
{
	struct tftp_xfer *x;
	uint8_t *buf = NULL;
	size_t cap;
	int rc;

	g->received = 0;
	g->tsize = UINT64_MAX;
	g->used_blksize = g->used_window = 0;
	g->oack = g->fallback = g->server_error = 0;
	g->err_code = 0;
	g->err_msg[0] = 0;
	g->retransmits = g->dups = g->out_of_order = g->foreign = 0;
	if ((g->blksize && (g->blksize < TFTP_BLKSIZE_MIN || g->blksize > TFTP_BLKSIZE_MAX)) ||
	    g->windowsize > TFTP_WINDOW_MAX)
		return -WB_EINVAL;
	x = plat_malloc(sizeof(*x));
	if (!x)
		return -WB_ENOMEM;
	memset(x, 0, sizeof(*x));
	x->env = env;
	x->g = g;
	rc = tftp_parse_url(x, g->url);
	if (rc)
		goto out;
	if (!g->no_options) {
		x->ask.present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE;
		x->ask.blksize = g->blksize ? g->blksize : TFTP_BLKSIZE_ASK;
		x->ask.tsize = 0;
		x->ask.windowsize = g->windowsize ? g->windowsize : TFTP_WINDOW_ASK;
		if (x->ask.windowsize > 1)
			x->ask.present |= TFTP_OPT_WINDOW;
	}
	/* room for the largest block we may agree to, +1 to see a longer one */
	cap = (x->ask.blksize > TFTP_BLKSIZE_DEFAULT ? x->ask.blksize : TFTP_BLKSIZE_DEFAULT) + 5;
	if (cap < 600)
		cap = 600;
	buf = plat_malloc(cap);
	if (!buf) {
		rc = -WB_ENOMEM;
		goto out;
	}
	rc = env->open(env->arg, &x->d);
	if (rc)
		goto out;
	x->rto = TFTP_RTO_MS;
	x->t_start = x->t_progress = x->t_print = env->now_ms();
	rc = tftp_run(x, buf, cap);
	g->used_blksize = x->blksize;
	g->used_window = x->window;
	if (!rc)
		tftp_progress(x, 1);
	dgram_close(x->d);
out:
	plat_free(buf);
	plat_free(x);
	return rc;
}
