/*
 * ftp_client.c — passive-mode FTP download (see ftp_client.h).
 *
 * How this works, per ftp_client_get():
 *
 *   resolve server ─▶ connect (control) ─▶ 220 greeting (after any 120)
 *   USER ─▶ 230, or 331 ─▶ PASS ─▶ 230/202          (RFC 959 §5.4)
 *   TYPE I ─▶ 200                                    (binary, §3.1.1)
 *   SIZE path ─▶ 213 n, or no size (RFC 3659 §4)
 *   EPSV ─▶ 229 (|||port|)  ── refused (5xx) ──▶ PASV ─▶ 227 h1,…,p2
 *            (RFC 2428)                          address must be the server's
 *   connect (data) ─▶ RETR path ─▶ 125/150
 *   read data to EOF while watching the control connection ─▶ 226/250
 *   QUIT
 *
 * The transfer is complete only when the data connection reached EOF
 * *and* the server confirmed it (226/250) *and* the byte count matches
 * SIZE when SIZE was answered: a data connection that ends early is never
 * taken for a short file.  Every wait polls env->net->poller, checks
 * Ctrl-C and a deadline: the connect timeout while connecting, the idle
 * timeout (time since the last byte moved) afterwards.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"
#include "proto/ftp_client.h"
#include "proto/uri.h"

#define FTP_CTLBUF 2048
#define FTP_DATABUF 65536
#define FTP_CMDBUF (URI_MAX + 16)
#define FTP_ANON_PASSWORD "anonymous@"

struct ftp_xfer {
	const struct ftp_env *env;
	struct ftp_get *g;
	struct stream *ctl, *data;
	uint8_t ip[4];             /* the server's address */
	char ipstr[16];
	uint32_t connect_ms, idle_ms;
	struct ftp_reply_parser rp;
	uint8_t ctl_buf[FTP_CTLBUF];
	size_t ctl_off, ctl_len;   /* unparsed control bytes */
	int ctl_eof;
	uint64_t t_start, t_last;  /* progress */
	int printed;
};

static uint64_t ftp_now(const struct ftp_xfer *x)
{
	return x->env->net->now_ms();
}

/* poll once; -WB_ECANCELED on Ctrl-C */
static int ftp_poll(const struct ftp_xfer *x)
{
	const struct stream_poller *p = &x->env->net->poller;

	if (p->poll)
		p->poll(p->arg);
	if (p->cancel && p->cancel())
		return -WB_ECANCELED;
	return 0;
}

/* the reply behind an error: remembered for the caller's message */
static int ftp_fail(struct ftp_xfer *x, int rc)
{
	x->g->code = x->rp.reply.code;
	wb_strlcpy(x->g->text, x->rp.reply.text, sizeof(x->g->text));
	return rc;
}

static int ftp_connect(struct ftp_xfer *x, uint16_t port, struct stream **out)
{
	uint64_t t0;
	int rc;

	rc = x->env->net->connect(x->env->net->arg, 0, x->ipstr, port, out);
	if (rc) {
		*out = NULL;
		return rc;
	}
	t0 = ftp_now(x);
	for (;;) {
		enum stream_state st = stream_state(*out);

		if (st == STREAM_OPEN)
			return 0;
		if (st == STREAM_ERROR) {
			rc = stream_error(*out);
			break;
		}
		if (st == STREAM_EOF) {
			rc = -WB_ECLOSED;
			break;
		}
		rc = ftp_poll(x);
		if (rc)
			break;
		if (ftp_now(x) - t0 >= x->connect_ms) {
			rc = -WB_EFTPCONNTIMEOUT;
			break;
		}
	}
	stream_close(*out);
	*out = NULL;
	return rc ? rc : -WB_ECONNREFUSED;
}

/*
 * Step the control connection: parse buffered bytes, read more while there
 * are some.  @return 1 when x->rp.reply is complete, 0 when nothing is
 * there yet (the caller polls), or an error (-WB_EFTPCLOSED at EOF).  A
 * loop, not recursion: a server may send a long reply in tiny pieces.
 */
static int ftp_ctl_step(struct ftp_xfer *x, int *moved)
{
	for (;;) {
		int n;

		if (x->ctl_off < x->ctl_len) {
			size_t used = 0;
			int rc = ftp_reply_feed(&x->rp, x->ctl_buf + x->ctl_off,
						x->ctl_len - x->ctl_off, &used);

			x->ctl_off += used;
			if (rc)
				return rc < 0 ? ftp_fail(x, rc) : 1;
		}
		if (x->ctl_eof)
			return -WB_EFTPCLOSED;
		n = stream_recv(x->ctl, x->ctl_buf, sizeof(x->ctl_buf));
		if (n == -WB_ECLOSED) {
			x->ctl_eof = 1;
			x->ctl_off = x->ctl_len = 0;
			return -WB_EFTPCLOSED;
		}
		if (n < 0)
			return n;
		x->ctl_off = 0;
		x->ctl_len = (size_t)n;
		if (!n)
			return 0;
		*moved = 1;
	}
}

/* wait for the next complete reply (bounded by the idle timeout) */
static int ftp_reply(struct ftp_xfer *x)
{
	uint64_t last = ftp_now(x);
	int rc;

	ftp_reply_init(&x->rp);
	for (;;) {
		int moved = 0;

		rc = ftp_ctl_step(x, &moved);
		if (rc)
			return rc < 0 ? rc : 0;
		if (moved)
			last = ftp_now(x);
		rc = ftp_poll(x);
		if (rc)
			return rc;
		if (ftp_now(x) - last >= x->idle_ms)
			return -WB_EFTPIDLE;
	}
}

static int ftp_send(struct ftp_xfer *x, const char *buf, size_t len)
{
	uint64_t last = ftp_now(x);
	size_t off = 0;
	int rc;

	while (off < len) {
		int n = stream_send(x->ctl, buf + off, len - off);

		if (n < 0)
			return n;
		if (n > 0) {
			off += (size_t)n;
			last = ftp_now(x);
			continue;
		}
		rc = ftp_poll(x);
		if (rc)
			return rc;
		if (ftp_now(x) - last >= x->idle_ms)
			return -WB_EFTPIDLE;
	}
	return 0;
}

/* send "VERB arg" (arg may be NULL) in one piece; the command is wiped after */
static int ftp_send_cmd(struct ftp_xfer *x, const char *verb, const char *arg)
{
	char buf[FTP_CMDBUF];
	int n = wb_snprintf(buf, sizeof(buf), "%s%s%s\r\n", verb, arg ? " " : "", arg ? arg : "");
	int rc;

	if (n < 0 || (size_t)n >= sizeof(buf))
		return -WB_EFTPURI;
	rc = ftp_send(x, buf, (size_t)n);
	memset(buf, 0, sizeof(buf));   /* PASS carries the password */
	return rc;
}

/* a command and its reply */
static int ftp_cmd(struct ftp_xfer *x, const char *verb, const char *arg)
{
	int rc = ftp_send_cmd(x, verb, arg);

	return rc ? rc : ftp_reply(x);
}

/* a string that goes into a command: no CR, LF (command injection) */
static int ftp_arg_ok(const char *s)
{
	return !strchr(s, '\r') && !strchr(s, '\n');
}

/* USER/PASS (RFC 959 §4.1.1, reply sequences §5.4) */
static int ftp_login(struct ftp_xfer *x, const char *user, const char *pass)
{
	int rc = ftp_cmd(x, "USER", user);
	int code = x->rp.reply.code;

	if (rc)
		return rc;
	if (code == 230)
		return 0;
	if (code == 331) {
		rc = ftp_cmd(x, "PASS", pass);
		if (rc)
			return rc;
		code = x->rp.reply.code;
		if (code == 230 || code == 202)
			return 0;
	}
	if (code == 530 || code == 332 || code == 430)
		return ftp_fail(x, -WB_EFTPLOGIN);   /* 332: an account (ACCT) is not supported */
	return ftp_fail(x, -WB_EFTPREFUSED);
}

/* EPSV, else PASV: the data port (on the server's address) */
static int ftp_passive(struct ftp_xfer *x, uint16_t *port)
{
	uint8_t ip[4];
	int rc = ftp_cmd(x, "EPSV", NULL);

	if (rc)
		return rc;
	if (x->rp.reply.code == 229) {
		x->g->epsv = 1;
		rc = ftp_parse_epsv(x->rp.reply.text, port);
		return rc ? ftp_fail(x, rc) : 0;
	}
	if (x->rp.reply.code < 500)
		return ftp_fail(x, -WB_EFTPREFUSED);
	wb_printf("ftp: EPSV refused (%d %s), trying PASV\n", x->rp.reply.code, x->rp.reply.text);
	rc = ftp_cmd(x, "PASV", NULL);
	if (rc)
		return rc;
	if (x->rp.reply.code != 227)
		return ftp_fail(x, -WB_EFTPREFUSED);
	rc = ftp_parse_pasv(x->rp.reply.text, ip, port);
	if (rc)
		return ftp_fail(x, rc);
	if (memcmp(ip, x->ip, 4))   /* RFC 2577 §3: never connect elsewhere */
		return ftp_fail(x, -WB_EFTPBOUNCE);
	return 0;
}

static void ftp_progress(struct ftp_xfer *x, int final)
{
	uint64_t now = ftp_now(x), ms = now - x->t_start;
	struct ftp_get *g = x->g;
	char got[32], total[32], rate[32];

	if (!g->progress || (!final && now - x->t_last < 1000))
		return;
	if (final && !x->printed && g->received < 1024 * 1024)
		return;   /* a short, small download gets no progress at all */
	x->t_last = now;
	x->printed = 1;
	wb_fmt_size(got, sizeof(got), g->received);
	wb_fmt_size(rate, sizeof(rate), ms ? g->received * 1000 / ms : 0);
	if (g->size != UINT64_MAX && g->size) {
		wb_fmt_size(total, sizeof(total), g->size);
		wb_printf("ftp: %s of %s (%u%%) at %s/s%s\n", got, total,
			  (unsigned)(g->received * 100 / g->size), rate, final ? ", done" : "");
	} else {
		wb_printf("ftp: %s at %s/s%s\n", got, rate, final ? ", done" : "");
	}
}

/*
 * After RETR: the data to EOF and the control replies, both at once.  Done
 * when the data reached EOF and a 2xx arrived; a 4xx/5xx ends it.
 */
static int ftp_transfer(struct ftp_xfer *x, uint8_t *buf)
{
	struct ftp_get *g = x->g;
	uint64_t last = ftp_now(x);
	int data_eof = 0, confirmed = 0, started = 0, rc;

	x->t_start = x->t_last = last;
	ftp_reply_init(&x->rp);
	while (!(data_eof && confirmed)) {
		int moved = 0;

		/* data first: drain what is there before polling */
		while (!data_eof) {
			int n = stream_recv(x->data, buf, FTP_DATABUF);

			if (n == -WB_ECLOSED) {
				/* close our side now: servers (vsftpd) send 226 only once
				 * the data connection is fully closed, and waiting would
				 * leave that to a delayed ACK (40 ms) */
				stream_close(x->data);
				x->data = NULL;
				data_eof = 1;
				moved = 1;
				break;
			}
			if (n < 0)
				return n;
			if (!n)
				break;
			moved = 1;
			if (g->sink) {
				rc = g->sink(g->sink_arg, buf, (size_t)n);
				if (rc < 0)
					return rc;
			}
			g->received += (size_t)n;
			ftp_progress(x, 0);
		}
		if (!confirmed) {
			rc = ftp_ctl_step(x, &moved);
			if (rc == -WB_EFTPCLOSED)   /* no 226: never a complete file */
				return started || data_eof ? -WB_EFTPDATA : rc;
			if (rc < 0)
				return rc;
			if (rc == 1) {
				int code = x->rp.reply.code;

				if (code >= 100 && code < 200 && !started) {
					started = 1;
				} else if (code >= 200 && code < 300) {
					confirmed = 1;
					g->done_code = code;
				} else if (code == 550) {
					return ftp_fail(x, -WB_EFTPNOTFOUND);
				} else if (code == 530) {
					return ftp_fail(x, -WB_EFTPLOGIN);
				} else if (code == 425 || code == 426 || code == 451) {
					return ftp_fail(x, -WB_EFTPDATA);   /* aborted */
				} else {
					return ftp_fail(x, -WB_EFTPREFUSED);
				}
				ftp_reply_init(&x->rp);
				continue;   /* buffered bytes may hold the next reply */
			}
		}
		if (moved) {
			last = ftp_now(x);
			continue;
		}
		rc = ftp_poll(x);
		if (rc)
			return rc;
		if (ftp_now(x) - last >= x->idle_ms)
			return -WB_EFTPIDLE;
	}
	ftp_progress(x, 1);
	if (g->size != UINT64_MAX && g->received != g->size)
		return -WB_EFTPSIZE;
	return 0;
}

/* the RETR argument: the URL path without its first '/', percent-decoded */
static int ftp_path(const struct uri *u, char *out, size_t cap)
{
	const char *p = u->path;
	int n;

	if (*p == '/')
		p++;
	if (!*p)
		return -WB_EFTPURI;
	n = uri_pct_decode(p, strlen(p), out, cap);
	if (n < 0)
		return n;
	return ftp_arg_ok(out) ? 0 : -WB_EFTPURI;
}

static int ftp_run(struct ftp_xfer *x, const struct uri *u, const char *path, uint8_t *buf)
{
	const struct ftp_env *env = x->env;
	struct ftp_get *g = x->g;
	const char *user = u->user && u->user[0] ? u->user : "anonymous";
	const char *pass = u->user && u->user[0] ? (u->password ? u->password :
						   g->password ? g->password : "") :
			   FTP_ANON_PASSWORD;
	uint16_t port = u->has_port ? u->port : FTP_DEFAULT_PORT, dport;
	int rc;

	if (!ftp_arg_ok(user) || !ftp_arg_ok(pass))
		return -WB_EFTPURI;
	if (wb_parse_ipv4(u->host, x->ip)) {
		if (!env->resolve)
			return -WB_EDNS;
		rc = env->resolve(env->resolve_arg, u->host, x->ip);
		if (rc)
			return rc;
	}
	wb_snprintf(x->ipstr, sizeof(x->ipstr), "%u.%u.%u.%u", x->ip[0], x->ip[1], x->ip[2], x->ip[3]);
	rc = ftp_connect(x, port, &x->ctl);
	if (rc)
		return rc;
	/* greeting: 220, perhaps after "120 ready in nnn minutes" */
	do {
		rc = ftp_reply(x);
		if (rc)
			return rc;
	} while (x->rp.reply.code == 120);
	if (x->rp.reply.code != 220)
		return ftp_fail(x, -WB_EFTPREFUSED);
	rc = ftp_login(x, user, pass);
	if (rc)
		return rc;
	rc = ftp_cmd(x, "TYPE", "I");
	if (rc)
		return rc;
	if (x->rp.reply.code != 200)
		return ftp_fail(x, -WB_EFTPREFUSED);
	rc = ftp_cmd(x, "SIZE", path);
	if (rc)
		return rc;
	if (x->rp.reply.code == 213) {
		rc = ftp_parse_size(x->rp.reply.text, &g->size);
		if (rc)
			return ftp_fail(x, rc);
	}   /* otherwise no size check: SIZE not supported, or 550 (a missing file:
	     * RETR's own 550 then says so, with the server's reason) */
	rc = ftp_passive(x, &dport);
	if (rc)
		return rc;
	rc = ftp_connect(x, dport, &x->data);
	if (rc)
		return rc;
	rc = ftp_send_cmd(x, "RETR", path);
	if (rc)
		return rc;
	rc = ftp_transfer(x, buf);
	if (rc)
		return rc;
	(void)ftp_send(x, "QUIT\r\n", 6);   /* courtesy; the answer is not awaited */
	return 0;
}

int ftp_client_get(const struct ftp_env *env, struct ftp_get *g)
{
	struct ftp_xfer *x;
	struct uri u;
	char *path = NULL;
	uint8_t *buf = NULL;
	int rc;

	g->code = 0;
	g->text[0] = '\0';
	g->size = UINT64_MAX;
	g->received = 0;
	g->epsv = 0;
	g->done_code = 0;
	rc = uri_parse(g->url, &u);
	if (rc)
		return rc;
	if (!u.scheme || strcmp(u.scheme, "ftp") || !u.host || !u.host[0]) {
		rc = -WB_EFTPURI;
		goto out_u;
	}
	x = plat_malloc(sizeof(*x));
	path = plat_malloc(URI_MAX + 1);
	buf = plat_malloc(FTP_DATABUF);
	if (!x || !path || !buf) {
		rc = -WB_ENOMEM;
		goto out;
	}
	memset(x, 0, sizeof(*x));
	x->env = env;
	x->g = g;
	x->connect_ms = g->connect_timeout_ms ? g->connect_timeout_ms : FTP_CONNECT_TIMEOUT_MS;
	x->idle_ms = g->idle_timeout_ms ? g->idle_timeout_ms : FTP_IDLE_TIMEOUT_MS;
	rc = ftp_path(&u, path, URI_MAX + 1);
	if (!rc)
		rc = ftp_run(x, &u, path, buf);
	if (x->data)
		stream_close(x->data);
	if (x->ctl)
		stream_close(x->ctl);
out:
	plat_free(buf);
	plat_free(path);
	plat_free(x);
out_u:
	uri_free(&u);
	return rc;
}
