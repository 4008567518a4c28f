/*
 * test_san_http.c — san/san_http.c against a scripted fake HTTP server over
 * in-memory streams on a fake clock: the size probe (206 bytes 0-0/size),
 * exact reads at odd LBAs compared with the image, requests pipelined on a
 * connection and spread over several, read-ahead, Basic auth from the URL;
 * and the refusals, each with its own code and a message naming the byte
 * range: 200 instead of 206, another Content-Range, ETag or Last-Modified
 * changed, a size that is no whole block; a short body + close (reissued
 * and then served; failing after san-retries), a connection dropped after N
 * requests (survived), writes refused; allocation failures.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "san/san.h"
#include "san/san_http.h"
#include "san/wbmap.h"

#define UNIT_NAME "san_http"
#include "unit.h"

#define IMG_MAX (4u << 20)

/* what the fake server does; reset per test */
static struct {
	uint64_t size;            /* image bytes */
	unsigned requests;        /* GETs answered, all connections */
	unsigned connects;
	int whole_at;             /* the Nth GET is answered 200 with the whole file (0: off) */
	int wrong_at;             /* the Nth GET gets a range shifted by 512 bytes */
	int short_at;             /* the Nth GET gets half its body, then the connection closes */
	int short_all;            /* from short_at on, every GET */
	int etag_after;           /* after N GETs the ETag is another */
	int lm_after;             /* after N GETs Last-Modified is another */
	int drop_after;           /* a connection closes (unanswered) when its Nth+1 GET arrives */
	int refuse;
	uint64_t refuse_until;    /* connects refused while the fake clock is before this */
	int mute_at;              /* the Nth GET and all after it on that connection go unanswered */
	int mute_all;             /* from mute_at on, every GET on every connection */
	unsigned max_pipelined;   /* most GETs received on a connection while answers were unread */
	unsigned conns_used;      /* connections that answered at least one GET */
	int probe_status;         /* the probe's status instead of 206 (0: 206) */
	const char *redirect;     /* GETs of a path other than /real/... answer 302 to this */
	unsigned tls_connects;    /* connects through env.connect_tls */
	unsigned trickle;         /* at most this many bytes per receive (0: 2999) */
	unsigned stall_asks;      /* env.stall_cancel calls */
	int ctrl_c;               /* what env.stall_cancel answers */
	char auth[128];           /* the last Authorization header */
	char lastline[256];       /* the last request line */
} sc;

static uint64_t fake_ms;
static char logbuf[8192];
static uint8_t img[IMG_MAX];

static uint64_t t_now(void) { return fake_ms; }
static void t_poll(void *arg) { (void)arg; fake_ms += 1; }
static void t_log(void *arg, const char *line)
{
	size_t l = strlen(logbuf);

	(void)arg;
	snprintf(logbuf + l, sizeof(logbuf) - l, "%s\n", line);
}

static uint8_t pattern(uint64_t i) { return (uint8_t)(i * 7 + (i >> 9) * 13 + (i >> 17)); }

struct conn {
	struct stream base;
	char in[16384];
	size_t inlen;
	uint8_t *out;
	size_t outlen, outpos, outcap;
	int closed;
	int muted;
	unsigned gets;
	uint64_t tick;            /* with sc.trickle: the fake ms of ... */
	unsigned tick_bytes;      /* ... the bytes given out in it */
};

static void out_put(struct conn *c, const void *b, size_t n)
{
	if (c->outlen + n > c->outcap) {
		c->outcap = (c->outlen + n) * 2 + 4096;
		c->out = realloc(c->out, c->outcap);
	}
	memcpy(c->out + c->outlen, b, n);
	c->outlen += n;
}

static void out_fmt(struct conn *c, const char *fmt, ...)
{
	char b[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	out_put(c, b, (size_t)n);
}

static void answer(struct conn *c, const char *head)
{
	unsigned long long a = 0, b = 0;
	const char *r = strstr(head, "\r\nRange: bytes=");
	const char *au = strstr(head, "\r\nAuthorization: ");
	unsigned n;
	const char *etag, *lm;

	if (c->outpos < c->outlen && c->gets > 0) {
		/* the client sent this GET while an earlier answer was still unread */
		unsigned pending = 1;

		for (size_t i = c->outpos; i + 1 < c->outlen; i++)
			if (!memcmp(c->out + i, "HTTP/1.1 ", 9))
				pending++;
		if (pending > sc.max_pipelined)
			sc.max_pipelined = pending;
	}
	snprintf(sc.lastline, sizeof(sc.lastline), "%.*s", (int)strcspn(head, "\r"), head);
	if (au)
		snprintf(sc.auth, sizeof(sc.auth), "%.*s", (int)strcspn(au + 2, "\r"), au + 2);
	if (c->muted)
		return;
	if (sc.drop_after && c->gets >= (unsigned)sc.drop_after) {
		c->closed = 1;
		return;
	}
	c->gets++;
	if (c->gets == 1)
		sc.conns_used++;
	n = ++sc.requests;
	if (sc.mute_at && ((int)n == sc.mute_at || (sc.mute_all && (int)n > sc.mute_at))) {
		c->muted = 1;
		return;
	}
	if (r)
		sscanf(r, "\r\nRange: bytes=%llu-%llu", &a, &b);
	etag = sc.etag_after && n > (unsigned)sc.etag_after ? "\"e2\"" : "\"e1\"";
	lm = sc.lm_after && n > (unsigned)sc.lm_after ? "Tue, 08 Dec 2026 05:00:01 GMT" : "Tue, 08 Dec 2026 05:00:00 GMT";
	if (sc.redirect && strncmp(head, "GET /real/", 10)) {
		out_fmt(c, "HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n", sc.redirect);
		return;
	}
	if (n == 1 && sc.probe_status) {
		out_fmt(c, "HTTP/1.1 %d Nope\r\nContent-Length: 0\r\n\r\n", sc.probe_status);
		return;
	}
	if (!r || (sc.whole_at && (int)n == sc.whole_at)) {
		out_fmt(c, "HTTP/1.1 200 OK\r\nContent-Length: %llu\r\nETag: %s\r\nLast-Modified: %s\r\n\r\n",
			(unsigned long long)sc.size, etag, lm);
		out_put(c, img, sc.size);
		return;
	}
	if (sc.wrong_at && (int)n == sc.wrong_at) {
		a += 512;
		b += 512;
	}
	if (b >= sc.size)
		b = sc.size - 1;
	out_fmt(c,
		"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes %llu-%llu/%llu\r\nContent-Length: %llu\r\n"
		"ETag: %s\r\nLast-Modified: %s\r\n\r\n",
		a, b, (unsigned long long)sc.size, b - a + 1, etag, lm);
	if (sc.short_at && ((int)n == sc.short_at || (sc.short_all && (int)n > sc.short_at))) {
		out_put(c, img + a, (b - a + 1) / 2);
		c->closed = 1;
		return;
	}
	out_put(c, img + a, b - a + 1);
}

static enum stream_state c_state(const struct stream *s)
{
	const struct conn *c = (const struct conn *)s;

	return c->closed && c->outpos == c->outlen ? STREAM_EOF : STREAM_OPEN;
}
static int c_error(const struct stream *s) { (void)s; return 0; }
static int c_send(struct stream *s, const void *b, size_t n)
{
	struct conn *c = (struct conn *)s;
	char *e;

	if (c->closed)
		return -WB_ECLOSED;
	if (n > sizeof(c->in) - 1 - c->inlen)
		n = sizeof(c->in) - 1 - c->inlen;
	memcpy(c->in + c->inlen, b, n);
	c->inlen += n;
	c->in[c->inlen] = '\0';
	while (!c->closed && (e = strstr(c->in, "\r\n\r\n"))) {
		size_t hl = (size_t)(e + 4 - c->in);

		e[2] = '\0';
		answer(c, c->in);
		memmove(c->in, c->in + hl, c->inlen - hl + 1);
		c->inlen -= hl;
	}
	return (int)n;
}
static size_t c_send_space(const struct stream *s) { (void)s; return 65536; }
static int c_recv(struct stream *s, void *b, size_t n)
{
	struct conn *c = (struct conn *)s;
	size_t left = c->outlen - c->outpos;

	if (left == 0)
		return c->closed ? -WB_ECLOSED : 0;
	if (n > left)
		n = left;
	if (n > 2999)
		n = 2999;   /* odd splits */
	if (sc.trickle) {
		/* at most sc.trickle bytes per fake millisecond */
		if (c->tick != fake_ms)
			c->tick = fake_ms, c->tick_bytes = 0;
		if (c->tick_bytes >= sc.trickle)
			return 0;
		if (n > sc.trickle - c->tick_bytes)
			n = sc.trickle - c->tick_bytes;
		c->tick_bytes += (unsigned)n;
	}
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

	free(c->out);
	plat_free(c);
}
static const struct stream_ops c_ops = { c_state, c_error, c_send, c_send_space, c_recv, c_recv_avail, c_close };

static int t_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	struct conn *c;

	(void)arg;
	(void)host;
	(void)port;
	sc.connects++;
	if (sc.refuse || fake_ms < sc.refuse_until)
		return -WB_ECONNREFUSED;
	c = plat_malloc(sizeof(*c));
	if (!c)
		return -WB_ENOMEM;
	memset(c, 0, sizeof(*c));
	c->base.ops = &c_ops;
	*out = &c->base;
	return 0;
}

static int t_connect_tls(void *arg, const char *host, uint16_t port, struct stream **out)
{
	sc.tls_connects++;
	return t_connect(arg, host, port, out);
}

/* ---- helpers --------------------------------------------------------------------- */

static struct san_env env;
static struct san_http_cfg cfg;
static char msg[SAN_MSG_MAX];

static void reset(uint64_t size)
{
	memset(&sc, 0, sizeof(sc));
	sc.size = size;
	for (uint64_t i = 0; i < IMG_MAX; i++)
		img[i] = pattern(i);
	logbuf[0] = '\0';
	msg[0] = '\0';
	memset(&env, 0, sizeof(env));
	env.connect = t_connect;
	env.poller.poll = t_poll;
	env.now_ms = t_now;
	env.log = t_log;
	memset(&cfg, 0, sizeof(cfg));
	cfg.url = "http://user:secret@192.0.2.1:8080/disk.img?token=abc";
	cfg.connections = 1;
	cfg.depth = 4;
	cfg.request_size = 8192;
	cfg.readahead = 1;
	cfg.retry_ms = 5000;
	cfg.io_timeout_ms = 2000;
}

static int data_ok(const uint8_t *b, uint64_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != pattern(off + i))
			return 0;
	return 1;
}

static struct san_dev *open_ok(const char *what)
{
	struct san_dev *d = NULL;
	int rc = san_http_open(&env, &cfg, &d, msg, sizeof(msg));

	if (rc)
		printf("    %s: open: %s\n", what, msg);
	CHECK(what, rc == 0 && d);
	return rc ? NULL : d;
}

static int has(const char *s, const char *sub)
{
	if (strstr(s, sub))
		return 1;
	printf("    \"%s\" lacks \"%s\"\n", s, sub);
	return 0;
}

static uint8_t buf[IMG_MAX];

/* ---- tests ----------------------------------------------------------------------- */

static void test_open_read(void)
{
	struct san_dev *d;
	const struct san_info *in;
	int rc;

	reset(1u << 20);
	d = open_ok("open: probe with bytes=0-0");
	if (!d)
		return;
	in = san_info(d);
	CHECK("open: size from Content-Range total", in->blocks == 2048 && in->block_size == 512);
	CHECK("open: kind HTTP, read-only", in->kind == SAN_KIND_HTTP && in->read_only == 1);
	CHECK("open: host and port", !strcmp(in->host, "192.0.2.1") && in->port == 8080 && in->ip[0] == 192);
	CHECK("open: the probe asked bytes=0-0 by GET", sc.requests == 1);
	CHECK_STR("open: Basic auth from the URL's user info", sc.auth, "Authorization: Basic dXNlcjpzZWNyZXQ=");
	CHECK("open: the query is sent", has(sc.lastline, "GET /disk.img?token=abc HTTP/1.1"));

	memset(buf, 0, sizeof(buf));
	rc = san_read(d, 3, 5, buf);
	CHECK("read: 5 blocks at LBA 3", rc == 0 && data_ok(buf, 3 * 512, 5 * 512));
	CHECK("read: asked exactly those bytes", has(sc.lastline, "GET /disk.img?token=abc HTTP/1.1"));
	rc = san_read(d, 2047, 1, buf);
	CHECK("read: the last block", rc == 0 && data_ok(buf, 2047 * 512, 512));
	rc = san_read(d, 1001, 77, buf);
	CHECK("read: 77 blocks at odd LBA 1001 (several requests)", rc == 0 && data_ok(buf, 1001 * 512, 77 * 512));
	CHECK("read: pipelined (requests sent before the first answer was read)", sc.max_pipelined >= 2);
	rc = san_read(d, 2047, 2, buf);
	CHECK("read: beyond the end refused", rc == -WB_EINVAL);
	rc = san_write(d, 0, 1, buf);
	CHECK("write: -WB_EROFS", rc == -WB_EROFS);
	CHECK("flush: 0", san_flush(d) == 0);
	CHECK("stats: reads and commands", san_stats(d)->reads == 3 && san_stats(d)->commands == sc.requests);
	CHECK("no user info or query in the log", !strstr(logbuf, "secret") && !strstr(logbuf, "token"));
	san_poll(d);
	san_close(d, 1000);

	/* several connections, read-ahead */
	reset(1u << 20);
	cfg.connections = 3;
	cfg.depth = 6;
	cfg.readahead = 64 * 1024;
	d = open_ok("open: 3 connections");
	if (!d)
		return;
	rc = san_read(d, 0, 512, buf);
	CHECK("read: 256 KiB over 3 connections", rc == 0 && data_ok(buf, 0, 256 * 1024));
	CHECK("read: several connections answered", sc.conns_used >= 2);
	rc = 0;
	for (unsigned l = 512; l < 640 && !rc; l += 8)
		rc = san_read(d, l, 8, buf + (l - 512) * 512);
	CHECK("read-ahead: 16 sequential 4 KiB reads", rc == 0 && data_ok(buf, 512 * 512, 128 * 512));
	CHECK("read-ahead: most served from the window", san_stats(d)->readahead_hits >= 14);
	san_close(d, 1000);
}

static int open_fail(const char *what, int want, const char *text)
{
	struct san_dev *d = NULL;
	int rc = san_http_open(&env, &cfg, &d, msg, sizeof(msg));

	if (rc != want)
		printf("    %s: rc %d (%s), msg \"%s\"\n", what, rc, wb_strerror(rc), msg);
	CHECK(what, rc == want && !d && has(msg, text));
	if (d)
		san_close(d, 0);
	return rc;
}

static void test_open_errors(void)
{
	reset(1u << 20);
	sc.whole_at = 1;
	open_fail("probe answered 200: -WB_ESANHTTPNORANGE", -WB_ESANHTTPNORANGE, "200");
	reset((1u << 20) + 100);
	open_fail("size not a multiple of 512: -WB_ESANHTTPSIZE", -WB_ESANHTTPSIZE, "1048676 bytes");
	reset(1u << 20);
	sc.probe_status = 404;
	open_fail("404: -WB_EHTTPNOTFOUND", -WB_EHTTPNOTFOUND, "404");
	reset(1u << 20);
	sc.refuse = 1;
	open_fail("refused: the connect error", -WB_ECONNREFUSED, "cannot connect to 192.0.2.1 port 8080");
	reset(1u << 20);
	cfg.url = "https://192.0.2.1/disk.img";
	open_fail("https without connect_tls: -WB_ENOTLS", -WB_ENOTLS, "TLS");
	reset(1u << 20);
	cfg.url = "ftp://192.0.2.1/disk.img";
	open_fail("ftp URL refused", -WB_EURINOTHTTP, "not an http");
	CHECK("no secrets in messages", !strstr(msg, "secret"));
}

/* open, then one read that must fail with @want, its message naming @text */
static void read_fail(const char *what, int want, const char *text, uint64_t lba, uint32_t n)
{
	struct san_dev *d = open_ok(what);
	int rc;

	if (!d)
		return;
	memset(buf, 0xee, n * 512);
	rc = san_read(d, lba, n, buf);
	if (rc != want)
		printf("    %s: rc %d (%s), error \"%s\"\n", what, rc, wb_strerror(rc), san_error(d));
	CHECK(what, rc == want && has(san_error(d), text));
	/* never wrong data: the buffer stays untouched */
	{
		int untouched = 1;

		for (size_t i = 0; i < n * 512; i++)
			if (buf[i] != 0xee)
				untouched = 0;
		CHECK("  ... and no byte reached the caller", untouched);
	}
	CHECK("  ... no user info or query in the message", !strstr(san_error(d), "secret") && !strstr(san_error(d), "token"));
	/* the device is still usable after an integrity refusal once the server behaves */
	sc.whole_at = sc.wrong_at = sc.etag_after = sc.lm_after = sc.short_at = 0;
	san_close(d, 0);
}

static void test_refusals(void)
{
	reset(1u << 20);
	sc.whole_at = 3;
	read_fail("200 instead of 206: -WB_ESANHTTPNORANGE naming the range", -WB_ESANHTTPNORANGE,
		  "bytes 9216-17407", 2, 40);
	reset(1u << 20);
	sc.wrong_at = 2;
	read_fail("another Content-Range: -WB_ESANHTTPRANGE", -WB_ESANHTTPRANGE, "asked bytes 1024-9215", 2, 40);
	reset(1u << 20);
	sc.etag_after = 2;
	read_fail("ETag changed mid-use: -WB_ESANHTTPCHANGED", -WB_ESANHTTPCHANGED, "ETag changed", 2, 40);
	reset(1u << 20);
	sc.lm_after = 3;
	read_fail("Last-Modified changed: -WB_ESANHTTPCHANGED", -WB_ESANHTTPCHANGED, "Last-Modified changed", 2, 40);
	/* a large read (past the window: straight into the caller's buffer) */
	reset(1u << 20);
	sc.etag_after = 9;
	{
		struct san_dev *d = open_ok("large read: open");
		int rc = d ? san_read(d, 100, 400, buf) : -1;

		CHECK("large read, ETag changed from its 9th piece on: -WB_ESANHTTPCHANGED naming that piece",
		      rc == -WB_ESANHTTPCHANGED && has(san_error(d), "bytes 116736-124927"));
		if (d)
			san_close(d, 0);
	}
	reset(1u << 20);
	sc.short_at = 2;
	sc.short_all = 1;
	cfg.max_reissues = 2;
	read_fail("short body + close, every time: -WB_ESANHTTPSHORT after san-retries", -WB_ESANHTTPSHORT,
		  "given up after 2 reissues", 2, 40);
}

static void test_recovery(void)
{
	struct san_dev *d;
	int rc;

	reset(1u << 20);
	sc.short_at = 3;
	d = open_ok("short body + close once: open");
	if (!d)
		return;
	rc = san_read(d, 7, 100, buf);
	CHECK("short body + close once: reissued, then the right data",
	      rc == 0 && data_ok(buf, 7 * 512, 100 * 512));
	CHECK("  ... one reconnect, retries counted", san_stats(d)->reconnects == 1 && san_stats(d)->retries >= 1);
	san_close(d, 0);

	reset(1u << 20);
	sc.drop_after = 5;
	cfg.connections = 2;
	d = open_ok("connection dropped after 5 requests: open");
	if (!d)
		return;
	rc = san_read(d, 0, 2048, buf);
	CHECK("connection dropped after every 5 requests: whole disk read right",
	      rc == 0 && data_ok(buf, 0, 1u << 20));
	CHECK("  ... over many reconnects", san_stats(d)->reconnects >= 10);
	san_close(d, 0);
}

/* a manifest of the fake image as it is now (img), @chunk bytes a chunk */
static uint8_t mapbuf[WBMAP_HEADER + 32 * 1024];
static struct wbmap map;

static int make_map(uint64_t size, uint32_t chunk)
{
	struct wbmap_writer *w;
	int rc = wbmap_writer_new(size, chunk, &w);

	if (rc)
		return rc;
	rc = wbmap_writer_feed(w, img, (size_t)size);
	if (!rc)
		rc = wbmap_writer_finish(w, mapbuf, sizeof(mapbuf));
	wbmap_writer_free(w);
	if (!rc)
		rc = wbmap_parse(mapbuf, wbmap_size(size, chunk), &map);
	return rc;
}

static void test_map(void)
{
	struct san_dev *d;
	int rc;

	/* image 1 MiB + 1536: the last 4 KiB chunk is short (1536 bytes) */
	reset((1u << 20) + 1536);
	CHECK("map: made", make_map(sc.size, 4096) == 0);
	cfg.map = &map;
	cfg.request_size = 6000;   /* rounded to whole chunks */
	d = open_ok("map: open");
	if (!d)
		return;
	rc = san_read(d, 9, 3, buf);
	CHECK("map: a read inside chunk 1 verified", rc == 0 && data_ok(buf, 9 * 512, 3 * 512));
	CHECK("map: requests are chunk-aligned", has(sc.lastline, "GET /disk.img?token=abc"));
	rc = san_read(d, 2050, 1, buf);
	CHECK("map: the last block (unaligned last chunk) verified", rc == 0 && data_ok(buf, 2050 * 512, 512));
	rc = san_read(d, 1, 2050, buf);
	CHECK("map: the whole disk but block 0 verified", rc == 0 && data_ok(buf, 512, 2050 * 512));
	/* the server's copy differs in chunk 100 (byte 409700) */
	img[409700] ^= 1;
	memset(buf, 0xee, 20 * 512);
	rc = san_read(d, 790, 20, buf);
	CHECK("map: a changed chunk: -WB_EWBMAPMISMATCH", rc == -WB_EWBMAPMISMATCH);
	CHECK("map: the message names the chunk and its bytes",
	      has(san_error(d), "chunk 100 (bytes 409600-413695)"));
	CHECK("map: no byte of it reached the caller", buf[0] == 0xee && buf[20 * 512 - 1] == 0xee);
	rc = san_read(d, 0, 8, buf);
	CHECK("map: other chunks still read", rc == 0 && data_ok(buf, 0, 4096));
	san_close(d, 0);

	reset(1u << 20);
	CHECK("map: made for 2 MiB", make_map(2u << 20, 65536) == 0);
	cfg.map = &map;
	open_fail("map for another image size: -WB_EWBMAPIMAGE", -WB_EWBMAPIMAGE, "manifest is for an image of 2097152 bytes");
}

/* a server that stops answering: io timeout, reconnect, reissue; bounded */
static void test_silent(void)
{
	struct san_dev *d;
	int rc;

	reset(1u << 20);
	sc.mute_at = 3;
	d = open_ok("silent once: open");
	if (!d)
		return;
	rc = san_read(d, 0, 64, buf);
	if (rc) printf("    rc %d %s ms %llu\n", rc, san_error(d), (unsigned long long)fake_ms);
	CHECK("silent once: after the io timeout, reissued on a new connection, right data",
	      rc == 0 && data_ok(buf, 0, 64 * 512));
	CHECK("  ... it waited the io timeout, not forever", fake_ms >= 2000 && san_stats(d)->reconnects >= 1);
	san_close(d, 0);

	reset(1u << 20);
	sc.mute_at = 2;
	sc.mute_all = 1;
	cfg.max_reissues = 2;
	d = open_ok("silent always: open");
	if (!d)
		return;
	fake_ms = 0;
	rc = san_read(d, 0, 8, buf);
	CHECK("silent always: fails after san-retries reissues", rc == -WB_ESANHTTPSHORT &&
	      has(san_error(d), "no answer in time (io timeout); given up after 2 reissues"));
	CHECK("  ... within a bounded time", fake_ms < 20000);
	san_close(d, 0);

	reset(1u << 20);
	sc.mute_at = 2;
	sc.mute_all = 1;
	cfg.cmd_timeout_ms = 5000;
	cfg.max_reissues = 100;
	d = open_ok("silent, san-command-timeout 5 s: open");
	if (!d)
		return;
	rc = san_read(d, 0, 8, buf);
	CHECK("silent: -WB_ESANCMDTIMEOUT after san-command-timeout", rc == -WB_ESANCMDTIMEOUT &&
	      has(san_error(d), "did not complete within 5 s"));
	san_close(d, 0);
}

/* the server restarts: connections refused for a while, then back */
static void test_restart(void)
{
	struct san_dev *d;
	uint64_t t0;
	int rc;

	reset(1u << 20);
	cfg.connections = 2;
	d = open_ok("server restart: open");
	if (!d)
		return;
	sc.drop_after = 1;                 /* the open connection dies at its next GET ... */
	sc.refuse_until = fake_ms + 3000;  /* ... and the server is away for 3 s */
	rc = san_read(d, 10, 300, buf);
	CHECK("server restart: the read waits, reconnects and is right",
	      rc == 0 && data_ok(buf, 10 * 512, 300 * 512));
	CHECK("  ... after the server came back", fake_ms >= sc.refuse_until && san_stats(d)->reconnects >= 1);
	CHECK("  ... the attempts were spaced (back-off), not a busy loop", sc.connects < 60);
	sc.drop_after = 1;
	sc.refuse_until = UINT64_MAX;      /* gone for good */
	t0 = fake_ms;
	rc = san_read(d, 400, 8, buf);
	CHECK("server gone: -WB_ESANGAVEUP after retry_ms", rc == -WB_ESANGAVEUP && has(san_error(d), "unreachable"));
	CHECK("  ... after retry_ms (5 s), not much later", fake_ms - t0 >= 5000 && fake_ms - t0 < 8000);
	san_close(d, 0);
}

static void test_redirects(void)
{
	struct san_dev *d;
	int rc;

	reset(1u << 20);
	sc.redirect = "/real/disk.img";
	d = open_ok("redirect: 302 to a relative Location followed");
	if (d) {
		rc = san_read(d, 5, 20, buf);
		CHECK("redirect: reads go to the new URL", rc == 0 && data_ok(buf, 5 * 512, 20 * 512) &&
		      has(sc.lastline, "GET /real/disk.img HTTP/1.1"));
		CHECK("redirect: logged without user info or query", has(logbuf, "san: 302 http://192.0.2.1:8080/disk.img?... -> http://192.0.2.1:8080/real/disk.img"));
		san_close(d, 0);
	}
	reset(1u << 20);
	sc.redirect = "/loop";
	open_fail("redirect loop: -WB_EHTTPREDIRMAX", -WB_EHTTPREDIRMAX, "more than 5 redirects");
	reset(1u << 20);
	env.connect_tls = t_connect_tls;
	cfg.url = "https://192.0.2.1/disk.img";
	sc.redirect = "http://192.0.2.1/real/disk.img";
	open_fail("redirect https -> http: -WB_EHTTPDOWNGRADE", -WB_EHTTPDOWNGRADE, "from https:// to http:// refused");
	CHECK("  ... the https URL went through connect_tls", sc.tls_connects == 1 && sc.connects == 1);
	reset(1u << 20);
	sc.redirect = "https://192.0.2.1/real/disk.img";
	open_fail("redirect to https without TLS: -WB_ENOTLS", -WB_ENOTLS, "no TLS here");
}

static int t_stall_cancel(void *arg)
{
	(void)arg;
	sc.stall_asks++;
	return sc.ctrl_c;
}

/* Ctrl-C (env.stall_cancel) is asked only while the server is silent */
static void test_stall_cancel(void)
{
	struct san_dev *d;
	int rc;

	reset(1u << 20);
	env.stall_cancel = t_stall_cancel;
	cfg.request_size = 256 * 1024;
	cfg.io_timeout_ms = 60000;
	sc.ctrl_c = 1;
	d = open_ok("stall cancel: open");
	if (!d)
		return;
	sc.trickle = 100;   /* 100 bytes a fake ms: one 256 KiB answer takes ~2.6 s */
	rc = san_read(d, 0, 512, buf);
	CHECK("stall cancel: a slow but moving answer is never interrupted",
	      rc == 0 && data_ok(buf, 0, 256 * 1024) && sc.stall_asks == 0);
	sc.trickle = 0;
	sc.mute_at = sc.requests + 1;
	rc = san_read(d, 1000, 8, buf);
	CHECK("stall cancel: a silent server: asked after 1 s, -WB_ECANCELED",
	      rc == -WB_ECANCELED && sc.stall_asks >= 1 && has(san_error(d), "cancelled (Ctrl-C)"));
	san_close(d, 0);
}

static int sweep_run(void *arg)
{
	struct san_dev *d = NULL;
	char m[SAN_MSG_MAX];
	int rc;

	(void)arg;
	reset(1u << 20);
	cfg.connections = 2;
	rc = san_http_open(&env, &cfg, &d, m, sizeof(m));
	if (rc)
		return m[0] ? rc : 1;
	rc = san_read(d, 3, 40, buf);
	if (!rc && !data_ok(buf, 3 * 512, 40 * 512))
		rc = 2;
	if (rc < 0 && !san_error(d)[0])
		rc = 1;
	san_close(d, 0);
	return rc;
}

static int sweep_ok(int rc) { return rc <= 0; }

int main(void)
{
	test_open_read();
	test_open_errors();
	test_refusals();
	test_recovery();
	test_map();
	test_silent();
	test_restart();
	test_redirects();
	test_stall_cancel();
	unit_alloc_sweep("allocation failures (open, read, close)", sweep_run, NULL, sweep_ok);
	return unit_done();
}
