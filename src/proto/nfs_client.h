/*
 * nfs_client.h — fetch one file over NFSv3/TCP (RFC 1813) from an
 * nfs://server[:port]/export/path/file URI.
 *
 * The client runs over the HTTP client's environment (struct http_env in
 * proto/http_client.h): connect() gives a stream (lwIP on firmware and
 * hosted --tap, kernel sockets hosted), the poller steps the loop and
 * reports Ctrl-C, now_ms() times the timeouts.  is_https is always 0.
 *
 * Steps: PORTMAP GETPORT (port 111) for MOUNT v3/TCP, and for NFS v3/TCP
 * unless the URI gives a port; MNT of the longest directory prefix of the
 * path the server accepts (the export); LOOKUP of the remaining components
 * from the export's root handle, following symbolic links (READLINK) at
 * most NFS_SYMLINKS_MAX times; FSINFO for rtmax; READ with up to
 * NFS_WINDOW requests in flight, delivered to the sink in file order;
 * UMNT.  Credentials: AUTH_SYS with g->uid/g->gid (0/0 by default) —
 * an identity claim, not authentication.
 *
 * Source ports: servers may accept calls only from a reserved port (below
 * 1024: Linux knfsd's default `secure`, nfs-ganesha's PrivilegedPort =
 * true).  When the environment offers connect_from(), every connection
 * comes from a port in NFS_RESVPORT_LO..HI (the next one when a port is
 * taken or still in TIME_WAIT); when binding one is not allowed (hosted,
 * not root) or none is free, an ordinary port is used and the server
 * decides.  g->no_resvport skips reserved ports altogether.
 *
 * Blocking: nfs_get() polls env->poller until done.  No globals.
 */
#ifndef WB_NFS_CLIENT_H
#define WB_NFS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/http_client.h"

#define NFS_SYMLINKS_MAX 8
#define NFS_WINDOW 4                 /* READ requests in flight */
#define NFS_RSIZE_MAX (1024 * 1024)  /* cap on FSINFO rtmax */
#define NFS_CONNECT_TIMEOUT_MS 15000
#define NFS_IDLE_TIMEOUT_MS 30000
#define NFS_DETAIL_MAX 160
#define NFS_RESVPORT_LO 600
#define NFS_RESVPORT_HI 1023
#define NFS_RESVPORT_TRIES 64        /* busy ports skipped before an ordinary one is used */

struct nfs_get {
	/* in */
	const char *url;             /* nfs://server[:port]/export/path/file */
	int (*sink)(void *arg, const uint8_t *data, size_t len);   /* in file order; <0 aborts */
	void *sink_arg;
	int progress;                /* a progress line every second or so */
	uint32_t connect_timeout_ms; /* 0: NFS_CONNECT_TIMEOUT_MS */
	uint32_t idle_timeout_ms;    /* 0: NFS_IDLE_TIMEOUT_MS (no reply for this long) */
	uint32_t uid, gid;           /* AUTH_SYS identity (0/0: root) */
	int no_resvport;             /* 1: never bind a reserved source port */
	/* out */
	uint64_t size;               /* from the file's attributes */
	uint64_t received;           /* bytes given to the sink */
	uint32_t rsize;              /* READ size used */
	unsigned symlinks;           /* symbolic links followed */
	unsigned mounts_tried;       /* MNT calls made */
	unsigned reads;              /* READ calls sent */
	unsigned early;              /* READ replies that came before an earlier offset's */
	unsigned reasked;            /* short READ replies whose rest was asked again */
	int resvport;                /* 1: every connection came from a reserved port */
	char export_path[256];       /* the path MNT accepted */
	char detail[NFS_DETAIL_MAX]; /* on failure: status name and where ("NFS3ERR_NOENT looking up x") */
};

/**
 * Fetch @g->url.  @return 0 when the whole file (g->size bytes) went to the
 * sink; else a negative error: -WB_ENFSURI, -WB_ENFSPATH, connect/stream
 * errors, -WB_ENFSCONNTIMEOUT, -WB_ENFSIDLE, -WB_ECANCELED, RPC errors
 * (-WB_EXDR, -WB_ERPC*), -WB_EPMAPNOPORT, MOUNT errors (-WB_EMNT*), NFS
 * status errors (-WB_ENFS*, g->detail names the status), -WB_ENFSLOOP,
 * -WB_ENFSLINKOUT, -WB_ENFSNOTFILE, -WB_ENFSISDIR, -WB_ENFSSHORT,
 * -WB_ENFSREAD, -WB_ENOMEM, the sink's error.
 */
int nfs_get(const struct http_env *env, struct nfs_get *g);

#endif
