/*
 * san_http.c — a read-only block device over HTTP(S) range requests
 * (san_http.h).
 *
 * How this works.  Every read goes through one window buffer: a read that
 * is not inside the window's valid bytes fetches a new window (starting at
 * the read, aligned down to a manifest chunk when there is a manifest,
 * extended by the read-ahead when the read continues the previous one),
 * then copies out.  A fetch splits the window into pieces of request_size
 * bytes and keeps up to `depth` of them in flight as `Range: bytes=a-b`
 * GETs spread over up to `connections` keep-alive connections, each
 * connection a FIFO of pipelined requests (RFC 9112 §9.3.2: responses come
 * back in request order).  The sans-I/O parser (proto/http.c) is fed from
 * each connection's receive buffer; a response's body goes straight into
 * its place in the window.
 *
 * Per response (RFC 9110 §14, §15.3.7):
 *
 *     headers  → 206?  Content-Range exactly first-last/size?  same ETag and
 *                Last-Modified as the probe?  Content-Length = range?
 *                (no → integrity failure: the read fails at once, message
 *                names the byte range, the window is discarded)
 *     body     → exactly last-first+1 bytes into the window
 *     done     → next response on the connection (or close it when the
 *                server said Connection: close: the rest is reissued)
 *
 * Transport failures — the connection dropped, closed mid-body, or silent
 * for io_timeout_ms — close that connection and put its requests back to
 * be sent again (over a new connection, connected lazily with back-off).
 * The request whose answer was under way (or any request on a fresh
 * connection) counts a reissue: more than max_reissues fails the read
 * (-WB_ESANHTTPSHORT), as does a fetch taking longer than cmd_timeout_ms.
 * A request dropped on a kept-alive connection before any byte of its
 * answer (the server timed the idle connection out) is reissued free.
 *
 * With a manifest every chunk of the window is checked (wbmap_check)
 * after the whole window arrived and before any byte is copied out.
 * Nothing here blocks outside san_read(); san_poll() only closes idle
 * connections the server has closed.
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
#include "proto/http.h"
#include "proto/http_client.h"
#include "proto/uri.h"
#include "san/san.h"
#include "san/san_http.h"
#include "san/wbmap.h"

#define SH_BS          512u
#define SH_REQ_MAX     32u          /* most requests in flight (cfg.depth cap) */
#define SH_TX          8192u        /* request heads queued per connection */
#define SH_RX          16384u
#define SH_HEAD_MAX    (URI_MAX + 1024u)
#define SH_BACKOFF_MIN 100u
#define SH_BACKOFF_MAX 2000u
#define SH_REDIRECTS   5            /* as the HTTP client (RFC 9110 §15.4) */
#define SH_REDIRECT    (-WB_EHTTPREDIRMAX)   /* internal: the probe was redirected (loc set) */

struct sh_req {
	int used;                       /* slot holds a piece of the current fetch */
	int queued;                     /* on a connection's FIFO */
	int done;                       /* answered and checked */
	int probe;
	uint64_t first, last;           /* byte range asked */
	uint8_t *dst;
	uint32_t want, got;
	uint32_t reissues;
};

struct sh_conn {
	struct stream *s;
	int open;                       /* connected (TLS handshake included) */
	int lost_before;                /* a reconnect counts in stats */
	uint64_t opened_at, last_rx, next_try;
	uint32_t backoff;
	uint8_t q[SH_REQ_MAX];          /* request slots, in the order sent */
	unsigned qn, qbuilt;            /* queued; heads already written into tx */
	uint32_t served;                /* responses completed on this connection */
	int parsing;                    /* a response is under way */
	int saw_bytes;                  /* bytes of the head request's answer arrived */
	uint8_t tx[SH_TX];
	size_t txlen, txoff;
	uint8_t rx[SH_RX];
	size_t rpos, rlen;
	struct http_parser p;
};

struct san_http {
	struct san_dev base;
	struct san_env env;
	struct san_http_cfg cfg;
	struct uri uri;
	char shown[256];                /* the URL for messages: no user info, no query */
	int tls;
	uint16_t port;
	struct san_info info;
	struct san_stats st;
	char err[SAN_MSG_MAX];
	uint64_t size;
	int opening;
	char etag[HTTP_VALIDATOR_MAX], lastmod[HTTP_VALIDATOR_MAX];
	char loc[HTTP_LOCATION_MAX];    /* the probe's redirect target, "" when none */
	int loc_status;

	unsigned nconn, depth;
	uint32_t req_size, align, max_reissues;
	struct sh_conn *conn[SAN_HTTP_CONN_MAX];
	struct sh_req req[SH_REQ_MAX];
	struct sh_req *cur;             /* the request whose body the parser is delivering */

	/* the fetch under way */
	uint64_t f_next, f_end;         /* pieces not yet given a slot */
	uint64_t io_start, last_progress;
	uint8_t *f_base;                /* window byte of f_start */
	uint64_t f_start;

	uint8_t *win;
	uint32_t win_cap, win_len;
	uint64_t win_off;
	uint32_t ra;
	uint64_t seq_next;
	int seq_valid;
};

/* ---- small helpers ----------------------------------------------------------------- */

static uint64_t now(const struct san_http *d) { return d->env.now_ms(); }

#define dlog(d, ...) san_env_log(&(d)->env, __VA_ARGS__)

static int seterr(struct san_http *d, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int seterr(struct san_http *d, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wb_vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return rc;
}

static void step(struct san_http *d)
{
	if (d->env.poller.poll)
		d->env.poller.poll(d->env.poller.arg);
}

static unsigned slot(const struct san_http *d, const struct sh_req *r) { return (unsigned)(r - d->req); }

/* ---- connections ------------------------------------------------------------------------ */

static void conn_reset(struct sh_conn *c)
{
	if (c->s)
		stream_close(c->s);
	c->s = NULL;
	c->open = 0;
	c->qn = c->qbuilt = 0;
	c->parsing = 0;
	c->saw_bytes = 0;
	c->txlen = c->txoff = 0;
	c->rpos = c->rlen = 0;
	c->served = 0;
}

/* put every request of @c back to be sent again; close @c */
static void conn_requeue(struct san_http *d, struct sh_conn *c)
{
	unsigned i;

	for (i = 0; i < c->qn; i++) {
		struct sh_req *r = &d->req[c->q[i]];

		r->queued = 0;
		r->got = 0;
		d->st.retries++;
	}
	conn_reset(c);
}

static void close_all(struct san_http *d)
{
	unsigned i;

	for (i = 0; i < d->nconn; i++)
		if (d->conn[i])
			conn_reset(d->conn[i]);
	for (i = 0; i < SH_REQ_MAX; i++)
		d->req[i].used = d->req[i].queued = 0;
	d->cur = NULL;
}

static const char *range_txt(const struct sh_req *r, char *buf, size_t cap)
{
	wb_snprintf(buf, cap, "bytes %llu-%llu", (unsigned long long)r->first, (unsigned long long)r->last);
	return buf;
}

/*
 * The connection broke (EOF, error, silence).  The request whose answer was
 * coming counts a reissue — also the first request on a connection that
 * never answered anything; requests only waiting behind it go back free.
 * @return 0 or the failure when a request was reissued too often.
 */
static int conn_lost(struct san_http *d, struct sh_conn *c, const char *why)
{
	char rt[64];

	if (c->qn) {
		struct sh_req *r = &d->req[c->q[0]];

		if (c->saw_bytes || c->served == 0) {
			if (r->reissues >= d->max_reissues) {
				if (r->probe)
					return seterr(d, -WB_ESANHTTPSHORT, "HTTP SAN: GET %s: %s", d->shown, why);
				return seterr(d, -WB_ESANHTTPSHORT,
					      "HTTP SAN: %s of %s: %s; given up after %u reissues (san-retries)",
					      range_txt(r, rt, sizeof(rt)), d->shown, why, r->reissues);
			}
			r->reissues++;
		}
		dlog(d, "san: %s: %s; reconnecting", d->shown, why);
	}
	/* a connection that served answers is reopened at once (servers close
	   kept-alive connections after N requests); one that never did waits */
	c->next_try = now(d) + (c->served ? 0 : SH_BACKOFF_MIN);
	conn_requeue(d, c);
	c->lost_before = 1;
	return 0;
}

static int status_rc(int status)
{
	switch (status) {
	case 401: return -WB_EHTTPAUTH;
	case 403: return -WB_EHTTPFORBIDDEN;
	case 404: return -WB_EHTTPNOTFOUND;
	}
	if (status >= 400 && status < 500)
		return -WB_EHTTPCLIENT;
	if (status >= 500 && status < 600)
		return -WB_EHTTPSERVER;
	return -WB_EHTTPUNEXPECTED;
}

/* the response's header for request @r: exactness checks */
static int check_headers(struct san_http *d, struct sh_conn *c, struct sh_req *r)
{
	const struct http_parser *p = &c->p;
	char rt[64];

	range_txt(r, rt, sizeof(rt));
	if (r->probe && (p->status == 301 || p->status == 302 || p->status == 303 || p->status == 307 ||
			 p->status == 308)) {
		if (!p->location[0])
			return seterr(d, -WB_EHTTPNOLOCATION, "HTTP SAN: GET %s: redirect %d without a usable Location",
				      d->shown, p->status);
		wb_strlcpy(d->loc, p->location, sizeof(d->loc));
		d->loc_status = p->status;
		return SH_REDIRECT;
	}
	if (p->status == 200)
		return seterr(d, -WB_ESANHTTPNORANGE,
			      "HTTP SAN: %s of %s: the server answered 200 (the whole file) instead of 206: it does not serve byte ranges; refused",
			      rt, d->shown);
	if (p->status != 206)
		return seterr(d, status_rc(p->status), "HTTP SAN: GET %s (%s): server answered %d %s", d->shown, rt,
			      p->status, p->reason);
	if (!p->has_range || p->range_first != r->first || p->range_last != r->last)
		return seterr(d, -WB_ESANHTTPRANGE,
			      "HTTP SAN: asked %s of %s, the server answered %s%llu-%llu; refused, no data used", rt,
			      d->shown, p->has_range ? "bytes " : "no Content-Range, ",
			      (unsigned long long)p->range_first, (unsigned long long)p->range_last);
	if (r->probe) {
		if (p->range_total == UINT64_MAX)
			return seterr(d, -WB_ESANHTTPSIZE,
				      "HTTP SAN: %s: the server does not tell the image size (Content-Range total \"*\")",
				      d->shown);
		d->size = p->range_total;
		wb_strlcpy(d->etag, p->etag, sizeof(d->etag));
		wb_strlcpy(d->lastmod, p->last_modified, sizeof(d->lastmod));
	} else {
		if (p->range_total != d->size)
			return seterr(d, -WB_ESANHTTPCHANGED,
				      "HTTP SAN: %s of %s: the image size changed from %llu to %llu bytes; refused, no data used",
				      rt, d->shown, (unsigned long long)d->size, (unsigned long long)p->range_total);
		if (strcmp(p->etag, d->etag))
			return seterr(d, -WB_ESANHTTPCHANGED,
				      "HTTP SAN: %s of %s: the ETag changed (%s, was %s): the image changed on the server; refused, no data used",
				      rt, d->shown, p->etag[0] ? p->etag : "none", d->etag[0] ? d->etag : "none");
		if (strcmp(p->last_modified, d->lastmod))
			return seterr(d, -WB_ESANHTTPCHANGED,
				      "HTTP SAN: %s of %s: Last-Modified changed (%s, was %s): the image changed on the server; refused, no data used",
				      rt, d->shown, p->last_modified[0] ? p->last_modified : "none",
				      d->lastmod[0] ? d->lastmod : "none");
	}
	if (p->framing == HTTP_BODY_LENGTH && p->content_length != r->want)
		return seterr(d, -WB_ESANHTTPRANGE,
			      "HTTP SAN: %s of %s: Content-Length %llu for a range of %u bytes; refused", rt, d->shown,
			      (unsigned long long)p->content_length, r->want);
	return 0;
}

static int on_body(void *arg, const uint8_t *data, size_t len)
{
	struct san_http *d = arg;
	struct sh_req *r = d->cur;
	char rt[64];

	if (!r || len > r->want - r->got)
		return seterr(d, -WB_ESANHTTPRANGE, "HTTP SAN: %s of %s: the body is longer than the range; refused",
			      r ? range_txt(r, rt, sizeof(rt)) : "?", d->shown);
	memcpy(r->dst + r->got, data, len);
	r->got += (uint32_t)len;
	return 0;
}

/* a response ended: exactly the asked length? */
static int finish(struct san_http *d, struct sh_conn *c, struct sh_req *r)
{
	char rt[64];

	if (r->got != r->want)
		return seterr(d, -WB_ESANHTTPSHORT, "HTTP SAN: %s of %s: the body has %u bytes, the range %u; refused",
			      range_txt(r, rt, sizeof(rt)), d->shown, r->got, r->want);
	r->done = 1;
	r->queued = 0;
	memmove(c->q, c->q + 1, c->qn - 1);
	c->qn--;
	c->qbuilt--;
	c->served++;
	c->parsing = 0;
	c->saw_bytes = 0;
	d->last_progress = now(d);
	return 0;
}

/* feed what @c received to the parser; <0 = integrity/protocol failure (fatal) */
static int conn_parse(struct san_http *d, struct sh_conn *c)
{
	while (c->rpos < c->rlen) {
		struct sh_req *r;
		size_t used = 0;
		int rc;

		if (!c->qn)
			return 1;   /* bytes nobody asked for: drop the connection */
		r = &d->req[c->q[0]];
		if (!c->parsing) {
			http_parser_init(&c->p, 0, on_body, d);
			c->parsing = 1;
		}
		c->saw_bytes = 1;
		d->cur = r;
		rc = http_parser_feed(&c->p, c->rx + c->rpos, c->rlen - c->rpos, &used);
		d->cur = NULL;
		c->rpos += used;
		if (rc == HTTP_HEADERS) {
			rc = check_headers(d, c, r);
			if (rc)
				return rc;
		} else if (rc == HTTP_DONE) {
			int keep = c->p.keep_alive;

			rc = finish(d, c, r);
			if (rc)
				return rc;
			if (!keep) {
				/* the server closes after this answer: the rest go again, free */
				conn_requeue(d, c);
				return 0;
			}
		} else if (rc < 0) {
			char rt[64];

			if (rc == -WB_ESANHTTPRANGE)
				return rc;   /* on_body said why */
			return seterr(d, rc, "HTTP SAN: %s of %s: bad response: %s", range_txt(r, rt, sizeof(rt)),
				      d->shown, wb_strerror(rc));
		}
	}
	c->rpos = c->rlen = 0;
	return 0;
}

static int build_head(struct san_http *d, struct sh_conn *c, struct sh_req *r)
{
	char head[SH_HEAD_MAX];
	struct http_request rq;
	int n;

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.uri = &d->uri;
	rq.has_range = 1;
	rq.range_first = r->first;
	rq.range_last = r->last;
	rq.user_agent = d->cfg.user_agent;
	n = http_build_request(&rq, head, sizeof(head));
	if (n < 0)
		return seterr(d, n, "HTTP SAN: cannot build the request for %s: %s", d->shown, wb_strerror(n));
	if ((size_t)n > SH_TX - c->txlen)
		return 0;   /* later, when tx has room */
	memcpy(c->tx + c->txlen, head, (size_t)n);
	c->txlen += (size_t)n;
	d->st.commands++;
	return 1;
}

static int conn_connect(struct san_http *d, struct sh_conn *c)
{
	int rc;

	if (now(d) < c->next_try)
		return 0;
	rc = d->tls ? d->env.connect_tls(d->env.arg, d->uri.host, d->port, &c->s)
		    : d->env.connect(d->env.arg, d->uri.host, d->port, &c->s);
	if (rc) {
		c->s = NULL;
		if (d->opening)
			return seterr(d, rc, "HTTP SAN: cannot connect to %s port %u: %s", d->uri.host, d->port,
				      wb_strerror(rc));
		c->backoff = c->backoff ? c->backoff * 2 : SH_BACKOFF_MIN;
		if (c->backoff > SH_BACKOFF_MAX)
			c->backoff = SH_BACKOFF_MAX;
		c->next_try = now(d) + c->backoff;
		dlog(d, "san: cannot connect to %s port %u: %s", d->uri.host, d->port, wb_strerror(rc));
		return 0;
	}
	c->open = 0;
	c->opened_at = c->last_rx = now(d);
	return 0;
}

/* one connection's I/O step; <0 fatal */
static int conn_pump(struct san_http *d, struct sh_conn *c)
{
	enum stream_state st;
	int rc;

	if (!c->s) {
		if (!c->qn)
			return 0;
		rc = conn_connect(d, c);
		if (rc || !c->s)
			return rc;
	}
	st = stream_state(c->s);
	if (!c->open) {
		if (st == STREAM_CONNECTING) {
			if (now(d) - c->opened_at > d->cfg.connect_timeout_ms) {
				if (d->opening)
					return seterr(d, -WB_EHTTPCONNTIMEOUT, "HTTP SAN: connect to %s port %u timed out",
						      d->uri.host, d->port);
				return conn_lost(d, c, "connect timed out");
			}
			return 0;
		}
		if (st != STREAM_OPEN) {
			rc = stream_error(c->s);
			if (d->opening)
				return seterr(d, rc ? rc : -WB_ECLOSED, "HTTP SAN: cannot connect to %s port %u: %s",
					      d->uri.host, d->port, wb_strerror(rc ? rc : -WB_ECLOSED));
			return conn_lost(d, c, "connect failed");
		}
		c->open = 1;
		c->backoff = 0;
		c->last_rx = now(d);
		if (c->lost_before) {
			d->st.reconnects++;
			c->lost_before = 0;
		}
	}
	/* request heads */
	while (c->qbuilt < c->qn) {
		rc = build_head(d, c, &d->req[c->q[c->qbuilt]]);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		c->qbuilt++;
	}
	while (c->txoff < c->txlen) {
		rc = stream_send(c->s, c->tx + c->txoff, c->txlen - c->txoff);
		if (rc < 0)
			return conn_lost(d, c, "the connection was lost");
		if (rc == 0)
			break;
		c->txoff += (size_t)rc;
	}
	if (c->txoff == c->txlen)
		c->txoff = c->txlen = 0;
	/* answers */
	for (;;) {
		if (c->rpos == c->rlen) {
			c->rpos = c->rlen = 0;
			rc = stream_recv(c->s, c->rx, sizeof(c->rx));
			if (rc == 0)
				break;
			if (rc < 0) {
				if (c->parsing && c->qn && c->p.framing == HTTP_BODY_CLOSE && http_parser_eof(&c->p) == HTTP_DONE) {
					rc = finish(d, c, &d->req[c->q[0]]);
					if (rc)
						return rc;
				}
				return conn_lost(d, c, c->parsing ? "the connection closed in the middle of an answer"
								  : "the connection was closed");
			}
			c->rlen = (size_t)rc;
			c->last_rx = d->last_progress = now(d);   /* the server answers: no Ctrl-C asked */
		}
		rc = conn_parse(d, c);
		if (rc < 0)
			return rc;
		if (rc == 1)
			return conn_lost(d, c, "the server sent bytes nobody asked for");
		if (!c->s)
			break;   /* the server closed after an answer: requeued */
	}
	if (c->s && c->qn && now(d) - c->last_rx > d->cfg.io_timeout_ms)
		return conn_lost(d, c, "no answer in time (io timeout)");
	return 0;
}

/* the connection with the fewest requests (an idle open one first) */
static struct sh_conn *pick_conn(struct san_http *d)
{
	struct sh_conn *best = NULL;
	unsigned i;

	for (i = 0; i < d->nconn; i++) {
		struct sh_conn *c = d->conn[i];

		if (c->qn >= SH_REQ_MAX || (!c->s && now(d) < c->next_try))
			continue;
		if (!best || c->qn < best->qn || (c->qn == best->qn && c->open && !best->open))
			best = c;
	}
	return best;
}

/*
 * Keep the fetch's pieces in flight until every one is answered.
 * @return 0, or a negative WB_E* (message set; connections closed).
 */
static int run(struct san_http *d)
{
	uint64_t deadline = now(d) + d->cfg.cmd_timeout_ms, down_since = 0;
	unsigned i;
	int rc;

	d->io_start = d->last_progress = now(d);
	for (;;) {
		unsigned pending = 0, any_open = 0;

		/* hand out pieces and requeued requests */
		for (i = 0; i < d->depth; i++) {
			struct sh_req *r = &d->req[i];

			if (!r->used && d->f_next < d->f_end) {
				uint64_t n = d->f_end - d->f_next;

				if (n > d->req_size)
					n = d->req_size;
				memset(r, 0, sizeof(*r));
				r->used = 1;
				r->first = d->f_next;
				r->last = d->f_next + n - 1;
				r->want = (uint32_t)n;
				r->dst = d->f_base + (d->f_next - d->f_start);
				d->f_next += n;
			}
			if (r->used && !r->done && !r->queued) {
				struct sh_conn *c = pick_conn(d);

				if (c) {
					c->q[c->qn++] = (uint8_t)slot(d, r);
					r->queued = 1;
				}
			}
			if (r->used && !r->done)
				pending++;
			if (r->used && r->done && d->f_next < d->f_end)
				r->used = 0, i--;   /* reuse the slot at once */
		}
		if (!pending && d->f_next >= d->f_end)
			break;
		for (i = 0; i < d->nconn; i++) {
			rc = conn_pump(d, d->conn[i]);
			if (rc < 0)
				goto fail;
			any_open |= d->conn[i]->open;
		}
		if (any_open)
			down_since = 0;
		else if (!down_since)
			down_since = now(d);
		else if (now(d) - down_since > d->cfg.retry_ms) {
			rc = seterr(d, -WB_ESANGAVEUP, "HTTP SAN: %s port %u unreachable for %u s; giving up",
				    d->uri.host, d->port, d->cfg.retry_ms / 1000);
			goto fail;
		}
		if (now(d) > deadline) {
			rc = seterr(d, -WB_ESANCMDTIMEOUT,
				    "HTTP SAN: reading %s did not complete within %u s; giving up (san-command-timeout)",
				    d->shown, d->cfg.cmd_timeout_ms / 1000);
			goto fail;
		}
		if (d->env.poller.cancel && d->env.poller.cancel()) {
			rc = seterr(d, -WB_ECANCELED, "HTTP SAN: I/O cancelled");
			goto fail;
		}
		if (d->env.stall_cancel && now(d) >= d->last_progress + SAN_STALL_MS &&
		    d->env.stall_cancel(d->env.stall_arg)) {
			rc = seterr(d, -WB_ECANCELED, "HTTP SAN: I/O on %s cancelled (Ctrl-C) while waiting for the server",
				    d->shown);
			goto fail;
		}
		step(d);
	}
	for (i = 0; i < d->depth; i++)
		d->req[i].used = 0;
	d->io_start = 0;
	return 0;
fail:
	close_all(d);
	d->io_start = 0;
	return rc;
}

/* ---- reads ------------------------------------------------------------------------------- */

static int verify(struct san_http *d, uint64_t start, uint32_t len)
{
	const struct wbmap *m = d->cfg.map;
	uint64_t idx;

	if (!m)
		return 0;
	for (idx = start / m->chunk_size; idx * m->chunk_size < start + len; idx++) {
		uint64_t off = idx * m->chunk_size;
		uint32_t n = wbmap_chunk_len(m, idx);
		int rc = wbmap_check(m, idx, d->win + (off - start), n);

		if (rc == -WB_EWBMAPMISMATCH)
			return seterr(d, rc,
				      "HTTP SAN: chunk %llu (bytes %llu-%llu) of %s does not match its SHA-256 in the manifest; refused, no data used",
				      (unsigned long long)idx, (unsigned long long)off, (unsigned long long)(off + n - 1),
				      d->shown);
		if (rc)
			return seterr(d, rc, "HTTP SAN: chunk %llu of %s: manifest check failed: %s",
				      (unsigned long long)idx, d->shown, wb_strerror(rc));
	}
	return 0;
}

/* fill the window with bytes [start, start + len) (aligned, len <= win_cap) */
static int fetch(struct san_http *d, uint64_t start, uint32_t len)
{
	int rc;

	d->win_len = 0;
	d->f_start = d->f_next = start;
	d->f_end = start + len;
	d->f_base = d->win;
	rc = run(d);
	if (!rc)
		rc = verify(d, start, len);
	if (rc)
		return rc;
	d->win_off = start;
	d->win_len = len;
	return 0;
}

static int http_read(struct san_http *d, uint64_t lba, uint32_t nblocks, void *buf)
{
	uint8_t *out = buf;
	uint64_t off, end;
	int sequential, fetched = 0, rc;

	if (nblocks == 0)
		return 0;
	if (!buf)
		return seterr(d, -WB_EINVAL, "SAN: read without a buffer");
	if (lba >= d->info.blocks || nblocks > d->info.blocks - lba)
		return seterr(d, -WB_EINVAL, "SAN: read of %u blocks at LBA %llu is beyond the end of the disk (%llu blocks)",
			      nblocks, (unsigned long long)lba, (unsigned long long)d->info.blocks);
	d->st.reads++;
	d->st.read_bytes += (uint64_t)nblocks * SH_BS;
	off = lba * SH_BS;
	end = off + (uint64_t)nblocks * SH_BS;
	sequential = d->seq_valid && off == d->seq_next;
	d->seq_valid = 1;
	d->seq_next = end;
	while (off < end) {
		if (d->win_len && off >= d->win_off && off < d->win_off + d->win_len) {
			uint64_t k = d->win_off + d->win_len - off;

			if (k > end - off)
				k = end - off;
			memcpy(out, d->win + (off - d->win_off), (size_t)k);
			out += k;
			off += k;
			continue;
		} else if (!d->cfg.map && end - off >= d->win_cap) {
			/* a large read without a manifest: straight into the caller's
			   buffer, the pieces flowing without a pause at window ends
			   (every answer's header is checked before its body lands) */
			d->f_start = d->f_next = off;
			d->f_end = end;
			d->f_base = out;
			rc = run(d);
			if (rc)
				return rc;
			out += end - off;
			off = end;
			fetched = 1;
		} else {
			uint64_t start = off / d->align * d->align, stop = end;

			if (sequential && stop < off + d->ra)
				stop = off + d->ra;
			if (stop > start + d->win_cap)
				stop = start + d->win_cap;
			if (stop > d->size)
				stop = d->size;
			stop = (stop + d->align - 1) / d->align * d->align;
			if (stop > d->size)
				stop = d->size;
			rc = fetch(d, start, (uint32_t)(stop - start));
			if (rc)
				return rc;
			if (stop > end)
				d->st.readahead_fills++;
			fetched = 1;
		}
	}
	if (!fetched)
		d->st.readahead_hits++;
	return 0;
}

/* ---- the common calls (san.h) ------------------------------------------------------------- */

static void dev_free(struct san_http *d)
{
	unsigned i;

	close_all(d);
	for (i = 0; i < SAN_HTTP_CONN_MAX; i++)
		plat_free(d->conn[i]);
	plat_free(d->win);
	uri_free(&d->uri);
	plat_free(d);
}

static int op_read(struct san_dev *b, uint64_t lba, uint32_t n, void *buf)
{
	return http_read((struct san_http *)b, lba, n, buf);
}

static int op_write(struct san_dev *b, uint64_t lba, uint32_t n, const void *buf)
{
	(void)lba;
	(void)n;
	(void)buf;
	return seterr((struct san_http *)b, -WB_EROFS, "HTTP SAN: the disk is read-only (served over HTTP)");
}

static int op_flush(struct san_dev *b)
{
	(void)b;
	return 0;
}

/* never waits: close idle connections the server closed (or that talk out of turn) */
static void op_poll(struct san_dev *b)
{
	struct san_http *d = (struct san_http *)b;
	unsigned i;

	if (d->io_start)
		return;
	for (i = 0; i < d->nconn; i++) {
		struct sh_conn *c = d->conn[i];

		if (c->s && !c->qn && (stream_state(c->s) != STREAM_OPEN || stream_recv_avail(c->s)))
			conn_reset(c);
	}
}

static int op_close(struct san_dev *b, uint32_t ms)
{
	(void)ms;
	dev_free((struct san_http *)b);
	return 0;
}

static const struct san_info *op_info(const struct san_dev *b) { return &((const struct san_http *)b)->info; }
static const struct san_stats *op_stats(const struct san_dev *b) { return &((const struct san_http *)b)->st; }
static const char *op_error(const struct san_dev *b) { return ((const struct san_http *)b)->err; }

static const struct san_ops http_ops = {
	.read = op_read,
	.write = op_write,
	.flush = op_flush,
	.poll = op_poll,
	.close = op_close,
	.info = op_info,
	.stats = op_stats,
	.error = op_error,
};

/* ---- open -------------------------------------------------------------------------------- */

static int probe(struct san_http *d)
{
	uint8_t one;
	int rc;

	d->opening = 1;
	d->f_start = 0;
	d->f_next = 0;
	d->f_end = 1;
	d->f_base = &one;
	memset(&d->req[0], 0, sizeof(d->req[0]));
	d->req[0].used = 1;
	d->req[0].probe = 1;
	d->req[0].first = d->req[0].last = 0;
	d->req[0].want = 1;
	d->req[0].dst = &one;
	d->f_next = 1;
	rc = run(d);
	d->opening = 0;
	return rc;
}

/* the probe was redirected to d->loc: point the device there (the size probe is
   then asked again); connections to the old server are already closed */
static int follow(struct san_http *d)
{
	struct uri ref, next;
	char was[sizeof(d->shown)];
	int rc;

	wb_strlcpy(was, d->shown, sizeof(was));
	rc = uri_parse(d->loc, &ref);
	if (rc)
		return seterr(d, -WB_EHTTPNOLOCATION, "HTTP SAN: GET %s: redirect to an unusable Location", d->shown);
	rc = uri_resolve(&d->uri, &ref, &next);
	uri_free(&ref);
	if (rc)
		return seterr(d, rc == -WB_ENOMEM ? rc : -WB_EHTTPNOLOCATION,
			      "HTTP SAN: GET %s: redirect to an unusable Location", d->shown);
	if (!next.scheme || (strcmp(next.scheme, "http") && strcmp(next.scheme, "https")) || !next.host ||
	    !next.host[0]) {
		uri_free(&next);
		return seterr(d, -WB_EHTTPNOLOCATION, "HTTP SAN: GET %s: redirect to a URL that is not http(s)://",
			      d->shown);
	}
	if (d->tls && strcmp(next.scheme, "https")) {
		uri_free(&next);
		return seterr(d, -WB_EHTTPDOWNGRADE, "HTTP SAN: GET %s: redirect from https:// to http:// refused",
			      d->shown);
	}
	if (!strcmp(next.scheme, "https") && !d->env.connect_tls) {
		uri_free(&next);
		return seterr(d, -WB_ENOTLS, "HTTP SAN: GET %s: redirect to https:// but no TLS here", d->shown);
	}
	uri_free(&d->uri);
	d->uri = next;
	http_log_url(&d->uri, d->shown, sizeof(d->shown));
	d->tls = !strcmp(d->uri.scheme, "https");
	d->port = uri_port(&d->uri);
	dlog(d, "san: %d %s -> %s", d->loc_status, was, d->shown);
	return 0;
}

int san_http_open(const struct san_env *env, const struct san_http_cfg *cfg, struct san_dev **out, char *msg,
		  size_t msgcap)
{
	struct san_http *d;
	unsigned i;
	int rc;

	*out = NULL;
	if (msgcap)
		msg[0] = '\0';
	if (!env || !cfg || !cfg->url || !env->connect || !env->now_ms) {
		if (msgcap)
			wb_snprintf(msg, msgcap, "HTTP SAN: no URL or no network");
		return -WB_EINVAL;
	}
	d = plat_malloc(sizeof(*d));
	if (!d) {
		if (msgcap)
			wb_snprintf(msg, msgcap, "HTTP SAN: out of memory");
		return -WB_ENOMEM;
	}
	memset(d, 0, sizeof(*d));
	d->base.ops = &http_ops;
	d->env = *env;
	d->cfg = *cfg;
	d->cfg.url = NULL;
	rc = uri_parse(cfg->url, &d->uri);
	if (rc) {
		seterr(d, rc, "HTTP SAN: bad URL: %s", wb_strerror(rc));
		goto fail;
	}
	http_log_url(&d->uri, d->shown, sizeof(d->shown));
	if (!d->uri.scheme || (strcmp(d->uri.scheme, "http") && strcmp(d->uri.scheme, "https")) || !d->uri.host ||
	    !d->uri.host[0]) {
		rc = seterr(d, -WB_EURINOTHTTP, "HTTP SAN: %s is not an http:// or https:// URL with a host", d->shown);
		goto fail;
	}
	d->tls = !strcmp(d->uri.scheme, "https");
	if (d->tls && !env->connect_tls) {
		rc = seterr(d, -WB_ENOTLS, "HTTP SAN: %s: no TLS in this build or environment", d->shown);
		goto fail;
	}
	d->port = uri_port(&d->uri);

	d->nconn = cfg->connections ? cfg->connections : 2;
	if (d->nconn > SAN_HTTP_CONN_MAX)
		d->nconn = SAN_HTTP_CONN_MAX;
	d->depth = cfg->depth ? cfg->depth : 4;
	if (d->depth > SH_REQ_MAX)
		d->depth = SH_REQ_MAX;
	d->req_size = cfg->request_size ? cfg->request_size : 256u << 10;
	d->align = SH_BS;
	if (cfg->map) {
		d->align = cfg->map->chunk_size;
		if (d->align < SH_BS || d->align % SH_BS) {
			rc = seterr(d, -WB_EWBMAPFORMAT, "HTTP SAN: manifest chunk size %u is unusable", d->align);
			goto fail;
		}
	}
	if (d->req_size < d->align)
		d->req_size = d->align;
	d->req_size = d->req_size / d->align * d->align;
	d->ra = cfg->readahead == 1 ? 0 : cfg->readahead ? cfg->readahead : d->req_size * d->depth;
	d->win_cap = d->req_size * d->depth;
	if (d->win_cap < d->ra)
		d->win_cap = (d->ra + d->align - 1) / d->align * d->align;
	if (!d->cfg.io_timeout_ms)
		d->cfg.io_timeout_ms = 15000;
	if (!d->cfg.retry_ms)
		d->cfg.retry_ms = 120000;
	if (!d->cfg.connect_timeout_ms)
		d->cfg.connect_timeout_ms = 15000;
	if (!d->cfg.cmd_timeout_ms)
		d->cfg.cmd_timeout_ms = SAN_CMD_TIMEOUT_DEFAULT;
	d->max_reissues = cfg->max_reissues == SAN_NO_REISSUE ? 0 : cfg->max_reissues ? cfg->max_reissues
										       : SAN_REISSUES_DEFAULT;
	d->cfg.user_agent = NULL;   /* not copied: "wireboot" */
	for (i = 0; i < d->nconn; i++) {
		d->conn[i] = plat_malloc(sizeof(struct sh_conn));
		if (!d->conn[i]) {
			rc = seterr(d, -WB_ENOMEM, "HTTP SAN: out of memory for the connections");
			goto fail;
		}
		memset(d->conn[i], 0, sizeof(struct sh_conn));
	}
	d->win = plat_malloc(d->win_cap);
	if (!d->win) {
		rc = seterr(d, -WB_ENOMEM, "HTTP SAN: out of memory for a %u-byte window", d->win_cap);
		goto fail;
	}

	/* the size, and the image's identity */
	for (unsigned redirects = 0;; redirects++) {
		unsigned save = d->depth;

		d->loc[0] = '\0';
		d->depth = 1;
		rc = probe(d);
		d->depth = save;
		if (rc != SH_REDIRECT || !d->loc[0])
			break;
		if (redirects == SH_REDIRECTS) {
			rc = seterr(d, -WB_EHTTPREDIRMAX, "HTTP SAN: GET %s: more than %u redirects (a loop?)", d->shown,
				    SH_REDIRECTS);
			break;
		}
		rc = follow(d);
		if (rc)
			break;
	}
	if (rc)
		goto fail;
	if (d->size == 0 || d->size % SH_BS) {
		rc = seterr(d, -WB_ESANHTTPSIZE,
			    "HTTP SAN: %s has %llu bytes, not a whole number of 512-byte blocks; pad the image",
			    d->shown, (unsigned long long)d->size);
		goto fail;
	}
	if (cfg->map && cfg->map->image_size != d->size) {
		rc = seterr(d, -WB_EWBMAPIMAGE,
			    "HTTP SAN: the manifest is for an image of %llu bytes, %s has %llu; refused",
			    (unsigned long long)cfg->map->image_size, d->shown, (unsigned long long)d->size);
		goto fail;
	}
	d->info.kind = SAN_KIND_HTTP;
	d->info.block_size = SH_BS;
	d->info.blocks = d->size / SH_BS;
	d->info.read_only = 1;
	wb_strlcpy(d->info.host, d->uri.host, sizeof(d->info.host));
	d->info.port = d->port;
	if (d->uri.host_is_ipv4)
		wb_parse_ipv4(d->uri.host, d->info.ip);
	d->info.max_burst = d->req_size;
	d->err[0] = '\0';
	*out = &d->base;
	return 0;
fail:
	if (msgcap)
		wb_snprintf(msg, msgcap, "%s", d->err[0] ? d->err : wb_strerror(rc));
	dev_free(d);
	return rc;
}
