/*
 * cmds_san.c — SAN commands in iPXE syntax (ipxe.org/cmd/sanboot):
 *
 *   sanhook [--drive N] [--no-describe] URI
 *   sanboot [--drive N] [--filename PATH] [--keep] [--no-describe] [URI]
 *   sanunhook [--drive N]
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
#include "san/san.h"
#include "script/script.h"
#include "tls/tls.h"

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
	char uri[512];
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
	memset(&d->drbg, 0, sizeof(d->drbg));
	plat_free(d);
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
 * Log in to @uri and publish it as drive @number.  Prints progress as
 * "@cmd: ..." and, on failure, the reason.  Nothing is published when the
 * login fails.
 */
static int san_hook(struct script_ctx *ctx, const char *cmd, unsigned number, const char *uri,
		    int describe, struct san_drive **out)
{
	struct san_iscsi_cfg cfg;
	struct iscsi_uri pu;
	const struct san_info *info;
	struct plat_san_desc desc;
	struct net_if *nif;
	struct san_drive *d;
	char iqn[ISCSI_NAME_MAX + 1], msg[SAN_CMD_MSG_MAX], lun[24];
	const char *source = "";
	uint8_t mac[6] = { 0 }, chap_algs[3];
	unsigned chap_flags;
	long lunnum;
	uint32_t reissues, cmd_timeout_ms;
	int rc;

	*out = NULL;
	rc = san_bounds(ctx, cmd, &reissues, &cmd_timeout_ms);
	if (rc)
		return rc;
	if (!ctx->net || !net_first_open(ctx->net))
		return -WB_ENOTOPEN;
	if (san_find(ctx, number)) {
		wb_printf("%s: drive 0x%x is hooked already\n", cmd, number);
		return -WB_ESANHOOKED;
	}
	rc = iscsi_uri_parse(uri, &pu);
	if (rc)
		return rc;
	rc = san_chap_settings(ctx, chap_algs, &chap_flags);
	if (rc) {
		wb_printf("%s: %s\n", cmd, wb_strerror(rc));
		return rc;
	}
	d = plat_malloc(sizeof(*d));
	if (!d)
		return -WB_ENOMEM;
	memset(d, 0, sizeof(*d));
	d->ctx = ctx;
	d->number = number;
	wb_strlcpy(d->uri, uri, sizeof(d->uri));
	rc = tls_rng_init(&d->drbg);   /* HMAC-DRBG seeded from wb_entropy() */
	if (rc) {
		plat_free(d);
		return rc;
	}
	d->env.connect = san_connect;
	d->env.arg = d;
	net_tcp_poller(ctx->net, &d->env.poller);
	d->env.poller.cancel = san_cancel;
	d->env.stall_cancel = san_stall_cancel;
	d->env.now_ms = plat_ms;
	d->env.rng = san_rng;
	d->env.rng_arg = d;
	d->env.log = san_log;
	d->env.log_arg = d;

	net_if_mac(net_first_open(ctx->net), mac);
	san_initiator(ctx, mac, iqn, sizeof(iqn), &source);
	memset(&cfg, 0, sizeof(cfg));
	cfg.root_path = uri;
	cfg.initiator = iqn;
	cfg.user = san_get(ctx, "username");
	cfg.secret = san_get(ctx, "password");
	cfg.reverse_user = san_get(ctx, "reverse-username");
	cfg.reverse_secret = san_get(ctx, "reverse-password");
	memcpy(cfg.chap_algs, chap_algs, sizeof(cfg.chap_algs));
	cfg.chap_flags = chap_flags;
	cfg.max_reissues = reissues;
	cfg.cmd_timeout_ms = cmd_timeout_ms;
	wb_printf("%s: %s: logging in as %s (from %s)\n", cmd, uri, iqn, source);
	msg[0] = '\0';
	san_cancel_armed = 1;
	rc = san_iscsi_open(&d->env, &cfg, &d->dev, msg, sizeof(msg));
	san_cancel_armed = 0;
	if (rc) {
		wb_printf("%s: %s: %s\n", cmd, uri, msg[0] ? msg : wb_strerror(rc));
		memset(&d->drbg, 0, sizeof(d->drbg));
		plat_free(d);
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

	memset(&desc, 0, sizeof(desc));
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
	desc.initiator = iqn;
	desc.hostname = san_get(ctx, "hostname");
	if (info->chap_alg) {   /* what was used, for the OS to log in again (iBFT) */
		desc.chap_user = cfg.user;
		desc.chap_secret = cfg.secret;
		if (info->mutual) {
			desc.rchap_user = cfg.reverse_user;
			desc.rchap_secret = cfg.reverse_secret;
		}
	}
	memcpy(desc.target_ip, info->ip, 4);
	desc.target_port = info->port;
	memcpy(desc.lun, info->lun, 8);
	desc.tpgt = info->tpgt;
	desc.target_name = info->target;
	desc.header_digest = info->header_digest;
	desc.data_digest = info->data_digest;
	desc.chap = info->chap_alg != 0;
	desc.mutual = info->mutual;
	msg[0] = '\0';
	rc = plat_san_publish(&desc, &san_disk_ops, d, &d->pub, msg, sizeof(msg));
	if (rc) {
		wb_printf("%s: drive 0x%x: %s\n", cmd, number, msg[0] ? msg : wb_strerror(rc));
		san_close(d->dev, SAN_UNHOOK_LOGOUT_MS);
		memset(&d->drbg, 0, sizeof(d->drbg));
		plat_free(d);
		return rc;
	}
	d->next = ctx->san;
	ctx->san = d;
	wb_printf("%s: drive 0x%x: %s\n", cmd, number, info->target);
	if (describe) {   /* failing to describe never fails the command (U-Boot has no ACPI) */
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

static const struct cmd_opt sanhook_opts[] = { { "drive", 'd', 1 }, { "no-describe", 0, 0 } };
static const struct cmd_opt sanboot_opts[] = {
	{ "drive", 'd', 1 }, { "filename", 'f', 1 }, { "keep", 'k', 0 }, { "no-describe", 0, 0 },
};
static const struct cmd_opt sanunhook_opts[] = { { "drive", 'd', 1 } };

static int cmd_sanhook(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = script_find(ctx, a->name);
	struct san_drive *d;
	unsigned number;

	if (!c || san_drive_opt(c, a, &number))
		return -WB_EUSAGE;
	return san_hook(ctx, "sanhook", number, a->argv[0], !cmd_optval(c, a, "no-describe"), &d);
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
		rc = san_hook(ctx, "sanboot", number, a->argv[0], !cmd_optval(c, a, "no-describe"), &d);
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
	{ "sanhook", cmd_sanhook, "sanhook [--drive N] [--no-describe] URI",
	  "log in to an iSCSI target and publish it as a disk", sanhook_opts, 2, 1, 1 },
	{ "sanboot", cmd_sanboot,
	  "sanboot [--drive N] [--filename PATH] [--keep] [--no-describe] [URI]",
	  "boot from a SAN disk (hooking URI first)", sanboot_opts, 4, 0, 1 },
	{ "sanunhook", cmd_sanunhook, "sanunhook [--drive N]", "withdraw a SAN disk and log out",
	  sanunhook_opts, 1, 0, 0 },
};

static const struct cmd_table san_table = { san_cmds, WB_ARRAY_SIZE(san_cmds) };

void script_register_san(struct script_ctx *ctx)
{
	script_register(ctx, &san_table);
}
