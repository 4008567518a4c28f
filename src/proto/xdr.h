/*
 * xdr.h — XDR (RFC 4506) encoding and decoding over caller buffers.
 *
 * Both directions are cursor structs with a sticky error: every put/get
 * after a failure does nothing, so a message is written or read as a
 * straight sequence of calls and checked once at the end (xdr_enc_error /
 * xdr_dec_error).  Integers are big-endian 4-byte units (§4.1, §4.5 for
 * hypers); opaque and string data is padded to a multiple of 4 (§4.10,
 * §4.11).  Decoded opaque data is returned as a pointer into the input
 * buffer (no copy): valid while that buffer is.  No allocation, no globals.
 */
#ifndef WB_XDR_H
#define WB_XDR_H

#include <stddef.h>
#include <stdint.h>

struct xdr_enc {
	uint8_t *buf;
	size_t cap, len;
	int err;          /* 0, or -WB_ETOOBIG once something did not fit */
};

struct xdr_dec {
	const uint8_t *buf;
	size_t len, off;
	int err;          /* 0, or -WB_EXDR once the input ran short or a length was too big */
};

/** Start encoding into @buf (@cap bytes, caller-owned). */
void xdr_enc_init(struct xdr_enc *e, uint8_t *buf, size_t cap);
void xdr_put_u32(struct xdr_enc *e, uint32_t v);
void xdr_put_u64(struct xdr_enc *e, uint64_t v);
/** Fixed-length opaque (§4.9): @n bytes then zero padding. */
void xdr_put_fixed(struct xdr_enc *e, const void *p, size_t n);
/** Variable-length opaque or string (§4.10/§4.11): length, bytes, padding. */
void xdr_put_opaque(struct xdr_enc *e, const void *p, size_t n);
/** @return e->err (0 when everything fitted). */
int xdr_enc_error(const struct xdr_enc *e);

/** Start decoding @len bytes at @buf (borrowed). */
void xdr_dec_init(struct xdr_dec *d, const uint8_t *buf, size_t len);
uint32_t xdr_get_u32(struct xdr_dec *d);
uint64_t xdr_get_u64(struct xdr_dec *d);
/** A boolean (§4.4): 0 or 1; anything else is -WB_EXDR. */
int xdr_get_bool(struct xdr_dec *d);
/**
 * Variable-length opaque with at most @max bytes: *@p points into the
 * input, *@n is its length.  Too long or running past the end → -WB_EXDR.
 */
void xdr_get_opaque(struct xdr_dec *d, size_t max, const uint8_t **p, size_t *n);
/** Skip @n bytes plus padding to a multiple of 4. */
void xdr_skip(struct xdr_dec *d, size_t n);
/** Bytes left unread. */
size_t xdr_dec_left(const struct xdr_dec *d);
int xdr_dec_error(const struct xdr_dec *d);

#endif
