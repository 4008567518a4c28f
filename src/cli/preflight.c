/*
 * preflight.c — `wireboot preflight iscsi ROOT-PATH [--initiator IQN]
 *   [--user U --secret S] [--reverse-user RU --reverse-secret RS]
 *   [--chap-alg 7,6,5] [--allow-same-secret] [--allow-short-secret] [--digests] [--timeout SECS] [--tap IFNAME [--mac MAC]]
 *   [--retry SECS] [--idle SECS] [--read-all [--depth N] [--chunk BYTES] [--readahead BYTES] [--no-hash]]
 *   [--arch arm64|x86_64] [--filename PATH] [--no-disk]`
 *
 * Opens the root path's LUN through the SAN layer (san/san_iscsi.c: login
 * with redirects, INQUIRY, TEST UNIT READY, READ CAPACITY) and prints the
 * target, the login's result, the LUN and its capacity, then inspects the
 * disk through the same SAN reads (disk/inspect.c): partition table (GPT or
 * MBR), the EFI System Partition's FAT file system, \EFI\BOOT\BOOTAA64.EFI
 * and BOOTX64.EFI (or --filename, as `sanboot --filename` would boot), and
 * whether the boot file is a PE image for --arch (default arm64); a disk the
 * firmware would not boot is a failure with the reason (--no-disk skips
 * the check, for LUNs that are not boot disks).  --idle keeps the
 * session alive with san_poll() alone for that long (our NOP-Out pings) and
 * prints the ping counters.  With --read-all it
 * reads the whole LUN with san_read() in --chunk pieces (default 4 MiB, N
 * commands in flight, default 8), prints its SHA-256, the rate and the SAN
 * statistics (read-ahead, reconnects); then logs out.
 *
 * The connection runs over kernel sockets, or with --tap over wireboot's own
 * lwIP stack on a TAP device (DHCP on it first, names resolved by its DNS),
 * like `wireboot fetch --tap`.  Secrets may come from the environment
 * (WIREBOOT_SECRET, WIREBOOT_REVERSE_SECRET) so that they do not show in the
 * process list.  Exit 0, or 1 with one line naming what failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "bearssl_hash.h"
#include "bearssl_rand.h"
#include "core/err.h"
#include "disk/inspect.h"
#include "core/stream.h"
#include "core/util.h"
#include "net/httpenv.h"
#include "net/net.h"
#include "net/tcpstream.h"
#include "cli/cli.h"
#include "platform/host/host.h"
#include "platform/host/hostcli.h"
#include "platform/platform.h"
#include "proto/chap.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_uri.h"
#include "san/san.h"
#include "san/san_http.h"
#include "san/wbmap.h"
#include "tls/tls.h"

static unsigned pf_grace;   /* SIGINTs already acted on (see --idle) */
/* kernel sockets: the poller's cancel; SIGINTs up to pf_grace are spent */
static int pf_cancel(void) { return host_sigint_count() > pf_grace || host_interrupted(); }
static int pf_interrupted(void) { return host_sigint_count() || host_interrupted(); }

static int pf_rng(void *arg, void *buf, size_t len)
{
	br_hmac_drbg_generate(arg, buf, len);
	return 0;
}

static int pf_quiet;

static void pf_log(void *arg, const char *line)
{
	(void)arg;
	if (pf_quiet)
		return;
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
}

static int pf_sock_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	(void)arg;
	return host_sock_connect(host, port, out);
}

static int pf_net_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	return net_tcp_connect_host(arg, host, port, out);
}

static const char *pf_chap_name(uint8_t alg)
{
	return alg == 5 ? "CHAP-MD5" : alg == 6 ? "CHAP-SHA1" : alg == 7 ? "CHAP-SHA256" : "none";
}

/* the whole LUN through san_read(), hashed in order unless @hash is 0 (then the
   bytes are read and dropped, as a reference reader like iscsi-perf does: the
   rate is then the read path alone, timed by the same clock) */
static int pf_read_all(struct san_dev *d, unsigned depth, uint32_t chunk, int hash)
{
	const struct san_info *in = san_info(d);
	const struct san_stats *st = san_stats(d);
	uint32_t bs = in->block_size, per = chunk / bs;
	uint64_t lba = 0, t0, ms, bytes = in->blocks * bs;
	uint32_t cmds0 = st->commands;
	br_sha256_context sha;
	uint8_t digest[32], *buf;
	int rc = 0;

	if (per == 0)
		per = 1;
	buf = malloc((size_t)per * bs);
	if (!buf)
		return -WB_ENOMEM;
	br_sha256_init(&sha);
	t0 = plat_ms();
	while (lba < in->blocks) {
		uint32_t n = in->blocks - lba < per ? (uint32_t)(in->blocks - lba) : per;

		rc = san_read(d, lba, n, buf);
		if (rc)
			break;
		if (hash)
			br_sha256_update(&sha, buf, (size_t)n * bs);
		lba += n;
	}
	free(buf);
	if (rc)
		return rc;
	ms = plat_ms() - t0;
	printf("read-all: %llu bytes, depth %u, %u commands of up to %u bytes, %u UNIT ATTENTION retries, %u NOPs answered\n",
	       (unsigned long long)bytes, depth, st->commands - cmds0, in->max_burst, st->ua_retries, st->target_nops);
	if (hash) {
		br_sha256_out(&sha, digest);
		printf("sha256 ");
		for (int i = 0; i < 32; i++)
			printf("%02x", digest[i]);
		printf("\n");
	}
	printf("rate: %.1f MiB/s (%llu ms, depth %u, %s)\n",
	       ms ? (double)bytes / 1048576.0 / ((double)ms / 1000.0) : 0.0, (unsigned long long)ms, depth,
	       hash ? "with SHA-256" : "no hash");
	printf("reads: %llu requests of %u bytes, readahead %llu hits, %u windows fetched\n",
	       (unsigned long long)st->reads, per * bs, (unsigned long long)st->readahead_hits, st->readahead_fills);
	printf("recovery: %u reconnects, %u commands reissued\n", st->reconnects, st->retries);
	return 0;
}

static int pf_disk_read(void *arg, uint64_t lba, uint32_t nblocks, void *buf)
{
	return san_read(arg, lba, nblocks, buf);
}

static void pf_disk_line(void *arg, const char *text)
{
	(void)arg;
	printf("%s\n", text);
}

/* The disk check: 0 when the firmware of @arch would boot it. */
static int pf_disk(struct san_dev *d, const char *arch, const char *filename)
{
	const struct san_info *in = san_info(d);
	struct disk_report *rep = malloc(sizeof(*rep));
	struct disk_reader r;
	int rc;

	if (!rep) {
		fprintf(stderr, "wireboot preflight: disk check: out of memory\n");
		return -WB_ENOMEM;
	}
	rc = disk_report_init(rep, arch, filename);
	if (rc) {
		fprintf(stderr, "wireboot preflight: disk check: bad --arch or --filename (%s)\n", wb_strerror(rc));
		free(rep);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.read = pf_disk_read;
	r.arg = d;
	r.block_size = in->block_size;
	r.blocks = in->blocks;
	rc = disk_inspect(&r, rep);
	disk_report_print(rep, pf_disk_line, NULL);
	fflush(stdout);
	if (rc)
		fprintf(stderr, "wireboot preflight: the LUN would not boot on %s: %s\n", arch,
			rep->reason[0] ? rep->reason : wb_strerror(rc));
	free(rep);
	return rc;
}

void preflight_usage(FILE *f);

void preflight_usage(FILE *f)
{
	fprintf(f, "usage: wireboot preflight iscsi ROOT-PATH [--initiator-iqn IQN]\n"
			"                 [--user U (--secret S | --secret-file F)]\n"
			"                 [--reverse-user RU (--reverse-secret RS | --reverse-secret-file F)]\n"
			"                 [--chap-alg 7,6,5] [--digests] [--timeout SECS] [-q|--quiet]\n"
			"                 [--allow-same-secret] [--allow-short-secret]\n"
			"                 [--tap IFNAME [--mac MAC] [--tcp-window BYTES] [--tcp-ack-coalesce 0|1]]\n"
			"                 [--retry SECS] [--idle SECS]\n"
			"                 [--read-all [--depth N] [--chunk BYTES] [--readahead BYTES] [--no-hash]]\n"
			"                 [--arch arm64|x86_64] [--filename PATH] [--no-disk]\n"
			"       wireboot preflight http URL [--trust CA.pem]... [--map FILE.wbmap] [--timeout SECS]\n"
			"                 [--tap IFNAME [--mac MAC]] [--retry SECS] [-q|--quiet]\n"
			"                 [--read-all [--chunk BYTES] [--no-hash]] [--depth N] [--connections N]\n"
			"                 [--request-size BYTES] [--readahead BYTES]\n"
			"                 [--arch arm64|x86_64] [--filename PATH] [--no-disk]\n"
			"       (secrets also from WIREBOOT_SECRET / WIREBOOT_REVERSE_SECRET; a secret file must\n"
			"        not be readable by others)\n");
}

static int pf_num(const char *v, unsigned long long max, unsigned long long *out)
{
	return wb_parse_uint(v, max, out);
}

static int pf_valued(const char *a)
{
	static const char *const opts[] = {
		"--initiator", "--initiator-iqn", "--user", "--secret", "--secret-file", "--reverse-user",
		"--reverse-secret", "--reverse-secret-file", "--chap-alg", "--timeout", "--retry", "--chunk",
		"--readahead", "--idle", "--tcp-window", "--tcp-ack-coalesce", "--tap", "--mac", "--arch", "--filename", "--depth",
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(a, opts[i]))
			return 1;
	return 0;
}

/* The identity options: initiator name, CHAP users and secrets (from the
 * command line, a file or the environment).  0, or an exit status. */
static int pf_args(int argc, char **argv, struct san_iscsi_cfg *cfg, char **sf, char **rsf)
{
	for (int i = 2; i + 1 < argc; i++) {
		const char *a = argv[i], *v = argv[i + 1];
		int rc;

		if (!strcmp(a, "--initiator") || !strcmp(a, "--initiator-iqn")) cfg->initiator = v;
		else if (!strcmp(a, "--user")) cfg->user = v;
		else if (!strcmp(a, "--secret")) cfg->secret = v;
		else if (!strcmp(a, "--reverse-user")) cfg->reverse_user = v;
		else if (!strcmp(a, "--reverse-secret")) cfg->reverse_secret = v;
		else if (!strcmp(a, "--secret-file") || !strcmp(a, "--reverse-secret-file")) {
			char **dst = a[2] == 's' ? sf : rsf;

			cli_secret_free(*dst);
			rc = cli_read_secret_file("preflight", a, v, dst);
			if (rc)
				return rc;
			if (dst == sf)
				cfg->secret = *sf;
			else
				cfg->reverse_secret = *rsf;
		} else if (!pf_valued(a))
			continue;
		i++;
	}
	return 0;
}

/*
 * preflight http: the HTTP(S) range device (san/san_http.c).  Connections:
 * kernel sockets or lwIP (--tap); https:// wraps each in TLS checked against
 * the build's anchors (TRUST=) plus the --trust files, as `wireboot fetch`.
 */
struct pf_conn {
	int (*inner)(void *arg, const char *host, uint16_t port, struct stream **out);
	void *inner_arg;
	struct cli_tls tls;
};

static int pf_plain_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	struct pf_conn *t = arg;

	return t->inner(t->inner_arg, host, port, out);
}

static int pf_tls_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	struct pf_conn *t = arg;
	struct stream *tcp;
	int rc = t->inner(t->inner_arg, host, port, &tcp);

	return rc ? rc : cli_tls_wrap(&t->tls, tcp, host, out);
}

static int pf_http_main(int argc, char **argv)
{
	struct san_http_cfg cfg;
	struct san_env env;
	struct san_dev *d = NULL;
	struct pf_conn pc;
	struct wbmap map;
	const char *url = NULL, *tap = NULL, *arch = "arm64", *filename = NULL, *mapfile = NULL;
	unsigned long long timeout_s = 20, retry_s = 0, chunk = 4 << 20, v64;
	char msg[SAN_MSG_MAX], *mapbuf = NULL;
	const char *trust[8];
	int rc, ret = 1, read_all = 0, have_mac = 0, net_up = 0, disk = 1, hash = 1, ntrust = 0;
	uint8_t mac[6];

	memset(&cfg, 0, sizeof(cfg));
	memset(&pc, 0, sizeof(pc));
	pf_quiet = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		struct { const char *name; unsigned long long lo, hi; uint32_t *dst; } nums[] = {
			{ "--depth", 1, 32, &cfg.depth },
			{ "--connections", 1, SAN_HTTP_CONN_MAX, &cfg.connections },
			{ "--request-size", 512, 16 << 20, &cfg.request_size },
			{ "--readahead", 0, 64 << 20, &cfg.readahead },
		};
		int done = 0;

		for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]) && !done; k++) {
			if (strcmp(a, nums[k].name) || !v)
				continue;
			if (pf_num(v, nums[k].hi, &v64) || v64 < nums[k].lo) {
				ret = cli_usage_error("preflight", preflight_usage, "%s takes %llu to %llu", a,
						      nums[k].lo, nums[k].hi);
				goto out_args;
			}
			*nums[k].dst = (uint32_t)v64;
			i++;
			done = 1;
		}
		if (done)
			continue;
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) pf_quiet = 1;
		else if (!strcmp(a, "--timeout") && v) {
			if (pf_num(v, 3600, &timeout_s) || !timeout_s) {
				ret = cli_usage_error("preflight", preflight_usage, "--timeout takes 1 to 3600 seconds");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--retry") && v) {
			if (pf_num(v, 3600, &retry_s) || !retry_s) {
				ret = cli_usage_error("preflight", preflight_usage, "--retry takes 1 to 3600 seconds");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--chunk") && v) {
			if (pf_num(v, 64 << 20, &chunk) || chunk < 512) {
				ret = cli_usage_error("preflight", preflight_usage, "--chunk takes 512 bytes to 64 MiB");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--trust") && v) {
			if (ntrust == (int)(sizeof(trust) / sizeof(trust[0]))) {
				ret = cli_usage_error("preflight", preflight_usage, "at most 8 --trust files");
				goto out_args;
			}
			trust[ntrust++] = argv[++i];
		} else if (!strcmp(a, "--map") && v) mapfile = v, i++;
		else if (!strcmp(a, "--tap") && v) {
			tap = v, i++;
			if (cli_tap_check("preflight", tap)) {
				ret = CLI_EXIT_USAGE;
				goto out_args;
			}
		} else if (!strcmp(a, "--mac") && v) {
			if (wb_parse_mac(v, mac)) {
				ret = cli_usage_error("preflight", preflight_usage, "bad MAC address %s", v);
				goto out_args;
			}
			have_mac = 1;
			i++;
		} else if (!strcmp(a, "--read-all")) read_all = 1;
		else if (!strcmp(a, "--no-hash")) hash = 0;
		else if (!strcmp(a, "--no-disk")) disk = 0;
		else if (!strcmp(a, "--arch") && v) arch = v, i++;
		else if (!strcmp(a, "--filename") && v) filename = v, i++;
		else if (a[0] != '-' && !url) url = a;
		else {
			if (a[0] == '-' && !v && (pf_valued(a) || !strcmp(a, "--connections") || !strcmp(a, "--trust") ||
						  !strcmp(a, "--map") || !strcmp(a, "--request-size")))
				ret = cli_usage_error("preflight", preflight_usage, "%s needs a value", a);
			else if (a[0] == '-')
				ret = cli_usage_error("preflight", preflight_usage, "unknown option '%s'", a);
			else
				ret = cli_usage_error("preflight", preflight_usage, "unexpected argument '%s'", a);
			goto out_args;
		}
	}
	if (!url) {
		ret = cli_usage_error("preflight", preflight_usage, "no URL given");
		goto out_args;
	}
	if (have_mac && !tap) {
		ret = cli_usage_error("preflight", preflight_usage, "--mac goes with --tap");
		goto out_args;
	}
	if (mapfile) {
		size_t len = 0;

		mapbuf = cli_read_file(mapfile, &len);
		if (!mapbuf) {
			fprintf(stderr, "wireboot preflight: cannot read %s: %s\n", mapfile, strerror(errno));
			goto out_args;
		}
		rc = wbmap_parse((const uint8_t *)mapbuf, len, &map);
		if (rc) {
			fprintf(stderr, "wireboot preflight: %s: %s\n", mapfile, wb_strerror(rc));
			goto out_args;
		}
		cfg.map = &map;
	}
	if (cli_tls_setup(&pc.tls, "preflight", trust, ntrust))
		goto out_tls;
	cfg.url = url;
	cfg.connect_timeout_ms = cfg.io_timeout_ms = (uint32_t)(timeout_s * 1000);
	cfg.retry_ms = (uint32_t)(retry_s * 1000);
	memset(&env, 0, sizeof(env));
	env.now_ms = plat_ms;
	env.log = pf_log;
	env.connect = pf_plain_connect;
	env.connect_tls = pf_tls_connect;
	env.arg = &pc;
	if (tap) {
		if (host_tap_add(tap, have_mac ? mac : NULL)) {
			fprintf(stderr, "wireboot preflight: cannot use TAP device %s\n", tap);
			goto out_tls;
		}
		host_console_output(2);
		host_console_init();
		app_init();
		net_up = 1;
		rc = app_run_script("dhcp net0", 9, "preflight");
		if (rc || !app_net()) {
			fprintf(stderr, "wireboot preflight: DHCP on %s failed: %s\n", tap,
				wb_strerror(rc ? rc : -WB_ENODEV));
			goto out;
		}
		pc.inner = pf_net_connect;
		pc.inner_arg = app_net();
		net_tcp_poller(app_net(), &env.poller);
	} else {
		host_sigint_count_start();
		pc.inner = pf_sock_connect;
		host_sock_poller(pf_cancel, &env.poller);
	}
	rc = san_http_open(&env, &cfg, &d, msg, sizeof(msg));
	if (rc) {
		fprintf(stderr, "wireboot preflight: %s\n", msg);
		goto out;
	}
	{
		const struct san_info *in = san_info(d);

		printf("server %s:%u%s%s\n", in->host, in->port, tap ? " (lwIP)" : "",
		       strncmp(url, "https:", 6) ? "" : " TLS");
		printf("capacity %llu blocks x %u bytes = %llu bytes, read-only%s\n", (unsigned long long)in->blocks,
		       in->block_size, (unsigned long long)(in->blocks * in->block_size),
		       cfg.map ? ", verified by the manifest" : "");
		fflush(stdout);
	}
	if (disk && pf_disk(d, arch, filename))
		goto out;
	if (read_all) {
		rc = pf_read_all(d, cfg.depth ? cfg.depth : 4, (uint32_t)chunk, hash);
		if (rc) {
			fprintf(stderr, "wireboot preflight: read-all: %s\n", san_error(d)[0] ? san_error(d) : wb_strerror(rc));
			goto out;
		}
	}
	ret = 0;
out:
	fflush(stdout);
	if (d)
		san_close(d, 2000);
	if (net_up) {
		app_fini();
		host_links_close();
		host_console_restore();
	}
	if (pf_interrupted())
		ret = CLI_EXIT_SIGINT;
out_tls:
	cli_tls_fini(&pc.tls);
out_args:
	free(mapbuf);
	return ret;
}

int preflight_main(int argc, char **argv)
{
	struct san_iscsi_cfg cfg;
	struct san_env env;
	struct san_dev *d = NULL;
	br_hmac_drbg_context rng;
	const char *root = NULL, *tap = NULL, *arch = "arm64", *filename = NULL;
	unsigned long long timeout_s = 20, retry_s = 0, chunk = 4 << 20, ra = 0, v64, idle_s = 0;
	unsigned long long tcp_window = 0, ack_coalesce = 1;
	char msg[SAN_MSG_MAX], *secret_file = NULL, *rsecret_file = NULL;
	int rc, ret = 1, read_all = 0, have_mac = 0, net_up = 0, disk = 1, hash = 1;
	unsigned depth = 8;
	uint8_t mac[6];

	memset(&cfg, 0, sizeof(cfg));
	cfg.initiator = "iqn.2026-11.io.wireboot:preflight";
	cfg.secret = getenv("WIREBOOT_SECRET");
	cfg.reverse_secret = getenv("WIREBOOT_REVERSE_SECRET");
	if (cli_wants_help(argc - 1, argv + 1)) {
		preflight_usage(stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage_error("preflight", preflight_usage, "no target kind given (iscsi, http)");
	if (!strcmp(argv[1], "http"))
		return pf_http_main(argc, argv);
	if (strcmp(argv[1], "iscsi"))
		return cli_usage_error("preflight", preflight_usage, "unknown target kind '%s' (iscsi, http)", argv[1]);
	pf_quiet = 0;
	ret = pf_args(argc, argv, &cfg, &secret_file, &rsecret_file);
	if (ret)
		goto out_args;
	ret = 1;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--initiator") || !strcmp(a, "--initiator-iqn") || !strcmp(a, "--user") ||
		    !strcmp(a, "--secret") || !strcmp(a, "--reverse-user") || !strcmp(a, "--reverse-secret") ||
		    !strcmp(a, "--secret-file") || !strcmp(a, "--reverse-secret-file")) {
			if (!v) {
				ret = cli_usage_error("preflight", preflight_usage, "%s needs a value", a);
				goto out_args;
			}
			i++;   /* pf_args() took these */
		}
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) pf_quiet = 1;
		else if (!strcmp(a, "--chap-alg") && v) {
			/* CHAP_A preference, e.g. 5 or 7,6,5 (as the chap-algorithms setting) */
			if (chap_parse_alg_list(v, cfg.chap_algs)) {
				ret = cli_usage_error("preflight", preflight_usage, "--chap-alg: %s",
						      wb_strerror(-WB_ECHAPALGLIST));
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--allow-same-secret")) cfg.chap_flags |= ISCSI_CHAP_ALLOW_SAME_SECRET;
		else if (!strcmp(a, "--allow-short-secret")) cfg.chap_flags |= ISCSI_CHAP_ALLOW_SHORT_SECRET; else if (!strcmp(a, "--digests")) cfg.header_digest = cfg.data_digest = 1;
		else if (!strcmp(a, "--timeout") && v) {
			if (pf_num(v, 3600, &timeout_s) || !timeout_s) {
				ret = cli_usage_error("preflight", preflight_usage, "--timeout takes 1 to 3600 seconds");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--retry") && v) {
			if (pf_num(v, 3600, &retry_s) || !retry_s) {
				ret = cli_usage_error("preflight", preflight_usage, "--retry takes 1 to 3600 seconds");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--chunk") && v) {
			if (pf_num(v, 64 << 20, &chunk) || chunk < 512) {
				ret = cli_usage_error("preflight", preflight_usage, "--chunk takes 512 bytes to 64 MiB");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--readahead") && v) {
			if (pf_num(v, 64 << 20, &ra)) {
				ret = cli_usage_error("preflight", preflight_usage, "--readahead takes bytes (0 = default, 1 = off)");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--idle") && v) {
			if (pf_num(v, 3600, &idle_s)) {
				ret = cli_usage_error("preflight", preflight_usage, "--idle takes 0 to 3600 seconds");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--tcp-window") && v) {
			/* (net_set_tcp_window() clamps to what lwIP's window scale allows) */
			if (pf_num(v, 1u << 20, &tcp_window) || tcp_window < 1460) {
				ret = cli_usage_error("preflight", preflight_usage, "--tcp-window takes 1460 to 1048576 bytes");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--tcp-ack-coalesce") && v) {
			if (pf_num(v, 1, &ack_coalesce)) {
				ret = cli_usage_error("preflight", preflight_usage, "--tcp-ack-coalesce takes 0 or 1");
				goto out_args;
			}
			i++;
		} else if (!strcmp(a, "--tap") && v) {
			tap = v, i++;
			if (cli_tap_check("preflight", tap)) {
				ret = CLI_EXIT_USAGE;
				goto out_args;
			}
		}
		else if (!strcmp(a, "--mac") && v) {
			if (wb_parse_mac(v, mac)) {
				ret = cli_usage_error("preflight", preflight_usage, "bad MAC address %s", v);
				goto out_args;
			}
			have_mac = 1;
			i++;
		} else if (!strcmp(a, "--read-all")) read_all = 1;
		else if (!strcmp(a, "--no-hash")) hash = 0;
		else if (!strcmp(a, "--no-disk")) disk = 0;
		else if (!strcmp(a, "--arch") && v) arch = v, i++;
		else if (!strcmp(a, "--filename") && v) filename = v, i++;
		else if (!strcmp(a, "--depth") && v) {
			if (pf_num(v, 32, &v64) || v64 < 1) {
				ret = cli_usage_error("preflight", preflight_usage, "--depth takes 1 to 32");
				goto out_args;
			}
			depth = (unsigned)v64;
			i++;
		}
		else if (a[0] != '-' && !root) root = a;
		else {
			if (a[0] == '-' && !v && pf_valued(a))
				ret = cli_usage_error("preflight", preflight_usage, "%s needs a value", a);
			else if (a[0] == '-')
				ret = cli_usage_error("preflight", preflight_usage, "unknown option '%s'", a);
			else
				ret = cli_usage_error("preflight", preflight_usage, "unexpected argument '%s'", a);
			goto out_args;
		}
	}
	if (!root) {
		ret = cli_usage_error("preflight", preflight_usage, "no ROOT-PATH given");
		goto out_args;
	}
	if (have_mac && !tap) {
		ret = cli_usage_error("preflight", preflight_usage, "--mac goes with --tap");
		goto out_args;
	}
	if (!cfg.user || !*cfg.user)
		cfg.secret = NULL;
	if (!cfg.reverse_user || !*cfg.reverse_user)
		cfg.reverse_secret = NULL;
	if ((cfg.user && !cfg.secret) || (cfg.reverse_user && !cfg.reverse_secret)) {
		fprintf(stderr, "wireboot preflight: a CHAP user needs its secret (--secret / --secret-file / WIREBOOT_SECRET, --reverse-secret / --reverse-secret-file / WIREBOOT_REVERSE_SECRET)\n");
		goto out_args;
	}
	if (cfg.reverse_user && !cfg.user) {
		fprintf(stderr, "wireboot preflight: mutual CHAP (--reverse-user) needs one-way CHAP (--user) too\n");
		goto out_args;
	}
	{
		struct iscsi_uri u;

		rc = iscsi_uri_parse(root, &u);
		if (rc) {
			fprintf(stderr, "wireboot preflight: %s: %s\n", root, wb_strerror(rc));
			goto out_args;
		}
	}
	rc = tls_rng_init(&rng);
	if (rc) {
		fprintf(stderr, "wireboot preflight: no entropy for CHAP challenges: %s\n", wb_strerror(rc));
		goto out_args;
	}
	cfg.root_path = root;
	cfg.depth = depth;
	cfg.readahead = (uint32_t)ra;
	cfg.login_timeout_ms = cfg.io_timeout_ms = (uint32_t)(timeout_s * 1000);
	cfg.retry_ms = (uint32_t)(retry_s * 1000);
	memset(&env, 0, sizeof(env));
	env.now_ms = plat_ms;
	env.rng = pf_rng;
	env.rng_arg = &rng;
	env.log = pf_log;
	if (tap) {
		if (host_tap_add(tap, have_mac ? mac : NULL)) {
			fprintf(stderr, "wireboot preflight: cannot use TAP device %s\n", tap);
			goto out_args;
		}
		host_console_output(2);   /* DHCP and lwIP lines are diagnostics: stderr */
		host_console_init();
		app_init();
		net_up = 1;
		rc = app_run_script("dhcp net0", 9, "preflight");
		if (rc || !app_net()) {
			fprintf(stderr, "wireboot preflight: DHCP on %s failed: %s\n", tap,
				wb_strerror(rc ? rc : -WB_ENODEV));
			goto out;
		}
		if (tcp_window)   /* e.g. U-Boot's window, to see what a board sees */
			net_set_tcp_window(app_net(), (uint32_t)tcp_window);
		net_set_ack_coalesce(app_net(), (int)ack_coalesce);
		env.connect = pf_net_connect;
		env.arg = app_net();
		net_tcp_poller(app_net(), &env.poller);
	} else {
		host_sigint_count_start();
		env.connect = pf_sock_connect;
		host_sock_poller(pf_cancel, &env.poller);
	}
	rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
	if (rc) {
		fprintf(stderr, "wireboot preflight: %s\n", msg);
		goto out;
	}
	{
		const struct san_info *in = san_info(d);
		long lunn = iscsi_uri_lun_number(in->lun);

		printf("target %s portal %s:%u tpgt %u%s\n", in->target, in->host, in->port, in->tpgt,
		       tap ? " (lwIP)" : "");
		printf("login ok: auth %s%s, digests header %s data %s, MaxRecvDataSegmentLength %u/%u\n",
		       pf_chap_name(in->chap_alg), in->mutual ? " mutual" : "", in->header_digest ? "CRC32C" : "None",
		       in->data_digest ? "CRC32C" : "None", (unsigned)in->max_recv_dsl, (unsigned)in->max_send_dsl);
		printf("LUN %ld: type 0x%02x vendor \"%s\" product \"%s\" revision \"%s\"%s%s\n", lunn,
		       in->peripheral_type, in->vendor, in->product, in->revision, in->removable ? " removable" : "",
		       in->read_only ? " write-protected" : "");
		printf("capacity %llu blocks x %u bytes = %llu bytes\n", (unsigned long long)in->blocks, in->block_size,
		       (unsigned long long)(in->blocks * in->block_size));
		fflush(stdout);
	}
	if (disk && pf_disk(d, arch, filename)) {
		san_close(d, 2000);
		d = NULL;
		goto out;
	}
	if (idle_s) {
		/* what a firmware timer does while GRUB owns the machine: san_poll()
		   only, which pings the target after 10 s of silence */
		uint64_t until = plat_ms() + idle_s * 1000;

		while (plat_ms() < until && !pf_cancel()) {
			san_poll(d);
			env.poller.poll(env.poller.arg);
		}
		if (pf_cancel()) {
			/* Ctrl-C ends the hold, not the session: it still logs out (within
			 * 2 s; a second SIGINT cancels that too), then exits 130 */
			pf_grace = host_sigint_count();
			read_all = 0;
			timeout_s = 2;
		}
		printf("idle: %llu s, %u NOP-Out pings sent, %u answered, %u target pings answered, %u reconnects\n",
		       idle_s, san_stats(d)->nops_sent, san_stats(d)->nops_answered, san_stats(d)->target_nops,
		       san_stats(d)->reconnects);
		fflush(stdout);
	}
	if (read_all) {
		rc = pf_read_all(d, depth, (uint32_t)chunk, hash);
		if (rc) {
			fprintf(stderr, "wireboot preflight: read-all: %s\n", san_error(d)[0] ? san_error(d) : wb_strerror(rc));
			san_close(d, 2000);
			d = NULL;
			goto out;
		}
	}
	rc = san_close(d, (uint32_t)(timeout_s * 1000));
	d = NULL;
	if (rc) {
		fprintf(stderr, "wireboot preflight: logout: %s\n", rc == -WB_EISCSIPROTO ? "target refused the logout" : wb_strerror(rc));
		goto out;
	}
	printf("logout ok\n");
	ret = 0;
out:
	fflush(stdout);
	if (d)
		san_close(d, 2000);
	if (net_up) {
		app_fini();
		host_links_close();
		host_console_restore();
	}
	if (pf_interrupted())   /* interrupted: 130, also when it still logged out cleanly */
		ret = CLI_EXIT_SIGINT;
out_args:
	cli_secret_free(secret_file);
	cli_secret_free(rsecret_file);
	return ret;
}
