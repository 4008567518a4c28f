/*
 * fuzz_nfs_client.c — libFuzzer target: the whole NFS client
 * (proto/nfs_client.c: portmapper, MNT prefixes, LOOKUP walk with symlinks,
 * FSINFO, the READ pipeline, UMNT) against an in-memory server whose
 * answers come from the input — not just the parsers (fuzz_nfs.c).
 *
 * Input: byte 0 seeds the piece sizes the streams deliver; then chunks
 * [flags][len][len bytes].  Each call record the client sends is answered
 * by the next chunk: flags bit 0 clear → a record holding an accepted
 * SUCCESS header with the call's XID (bit 1 set: the XID of the call
 * before) followed by the chunk's bytes; bit 0 set → the chunk's bytes
 * raw on the stream (record marks and all).  Without chunks left the
 * server stalls, and the client's no-reply timeout (2 s; the clock moves
 * 50 ms per poll) ends the run.
 *
 * Checks: no crash or out-of-bounds access (ASan), the bytes given to the
 * sink never exceed g.size and arrive only on success as g.size in all,
 * nothing leaks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "proto/nfs_client.h"

long host_live_allocs(void);

#define FZ_OUT 16384

struct fz_conn {
	struct stream base;
	uint8_t in[256];       /* the call being received from the client */
	size_t in_len;
	uint8_t out[FZ_OUT];   /* replies waiting to be read */
	size_t out_len, out_off;
	uint32_t last_xid;
};

static struct {
	const uint8_t *data;
	size_t len, off;
	uint32_t seed;
	uint64_t now;
} fz;

static void fz_answer(struct fz_conn *c, uint32_t xid)
{
	uint8_t flags;
	size_t n;
	const uint8_t *p;

	if (fz.len - fz.off < 3)
		return;   /* stall */
	flags = fz.data[fz.off];
	n = (size_t)fz.data[fz.off + 1] << 8 | fz.data[fz.off + 2];
	fz.off += 3;
	if (n > fz.len - fz.off)
		n = fz.len - fz.off;
	p = fz.data + fz.off;
	fz.off += n;
	if (flags & 1) {
		if (n > FZ_OUT - c->out_len)
			n = FZ_OUT - c->out_len;
		memcpy(c->out + c->out_len, p, n);
		c->out_len += n;
	} else {
		uint32_t w[7], rx = flags & 2 ? c->last_xid : xid;
		uint32_t len = (uint32_t)(24 + n);

		if (28 + n > FZ_OUT - c->out_len)
			return;
		w[0] = 0x80000000u | len;
		w[1] = rx;
		w[2] = 1, w[3] = 0, w[4] = 0, w[5] = 0, w[6] = 0;
		for (int i = 0; i < 7; i++) {
			c->out[c->out_len++] = (uint8_t)(w[i] >> 24);
			c->out[c->out_len++] = (uint8_t)(w[i] >> 16);
			c->out[c->out_len++] = (uint8_t)(w[i] >> 8);
			c->out[c->out_len++] = (uint8_t)w[i];
		}
		memcpy(c->out + c->out_len, p, n);
		c->out_len += n;
	}
	c->last_xid = xid;
}

static enum stream_state fz_state(const struct stream *s) { return STREAM_OPEN; }
static int fz_error(const struct stream *s) { return 0; }
static int fz_send(struct stream *s, const void *b, size_t n)
{
	struct fz_conn *c = (struct fz_conn *)s;
	const uint8_t *p = b;

	for (size_t i = 0; i < n; i++) {
		if (c->in_len < sizeof(c->in))
			c->in[c->in_len] = p[i];
		c->in_len++;
		if (c->in_len >= 8) {
			size_t rec = ((size_t)(c->in[0] & 0x7f) << 24 | (size_t)c->in[1] << 16 |
				      (size_t)c->in[2] << 8 | c->in[3]) + 4;

			if (c->in_len == rec) {   /* a whole call: answer it */
				uint32_t xid = (uint32_t)c->in[4] << 24 | (uint32_t)c->in[5] << 16 |
					       (uint32_t)c->in[6] << 8 | c->in[7];

				if (c->out_off == c->out_len)
					c->out_off = c->out_len = 0;
				fz_answer(c, xid);
				c->in_len = 0;
			}
		}
	}
	return (int)n;
}
static size_t fz_send_space(const struct stream *s) { return 4096; }
static int fz_recv(struct stream *s, void *b, size_t n)
{
	struct fz_conn *c = (struct fz_conn *)s;
	size_t piece;

	if (c->out_off == c->out_len)
		return 0;
	fz.seed = fz.seed * 1103515245u + 12345u;
	piece = 1 + (fz.seed >> 16) % 301;
	if (piece > c->out_len - c->out_off)
		piece = c->out_len - c->out_off;
	if (n > piece)
		n = piece;
	memcpy(b, c->out + c->out_off, n);
	c->out_off += n;
	return (int)n;
}
static size_t fz_recv_avail(const struct stream *s)
{
	const struct fz_conn *c = (const struct fz_conn *)s;

	return c->out_len - c->out_off;
}
static void fz_close(struct stream *s) { plat_free(s); }

static const struct stream_ops fz_ops = {
	.state = fz_state, .error = fz_error, .send = fz_send, .send_space = fz_send_space,
	.recv = fz_recv, .recv_avail = fz_recv_avail, .close = fz_close,
};

static int fz_connect(void *arg, int is_https, const char *host, uint16_t port, struct stream **out)
{
	struct fz_conn *c = plat_malloc(sizeof(*c));

	if (!c)
		return -WB_ENOMEM;
	memset(c, 0, sizeof(*c));
	c->base.ops = &fz_ops;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct http_env env = {
		.connect = fz_connect, .poller = { fz_poll, NULL, fz_cancel }, .now_ms = fz_now,
	};
	struct nfs_get g;
	long live = host_live_allocs();
	uint64_t got = 0;
	int rc;

	if (size < 1)
		return 0;
	memset(&fz, 0, sizeof(fz));
	fz.seed = data[0] * 2654435761u + 1;
	fz.data = data + 1;
	fz.len = size - 1;
	fz.now = 1000;
	memset(&g, 0, sizeof(g));
	g.url = "nfs://192.0.2.1/srv/boot/dir/vmlinuz";
	g.sink = fz_sink;
	g.sink_arg = &got;
	g.connect_timeout_ms = g.idle_timeout_ms = 2000;
	rc = nfs_get(&env, &g);
	if (getenv("FZ_VERBOSE"))   /* checking a seed: what the client made of it */
		fprintf(stderr, "nfs_get: %d (%s) %s; %llu of %llu bytes\n", rc, wb_strerror(rc),
			g.detail, (unsigned long long)got, (unsigned long long)g.size);
	if (got > g.size || got != g.received || (!rc && got != g.size))
		abort();
	if (host_live_allocs() != live)
		abort();
	return 0;
}
