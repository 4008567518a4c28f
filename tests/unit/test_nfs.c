/*
 * test_nfs.c — XDR (RFC 4506), ONC RPC v2 calls, replies and TCP record
 * marking (RFC 5531 §9, §11), and the PORTMAP/MOUNT v3/NFSv3 arguments
 * and results (RFC 1833, RFC 1813) the NFS client uses.  Expected bytes are
 * written out field by field from the RFCs' XDR definitions.
 */
#define UNIT_NAME "nfs"
#include "core/err.h"
#include "proto/nfs_msg.h"
#include "proto/rpc.h"
#include "proto/xdr.h"
#include "unit.h"

/* a builder for expected/crafted messages: 32-bit words and raw bytes */
struct buf {
	uint8_t b[4096];
	size_t n;
};

static void w32(struct buf *b, uint32_t v)
{
	b->b[b->n++] = (uint8_t)(v >> 24);
	b->b[b->n++] = (uint8_t)(v >> 16);
	b->b[b->n++] = (uint8_t)(v >> 8);
	b->b[b->n++] = (uint8_t)v;
}

static void wbytes(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
	while (b->n & 3)
		b->b[b->n++] = 0;
}

static void wopaque(struct buf *b, const void *p, size_t n)
{
	w32(b, (uint32_t)n);
	wbytes(b, p, n);
}

/* fattr3 of @type and @size (84 bytes) */
static void wfattr(struct buf *b, uint32_t type, uint64_t size)
{
	w32(b, type);
	w32(b, 0644);
	w32(b, 1);          /* nlink */
	w32(b, 0);          /* uid */
	w32(b, 0);          /* gid */
	w32(b, (uint32_t)(size >> 32));
	w32(b, (uint32_t)size);
	w32(b, 0), w32(b, 4096);    /* used */
	w32(b, 0), w32(b, 0);       /* rdev */
	w32(b, 0), w32(b, 7);       /* fsid */
	w32(b, 0), w32(b, 99);      /* fileid */
	for (int i = 0; i < 6; i++) /* atime mtime ctime */
		w32(b, (uint32_t)i);
}

/* accepted SUCCESS reply header for @xid */
static void wreply(struct buf *b, uint32_t xid)
{
	b->n = 0;
	w32(b, xid);
	w32(b, 1);          /* REPLY */
	w32(b, 0);          /* MSG_ACCEPTED */
	w32(b, 0), w32(b, 0);   /* verifier AUTH_NONE, empty */
	w32(b, 0);          /* SUCCESS */
}

static void test_xdr(void)
{
	uint8_t out[16];
	struct xdr_enc e;
	struct xdr_dec d;
	const uint8_t *p;
	size_t n;
	static const uint8_t want[16] = { 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0,
					  0xde, 0xad, 0xbe, 0xef };

	xdr_enc_init(&e, out, sizeof(out));
	xdr_put_opaque(&e, "hello", 5);
	xdr_put_u32(&e, 0xdeadbeef);
	CHECK("encode: string padded to 4 (RFC 4506 4.11)", !xdr_enc_error(&e) && e.len == 16 &&
	      !memcmp(out, want, 16));
	xdr_put_u32(&e, 1);
	CHECK("encode: overflow is sticky -WB_ETOOBIG", xdr_enc_error(&e) == -WB_ETOOBIG && e.len == 16);

	xdr_dec_init(&d, want, sizeof(want));
	xdr_get_opaque(&d, 8, &p, &n);
	CHECK("decode: opaque points into the input", n == 5 && p == want + 4 && !memcmp(p, "hello", 5));
	CHECK("decode: u32 after padding", xdr_get_u32(&d) == 0xdeadbeef && !xdr_dec_error(&d));
	xdr_get_u32(&d);
	CHECK("decode: past the end is -WB_EXDR", xdr_dec_error(&d) == -WB_EXDR);

	xdr_dec_init(&d, want, sizeof(want));
	xdr_get_opaque(&d, 4, &p, &n);
	CHECK("decode: opaque over its maximum refused", xdr_dec_error(&d) == -WB_EXDR && !p);
	{
		static const uint8_t huge[8] = { 0xff, 0xff, 0xff, 0xfc, 1, 2, 3, 4 };

		xdr_dec_init(&d, huge, sizeof(huge));
		xdr_get_opaque(&d, SIZE_MAX, &p, &n);
		CHECK("decode: length 2^32-4 beyond the input refused", xdr_dec_error(&d) == -WB_EXDR);
	}
	{
		static const uint8_t padless[7] = { 0, 0, 0, 2, 'a', 'b', 0 };

		xdr_dec_init(&d, padless, sizeof(padless));
		xdr_get_opaque(&d, 8, &p, &n);
		CHECK("decode: missing padding refused", xdr_dec_error(&d) == -WB_EXDR);
	}
	{
		static const uint8_t two[4] = { 0, 0, 0, 2 };
		static const uint8_t hyper[8] = { 0, 0, 0, 1, 0, 0, 0, 2 };

		xdr_dec_init(&d, two, sizeof(two));
		xdr_get_bool(&d);
		CHECK("decode: bool 2 refused (RFC 4506 4.4)", xdr_dec_error(&d) == -WB_EXDR);
		xdr_dec_init(&d, hyper, sizeof(hyper));
		CHECK("decode: hyper is big-endian high word first", xdr_get_u64(&d) == 0x100000002ULL);
	}
}

static void test_call(void)
{
	uint8_t out[256];
	struct xdr_enc e;
	struct buf w = { .n = 0 };
	struct rpc_auth_sys cred = { .stamp = 0x11223344, .machine = "wb", .uid = 0, .gid = 0 };
	struct nfs_fh fh = { .len = 5, .data = { 1, 2, 3, 4, 5 } };

	/* GETPORT(MOUNT, 3, TCP) with AUTH_NONE, RFC 1833 section 3.2 */
	xdr_enc_init(&e, out, sizeof(out));
	rpc_call_begin(&e, 0x01020304, PMAP_PROG, PMAP_VERS, PMAP_PROC_GETPORT, NULL);
	pmap_getport_args(&e, MOUNT_PROG, MOUNT_VERS);
	CHECK("GETPORT call: encodes", rpc_call_end(&e) == 0);
	w32(&w, 0x80000000u | 56);   /* last fragment, 56 bytes */
	w32(&w, 0x01020304), w32(&w, 0), w32(&w, 2);
	w32(&w, 100000), w32(&w, 2), w32(&w, 3);
	w32(&w, 0), w32(&w, 0);      /* cred AUTH_NONE */
	w32(&w, 0), w32(&w, 0);      /* verf AUTH_NONE */
	w32(&w, 100005), w32(&w, 3), w32(&w, 6), w32(&w, 0);
	CHECK("GETPORT call: bytes as RFC 5531 + RFC 1833 lay them out", e.len == w.n &&
	      !memcmp(out, w.b, w.n));

	/* READ(fh, 8192, 4096) with AUTH_SYS */
	w.n = 0;
	xdr_enc_init(&e, out, sizeof(out));
	rpc_call_begin(&e, 7, NFS_PROG, NFS_VERS, NFS3_PROC_READ, &cred);
	nfs3_read_args(&e, &fh, 8192, 4096);
	CHECK("READ call: encodes", rpc_call_end(&e) == 0);
	w32(&w, 0x80000000u | 88);   /* 24 header + 32 cred + 8 verf + 24 args */
	w32(&w, 7), w32(&w, 0), w32(&w, 2);
	w32(&w, 100003), w32(&w, 3), w32(&w, 6);
	w32(&w, 1), w32(&w, 24);     /* AUTH_SYS, body length */
	w32(&w, 0x11223344);
	wopaque(&w, "wb", 2);
	w32(&w, 0), w32(&w, 0), w32(&w, 0);   /* uid gid gids<> */
	w32(&w, 0), w32(&w, 0);
	wopaque(&w, fh.data, 5);
	w32(&w, 0), w32(&w, 8192), w32(&w, 4096);
	CHECK("READ call: AUTH_SYS credentials and args as laid out", e.len == w.n &&
	      !memcmp(out, w.b, w.n));

	xdr_enc_init(&e, out, 40);
	rpc_call_begin(&e, 7, NFS_PROG, NFS_VERS, NFS3_PROC_READ, &cred);
	nfs3_read_args(&e, &fh, 8192, 4096);
	CHECK("call larger than the buffer: -WB_ETOOBIG", rpc_call_end(&e) == -WB_ETOOBIG);
}

static void test_reply(void)
{
	struct buf b;
	struct rpc_reply r;
	struct xdr_dec d;
	static const struct {
		const char *name;
		uint32_t words[8];
		size_t n;
		int want;
	} cases[] = {
		{ "PROG_UNAVAIL", { 9, 1, 0, 0, 0, 1 }, 6, -WB_ERPCPROGUNAVAIL },
		{ "PROG_MISMATCH 2..2", { 9, 1, 0, 0, 0, 2, 2, 2 }, 8, -WB_ERPCPROGMISMATCH },
		{ "PROC_UNAVAIL", { 9, 1, 0, 0, 0, 3 }, 6, -WB_ERPCPROCUNAVAIL },
		{ "GARBAGE_ARGS", { 9, 1, 0, 0, 0, 4 }, 6, -WB_ERPCGARBAGE },
		{ "SYSTEM_ERR", { 9, 1, 0, 0, 0, 5 }, 6, -WB_ERPCSYSERR },
		{ "unknown accept status 6", { 9, 1, 0, 0, 0, 6 }, 6, -WB_ERPCACCEPT },
		{ "denied RPC_MISMATCH", { 9, 1, 1, 0, 2, 2 }, 6, -WB_ERPCMISMATCH },
		{ "denied AUTH_ERROR TOOWEAK", { 9, 1, 1, 1, 5 }, 5, -WB_ERPCAUTH },
		{ "a CALL, not a reply", { 9, 0, 2, 100003, 3, 0 }, 6, -WB_ERPCNOTREPLY },
		{ "reply_stat 2", { 9, 1, 2 }, 3, -WB_ERPCNOTREPLY },
		{ "truncated after the verifier", { 9, 1, 0, 0, 0 }, 5, -WB_EXDR },
		{ "truncated in the xid", { 0 }, 0, -WB_EXDR },
	};

	wreply(&b, 42);
	w32(&b, 2049);
	CHECK("SUCCESS: results cursor after the header",
	      rpc_reply_parse(b.b, b.n, &r, &d) == 0 && r.xid == 42 && xdr_get_u32(&d) == 2049);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[96];

		b.n = 0;
		for (size_t k = 0; k < cases[i].n; k++)
			w32(&b, cases[i].words[k]);
		snprintf(name, sizeof(name), "reply %s -> its error", cases[i].name);
		CHECK(name, rpc_reply_parse(b.b, b.n ? b.n : 2, &r, &d) == cases[i].want);
	}
	b.n = 0;
	w32(&b, 9), w32(&b, 1), w32(&b, 1), w32(&b, 1), w32(&b, 5);
	rpc_reply_parse(b.b, b.n, &r, &d);
	CHECK_STR("auth_stat 5 named", rpc_auth_stat_name(r.auth_stat), "AUTH_TOOWEAK");
	CHECK_STR("auth_stat 99 unknown", rpc_auth_stat_name(99), "AUTH_?");
	b.n = 0;
	w32(&b, 9), w32(&b, 1), w32(&b, 0), w32(&b, 0), w32(&b, 401);
	CHECK("verifier body over 400 bytes refused", rpc_reply_parse(b.b, b.n, &r, &d) == -WB_EXDR);
}

static void test_records(void)
{
	uint8_t store[64], rbuf[32];
	struct rpc_rec r;
	size_t used, i, total = 0;
	int rc = 0;

	/* two fragments "abc" + "defgh" (last), then the start of the next record */
	static const uint8_t s[] = { 0, 0, 0, 3, 'a', 'b', 'c', 0x80, 0, 0, 5, 'd', 'e', 'f', 'g', 'h',
				     0x80, 0, 0, 1, 'z' };

	rpc_rec_init(&r, store, sizeof(store));
	rc = rpc_rec_feed(&r, s, sizeof(s), &used);
	CHECK("two fragments make one record", rc == 1 && r.len == 8 && !memcmp(store, "abcdefgh", 8));
	CHECK("the next record's bytes are left", used == 16);
	rpc_rec_reset(&r);
	CHECK("next record", rpc_rec_feed(&r, s + used, sizeof(s) - used, &used) == 1 && r.len == 1 &&
	      store[0] == 'z');

	/* byte by byte */
	rpc_rec_init(&r, store, sizeof(store));
	for (i = 0; i < 16; i++) {
		rc = rpc_rec_feed(&r, s + i, 1, &used);
		total += used;
		if (rc)
			break;
	}
	CHECK("byte at a time: record at its last byte", rc == 1 && i == 15 && total == 16 && r.len == 8);

	rpc_rec_init(&r, rbuf, 4);
	CHECK("fragment longer than the buffer: -WB_ERPCTOOBIG",
	      rpc_rec_feed(&r, s, sizeof(s), &used) == -WB_ERPCTOOBIG);
	{
		uint8_t empties[4 * (RPC_REC_FRAGS_MAX + 1)];

		memset(empties, 0, sizeof(empties));   /* zero-length, never last */
		rpc_rec_init(&r, rbuf, sizeof(rbuf));
		CHECK("endless empty fragments: -WB_ERPCREC",
		      rpc_rec_feed(&r, empties, sizeof(empties), &used) == -WB_ERPCREC);
	}
}

static void test_results(void)
{
	struct buf b;
	struct rpc_reply rep;
	struct xdr_dec d;
	struct nfs_fh fh;
	struct nfs_attr a;
	struct nfs_read rd;
	struct nfs_fsinfo fi;
	uint32_t st = 99;
	uint16_t port = 0;
	int auth = 0;
	const char *path;
	size_t plen;
	static const uint8_t h[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };

	wreply(&b, 1);
	w32(&b, 20048);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("GETPORT result", pmap_getport_res(&d, &port) == 0 && port == 20048);
	wreply(&b, 1);
	w32(&b, 0);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("GETPORT 0: not registered", pmap_getport_res(&d, &port) == -WB_EPMAPNOPORT);
	wreply(&b, 1);
	w32(&b, 70000);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("GETPORT over 65535 refused", pmap_getport_res(&d, &port) == -WB_EXDR);

	wreply(&b, 1);
	w32(&b, 0);
	wopaque(&b, h, 8);
	w32(&b, 2), w32(&b, 390003), w32(&b, 1);   /* flavours: krb5, AUTH_SYS */
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("MNT OK: handle and AUTH_SYS", mnt_res(&d, &st, &fh, &auth) == 0 && st == 0 &&
	      fh.len == 8 && !memcmp(fh.data, h, 8) && auth == 1);
	wreply(&b, 1);
	w32(&b, 0);
	wopaque(&b, h, 8);
	w32(&b, 1), w32(&b, 390003);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("MNT OK, Kerberos only: auth_sys_ok 0", mnt_res(&d, &st, &fh, &auth) == 0 && auth == 0);
	wreply(&b, 1);
	w32(&b, 13);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("MNT ACCES status", mnt_res(&d, &st, &fh, &auth) == 0 && st == 13 &&
	      mnt_status_err(st) == -WB_EMNTACCES);
	CHECK_STR("MNT status named", mnt_status_name(13), "MNT3ERR_ACCES");
	wreply(&b, 1);
	w32(&b, 0);
	{
		uint8_t big[65];

		memset(big, 'x', sizeof(big));
		wopaque(&b, big, sizeof(big));
	}
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("MNT handle over 64 bytes refused", mnt_res(&d, &st, &fh, &auth) == -WB_EXDR);

	/* LOOKUP OK: fh, obj attributes (a regular file of 5 GiB), no dir attributes */
	wreply(&b, 1);
	w32(&b, 0);
	wopaque(&b, h, 8);
	w32(&b, 1);
	wfattr(&b, NF3REG, 5ULL << 30);
	w32(&b, 0);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("LOOKUP OK: handle, type, 64-bit size", nfs3_lookup_res(&d, &st, &fh, &a) == 0 &&
	      st == 0 && fh.len == 8 && a.present && a.type == NF3REG && a.size == 5ULL << 30 &&
	      xdr_dec_left(&d) == 0);
	wreply(&b, 1);
	w32(&b, 2);
	w32(&b, 0);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("LOOKUP NOENT", nfs3_lookup_res(&d, &st, &fh, &a) == 0 && st == 2 &&
	      nfs3_status_err(st) == -WB_ENFSNOENT);
	CHECK_STR("NFS status named", nfs3_status_name(70), "NFS3ERR_STALE");
	CHECK_STR("unknown NFS status", nfs3_status_name(12345), "NFS3ERR_?");
	CHECK("unknown NFS status: generic error", nfs3_status_err(12345) == -WB_ENFSERR);
	wreply(&b, 1);
	w32(&b, 0);
	wopaque(&b, h, 8);
	w32(&b, 1);
	w32(&b, NF3REG);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("LOOKUP with truncated attributes refused", nfs3_lookup_res(&d, &st, &fh, &a) == -WB_EXDR);

	/* READ */
	wreply(&b, 1);
	w32(&b, 0);
	w32(&b, 0);
	w32(&b, 3), w32(&b, 1);
	wopaque(&b, "abc", 3);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("READ OK: count, eof, data", nfs3_read_res(&d, &st, 4096, &rd) == 0 && rd.count == 3 &&
	      rd.eof == 1 && !memcmp(rd.data, "abc", 3));
	wreply(&b, 1);
	w32(&b, 0), w32(&b, 0);
	w32(&b, 4), w32(&b, 0);
	wopaque(&b, "abc", 3);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("READ count 4 with 3 data bytes refused", nfs3_read_res(&d, &st, 4096, &rd) == -WB_ENFSREAD);
	wreply(&b, 1);
	w32(&b, 0), w32(&b, 0);
	w32(&b, 8), w32(&b, 0);
	wopaque(&b, "abcdefgh", 8);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("READ more than asked refused", nfs3_read_res(&d, &st, 4, &rd) == -WB_ENFSREAD);
	wreply(&b, 1);
	w32(&b, 13), w32(&b, 0);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("READ ACCES", nfs3_read_res(&d, &st, 4, &rd) == 0 && st == 13 &&
	      nfs3_status_err(st) == -WB_ENFSACCES);

	/* READLINK, FSINFO, GETATTR */
	wreply(&b, 1);
	w32(&b, 0), w32(&b, 0);
	wopaque(&b, "../sub", 6);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("READLINK target", nfs3_readlink_res(&d, &st, &path, &plen) == 0 && plen == 6 &&
	      !memcmp(path, "../sub", 6));
	wreply(&b, 1);
	w32(&b, 0), w32(&b, 0);
	wopaque(&b, "a\0b", 3);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("READLINK target with a NUL refused", nfs3_readlink_res(&d, &st, &path, &plen) == -WB_EXDR);
	wreply(&b, 1);
	w32(&b, 0), w32(&b, 1);
	wfattr(&b, NF3DIR, 4096);
	w32(&b, 1048576), w32(&b, 65536), w32(&b, 4096);
	w32(&b, 1048576), w32(&b, 65536), w32(&b, 4096), w32(&b, 8192);
	w32(&b, 0x7fffffff), w32(&b, 0xffffffff);
	w32(&b, 0), w32(&b, 1), w32(&b, 0x1b);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("FSINFO rtmax, rtpref, maxfilesize", nfs3_fsinfo_res(&d, &st, &fi) == 0 &&
	      fi.rtmax == 1048576 && fi.rtpref == 65536 && fi.maxfilesize == 0x7fffffffffffffffULL &&
	      xdr_dec_left(&d) == 0);
	wreply(&b, 1);
	w32(&b, 0);
	wfattr(&b, NF3LNK, 9);
	rpc_reply_parse(b.b, b.n, &rep, &d);
	CHECK("GETATTR", nfs3_getattr_res(&d, &st, &a) == 0 && a.type == NF3LNK && a.size == 9);
}

int main(void)
{
	test_xdr();
	test_call();
	test_reply();
	test_records();
	test_results();
	return unit_done();
}
