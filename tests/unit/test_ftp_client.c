/*
 * test_ftp_client.c — proto/ftp_client.c against a scripted in-memory FTP
 * server: the command sequence on the wire (anonymous and with a password,
 * the `password` fallback), EPSV and the PASV fallback, the bounce check
 * (literal and resolved server address), CR/LF in the URL refused before
 * anything is sent, reply codes to errors (530, 550, 426, other), SIZE
 * mismatch, the data connection ending without 226, idle timeout and
 * Ctrl-C on a fake clock, and every allocation failing in turn.
 */
#include <stdint.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "proto/ftp_client.h"

#define UNIT_NAME "ftp_client"
#include "unit.h"

struct srv_reply {
	const char *verb;
	const char *reply;   /* sent when a command with this verb arrives */
};

struct srv {
	const struct srv_reply *replies;
	const char *data;            /* the file */
	int ctl_close_after_retr;    /* control EOF once RETR was answered */
	int stall;                   /* answer nothing at all */
	int cancel;                  /* Ctrl-C from the first poll */
	const char *greeting;        /* instead of the usual one: sent one byte per recv */
	/* observed */
	char log[2048];              /* commands received */
	int connects;
	char host[2][32];
	uint16_t port[2];
	int resolved;
};

struct mconn {
	struct stream base;
	struct srv *s;
	int data;                    /* 1: the data connection */
	char out[1024];              /* to the client */
	size_t out_len, out_off;
	char line[512];
	size_t line_len;
	size_t data_off;
	size_t greet_off;
	int closed;                  /* EOF after out drains */
};

static uint64_t fake_ms;
static struct srv *cur;

static uint64_t m_now(void) { return fake_ms; }
static void m_poll(void *arg) { (void)arg; fake_ms += 100; }
static int m_cancel(void) { return cur->cancel; }

static void m_queue(struct mconn *c, const char *text)
{
	size_t n = strlen(text);

	if (c->out_len + n < sizeof(c->out)) {
		memcpy(c->out + c->out_len, text, n);
		c->out_len += n;
	}
}

static void m_command(struct mconn *c)
{
	const struct srv_reply *r;
	char verb[8] = "";

	snprintf(c->s->log + strlen(c->s->log), sizeof(c->s->log) - strlen(c->s->log), "%s\n", c->line);
	sscanf(c->line, "%7s", verb);
	for (r = c->s->replies; r->verb; r++)
		if (!strcmp(r->verb, verb))
			break;
	m_queue(c, r->verb ? r->reply : "502 Command not implemented.\r\n");
	if (!strcmp(verb, "RETR") && c->s->ctl_close_after_retr)
		c->closed = 1;
}

static enum stream_state m_state(const struct stream *s) { (void)s; return STREAM_OPEN; }
static int m_error(const struct stream *s) { (void)s; return 0; }
static int m_send(struct stream *s, const void *b, size_t n)
{
	struct mconn *c = (struct mconn *)s;
	const char *p = b;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (c->line_len && c->line[c->line_len - 1] == '\r')
				c->line_len--;
			c->line[c->line_len] = '\0';
			m_command(c);
			c->line_len = 0;
		} else if (c->line_len < sizeof(c->line) - 1) {
			c->line[c->line_len++] = p[i];
		}
	}
	return (int)n;
}
static size_t m_send_space(const struct stream *s) { (void)s; return 4096; }
static int m_recv(struct stream *s, void *b, size_t n)
{
	struct mconn *c = (struct mconn *)s;

	if (c->s->stall)
		return 0;
	if (c->data) {
		size_t left = strlen(c->s->data) - c->data_off;

		if (!left)
			return -WB_ECLOSED;
		if (n > left)
			n = left;
		if (n > 7)
			n = 7;
		memcpy(b, c->s->data + c->data_off, n);
		c->data_off += n;
		return (int)n;
	}
	if (c->s->greeting && c->s->greeting[c->greet_off]) {
		*(char *)b = c->s->greeting[c->greet_off++];
		return 1;
	}
	if (c->out_off == c->out_len)
		return c->closed ? -WB_ECLOSED : 0;
	if (n > c->out_len - c->out_off)
		n = c->out_len - c->out_off;
	if (n > 5)
		n = 5;   /* odd splits */
	memcpy(b, c->out + c->out_off, n);
	c->out_off += n;
	return (int)n;
}
static size_t m_recv_avail(const struct stream *s) { (void)s; return 0; }
static void m_close(struct stream *s) { plat_free(s); }

static const struct stream_ops m_ops = {
	m_state, m_error, m_send, m_send_space, m_recv, m_recv_avail, m_close,
};

static int m_connect(void *arg, int https, const char *host, uint16_t port, struct stream **out)
{
	struct srv *s = arg;
	struct mconn *c;

	if (https || s->connects >= 2)
		return -WB_ECONNREFUSED;
	c = plat_malloc(sizeof(*c));
	if (!c)
		return -WB_ENOMEM;
	memset(c, 0, sizeof(*c));
	c->base.ops = &m_ops;
	c->s = s;
	c->data = s->connects > 0;
	snprintf(s->host[s->connects], sizeof(s->host[0]), "%s", host);
	s->port[s->connects++] = port;
	if (!c->data && !s->greeting)
		m_queue(c, "220-Welcome\r\n220-to the\r\n220 test server\r\n");
	*out = &c->base;
	return 0;
}

static int m_resolve(void *arg, const char *host, uint8_t ip[4])
{
	struct srv *s = arg;

	s->resolved++;
	if (strcmp(host, "ftp.test"))
		return -WB_EDNS;
	ip[0] = 192, ip[1] = 0, ip[2] = 2, ip[3] = 7;
	return 0;
}

struct sinkbuf {
	char b[256];
	size_t n;
};

static int sink(void *arg, const uint8_t *d, size_t n)
{
	struct sinkbuf *s = arg;

	if (s->n + n < sizeof(s->b)) {
		memcpy(s->b + s->n, d, n);
		s->n += n;
		s->b[s->n] = '\0';
	}
	return 0;
}

static struct http_env net;
static struct ftp_env env;
static struct sinkbuf sb;

static int run(struct srv *s, const char *url, const char *password, struct ftp_get *g)
{
	cur = s;
	net.connect = m_connect;
	net.arg = s;
	net.poller.poll = m_poll;
	net.poller.cancel = m_cancel;
	net.now_ms = m_now;
	env.net = &net;
	env.resolve = m_resolve;
	env.resolve_arg = s;
	memset(g, 0, sizeof(*g));
	memset(&sb, 0, sizeof(sb));
	g->url = url;
	g->password = password;
	g->sink = sink;
	g->sink_arg = &sb;
	g->idle_timeout_ms = 2000;
	return ftp_client_get(&env, g);
}

#define FILE_TEXT "the file's bytes, more than one piece of seven"
#define SIZE_OK "213 46\r\n"

static const struct srv_reply epsv_ok[] = {
	{ "USER", "331 Please specify the password.\r\n" },
	{ "PASS", "230-Login\r\n230 successful.\r\n" },
	{ "TYPE", "200 Switching to Binary mode.\r\n" },
	{ "SIZE", SIZE_OK },
	{ "EPSV", "229 Entering Extended Passive Mode (|||40001|)\r\n" },
	{ "RETR", "150 Opening BINARY mode data connection.\r\n226 Transfer complete.\r\n" },
	{ NULL, NULL },
};

static void test_epsv(void)
{
	struct srv s = { .replies = epsv_ok, .data = FILE_TEXT };
	struct ftp_get g;
	int rc = run(&s, "ftp://192.0.2.1/dir/f%20x.bin", "not-used", &g);

	CHECK("anonymous EPSV download: ok", rc == 0);
	CHECK_STR("anonymous: the file", sb.b, FILE_TEXT);
	CHECK_STR("anonymous: commands on the wire", s.log,
		  "USER anonymous\nPASS anonymous@\nTYPE I\nSIZE dir/f x.bin\nEPSV\nRETR dir/f x.bin\nQUIT\n");
	CHECK("anonymous: control to port 21, data to the EPSV port on the same address",
	      !strcmp(s.host[0], "192.0.2.1") && s.port[0] == 21 && !strcmp(s.host[1], "192.0.2.1") &&
	      s.port[1] == 40001);
	CHECK("anonymous: size, received, epsv, 226", g.size == 46 && g.received == 46 && g.epsv == 1 &&
	      g.done_code == 226 && g.code == 0);
	CHECK("literal address: not resolved", s.resolved == 0);

	struct srv s2 = { .replies = epsv_ok, .data = FILE_TEXT };
	rc = run(&s2, "ftp://bob:pw%3Ax@192.0.2.1:2121//abs/f", NULL, &g);
	CHECK("user:password: ok", rc == 0);
	CHECK_STR("user:password: commands", s2.log,
		  "USER bob\nPASS pw:x\nTYPE I\nSIZE /abs/f\nEPSV\nRETR /abs/f\nQUIT\n");
	CHECK("explicit port", s2.port[0] == 2121);

	struct srv s3 = { .replies = epsv_ok, .data = FILE_TEXT };
	rc = run(&s3, "ftp://bob@192.0.2.1/f", "from-setting", &g);
	CHECK("user without password: the password setting", rc == 0 && strstr(s3.log, "PASS from-setting\n"));
}

static const struct srv_reply pasv_ok[] = {
	{ "USER", "230 Login successful.\r\n" },
	{ "TYPE", "200 ok\r\n" },
	{ "SIZE", "502 SIZE not implemented\r\n" },
	{ "EPSV", "500 Unknown command.\r\n" },
	{ "PASV", "227 Entering Passive Mode (192,0,2,7,156,65).\r\n" },
	{ "RETR", "125 go\r\n" },   /* 226 follows below, by ctl_close_after_retr = 0 */
	{ NULL, NULL },
};

static const struct srv_reply pasv_bounce[] = {
	{ "USER", "230 Login successful.\r\n" },
	{ "TYPE", "200 ok\r\n" },
	{ "SIZE", SIZE_OK },
	{ "EPSV", "502 no\r\n" },
	{ "PASV", "227 Entering Passive Mode (192,0,2,99,156,65).\r\n" },
	{ "RETR", "150 go\r\n226 done\r\n" },
	{ NULL, NULL },
};

static void test_pasv(void)
{
	struct ftp_get g;
	struct srv s = { .replies = pasv_ok, .data = FILE_TEXT, .ctl_close_after_retr = 1 };
	int rc = run(&s, "ftp://ftp.test/f", NULL, &g);

	/* 125 then the control closes: the data arrived whole, but no 226 */
	CHECK("PASV, control closed without 226: -WB_EFTPDATA", rc == -WB_EFTPDATA);
	CHECK("resolved name: control to the resolved address", s.resolved == 1 &&
	      !strcmp(s.host[0], "192.0.2.7"));
	CHECK("PASV to the resolved address: data connected there", !strcmp(s.host[1], "192.0.2.7") &&
	      s.port[1] == 156 * 256 + 65 && g.epsv == 0);
	CHECK("no SIZE: size unknown", g.size == UINT64_MAX);

	struct srv b = { .replies = pasv_bounce, .data = FILE_TEXT };
	rc = run(&b, "ftp://ftp.test/f", NULL, &g);
	CHECK("PASV naming another host: -WB_EFTPBOUNCE", rc == -WB_EFTPBOUNCE);
	CHECK("bounce: the 227 named", g.code == 227 && strstr(g.text, "192,0,2,99"));
	CHECK("bounce: no data connection, no RETR", b.connects == 1 && !strstr(b.log, "RETR"));
}

static const struct srv_reply login_530[] = {
	{ "USER", "331 Please specify the password.\r\n" },
	{ "PASS", "530 Login incorrect.\r\n" },
	{ NULL, NULL },
};
static const struct srv_reply retr_550[] = {
	{ "USER", "230 ok\r\n" }, { "TYPE", "200 ok\r\n" }, { "SIZE", "550 Could not get file size.\r\n" },
	{ "EPSV", "229 (|||40001|)\r\n" }, { "RETR", "550 Failed to open file.\r\n" }, { NULL, NULL },
};
static const struct srv_reply retr_426[] = {
	{ "USER", "230 ok\r\n" }, { "TYPE", "200 ok\r\n" }, { "SIZE", SIZE_OK },
	{ "EPSV", "229 (|||40001|)\r\n" },
	{ "RETR", "150 go\r\n426 Connection closed; transfer aborted.\r\n" }, { NULL, NULL },
};
static const struct srv_reply size_big[] = {
	{ "USER", "230 ok\r\n" }, { "TYPE", "200 ok\r\n" }, { "SIZE", "213 47\r\n" },
	{ "EPSV", "229 (|||40001|)\r\n" }, { "RETR", "150 go\r\n226 done\r\n" }, { NULL, NULL },
};
static const struct srv_reply type_refused[] = {
	{ "USER", "230 ok\r\n" }, { "TYPE", "504 no binary here\r\n" }, { NULL, NULL },
};
static const struct srv_reply bad_reply[] = {
	{ "USER", "hello there\r\n" }, { NULL, NULL },
};
static const struct srv_reply epsv_4xx[] = {
	{ "USER", "230 ok\r\n" }, { "TYPE", "200 ok\r\n" }, { "SIZE", SIZE_OK },
	{ "EPSV", "421 Too many users\r\n" }, { NULL, NULL },
};

static void test_errors(void)
{
	struct ftp_get g;
	struct srv s;
	int rc;

	s = (struct srv){ .replies = login_530, .data = "" };
	rc = run(&s, "ftp://u:secret-pw@192.0.2.1/f", NULL, &g);
	CHECK("530: -WB_EFTPLOGIN with its reply", rc == -WB_EFTPLOGIN && g.code == 530 &&
	      !strcmp(g.text, "Login incorrect."));
	CHECK("530: nothing after the refused PASS", !strstr(s.log, "TYPE"));

	s = (struct srv){ .replies = retr_550, .data = "" };
	rc = run(&s, "ftp://192.0.2.1/missing", NULL, &g);
	CHECK("550 on RETR: -WB_EFTPNOTFOUND with its text", rc == -WB_EFTPNOTFOUND && g.code == 550 &&
	      !strcmp(g.text, "Failed to open file."));

	s = (struct srv){ .replies = retr_426, .data = "half" };
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("426: -WB_EFTPDATA with its reply", rc == -WB_EFTPDATA && g.code == 426);

	s = (struct srv){ .replies = size_big, .data = FILE_TEXT };
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("fewer bytes than SIZE: -WB_EFTPSIZE", rc == -WB_EFTPSIZE && g.received == 46);

	s = (struct srv){ .replies = type_refused, .data = "" };
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("TYPE refused: -WB_EFTPREFUSED, 504", rc == -WB_EFTPREFUSED && g.code == 504);

	s = (struct srv){ .replies = bad_reply, .data = "" };
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("malformed reply: -WB_EFTPREPLY", rc == -WB_EFTPREPLY);

	s = (struct srv){ .replies = epsv_4xx, .data = "" };
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("EPSV 421: no PASV fallback, -WB_EFTPREFUSED", rc == -WB_EFTPREFUSED && g.code == 421 &&
	      !strstr(s.log, "PASV"));

	s = (struct srv){ .replies = epsv_ok, .data = "" };
	rc = run(&s, "ftp://192.0.2.1/a%0d%0aDELE%20x", NULL, &g);
	CHECK("CR/LF in the path: refused before connecting", rc == -WB_EFTPURI && s.connects == 0);
	rc = run(&s, "ftp://u%0aX:p@192.0.2.1/f", NULL, &g);
	CHECK("LF in the user: refused before connecting", rc == -WB_EFTPURI && s.connects == 0);
	rc = run(&s, "ftp://u@192.0.2.1/f", "p\r\nDELE x", &g);
	CHECK("CR/LF in the password setting: refused", rc == -WB_EFTPURI && s.connects == 0);
	rc = run(&s, "ftp://192.0.2.1/", NULL, &g);
	CHECK("no path: -WB_EFTPURI", rc == -WB_EFTPURI && s.connects == 0);
	rc = run(&s, "http://192.0.2.1/f", NULL, &g);
	CHECK("not ftp: -WB_EFTPURI", rc == -WB_EFTPURI);
	rc = run(&s, "ftp://nowhere.test/f", NULL, &g);
	CHECK("name not resolved: the resolver's error", rc == -WB_EDNS && s.connects == 0);

	s = (struct srv){ .replies = epsv_ok, .data = "", .stall = 1 };
	fake_ms = 0;
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("silent server: -WB_EFTPIDLE after the idle timeout", rc == -WB_EFTPIDLE &&
	      fake_ms >= 2000 && fake_ms < 2500);

	s = (struct srv){ .replies = epsv_ok, .data = "", .stall = 1, .cancel = 1 };
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("Ctrl-C: -WB_ECANCELED", rc == -WB_ECANCELED);
}

/* a long multi-line greeting, one byte per read: no deep recursion, then the download */
static void test_long_reply(void)
{
	static char greet[FTP_REPLY_MAX - 100];
	struct srv s = { .replies = epsv_ok, .data = FILE_TEXT, .greeting = greet };
	struct ftp_get g;
	size_t n = 0;
	int rc;

	n += (size_t)snprintf(greet, sizeof(greet), "220-Welcome\r\n");
	while (n + 20 < sizeof(greet))
		n += (size_t)snprintf(greet + n, sizeof(greet) - n, "a line of banner\r\n");
	snprintf(greet + n, sizeof(greet) - n, "220 ok\r\n");
	rc = run(&s, "ftp://192.0.2.1/f", NULL, &g);
	CHECK("64 KiB greeting one byte at a time: download ok", rc == 0 && !strcmp(sb.b, FILE_TEXT));
}

static int sweep_run(void *arg)
{
	struct srv s = { .replies = epsv_ok, .data = FILE_TEXT };
	struct ftp_get g;

	(void)arg;
	return run(&s, "ftp://u:p@192.0.2.1/f", NULL, &g);
}

static int sweep_ok(int rc)
{
	return rc == 0 || rc == -WB_ENOMEM;
}

int main(void)
{
	test_epsv();
	test_pasv();
	test_errors();
	test_long_reply();
	unit_alloc_sweep("ftp download", sweep_run, NULL, sweep_ok);
	return unit_done();
}
