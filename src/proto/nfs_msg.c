/*
 * nfs_msg.c — PORTMAP v2, MOUNT v3 and NFSv3 arguments and results; see
 * nfs_msg.h.  Layouts (RFC 1813):
 *
 *   fattr3 (§2.6): type mode nlink uid gid | size used (hyper) | rdev (2)
 *                  | fsid fileid (hyper) | atime mtime ctime (2 each)  = 84 bytes
 *   post_op_attr:  bool, then fattr3 when true
 *   LOOKUP3res:    status; OK: fh, post_op_attr obj, post_op_attr dir;
 *                  else post_op_attr dir
 *   READ3res:      status, post_op_attr; OK: count, eof, opaque data<>
 *   READLINK3res:  status, post_op_attr; OK: nfspath3
 *   FSINFO3res:    status, post_op_attr; OK: rtmax rtpref rtmult wtmax
 *                  wtpref wtmult dtpref, maxfilesize (hyper), time_delta (2),
 *                  properties
 *   mountres3 (appendix I): status; OK: fhandle3<64>, auth_flavors<>
 */
#include <string.h>

#include "core/err.h"
#include "proto/nfs_msg.h"

#define NFS_FATTR3_LEN 84
#define MNT_FLAVORS_MAX 64

void pmap_getport_args(struct xdr_enc *e, uint32_t prog, uint32_t vers)
{
	xdr_put_u32(e, prog);
	xdr_put_u32(e, vers);
	xdr_put_u32(e, PMAP_IPPROTO_TCP);
	xdr_put_u32(e, 0);
}

int pmap_getport_res(struct xdr_dec *d, uint16_t *port)
{
	uint32_t p = xdr_get_u32(d);

	if (d->err)
		return d->err;
	if (p > 65535)
		return -WB_EXDR;
	if (!p)
		return -WB_EPMAPNOPORT;
	*port = (uint16_t)p;
	return 0;
}

void mnt_dirpath_args(struct xdr_enc *e, const char *path, size_t len)
{
	xdr_put_opaque(e, path, len);
}

static void nfs_get_fh(struct xdr_dec *d, struct nfs_fh *fh)
{
	const uint8_t *p;
	size_t n;

	xdr_get_opaque(d, NFS3_FHSIZE, &p, &n);
	if (d->err)
		return;
	fh->len = (uint32_t)n;
	memcpy(fh->data, p, n);
}

int mnt_res(struct xdr_dec *d, uint32_t *status, struct nfs_fh *fh, int *auth_sys_ok)
{
	uint32_t n, i;

	*status = xdr_get_u32(d);
	if (d->err || *status)
		return d->err;
	nfs_get_fh(d, fh);
	n = xdr_get_u32(d);
	if (n > MNT_FLAVORS_MAX)
		return -WB_EXDR;
	*auth_sys_ok = n == 0;   /* no list: the server did not say; try AUTH_SYS */
	for (i = 0; i < n; i++) {
		uint32_t f = xdr_get_u32(d);

		if (f == 1 || f == 0)   /* AUTH_SYS, or AUTH_NONE (we send AUTH_SYS anyway) */
			*auth_sys_ok = 1;
	}
	return d->err;
}

void nfs3_fh_args(struct xdr_enc *e, const struct nfs_fh *fh)
{
	xdr_put_opaque(e, fh->data, fh->len);
}

void nfs3_lookup_args(struct xdr_enc *e, const struct nfs_fh *dir, const char *name, size_t len)
{
	nfs3_fh_args(e, dir);
	xdr_put_opaque(e, name, len);
}

void nfs3_read_args(struct xdr_enc *e, const struct nfs_fh *fh, uint64_t off, uint32_t count)
{
	nfs3_fh_args(e, fh);
	xdr_put_u64(e, off);
	xdr_put_u32(e, count);
}

static void nfs_get_fattr(struct xdr_dec *d, struct nfs_attr *a)
{
	a->present = 1;
	a->type = xdr_get_u32(d);
	a->mode = xdr_get_u32(d);
	xdr_skip(d, 12);            /* nlink uid gid */
	a->size = xdr_get_u64(d);
	xdr_skip(d, NFS_FATTR3_LEN - 28);
}

static void nfs_get_post_op_attr(struct xdr_dec *d, struct nfs_attr *a)
{
	memset(a, 0, sizeof(*a));
	if (xdr_get_bool(d))
		nfs_get_fattr(d, a);
}

int nfs3_getattr_res(struct xdr_dec *d, uint32_t *status, struct nfs_attr *a)
{
	*status = xdr_get_u32(d);
	if (d->err || *status)
		return d->err;
	memset(a, 0, sizeof(*a));
	nfs_get_fattr(d, a);
	return d->err;
}

int nfs3_lookup_res(struct xdr_dec *d, uint32_t *status, struct nfs_fh *fh, struct nfs_attr *a)
{
	struct nfs_attr dir;

	*status = xdr_get_u32(d);
	if (d->err)
		return d->err;
	if (*status) {
		nfs_get_post_op_attr(d, &dir);
		return d->err;
	}
	nfs_get_fh(d, fh);
	nfs_get_post_op_attr(d, a);
	nfs_get_post_op_attr(d, &dir);
	return d->err;
}

int nfs3_readlink_res(struct xdr_dec *d, uint32_t *status, const char **path, size_t *len)
{
	struct nfs_attr a;
	const uint8_t *p;

	*status = xdr_get_u32(d);
	nfs_get_post_op_attr(d, &a);
	if (d->err || *status)
		return d->err;
	xdr_get_opaque(d, NFS3_PATH_MAX, &p, len);
	if (d->err)
		return d->err;
	if (memchr(p, 0, *len))
		return -WB_EXDR;    /* a NUL inside a path: never a real name */
	*path = (const char *)p;
	return 0;
}

int nfs3_fsinfo_res(struct xdr_dec *d, uint32_t *status, struct nfs_fsinfo *fi)
{
	struct nfs_attr a;

	*status = xdr_get_u32(d);
	nfs_get_post_op_attr(d, &a);
	if (d->err || *status)
		return d->err;
	fi->rtmax = xdr_get_u32(d);
	fi->rtpref = xdr_get_u32(d);
	xdr_skip(d, 20);            /* rtmult wtmax wtpref wtmult dtpref */
	fi->maxfilesize = xdr_get_u64(d);
	xdr_skip(d, 12);            /* time_delta, properties */
	return d->err;
}

int nfs3_read_res(struct xdr_dec *d, uint32_t *status, uint32_t max, struct nfs_read *r)
{
	size_t n;

	*status = xdr_get_u32(d);
	nfs_get_post_op_attr(d, &r->attr);
	if (d->err || *status)
		return d->err;
	r->count = xdr_get_u32(d);
	r->eof = xdr_get_bool(d);
	xdr_get_opaque(d, max, &r->data, &n);
	if (d->err)
		return d->err == -WB_EXDR && r->count > max ? -WB_ENFSREAD : d->err;
	if (n != r->count || r->count > max)
		return -WB_ENFSREAD;
	return 0;
}

struct nfs_name {
	uint32_t code;
	const char *name;
	int err;
};

static const struct nfs_name nfs3_names[] = {
	{ 1, "NFS3ERR_PERM", WB_ENFSPERM },
	{ 2, "NFS3ERR_NOENT", WB_ENFSNOENT },
	{ 5, "NFS3ERR_IO", WB_ENFSIO },
	{ 6, "NFS3ERR_NXIO", WB_ENFSERR },
	{ 13, "NFS3ERR_ACCES", WB_ENFSACCES },
	{ 17, "NFS3ERR_EXIST", WB_ENFSERR },
	{ 18, "NFS3ERR_XDEV", WB_ENFSERR },
	{ 19, "NFS3ERR_NODEV", WB_ENFSERR },
	{ 20, "NFS3ERR_NOTDIR", WB_ENFSNOTDIR },
	{ 21, "NFS3ERR_ISDIR", WB_ENFSISDIR },
	{ 22, "NFS3ERR_INVAL", WB_ENFSERR },
	{ 27, "NFS3ERR_FBIG", WB_ENFSERR },
	{ 28, "NFS3ERR_NOSPC", WB_ENFSERR },
	{ 30, "NFS3ERR_ROFS", WB_ENFSERR },
	{ 31, "NFS3ERR_MLINK", WB_ENFSERR },
	{ 63, "NFS3ERR_NAMETOOLONG", WB_ENFSNAMETOOLONG },
	{ 66, "NFS3ERR_NOTEMPTY", WB_ENFSERR },
	{ 69, "NFS3ERR_DQUOT", WB_ENFSERR },
	{ 70, "NFS3ERR_STALE", WB_ENFSSTALE },
	{ 71, "NFS3ERR_REMOTE", WB_ENFSERR },
	{ 10001, "NFS3ERR_BADHANDLE", WB_ENFSBADHANDLE },
	{ 10002, "NFS3ERR_NOT_SYNC", WB_ENFSERR },
	{ 10003, "NFS3ERR_BAD_COOKIE", WB_ENFSERR },
	{ 10004, "NFS3ERR_NOTSUPP", WB_ENFSERR },
	{ 10005, "NFS3ERR_TOOSMALL", WB_ENFSERR },
	{ 10006, "NFS3ERR_SERVERFAULT", WB_ENFSSERVERFAULT },
	{ 10007, "NFS3ERR_BADTYPE", WB_ENFSERR },
	{ 10008, "NFS3ERR_JUKEBOX", WB_ENFSJUKEBOX },
};

static const struct nfs_name mnt_names[] = {
	{ 1, "MNT3ERR_PERM", WB_EMNTPERM },
	{ 2, "MNT3ERR_NOENT", WB_EMNTNOENT },
	{ 5, "MNT3ERR_IO", WB_EMNTERR },
	{ 13, "MNT3ERR_ACCES", WB_EMNTACCES },
	{ 20, "MNT3ERR_NOTDIR", WB_EMNTNOTDIR },
	{ 22, "MNT3ERR_INVAL", WB_EMNTERR },
	{ 63, "MNT3ERR_NAMETOOLONG", WB_EMNTERR },
	{ 10004, "MNT3ERR_NOTSUPP", WB_EMNTERR },
	{ 10006, "MNT3ERR_SERVERFAULT", WB_EMNTERR },
};

static const struct nfs_name *nfs_find(const struct nfs_name *t, size_t n, uint32_t code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return &t[i];
	return NULL;
}

#define NFS_COUNT(t) (sizeof(t) / sizeof((t)[0]))

const char *nfs3_status_name(uint32_t status)
{
	const struct nfs_name *e = nfs_find(nfs3_names, NFS_COUNT(nfs3_names), status);

	return status == 0 ? "NFS3_OK" : e ? e->name : "NFS3ERR_?";
}

int nfs3_status_err(uint32_t status)
{
	const struct nfs_name *e = nfs_find(nfs3_names, NFS_COUNT(nfs3_names), status);

	return e ? -e->err : -WB_ENFSERR;
}

const char *mnt_status_name(uint32_t status)
{
	const struct nfs_name *e = nfs_find(mnt_names, NFS_COUNT(mnt_names), status);

	return status == 0 ? "MNT3_OK" : e ? e->name : "MNT3ERR_?";
}

int mnt_status_err(uint32_t status)
{
	const struct nfs_name *e = nfs_find(mnt_names, NFS_COUNT(mnt_names), status);

	return e ? -e->err : -WB_EMNTERR;
}
