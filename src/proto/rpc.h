/*
 * rpc.h — ONC RPC v2 (RFC 5531) messages over TCP record marking (§11).
 *
 * Pure functions over caller buffers: build a CALL with AUTH_SYS (§8.2 and
 * RFC 5531 appendix A) or AUTH_NONE credentials, split a byte stream into
 * records, and check a REPLY header, leaving an XDR cursor at the results.
 * The procedure arguments and results are the callers' (proto/nfs_msg.h).
 */
#ifndef WB_RPC_H
#define WB_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "proto/xdr.h"

#define RPC_VERSION 2
#define RPC_AUTH_NONE 0
#define RPC_AUTH_SYS 1
#define RPC_MACHINE_MAX 255     /* AUTH_SYS machinename<255> */
/** Record-marking fragments per record before a stream is called hostile. */
#define RPC_REC_FRAGS_MAX 64

/** AUTH_SYS credentials (an identity claim, not authentication). */
struct rpc_auth_sys {
	uint32_t stamp;
	const char *machine;    /* NULL: "" */
	uint32_t uid, gid;
};

/**
 * Start a CALL record in @e (which must be empty): room for the record
 * mark, then xid, CALL, rpcvers 2, @prog/@vers/@proc, credentials (@cred,
 * or AUTH_NONE when NULL) and an AUTH_NONE verifier.  Append the
 * arguments with xdr_put_*, then rpc_call_end().
 */
void rpc_call_begin(struct xdr_enc *e, uint32_t xid, uint32_t prog, uint32_t vers,
		    uint32_t proc, const struct rpc_auth_sys *cred);
/** Write the record mark (one last fragment).  @return 0 or -WB_ETOOBIG. */
int rpc_call_end(struct xdr_enc *e);

/** What a reply header said besides success. */
struct rpc_reply {
	uint32_t xid;           /* valid whenever the record had 4 bytes */
	uint32_t auth_stat;     /* AUTH_ERROR: RFC 5531 auth_stat */
	uint32_t low, high;     /* RPC_MISMATCH / PROG_MISMATCH: versions supported */
};

/**
 * Check the reply header of record @rec (@len bytes; no record mark).
 * @return 0 with @res positioned at the procedure results, or
 * -WB_EXDR (truncated), -WB_ERPCNOTREPLY, -WB_ERPCMISMATCH, -WB_ERPCAUTH,
 * -WB_ERPCPROGUNAVAIL, -WB_ERPCPROGMISMATCH, -WB_ERPCPROCUNAVAIL,
 * -WB_ERPCGARBAGE, -WB_ERPCSYSERR, -WB_ERPCACCEPT (an unknown status).
 */
int rpc_reply_parse(const uint8_t *rec, size_t len, struct rpc_reply *out, struct xdr_dec *res);

/** Name of an auth_stat value ("AUTH_TOOWEAK"…), "AUTH_?" when unknown. */
const char *rpc_auth_stat_name(uint32_t stat);

/**
 * Record reassembly (RFC 5531 §11): feed stream bytes, get whole records.
 * The caller owns @buf (@cap bytes: the largest record it accepts).
 */
struct rpc_rec {
	uint8_t *buf;
	size_t cap;
	size_t len;             /* bytes of the record so far */
	uint8_t hdr[4];
	unsigned hdr_have;      /* bytes of the current fragment header */
	uint32_t frag_left;     /* bytes of the current fragment still to come */
	unsigned frags;         /* fragments in this record */
	int in_frag, last;
};

void rpc_rec_init(struct rpc_rec *r, uint8_t *buf, size_t cap);
/**
 * Take bytes from @data (@n) until a record is complete.  *@used says how
 * many were taken.  @return 1: a record is in r->buf[0..r->len) (handle it,
 * then rpc_rec_reset()); 0: all of @data taken, no record yet;
 * -WB_ERPCTOOBIG (record larger than cap), -WB_ERPCREC (more than
 * RPC_REC_FRAGS_MAX fragments).
 */
int rpc_rec_feed(struct rpc_rec *r, const uint8_t *data, size_t n, size_t *used);
void rpc_rec_reset(struct rpc_rec *r);

#endif
