/*
 * fuzz_nfs.c — libFuzzer target: what an NFS server's bytes go through in
 * the client (proto/rpc.c, proto/nfs_msg.c): TCP record reassembly (fed in
 * pieces whose sizes come from the input), the RPC reply header, then every
 * result parser on the results (PORTMAP GETPORT, MNT, LOOKUP, GETATTR,
 * READLINK, FSINFO, READ).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/nfs_msg.h"
#include "proto/rpc.h"

static void fuzz_results(const struct xdr_dec *res)
{
	struct xdr_dec d;
	struct nfs_fh fh;
	struct nfs_attr a;
	struct nfs_fsinfo fi;
	struct nfs_read r;
	uint32_t st;
	uint16_t port;
	int auth;
	const char *p;
	size_t n;

	d = *res;
	pmap_getport_res(&d, &port);
	d = *res;
	mnt_res(&d, &st, &fh, &auth);
	d = *res;
	nfs3_lookup_res(&d, &st, &fh, &a);
	d = *res;
	nfs3_getattr_res(&d, &st, &a);
	d = *res;
	if (!nfs3_readlink_res(&d, &st, &p, &n) && !st && n)
		(void)memchr(p, '/', n);   /* touch what it points at */
	d = *res;
	nfs3_fsinfo_res(&d, &st, &fi);
	d = *res;
	if (!nfs3_read_res(&d, &st, 65536, &r) && !st && r.count) {
		volatile uint8_t sum = 0;

		for (uint32_t i = 0; i < r.count; i++)
			sum ^= r.data[i];
		(void)sum;
	}
	(void)nfs3_status_name(st);
	(void)mnt_status_name(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t recbuf[70000];
	struct rpc_rec rec;
	size_t off = 1, used, chunk;
	int rc;

	if (!size)
		return 0;
	chunk = (size_t)data[0] * 7 + 1;   /* how the bytes arrive from the stream */
	rpc_rec_init(&rec, recbuf, sizeof(recbuf));
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;

		rc = rpc_rec_feed(&rec, data + off, n, &used);
		off += used;
		if (rc < 0)
			return 0;
		if (rc == 1) {
			struct rpc_reply rep;
			struct xdr_dec res;

			if (!rpc_reply_parse(rec.buf, rec.len, &rep, &res))
				fuzz_results(&res);
			else
				(void)rpc_auth_stat_name(rep.auth_stat);
			rpc_rec_reset(&rec);
		}
	}
	return 0;
}
