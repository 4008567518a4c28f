/*
 * cmds_net.c — network commands in iPXE syntax (ipxe.org/cmd): dhcp/ifconf,
 * ifopen, ifclose, ifstat, ping, nslookup, ntp, vcreate, vdestroy, and
 * tcprecv (wireboot's own: receive a TCP stream, for the no-wedge test and
 * the benchmark).  Commands parse arguments; net/ does the work.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "net/net.h"
#include "net/tcpstream.h"
#include "platform/platform.h"
#include "script/script.h"
#include "tls/tls.h"

#define NET_CMD_TIMEOUT_MS 5000

/* Interfaces named in the operands, or every interface when none is named. */
static int for_each_if(struct script_ctx *ctx, const struct cmd_args *a,
		       int (*fn)(struct script_ctx *, struct net_if *), int stop_on_success)
{
	int rc = -WB_ENODEV;

	if (!ctx->net)
		return -WB_ENODEV;
	if (!a->argc) {
		for (int i = 0; i < net_count(ctx->net); i++) {
			struct net_if *nif = net_get(ctx->net, i);

			rc = fn(ctx, nif);
			if (!rc && stop_on_success)
				return 0;
			if (rc == -WB_ECANCELED)
				return rc;
			/* name the interface: the caller's error line will not */
			if (rc && stop_on_success && net_count(ctx->net) > 1)
				wb_printf("%s: %s\n", net_if_name(nif), wb_strerror(rc));
		}
		return rc;
	}
	for (int i = 0; i < a->argc; i++) {
		struct net_if *nif = net_find(ctx->net, a->argv[i]);

		if (!nif) {
			wb_printf("%s: %s\n", a->argv[i], wb_strerror(-WB_ENODEV));
			return -WB_ENODEV;
		}
		rc = fn(ctx, nif);
		if (rc)
			return rc;
	}
	return rc;
}

static int do_dhcp(struct script_ctx *ctx, struct net_if *nif)
{
	return net_dhcp(ctx->net, nif);
}

/* dhcp [netX…]: with no name, each interface in turn until one succeeds */
static int cmd_dhcp(struct script_ctx *ctx, const struct cmd_args *a)
{
	return for_each_if(ctx, a, do_dhcp, 1);
}

static int do_ifopen(struct script_ctx *ctx, struct net_if *nif)
{
	int rc = net_if_open(ctx->net, nif);
	char full[48];

	if (rc)
		return rc;
	/* a static address set beforehand (set net0/ip …) takes effect now */
	wb_snprintf(full, sizeof(full), "%s/ip", net_if_name(nif));
	if (settings_get(&ctx->settings, full, NULL))
		return net_if_configure_static(ctx->net, nif);
	return 0;
}

static int cmd_ifopen(struct script_ctx *ctx, const struct cmd_args *a)
{
	return for_each_if(ctx, a, do_ifopen, 0);
}

static int do_ifclose(struct script_ctx *ctx, struct net_if *nif)
{
	net_if_close(ctx->net, nif);
	return 0;
}

static int cmd_ifclose(struct script_ctx *ctx, const struct cmd_args *a)
{
	return for_each_if(ctx, a, do_ifclose, 0);
}

static int do_ifstat(struct script_ctx *ctx, struct net_if *nif)
{
	struct net_counters c;
	uint8_t mac[6], ip[4], mask[4], gw[4];
	char m[18], a[16], k[16], g[16];
	int link = net_if_link_state(nif);

	net_if_mac(nif, mac);
	net_if_addr(nif, ip, mask, gw);
	net_if_counters(nif, &c);
	wb_printf("%s: %s %s, link %s", net_if_name(nif), wb_fmt_mac(mac, m),
		  net_if_is_open(nif) ? "open" : "closed",
		  link > 0 ? "up" : link == 0 ? "down" : "unknown");
	if (net_if_vlan_tag(nif))
		wb_printf(", VLAN %u", net_if_vlan_tag(nif));
	wb_puts("\n");
	if (ip[0] | ip[1] | ip[2] | ip[3])
		wb_printf("  ip %s netmask %s gateway %s\n", wb_fmt_ipv4(ip, a),
			  wb_fmt_ipv4(mask, k), wb_fmt_ipv4(gw, g));
	wb_printf("  TX: %llu frames %llu bytes %llu errors %llu busy\n",
		  (unsigned long long)c.tx_frames, (unsigned long long)c.tx_bytes,
		  (unsigned long long)c.tx_errors, (unsigned long long)c.tx_busy);
	wb_printf("  RX: %llu frames %llu bytes %llu dropped %llu unknown-VLAN\n",
		  (unsigned long long)c.rx_frames, (unsigned long long)c.rx_bytes,
		  (unsigned long long)c.rx_dropped, (unsigned long long)c.rx_vlan_unknown);
	return 0;
}

static int cmd_ifstat(struct script_ctx *ctx, const struct cmd_args *a)
{
	return for_each_if(ctx, a, do_ifstat, 0);
}

/* Numeric option @name of @a, or @def when not given.  -WB_EUSAGE if bad. */
static int opt_num(const struct cmd_args *a, int k, unsigned long long max,
		   unsigned long long def, unsigned long long *out)
{
	*out = def;
	if (!a->given[k])
		return 0;
	return wb_parse_uint(a->val[k], max, out) ? -WB_EUSAGE : 0;
}

static int need_net(struct script_ctx *ctx)
{
	if (!ctx->net || !net_first_open(ctx->net))
		return -WB_ENOTOPEN;
	return 0;
}

/* ping [--count N] [--timeout MS] HOST */
static int cmd_ping(struct script_ctx *ctx, const struct cmd_args *args)
{
	unsigned long long count, timeout;
	int got = 0, rc;
	uint8_t ip[4];
	char a[16];

	if (opt_num(args, 0, 1000000, 4, &count) || opt_num(args, 1, 600000, 1000, &timeout) ||
	    !count)
		return -WB_EUSAGE;
	if ((rc = need_net(ctx)))
		return rc;
	rc = net_resolve(ctx->net, args->argv[0], ip, NET_CMD_TIMEOUT_MS);
	if (rc)
		return rc;
	for (unsigned long long seq = 1; seq <= count; seq++) {
		uint32_t rtt;

		rc = net_ping(ctx->net, ip, (uint16_t)seq, (uint32_t)timeout, &rtt);
		if (rc == -WB_ECANCELED || rc == -WB_ENOROUTE)
			return rc;
		if (!rc) {
			got++;
			wb_printf("64 bytes from %s: seq=%llu time=%ums\n", wb_fmt_ipv4(ip, a), seq,
				  (unsigned)rtt);
		} else {
			wb_printf("from %s: seq=%llu no reply within %llums\n", wb_fmt_ipv4(ip, a), seq,
				  timeout);
		}
	}
	wb_printf("%s: %d/%llu replies\n", wb_fmt_ipv4(ip, a), got, count);
	return got ? 0 : -WB_EPINGTIMEOUT;
}

/* nslookup SETTING HOST */
static int cmd_nslookup(struct script_ctx *ctx, const struct cmd_args *args)
{
	char **argv = args->argv - 1;
	uint8_t ip[4];
	char a[16];
	int rc;

	if ((rc = need_net(ctx)))
		return rc;
	rc = net_resolve(ctx->net, argv[2], ip, NET_CMD_TIMEOUT_MS);
	if (rc) {
		if (rc == -WB_EDNS)
			wb_printf("nslookup: %s: no A record\n", argv[2]);
		return rc;
	}
	return settings_set(&ctx->settings, argv[1], wb_fmt_ipv4(ip, a));
}

/* ntp SERVER: set the wall clock from an SNTP server */
static int cmd_ntp(struct script_ctx *ctx, const struct cmd_args *args)
{
	struct net_sntp_info info;
	uint8_t ip[4];
	int64_t t;
	char a[16], when[20];
	int rc;

	if ((rc = need_net(ctx)))
		return rc;
	rc = net_resolve(ctx->net, args->argv[0], ip, NET_CMD_TIMEOUT_MS);
	if (rc)
		return rc;
	rc = net_sntp(ctx->net, ip, 6000, &t, &info);
	if (rc == -WB_ENTPPAST) {
		char built[20];

		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s says %s UTC; built %s UTC",
			    wb_fmt_ipv4(ip, a), wallclock_fmt(t, when),
			    wallclock_fmt(info.not_before, built));
	} else if (rc == -WB_ENTPFEW) {   /* what came, and why the last was not believed */
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%d valid, %u ignored; the last: %s",
			    info.valid, info.ignored, wb_strerror(info.last_refusal));
	}
	if (rc)
		return rc;
	wallclock_set(&ctx->clock, t);
	wb_printf("ntp: %s UTC from %s (median of %d replies, %u ignored)\n", wallclock_fmt(t, when),
		  wb_fmt_ipv4(ip, a), info.valid, info.ignored);
	return 0;
}

/* vcreate --tag N [--priority P] netX */
static int cmd_vcreate(struct script_ctx *ctx, const struct cmd_args *a)
{
	unsigned long long tag = 0, prio = 0;
	struct net_if *parent, *nif;
	char **argv = a->argv;
	int i = 0, rc;

	if (!a->given[0] || opt_num(a, 0, 4094, 0, &tag) || !tag ||
	    opt_num(a, 1, 7, 0, &prio))
		return -WB_EUSAGE;
	if (!ctx->net || !(parent = net_find(ctx->net, argv[i]))) {
		wb_printf("%s: %s\n", argv[i], wb_strerror(-WB_ENODEV));
		return -WB_ENODEV;
	}
	rc = net_vlan_create(ctx->net, parent, (unsigned)tag, &nif);
	if (rc == -WB_EEXIST)
		wb_printf("vcreate: %s-%llu already exists\n", argv[i], tag);
	else if (rc == -WB_EINVAL)
		wb_printf("vcreate: %s is itself a VLAN\n", argv[i]);
	if (!rc)
		wb_printf("%s: VLAN %llu on %s\n", net_if_name(nif), tag, argv[i]);
	return rc;
}

static int cmd_vdestroy(struct script_ctx *ctx, const struct cmd_args *a)
{
	char **argv = a->argv - 1;
	struct net_if *nif;
	int rc;

	if (!ctx->net || !(nif = net_find(ctx->net, argv[1]))) {
		wb_printf("%s: %s\n", argv[1], wb_strerror(-WB_ENODEV));
		return -WB_ENODEV;
	}
	rc = net_vlan_destroy(ctx->net, nif);
	if (rc == -WB_EINVAL)
		wb_printf("vdestroy: %s is not a VLAN\n", argv[1]);
	return rc;
}

/* tlsbench [MIB]: the TLS record crypto alone, both AEAD suites (test/bench) */
static int cmd_tlsbench(struct script_ctx *ctx, const struct cmd_args *a)
{
	const char *na = settings_get(&ctx->settings, "tls-no-aesni", NULL);
	unsigned long long mib = 16;
	struct tls_aead_bench r;
	int rc;

	if (a->argc && (wb_parse_uint(a->argv[0], 1024, &mib) || !mib))
		return -WB_EUSAGE;
	rc = tls_aead_bench((size_t)mib << 20, na && !strcmp(na, "1"), &r);
	if (rc)
		return rc;
	wb_printf("tlsbench: ChaCha20-Poly1305 (%s): %llu MiB in %llu ms (%llu KiB/s)\n", r.chacha_impl,
		  mib, (unsigned long long)r.chacha_ms,
		  (unsigned long long)(r.chacha_ms ? (mib << 10) * 1000 / r.chacha_ms : 0));
	wb_printf("tlsbench: AES-128-GCM (%s): %llu MiB in %llu ms (%llu KiB/s)\n", r.gcm_impl,
		  mib, (unsigned long long)r.gcm_ms,
		  (unsigned long long)(r.gcm_ms ? (mib << 10) * 1000 / r.gcm_ms : 0));
	return 0;
}

/* tcprecv --profile: where the time went (struct net_prof), per frame and as shares */
static void tcprecv_profile(const struct net_prof *p)
{
	static const char *const names[] = { "link rx", "empty polls", "pbuf copy", "lwIP input",
					     "link tx", "timers", "stream copy", "caller" };
	uint64_t hz = plat_ticks_hz(), t[8], frames = p->rx_frames ? p->rx_frames : 1, sum = 0;
	char line[400];
	size_t o;

	if (!hz || !p->ticks) {
		wb_printf("tcprecv: profile: no counter on this platform\n");
		return;
	}
	t[0] = p->t_rx_frame;
	t[1] = p->t_rx_empty;
	t[2] = p->t_pbuf;
	t[3] = p->t_input;
	t[4] = p->t_tx;
	t[5] = p->t_timers;
	t[6] = p->t_stream_copy;
	for (int i = 0; i < 7; i++)
		sum += t[i];
	t[7] = p->ticks > sum ? p->ticks - sum : 0;   /* the caller: CRC-32, its loop, clocks */
	wb_printf("tcprecv: profile: %llu ms, %llu frames received (%llu/s), %llu sent, %llu polls (%llu found nothing)\n",
		  (unsigned long long)(p->ticks * 1000 / hz), (unsigned long long)p->rx_frames,
		  (unsigned long long)(p->rx_frames * hz / p->ticks), (unsigned long long)p->tx_frames,
		  (unsigned long long)p->polls, (unsigned long long)p->empty_polls);
	o = (size_t)wb_snprintf(line, sizeof(line), "tcprecv: profile: us per received frame:");
	for (int i = 0; i < 8 && o < sizeof(line); i++) {
		uint64_t tenths = t[i] * 10000000 / hz / frames;

		o += (size_t)wb_snprintf(line + o, sizeof(line) - o, "%s %s %llu.%llu", i ? "," : "", names[i],
					 (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
	}
	wb_printf("%s\n", line);
	o = (size_t)wb_snprintf(line, sizeof(line), "tcprecv: profile: share of time %%:");
	for (int i = 0; i < 8 && o < sizeof(line); i++) {
		uint64_t pm = t[i] * 1000 / p->ticks;

		o += (size_t)wb_snprintf(line + o, sizeof(line) - o, "%s %s %llu.%llu", i ? "," : "", names[i],
					 (unsigned long long)(pm / 10), (unsigned long long)(pm % 10));
	}
	wb_printf("%s\n", line);
}

/* tcprecv [--profile] HOST PORT: read a TCP stream to its end; print size, time, CRC-32 */
static int cmd_tcprecv(struct script_ctx *ctx, const struct cmd_args *a)
{
	char **argv = a->argv - 1;
	unsigned long long port;
	struct stream_poller poller;
	struct stream *s;
	uint8_t ip[4], *buf;
	uint64_t total = 0, start, last_data, last_note;
	uint32_t crc = 0;
	int rc, profile = a->given[0];

	if (wb_parse_uint(argv[2], 65535, &port) || !port)
		return -WB_EUSAGE;
	if ((rc = need_net(ctx)))
		return rc;
	rc = net_resolve(ctx->net, argv[1], ip, NET_CMD_TIMEOUT_MS);
	if (rc)
		return rc;
	buf = plat_malloc(16384);
	if (!buf)
		return -WB_ENOMEM;
	rc = net_tcp_connect(ctx->net, ip, (uint16_t)port, &s);
	if (rc)
		goto out_free;
	net_tcp_poller(ctx->net, &poller);
	rc = stream_wait_open(s, &poller, 10000);
	if (rc)
		goto out_close;
	start = last_data = last_note = plat_ms();
	if (profile)
		net_prof_start(ctx->net);
	for (;;) {
		int n = stream_recv(s, buf, 16384);
		uint64_t now;

		if (n > 0) {
			crc = wb_crc32(crc, buf, (size_t)n);
			total += (uint64_t)n;
			last_data = plat_ms();
			continue;
		}
		if (n == -WB_ECLOSED) {
			rc = 0;
			break;
		}
		if (n < 0) {
			rc = n;
			break;
		}
		net_poll(ctx->net);
		now = plat_ms();
		if (now - last_data > 30000) {
			rc = -WB_ETIMEDOUT;
			break;
		}
		if (now - last_note >= 5000) {   /* progress on long transfers */
			wb_printf("tcprecv: %llu bytes so far\n", (unsigned long long)total);
			last_note = now;
		}
		if (script_cancel_pressed()) {
			rc = -WB_ECANCELED;
			break;
		}
	}
	{
		uint64_t ms = plat_ms() - start;
		struct net_prof prof;

		if (profile)
			net_prof_stop(ctx->net, &prof);
		if (!ms)
			ms = 1;
		wb_printf("tcprecv: %llu bytes in %llu ms (%llu KiB/s) crc32 %08x%s\n",
			  (unsigned long long)total, (unsigned long long)ms,
			  (unsigned long long)(total * 1000 / 1024 / ms), crc,
			  rc ? " (incomplete)" : "");
		if (profile)
			tcprecv_profile(&prof);
	}
out_close:
	stream_close(s);
out_free:
	plat_free(buf);
	return rc;
}

static const struct cmd_opt ping_opts[] = { { "count", 'c', 1 }, { "timeout", 't', 1 } };
static const struct cmd_opt vcreate_opts[] = { { "tag", 't', 1 }, { "priority", 'p', 1 } };
static const struct cmd_opt tcprecv_opts[] = { { "profile", 'p', 0 } };

static const struct cmd net_cmds[] = {
	{ "dhcp", cmd_dhcp, "dhcp [netX...]", "configure interfaces by DHCP", NULL, 0, 0, CMD_ARGS_ANY },
	{ "ifconf", cmd_dhcp, "ifconf [netX...]", "same as dhcp", NULL, 0, 0, CMD_ARGS_ANY },
	{ "ifopen", cmd_ifopen, "ifopen [netX...]", "open interfaces (static netX/ip applies)",
	  NULL, 0, 0, CMD_ARGS_ANY },
	{ "ifclose", cmd_ifclose, "ifclose [netX...]", "close interfaces", NULL, 0, 0, CMD_ARGS_ANY },
	{ "ifstat", cmd_ifstat, "ifstat [netX...]", "show interfaces and counters",
	  NULL, 0, 0, CMD_ARGS_ANY },
	{ "ping", cmd_ping, "ping [--count N] [--timeout MS] HOST", "ICMP echo", ping_opts, 2, 1, 1 },
	{ "nslookup", cmd_nslookup, "nslookup SETTING HOST", "resolve HOST into SETTING",
	  NULL, 0, 2, 2 },
	{ "ntp", cmd_ntp, "ntp SERVER", "set the wall clock by SNTP", NULL, 0, 1, 1 },
	{ "vcreate", cmd_vcreate, "vcreate --tag N [--priority P] netX",
	  "create 802.1Q VLAN netX-N", vcreate_opts, 2, 1, 1 },
	{ "vdestroy", cmd_vdestroy, "vdestroy netX-N", "destroy a VLAN interface", NULL, 0, 1, 1 },
	{ "tcprecv", cmd_tcprecv, "tcprecv [--profile] HOST PORT", "receive a TCP stream (test/bench)",
	  tcprecv_opts, 1, 2, 2 },
	{ "tlsbench", cmd_tlsbench, "tlsbench [MIB]", "time TLS record crypto, both suites (test/bench)",
	  NULL, 0, 0, 1 },
};

static const struct cmd_table net_table = { net_cmds, WB_ARRAY_SIZE(net_cmds) };

void script_register_net(struct script_ctx *ctx)
{
	script_register(ctx, &net_table);
}
