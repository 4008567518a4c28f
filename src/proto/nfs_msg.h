/*
 * nfs_msg.h — the procedure arguments and results wireboot needs from
 * PORTMAP v2 (RFC 1833 §3), MOUNT v3 (RFC 1813 appendix I) and NFSv3
 * (RFC 1813 §3), XDR-encoded (proto/xdr.h) inside RPC records
 * (proto/rpc.h).  Pure functions: builders append arguments to an encoder
 * after rpc_call_begin(); parsers read a results cursor from
 * rpc_reply_parse().  Parsed data (READ bytes, READLINK text) points into
 * the reply record.
 */
#ifndef WB_NFS_MSG_H
#define WB_NFS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto/xdr.h"

#define PMAP_PROG 100000
#define PMAP_VERS 2
#define PMAP_PROC_GETPORT 3
#define PMAP_PORT 111
#define PMAP_IPPROTO_TCP 6

#define MOUNT_PROG 100005
#define MOUNT_VERS 3
#define MOUNT_PROC_MNT 1
#define MOUNT_PROC_UMNT 3
#define MNT_PATH_MAX 1024        /* dirpath<MNTPATHLEN> */

#define NFS_PROG 100003
#define NFS_VERS 3
#define NFS_PORT 2049
#define NFS3_PROC_GETATTR 1
#define NFS3_PROC_LOOKUP 3
#define NFS3_PROC_READLINK 5
#define NFS3_PROC_READ 6
#define NFS3_PROC_FSINFO 19
#define NFS3_FHSIZE 64
#define NFS3_NAME_MAX 255        /* longest name we send in a LOOKUP */
#define NFS3_PATH_MAX 1024       /* longest READLINK target we accept */

enum nfs3_ftype { NF3REG = 1, NF3DIR, NF3BLK, NF3CHR, NF3LNK, NF3SOCK, NF3FIFO };

struct nfs_fh {
	uint32_t len;
	uint8_t data[NFS3_FHSIZE];
};

/** The parts of fattr3 (RFC 1813 §2.6) the client uses. */
struct nfs_attr {
	int present;             /* post_op_attr attributes_follow */
	uint32_t type, mode;
	uint64_t size;
};

/* ---- PORTMAP ---- */
/** GETPORT(prog, vers, TCP) arguments. */
void pmap_getport_args(struct xdr_enc *e, uint32_t prog, uint32_t vers);
/** @return 0 and *@port (0 = not registered → -WB_EPMAPNOPORT), or -WB_EXDR. */
int pmap_getport_res(struct xdr_dec *d, uint16_t *port);

/* ---- MOUNT v3 ---- */
/** MNT / UMNT argument: the directory path. */
void mnt_dirpath_args(struct xdr_enc *e, const char *path, size_t len);
/**
 * MNT result.  *@status is the mountstat3; on MNT3_OK also the root
 * handle and whether AUTH_SYS is among the flavours (absent list = yes).
 * @return 0 when decoded (check *@status), -WB_EXDR.
 */
int mnt_res(struct xdr_dec *d, uint32_t *status, struct nfs_fh *fh, int *auth_sys_ok);
/** "MNT3ERR_NOENT"…, "MNT3ERR_?" when unknown. */
const char *mnt_status_name(uint32_t status);
/** The error for a non-zero mountstat3. */
int mnt_status_err(uint32_t status);

/* ---- NFSv3 ---- */
void nfs3_fh_args(struct xdr_enc *e, const struct nfs_fh *fh);   /* GETATTR, READLINK, FSINFO */
void nfs3_lookup_args(struct xdr_enc *e, const struct nfs_fh *dir, const char *name, size_t len);
void nfs3_read_args(struct xdr_enc *e, const struct nfs_fh *fh, uint64_t off, uint32_t count);

/* Every result parser returns 0 when decoded (the nfsstat3 in *@status;
 * the other outputs are set only when it is NFS3_OK) or -WB_EXDR. */
int nfs3_getattr_res(struct xdr_dec *d, uint32_t *status, struct nfs_attr *a);
int nfs3_lookup_res(struct xdr_dec *d, uint32_t *status, struct nfs_fh *fh, struct nfs_attr *a);
int nfs3_readlink_res(struct xdr_dec *d, uint32_t *status, const char **path, size_t *len);
struct nfs_fsinfo {
	uint32_t rtmax, rtpref;
	uint64_t maxfilesize;
};
int nfs3_fsinfo_res(struct xdr_dec *d, uint32_t *status, struct nfs_fsinfo *fi);
struct nfs_read {
	struct nfs_attr attr;
	uint32_t count;
	int eof;
	const uint8_t *data;     /* count bytes inside the record */
};
/** READ result; the data length must equal count and be at most @max (-WB_ENFSREAD). */
int nfs3_read_res(struct xdr_dec *d, uint32_t *status, uint32_t max, struct nfs_read *r);

/** "NFS3ERR_NOENT"…, "NFS3ERR_?" when unknown. */
const char *nfs3_status_name(uint32_t status);
/** The error for a non-zero nfsstat3. */
int nfs3_status_err(uint32_t status);

#endif
