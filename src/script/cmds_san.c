/*
 * cmds_san.c — SAN commands in iPXE syntax (ipxe.org/cmd/sanboot):
 *
 *   sanhook [--drive N] [--no-describe] [--verify [--map URI] [--map-sha256 HEX]] URI
 *   sanboot [--drive N] [--filename PATH] [--keep] [--no-describe]
 *           [--verify [--map URI] [--map-sha256 HEX]] [URI]
 *   sanunhook [--drive N]
 *
 * URI: iscsi:… (RFC 4173, san/san.h) or http://…, https://… (a disk image
 * read with range requests, san/san_http.h: read-only; the TLS server is
 * checked against the trust anchors of the image commands, ctx->connect_tls;
 * never described by an iBFT, which knows only iSCSI).  --verify (HTTP only;
 * --map or --map-sha256 imply it) checks every chunk against a manifest
 * (san/wbmap.h; `wireboot mkmap`) fetched from --map, else URI + ".wbmap".
 * The manifest is trusted through --map-sha256 (SHA-256 of the manifest
 * file, compared in constant time) or, without it, a detached CMS signature
 * at the manifest's URI + ".sig" verified as imgverify does (code-signing
 * anchors); neither → nothing is hooked (-WB_EWBMAPTRUST).
 *
 * Drives are numbered from 0x80 as in iPXE.  Hooking a drive = log in
 * (san/san.h over lwIP TCP) and publish the LUN to the firmware
 * (platform.h plat_san_publish: EFI Block IO + ConnectController), then,
 * unless --no-describe, describe it to the OS (plat_san_describe: an iBFT in
 * ACPI where the firmware has EFI_ACPI_TABLE_PROTOCOL; where it has not, a
 * line says so and the command still succeeds).  A failed login publishes
 * nothing.  `sanboot` starts the boot file of the
 * disk's file system (--filename, else ${san-filename}, else
 * \EFI\BOOT\BOOTAA64.EFI or BOOTX64.EFI); when that program returns, a
 * drive this command hooked is unhooked again unless --keep.
 *
 * Settings (iPXE's names): username, password (one-way CHAP),
 * reverse-username, reverse-password (mutual CHAP), initiator-iqn,
 * san-filename; chap-algorithms (CHAP_A offer, default 7,6,5),
 * chap-allow-same-secret, chap-allow-short-secret (set to anything but 0:
 * relax RFC 7143 section 12.1.3's rules).  The initiator name is ${initiator-iqn} (set by hand, or by
 * DHCP option 203 into the interface's scope), else derived from the
 * machine: iqn.2026-11.io.wireboot:<SMBIOS UUID>, else
 * iqn.2026-11.io.wireboot:mac-<MAC of the interface> (docs/iscsi.md).
 *
 * Ctrl-C: honoured while a command logs in; never while another program
 * (GRUB, an OS loader) owns the console and reads through the disk — its
 * keys are not ours to take.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settings.h"
#include "core/util.h"
#include "disk/inspect.h"
#include "net/net.h"
#include "net/tcpstream.h"
#include "platform/platform.h"
#include "proto/chap.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_uri.h"
#include "proto/http_client.h"
#include "proto/uri.h"
#include "san/san.h"
#include "san/san_http.h"
#include "san/wbmap.h"
#include "script/script.h"
#include "tls/cms.h"
#include "tls/tls.h"
#include "tls/trust.h"

#define SAN_DRIVE_FIRST 0x80
#define SAN_UNHOOK_LOGOUT_MS 5000
#define SAN_EBS_LOGOUT_MS 500
#define SAN_IQN_PREFIX "iqn.2026-11.io.wireboot:"
#define SAN_CMD_MSG_MAX 320   /* >= SAN_MSG_MAX; platform messages are longer */

struct san_drive {
	struct san_drive *next;
	struct script_ctx *ctx;
	unsigned number;
	struct san_dev *dev;
	struct plat_san *pub;
	struct san_env env;
	br_hmac_drbg_context drbg;
	uint8_t *map_buf;               /* --verify: the manifest (plat_malloc'd), outlives dev */
	struct wbmap map;               /* points into map_buf */
	char uri[512];
	char shown[512];                /* what messages show: no user info, query as "?..." */
};

/* What the hooking commands' options asked for. */
struct san_hook_opts {
	int describe;                   /* not --no-describe */
	int verify;                     /* --verify (or --map / --map-sha256) */
	const char *map;                /* --map URI, or NULL: URI + ".wbmap" */
	const char *map_sha256;         /* --map-sha256 HEX, or NULL: a signature */
};

/* 1 while a SAN command of ours waits (login, logout): Ctrl-C counts then. */
static int san_cancel_armed;

static int san_cancel(void)
{
	return san_cancel_armed ? script_cancel_pressed() : 0;
}

/*
 * A read or write of the firmware or of a booted program (GRUB's
 * ReadBlocks) that has had no answer from the target for SAN_STALL_MS:
 * Ctrl-C ends it with an error (san.h stall_cancel).  Only then is the
 * console read, so keys typed during such a stall are consumed (they go to
 * wireboot's type-ahead, not to the program that was reading).
 */
static int san_stall_cancel(void *arg)
{
	(void)arg;
	return script_cancel_pressed();
}

/* ---- the device's environment ----------------------------------------- */

static int san_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	struct san_drive *d = arg;

	return net_tcp_connect_host(d->ctx->net, host, port, out);
}

static int san_connect_tls(void *arg, const char *host, uint16_t port, struct stream **out)
{
	struct san_drive *d = arg;

	if (!d->ctx->connect_tls)
		return -WB_ENOTLS;
	return d->ctx->connect_tls(d->ctx, host, port, out);
}

static int san_rng(void *arg, void *buf, size_t len)
{
	struct san_drive *d = arg;

	br_hmac_drbg_generate(&d->drbg, buf, len);
	return 0;
}

static void san_log(void *arg, const char *line)
{
	(void)arg;
	wb_printf("%s\n", line);
}

/* ---- what the platform calls (plat_disk_ops) ---------------------------- */

static int san_op_read(void *arg, uint64_t lba, uint32_t n, void *buf)
{
	struct san_drive *d = arg;
	int rc;

	if (!d->dev)
		return -WB_ENOTOPEN;
	rc = san_read(d->dev, lba, n, buf);
	if (rc && *san_error(d->dev))
		wb_printf("san: drive 0x%x: %s\n", d->number, san_error(d->dev));
	return rc;
}

static int san_op_write(void *arg, uint64_t lba, uint32_t n, const void *buf)
{
	struct san_drive *d = arg;
	int rc;

	if (!d->dev)
		return -WB_ENOTOPEN;
	rc = san_write(d->dev, lba, n, buf);
	if (rc && *san_error(d->dev))
		wb_printf("san: drive 0x%x: %s\n", d->number, san_error(d->dev));
	return rc;
}

static int san_op_flush(void *arg)
{
	struct san_drive *d = arg;

	return d->dev ? san_flush(d->dev) : -WB_ENOTOPEN;
}

static void san_op_poll(void *arg)
{
	struct san_drive *d = arg;

	if (!d->dev)
		return;
	net_poll(d->ctx->net);
	san_poll(d->dev);
}

/*
 * ExitBootServices: log out now, while the NIC still runs; nothing is freed.
 * The Logout request and our FIN go out at once; the answer may not come
 * back: U-Boot stops its receive timer before it signals ExitBootServices,
 * so there only the sending half works.
 */
static void san_op_shutdown(void *arg)
{
	struct san_drive *d = arg;
	int rc;

	if (!d->dev)
		return;
	rc = san_close(d->dev, SAN_EBS_LOGOUT_MS);
	d->dev = NULL;
	if (!rc)
		wb_printf("san: drive 0x%x: logged out before the OS took over\n", d->number);
	else if (rc == -WB_ETIMEDOUT)
		wb_printf("san: drive 0x%x: logout sent and connection closed before the OS took over "
			  "(no answer within %u ms: the firmware may have stopped receiving)\n", d->number,
			  (unsigned)SAN_EBS_LOGOUT_MS);
	else
		wb_printf("san: drive 0x%x: logout at ExitBootServices failed: %s\n", d->number,
			  wb_strerror(rc));
}

static const struct plat_disk_ops san_disk_ops = {
	san_op_read, san_op_write, san_op_flush, san_op_poll, san_op_shutdown,
};

/* ---- drives --------------------------------------------------------------- */

static struct san_drive *san_find(struct script_ctx *ctx, unsigned number)
{
	for (struct san_drive *d = ctx->san; d; d = d->next)
		if (d->number == number)
			return d;
	return NULL;
}

/* Free a drive whose device is closed (or was never opened). */
static void san_drive_free(struct san_drive *d)
{
	memset(&d->drbg, 0, sizeof(d->drbg));
	plat_free(d->map_buf);
	plat_free(d);
}

/* Withdraw from the firmware, log out, free. */
static void san_unhook(struct script_ctx *ctx, struct san_drive *d)
{
	struct san_drive **pp;
	int rc = 0;

	for (pp = (struct san_drive **)&ctx->san; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	plat_san_unpublish(d->pub);
	if (d->dev) {
		rc = san_close(d->dev, SAN_UNHOOK_LOGOUT_MS);
		d->dev = NULL;
	}
	if (rc)
		wb_printf("san: drive 0x%x: logout: %s\n", d->number, wb_strerror(rc));
	san_drive_free(d);
}

void script_san_fini(struct script_ctx *ctx)
{
	while (ctx->san) {
		struct san_drive *d = ctx->san;

		wb_printf("san: drive 0x%x unhooked: wireboot is exiting and its network with it\n",
			  d->number);
		san_unhook(ctx, d);
	}
}

/*
 * Our initiator name: ${initiator-iqn} (global, or DHCP option 203 in an
 * interface scope), else from the SMBIOS UUID, else from @mac.
 */
static void san_initiator(struct script_ctx *ctx, const uint8_t mac[6], char *out, size_t cap,
			  const char **source)
{
	const char *scope = NULL, *v = settings_get(&ctx->settings, "initiator-iqn", &scope);

	if (v && *v) {
		wb_strlcpy(out, v, cap);
		*source = scope && *scope ? "DHCP option 203" : "initiator-iqn";
		return;
	}
	v = settings_get(&ctx->settings, "smbios/uuid", NULL);
	if (v && *v) {
		size_t n = (size_t)wb_snprintf(out, cap, SAN_IQN_PREFIX "%s", v);

		for (size_t i = sizeof(SAN_IQN_PREFIX) - 1; i < n && i < cap; i++)
			if (out[i] >= 'A' && out[i] <= 'Z')
				out[i] = (char)(out[i] - 'A' + 'a');   /* iSCSI names are lower case */
		*source = "SMBIOS UUID";
		return;
	}
	wb_snprintf(out, cap, SAN_IQN_PREFIX "mac-%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2],
		    mac[3], mac[4], mac[5]);
	*source = "MAC address";
}

static const char *san_chap_name(uint8_t alg)
{
	switch (alg) {
	case 5: return "MD5";
	case 6: return "SHA-1";
	case 7: return "SHA-256";
	default: return "?";
	}
}

/* The drive number of --drive, or 0x80.  -WB_EUSAGE when malformed. */
static int san_drive_opt(const struct cmd *c, const struct cmd_args *a, unsigned *out)
{
	const char *v = cmd_optval(c, a, "drive");
	unsigned long long n = SAN_DRIVE_FIRST;

	if (v && wb_parse_uint(v, 0xff, &n))
		return -WB_EUSAGE;
	*out = (unsigned)n;
	return 0;
}

static const char *san_get(struct script_ctx *ctx, const char *name)
{
	const char *v = settings_get(&ctx->settings, name, NULL);

	return v && *v ? v : NULL;
}

/* a yes/no setting: set and not "0" */
static int san_flag(struct script_ctx *ctx, const char *name)
{
	const char *v = san_get(ctx, name);

	return v && strcmp(v, "0") != 0;
}

/*
 * CHAP policy from the settings: ${chap-algorithms} into @algs (all 0 when
 * unset: the login's default 7,6,5), the allow flags into *@flags.
 * 0 or -WB_ECHAPALGLIST.
 */
static int san_chap_settings(struct script_ctx *ctx, uint8_t algs[3], unsigned *flags)
{
	const char *v = san_get(ctx, "chap-algorithms");

	memset(algs, 0, 3);
	*flags = 0;
	if (san_flag(ctx, "chap-allow-same-secret"))
		*flags |= ISCSI_CHAP_ALLOW_SAME_SECRET;
	if (san_flag(ctx, "chap-allow-short-secret"))
		*flags |= ISCSI_CHAP_ALLOW_SHORT_SECRET;
	return v ? chap_parse_alg_list(v, algs) : 0;
}

/*
 * The per-command recovery bounds (docs/commands.md): san-retries, reissues
 * of one command after lost connections (0-100; 0 = never reissue), and
 * san-command-timeout, one request's total time in seconds (1-86400).
 * Unset: the SAN layer's defaults (3 and 180 s).  -WB_EINVAL with a line
 * saying what is allowed.
 */
static int san_bounds(struct script_ctx *ctx, const char *cmd, uint32_t *reissues, uint32_t *timeout_ms)
{
	const char *v = san_get(ctx, "san-retries");
	unsigned long long n;

	*reissues = 0;
	*timeout_ms = 0;
	if (v) {
		if (wb_parse_uint(v, 100, &n)) {
			wb_printf("%s: san-retries must be 0 to 100 (reissues of one command), not \"%s\"\n", cmd, v);
			return -WB_EINVAL;
		}
		*reissues = n ? (uint32_t)n : SAN_NO_REISSUE;
	}
	v = san_get(ctx, "san-command-timeout");
	if (v) {
		if (wb_parse_uint(v, 86400, &n) || n == 0) {
			wb_printf("%s: san-command-timeout must be 1 to 86400 seconds, not \"%s\"\n", cmd, v);
			return -WB_EINVAL;
		}
		*timeout_ms = (uint32_t)n * 1000u;
	}
	return 0;
}

/*
 * @uri as messages show it (d->shown): http(s) without user info and with
 * a query as "?..."; iSCSI as given.
 */
static void san_shown(struct san_drive *d, const char *uri, int http)
{
	struct uri u;

	if (!http) {
		wb_strlcpy(d->shown, uri, sizeof(d->shown));
		return;
	}
	memset(&u, 0, sizeof(u));
	if (!uri_parse(uri, &u) && u.scheme && u.host)
		http_log_url(&u, d->shown, sizeof(d->shown));
	else
		wb_strlcpy(d->shown, "(URI not shown)", sizeof(d->shown));
	uri_free(&u);
}

/*
 * The URL for the device path (desc.uri, UEFI URI node): scheme://host[:port]/path,
 * without user info, query or fragment (secrets never go into a device path).
 */
static int san_dp_url(const char *uri, char *out, size_t cap)
{
	struct uri u;
	int rc;

	memset(&u, 0, sizeof(u));
	rc = uri_parse(uri, &u);
	if (!rc && (!u.scheme || !u.host))
		rc = -WB_EURISYNTAX;
	if (!rc) {
		char port[8] = "";

		if (u.has_port)
			wb_snprintf(port, sizeof(port), ":%u", (unsigned)u.port);
		if ((size_t)wb_snprintf(out, cap, "%s://%s%s%s", u.scheme, u.host, port, u.path) >= cap)
			rc = -WB_ETOOBIG;
	}
	uri_free(&u);
	return rc;
}

/* 1 when @uri starts with @scheme (lower case), in any case */
static int san_has_scheme(const char *uri, const char *scheme)
{
	for (; *scheme; uri++, scheme++)
		if (*uri != *scheme && !(*uri >= 'A' && *uri <= 'Z' && *uri - 'A' + 'a' == *scheme))
			return 0;
	return 1;
}

static int san_is_http(const char *uri)
{
	return san_has_scheme(uri, "http://") || san_has_scheme(uri, "https://");
}

/* @uri with @suffix appended to its path (before a query or fragment); 0 or -WB_ETOOBIG. */
static int san_uri_suffix(const char *uri, const char *suffix, char *out, size_t cap)
{
	size_t cut = 0, sl = strlen(suffix), rest;

	while (uri[cut] && uri[cut] != '?' && uri[cut] != '#')
		cut++;
	rest = strlen(uri + cut);
	if (cut + sl + rest + 1 > cap)
		return -WB_ETOOBIG;
	memcpy(out, uri, cut);
	memcpy(out + cut, suffix, sl);
	memcpy(out + cut + sl, uri + cut, rest + 1);
	return 0;
}

/* 64 hex digits → 32 bytes; 0 or -WB_EUSAGE. */
static int san_parse_sha256(const char *hex, uint8_t out[32])
{
	if (strlen(hex) != 64)
		return -WB_EUSAGE;
	for (size_t i = 0; i < 32; i++) {
		int hi = wb_hexval(hex[2 * i]), lo = wb_hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -WB_EUSAGE;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* 1 when the 32 bytes are equal; time independent of where they differ. */
static int san_ct_equal32(const uint8_t *a, const uint8_t *b)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < 32; i++)
		acc |= (uint8_t)(a[i] ^ b[i]);
	return acc == 0;
}

/*
 * --verify: fetch the manifest of @uri, trust it (--map-sha256, else a
 * detached signature at its URI + ".sig"), parse it into d->map (d->map_buf
 * owns the bytes).  Prints what failed as "@cmd: ...".  0 or a negative WB_E*.
 */
static int san_load_map(struct script_ctx *ctx, const char *cmd, struct san_drive *d, const char *uri,
			const struct san_hook_opts *o)
{
	char mapuri[sizeof(d->uri) + 16], siguri[sizeof(mapuri) + 8], shown[sizeof(d->shown)];
	uint8_t want[32], got[32], *sig = NULL;
	size_t len = 0, slen = 0;
	br_sha256_context h;
	struct san_drive tmp;
	int rc;

	if (o->map_sha256 && san_parse_sha256(o->map_sha256, want)) {
		wb_printf("%s: --map-sha256 wants the manifest's SHA-256 as 64 hex digits\n", cmd);
		return -WB_EUSAGE;
	}
	if (o->map)
		rc = wb_strlcpy(mapuri, o->map, sizeof(mapuri)) < sizeof(mapuri) ? 0 : -WB_ETOOBIG;
	else
		rc = san_uri_suffix(uri, ".wbmap", mapuri, sizeof(mapuri));
	if (!rc)
		rc = san_uri_suffix(mapuri, ".sig", siguri, sizeof(siguri));
	if (rc)
		return rc;
	san_shown(&tmp, mapuri, san_is_http(mapuri));
	wb_strlcpy(shown, tmp.shown, sizeof(shown));
	if (!ctx->fetch) {
		wb_printf("%s: manifest %s: %s\n", cmd, shown, wb_strerror(-WB_ENOFETCH));
		return -WB_ENOFETCH;
	}
	ctx->detail[0] = '\0';
	rc = ctx->fetch(ctx, mapuri, &d->map_buf, &len);
	if (rc) {
		wb_printf("%s: manifest %s: %s%s%s\n", cmd, shown, wb_strerror(rc), ctx->detail[0] ? ": " : "",
			  ctx->detail);
		return rc;
	}
	if (o->map_sha256) {
		br_sha256_init(&h);
		br_sha256_update(&h, d->map_buf, len);
		br_sha256_out(&h, got);
		if (!san_ct_equal32(got, want)) {
			wb_printf("%s: manifest %s: its SHA-256 differs from --map-sha256; not trusted, nothing "
				  "hooked\n", cmd, shown);
			return -WB_EWBMAPTRUST;
		}
		wb_printf("%s: manifest %s: SHA-256 matches --map-sha256\n", cmd, shown);
	} else {
		struct cms_verify_opts vo;
		struct cms_result r;

		ctx->detail[0] = '\0';
		rc = ctx->fetch(ctx, siguri, &sig, &slen);
		if (rc) {
			wb_printf("%s: manifest %s: no --map-sha256 and its signature (.sig) could not be "
				  "fetched: %s%s%s\n", cmd, shown, wb_strerror(rc), ctx->detail[0] ? ": " : "",
				  ctx->detail);
			return -WB_EWBMAPTRUST;
		}
		memset(&vo, 0, sizeof(vo));
		memset(&r, 0, sizeof(r));
		if (codesign_builtin_anchor_count) {
			vo.anchors = codesign_builtin_anchors;
			vo.anchor_count = codesign_builtin_anchor_count;
		} else {
			vo.anchors = tls_builtin_anchors;
			vo.anchor_count = tls_builtin_anchor_count;
		}
		if (wallclock_now(&ctx->clock, &vo.now))
			vo.now = -1;
		rc = cms_verify(d->map_buf, len, sig, slen, &vo, &r);
		plat_free(sig);
		if (rc) {
			wb_printf("%s: manifest %s: signature: %s; not trusted, nothing hooked\n", cmd, shown,
				  r.detail[0] ? r.detail : wb_strerror(rc));
			return -WB_EWBMAPTRUST;
		}
		wb_printf("%s: manifest %s: %s signature by CN=%s verified\n", cmd, shown,
			  cms_hash_name(r.hash_id), r.signer_cn);
	}
	rc = wbmap_parse(d->map_buf, len, &d->map);
	if (rc) {
		wb_printf("%s: manifest %s: %s\n", cmd, shown, wb_strerror(rc));
		return rc;
	}
	return 0;
}

/*
 * Open an http(s) device for drive @d.  Prints progress and, on failure,
 * the reason.
 */
static int san_open_http(struct script_ctx *ctx, const char *cmd, struct san_drive *d, const char *uri,
			 const struct san_hook_opts *o, uint32_t reissues, uint32_t cmd_timeout_ms)
{
	struct san_http_cfg cfg;
	const struct san_info *info;
	char msg[SAN_CMD_MSG_MAX];
	int rc;

	if (o->verify) {
		rc = san_load_map(ctx, cmd, d, uri, o);
		if (rc)
			return rc;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.url = uri;
	/*
	 * The TCP window is what the link absorbs between two polls, and that
	 * budget is per link, not per connection: with a small one (U-Boot: 24
	 * segments against its 32-frame receive ring; more wedges its
	 * virtio-net, docs/dev/uboot-virtio-wedge.md) two connections at full
	 * window would overrun it.  One connection, requests pipelined on it.
	 */
	if (net_tcp_window(ctx->net) < SAN_HTTP_MULTICONN_WINDOW)
		cfg.connections = 1;
	cfg.max_reissues = reissues;
	cfg.cmd_timeout_ms = cmd_timeout_ms;
	cfg.map = o->verify ? &d->map : NULL;
	wb_printf("%s: %s: opening%s\n", cmd, d->shown, o->verify ? " (every chunk verified)" : "");
	msg[0] = '\0';
	san_cancel_armed = 1;
	rc = san_http_open(&d->env, &cfg, &d->dev, msg, sizeof(msg));
	san_cancel_armed = 0;
	if (rc) {
		wb_printf("%s: %s: %s\n", cmd, d->shown, msg[0] ? msg : wb_strerror(rc));
		return rc;
	}
	info = san_info(d->dev);
	wb_printf("%s: %s open (%s, server %s:%u): %llu blocks of %u bytes (%llu MiB)%s",
		  cmd, d->shown, san_has_scheme(uri, "https://") ? "HTTPS" : "HTTP, not encrypted",
		  info->host, (unsigned)info->port, (unsigned long long)info->blocks,
		  (unsigned)info->block_size, (unsigned long long)(info->blocks * info->block_size >> 20),
		  info->read_only ? ", read-only" : "");
	if (o->verify)
		wb_printf(", verified against the manifest (%llu chunks of %u KiB)",
			  (unsigned long long)d->map.chunks, (unsigned)(d->map.chunk_size >> 10));
	wb_printf("\n");
	return 0;
}

/*
 * Log in to an iSCSI @uri for drive @d and fill @desc's iSCSI fields
 * (@iqn holds our name, @cfg the credentials: both must live until
 * publishing and describing are done).
 */
static int san_open_iscsi(struct script_ctx *ctx, const char *cmd, struct san_drive *d, const char *uri,
			  uint32_t reissues, uint32_t cmd_timeout_ms, struct san_iscsi_cfg *cfg,
			  char *iqn, size_t iqncap, struct plat_san_desc *desc)
{
	struct iscsi_uri pu;
	const struct san_info *info;
	char msg[SAN_CMD_MSG_MAX], lun[24];
	const char *source = "";
	uint8_t mac[6] = { 0 }, chap_algs[3];
	unsigned chap_flags;
	long lunnum;
	int rc;

	rc = iscsi_uri_parse(uri, &pu);
	if (rc)
		return rc;
	rc = san_chap_settings(ctx, chap_algs, &chap_flags);
	if (rc) {
		wb_printf("%s: %s\n", cmd, wb_strerror(rc));
		return rc;
	}
	net_if_mac(net_first_open(ctx->net), mac);
	san_initiator(ctx, mac, iqn, iqncap, &source);
	memset(cfg, 0, sizeof(*cfg));
	cfg->root_path = uri;
	cfg->initiator = iqn;
	cfg->user = san_get(ctx, "username");
	cfg->secret = san_get(ctx, "password");
	cfg->reverse_user = san_get(ctx, "reverse-username");
	cfg->reverse_secret = san_get(ctx, "reverse-password");
	memcpy(cfg->chap_algs, chap_algs, sizeof(cfg->chap_algs));
	cfg->chap_flags = chap_flags;
	cfg->max_reissues = reissues;
	cfg->cmd_timeout_ms = cmd_timeout_ms;
	wb_printf("%s: %s: logging in as %s (from %s)\n", cmd, uri, iqn, source);
	msg[0] = '\0';
	san_cancel_armed = 1;
	rc = san_iscsi_open(&d->env, cfg, &d->dev, msg, sizeof(msg));
	san_cancel_armed = 0;
	if (rc) {
		wb_printf("%s: %s: %s\n", cmd, uri, msg[0] ? msg : wb_strerror(rc));
		return rc;
	}
	info = san_info(d->dev);
	lunnum = iscsi_uri_lun_number(info->lun);
	if (lunnum >= 0)
		wb_snprintf(lun, sizeof(lun), "%ld", lunnum);
	else
		wb_snprintf(lun, sizeof(lun), "%02x%02x-%02x%02x-%02x%02x-%02x%02x", info->lun[0],
			    info->lun[1], info->lun[2], info->lun[3], info->lun[4], info->lun[5],
			    info->lun[6], info->lun[7]);
	if (info->chap_alg)
		wb_printf("%s: %s login ok (CHAP %s, %s), LUN %s: %llu blocks of %u bytes (%llu MiB)%s\n",
			  cmd, uri, san_chap_name(info->chap_alg), info->mutual ? "mutual" : "one-way", lun,
			  (unsigned long long)info->blocks, (unsigned)info->block_size,
			  (unsigned long long)(info->blocks * info->block_size >> 20),
			  info->read_only ? ", read-only" : "");
	else
		wb_printf("%s: %s login ok (no CHAP), LUN %s: %llu blocks of %u bytes (%llu MiB)%s\n", cmd,
			  uri, lun, (unsigned long long)info->blocks, (unsigned)info->block_size,
			  (unsigned long long)(info->blocks * info->block_size >> 20),
			  info->read_only ? ", read-only" : "");
	desc->initiator = iqn;
	if (info->chap_alg) {   /* what was used, for the OS to log in again (iBFT) */
		desc->chap_user = cfg->user;
		desc->chap_secret = cfg->secret;
		if (info->mutual) {
			desc->rchap_user = cfg->reverse_user;
			desc->rchap_secret = cfg->reverse_secret;
		}
	}
	memcpy(desc->lun, info->lun, 8);
	desc->tpgt = info->tpgt;
	desc->target_name = info->target;
	desc->header_digest = info->header_digest;
	desc->data_digest = info->data_digest;
	desc->chap = info->chap_alg != 0;
	desc->mutual = info->mutual;
	return 0;
}

/*
 * Open @uri (iSCSI login, or an http(s) image) and publish it as drive
 * @number.  Prints progress as "@cmd: ..." and, on failure, the reason.
 * Nothing is published when opening fails.
 */
static int san_hook(struct script_ctx *ctx, const char *cmd, unsigned number, const char *uri,
		    const struct san_hook_opts *o, struct san_drive **out)
{
	struct san_iscsi_cfg cfg;
	const struct san_info *info;
	struct plat_san_desc desc;
	struct net_if *nif;
	struct san_drive *d;
	char iqn[ISCSI_NAME_MAX + 1], msg[SAN_CMD_MSG_MAX], dpurl[sizeof(d->uri)];
	uint32_t reissues, cmd_timeout_ms;
	int http = san_is_http(uri), rc;

	*out = NULL;
	rc = san_bounds(ctx, cmd, &reissues, &cmd_timeout_ms);
	if (rc)
		return rc;
	if (o->verify && !http) {
		wb_printf("%s: --verify, --map and --map-sha256 are for http:// and https:// disks only\n", cmd);
		return -WB_EUSAGE;
	}
	if (!ctx->net || !net_first_open(ctx->net))
		return -WB_ENOTOPEN;
	if (san_find(ctx, number)) {
		wb_printf("%s: drive 0x%x is hooked already\n", cmd, number);
		return -WB_ESANHOOKED;
	}
	if (http && (rc = san_dp_url(uri, dpurl, sizeof(dpurl))) != 0)
		return rc;
	if (strlen(uri) >= sizeof(d->uri))
		return -WB_ETOOBIG;
	d = plat_malloc(sizeof(*d));
	if (!d)
		return -WB_ENOMEM;
	memset(d, 0, sizeof(*d));
	d->ctx = ctx;
	d->number = number;
	wb_strlcpy(d->uri, uri, sizeof(d->uri));
	san_shown(d, uri, http);
	rc = tls_rng_init(&d->drbg);   /* HMAC-DRBG seeded from wb_entropy() */
	if (rc) {
		plat_free(d);
		return rc;
	}
	d->env.connect = san_connect;
	d->env.connect_tls = san_connect_tls;
	d->env.arg = d;
	net_tcp_poller(ctx->net, &d->env.poller);
	d->env.poller.cancel = san_cancel;
	d->env.stall_cancel = san_stall_cancel;
	d->env.now_ms = plat_ms;
	d->env.rng = san_rng;
	d->env.rng_arg = d;
	d->env.log = san_log;
	d->env.log_arg = d;

	memset(&desc, 0, sizeof(desc));
	if (http)
		rc = san_open_http(ctx, cmd, d, uri, o, reissues, cmd_timeout_ms);
	else
		rc = san_open_iscsi(ctx, cmd, d, uri, reissues, cmd_timeout_ms, &cfg, iqn, sizeof(iqn), &desc);
	if (rc) {
		if (d->dev)
			san_close(d->dev, SAN_UNHOOK_LOGOUT_MS);
		san_drive_free(d);
		memset(&desc, 0, sizeof(desc));
		return rc;
	}
	info = san_info(d->dev);
	desc.kind = http ? PLAT_SAN_HTTP : PLAT_SAN_ISCSI;
	desc.uri = http ? dpurl : NULL;
	desc.drive = number;
	desc.block_size = info->block_size;
	desc.blocks = info->blocks;
	desc.read_only = info->read_only;
	nif = net_route(ctx->net, info->ip);
	desc.link = nif ? net_if_link_index(nif) : -1;
	if (nif) {
		char full[SETTINGS_NAME_MAX + SETTINGS_SCOPE_MAX];
		const char *v;

		desc.vlan = net_if_vlan_tag(nif);
		net_if_mac(nif, desc.mac);
		net_if_addr(nif, desc.local_ip, desc.netmask, desc.gateway);
		wb_snprintf(full, sizeof(full), "%s/dhcp-server", net_if_name(nif));
		v = settings_get(&ctx->settings, full, NULL);
		desc.static_ip = v == NULL;
		if (v && wb_parse_ipv4(v, desc.dhcp_server))
			memset(desc.dhcp_server, 0, 4);
		/* DNS: the interface's (DHCP), else a global one set by hand */
		wb_snprintf(full, sizeof(full), "%s/dns", net_if_name(nif));
		v = settings_get(&ctx->settings, full, NULL);
		if (!v)
			v = san_get(ctx, "dns");
		if (v && wb_parse_ipv4(v, desc.dns[0]))
			memset(desc.dns[0], 0, 4);
	}
	desc.hostname = san_get(ctx, "hostname");
	memcpy(desc.target_ip, info->ip, 4);
	desc.target_port = info->port;
	msg[0] = '\0';
	rc = plat_san_publish(&desc, &san_disk_ops, d, &d->pub, msg, sizeof(msg));
	if (rc) {
		wb_printf("%s: drive 0x%x: %s\n", cmd, number, msg[0] ? msg : wb_strerror(rc));
		san_close(d->dev, SAN_UNHOOK_LOGOUT_MS);
		san_drive_free(d);
		memset(&desc, 0, sizeof(desc));
		return rc;
	}
	d->next = ctx->san;
	ctx->san = d;
	wb_printf("%s: drive 0x%x: %s\n", cmd, number, http ? d->shown : info->target);
	if (o->describe && http) {
		wb_printf("%s: drive 0x%x: not described to the OS (--no-describe implied: an iBFT "
			  "describes only iSCSI disks)\n", cmd, number);
	} else if (o->describe) {   /* failing to describe never fails the command (U-Boot has no ACPI) */
		msg[0] = '\0';
		rc = plat_san_describe(d->pub, &desc, msg, sizeof(msg));
		if (rc || msg[0])
			wb_printf("%s: drive 0x%x: %s\n", cmd, number, msg[0] ? msg : wb_strerror(rc));
	}
	memset(&desc, 0, sizeof(desc));   /* it pointed at the secrets */
	*out = d;
	return 0;
}

/* ---- commands --------------------------------------------------------- */

static const struct cmd_opt sanhook_opts[] = {
	{ "drive", 'd', 1 }, { "no-describe", 0, 0 }, { "verify", 0, 0 }, { "map", 0, 1 },
	{ "map-sha256", 0, 1 },
};
static const struct cmd_opt sanboot_opts[] = {
	{ "drive", 'd', 1 }, { "filename", 'f', 1 }, { "keep", 'k', 0 }, { "no-describe", 0, 0 },
	{ "verify", 0, 0 }, { "map", 0, 1 }, { "map-sha256", 0, 1 },
};

/* The hooking options of @c in @a (--map or --map-sha256 imply --verify). */
static void san_hook_opts(const struct cmd *c, const struct cmd_args *a, struct san_hook_opts *o)
{
	o->describe = !cmd_optval(c, a, "no-describe");
	o->map = cmd_optval(c, a, "map");
	o->map_sha256 = cmd_optval(c, a, "map-sha256");
	o->verify = cmd_optval(c, a, "verify") || o->map || o->map_sha256;
}
static const struct cmd_opt sanunhook_opts[] = { { "drive", 'd', 1 } };

static int cmd_sanhook(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = script_find(ctx, a->name);
	struct san_hook_opts o;
	struct san_drive *d;
	unsigned number;

	if (!c || san_drive_opt(c, a, &number))
		return -WB_EUSAGE;
	san_hook_opts(c, a, &o);
	return san_hook(ctx, "sanhook", number, a->argv[0], &o, &d);
}

static int cmd_sanboot(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = script_find(ctx, a->name);
	struct san_drive *d;
	const char *file;
	char msg[SAN_CMD_MSG_MAX];
	unsigned number;
	int hooked_here = 0, status = 0, rc;

	if (!c || san_drive_opt(c, a, &number))
		return -WB_EUSAGE;
	if (a->argc) {
		struct san_hook_opts o;

		san_hook_opts(c, a, &o);
		rc = san_hook(ctx, "sanboot", number, a->argv[0], &o, &d);
		if (rc)
			return rc;
		hooked_here = 1;
	} else if (!(d = san_find(ctx, number))) {
		wb_printf("sanboot: drive 0x%x is not hooked (give a URI, or sanhook first)\n", number);
		return -WB_ESANNODRIVE;
	}
	file = cmd_optval(c, a, "filename");
	if (!file || !*file)
		file = san_get(ctx, "san-filename");
	if (!file)
		file = disk_boot_path(plat_arch());   /* the firmware's own default */
	wb_printf("sanboot: booting %s\n", file);
	msg[0] = '\0';
	rc = plat_san_boot(d->pub, file, &status, msg, sizeof(msg));
	if (rc)
		wb_printf("sanboot: drive 0x%x: %s\n", d->number, msg[0] ? msg : wb_strerror(rc));
	else
		wb_printf("sanboot: %s returned (%s)\n", file, status ? "error" : "success");
	if (d->dev) {   /* what the disk did meanwhile (the timer's pings among it) */
		const struct san_stats *s = san_stats(d->dev);

		if (san_info(d->dev)->kind == SAN_KIND_HTTP)
			wb_printf("sanboot: drive 0x%x: %llu reads, %llu KiB, %u range requests, %u reconnects, "
				  "%u reissued\n", d->number, (unsigned long long)s->reads,
				  (unsigned long long)(s->read_bytes >> 10), (unsigned)s->commands,
				  (unsigned)s->reconnects, (unsigned)s->retries);
		else
			wb_printf("sanboot: drive 0x%x: %llu reads, %llu KiB, %u reconnects, %u pings sent, "
				  "%u answered\n", d->number, (unsigned long long)s->reads,
				  (unsigned long long)(s->read_bytes >> 10), (unsigned)s->reconnects,
				  (unsigned)s->nops_sent, (unsigned)s->nops_answered);
	}
	if (hooked_here && !cmd_optval(c, a, "keep")) {
		wb_printf("sanboot: drive 0x%x unhooked\n", d->number);
		san_unhook(ctx, d);
	}
	if (rc)
		return rc;
	return status ? -WB_EIMAGEEXIT : 0;
}

static int cmd_sanunhook(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = script_find(ctx, a->name);
	struct san_drive *d;
	unsigned number;

	if (!c || san_drive_opt(c, a, &number))
		return -WB_EUSAGE;
	d = san_find(ctx, number);
	if (!d)
		return -WB_ESANNODRIVE;
	san_cancel_armed = 1;
	san_unhook(ctx, d);
	san_cancel_armed = 0;
	wb_printf("sanunhook: drive 0x%x unhooked\n", number);
	return 0;
}

static const struct cmd san_cmds[] = {
	{ "sanhook", cmd_sanhook,
	  "sanhook [--drive N] [--no-describe] [--verify [--map URI] [--map-sha256 HEX]] URI",
	  "publish an iSCSI target or an http(s) disk image as a disk", sanhook_opts,
	  WB_ARRAY_SIZE(sanhook_opts), 1, 1 },
	{ "sanboot", cmd_sanboot,
	  "sanboot [--drive N] [--filename PATH] [--keep] [--no-describe] "
	  "[--verify [--map URI] [--map-sha256 HEX]] [URI]",
	  "boot from a SAN disk (hooking URI first)", sanboot_opts, WB_ARRAY_SIZE(sanboot_opts), 0, 1 },
	{ "sanunhook", cmd_sanunhook, "sanunhook [--drive N]", "withdraw a SAN disk and log out",
	  sanunhook_opts, 1, 0, 0 },
};

static const struct cmd_table san_table = { san_cmds, WB_ARRAY_SIZE(san_cmds) };

void script_register_san(struct script_ctx *ctx)
{
	script_register(ctx, &san_table);
}
