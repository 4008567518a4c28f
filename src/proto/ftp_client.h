/*
 * ftp_client.h — download one file over FTP (RFC 959) in passive mode, over
 * struct stream (core/stream.h).
 *
 * The client uses the HTTP client's environment (proto/http_client.h):
 * env->connect opens the TCP connections (lwIP or kernel sockets; is_https
 * is always 0), env->poller steps the loop and reports Ctrl-C, env->now_ms
 * is the clock.  It adds a resolver, because passive mode needs the
 * server's address: the control connection goes to the resolved address,
 * and the data connection only to that same address (a PASV reply naming
 * another host is refused: no FTP bounce, RFC 2577 §3).
 *
 * URL: ftp://[user[:password]@]server[:port]/path.  Without user info the
 * login is anonymous; a user without a password takes get->password (the
 * caller's `password` setting).  The path is sent as one RETR argument,
 * relative to the login directory (RFC 1738 §3.2.2; "//abs" for an absolute
 * path).  Credentials are cleartext on the wire (FTP has no encryption) but
 * never printed.
 *
 * Blocking: ftp_client_get() polls env->poller until done.
 */
#ifndef WB_FTP_CLIENT_H
#define WB_FTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/ftp_msg.h"
#include "proto/http_client.h"

#define FTP_DEFAULT_PORT 21
#define FTP_CONNECT_TIMEOUT_MS 15000
#define FTP_IDLE_TIMEOUT_MS 30000

struct ftp_env {
	const struct http_env *net;   /* connect, poller, clock (borrowed) */
	/**
	 * @host (a DNS name) → IPv4 address.  NULL: only dotted quads work.
	 * @return 0, or a negative WB_E* (-WB_EDNS …).  May block.
	 */
	int (*resolve)(void *arg, const char *host, uint8_t ip[4]);
	void *resolve_arg;
};

/** One download. */
struct ftp_get {
	/* in */
	const char *url;          /* ftp://… */
	const char *password;     /* for a URL with a user but no password; NULL: "" */
	http_sink_fn sink;        /* the file's bytes; NULL: discarded */
	void *sink_arg;
	int progress;             /* a progress line every second or so */
	uint32_t connect_timeout_ms;  /* 0: FTP_CONNECT_TIMEOUT_MS */
	uint32_t idle_timeout_ms;     /* 0: FTP_IDLE_TIMEOUT_MS; also bounds each reply */
	/* out */
	int code;                 /* the reply an error is about (0: not a reply's fault) */
	char text[FTP_TEXT_MAX];  /* its text (sanitised; never holds what we sent) */
	uint64_t size;            /* SIZE's answer, or UINT64_MAX */
	uint64_t received;        /* bytes given to the sink */
	int epsv;                 /* 1: EPSV was used, 0: PASV */
	int done_code;            /* the completion reply (226 or 250) on success */
};

/**
 * Run @g with @env.  @return 0 when the whole file arrived and the server
 * confirmed it (226/250) with the size SIZE announced; else a negative
 * error: URI errors, -WB_EFTPURI, resolver and stream errors,
 * -WB_EFTPCONNTIMEOUT, -WB_EFTPIDLE, -WB_ECANCELED, -WB_EFTPREPLY,
 * -WB_EFTPCLOSED, -WB_EFTPLOGIN, -WB_EFTPNOTFOUND, -WB_EFTPREFUSED,
 * -WB_EFTPPASV, -WB_EFTPBOUNCE, -WB_EFTPSIZE, -WB_EFTPDATA, -WB_ENOMEM, the
 * sink's error.  g->code/g->text name the reply when one caused it.
 */
int ftp_client_get(const struct ftp_env *env, struct ftp_get *g);

#endif
