/*
 * fuzz_san_http.c — libFuzzer target: the HTTP(S) range block device
 * (san/san_http.c: size probe, redirects, pipelined range answers over
 * several connections, exactness checks, reconnect and reissue) against a
 * server whose every byte is the fuzzer's.
 *
 * Input: byte 0 flags (bits 0-1: connections 1-4, bit 2 read-ahead on,
 * bit 3 a second read), byte 1 a seed for the piece sizes the streams
 * deliver; the rest is split at each "\n--conn--\n" into what successive
 * connections send (at most FZ_CONNS; a further connect is refused).  A
 * connection sends its bytes, in pieces, once a request head has arrived,
 * then reports EOF.  The clock advances 50 ms per poll and the device's
 * timeouts are short, so every run ends.
 *
 * Checks: no crash or out-of-bounds access (ASan/UBSan), every request
 * line free of CR/LF, an open or read that fails says why (a message),
 * a successful open gives a size that is a whole number of blocks, and
 * nothing leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "san/san.h"
#include "san/san_http.h"

long host_live_allocs(void);

#define FZ_CONNS 8

struct fz_conn {
	struct stream base;
	const uint8_t *data;
	size_t len, off;
	int asked;
	char head[512];
	size_t head_len;
};

static struct {
	const uint8_t *part[FZ_CONNS];
	size_t part_len[FZ_CONNS];
	int nparts, next;
	uint32_t seed;
	uint64_t now;
} fz;

static enum stream_state fz_state(const struct stream *s)
{
	const struct fz_conn *c = (const struct fz_conn *)s;

	return c->asked && c->off == c->len ? STREAM_EOF : STREAM_OPEN;
}
static int fz_error(const struct stream *s) { (void)s; return 0; }
static int fz_send(struct stream *s, const void *b, size_t n)
{
	struct fz_conn *c = (struct fz_conn *)s;
	size_t k = n < sizeof(c->head) - 1 - c->head_len ? n : sizeof(c->head) - 1 - c->head_len;

	memcpy(c->head + c->head_len, b, k);
	c->head_len += k;
	c->head[c->head_len] = '\0';
	if (!c->asked && strstr(c->head, "\r\n\r\n")) {
		const char *eol = strstr(c->head, "\r\n");

		for (const char *p = c->head; p < eol; p++)
			if (*p == '\n' || *p == '\r')
				abort();
		c->asked = 1;
	}
	return (int)n;
}
static size_t fz_send_space(const struct stream *s) { (void)s; return 4096; }
static int fz_recv(struct stream *s, void *b, size_t n)
{
	struct fz_conn *c = (struct fz_conn *)s;
	size_t piece;

	if (!c->asked)
		return 0;
	if (c->off == c->len)
		return -WB_ECLOSED;
	fz.seed = fz.seed * 1103515245u + 12345u;
	piece = 1 + (fz.seed >> 16) % 997;
	if (piece > c->len - c->off)
		piece = c->len - c->off;
	if (n > piece)
		n = piece;
	memcpy(b, c->data + c->off, n);
	c->off += n;
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

static int fz_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	struct fz_conn *c;

	(void)arg;
	(void)host;
	(void)port;
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
static void fz_poll(void *arg) { (void)arg; fz.now += 50; }
static uint64_t fz_now(void) { return fz.now; }

static uint8_t fz_buf[64 * 512];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n--conn--\n";
	struct san_env env;
	struct san_http_cfg cfg;
	struct san_dev *d = NULL;
	char msg[SAN_MSG_MAX];
	long live = host_live_allocs();
	const uint8_t *p, *end;
	int rc;

	if (size < 2)
		return 0;
	memset(&fz, 0, sizeof(fz));
	fz.seed = data[1] * 2654435761u + 1;
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
	memset(&env, 0, sizeof(env));
	env.connect = fz_connect;
	env.connect_tls = fz_connect;
	env.poller.poll = fz_poll;
	env.now_ms = fz_now;
	memset(&cfg, 0, sizeof(cfg));
	cfg.url = "http://u:p@boot.test/disk.img";
	cfg.connections = 1 + (data[0] & 3);
	cfg.depth = 4;
	cfg.request_size = 4096;
	cfg.readahead = data[0] & 4 ? 16384 : 1;
	cfg.io_timeout_ms = 500;
	cfg.connect_timeout_ms = 500;
	cfg.retry_ms = 1000;
	cfg.cmd_timeout_ms = 3000;
	cfg.max_reissues = 2;
	rc = san_http_open(&env, &cfg, &d, msg, sizeof(msg));
	if (rc) {
		if (!msg[0] || d)
			abort();   /* a failed open says why and returns nothing */
	} else {
		const struct san_info *in = san_info(d);
		uint32_t n = in->blocks < 64 ? (uint32_t)in->blocks : 64;

		if (!in->blocks || in->block_size != 512)
			abort();
		rc = san_read(d, 0, n, fz_buf);
		if (rc < 0 && !san_error(d)[0])
			abort();
		if (data[0] & 8) {
			rc = san_read(d, in->blocks - 1, 1, fz_buf);
			if (rc < 0 && !san_error(d)[0])
				abort();
		}
		san_poll(d);
		san_close(d, 0);
	}
	if (host_live_allocs() != live)
		abort();
	return 0;
}
