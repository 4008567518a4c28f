/*
 * test_http_client.c — proto/http_client.c over a scripted in-memory stream:
 * keep-alive reuse, retry when a kept connection turns out closed, redirects
 * (relative Location, http → https allowed, https → http refused, missing
 * Location), Range (206 required), Basic auth on the wire, idle and connect
 * timeouts on a fake clock, Ctrl-C through the poller, status errors, and
 * how a TLS stream's end without close_notify (-WB_ETLSTRUNC) is taken:
 * an error for a read-until-close body, fine after a Content-Length or
 * chunked one.
 */
#include <stdint.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "proto/http_client.h"

#define UNIT_NAME "http_client"
#include "unit.h"

#define MOCK_MAX 8

/* one scripted server connection: response[k] is sent once request k+1 arrived */
struct mock_script {
	const char *resp[4];
	int nresp;
	int eof_after;        /* after the last response: EOF (else silence) */
	int never_opens;      /* stays STREAM_CONNECTING */
};

struct mock_conn {
	struct stream base;
	const struct mock_script *sc;
	char sent[4096];
	size_t sent_len;
	int requests;         /* complete request heads received */
	int served;           /* responses fully sent */
	size_t off;           /* into resp[served] */
};

struct mock_env {
	struct mock_script scripts[MOCK_MAX];
	int nscripts, next;
	struct mock_conn *conns[MOCK_MAX];   /* for inspection (not owned after close) */
	char sent_copy[MOCK_MAX][4096];
	int https[MOCK_MAX];
	char host[MOCK_MAX][64];
	uint16_t port[MOCK_MAX];
	int cancel_now;
	int eof_rc[MOCK_MAX];   /* what recv says at script k's EOF (0: -WB_ECLOSED) */
	const void *req_buf[MOCK_MAX];   /* where connection k's first request was sent from */
	size_t req_len[MOCK_MAX];
};

static uint64_t fake_ms;
static struct mock_env *cur_env;

static uint64_t mock_now(void) { return fake_ms; }
static void mock_poll(void *arg) { fake_ms += 50; }
static int mock_cancel(void) { return cur_env->cancel_now; }

static enum stream_state m_state(const struct stream *s)
{
	const struct mock_conn *c = (const struct mock_conn *)s;

	if (c->sc->never_opens)
		return STREAM_CONNECTING;
	/* the close is noticed only once another request went out (a kept
	 * connection the server dropped while we were idle) */
	if (c->sc->eof_after && c->served == c->sc->nresp && c->requests > c->served)
		return STREAM_EOF;
	return STREAM_OPEN;
}
static int m_error(const struct stream *s) { return 0; }
static int m_send(struct stream *s, const void *b, size_t n)
{
	struct mock_conn *c = (struct mock_conn *)s;

	if (c->sent_len == 0)
		for (int i = 0; i < MOCK_MAX; i++)
			if (cur_env->conns[i] == c && !cur_env->req_buf[i]) {
				cur_env->req_buf[i] = b;   /* the client's request buffer */
				cur_env->req_len[i] = n;
			}
	if (c->sent_len + n >= sizeof(c->sent))
		n = sizeof(c->sent) - 1 - c->sent_len;
	memcpy(c->sent + c->sent_len, b, n);
	c->sent_len += n;
	c->sent[c->sent_len] = '\0';
	c->requests = 0;
	for (const char *p = c->sent; (p = strstr(p, "\r\n\r\n")); p += 4)
		c->requests++;
	return (int)n;
}
static size_t m_send_space(const struct stream *s) { return 4096; }
static int m_recv(struct stream *s, void *b, size_t n)
{
	struct mock_conn *c = (struct mock_conn *)s;
	const char *r;
	size_t left;

	if (c->served >= c->sc->nresp)
	{
		int rc = cur_env->eof_rc[c->sc - cur_env->scripts];

		return c->sc->eof_after ? (rc ? rc : -WB_ECLOSED) : 0;
	}
	if (c->requests <= c->served)
		return 0;
	r = c->sc->resp[c->served];
	left = strlen(r) - c->off;
	if (n > left)
		n = left;
	if (n > 13)
		n = 13;   /* small pieces: the parser sees odd splits */
	memcpy(b, r + c->off, n);
	c->off += n;
	if (c->off == strlen(r)) {
		c->served++;
		c->off = 0;
	}
	return (int)n;
}
static size_t m_recv_avail(const struct stream *s) { return 0; }
static void m_close(struct stream *s)
{
	struct mock_conn *c = (struct mock_conn *)s;

	for (int i = 0; i < MOCK_MAX; i++)
		if (cur_env->conns[i] == c) {
			memcpy(cur_env->sent_copy[i], c->sent, sizeof(c->sent));
			cur_env->conns[i] = NULL;
		}
	plat_free(c);
}

static const struct stream_ops mock_ops = {
	m_state, m_error, m_send, m_send_space, m_recv, m_recv_avail, m_close,
};

static int mock_connect(void *arg, int https, const char *host, uint16_t port, struct stream **out)
{
	struct mock_env *e = arg;
	struct mock_conn *c;
	int i = e->next;

	if (i >= e->nscripts)
		return -WB_ECONNREFUSED;
	c = plat_malloc(sizeof(*c));
	if (!c)
		return -WB_ENOMEM;
	memset(c, 0, sizeof(*c));
	c->base.ops = &mock_ops;
	c->sc = &e->scripts[i];
	e->conns[i] = c;
	e->https[i] = https;
	snprintf(e->host[i], sizeof(e->host[i]), "%s", host);
	e->port[i] = port;
	e->next++;
	*out = &c->base;
	return 0;
}

struct sinkbuf {
	char b[256];
	size_t n;
};

static int sink(void *arg, const uint8_t *d, size_t n)
{
	struct sinkbuf *s = arg;

	if (s->n + n < sizeof(s->b)) {
		memcpy(s->b + s->n, d, n);
		s->n += n;
		s->b[s->n] = '\0';
	}
	return 0;
}

/* run one GET of @url against scripts; returns rc; body in *sb */
static int get(struct http_client *c, const char *url, struct sinkbuf *sb, struct http_get *g)
{
	memset(g, 0, sizeof(*g));
	memset(sb, 0, sizeof(*sb));
	g->url = url;
	g->sink = sink;
	g->sink_arg = sb;
	return http_client_get(c, g);
}

static void env_init(struct mock_env *e, struct http_env *env)
{
	memset(e, 0, sizeof(*e));
	cur_env = e;
	env->connect = mock_connect;
	env->arg = e;
	env->poller.poll = mock_poll;
	env->poller.arg = NULL;
	env->poller.cancel = mock_cancel;
	env->now_ms = mock_now;
}

#define OK(body) "HTTP/1.1 200 OK\r\nContent-Length: " #body "\r\n\r\n"

/* a relative redirect, then a chunked body on the same connection, then a
 * second GET on it: with any one allocation failing (unit_alloc_sweep) */
#define SWEEP_BAD_BODY 1001
static int sweep_run(void *arg)
{
	struct mock_env e;
	struct http_env env;
	struct http_client c;
	struct http_get g;
	struct sinkbuf sb;
	int rc;

	(void)arg;
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){
		{ "HTTP/1.1 302 Found\r\nLocation: ../x/y\r\nContent-Length: 0\r\n\r\n",
		  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
		  OK(3) "two" }, 3, 0, 0 };
	e.nscripts = 1;
	rc = http_client_init(&c, &env);
	if (rc)
		return rc;
	rc = get(&c, "http://h/a/b", &sb, &g);
	if (!rc && strcmp(sb.b, "abcde"))
		rc = SWEEP_BAD_BODY;
	http_get_fini(&g);
	if (!rc) {
		rc = get(&c, "http://h/a/x/z", &sb, &g);
		if (!rc && strcmp(sb.b, "two"))
			rc = SWEEP_BAD_BODY;
		http_get_fini(&g);
	}
	http_client_fini(&c);
	return rc;
}

/* an error or a success with the right body; never a wrong body */
static int sweep_ok(int rc) { return rc <= 0; }

/* the free hook: when the client frees its request buffer, does it still hold
   the Authorization header (or any of the credentials' base64)? */
static struct {
	int seen, leaked;
} auth_free;

static int has_bytes(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(p + i, s, k))
			return 1;
	return 0;
}

static void auth_free_hook(void *p)
{
	const uint8_t *b = p;
	size_t n;

	if (!cur_env || p != cur_env->req_buf[0])
		return;
	n = cur_env->req_len[0];
	auth_free.seen = 1;
	auth_free.leaked = has_bytes(b, n, "Authorization") || has_bytes(b, n, "QWxhZGRpbjpvcGVu") ||
			   has_bytes(b, n, "IHNlc2FtZQ==");
}

/* SECURITY.md: the request buffer that held "Authorization: Basic ..." is wiped
   after sending, before it is reused for the response and freed */
static void test_basic_auth_wiped(void)
{
	struct mock_env e;
	struct http_env env;
	struct http_client c;
	struct http_get g;
	struct sinkbuf sb;
	int rc;

	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { OK(2) "hi" }, 1, 0, 0 };
	e.nscripts = 1;
	http_client_init(&c, &env);
	memset(&auth_free, 0, sizeof(auth_free));
	host_free_hook(auth_free_hook);
	rc = get(&c, "http://Aladdin:open%20sesame@h/a/rather/long/path/so/that/the/header/is/well/past/the/response", &sb, &g);
	host_free_hook(NULL);
	CHECK("basic auth: GET ok", rc == 0 && !strcmp(sb.b, "hi"));
	http_get_fini(&g);
	http_client_fini(&c);
	CHECK("basic auth: the header went out",
	      strstr(e.sent_copy[0], "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n") != NULL);
	CHECK("basic auth: the request buffer was freed (hook saw it)", auth_free.seen);
	CHECK("basic auth: the request buffer holds no credentials when freed", auth_free.seen && !auth_free.leaked);
}

int main(void)
{
	struct mock_env e;
	struct http_env env;
	struct http_client c;
	struct http_get g;
	struct sinkbuf sb;
	int rc;

	test_basic_auth_wiped();

	/* keep-alive: two GETs, one connection */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { OK(3) "one", OK(3) "two" }, 2, 0, 0 };
	e.nscripts = 1;
	http_client_init(&c, &env);
	rc = get(&c, "http://boot.test/a", &sb, &g);
	CHECK("first GET", rc == 0 && !strcmp(sb.b, "one") && g.status == 200 && g.length == 3);
	http_get_fini(&g);
	rc = get(&c, "http://boot.test/b", &sb, &g);
	CHECK("second GET on the kept connection", rc == 0 && !strcmp(sb.b, "two"));
	CHECK("one connection, one reuse", c.connections == 1 && c.reused == 1 && c.requests == 2);
	CHECK("host and port passed to connect", !strcmp(e.host[0], "boot.test") && e.port[0] == 80 && !e.https[0]);
	http_get_fini(&g);
	http_client_fini(&c);

	/* a kept connection the server closed meanwhile: retried on a new one */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { OK(3) "one" }, 1, 1, 0 };
	e.scripts[1] = (struct mock_script){ { OK(3) "two" }, 1, 0, 0 };
	e.nscripts = 2;
	http_client_init(&c, &env);
	get(&c, "http://h/a", &sb, &g);
	http_get_fini(&g);
	rc = get(&c, "http://h/b", &sb, &g);
	CHECK("stale kept connection: retried", rc == 0 && !strcmp(sb.b, "two") && c.connections == 2);
	http_get_fini(&g);
	http_client_fini(&c);

	/* different port: a new connection */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { OK(1) "x" }, 1, 0, 0 };
	e.scripts[1] = (struct mock_script){ { OK(1) "y" }, 1, 0, 0 };
	e.nscripts = 2;
	http_client_init(&c, &env);
	get(&c, "http://h/a", &sb, &g);
	http_get_fini(&g);
	rc = get(&c, "http://h:8080/a", &sb, &g);
	CHECK("other port: new connection", rc == 0 && c.connections == 2 && e.port[1] == 8080);
	http_get_fini(&g);
	http_client_fini(&c);

	/* relative redirect on the same connection, then http → https on a new one */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){
		{ "HTTP/1.1 302 Found\r\nLocation: ../x/y?q\r\nContent-Length: 4\r\n\r\nmove",
		  "HTTP/1.1 301 Moved\r\nLocation: https://secure.test/z\r\nContent-Length: 0\r\n\r\n" }, 2, 0, 0 };
	e.scripts[1] = (struct mock_script){ { OK(6) "secure" }, 1, 0, 0 };
	e.nscripts = 2;
	http_client_init(&c, &env);
	rc = get(&c, "http://h/a/b/c", &sb, &g);
	CHECK("redirects followed, upgrade to https allowed", rc == 0 && !strcmp(sb.b, "secure") &&
		g.redirects == 2 && e.https[1] && e.port[1] == 443 && !strcmp(e.host[1], "secure.test"));
	CHECK("redirect bodies not delivered", !strstr(sb.b, "move"));
	CHECK_STR("final URL", g.final_url, "https://secure.test/z");
	http_client_fini(&c);
	CHECK("relative Location resolved (RFC 3986)", strstr(e.sent_copy[0], "GET /a/x/y?q HTTP/1.1\r\n") != NULL);
	http_get_fini(&g);

	/* https → http refused */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){
		{ "HTTP/1.1 302 Found\r\nLocation: http://h/plain\r\nContent-Length: 0\r\n\r\n" }, 1, 0, 0 };
	e.nscripts = 1;
	http_client_init(&c, &env);
	rc = get(&c, "https://h/a", &sb, &g);
	CHECK("https -> http redirect refused", rc == -WB_EHTTPDOWNGRADE && c.connections == 1);
	http_get_fini(&g);
	http_client_fini(&c);

	/* redirect without Location; 6 redirects */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { "HTTP/1.1 301 Moved\r\nContent-Length: 0\r\n\r\n" }, 1, 0, 0 };
	e.nscripts = 1;
	http_client_init(&c, &env);
	rc = get(&c, "http://h/a", &sb, &g);
	CHECK("redirect without Location", rc == -WB_EHTTPNOLOCATION && g.status == 301);
	http_get_fini(&g);
	http_client_fini(&c);
	env_init(&e, &env);
	for (int i = 0; i < 3; i++)
		e.scripts[i] = (struct mock_script){
			{ "HTTP/1.1 307 T\r\nLocation: /l\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" }, 1, 0, 0 };
	for (int i = 3; i < 7; i++)
		e.scripts[i] = e.scripts[0];
	e.nscripts = 7;
	http_client_init(&c, &env);
	rc = get(&c, "http://h/l", &sb, &g);
	CHECK("redirect loop: refused after 5 (Connection: close honoured)",
	      rc == -WB_EHTTPREDIRMAX && g.redirects == 5 && c.connections == 6);
	http_get_fini(&g);
	http_client_fini(&c);

	/* Range and Basic auth */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){
		{ "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 10-13/100\r\nContent-Length: 4\r\n\r\nabcd",
		  OK(4) "full" }, 2, 0, 0 };
	e.nscripts = 1;
	http_client_init(&c, &env);
	memset(&g, 0, sizeof(g));
	memset(&sb, 0, sizeof(sb));
	g.url = "http://Aladdin:open%20sesame@h/f";
	g.has_range = 1;
	g.range_first = 10;
	g.range_last = 13;
	g.sink = sink;
	g.sink_arg = &sb;
	rc = http_client_get(&c, &g);
	CHECK("206 range delivered", rc == 0 && !strcmp(sb.b, "abcd") && g.status == 206);
	http_get_fini(&g);
	memset(&sb, 0, sizeof(sb));
	rc = http_client_get(&c, &g);
	CHECK("range ignored by the server (200) refused", rc == -WB_EHTTPRANGE && sb.n == 0);
	http_get_fini(&g);
	http_client_fini(&c);
	CHECK("Range and Authorization on the wire",
	      strstr(e.sent_copy[0], "Range: bytes=10-13\r\n") &&
	      strstr(e.sent_copy[0], "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"));

	/* a big unwanted body is not read: the connection is dropped */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nxxxxxxxx" }, 1, 0, 0 };
	e.scripts[1] = (struct mock_script){ { "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nxxxxx\r\n" }, 1, 0, 0 };
	e.nscripts = 2;
	http_client_init(&c, &env);
	memset(&g, 0, sizeof(g));
	memset(&sb, 0, sizeof(sb));
	g.url = "http://h/f";
	g.has_range = 1;
	g.range_first = 0;
	g.range_last = 9;
	rc = http_client_get(&c, &g);
	CHECK("ignored Range: 1 MB body not read, connection dropped", rc == -WB_EHTTPRANGE && !c.conn);
	http_get_fini(&g);
	rc = get(&c, "http://h/e", &sb, &g);
	CHECK("chunked error page not read", rc == -WB_EHTTPSERVER && !c.conn && sb.n == 0);
	http_get_fini(&g);
	http_client_fini(&c);

	/* status errors */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
					       "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n",
					       "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n",
					       "HTTP/1.1 418 Teapot\r\nContent-Length: 0\r\n\r\n" }, 4, 0, 0 };
	e.nscripts = 1;
	http_client_init(&c, &env);
	rc = get(&c, "http://h/1", &sb, &g);
	CHECK("404", rc == -WB_EHTTPNOTFOUND && g.status == 404 && !strcmp(g.reason, "Not Found") && sb.n == 0);
	http_get_fini(&g);
	rc = get(&c, "http://h/2", &sb, &g);
	CHECK("401", rc == -WB_EHTTPAUTH);
	http_get_fini(&g);
	rc = get(&c, "http://h/3", &sb, &g);
	CHECK("503", rc == -WB_EHTTPSERVER);
	http_get_fini(&g);
	rc = get(&c, "http://h/4", &sb, &g);
	CHECK("418", rc == -WB_EHTTPCLIENT && c.connections == 1);
	http_get_fini(&g);
	http_client_fini(&c);

	/* timeouts and Ctrl-C on the fake clock */
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab" }, 1, 0, 0 };
	e.scripts[1] = (struct mock_script){ { NULL }, 0, 0, 1 };
	e.scripts[2] = (struct mock_script){ { NULL }, 0, 0, 0 };
	e.nscripts = 3;
	http_client_init(&c, &env);
	fake_ms = 0;
	rc = get(&c, "http://h/stall", &sb, &g);
	CHECK("idle timeout", rc == -WB_EHTTPIDLE && fake_ms >= HTTP_IDLE_TIMEOUT_MS && !strcmp(sb.b, "ab"));
	http_get_fini(&g);
	fake_ms = 0;
	rc = get(&c, "http://h/noconnect", &sb, &g);
	CHECK("connect timeout", rc == -WB_EHTTPCONNTIMEOUT && fake_ms >= HTTP_CONNECT_TIMEOUT_MS &&
					 fake_ms < HTTP_IDLE_TIMEOUT_MS);
	http_get_fini(&g);
	e.cancel_now = 1;
	rc = get(&c, "http://h/silent", &sb, &g);
	CHECK("Ctrl-C", rc == -WB_ECANCELED);
	http_get_fini(&g);
	http_client_fini(&c);

	/* end of a TLS stream without close_notify (-WB_ETLSTRUNC, a FIN anyone
	 * can forge): a body that ends at the close is then truncated, never
	 * complete; with close_notify (-WB_ECLOSED) it is complete */
#define UNTIL_CLOSE "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npartial body"
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { UNTIL_CLOSE }, 1, 1, 0 };
	e.eof_rc[0] = -WB_ETLSTRUNC;
	e.scripts[1] = (struct mock_script){ { UNTIL_CLOSE }, 1, 1, 0 };
	e.nscripts = 2;
	http_client_init(&c, &env);
	rc = get(&c, "https://h/until-close", &sb, &g);
	CHECK("until-close body, TCP closed without close_notify: truncation error",
	      rc == -WB_EHTTPSTRUNC && g.status == 200 && !c.conn);
	http_get_fini(&g);
	rc = get(&c, "https://h/until-close", &sb, &g);
	CHECK("until-close body ended by close_notify: complete", rc == 0 && !strcmp(sb.b, "partial body"));
	http_get_fini(&g);
	http_client_fini(&c);
	env_init(&e, &env);
	e.scripts[0] = (struct mock_script){ { OK(5) "exact" }, 1, 1, 0 };
	e.scripts[1] = (struct mock_script){ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					       "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n" }, 1, 1, 0 };
	e.scripts[2] = (struct mock_script){ { "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort" }, 1, 1, 0 };
	e.scripts[3] = (struct mock_script){ { "HTTP/1.1 200 OK\r\nContent-Le" }, 1, 1, 0 };
	for (int i = 0; i < 4; i++)
		e.eof_rc[i] = -WB_ETLSTRUNC;
	e.nscripts = 4;
	http_client_init(&c, &env);
	rc = get(&c, "https://h/length", &sb, &g);
	CHECK("Content-Length body, then TCP close without close_notify: complete", rc == 0 && !strcmp(sb.b, "exact"));
	http_get_fini(&g);
	/* the kept connection then reads as closed without close_notify before any
	 * byte of the next response: a stale connection, retried on a new one */
	rc = get(&c, "https://h/chunked", &sb, &g);
	CHECK("kept connection ended without close_notify: retried; chunked body then complete",
	      rc == 0 && !strcmp(sb.b, "abcde") && c.connections == 2);
	http_get_fini(&g);
	rc = get(&c, "https://h/short", &sb, &g);
	CHECK("short Content-Length body without close_notify: body truncated (HTTP's own error)",
	      rc == -WB_EHTTPTRUNC && c.connections == 3);
	http_get_fini(&g);
	rc = get(&c, "https://h/head", &sb, &g);
	CHECK("header cut short without close_notify: header truncated", rc == -WB_EHTTPHDRTRUNC);
	http_get_fini(&g);
	http_client_fini(&c);

	/* bad URLs */
	env_init(&e, &env);
	http_client_init(&c, &env);
	CHECK("ftp:// refused", get(&c, "ftp://h/x", &sb, &g) == -WB_EURINOTHTTP);
	http_get_fini(&g);
	CHECK("relative URL refused", get(&c, "/x", &sb, &g) == -WB_EURIRELATIVE);
	http_get_fini(&g);
	CHECK("no host refused", get(&c, "http:///x", &sb, &g) == -WB_EURINOHOST);
	http_get_fini(&g);
	http_client_fini(&c);
	unit_alloc_sweep("allocation failures (redirect, chunked, keep-alive)", sweep_run, NULL, sweep_ok);
	return unit_done();
}
