/*
 * fuzz_tftp.c — libFuzzer target: the TFTP packet parser (tftp_parse) on the
 * whole input, then the client (tftp_client_get) fed the input as the
 * server's datagrams over a fake struct dgram:
 *
 *   [ctrl][len][len bytes]...   ctrl bit 0: from another port (a foreign
 *   transfer ID); bits 1-7: milliseconds that pass before it arrives (×64)
 *
 * What the client sends is checked to parse as an RRQ, ACK or ERROR.  Checks:
 * the parser never reads outside the input (ASan), the client ends (data run
 * out → its timeout), frees everything, and never delivers more than it got.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "platform/platform.h"
#include "proto/tftp_client.h"
#include "proto/tftp_msg.h"

struct fz {
	struct dgram base;
	const uint8_t *data;
	size_t size, pos;
	uint64_t now, arrive;
	uint64_t given;     /* DATA payload bytes handed to the client */
};

static struct fz *fz_cur;

static int fz_send(struct dgram *d, const uint8_t ip[4], uint16_t port, const void *buf, size_t len)
{
	struct tftp_pkt p;

	(void)d, (void)ip, (void)port;
	if (tftp_parse(buf, len, &p) || (p.op != TFTP_RRQ && p.op != TFTP_ACK && p.op != TFTP_ERROR))
		abort();   /* the client sent something malformed */
	return 0;
}

static int fz_recv(struct dgram *d, void *buf, size_t cap, uint8_t ip[4], uint16_t *port)
{
	struct fz *f = (struct fz *)d;
	unsigned ctrl, len;

	if (f->pos + 2 > f->size)
		return -WB_EAGAIN;
	ctrl = f->data[f->pos];
	if (!f->arrive)
		f->arrive = f->now + (uint64_t)(ctrl >> 1) * 64;
	if (f->now < f->arrive)
		return -WB_EAGAIN;
	f->arrive = 0;
	len = f->data[f->pos + 1];
	f->pos += 2;
	if (len > f->size - f->pos)
		len = (unsigned)(f->size - f->pos);
	if (len > cap)
		len = (unsigned)cap;
	memcpy(buf, f->data + f->pos, len);
	f->pos += len;
	if (len >= 4 && ((const uint8_t *)buf)[1] == 3)
		f->given += len - 4;
	ip[0] = 192, ip[1] = 0, ip[2] = 2, ip[3] = 1;
	*port = (ctrl & 1) ? 40001 : 40000;
	return (int)len;
}

static void fz_wait(struct dgram *d, uint32_t ms)
{
	((struct fz *)d)->now += ms ? ms : 1;
}

static void fz_close(struct dgram *d)
{
	(void)d;
}

static const struct dgram_ops fz_ops = { fz_send, fz_recv, fz_wait, fz_close };

static int fz_open(void *arg, struct dgram **out)
{
	*out = arg;
	return 0;
}

static int fz_resolve(void *arg, const char *host, uint8_t ip[4])
{
	(void)arg, (void)host;
	ip[0] = 192, ip[1] = 0, ip[2] = 2, ip[3] = 1;
	return 0;
}

static uint64_t fz_now(void)
{
	return fz_cur->now;
}

static int fz_sink(void *arg, const uint8_t *data, size_t len)
{
	(void)arg, (void)data, (void)len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp_pkt p;
	struct tftp_env env;
	struct tftp_get g;
	struct fz f;

	tftp_parse(data, size, &p);
	memset(&f, 0, sizeof(f));
	f.base.ops = &fz_ops;
	f.data = data;
	f.size = size;
	fz_cur = &f;
	memset(&env, 0, sizeof(env));
	env.resolve = fz_resolve;
	env.open = fz_open;
	env.arg = &f;
	env.now_ms = fz_now;
	memset(&g, 0, sizeof(g));
	g.url = "tftp://192.0.2.1/f";
	g.blksize = size && (data[0] & 1) ? 512 : 0;
	g.windowsize = size > 1 ? (uint32_t)(data[1] & 7) + 1 : 0;
	g.timeout_ms = 2000;
	g.sink = fz_sink;
	tftp_client_get(&env, &g);
	if (g.received > f.given)
		abort();
	return 0;
}
