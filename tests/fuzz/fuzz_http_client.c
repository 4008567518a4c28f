/*
 * fuzz_http_client.c — libFuzzer target: the whole HTTP client
 * (proto/http_client.c: request, response parsing, keep-alive reuse,
 * redirects, chunked bodies, Range, timeouts) over scripted in-memory
 * connections, not just the response parser (fuzz_http.c).
 *
 * Input: byte 0 flags (bit 0 HEAD, bit 1 ask a Range, bit 2 the sink fails
 * after 64 bytes, bit 3 connections end as a TLS stream closed without
 * close_notify does: -WB_ETLSTRUNC instead of -WB_ECLOSED), byte 1 a seed for the piece sizes the streams deliver;
 * the rest is split at each "\n--conn--\n" into what successive connections
 * send (at most FZ_CONNS; a further connect is refused).  Each connection
 * sends its bytes, in pieces, once a request head has arrived, then reports
 * EOF.  The clock advances 50 ms per poll, so idle timeouts end every run.
 *
 * Checks: no crash or out-of-bounds access (ASan), the body given to the
 * sink never exceeds the bytes the connections sent, every request the
 * client writes is one head ending in CRLF CRLF with no CR or LF inside a
 * request line, at most HTTP_REDIRECTS_MAX + 1 requests per get (plus one
 * retry on a kept connection found closed), nothing leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "proto/http_client.h"

long host_live_allocs(void);

#define FZ_CONNS 8

struct fz_conn {
	struct stream base;
	const uint8_t *data;
	size_t len, off;
	int asked;          /* a complete request head arrived */
	char head[512];     /* the start of what the client sent */
	size_t head_len;
};

static struct {
	const uint8_t *part[FZ_CONNS];
	size_t part_len[FZ_CONNS];
	int nparts, next;
	uint32_t seed;
	int end_rc;         /* what recv returns at the end of a connection */
	uint64_t now;
	size_t sent_total;  /* bytes all connections delivered */
	unsigned requests;
} fz;

static enum stream_state fz_state(const struct stream *s)
{
	const struct fz_conn *c = (const struct fz_conn *)s;

	return c->asked && c->off == c->len ? STREAM_EOF : STREAM_OPEN;
}
static int fz_error(const struct stream *s) { return 0; }
static int fz_send(struct stream *s, const void *b, size_t n)
{
	struct fz_conn *c = (struct fz_conn *)s;
	size_t k = n < sizeof(c->head) - 1 - c->head_len ? n : sizeof(c->head) - 1 - c->head_len;

	memcpy(c->head + c->head_len, b, k);
	c->head_len += k;
	c->head[c->head_len] = '\0';
	if (!c->asked && strstr(c->head, "\r\n\r\n")) {
		const char *eol = strstr(c->head, "\r\n");

		/* the request line holds no bare CR or LF (no header injection) */
		for (const char *p = c->head; p < eol; p++)
			if (*p == '\n' || *p == '\r')
				abort();
		c->asked = 1;
		fz.requests++;
	}
	return (int)n;
}
static size_t fz_send_space(const struct stream *s) { return 4096; }
static int fz_recv(struct stream *s, void *b, size_t n)
{
	struct fz_conn *c = (struct fz_conn *)s;
	size_t piece;

	if (!c->asked)
		return 0;
	if (c->off == c->len)
		return fz.end_rc;
	fz.seed = fz.seed * 1103515245u + 12345u;
	piece = 1 + (fz.seed >> 16) % 97;
	if (piece > c->len - c->off)
		piece = c->len - c->off;
	if (n > piece)
		n = piece;
	memcpy(b, c->data + c->off, n);
	c->off += n;
	fz.sent_total += n;
	return (int)n;
}
static size_t fz_recv_avail(const struct stream *s)
{
	const struct fz_conn *c = (const struct fz_conn *)s;

	return c->asked ? c->len - c->off : 0;
}
static void fz_close(struct stream *s) { plat_free(s); }

static const struct stream_ops fz_ops = {
	.state = fz_state, .error = fz_error, .send = fz_send, .send_space = fz_send_space,
	.recv = fz_recv, .recv_avail = fz_recv_avail, .close = fz_close,
};

static int fz_connect(void *arg, int is_https, const char *host, uint16_t port, struct stream **out)
{
	struct fz_conn *c;

	if (fz.next >= fz.nparts)
		return -WB_ECONNREFUSED;
	c = plat_malloc(sizeof(*c));
	if (!c)
		return -WB_ENOMEM;
	memset(c, 0, sizeof(*c));
	c->base.ops = &fz_ops;
	c->data = fz.part[fz.next];
	c->len = fz.part_len[fz.next];
	fz.next++;
	*out = &c->base;
	return 0;
}
static void fz_poll(void *arg) { fz.now += 50; }
static int fz_cancel(void) { return 0; }
static uint64_t fz_now(void) { return fz.now; }

static int fz_sink(void *arg, const uint8_t *d, size_t len)
{
	uint64_t *got = arg;

	*got += len;
	return 0;
}
static int fz_sink_fail(void *arg, const uint8_t *d, size_t len)
{
	uint64_t *got = arg;

	*got += len;
	return *got > 64 ? -WB_ENOMEM : 0;   /* any sink error */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n--conn--\n";
	static const struct http_env env = {
		.connect = fz_connect, .poller = { fz_poll, NULL, fz_cancel }, .now_ms = fz_now,
	};
	struct http_client c;
	struct http_get g;
	long live = host_live_allocs();
	uint64_t got = 0;
	const uint8_t *p, *end;

	if (size < 2)
		return 0;
	memset(&fz, 0, sizeof(fz));
	fz.seed = data[1] * 2654435761u + 1;
	fz.end_rc = data[0] & 8 ? -WB_ETLSTRUNC : -WB_ECLOSED;
	p = data + 2;
	end = data + size;
	while (p <= end && fz.nparts < FZ_CONNS) {
		const uint8_t *q = p;

		while (q + sizeof(sep) - 1 <= end && memcmp(q, sep, sizeof(sep) - 1))
			q++;
		if (q + sizeof(sep) - 1 > end)
			q = end;
		fz.part[fz.nparts] = p;
		fz.part_len[fz.nparts++] = (size_t)(q - p);
		p = q + sizeof(sep) - 1;
	}
	if (http_client_init(&c, &env))
		return 0;
	c.idle_timeout_ms = 2000;
	c.connect_timeout_ms = 2000;
	memset(&g, 0, sizeof(g));
	g.url = "http://boot.test/boot.ipxe";
	g.head = data[0] & 1;
	if (data[0] & 2) {
		g.has_range = 1;
		g.range_first = 100;
		g.range_last = 4195;
	}
	g.sink = data[0] & 4 ? fz_sink_fail : fz_sink;
	g.sink_arg = &got;
	/* twice: the second get may reuse the kept connection */
	for (int i = 0; i < 2; i++) {
		unsigned before = fz.requests;

		got = 0;
		http_client_get(&c, &g);
		if (got > fz.sent_total || g.received > fz.sent_total)
			abort();
		if (fz.requests - before > HTTP_REDIRECTS_MAX + 2)
			abort();
		http_get_fini(&g);
	}
	http_client_fini(&c);
	if (host_live_allocs() != live)
		abort();
	return 0;
}
