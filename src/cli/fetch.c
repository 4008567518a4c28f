/*
 * fetch.c — `wireboot fetch [--tap IFNAME [--mac MAC]] [--trust CA.pem]... [--timeout SECS]
 *   [--tls-verbose] [--tls-no-aesni] [--no-hash] [--tftp-blksize N] [--tftp-window N] URL -o FILE [URL -o FILE]...`
 *
 * Runs the HTTP client (proto/http_client.c) over kernel sockets, or with
 * --tap over lwIP on the TAP device after DHCP on net0; several URLs share
 * one client (keep-alive).  ftp:// URLs go to the FTP client
 * (proto/ftp_client.c) over the same connections (sockets or lwIP), nfs://
 * URLs to the NFS client (proto/nfs_client.c).  It prints "sha256 HEX" per
 * file (not with --no-hash, which leaves the hashing to the caller:
 * benchmarks).  tftp:// URLs go to the TFTP client (proto/tftp_client.c)
 * over kernel UDP sockets, or lwIP UDP with --tap; --tftp-window 1 asks for
 * no windowsize.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/fetch.h"
#include "tls/tls.h"
#include "bearssl_hash.h"
#include "core/err.h"
#include "core/util.h"
#include "net/httpenv.h"
#include "net/net.h"
#include "net/udpdgram.h"
#include "cli/cli.h"
#include "cli/cmds.h"
#include "platform/host/host.h"
#include "platform/host/hostcli.h"
#include "platform/platform.h"
#include "proto/ftp_client.h"
#include "proto/http_client.h"
#include "proto/nfs_client.h"
#include "proto/tftp_client.h"
#include "proto/uri.h"

void fetch_usage(FILE *f)
{
	fprintf(f,
		"usage: wireboot fetch [--tap IFNAME [--mac MAC]] [--trust CA.pem]... [--timeout SECS] [--tls-verbose] [--no-hash]\n"
		"                      [--tls-no-aesni] [--tftp-blksize N] [--tftp-window N] [--progress] [-q|--quiet]\n"
		"                      URL -o FILE [URL -o FILE]...     (-o -: the file to stdout)\n");
}

#define FETCH_MAX 16

struct fetch_out {
	FILE *f;
	int hash;              /* 0: --no-hash */
	br_sha256_context sha;
};

/* kernel sockets: cancelled by SIGINT (host_sigint_count_start() in fetch_main) */
static int fetch_cancel(void)
{
	return host_sigint_count() != 0;
}

static int fetch_sink(void *arg, const uint8_t *data, size_t len)
{
	struct fetch_out *o = arg;

	if (fwrite(data, 1, len, o->f) != len)
		return -WB_EHTTPSINK;
	if (o->hash)
		br_sha256_update(&o->sha, data, len);
	return 0;
}

/* kernel sockets (TLS, when wanted, is wrapped around by fetch_tls_connect) */
static int fetch_sock_connect(void *arg, int is_https, const char *host, uint16_t port,
			      struct stream **out)
{
	return host_sock_connect(host, port, out);
}

static int fetch_sock_connect_from(void *arg, const char *host, uint16_t port,
				   uint16_t local_port, struct stream **out)
{
	(void)arg;
	return host_sock_connect_from(host, port, local_port, out);
}

/*
 * https: every connection the inner environment opens (kernel sockets or
 * lwIP) is wrapped in TLS, checked against the built-in anchors (TRUST=)
 * plus the --trust files, with the host's clock.
 */
struct fetch_tls {
	struct http_env inner;
	struct cli_tls tls;
};

static int fetch_tls_connect(void *arg, int is_https, const char *host, uint16_t port,
			     struct stream **out)
{
	struct fetch_tls *t = arg;
	struct stream *tcp;
	int rc = t->inner.connect(t->inner.arg, 0, host, port, &tcp);

	if (rc || !is_https) {
		if (!rc)
			*out = tcp;
		return rc;
	}
	return cli_tls_wrap(&t->tls, tcp, host, out);
}

/* one tftp:// URL to @o; 0 or an error (already reported) */
static int fetch_tftp(const char *url, const struct tftp_env *env, struct fetch_out *o,
		      uint32_t blksize, uint32_t window, uint32_t timeout_ms, uint64_t *got,
		      int progress, FILE *res)
{
	struct tftp_get g;
	int rc;

	memset(&g, 0, sizeof(g));
	g.url = url;
	g.blksize = blksize;
	g.windowsize = window;
	g.timeout_ms = timeout_ms;
	g.sink = fetch_sink;
	g.sink_arg = o;
	g.progress = progress;
	rc = tftp_client_get(env, &g);
	*got = g.received;
	if (res)
		fprintf(res, "tftp: blksize %u, window %u, tsize %s%s, %u retransmits, %u duplicates, "
	       "%u out of order, %u foreign\n", (unsigned)g.used_blksize, (unsigned)g.used_window,
	       g.tsize == UINT64_MAX ? "unknown" : "given", g.fallback ? " (options refused)" : "",
	       g.retransmits, g.dups, g.out_of_order, g.foreign);
	if (rc && g.server_error)
		fprintf(stderr, "wireboot fetch: %s: server error %u: %s: %s\n", url,
			(unsigned)g.err_code, g.err_msg, wb_strerror(rc));
	else if (rc)
		fprintf(stderr, "wireboot fetch: %s: %s\n", url, wb_strerror(rc));
	return rc;
}

/* what to tell a person when a fetch fails: what failed, and what to check */
static void fetch_report(const char *url, const struct http_get *g, int rc)
{
	struct uri u;
	char shown[300];

	if (uri_parse(url, &u) == 0 && u.scheme && u.host) {
		http_log_url(&u, shown, sizeof(shown));
	} else {
		wb_strlcpy(shown, "(bad URL)", sizeof(shown));
	}
	uri_free(&u);
	if (g->status >= 300 && rc != -WB_EHTTPREDIRMAX && rc != -WB_EHTTPDOWNGRADE &&
	    rc != -WB_EHTTPNOLOCATION && rc != -WB_EHTTPRANGE)
		fprintf(stderr, "wireboot fetch: %s: server answered %d %s: %s\n", shown, g->status,
			g->reason, wb_strerror(rc));
	else
		fprintf(stderr, "wireboot fetch: %s: %s\n", shown, wb_strerror(rc));
}

/* one nfs:// URL (proto/nfs_client.c) over the plain environment @env */
static int fetch_nfs(const struct http_env *env, const char *url, struct fetch_out *o,
		     uint32_t timeout_ms, uint64_t *got, int progress, FILE *res)
{
	struct nfs_get g;
	int rc;

	memset(&g, 0, sizeof(g));
	g.url = url;
	g.sink = fetch_sink;
	g.sink_arg = o;
	g.progress = progress;
	g.connect_timeout_ms = g.idle_timeout_ms = timeout_ms;
	rc = nfs_get(env, &g);
	*got = g.received;
	if (rc)   /* nfs:// URLs carry no user info (refused): safe to show */
		fprintf(stderr, "wireboot fetch: %s: %s%s%s\n", url, g.detail, g.detail[0] ? ": " : "",
			wb_strerror(rc));
	else if (res)
		fprintf(res, "fetch: nfs export %s, rsize %u, %u symbolic links followed, %u MNT calls, "
		       "%u READs (%u early, %u re-asked), %s source port\n", g.export_path,
		       (unsigned)g.rsize, g.symlinks, g.mounts_tried, g.reads, g.early, g.reasked,
		       g.resvport ? "reserved" : "ordinary");
	return rc;
}

/* ftp://: names resolved by the kernel (sockets) or lwIP's DNS (--tap) */
static int fetch_ftp_resolve(void *arg, const char *host, uint8_t ip[4])
{
	if (arg)
		return net_resolve(arg, host, ip, 10000);
	return host_resolve_ipv4(host, ip);
}

/* one ftp:// URL to @o; says what failed itself; g->status/received as for HTTP */
static int fetch_ftp(const struct http_env *net, int tap, const char *url, struct fetch_out *o,
		     unsigned long long timeout_s, struct http_get *g, int progress)
{
	struct ftp_env env = { .net = net, .resolve = fetch_ftp_resolve,
			       .resolve_arg = tap ? app_net() : NULL };
	struct ftp_get fg = { 0 };
	struct uri u;
	char shown[300];
	int rc;

	fg.url = url;
	fg.sink = fetch_sink;
	fg.sink_arg = o;
	fg.progress = progress;
	fg.connect_timeout_ms = fg.idle_timeout_ms = (uint32_t)(timeout_s * 1000);
	rc = ftp_client_get(&env, &fg);
	g->status = fg.done_code;
	g->received = fg.received;
	if (!rc)
		return 0;
	if (uri_parse(url, &u) == 0 && u.scheme && u.host)
		http_log_url(&u, shown, sizeof(shown));
	else
		wb_strlcpy(shown, "(bad URL)", sizeof(shown));
	uri_free(&u);
	if (fg.code)
		fprintf(stderr, "wireboot fetch: %s: server answered %d %s: %s\n", shown, fg.code,
			fg.text, wb_strerror(rc));
	else
		fprintf(stderr, "wireboot fetch: %s: %s\n", shown, wb_strerror(rc));
	return rc;
}

int fetch_main(int argc, char **argv)
{
	static char user_agent[80];
	const char *urls[FETCH_MAX], *files[FETCH_MAX], *trust[FETCH_MAX];
	const char *tap = NULL;
	int nurls = 0, ntrust = 0, have_mac = 0, verbose = 0, no_aes_hw = 0, rc = 0, i, hash = 1;
	int quiet = 0, progress = 0, to_stdout = 0;
	FILE *res = stdout;   /* the result lines; stderr when the data goes to stdout */
	unsigned long long timeout_s = 0, tftp_blksize = 0, tftp_window = 0;
	struct tftp_env tftp_env;
	struct http_client client;
	struct http_env env;
	struct fetch_tls tls;
	uint8_t mac[6];

	if (cli_wants_help(argc, argv)) {
		fetch_usage(stdout);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		static const char *const valued[] = { "--tap", "--mac", "--trust", "--timeout",
						      "--tftp-blksize", "--tftp-window", "-o" };

		for (size_t k = 0; k < WB_ARRAY_SIZE(valued); k++)
			if (!strcmp(argv[i], valued[k]) && i + 1 == argc)
				return cli_usage_error("fetch", fetch_usage, "%s needs a value", argv[i]);
		if (!strcmp(argv[i], "--tap") && i + 1 < argc) {
			tap = argv[++i];
			if (cli_tap_check("fetch", tap))
				return CLI_EXIT_USAGE;
		} else if (!strcmp(argv[i], "--mac") && i + 1 < argc) {
			if (wb_parse_mac(argv[++i], mac))
				return cli_usage_error("fetch", fetch_usage, "bad MAC address %s", argv[i]);
			have_mac = 1;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--progress")) {
			progress = 1;
		} else if (!strcmp(argv[i], "--trust") && i + 1 < argc) {
			if (ntrust == FETCH_MAX)
				return cli_usage_error("fetch", fetch_usage, "at most %d --trust files", FETCH_MAX);
			trust[ntrust++] = argv[++i];
		} else if (!strcmp(argv[i], "--no-hash")) {
			hash = 0;
		} else if (!strcmp(argv[i], "--tls-verbose")) {
			verbose = 1;   /* the cipher suite and handshake time of each TLS connection */
		} else if (!strcmp(argv[i], "--tls-no-aesni")) {
			no_aes_hw = 1; /* as on a CPU without AES-NI (tests, benchmarks) */
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (wb_parse_uint(argv[++i], 3600, &timeout_s) || !timeout_s)
				return cli_usage_error("fetch", fetch_usage, "--timeout wants seconds (1-3600)");
		} else if (!strcmp(argv[i], "--tftp-blksize") && i + 1 < argc) {
			if (wb_parse_uint(argv[++i], TFTP_BLKSIZE_MAX, &tftp_blksize) ||
			    tftp_blksize < TFTP_BLKSIZE_MIN)
				return cli_usage_error("fetch", fetch_usage, "--tftp-blksize wants 8-65464");
		} else if (!strcmp(argv[i], "--tftp-window") && i + 1 < argc) {
			if (wb_parse_uint(argv[++i], TFTP_WINDOW_MAX, &tftp_window) || !tftp_window)
				return cli_usage_error("fetch", fetch_usage, "--tftp-window wants 1-65535");
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			if (!nurls || files[nurls - 1])
				return cli_usage_error("fetch", fetch_usage, "-o %s: each -o FILE follows its URL",
						       argv[i + 1]);
			files[nurls - 1] = argv[++i];
			if (!strcmp(files[nurls - 1], "-")) {
				if (to_stdout)
					return cli_usage_error("fetch", fetch_usage, "only one -o - (stdout)");
				to_stdout = 1;
			}
		} else if (argv[i][0] == '-') {
			return cli_usage_error("fetch", fetch_usage, "unknown option '%s'", argv[i]);
		} else {
			if (nurls && !files[nurls - 1])
				return cli_usage_error("fetch", fetch_usage, "%s: no -o FILE for it", urls[nurls - 1]);
			if (nurls == FETCH_MAX)
				return cli_usage_error("fetch", fetch_usage, "at most %d URLs", FETCH_MAX);
			urls[nurls] = argv[i];
			files[nurls++] = NULL;
		}
	}
	if (!nurls)
		return cli_usage_error("fetch", fetch_usage, "no URL given");
	if (!files[nurls - 1])
		return cli_usage_error("fetch", fetch_usage, "%s: no -o FILE for it", urls[nurls - 1]);
	if (have_mac && !tap)
		return cli_usage_error("fetch", fetch_usage, "--mac goes with --tap");
	if (to_stdout)
		res = stderr;
	progress = cli_progress(progress, quiet);
	/* wb_printf (DHCP, protocol logs, progress) goes to stderr: stdout is for results */
	host_console_output(2);
	memset(&tls, 0, sizeof(tls));
	tls.tls.cfg.verbose = verbose;
	tls.tls.cfg.no_aes_hw = no_aes_hw;
	if (cli_tls_setup(&tls.tls, "fetch", trust, ntrust)) {
		cli_tls_fini(&tls.tls);
		return 1;
	}
	if (tap) {
		if (host_tap_add(tap, have_mac ? mac : NULL)) {
			fprintf(stderr, "wireboot fetch: cannot use TAP device %s\n", tap);
			return 1;
		}
		host_console_init();
		app_init();
		rc = app_run_script("dhcp net0", 9, "fetch");
		if (rc || !app_net()) {
			fprintf(stderr, "wireboot fetch: DHCP on %s failed: %s\n", tap,
				wb_strerror(rc ? rc : -WB_ENODEV));
			app_fini();
			host_links_close();
			host_console_restore();
			return host_interrupted() ? CLI_EXIT_SIGINT : 1;
		}
		net_http_env(app_net(), &env);
		net_tftp_env(app_net(), &tftp_env);
	} else {
		host_tftp_env(fetch_cancel, &tftp_env);
		host_sigint_count_start();
		env.connect = fetch_sock_connect;
		env.connect_from = fetch_sock_connect_from;
		env.arg = NULL;
		host_sock_poller(fetch_cancel, &env.poller);
		env.now_ms = plat_ms;
	}
	tls.inner = env;
	env.connect = fetch_tls_connect;
	env.arg = &tls;
	if (http_client_init(&client, &env)) {
		fprintf(stderr, "wireboot fetch: out of memory\n");
		return 1;
	}
	snprintf(user_agent, sizeof(user_agent), "wireboot/%s", cli_version);
	client.user_agent = user_agent;
	if (timeout_s)
		client.connect_timeout_ms = client.idle_timeout_ms = (uint32_t)(timeout_s * 1000);
	for (i = 0; i < nurls && !rc; i++) {
		struct http_get g = { 0 };
		struct fetch_out o;
		uint8_t sum[32];
		char hex[65];

		o.f = strcmp(files[i], "-") ? fopen(files[i], "wb") : stdout;
		if (!o.f) {
			fprintf(stderr, "wireboot fetch: cannot write %s: %s\n", files[i], strerror(errno));
			rc = -WB_EHTTPSINK;
			break;
		}
		br_sha256_init(&o.sha);
		o.hash = hash;
		g.url = urls[i];
		g.sink = fetch_sink;
		g.sink_arg = &o;
		g.progress = progress;
		if (!strncmp(urls[i], "tftp:", 5))
			rc = fetch_tftp(urls[i], &tftp_env, &o, (uint32_t)tftp_blksize,
					(uint32_t)tftp_window, (uint32_t)(timeout_s * 1000), &g.received,
					progress, quiet ? NULL : res);
		else if (!strncmp(urls[i], "ftp:", 4))
			rc = fetch_ftp(&tls.inner, tap != NULL, urls[i], &o, timeout_s, &g, progress);
		else if (!strncmp(urls[i], "nfs:", 4))
			rc = fetch_nfs(&tls.inner, urls[i], &o, (uint32_t)(timeout_s * 1000), &g.received,
				       progress, quiet ? NULL : res);
		else
			rc = http_client_get(&client, &g);
		if (o.f == stdout ? fflush(stdout) : fclose(o.f))
			rc = rc ? rc : -WB_EHTTPSINK;
		if (rc) {
			if (strncmp(urls[i], "ftp:", 4) && strncmp(urls[i], "nfs:", 4) &&
			    strncmp(urls[i], "tftp:", 5))
				fetch_report(urls[i], &g, rc);
			/* drop the partial download, but only a regular file: `-o /dev/null`
			 * (or a FIFO, a device) must never be unlinked */
			if (o.f != stdout && host_is_regular_file(files[i]))
				remove(files[i]);
		} else {
			br_sha256_out(&o.sha, sum);
			for (int k = 0; k < 32; k++)
				snprintf(hex + 2 * k, 3, "%02x", sum[k]);
			if (quiet)
				;
			else if (!strncmp(urls[i], "nfs:", 4))
				fprintf(res, "fetch: %llu bytes to %s (nfs)\n", (unsigned long long)g.received,
					files[i]);
			else
				fprintf(res, "fetch: %llu bytes to %s (status %d, %d redirects)\n",
					(unsigned long long)g.received, files[i], g.status, g.redirects);
			if (hash)
				fprintf(res, "sha256 %s\n", hex);
		}
		http_get_fini(&g);
	}
	for (i = 0; i < nurls && (!strncmp(urls[i], "ftp:", 4) || !strncmp(urls[i], "nfs:", 4) ||
				  !strncmp(urls[i], "tftp:", 5)); i++)
		;
	if (i < nurls && !quiet)   /* the HTTP client's statistics, when it had URLs */
		fprintf(res, "fetch: %u requests over %u connections (%u reused)\n", client.requests,
			client.connections, client.reused);
	fflush(stdout);
	http_client_fini(&client);
	cli_tls_fini(&tls.tls);
	if (tap) {
		app_fini();
		host_links_close();
		host_console_restore();
	}
	if (rc && (host_sigint_count() || host_interrupted()))
		return CLI_EXIT_SIGINT;
	return rc ? 1 : 0;
}
