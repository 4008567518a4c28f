/*
 * http_client.c — GET/HEAD over struct stream (see http_client.h).
 *
 * How this works, per http_client_get():
 *
 *   parse URL ─▶ [request] ─▶ 3xx with Location? ─yes─▶ resolve (RFC 3986
 *                   ▲                │                   §5.2) and check
 *                   └────────────────┼── at most 5 ◀──────┘
 *                                    no ─▶ status → 0 or its error
 *
 *   request: reuse the kept connection when scheme, host and port match
 *   and it is still open with nothing unread, else connect (env->connect,
 *   then poll until open or the connect timeout); send the head built by
 *   http_build_request(); receive and feed the parser; at HTTP_HEADERS
 *   decide where the body goes (the sink for 2xx, nowhere otherwise); at
 *   HTTP_DONE keep the connection if the server allows it and nothing
 *   followed the message.  A body that ends at the close (no length, not
 *   chunked) must end with TLS close_notify on https: a bare TCP close
 *   there (-WB_ETLSTRUNC from the TLS stream) is -WB_EHTTPSTRUNC, never a
 *   complete body; a length or chunked body ends before the close and
 *   does not care how the connection ends afterwards.  A kept connection the server closed meanwhile
 *   (EOF or reset before the first response byte) is retried once on a
 *   fresh one (RFC 9112 §9.3.1 allows retrying an idempotent request).
 *
 * Every wait polls env->poller, checks its cancel (Ctrl-C) and a deadline:
 * the connect timeout while connecting, the idle timeout (time since the
 * last byte moved) afterwards.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"
#include "proto/http_client.h"
#include "proto/uri.h"

#define HTTP_RXBUF 16384
#define HTTP_REQBUF (URI_MAX + 1024)
#define HTTP_RETRY 1   /* one_request(): the kept connection was stale; retry */

/* what one request's body callback needs */
struct http_xfer {
	struct http_client *c;
	struct http_get *g;
	int deliver;           /* body goes to the sink */
	uint64_t t_start, t_last;
	int printed;           /* a progress line was printed */
};

int http_client_init(struct http_client *c, const struct http_env *env)
{
	memset(c, 0, sizeof(*c));
	c->env = env;
	c->connect_timeout_ms = HTTP_CONNECT_TIMEOUT_MS;
	c->idle_timeout_ms = HTTP_IDLE_TIMEOUT_MS;
	c->parser_ = plat_malloc(sizeof(*c->parser_));
	return c->parser_ ? 0 : -WB_ENOMEM;
}

static void http_drop_conn(struct http_client *c)
{
	if (c->conn)
		stream_close(c->conn);
	c->conn = NULL;
}

void http_client_fini(struct http_client *c)
{
	http_drop_conn(c);
	plat_free(c->parser_);
	c->parser_ = NULL;
}

void http_get_fini(struct http_get *g)
{
	plat_free(g->final_url);
	g->final_url = NULL;
}

static void http_progress(struct http_xfer *x, int final)
{
	uint64_t now = x->c->env->now_ms(), ms = now - x->t_start;
	struct http_get *g = x->g;
	char got[32], total[32], rate[32];

	if (!final && now - x->t_last < 1000)
		return;
	if (final && !x->printed && g->received < 1024 * 1024)
		return;   /* a short, small download gets no progress at all */
	x->t_last = now;
	x->printed = 1;
	wb_fmt_size(got, sizeof(got), g->received);
	wb_fmt_size(rate, sizeof(rate), ms ? g->received * 1000 / ms : 0);
	if (g->length != UINT64_MAX && g->length) {
		wb_fmt_size(total, sizeof(total), g->length);
		wb_printf("http: %s of %s (%u%%) at %s/s%s\n", got, total,
			  (unsigned)(g->received * 100 / g->length), rate, final ? ", done" : "");
	} else {
		wb_printf("http: %s at %s/s%s\n", got, rate, final ? ", done" : "");
	}
}

static int http_on_body(void *arg, const uint8_t *d, size_t n)
{
	struct http_xfer *x = arg;
	struct http_get *g = x->g;
	int rc;

	if (!x->deliver)
		return 0;
	if (g->sink) {
		rc = g->sink(g->sink_arg, d, n);
		if (rc < 0)
			return rc;
	}
	g->received += n;
	if (g->progress)
		http_progress(x, 0);
	return 0;
}

/* poll once; @return -WB_ECANCELED on Ctrl-C, else 0 */
static int http_poll(struct http_client *c)
{
	const struct stream_poller *p = &c->env->poller;

	if (p->poll)
		p->poll(p->arg);
	if (p->cancel && p->cancel())
		return -WB_ECANCELED;
	return 0;
}

/* a usable connection to @u in c->conn; *reused says whether it was kept */
static int http_get_conn(struct http_client *c, const struct uri *u, int *reused)
{
	int https = !strcmp(u->scheme, "https");
	uint16_t port = uri_port(u);
	uint64_t t0;
	int rc;

	*reused = 0;
	if (c->conn) {
		if (c->conn_https == https && c->conn_port == port && !strcmp(c->conn_host, u->host) &&
		    stream_state(c->conn) == STREAM_OPEN && !stream_recv_avail(c->conn)) {
			*reused = 1;
			return 0;
		}
		http_drop_conn(c);
	}
	if (strlen(u->host) >= sizeof(c->conn_host))
		return -WB_EURIHOST;
	rc = c->env->connect(c->env->arg, https, u->host, port, &c->conn);
	if (rc) {
		c->conn = NULL;
		return rc;
	}
	c->connections++;
	c->conn_https = https;
	c->conn_port = port;
	wb_strlcpy(c->conn_host, u->host, sizeof(c->conn_host));
	t0 = c->env->now_ms();
	for (;;) {
		enum stream_state st = stream_state(c->conn);

		if (st == STREAM_OPEN)
			return 0;
		if (st == STREAM_ERROR) {
			rc = stream_error(c->conn);
			break;
		}
		if (st == STREAM_EOF) {
			rc = -WB_ECLOSED;
			break;
		}
		rc = http_poll(c);
		if (rc)
			break;
		if (c->env->now_ms() - t0 >= c->connect_timeout_ms) {
			rc = -WB_EHTTPCONNTIMEOUT;
			break;
		}
	}
	http_drop_conn(c);
	return rc ? rc : -WB_ECONNREFUSED;
}

static int http_send_all(struct http_client *c, const char *buf, size_t len)
{
	uint64_t last = c->env->now_ms();
	size_t off = 0;
	int rc;

	while (off < len) {
		int n = stream_send(c->conn, buf + off, len - off);

		if (n < 0)
			return n;
		if (n > 0) {
			off += (size_t)n;
			last = c->env->now_ms();
			continue;
		}
		rc = http_poll(c);
		if (rc)
			return rc;
		if (c->env->now_ms() - last >= c->idle_timeout_ms)
			return -WB_EHTTPIDLE;
	}
	return 0;
}

/* the header has arrived: where does the body go? */
static void http_on_headers(struct http_xfer *x)
{
	struct http_parser *p = x->c->parser_;
	struct http_get *g = x->g;

	g->status = p->status;
	wb_strlcpy(g->reason, p->reason, sizeof(g->reason));
	wb_strlcpy(g->content_type, p->content_type, sizeof(g->content_type));
	g->length = p->framing == HTTP_BODY_LENGTH ? p->content_length : UINT64_MAX;
	x->deliver = p->status >= 200 && p->status < 300;
	/* a range asked for must come back as exactly that range */
	if (g->has_range &&
	    (p->status != 206 || !p->has_range || p->range_first != g->range_first ||
	     (g->range_last != UINT64_MAX && p->range_last != g->range_last)))
		x->deliver = 0;
	if (x->deliver) {
		g->received = 0;
		x->t_start = x->t_last = x->c->env->now_ms();
	}
}

/* a body we do not want is read (to keep the connection) only when small */
#define HTTP_DISCARD_MAX 65536
static int http_body_too_big(const struct http_parser *p)
{
	switch (p->framing) {
	case HTTP_BODY_NONE:
		return 0;
	case HTTP_BODY_LENGTH:
		return p->content_length > HTTP_DISCARD_MAX;
	default:
		return 1;   /* chunked or until close: unknown size */
	}
}

/* one request/response on one connection; HTTP_RETRY when a kept one was stale */
static int http_one(struct http_client *c, struct http_get *g, const struct uri *u, uint8_t *buf)
{
	struct http_parser *p = c->parser_;
	struct http_request rq = { 0 };
	struct http_xfer x = { 0 };
	uint64_t last;
	int reused, rc, got_any = 0, keep = 0;

	rc = http_get_conn(c, u, &reused);
	if (rc)
		return rc;
	rq.method = g->body ? "POST" : g->head ? "HEAD" : "GET";
	rq.headers = g->headers;
	rq.nheaders = g->nheaders;
	rq.has_body = g->body != NULL;
	rq.content_type = g->body_type;
	rq.content_length = g->body_len;
	rq.uri = u;
	rq.has_range = g->has_range;
	rq.range_first = g->range_first;
	rq.range_last = g->range_last;
	rq.user_agent = c->user_agent;
	rc = http_build_request(&rq, (char *)buf, HTTP_REQBUF);
	if (rc < 0) {
		wb_wipe(buf, HTTP_REQBUF);   /* a part built may hold credentials */
		goto out;
	}
	c->requests++;
	c->reused += (unsigned)reused;
	rc = http_send_all(c, (const char *)buf, (size_t)rc);
	wb_wipe(buf, HTTP_REQBUF);   /* it may hold credentials (Authorization: Basic) */
	if (!rc && g->body && g->body_len)
		rc = http_send_all(c, (const char *)g->body, g->body_len);
	if (rc) {
		if (reused && (rc == -WB_ECLOSED || rc == -WB_ECONNRESET || rc == -WB_ENOTCONN))
			rc = HTTP_RETRY;
		goto out;
	}
	x.c = c;
	x.g = g;
	http_parser_init(p, g->head, http_on_body, &x);
	last = c->env->now_ms();
	for (;;) {
		int n = stream_recv(c->conn, buf, HTTP_RXBUF);

		if (n > 0) {
			size_t off = 0;

			got_any = 1;
			last = c->env->now_ms();
			rc = HTTP_MORE;
			while (off < (size_t)n || rc == HTTP_HEADERS) {
				size_t used = 0;

				rc = http_parser_feed(p, buf + off, (size_t)n - off, &used);
				off += used;
				if (rc < 0)
					goto out;
				if (rc == HTTP_HEADERS) {
					http_on_headers(&x);
					if (!x.deliver && http_body_too_big(p)) {
						/* an unwanted body (error page, ignored Range) is
						 * not worth reading: drop the connection instead */
						rc = 0;
						goto out;
					}
				} else if (rc == HTTP_DONE) {
					break;
				}
			}
			if (rc == HTTP_DONE) {
				/* bytes after the message: no pipelining here, so the connection is unusable */
				keep = p->keep_alive && off == (size_t)n;
				rc = 0;
				break;
			}
			continue;
		}
		if (n == 0) {
			rc = http_poll(c);
			if (rc)
				goto out;
			if (c->env->now_ms() - last >= c->idle_timeout_ms) {
				rc = -WB_EHTTPIDLE;
				goto out;
			}
			continue;
		}
		if (n == -WB_ECLOSED || n == -WB_ETLSTRUNC) {
			/* -WB_ETLSTRUNC: TLS stream closed without close_notify */
			int until_close = p->headers_done_ && p->framing == HTTP_BODY_CLOSE;

			if (!got_any && reused) {
				rc = HTTP_RETRY;
				goto out;
			}
			rc = http_parser_eof(p);
			if (rc == HTTP_DONE) {
				if (!p->headers_done_) {
					rc = -WB_EHTTPHDRTRUNC;
					goto out;
				}
				if (until_close && n == -WB_ETLSTRUNC) {
					/* the close is the body's only end, and it was not
					 * authenticated: a forged FIN would cut it silently */
					rc = -WB_EHTTPSTRUNC;
					goto out;
				}
				rc = 0;
				break;
			}
			goto out;
		}
		rc = (!got_any && reused && n == -WB_ECONNRESET) ? HTTP_RETRY : n;
		goto out;
	}
	if (x.deliver && g->progress)
		http_progress(&x, 1);
out:
	if (!keep)
		http_drop_conn(c);
	return rc;
}

static int http_status_error(int status)
{
	if (status >= 200 && status < 300)
		return 0;
	switch (status) {
	case 401:
		return -WB_EHTTPAUTH;
	case 403:
		return -WB_EHTTPFORBIDDEN;
	case 404:
		return -WB_EHTTPNOTFOUND;
	}
	if (status >= 400 && status < 500)
		return -WB_EHTTPCLIENT;
	if (status >= 500)
		return -WB_EHTTPSERVER;
	return -WB_EHTTPUNEXPECTED;
}

static int http_is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static int http_check_url(const struct uri *u)
{
	if (!u->scheme)
		return -WB_EURIRELATIVE;
	if (strcmp(u->scheme, "http") && strcmp(u->scheme, "https"))
		return -WB_EURINOTHTTP;
	if (!u->host || !u->host[0])
		return -WB_EURINOHOST;
	return 0;
}

void http_log_url(const struct uri *u, char *buf, size_t cap)
{
	char port[8] = "";

	if (u->has_port)
		wb_snprintf(port, sizeof(port), ":%u", (unsigned)u->port);
	wb_snprintf(buf, cap, "%s://%s%s%s%s", u->scheme ? u->scheme : "", u->host ? u->host : "",
		    port, u->path[0] ? u->path : "/", u->query ? "?..." : "");
}

int http_client_get(struct http_client *c, struct http_get *g)
{
	struct uri u, ref, next;
	uint8_t *buf;
	size_t n;
	int rc;

	g->status = 0;
	g->reason[0] = '\0';
	g->content_type[0] = '\0';
	g->length = UINT64_MAX;
	g->received = 0;
	g->final_url = NULL;
	g->redirects = 0;
	rc = uri_parse(g->url, &u);
	if (rc)
		return rc;
	rc = http_check_url(&u);
	if (rc)
		goto out_u;
	buf = plat_malloc(HTTP_RXBUF > HTTP_REQBUF ? HTTP_RXBUF : HTTP_REQBUF);
	if (!buf) {
		rc = -WB_ENOMEM;
		goto out_u;
	}
	for (;;) {
		rc = http_one(c, g, &u, buf);
		if (rc == HTTP_RETRY)
			rc = http_one(c, g, &u, buf);
		if (rc == HTTP_RETRY)
			rc = -WB_ECONNRESET;
		if (rc)
			break;
		if (!http_is_redirect(g->status)) {
			rc = http_status_error(g->status);
			if (!rc && g->has_range && (g->status != 206 || !c->parser_->has_range))
				rc = -WB_EHTTPRANGE;
			break;
		}
		/* redirect (RFC 9110 §15.4): Location resolved against the current URL */
		if (!c->parser_->location[0]) {
			rc = -WB_EHTTPNOLOCATION;
			break;
		}
		if (g->redirects >= HTTP_REDIRECTS_MAX) {
			rc = -WB_EHTTPREDIRMAX;
			break;
		}
		rc = uri_parse(c->parser_->location, &ref);
		if (rc) {
			rc = -WB_EHTTPNOLOCATION;
			break;
		}
		rc = uri_resolve(&u, &ref, &next);
		uri_free(&ref);
		if (rc) {
			rc = -WB_EHTTPNOLOCATION;
			break;
		}
		rc = http_check_url(&next);
		if (!rc && !strcmp(u.scheme, "https") && strcmp(next.scheme, "https"))
			rc = -WB_EHTTPDOWNGRADE;
		if (rc) {
			uri_free(&next);
			break;
		}
		g->redirects++;
		{
			char shown[160];

			http_log_url(&next, shown, sizeof(shown));
			wb_printf("http: %d %s -> %s\n", g->status, g->reason, shown);
		}
		uri_free(&u);
		u = next;
	}
	plat_free(buf);
	n = uri_format(&u, NULL, 0) + 1;
	g->final_url = plat_malloc(n);
	if (g->final_url)
		uri_format(&u, g->final_url, n);
out_u:
	uri_free(&u);
	return rc;
}
