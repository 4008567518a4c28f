/*
 * rpc.c — ONC RPC v2 calls and replies (RFC 5531); see rpc.h.
 *
 * Reply header (§9):  xid | REPLY(1) | MSG_ACCEPTED(0): verf, accept_stat
 *                                    | MSG_DENIED(1):   reject_stat ...
 * accept_stat SUCCESS(0) is followed by the results; PROG_MISMATCH(2) by
 * the lowest and highest versions; reject RPC_MISMATCH(0) likewise and
 * AUTH_ERROR(1) by an auth_stat.
 */
#include <string.h>

#include "core/err.h"
#include "proto/rpc.h"

#define RPC_CALL 0
#define RPC_REPLY 1
#define RPC_MSG_ACCEPTED 0
#define RPC_MSG_DENIED 1
#define RPC_AUTH_BODY_MAX 400   /* opaque_auth body<400> (§8.2) */

void rpc_call_begin(struct xdr_enc *e, uint32_t xid, uint32_t prog, uint32_t vers,
		    uint32_t proc, const struct rpc_auth_sys *cred)
{
	xdr_put_u32(e, 0);          /* record mark, filled by rpc_call_end */
	xdr_put_u32(e, xid);
	xdr_put_u32(e, RPC_CALL);
	xdr_put_u32(e, RPC_VERSION);
	xdr_put_u32(e, prog);
	xdr_put_u32(e, vers);
	xdr_put_u32(e, proc);
	if (cred) {
		const char *m = cred->machine ? cred->machine : "";
		size_t mlen = strlen(m);

		if (mlen > RPC_MACHINE_MAX)
			mlen = RPC_MACHINE_MAX;
		/* stamp, machinename, uid, gid, gids<16> (empty) */
		xdr_put_u32(e, RPC_AUTH_SYS);
		xdr_put_u32(e, (uint32_t)(4 + 4 + ((mlen + 3) & ~(size_t)3) + 4 + 4 + 4));
		xdr_put_u32(e, cred->stamp);
		xdr_put_opaque(e, m, mlen);
		xdr_put_u32(e, cred->uid);
		xdr_put_u32(e, cred->gid);
		xdr_put_u32(e, 0);
	} else {
		xdr_put_u32(e, RPC_AUTH_NONE);
		xdr_put_u32(e, 0);
	}
	xdr_put_u32(e, RPC_AUTH_NONE);   /* verifier */
	xdr_put_u32(e, 0);
}

int rpc_call_end(struct xdr_enc *e)
{
	uint32_t mark;

	if (e->err)
		return e->err;
	if (e->len < 4 || e->len - 4 > 0x7fffffffu)
		return -WB_ETOOBIG;
	mark = 0x80000000u | (uint32_t)(e->len - 4);
	e->buf[0] = (uint8_t)(mark >> 24);
	e->buf[1] = (uint8_t)(mark >> 16);
	e->buf[2] = (uint8_t)(mark >> 8);
	e->buf[3] = (uint8_t)mark;
	return 0;
}

int rpc_reply_parse(const uint8_t *rec, size_t len, struct rpc_reply *out, struct xdr_dec *res)
{
	struct xdr_dec d;
	uint32_t stat;
	const uint8_t *p;
	size_t n;

	memset(out, 0, sizeof(*out));
	xdr_dec_init(&d, rec, len);
	out->xid = xdr_get_u32(&d);
	if (xdr_get_u32(&d) != RPC_REPLY)
		return d.err ? d.err : -WB_ERPCNOTREPLY;
	stat = xdr_get_u32(&d);
	if (d.err)
		return d.err;
	if (stat == RPC_MSG_DENIED) {
		stat = xdr_get_u32(&d);
		if (stat == 0) {            /* RPC_MISMATCH */
			out->low = xdr_get_u32(&d);
			out->high = xdr_get_u32(&d);
			return d.err ? d.err : -WB_ERPCMISMATCH;
		}
		if (stat == 1) {            /* AUTH_ERROR */
			out->auth_stat = xdr_get_u32(&d);
			return d.err ? d.err : -WB_ERPCAUTH;
		}
		return d.err ? d.err : -WB_ERPCNOTREPLY;
	}
	if (stat != RPC_MSG_ACCEPTED)
		return -WB_ERPCNOTREPLY;
	xdr_get_u32(&d);                         /* verifier flavour */
	xdr_get_opaque(&d, RPC_AUTH_BODY_MAX, &p, &n);
	stat = xdr_get_u32(&d);
	if (d.err)
		return d.err;
	switch (stat) {
	case 0:
		*res = d;
		return 0;
	case 1:
		return -WB_ERPCPROGUNAVAIL;
	case 2:
		out->low = xdr_get_u32(&d);
		out->high = xdr_get_u32(&d);
		return d.err ? d.err : -WB_ERPCPROGMISMATCH;
	case 3:
		return -WB_ERPCPROCUNAVAIL;
	case 4:
		return -WB_ERPCGARBAGE;
	case 5:
		return -WB_ERPCSYSERR;
	default:
		return -WB_ERPCACCEPT;
	}
}

const char *rpc_auth_stat_name(uint32_t stat)
{
	static const char *const names[] = {
		"AUTH_OK", "AUTH_BADCRED", "AUTH_REJECTEDCRED", "AUTH_BADVERF",
		"AUTH_REJECTEDVERF", "AUTH_TOOWEAK", "AUTH_INVALIDRESP", "AUTH_FAILED",
	};

	return stat < sizeof(names) / sizeof(names[0]) ? names[stat] : "AUTH_?";
}

void rpc_rec_init(struct rpc_rec *r, uint8_t *buf, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap;
}

void rpc_rec_reset(struct rpc_rec *r)
{
	r->len = 0;
	r->hdr_have = 0;
	r->frag_left = 0;
	r->frags = 0;
	r->in_frag = 0;
	r->last = 0;
}

int rpc_rec_feed(struct rpc_rec *r, const uint8_t *data, size_t n, size_t *used)
{
	size_t i = 0;

	for (;;) {
		if (!r->in_frag) {
			if (r->last) {          /* the record ended with the last fragment */
				*used = i;
				return 1;
			}
			while (r->hdr_have < 4 && i < n)
				r->hdr[r->hdr_have++] = data[i++];
			if (r->hdr_have < 4) {
				*used = i;
				return 0;
			}
			r->hdr_have = 0;
			if (++r->frags > RPC_REC_FRAGS_MAX) {
				*used = i;
				return -WB_ERPCREC;
			}
			r->last = r->hdr[0] >> 7;
			r->frag_left = (uint32_t)(r->hdr[0] & 0x7f) << 24 | (uint32_t)r->hdr[1] << 16 |
				       (uint32_t)r->hdr[2] << 8 | r->hdr[3];
			if (r->frag_left > r->cap - r->len) {
				*used = i;
				return -WB_ERPCTOOBIG;
			}
			r->in_frag = 1;
		}
		if (r->frag_left) {
			size_t k = n - i < r->frag_left ? n - i : r->frag_left;

			if (!k) {
				*used = i;
				return 0;
			}
			memcpy(r->buf + r->len, data + i, k);
			r->len += k;
			i += k;
			r->frag_left -= (uint32_t)k;
			if (r->frag_left) {
				*used = i;
				return 0;
			}
		}
		r->in_frag = 0;
	}
}
