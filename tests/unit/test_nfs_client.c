/*
 * test_nfs_client.c — the NFS client (proto/nfs_client.c) against a scripted
 * in-memory server: each call the client sends is logged (program,
 * procedure, arguments) and answered by the next scripted result body under
 * an accepted RPC header with the call's XID.  Covers: the call sequence of
 * a whole fetch (portmapper, MNT of ever shorter prefixes, FSINFO, LOOKUP,
 * READLINK, GETATTR, READ, UMNT), a URI port skipping the NFS GETPORT, READ
 * replies delivered out of order and short, the symlink bound, absolute
 * links outside the export, bad URIs, the timeouts, and every allocation
 * failing once (clean error, nothing leaked).
 */
#define UNIT_NAME "nfs_client"
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "proto/nfs_client.h"
#include "proto/nfs_msg.h"
#include "unit.h"

#define SC_MAX 64
#define SC_HOLD 1      /* send this reply after the next one */
#define SC_SILENT 2    /* never answer */

struct body {
	uint8_t b[9000];
	size_t n;
	int flags;
};

static struct {
	struct body sc[SC_MAX];
	int nsc, next;
	/* log of calls */
	uint32_t prog[SC_MAX], proc[SC_MAX];
	char arg[SC_MAX][64];     /* MNT path / LOOKUP name */
	uint64_t read_off[SC_MAX];
	int ncalls;
	unsigned connects;
	uint16_t ports[16];
	uint64_t now;
} srv;

static struct body *sc_add(void)
{
	struct body *b = &srv.sc[srv.nsc++];

	b->n = 0;
	b->flags = 0;
	return b;
}
static void w32(struct body *b, uint32_t v)
{
	b->b[b->n++] = (uint8_t)(v >> 24);
	b->b[b->n++] = (uint8_t)(v >> 16);
	b->b[b->n++] = (uint8_t)(v >> 8);
	b->b[b->n++] = (uint8_t)v;
}
static void wopaque(struct body *b, const void *p, size_t n)
{
	w32(b, (uint32_t)n);
	memcpy(b->b + b->n, p, n);
	b->n += n;
	while (b->n & 3)
		b->b[b->n++] = 0;
}
static void wfattr(struct body *b, uint32_t type, uint64_t size)
{
	w32(b, type), w32(b, 0644), w32(b, 1), w32(b, 0), w32(b, 0);
	w32(b, (uint32_t)(size >> 32)), w32(b, (uint32_t)size);
	for (int i = 0; i < 14; i++)
		w32(b, 0);
}

/* scripted answers */
static void a_port(uint32_t port) { w32(sc_add(), port); }
static void a_mnt(uint32_t status)
{
	struct body *b = sc_add();

	w32(b, status);
	if (!status) {
		wopaque(b, "ROOT", 4);
		w32(b, 1), w32(b, 1);
	}
}
static void a_fsinfo(uint32_t rtmax)
{
	struct body *b = sc_add();

	w32(b, 0), w32(b, 0);
	w32(b, rtmax), w32(b, rtmax), w32(b, 4096), w32(b, rtmax), w32(b, rtmax), w32(b, 4096);
	w32(b, 4096), w32(b, 0), w32(b, 0xffffffff), w32(b, 0), w32(b, 1), w32(b, 0x1b);
}
static void a_lookup(uint32_t status, const char *fh, int with_attr, uint32_t type, uint64_t size)
{
	struct body *b = sc_add();

	w32(b, status);
	if (status) {
		w32(b, 0);
		return;
	}
	wopaque(b, fh, strlen(fh));
	w32(b, (uint32_t)with_attr);
	if (with_attr)
		wfattr(b, type, size);
	w32(b, 0);
}
static void a_getattr(uint32_t type, uint64_t size)
{
	struct body *b = sc_add();

	w32(b, 0);
	wfattr(b, type, size);
}
static void a_readlink(const char *target)
{
	struct body *b = sc_add();

	w32(b, 0), w32(b, 0);
	wopaque(b, target, strlen(target));
}
static uint8_t file_byte(uint64_t off) { return (uint8_t)(off * 7 + (off >> 8)); }
static struct body *a_read(uint64_t off, uint32_t count, int eof)
{
	struct body *b = sc_add();

	w32(b, 0), w32(b, 0);
	w32(b, count), w32(b, (uint32_t)eof);
	w32(b, count);
	for (uint32_t i = 0; i < count; i++)
		b->b[b->n++] = file_byte(off + i);
	while (b->n & 3)
		b->b[b->n++] = 0;
	return b;
}
static void a_void(void) { sc_add(); }

/* ---- the in-memory stream ---- */
struct mconn {
	struct stream base;
	uint8_t in[512];
	size_t in_len;
	uint8_t out[65536];
	size_t out_len, out_off;
	struct body *held;
	uint32_t held_xid;
};

static void put_reply(struct mconn *c, uint32_t xid, const struct body *b)
{
	uint32_t w[7] = { 0x80000000u | (uint32_t)(24 + b->n), xid, 1, 0, 0, 0, 0 };

	for (int i = 0; i < 7; i++) {
		c->out[c->out_len++] = (uint8_t)(w[i] >> 24);
		c->out[c->out_len++] = (uint8_t)(w[i] >> 16);
		c->out[c->out_len++] = (uint8_t)(w[i] >> 8);
		c->out[c->out_len++] = (uint8_t)w[i];
	}
	memcpy(c->out + c->out_len, b->b, b->n);
	c->out_len += b->n;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void on_call(struct mconn *c)
{
	const uint8_t *m = c->in + 4;
	uint32_t xid = rd32(m), prog = rd32(m + 12), proc = rd32(m + 20);
	size_t off = 24, n;
	int k = srv.ncalls;
	struct body *b;

	off += 8 + rd32(m + off + 4);      /* credentials */
	off += 8 + rd32(m + off + 4);      /* verifier */
	if (k < SC_MAX) {
		srv.prog[k] = prog;
		srv.proc[k] = proc;
		srv.arg[k][0] = 0;
		if (prog == MOUNT_PROG) {
			n = rd32(m + off);
			snprintf(srv.arg[k], sizeof(srv.arg[k]), "%.*s", (int)n, (const char *)m + off + 4);
		} else if (prog == NFS_PROG && (proc == NFS3_PROC_LOOKUP || proc == NFS3_PROC_READ)) {
			size_t fl = rd32(m + off);

			off += 4 + ((fl + 3) & ~(size_t)3);
			if (proc == NFS3_PROC_LOOKUP) {
				n = rd32(m + off);
				snprintf(srv.arg[k], sizeof(srv.arg[k]), "%.*s", (int)n,
					 (const char *)m + off + 4);
			} else {
				srv.read_off[k] = (uint64_t)rd32(m + off) << 32 | rd32(m + off + 4);
			}
		}
		srv.ncalls++;
	}
	if (srv.next >= srv.nsc)
		return;   /* script over: silence */
	b = &srv.sc[srv.next++];
	if (b->flags & SC_SILENT)
		return;
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (b->flags & SC_HOLD) {
		c->held = b;
		c->held_xid = xid;
		return;
	}
	put_reply(c, xid, b);
	if (c->held) {
		put_reply(c, c->held_xid, c->held);
		c->held = NULL;
	}
}

static enum stream_state m_state(const struct stream *s) { return STREAM_OPEN; }
static int m_error(const struct stream *s) { return 0; }
static int m_send(struct stream *s, const void *buf, size_t len)
{
	struct mconn *c = (struct mconn *)s;
	const uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		if (c->in_len < sizeof(c->in))
			c->in[c->in_len] = p[i];
		c->in_len++;
		if (c->in_len >= 4 && c->in_len == (rd32(c->in) & 0x7fffffff) + 4) {
			on_call(c);
			c->in_len = 0;
		}
	}
	return (int)len;
}
static size_t m_send_space(const struct stream *s) { return 65536; }
static int m_recv(struct stream *s, void *buf, size_t len)
{
	struct mconn *c = (struct mconn *)s;
	size_t n = c->out_len - c->out_off;

	if (n > len)
		n = len;
	if (n > 1000)
		n = 1000;   /* records arrive in pieces */
	memcpy(buf, c->out + c->out_off, n);
	c->out_off += n;
	return (int)n;
}
static size_t m_recv_avail(const struct stream *s)
{
	const struct mconn *c = (const struct mconn *)s;

	return c->out_len - c->out_off;
}
static void m_close(struct stream *s) { plat_free(s); }
static const struct stream_ops m_ops = {
	.state = m_state, .error = m_error, .send = m_send, .send_space = m_send_space,
	.recv = m_recv, .recv_avail = m_recv_avail, .close = m_close,
};
static int m_connect(void *arg, int https, const char *host, uint16_t port, struct stream **out)
{
	struct mconn *c = plat_malloc(sizeof(*c));

	if (!c)
		return -WB_ENOMEM;
	memset(c, 0, sizeof(*c));
	c->base.ops = &m_ops;
	if (srv.connects < 16)
		srv.ports[srv.connects] = port;
	srv.connects++;
	*out = &c->base;
	return 0;
}
static void m_poll(void *arg) { srv.now += 10; }
static uint64_t m_now(void) { return srv.now; }
static const struct http_env env = { .connect = m_connect, .poller = { m_poll, NULL, NULL },
				     .now_ms = m_now };

/* ---- the sink checks every byte against file_byte() ---- */
struct sinkst {
	uint64_t got;
	int bad;
};
static int sink(void *arg, const uint8_t *d, size_t n)
{
	struct sinkst *s = arg;

	for (size_t i = 0; i < n; i++)
		if (d[i] != file_byte(s->got + i))
			s->bad = 1;
	s->got += n;
	return 0;
}

static int run(const char *url, struct nfs_get *g, struct sinkst *s)
{
	memset(g, 0, sizeof(*g));
	memset(s, 0, sizeof(*s));
	srv.next = 0;
	srv.ncalls = 0;
	srv.connects = 0;
	g->url = url;
	g->sink = sink;
	g->sink_arg = s;
	g->idle_timeout_ms = 2000;
	return nfs_get(&env, g);
}

/* the whole-fetch script: /srv/boot/dir/vmlinuz, "vmlinuz" a link to "real" (10000
 * bytes, no attributes with its handle), rtmax 4096, the second READ answered after the
 * third and short; UMNT */
static void script_whole(void)
{
	srv.nsc = 0;
	a_port(20048), a_port(2049);
	a_mnt(2);                                   /* /srv/boot/dir: NOENT */
	a_mnt(0);                                   /* /srv/boot */
	a_fsinfo(4096);
	a_lookup(0, "DIR", 1, NF3DIR, 4096);
	a_lookup(0, "LINK", 1, NF3LNK, 4);
	a_readlink("real");
	a_lookup(0, "FILE", 0, 0, 0);
	a_getattr(NF3REG, 10000);
	a_read(0, 4096, 0);
	a_read(4096, 2048, 0)->flags = SC_HOLD;      /* short, and after the next one */
	a_read(8192, 1808, 1);
	a_read(6144, 2048, 0);                      /* the rest of the short one */
	a_void();                                   /* UMNT */
}

static void test_whole(void)
{
	struct nfs_get g;
	struct sinkst s;
	int rc;

	script_whole();
	rc = run("nfs://192.0.2.1/srv/boot/dir/vmlinuz", &g, &s);
	CHECK("whole fetch succeeds", rc == 0);
	CHECK("all bytes, in file order, correct", s.got == 10000 && g.size == 10000 && !s.bad);
	CHECK("one reply early, one re-asked", g.early >= 1 && g.reasked == 1 && g.reads == 4);
	CHECK("calls: GETPORT MOUNT then NFS", srv.prog[0] == PMAP_PROG && srv.prog[1] == PMAP_PROG);
	CHECK_STR("first MNT: the file's directory", srv.arg[2], "/srv/boot/dir");
	CHECK_STR("then one component shorter", srv.arg[3], "/srv/boot");
	CHECK_STR("export reported", g.export_path, "/srv/boot");
	CHECK("FSINFO before the walk", srv.proc[4] == NFS3_PROC_FSINFO);
	CHECK_STR("LOOKUP dir", srv.arg[5], "dir");
	CHECK_STR("LOOKUP vmlinuz", srv.arg[6], "vmlinuz");
	CHECK("READLINK of the link", srv.proc[7] == NFS3_PROC_READLINK);
	CHECK_STR("LOOKUP the link's target in the link's directory", srv.arg[8], "real");
	CHECK("GETATTR when LOOKUP gave no attributes", srv.proc[9] == NFS3_PROC_GETATTR);
	CHECK("the short READ's rest asked at 6144", srv.read_off[13] == 6144);
	CHECK("UMNT of the export last", srv.prog[14] == MOUNT_PROG && srv.proc[14] == MOUNT_PROC_UMNT &&
	      !strcmp(srv.arg[14], "/srv/boot"));
	CHECK("symlinks counted", g.symlinks == 1 && g.mounts_tried == 2);
	CHECK("no allocation left", host_live_allocs() == 0);
}

static void test_port_given(void)
{
	struct nfs_get g;
	struct sinkst s;

	srv.nsc = 0;
	a_port(20048);                 /* only MOUNT's port asked */
	a_mnt(0);
	a_fsinfo(65536);
	a_lookup(0, "F", 1, NF3REG, 5);
	a_read(0, 5, 1);
	a_void();
	CHECK("URI port: fetched", run("nfs://192.0.2.1:3049/x/f", &g, &s) == 0 && s.got == 5);
	CHECK("URI port: one GETPORT, NFS connection to that port",
	      srv.prog[1] == MOUNT_PROG && srv.ports[2] == 3049 && srv.ports[0] == 111 &&
	      srv.ports[1] == 20048);
	CHECK_STR("URI port: export /x", g.export_path, "/x");
}

static void test_loop_and_escape(void)
{
	struct nfs_get g;
	struct sinkst s;
	int rc;

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096);
	for (int i = 0; i <= NFS_SYMLINKS_MAX; i++) {
		a_lookup(0, "L", 1, NF3LNK, 1);
		a_readlink("l");
	}
	a_void();
	rc = run("nfs://h/e/l", &g, &s);
	CHECK("symlink loop: -WB_ENFSLOOP after the bound", rc == -WB_ENFSLOOP &&
	      g.symlinks == NFS_SYMLINKS_MAX + 1);

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096);
	a_lookup(0, "L", 1, NF3LNK, 1);
	a_readlink("/etc/passwd");
	a_void();
	rc = run("nfs://h/e/l", &g, &s);
	CHECK("absolute link outside the export refused", rc == -WB_ENFSLINKOUT);

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096);
	a_lookup(0, "L", 1, NF3LNK, 1);
	a_readlink("/e/sub/f");
	a_lookup(0, "S", 1, NF3DIR, 1);
	a_lookup(0, "F", 1, NF3REG, 3);
	a_read(0, 3, 1);
	a_void();
	rc = run("nfs://h/e/l", &g, &s);
	CHECK("absolute link inside the export followed from its root", rc == 0 && s.got == 3 &&
	      !strcmp(srv.arg[6], "sub") && !strcmp(srv.arg[7], "f"));
}

static void test_errors(void)
{
	struct nfs_get g;
	struct sinkst s;
	int rc;

	CHECK("not nfs:", run("http://h/x", &g, &s) == -WB_ENFSURI);
	CHECK("user info refused", run("nfs://u@h/x", &g, &s) == -WB_ENFSURI);
	CHECK("no host", run("nfs:///x", &g, &s) == -WB_ENFSURI);
	CHECK("port 0", run("nfs://h:0/x", &g, &s) == -WB_ENFSURI);
	{
		char url[400] = "nfs://h";

		for (int i = 0; i < 70; i++)
			strcat(url, "/a");
		CHECK("more than 64 components", run(url, &g, &s) == -WB_ENFSPATH);
	}

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(13), a_mnt(13), a_mnt(2);
	rc = run("nfs://h/a/b/f", &g, &s);
	CHECK("no export: the first (longest) refusal reported", rc == -WB_EMNTACCES &&
	      !strcmp(g.detail, "MNT3ERR_ACCES for /a/b") && g.mounts_tried == 3);
	CHECK_STR("last MNT tried is /", srv.arg[4], "/");

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096), a_lookup(70, "", 0, 0, 0), a_void();
	rc = run("nfs://h/e/f", &g, &s);
	CHECK("STALE named", rc == -WB_ENFSSTALE && strstr(g.detail, "NFS3ERR_STALE looking up \"f\""));

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096), a_lookup(0, "D", 1, NF3DIR, 1), a_void();
	CHECK("a directory is not a file", run("nfs://h/e/d", &g, &s) == -WB_ENFSISDIR);

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(2), a_mnt(0), a_fsinfo(4096), a_lookup(0, "F", 1, NF3REG, 1);
	a_void();
	CHECK("a file in the middle of the path", run("nfs://h/e/f/g", &g, &s) == -WB_ENFSNOTDIR);

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096), a_lookup(0, "F", 1, NF3REG, 100000);
	for (int i = 0; i < NFS_WINDOW; i++)   /* none of the READs in flight answered */
		a_read(0, 4096, 0)->flags = SC_SILENT;
	a_void();
	srv.now = 0;
	rc = run("nfs://h/e/f", &g, &s);
	CHECK("no READ reply: -WB_ENFSIDLE after the idle timeout", rc == -WB_ENFSIDLE &&
	      srv.now >= 2000 && srv.now < 20000);

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096), a_lookup(0, "F", 1, NF3REG, 8000);
	a_read(0, 4096, 0), a_read(4096, 1000, 1), a_void();
	CHECK("eof before the size: -WB_ENFSSHORT", run("nfs://h/e/f", &g, &s) == -WB_ENFSSHORT);

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096), a_lookup(0, "F", 1, NF3REG, 9000);
	a_read(0, 4096, 1), a_read(4096, 4096, 0), a_read(8192, 808, 1), a_void();
	CHECK("eof on a whole chunk before the size: -WB_ENFSSHORT",
	      run("nfs://h/e/f", &g, &s) == -WB_ENFSSHORT && s.got == 0);

	srv.nsc = 0;
	a_port(1), a_port(2), a_mnt(0), a_fsinfo(4096), a_lookup(0, "L", 1, NF3LNK, 0);
	a_readlink(""), a_void();
	CHECK("empty symlink: -WB_ENFSNOENT", run("nfs://h/e/l", &g, &s) == -WB_ENFSNOENT &&
	      !strcmp(g.detail, "empty symbolic link"));
	CHECK("no allocation left after the errors", host_live_allocs() == 0);
}

static int sweep_run(void *arg)
{
	struct nfs_get g;
	struct sinkst s;

	(void)arg;
	script_whole();
	return run("nfs://192.0.2.1/srv/boot/dir/vmlinuz", &g, &s);
}
static int sweep_ok(int rc) { return rc == 0 || rc == -WB_ENOMEM; }

int main(void)
{
	test_whole();
	test_port_given();
	test_loop_and_escape();
	test_errors();
	unit_alloc_sweep("whole fetch", sweep_run, NULL, sweep_ok);
	return unit_done();
}
