/* xdr.c — XDR (RFC 4506) cursors; see xdr.h. */
#include <string.h>

#include "core/err.h"
#include "proto/xdr.h"

static size_t xdr_pad(size_t n)
{
	return (4 - (n & 3)) & 3;
}

void xdr_enc_init(struct xdr_enc *e, uint8_t *buf, size_t cap)
{
	e->buf = buf;
	e->cap = cap;
	e->len = 0;
	e->err = 0;
}

static uint8_t *xdr_enc_room(struct xdr_enc *e, size_t n)
{
	uint8_t *p;

	if (e->err || n > e->cap - e->len) {
		e->err = -WB_ETOOBIG;
		return NULL;
	}
	p = e->buf + e->len;
	e->len += n;
	return p;
}

void xdr_put_u32(struct xdr_enc *e, uint32_t v)
{
	uint8_t *p = xdr_enc_room(e, 4);

	if (!p)
		return;
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void xdr_put_u64(struct xdr_enc *e, uint64_t v)
{
	xdr_put_u32(e, (uint32_t)(v >> 32));
	xdr_put_u32(e, (uint32_t)v);
}

void xdr_put_fixed(struct xdr_enc *e, const void *p, size_t n)
{
	size_t pad = xdr_pad(n);
	uint8_t *q;

	if (n > SIZE_MAX - 4)
		n = SIZE_MAX - 4;   /* cannot fit: xdr_enc_room fails */
	q = xdr_enc_room(e, n + pad);
	if (!q)
		return;
	if (n)
		memcpy(q, p, n);
	memset(q + n, 0, pad);
}

void xdr_put_opaque(struct xdr_enc *e, const void *p, size_t n)
{
	if (n > UINT32_MAX) {
		e->err = -WB_ETOOBIG;
		return;
	}
	xdr_put_u32(e, (uint32_t)n);
	xdr_put_fixed(e, p, n);
}

int xdr_enc_error(const struct xdr_enc *e)
{
	return e->err;
}

void xdr_dec_init(struct xdr_dec *d, const uint8_t *buf, size_t len)
{
	d->buf = buf;
	d->len = len;
	d->off = 0;
	d->err = 0;
}

static const uint8_t *xdr_dec_take(struct xdr_dec *d, size_t n)
{
	const uint8_t *p;

	if (d->err || n > d->len - d->off) {
		d->err = -WB_EXDR;
		return NULL;
	}
	p = d->buf + d->off;
	d->off += n;
	return p;
}

uint32_t xdr_get_u32(struct xdr_dec *d)
{
	const uint8_t *p = xdr_dec_take(d, 4);

	if (!p)
		return 0;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t xdr_get_u64(struct xdr_dec *d)
{
	uint64_t hi = xdr_get_u32(d);

	return hi << 32 | xdr_get_u32(d);
}

int xdr_get_bool(struct xdr_dec *d)
{
	uint32_t v = xdr_get_u32(d);

	if (v > 1) {
		d->err = -WB_EXDR;
		return 0;
	}
	return (int)v;
}

void xdr_get_opaque(struct xdr_dec *d, size_t max, const uint8_t **p, size_t *n)
{
	uint32_t len = xdr_get_u32(d);

	*p = NULL;
	*n = 0;
	if (d->err)
		return;
	if (len > max || len > d->len - d->off || xdr_pad(len) > d->len - d->off - len) {
		d->err = -WB_EXDR;
		return;
	}
	*p = d->buf + d->off;
	*n = len;
	d->off += len + xdr_pad(len);
}

void xdr_skip(struct xdr_dec *d, size_t n)
{
	if (n > d->len)
		d->err = -WB_EXDR;
	else
		xdr_dec_take(d, n + xdr_pad(n));
}

size_t xdr_dec_left(const struct xdr_dec *d)
{
	return d->err ? 0 : d->len - d->off;
}

int xdr_dec_error(const struct xdr_dec *d)
{
	return d->err;
}
