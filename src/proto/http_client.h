/*
 * http_client.h — HTTP/1.1 GET/HEAD over struct stream (core/stream.h).
 *
 * The client knows nothing about sockets, lwIP or TLS: the caller gives an
 * environment whose connect() returns a stream (over lwIP after DNS, over
 * kernel sockets, or — for https — a TLS stream already wrapped around
 * one), a poller that steps the event loop and reports Ctrl-C, and a
 * clock.  The same code therefore runs on firmware and on Linux.
 *
 * What it does: connection reuse (keep-alive, same scheme:host:port),
 * redirects 301/302/303/307/308 (at most HTTP_REDIRECTS_MAX, https → http
 * refused), Basic auth from the URI's user info, connect and idle
 * timeouts, a progress line for long downloads, the body to a sink.
 *
 * Blocking: http_client_get() polls (env->poller) until done; it never
 * sleeps on its own.  Not re-entrant: one request per client at a time.
 */
#ifndef WB_HTTP_CLIENT_H
#define WB_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/stream.h"
#include "proto/http.h"

#define HTTP_REDIRECTS_MAX 5
#define HTTP_CONNECT_TIMEOUT_MS 15000
#define HTTP_IDLE_TIMEOUT_MS 30000
#define HTTP_HOST_MAX 256

struct http_env {
	/**
	 * Open a connection to @host:@port (host as in the URI: a name or a
	 * dotted quad).  @is_https: return a TLS stream (server name @host).
	 * @return 0 and *out (may still be STREAM_CONNECTING; the client
	 * closes it), or a negative WB_E* (-WB_ENOTLS when TLS is missing).
	 * May block for name resolution.
	 */
	int (*connect)(void *arg, int is_https, const char *host, uint16_t port,
		       struct stream **out);
	void *arg;
	struct stream_poller poller;   /* poll() steps the loop; cancel() → Ctrl-C */
	uint64_t (*now_ms)(void);      /* monotonic milliseconds */
	/**
	 * Optional (NULL: not offered): a plain TCP connection from local port
	 * @local_port (the NFS client's reserved ports).  @return as connect(),
	 * and -WB_EPORTBUSY (port taken), -WB_EPORTPERM (not allowed to bind it).
	 */
	int (*connect_from)(void *arg, const char *host, uint16_t port, uint16_t local_port,
			    struct stream **out);
};

/** Body sink: called with each piece of the body; a negative return aborts. */
typedef int (*http_sink_fn)(void *arg, const uint8_t *data, size_t len);

/** One download. */
struct http_get {
	/* in */
	const char *url;          /* absolute http:// or https:// URL */
	int head;                 /* 1: HEAD instead of GET */
	int has_range;            /* ask for bytes range_first..range_last (206 required) */
	uint64_t range_first, range_last;
	http_sink_fn sink;        /* NULL: body discarded */
	void *sink_arg;
	/* a request body (e.g. a ##params form): sent with method POST, on every
	 * redirect too; NULL: no body (GET/HEAD) */
	const uint8_t *body;
	size_t body_len;
	const char *body_type;     /* Content-Type of the body */
	const struct http_header *headers;   /* extra request headers, may be NULL */
	size_t nheaders;
	int progress;             /* print a progress line every second or so */
	/* out */
	int status;               /* final status code (also on an HTTP error) */
	char reason[HTTP_REASON_MAX];
	uint64_t length;          /* Content-Length of the final response, or UINT64_MAX */
	uint64_t received;        /* body bytes given to the sink */
	char content_type[HTTP_CTYPE_MAX];
	char *final_url;          /* after redirects (plat_malloc; freed by http_get_fini) */
	int redirects;            /* how many were followed */
};

struct http_client {
	const struct http_env *env;
	uint32_t connect_timeout_ms;
	uint32_t idle_timeout_ms;
	const char *user_agent;
	/* the kept-alive connection, if any */
	struct stream *conn;
	int conn_https;
	uint16_t conn_port;
	char conn_host[HTTP_HOST_MAX];
	/* statistics (tests look at them) */
	unsigned connections;     /* connections opened */
	unsigned requests;        /* requests sent */
	unsigned reused;          /* requests sent on a kept connection */
	struct http_parser *parser_;
};

/**
 * Prepare @c (caller-allocated) to use @env (borrowed; must outlive @c).
 * @return 0 or -WB_ENOMEM (the parser is allocated here).
 */
int http_client_init(struct http_client *c, const struct http_env *env);
/** Close a kept connection and free what init allocated. */
void http_client_fini(struct http_client *c);

/**
 * Run @g: connect (or reuse), send, follow redirects, deliver the body.
 * @return 0 on a 2xx answer (206 when a range was asked), else a negative
 * error: URI errors, connect/stream errors, -WB_EHTTPCONNTIMEOUT,
 * -WB_EHTTPIDLE, -WB_ECANCELED, parser errors, -WB_EHTTPNOTFOUND /
 * -WB_EHTTPFORBIDDEN / -WB_EHTTPAUTH / -WB_EHTTPCLIENT / -WB_EHTTPSERVER /
 * -WB_EHTTPUNEXPECTED (g->status says which), -WB_EHTTPREDIRMAX,
 * -WB_EHTTPNOLOCATION, -WB_EHTTPDOWNGRADE, -WB_EHTTPRANGE, the sink's error,
 * -WB_EHTTPSTRUNC (a read-until-close body whose stream ended with
 * -WB_ETLSTRUNC: TCP closed without TLS close_notify).
 * Free g->final_url with http_get_fini() whatever the result.
 */
int http_client_get(struct http_client *c, struct http_get *g);
void http_get_fini(struct http_get *g);

struct uri;
/**
 * @u as scheme://host[:port]/path for messages: no user info, and a query
 * shown as "?..." (both may carry secrets, which never reach a log).
 */
void http_log_url(const struct uri *u, char *buf, size_t cap);

#endif
