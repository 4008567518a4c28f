/*
 * fetch.c — how the image commands fetch a URI on this machine (ctx->fetch):
 *
 *   file:PATH          the boot volume (EFI) or the local file system
 *   http://, https://  the HTTP client (proto/http_client.c) over lwIP;
 *                      https wraps each TCP connection in TLS (tls/tls.c)
 *                      with the built-in trust anchors (TRUST=) and the
 *                      wall clock.
 *   nfs://             NFSv3 over TCP (proto/nfs_client.c) over lwIP.
 *   tftp://            the TFTP client (proto/tftp_client.c) over lwIP UDP
 *                      (net/udpdgram.c): blksize, tsize, windowsize asked.
 *
 * (A relative URI was already resolved against the running script's URI by
 * the image commands, RFC 3986 §5.2.)  When the clock is unknown or implausible
 * before an https fetch, the NTP server DHCP gave (${ntp}) is asked first.
 */
#include <string.h>

#include "app/fetch.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/jitter.h"
#include "core/util.h"
#include "core/wallclock.h"
#include "net/httpenv.h"
#include "net/net.h"
#include "net/udpdgram.h"
#include "platform/platform.h"
#include "proto/ftp_client.h"
#include "proto/http_client.h"
#include "proto/nfs_client.h"
#include "proto/tftp_client.h"
#include "proto/uri.h"
#include "script/params.h"
#include "tls/tls.h"
#include "tls/trust.h"

/* 2025-01-01: a clock before this is not believed (a board without an RTC) */
#define FETCH_PLAUSIBLE_TIME 1735689600LL

struct fetch_state {
	struct script_ctx *ctx;
	struct tls_anchors extra;  /* built-in + run-time anchors, once any are added */
	struct http_env env;       /* lwIP, plain */
	struct tls_config tls;
	br_hmac_drbg_context rng;
	int rng_ready;
	uint8_t *buf;
	size_t len, cap;
};

#define FETCH_MAX_HEADERS 16   /* param --header lines one request may carry */

static struct fetch_state *fetch_st;   /* one per application (app.c owns the context) */

static void fetch_tls_log(void *arg, const char *line)
{
	(void)arg;
	wb_printf("%s\n", line);
}

/* Make sure the wall clock is trustworthy enough for certificate dates. */
static void fetch_check_clock(struct script_ctx *ctx)
{
	int64_t now;
	const char *ntp;
	uint8_t ip[4];
	int rc;

	if (!wallclock_now(&ctx->clock, &now) && now >= FETCH_PLAUSIBLE_TIME)
		return;
	ntp = settings_get(&ctx->settings, "ntp", NULL);
	if (!ntp || wb_parse_ipv4(ntp, ip) || !ctx->net)
		return;   /* TLS will refuse with "run ntp" */
	wb_printf("https: the clock is %s; asking NTP server %s\n",
		  wallclock_now(&ctx->clock, &now) ? "unknown" : "implausible", ntp);
	rc = net_sntp(ctx->net, ip, 6000, &now, NULL);
	if (!rc)
		wallclock_set(&ctx->clock, now);
	else
		wb_printf("https: NTP server %s: %s\n", ntp, wb_strerror(rc));
}

/* a boolean setting: "1" is on, anything else (or unset) off */
static int fetch_setting_on(struct script_ctx *ctx, const char *name)
{
	const char *v = settings_get(&ctx->settings, name, NULL);

	return v && !strcmp(v, "1");
}

static int fetch_connect(void *arg, int is_https, const char *host, uint16_t port,
			 struct stream **out)
{
	struct fetch_state *st = arg;
	struct stream *tcp;
	int rc = st->env.connect(st->env.arg, 0, host, port, &tcp);

	if (rc || !is_https) {
		if (!rc)
			*out = tcp;
		return rc;
	}
	if (!st->rng_ready) {
		rc = tls_rng_init(&st->rng);
		if (rc) {
			stream_close(tcp);
			return rc;
		}
		st->rng_ready = 1;
	}
	if (wallclock_now(&st->ctx->clock, &st->tls.now))
		st->tls.now = -1;
	st->tls.verbose = fetch_setting_on(st->ctx, "tls-verbose");
	st->tls.no_aes_hw = fetch_setting_on(st->ctx, "tls-no-aesni");
	return tls_wrap(tcp, host, &st->tls, out);   /* owns tcp, even on failure */
}

static int fetch_sink(void *arg, const uint8_t *data, size_t len)
{
	struct fetch_state *st = arg;

	if (st->len + len > st->cap) {
		size_t cap = st->cap ? st->cap : 65536;
		uint8_t *nb;

		while (cap < st->len + len)
			cap *= 2;
		nb = plat_malloc(cap);
		if (!nb)
			return -WB_ENOMEM;
		if (st->buf)
			memcpy(nb, st->buf, st->len);
		plat_free(st->buf);
		st->buf = nb;
		st->cap = cap;
	}
	memcpy(st->buf + st->len, data, len);
	st->len += len;
	return 0;
}

/* before a download: nothing collected yet */
static void fetch_reset(struct fetch_state *st)
{
	st->buf = NULL;
	st->len = st->cap = 0;
}

/* after a download that ended with @rc: hand the collected bytes over, or free them */
static int fetch_take(struct fetch_state *st, int rc, uint8_t **data, size_t *len)
{
	if (rc) {
		plat_free(st->buf);
		return rc;
	}
	*data = st->buf ? st->buf : plat_malloc(1);
	*len = st->len;
	return *data ? 0 : -WB_ENOMEM;
}

static int fetch_http(struct script_ctx *ctx, const char *url, uint8_t **data, size_t *len)
{
	struct fetch_state *st = fetch_st;
	struct http_env env;
	struct http_client client;
	struct http_get g;
	struct http_header hdr[FETCH_MAX_HEADERS];
	size_t nhdr = 0, form_len = 0;
	char *form = NULL;
	int rc;

	if (!ctx->net || !st)
		return -WB_ENOTOPEN;
	if (ctx->fetch_params) {   /* URI##params: form fields POSTed, headers added */
		for (const struct script_param *e = ctx->fetch_params->head; e; e = e->next) {
			if (!e->header)
				continue;
			if (nhdr == FETCH_MAX_HEADERS)
				return -WB_EHTTPREQLONG;
			hdr[nhdr].name = e->key;
			hdr[nhdr++].value = e->value;
		}
		rc = script_params_form(ctx->fetch_params, &form, &form_len);
		if (rc)
			return rc;
	}
	if (!strncmp(url, "https:", 6))
		fetch_check_clock(ctx);
	env = st->env;
	env.connect = fetch_connect;
	env.arg = st;
	rc = http_client_init(&client, &env);
	if (rc) {
		plat_free(form);
		return rc;
	}
	if (ctx->fetch_timeout_ms)   /* the image command's --timeout */
		client.connect_timeout_ms = client.idle_timeout_ms = ctx->fetch_timeout_ms;
	memset(&g, 0, sizeof(g));
	g.url = url;
	g.sink = fetch_sink;
	g.sink_arg = st;
	g.progress = 1;
	g.headers = nhdr ? hdr : NULL;
	g.nheaders = nhdr;
	if (form) {
		g.body = (const uint8_t *)form;
		g.body_len = form_len;
		g.body_type = "application/x-www-form-urlencoded";
	}
	fetch_reset(st);
	rc = http_client_get(&client, &g);
	if (rc && g.status)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%d %s", g.status, g.reason);
	http_get_fini(&g);
	http_client_fini(&client);
	plat_free(form);
	return fetch_take(st, rc, data, len);
}

static int fetch_resolve(void *arg, const char *host, uint8_t ip[4])
{
	struct script_ctx *ctx = arg;

	return net_resolve(ctx->net, host, ip, ctx->fetch_timeout_ms ? ctx->fetch_timeout_ms : 10000);
}

static int fetch_ftp(struct script_ctx *ctx, const char *url, uint8_t **data, size_t *len)
{
	struct fetch_state *st = fetch_st;
	struct ftp_env env;
	struct ftp_get g;
	int rc;

	if (!ctx->net || !st)
		return -WB_ENOTOPEN;
	env.net = &st->env;
	env.resolve = fetch_resolve;
	env.resolve_arg = ctx;
	memset(&g, 0, sizeof(g));
	g.url = url;
	g.password = settings_get(&ctx->settings, "password", NULL);
	g.sink = fetch_sink;
	g.sink_arg = st;
	g.progress = 1;
	g.connect_timeout_ms = g.idle_timeout_ms = ctx->fetch_timeout_ms;   /* 0: defaults */
	fetch_reset(st);
	rc = ftp_client_get(&env, &g);
	if (rc && g.code)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%d %s", g.code, g.text);
	return fetch_take(st, rc, data, len);
}

static int fetch_nfs(struct script_ctx *ctx, const char *url, uint8_t **data, size_t *len)
{
	struct fetch_state *st = fetch_st;
	struct nfs_get g;
	int rc;

	if (!ctx->net || !st)
		return -WB_ENOTOPEN;
	memset(&g, 0, sizeof(g));
	g.url = url;
	g.sink = fetch_sink;
	g.sink_arg = st;
	g.progress = 1;
	g.connect_timeout_ms = g.idle_timeout_ms = ctx->fetch_timeout_ms;   /* 0: defaults */
	fetch_reset(st);
	rc = nfs_get(&st->env, &g);
	if (rc && g.detail[0])
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s: %s", url, g.detail);
	return fetch_take(st, rc, data, len);
}

static int fetch_tftp(struct script_ctx *ctx, const char *url, uint8_t **data, size_t *len)
{
	struct fetch_state *st = fetch_st;
	struct tftp_env env;
	struct tftp_get g;
	int rc;

	if (!ctx->net || !st)
		return -WB_ENOTOPEN;
	net_tftp_env(ctx->net, &env);
	memset(&g, 0, sizeof(g));
	g.url = url;
	g.timeout_ms = ctx->fetch_timeout_ms;   /* the image command's --timeout (0: default) */
	g.sink = fetch_sink;
	g.sink_arg = st;
	g.progress = 1;
	fetch_reset(st);
	rc = tftp_client_get(&env, &g);
	if (rc && g.server_error)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "server error %u: %s",
			    (unsigned)g.err_code, g.err_msg);
	return fetch_take(st, rc, data, len);
}

/* @uri for an error line: user info and query strings may hold secrets, never shown */
static void fetch_show_uri(const char *uri, char *out, size_t cap)
{
	struct uri u;

	if (!strncmp(uri, "file:", 5) || (!strchr(uri, '@') && !strchr(uri, '?'))) {
		wb_snprintf(out, cap, "%s", uri);
		return;
	}
	memset(&u, 0, sizeof(u));
	if (!uri_parse(uri, &u) && u.scheme && u.host)
		http_log_url(&u, out, cap);
	else
		wb_snprintf(out, cap, "%s", "(URI not shown)");
	uri_free(&u);
}

static int fetch_uri(struct script_ctx *ctx, const char *uri, uint8_t **data, size_t *len)
{
	int rc;

	/* (image.c has already resolved a relative reference against the script) */
	if (!strncmp(uri, "file:", 5)) {
		const char *path = uri + 5;

		if (!strncmp(path, "//", 2))   /* file:///x → /x */
			path += 2;
		rc = plat_file_read(path, data, len);
	} else if (!strncmp(uri, "http:", 5) || !strncmp(uri, "https:", 6)) {
		rc = fetch_http(ctx, uri, data, len);
	} else if (!strncmp(uri, "ftp:", 4)) {
		rc = fetch_ftp(ctx, uri, data, len);
	} else if (!strncmp(uri, "nfs:", 4)) {
		rc = fetch_nfs(ctx, uri, data, len);
	} else if (!strncmp(uri, "tftp:", 5)) {
		rc = fetch_tftp(ctx, uri, data, len);
	} else {
		rc = -WB_ENOFETCH;
	}
	if (rc && !ctx->detail[0])
		fetch_show_uri(uri, ctx->detail, sizeof(ctx->detail));
	return rc;
}

/* ctx->connect_tls: the TLS streams of `sanhook https://…` (cmds_san.c) */
static int fetch_connect_tls(struct script_ctx *ctx, const char *host, uint16_t port,
			     struct stream **out)
{
	if (!fetch_st || !ctx->net)
		return -WB_ENOTOPEN;
	fetch_check_clock(ctx);
	return fetch_connect(fetch_st, 1, host, port, out);
}

int app_fetch_init(struct script_ctx *ctx)
{
	struct fetch_state *st = plat_malloc(sizeof(*st));

	if (!st)
		return -WB_ENOMEM;
	memset(st, 0, sizeof(*st));
	st->ctx = ctx;
	if (ctx->net)
		net_http_env(ctx->net, &st->env);
	st->tls.anchors = tls_builtin_anchors;
	st->tls.anchor_count = tls_builtin_anchor_count;
	st->tls.client_chain = tls_builtin_client_chain;
	st->tls.client_chain_len = tls_builtin_client_chain_len;
	st->tls.client_rsa = tls_builtin_client_rsa;
	st->tls.client_ec = tls_builtin_client_ec;
	st->tls.rng = &st->rng;
	st->tls.log = fetch_tls_log;
	fetch_st = st;
	ctx->fetch = fetch_uri;
	ctx->connect_tls = fetch_connect_tls;
	return 0;
}

int app_fetch_add_trust(const char *pem, size_t len)
{
	struct fetch_state *st = fetch_st;
	int rc;

	if (!st)
		return -WB_EINVAL;
	if (!st->extra.count)   /* start from the built-in anchors */
		for (size_t i = 0; i < tls_builtin_anchor_count; i++)
			if ((rc = tls_anchors_add(&st->extra, &tls_builtin_anchors[i])) < 0)
				return rc;
	rc = tls_anchors_from_pem(&st->extra, pem, len);
	if (rc <= 0)
		return rc ? rc : -WB_EPEM;
	st->tls.anchors = st->extra.ta;
	st->tls.anchor_count = st->extra.count;
	return rc;
}

void app_fetch_fini(void)
{
	if (fetch_st)
		tls_anchors_free(&fetch_st->extra);
	plat_free(fetch_st);
	fetch_st = NULL;
}
