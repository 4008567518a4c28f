/*
 * nfs_client.c — one file over NFSv3/TCP; see nfs_client.h.
 *
 *   parse URI ─▶ PORTMAP :111 GETPORT(MOUNT v3 tcp) [+ GETPORT(NFS v3 tcp)]
 *     ─▶ MOUNT: MNT /a/b/c, then /a/b, /a, / until one is accepted (the
 *        longest exported prefix of the file's directory; the first
 *        refusal is what is reported when none is)
 *     ─▶ NFS: FSINFO(root) → rsize; LOOKUP each remaining component
 *        (symlink → READLINK, its text spliced in front of what is left,
 *        at most NFS_SYMLINKS_MAX); the file must be regular, its size
 *        comes from its attributes
 *     ─▶ READ pipeline: up to NFS_WINDOW READs of rsize in flight, each
 *        reply matched by XID to its slot; slots are delivered to the sink
 *        in offset order (a reply that arrives early waits in its slot's
 *        buffer); a short reply without eof is re-asked for the rest; eof
 *        before the attribute size is -WB_ENFSSHORT
 *     ─▶ UMNT (best effort) and close.
 *
 * Every wait polls env->poller, checks Ctrl-C and a deadline: the connect
 * timeout while a connection opens, the idle timeout (time since a byte
 * last moved) while a reply is awaited.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"
#include "proto/nfs_client.h"
#include "proto/nfs_msg.h"
#include "proto/rpc.h"
#include "proto/uri.h"

#define NFS_COMPS_MAX 64
#define NFS_OBUF 2048          /* queued calls: a few READs or one LOOKUP/MNT */
#define NFS_RXCHUNK 16384
#define NFS_SMALL_REC 8192     /* record limit before FSINFO gave rsize */
#define NFS_REC_SLACK 1024     /* RPC + READ3res header room above rsize */
#define NFS_UMNT_TIMEOUT_MS 3000

struct nfs_conn {
	struct stream *s;
	struct rpc_rec rec;
	uint8_t *recbuf;
	size_t reccap;
	uint8_t rx[NFS_RXCHUNK];   /* bytes received but not yet fed */
	size_t rx_off, rx_len;
	uint8_t obuf[NFS_OBUF];    /* calls queued for sending */
	size_t o_off, o_len;
};

struct nfs_slot {
	int busy, done;
	uint32_t xid;
	uint64_t off;
	uint32_t want, got;
	uint8_t *buf;              /* plat_malloc(rsize), only when a reply came early */
};

struct nfs_ctx {
	const struct http_env *env;
	struct nfs_get *g;
	struct rpc_auth_sys cred;
	uint32_t xid;
	unsigned resv_next;        /* where the reserved port search goes on */
	int resv_off;              /* reserved ports not allowed or none free: ordinary ones */
	uint64_t t_last;           /* when a byte last moved */
	uint64_t t_start, t_progress;
	int printed;
	char host[HTTP_HOST_MAX];
	char path[NFS3_PATH_MAX + 2];   /* decoded URI path */
	struct nfs_fh root;
	struct nfs_slot slots[NFS_WINDOW];
};

/* ---- connections ---- */

static int nfs_poll(struct nfs_ctx *x)
{
	const struct stream_poller *p = &x->env->poller;

	if (p->poll)
		p->poll(p->arg);
	if (p->cancel && p->cancel())
		return -WB_ECANCELED;
	return 0;
}

static uint32_t nfs_idle_ms(const struct nfs_ctx *x)
{
	return x->g->idle_timeout_ms ? x->g->idle_timeout_ms : NFS_IDLE_TIMEOUT_MS;
}

static void nfs_conn_close(struct nfs_conn *c)
{
	if (c->s)
		stream_close(c->s);
	c->s = NULL;
	plat_free(c->recbuf);
	c->recbuf = NULL;
}

/* a stream to x->host:@port, from a reserved port when the environment can */
static int nfs_connect(struct nfs_ctx *x, uint16_t port, struct stream **s)
{
	const unsigned span = NFS_RESVPORT_HI - NFS_RESVPORT_LO + 1;
	int rc;

	if (x->env->connect_from && !x->g->no_resvport && !x->resv_off) {
		for (unsigned i = 0; i < NFS_RESVPORT_TRIES; i++) {
			uint16_t lp = (uint16_t)(NFS_RESVPORT_HI - x->resv_next++ % span);

			rc = x->env->connect_from(x->env->arg, x->host, port, lp, s);
			if (rc != -WB_EPORTBUSY) {
				if (rc != -WB_EPORTPERM)
					return rc;
				break;
			}
		}
		x->resv_off = 1;   /* not root, or all busy: the server decides */
	}
	x->g->resvport = 0;
	return x->env->connect(x->env->arg, 0, x->host, port, s);
}

/* connect @c to x->host:@port and allocate a record buffer of @reccap */
static int nfs_conn_open(struct nfs_ctx *x, struct nfs_conn *c, uint16_t port, size_t reccap)
{
	uint32_t limit = x->g->connect_timeout_ms ? x->g->connect_timeout_ms : NFS_CONNECT_TIMEOUT_MS;
	uint64_t t0;
	int rc;

	memset(c, 0, sizeof(*c));
	c->recbuf = plat_malloc(reccap);
	if (!c->recbuf)
		return -WB_ENOMEM;
	c->reccap = reccap;
	rpc_rec_init(&c->rec, c->recbuf, reccap);
	rc = nfs_connect(x, port, &c->s);
	if (rc) {
		c->s = NULL;
		nfs_conn_close(c);
		return rc;
	}
	t0 = x->env->now_ms();
	for (;;) {
		enum stream_state st = stream_state(c->s);

		if (st == STREAM_OPEN)
			break;
		if (st == STREAM_ERROR) {
			rc = stream_error(c->s);
			break;
		}
		if (st == STREAM_EOF) {
			rc = -WB_ECLOSED;
			break;
		}
		rc = nfs_poll(x);
		if (rc)
			break;
		if (x->env->now_ms() - t0 >= limit) {
			rc = -WB_ENFSCONNTIMEOUT;
			break;
		}
	}
	if (rc) {
		nfs_conn_close(c);
		return rc ? rc : -WB_ECONNREFUSED;
	}
	x->t_last = x->env->now_ms();
	return 0;
}

/* a bigger record buffer (after FSINFO); nothing may be half-received */
static int nfs_conn_grow(struct nfs_conn *c, size_t cap)
{
	uint8_t *b = plat_malloc(cap);

	if (!b)
		return -WB_ENOMEM;
	plat_free(c->recbuf);
	c->recbuf = b;
	c->reccap = cap;
	rpc_rec_init(&c->rec, b, cap);
	return 0;
}

/* send what is queued; @return 0 or the stream's error */
static int nfs_flush(struct nfs_ctx *x, struct nfs_conn *c)
{
	while (c->o_off < c->o_len) {
		int n = stream_send(c->s, c->obuf + c->o_off, c->o_len - c->o_off);

		if (n < 0)
			return n;
		if (!n)
			break;
		c->o_off += (size_t)n;
		x->t_last = x->env->now_ms();
	}
	if (c->o_off == c->o_len)
		c->o_off = c->o_len = 0;
	return 0;
}

/* room in the send queue for a call: an encoder over its free tail */
static int nfs_begin(struct nfs_ctx *x, struct nfs_conn *c, struct xdr_enc *e, uint32_t prog,
		     uint32_t vers, uint32_t proc, uint32_t *xid)
{
	if (c->o_off && c->o_off == c->o_len)
		c->o_off = c->o_len = 0;
	if (c->o_off) {   /* compact */
		memmove(c->obuf, c->obuf + c->o_off, c->o_len - c->o_off);
		c->o_len -= c->o_off;
		c->o_off = 0;
	}
	xdr_enc_init(e, c->obuf + c->o_len, sizeof(c->obuf) - c->o_len);
	*xid = ++x->xid;
	rpc_call_begin(e, *xid, prog, vers, proc, prog == PMAP_PROG ? NULL : &x->cred);
	return 0;
}

static int nfs_commit(struct nfs_conn *c, struct xdr_enc *e)
{
	int rc = rpc_call_end(e);

	if (rc)
		return rc;
	c->o_len += e->len;
	return 0;
}

/*
 * Step @c once: flush, receive and feed.  @return 1 with a record in
 * c->rec, 0 nothing yet (after a poll), or an error (idle timeout, EOF,
 * stream error, record errors, Ctrl-C).
 */
static int nfs_step(struct nfs_ctx *x, struct nfs_conn *c)
{
	size_t used;
	int rc, n;

	for (;;) {
		rc = nfs_flush(x, c);
		if (rc)
			return rc;
		if (c->rx_off < c->rx_len) {
			rc = rpc_rec_feed(&c->rec, c->rx + c->rx_off, c->rx_len - c->rx_off, &used);
			c->rx_off += used;
			if (rc)
				return rc;   /* 1: a record, or an error */
			continue;
		}
		/* a complete record may also end exactly at the last byte fed */
		rc = rpc_rec_feed(&c->rec, NULL, 0, &used);
		if (rc)
			return rc;
		c->rx_off = c->rx_len = 0;
		n = stream_recv(c->s, c->rx, sizeof(c->rx));
		if (n > 0) {
			c->rx_len = (size_t)n;
			x->t_last = x->env->now_ms();
			continue;
		}
		if (n < 0)
			return n == -WB_ECLOSED ? -WB_ECLOSED : n;
		rc = nfs_poll(x);
		if (rc)
			return rc;
		if (x->env->now_ms() - x->t_last >= nfs_idle_ms(x))
			return -WB_ENFSIDLE;
		return 0;
	}
}

/* why AUTH_SYS was refused, in g->detail */
static void nfs_auth_detail(struct nfs_ctx *x, const struct rpc_reply *rep)
{
	if (rep->auth_stat == 5 && !x->g->resvport)   /* AUTH_TOOWEAK */
		wb_snprintf(x->g->detail, sizeof(x->g->detail),
			    "AUTH_TOOWEAK from an ordinary source port (the export wants a reserved "
			    "one: run as root, or let the server accept insecure ports)");
	else
		wb_snprintf(x->g->detail, sizeof(x->g->detail), "%s",
			    rpc_auth_stat_name(rep->auth_stat));
}

/* wait for the reply to the single outstanding call @xid; @res at its results */
static int nfs_wait(struct nfs_ctx *x, struct nfs_conn *c, uint32_t xid, struct xdr_dec *res)
{
	struct rpc_reply rep;
	int rc;

	for (;;) {
		rc = nfs_step(x, c);
		if (rc < 0)
			return rc;
		if (rc == 1)
			break;
	}
	rc = rpc_reply_parse(c->rec.buf, c->rec.len, &rep, res);
	if (rc == -WB_ERPCAUTH)
		nfs_auth_detail(x, &rep);
	if (!rc && rep.xid != xid)
		rc = -WB_ERPCXID;
	return rc;
}

/* the record in c->rec is handled; take the next */
static void nfs_done_rec(struct nfs_conn *c)
{
	rpc_rec_reset(&c->rec);
}

/* ---- PORTMAP, MOUNT ---- */

static int nfs_getport(struct nfs_ctx *x, struct nfs_conn *c, uint32_t prog, uint32_t vers,
		       uint16_t *port)
{
	struct xdr_enc e;
	struct xdr_dec d;
	uint32_t xid;
	int rc;

	nfs_begin(x, c, &e, PMAP_PROG, PMAP_VERS, PMAP_PROC_GETPORT, &xid);
	pmap_getport_args(&e, prog, vers);
	rc = nfs_commit(c, &e);
	if (!rc)
		rc = nfs_wait(x, c, xid, &d);
	if (!rc)
		rc = pmap_getport_res(&d, port);
	if (rc == -WB_EPMAPNOPORT)
		wb_snprintf(x->g->detail, sizeof(x->g->detail), "%s v3 over TCP not registered",
			    prog == MOUNT_PROG ? "MOUNT" : "NFS");
	nfs_done_rec(c);
	return rc;
}

/* MNT or UMNT of x->path[0..len) ("/" when len is 0) */
static int nfs_mount_call(struct nfs_ctx *x, struct nfs_conn *c, uint32_t proc, size_t len,
			  uint32_t *status)
{
	struct xdr_enc e;
	struct xdr_dec d;
	uint32_t xid;
	int rc, auth_ok = 0;

	nfs_begin(x, c, &e, MOUNT_PROG, MOUNT_VERS, proc, &xid);
	mnt_dirpath_args(&e, len ? x->path : "/", len ? len : 1);
	rc = nfs_commit(c, &e);
	if (!rc)
		rc = nfs_wait(x, c, xid, &d);
	if (!rc && proc == MOUNT_PROC_MNT) {
		rc = mnt_res(&d, status, &x->root, &auth_ok);
		if (!rc && !*status && !auth_ok)
			rc = -WB_EMNTNOAUTH;
	}
	nfs_done_rec(c);
	return rc;
}

/* ---- NFS calls ---- */

static int nfs_lookup(struct nfs_ctx *x, struct nfs_conn *c, const struct nfs_fh *dir,
		      const char *name, size_t len, struct nfs_fh *out, struct nfs_attr *a)
{
	struct xdr_enc e;
	struct xdr_dec d;
	uint32_t xid, st = 0;
	int rc;

	nfs_begin(x, c, &e, NFS_PROG, NFS_VERS, NFS3_PROC_LOOKUP, &xid);
	nfs3_lookup_args(&e, dir, name, len);
	rc = nfs_commit(c, &e);
	if (!rc)
		rc = nfs_wait(x, c, xid, &d);
	if (!rc)
		rc = nfs3_lookup_res(&d, &st, out, a);
	nfs_done_rec(c);
	if (!rc && st) {
		wb_snprintf(x->g->detail, sizeof(x->g->detail), "%s looking up \"%.*s\"",
			    nfs3_status_name(st), (int)(len > 64 ? 64 : len), name);
		rc = nfs3_status_err(st);
	}
	if (!rc && !a->present) {   /* no attributes with the handle: ask */
		nfs_begin(x, c, &e, NFS_PROG, NFS_VERS, NFS3_PROC_GETATTR, &xid);
		nfs3_fh_args(&e, out);
		rc = nfs_commit(c, &e);
		if (!rc)
			rc = nfs_wait(x, c, xid, &d);
		if (!rc)
			rc = nfs3_getattr_res(&d, &st, a);
		nfs_done_rec(c);
		if (!rc && st) {
			wb_snprintf(x->g->detail, sizeof(x->g->detail), "%s getting attributes",
				    nfs3_status_name(st));
			rc = nfs3_status_err(st);
		}
		if (!rc && !a->present)
			rc = -WB_ENFSNOATTR;
	}
	return rc;
}

/* READLINK @fh into @out (NUL-terminated, at most NFS3_PATH_MAX) */
static int nfs_readlink(struct nfs_ctx *x, struct nfs_conn *c, const struct nfs_fh *fh,
			char *out, size_t *outlen)
{
	struct xdr_enc e;
	struct xdr_dec d;
	uint32_t xid, st = 0;
	const char *p = NULL;
	size_t n = 0;
	int rc;

	nfs_begin(x, c, &e, NFS_PROG, NFS_VERS, NFS3_PROC_READLINK, &xid);
	nfs3_fh_args(&e, fh);
	rc = nfs_commit(c, &e);
	if (!rc)
		rc = nfs_wait(x, c, xid, &d);
	if (!rc)
		rc = nfs3_readlink_res(&d, &st, &p, &n);
	if (!rc && st) {
		wb_snprintf(x->g->detail, sizeof(x->g->detail), "%s reading a symbolic link",
			    nfs3_status_name(st));
		rc = nfs3_status_err(st);
	}
	if (!rc) {
		memcpy(out, p, n);
		out[n] = 0;
		*outlen = n;
	}
	nfs_done_rec(c);
	return rc;
}

static int nfs_fsinfo(struct nfs_ctx *x, struct nfs_conn *c, struct nfs_fsinfo *fi)
{
	struct xdr_enc e;
	struct xdr_dec d;
	uint32_t xid, st = 0;
	int rc;

	nfs_begin(x, c, &e, NFS_PROG, NFS_VERS, NFS3_PROC_FSINFO, &xid);
	nfs3_fh_args(&e, &x->root);
	rc = nfs_commit(c, &e);
	if (!rc)
		rc = nfs_wait(x, c, xid, &d);
	if (!rc)
		rc = nfs3_fsinfo_res(&d, &st, fi);
	nfs_done_rec(c);
	if (!rc && st) {
		wb_snprintf(x->g->detail, sizeof(x->g->detail), "%s from FSINFO", nfs3_status_name(st));
		rc = nfs3_status_err(st);
	}
	return rc;
}

/* ---- path walk ---- */

/*
 * Walk @rest (components separated by '/', modified in place; at most
 * NFS3_PATH_MAX + 1 bytes with its NUL, in a buffer of 2 * NFS3_PATH_MAX + 2)
 * from x->root; the file's handle and attributes in @fh/@a.
 */
static int nfs_walk(struct nfs_ctx *x, struct nfs_conn *c, char *rest, size_t cap,
		    size_t export_len, struct nfs_fh *fh, struct nfs_attr *a)
{
	struct nfs_fh dir = x->root, obj;
	char *link = plat_malloc(NFS3_PATH_MAX + 1);
	int rc = 0, is_dir = 1;

	if (!link)
		return -WB_ENOMEM;
	for (;;) {
		char *name = rest, *slash;
		size_t nlen, llen = 0;

		while (*name == '/')
			name++;
		if (!*name)
			break;
		slash = strchr(name, '/');
		nlen = slash ? (size_t)(slash - name) : strlen(name);
		if (nlen == 1 && name[0] == '.') {
			memmove(rest, name + 1, strlen(name + 1) + 1);
			continue;
		}
		if (nlen > NFS3_NAME_MAX) {
			rc = -WB_ENFSNAMETOOLONG;
			break;
		}
		rc = nfs_lookup(x, c, &dir, name, nlen, &obj, a);
		if (rc)
			break;
		memmove(rest, name + nlen, strlen(name + nlen) + 1);   /* what is left */
		if (a->type == NF3LNK) {
			size_t restlen = strlen(rest);
			const char *t;

			if (++x->g->symlinks > NFS_SYMLINKS_MAX) {
				wb_snprintf(x->g->detail, sizeof(x->g->detail), "more than %d symbolic links",
					    NFS_SYMLINKS_MAX);
				rc = -WB_ENFSLOOP;
				break;
			}
			rc = nfs_readlink(x, c, &obj, link, &llen);
			if (rc)
				break;
			if (!llen) {   /* names nothing (POSIX: ENOENT) */
				wb_snprintf(x->g->detail, sizeof(x->g->detail), "empty symbolic link");
				rc = -WB_ENFSNOENT;
				break;
			}
			t = link;
			if (link[0] == '/') {
				/* absolute: meaningful only inside the mounted export */
				if (export_len && (strncmp(link, x->path, export_len) ||
						   (link[export_len] && link[export_len] != '/'))) {
					wb_snprintf(x->g->detail, sizeof(x->g->detail),
						    "link to \"%.80s\" is outside export %s", link,
						    x->g->export_path);
					rc = -WB_ENFSLINKOUT;
					break;
				}
				t = link + export_len;
				llen -= (size_t)(t - link);
				dir = x->root;
			}
			if (llen + 1 + restlen + 1 > cap) {
				rc = -WB_ENFSPATH;
				break;
			}
			memmove(rest + llen + 1, rest, restlen + 1);
			memcpy(rest, t, llen);
			rest[llen] = '/';
			is_dir = 1;
			continue;
		}
		is_dir = a->type == NF3DIR;
		if (!is_dir) {
			const char *p = rest;

			while (*p == '/' || (p[0] == '.' && (p[1] == '/' || !p[1])))
				p++;
			if (*p) {   /* more components after a non-directory */
				wb_snprintf(x->g->detail, sizeof(x->g->detail),
					    "\"%.*s\" is not a directory", (int)(nlen > 64 ? 64 : nlen), name);
				rc = -WB_ENFSNOTDIR;
				break;
			}
		}
		dir = obj;
	}
	plat_free(link);
	if (rc)
		return rc;
	if (is_dir)
		return -WB_ENFSISDIR;
	if (a->type != NF3REG)
		return -WB_ENFSNOTFILE;
	*fh = dir;
	return 0;
}

/* ---- READ pipeline ---- */

static void nfs_progress(struct nfs_ctx *x, int final)
{
	struct nfs_get *g = x->g;
	uint64_t now = x->env->now_ms(), ms = now - x->t_start;
	char got[32], total[32], rate[32];

	if (!g->progress || (!final && now - x->t_progress < 1000))
		return;
	if (final && !x->printed && g->received < 1024 * 1024)
		return;
	x->t_progress = now;
	x->printed = 1;
	wb_fmt_size(got, sizeof(got), g->received);
	wb_fmt_size(total, sizeof(total), g->size);
	wb_fmt_size(rate, sizeof(rate), ms ? g->received * 1000 / ms : 0);
	wb_printf("nfs: %s of %s (%u%%) at %s/s%s\n", got, total,
		  (unsigned)(g->size ? g->received * 100 / g->size : 100), rate, final ? ", done" : "");
}

static int nfs_send_read(struct nfs_ctx *x, struct nfs_conn *c, const struct nfs_fh *fh,
			 struct nfs_slot *s)
{
	struct xdr_enc e;

	x->g->reads++;
	nfs_begin(x, c, &e, NFS_PROG, NFS_VERS, NFS3_PROC_READ, &s->xid);
	nfs3_read_args(&e, fh, s->off + s->got, s->want - s->got);
	return nfs_commit(c, &e);
}

static int nfs_deliver(struct nfs_ctx *x, const uint8_t *d, size_t n)
{
	int rc = x->g->sink ? x->g->sink(x->g->sink_arg, d, n) : 0;

	if (rc < 0)
		return rc;
	x->g->received += n;
	nfs_progress(x, 0);
	return 0;
}

/* the reply in c->rec for one of our READs */
static int nfs_read_reply(struct nfs_ctx *x, struct nfs_conn *c, const struct nfs_fh *fh,
			  uint64_t *deliver_off)
{
	struct rpc_reply rep;
	struct xdr_dec d;
	struct nfs_read r;
	struct nfs_slot *s = NULL;
	uint32_t st = 0, left;
	int rc;

	rc = rpc_reply_parse(c->rec.buf, c->rec.len, &rep, &d);
	if (rc == -WB_ERPCAUTH)
		nfs_auth_detail(x, &rep);
	if (rc)
		return rc;
	for (int i = 0; i < NFS_WINDOW; i++)
		if (x->slots[i].busy && !x->slots[i].done && x->slots[i].xid == rep.xid)
			s = &x->slots[i];
	if (!s)
		return -WB_ERPCXID;
	left = s->want - s->got;
	memset(&r, 0, sizeof(r));
	rc = nfs3_read_res(&d, &st, left, &r);
	if (rc)
		return rc;
	if (st) {
		wb_snprintf(x->g->detail, sizeof(x->g->detail), "%s reading at offset %llu",
			    nfs3_status_name(st), (unsigned long long)(s->off + s->got));
		return nfs3_status_err(st);
	}
	if (!r.count && !r.eof)
		return -WB_ENFSREAD;   /* no progress and no end: a server that would loop us */
	if (r.eof && s->off + s->got + r.count < x->g->size) {   /* (a whole chunk, too) */
		wb_snprintf(x->g->detail, sizeof(x->g->detail), "end of file at %llu, size %llu",
			    (unsigned long long)(s->off + s->got + r.count),
			    (unsigned long long)x->g->size);
		return -WB_ENFSSHORT;
	}
	if (s->off == *deliver_off && !s->got && r.count == s->want) {
		/* in order and whole: straight from the record */
		rc = nfs_deliver(x, r.data, r.count);
		if (rc)
			return rc;
		*deliver_off += s->want;
		s->busy = 0;
		return 0;
	}
	if (s->off != *deliver_off)
		x->g->early++;
	if (!s->buf) {
		s->buf = plat_malloc(x->g->rsize);
		if (!s->buf)
			return -WB_ENOMEM;
	}
	memcpy(s->buf + s->got, r.data, r.count);
	s->got += r.count;
	if (s->got < s->want) {
		x->g->reasked++;
		return nfs_send_read(x, c, fh, s);   /* short: ask for the rest */
	}
	s->done = 1;
	return 0;
}

static int nfs_read_file(struct nfs_ctx *x, struct nfs_conn *c, const struct nfs_fh *fh)
{
	uint64_t size = x->g->size, issue_off = 0, deliver_off = 0;
	int rc = 0, progressed;

	x->t_start = x->t_progress = x->env->now_ms();
	while (deliver_off < size) {
		/* fill free slots */
		for (int i = 0; i < NFS_WINDOW && issue_off < size; i++) {
			struct nfs_slot *s = &x->slots[i];

			if (s->busy)
				continue;
			if (sizeof(c->obuf) - (c->o_len - c->o_off) < 256)
				break;
			s->busy = 1;
			s->done = 0;
			s->off = issue_off;
			s->got = 0;
			s->want = size - issue_off < x->g->rsize ? (uint32_t)(size - issue_off)
								   : x->g->rsize;
			issue_off += s->want;
			rc = nfs_send_read(x, c, fh, s);
			if (rc)
				return rc;
		}
		rc = nfs_step(x, c);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			rc = nfs_read_reply(x, c, fh, &deliver_off);
			nfs_done_rec(c);
			if (rc)
				return rc;
		}
		/* deliver the slots that are next in order */
		do {
			progressed = 0;
			for (int i = 0; i < NFS_WINDOW; i++) {
				struct nfs_slot *s = &x->slots[i];

				if (s->busy && s->done && s->off == deliver_off) {
					rc = nfs_deliver(x, s->buf, s->want);
					if (rc)
						return rc;
					deliver_off += s->want;
					s->busy = s->done = 0;
					progressed = 1;
				}
			}
		} while (progressed);
	}
	nfs_progress(x, 1);
	return 0;
}

/* ---- the whole fetch ---- */

static int nfs_parse_url(struct nfs_ctx *x, size_t *ncomp)
{
	struct uri u;
	int rc, n;

	memset(&u, 0, sizeof(u));
	rc = uri_parse(x->g->url, &u);
	if (rc)
		return rc;
	rc = -WB_ENFSURI;
	if (!u.scheme || strcmp(u.scheme, "nfs") || !u.host || !u.host[0] || u.user || u.query ||
	    u.path[0] != '/' || strlen(u.host) >= sizeof(x->host))
		goto out;
	wb_strlcpy(x->host, u.host, sizeof(x->host));
	n = uri_pct_decode(u.path, strlen(u.path), x->path, NFS3_PATH_MAX + 1);
	if (n < 0) {
		rc = n == -WB_ETOOBIG ? -WB_ENFSPATH : n;
		goto out;
	}
	/* one slash between components, none at the end; count components */
	{
		int w = 0;

		for (int i = 0; i < n; i++)
			if (x->path[i] != '/' || !w || x->path[w - 1] != '/')
				x->path[w++] = x->path[i];
		while (w > 1 && x->path[w - 1] == '/')
			w--;
		x->path[w] = 0;
		n = w;
	}
	*ncomp = 0;
	for (int i = 0; i < n; i++)
		if (x->path[i] == '/' && x->path[i + 1])
			(*ncomp)++;
	rc = *ncomp > NFS_COMPS_MAX ? -WB_ENFSPATH : 0;
	if (!rc && u.has_port)
		rc = u.port ? (int)u.port : -WB_ENFSURI;
out:
	uri_free(&u);
	return rc;   /* >0: the URI's port */
}

int nfs_get(const struct http_env *env, struct nfs_get *g)
{
	struct nfs_ctx *x = plat_malloc(sizeof(*x));
	struct nfs_conn *mc = NULL, *nc = NULL;
	struct nfs_fsinfo fi;
	struct nfs_fh fh;
	struct nfs_attr a;
	uint16_t mount_port = 0, nfs_port = NFS_PORT;
	size_t ncomp = 0, plen, export_len = 0;
	char *rest = NULL;
	int rc, first_rc = 0, mounted = 0, port_given = 0;

	g->size = g->received = 0;
	g->symlinks = g->mounts_tried = g->reads = g->early = g->reasked = 0;
	g->detail[0] = g->export_path[0] = 0;
	if (!x)
		return -WB_ENOMEM;
	memset(x, 0, sizeof(*x));
	x->env = env;
	x->g = g;
	x->cred.uid = g->uid;
	x->cred.gid = g->gid;
	x->cred.machine = "wireboot";
	x->cred.stamp = (uint32_t)env->now_ms();
	x->xid = (uint32_t)(env->now_ms() * 2654435761u);
	x->resv_next = x->xid >> 8;
	g->resvport = env->connect_from && !g->no_resvport;
	rc = nfs_parse_url(x, &ncomp);
	if (rc < 0)
		goto out;
	if (rc > 0) {
		nfs_port = (uint16_t)rc;
		port_given = 1;
	}
	/* each zeroed as soon as it exists: the exit path closes whichever are there */
	mc = plat_malloc(sizeof(*mc));
	if (mc)
		memset(mc, 0, sizeof(*mc));
	nc = plat_malloc(sizeof(*nc));
	if (nc)
		memset(nc, 0, sizeof(*nc));
	rest = plat_malloc(2 * NFS3_PATH_MAX + 2);
	if (!mc || !nc || !rest) {
		rc = -WB_ENOMEM;
		goto out;
	}

	/* PORTMAP: where MOUNT (and NFS, unless the URI gave its port) listen */
	rc = nfs_conn_open(x, mc, PMAP_PORT, NFS_SMALL_REC);
	if (!rc)
		rc = nfs_getport(x, mc, MOUNT_PROG, MOUNT_VERS, &mount_port);
	if (!rc && !port_given)
		rc = nfs_getport(x, mc, NFS_PROG, NFS_VERS, &nfs_port);
	nfs_conn_close(mc);
	if (rc)
		goto out;

	/* MOUNT: the longest accepted prefix of the file's directory */
	rc = nfs_conn_open(x, mc, mount_port, NFS_SMALL_REC);
	if (rc)
		goto out;
	plen = strlen(x->path);
	for (size_t dl = plen; ; ) {
		uint32_t st = 0;

		while (dl > 0 && x->path[--dl] != '/')
			;   /* one component shorter: first the file name, then directories */
		g->mounts_tried++;
		rc = nfs_mount_call(x, mc, MOUNT_PROC_MNT, dl, &st);
		if (rc)
			goto out;   /* RPC-level trouble: no point in trying shorter paths */
		if (!st) {
			export_len = dl;
			mounted = 1;
			break;
		}
		if (!first_rc) {
			first_rc = mnt_status_err(st);
			wb_snprintf(g->detail, sizeof(g->detail), "%s for %.*s", mnt_status_name(st),
				    (int)(dl > 100 ? 100 : (dl ? dl : 1)), dl ? x->path : "/");
		}
		if (!dl) {
			rc = first_rc;
			goto out;
		}
	}
	g->detail[0] = 0;
	wb_snprintf(g->export_path, sizeof(g->export_path), "%.*s", (int)(export_len ? export_len : 1),
		    export_len ? x->path : "/");

	/* NFS: FSINFO, walk, read */
	rc = nfs_conn_open(x, nc, nfs_port, NFS_SMALL_REC);
	if (rc)
		goto out;
	rc = nfs_fsinfo(x, nc, &fi);
	if (rc)
		goto out;
	g->rsize = fi.rtmax ? fi.rtmax : (fi.rtpref ? fi.rtpref : 4096);
	if (g->rsize > NFS_RSIZE_MAX)
		g->rsize = NFS_RSIZE_MAX;
	if (g->rsize > 4096)
		g->rsize &= ~4095u;
	rc = nfs_conn_grow(nc, (size_t)g->rsize + NFS_REC_SLACK);
	if (rc)
		goto out;
	wb_strlcpy(rest, x->path + export_len, 2 * NFS3_PATH_MAX + 2);
	rc = nfs_walk(x, nc, rest, 2 * NFS3_PATH_MAX + 2, export_len, &fh, &a);
	if (rc)
		goto out;
	g->size = a.size;
	if (fi.maxfilesize && a.size > fi.maxfilesize) {
		rc = -WB_ENFSREAD;
		goto out;
	}
	rc = nfs_read_file(x, nc, &fh);
out:
	if (mounted && mc) {   /* UMNT: best effort, briefly */
		uint32_t st, idle = g->idle_timeout_ms;
		char saved[NFS_DETAIL_MAX];

		wb_strlcpy(saved, g->detail, sizeof(saved));
		g->idle_timeout_ms = NFS_UMNT_TIMEOUT_MS;
		if (mc->s && stream_state(mc->s) == STREAM_OPEN)
			(void)nfs_mount_call(x, mc, MOUNT_PROC_UMNT, export_len, &st);
		g->idle_timeout_ms = idle;
		wb_strlcpy(g->detail, saved, sizeof(g->detail));
	}
	if (mc)
		nfs_conn_close(mc);
	if (nc)
		nfs_conn_close(nc);
	for (int i = 0; i < NFS_WINDOW; i++)
		plat_free(x->slots[i].buf);
	plat_free(mc);
	plat_free(nc);
	plat_free(rest);
	plat_free(x);
	return rc;
}
