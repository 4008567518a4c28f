/*
 * app.c — start-up, the boot flow and the interactive prompt.
 *
 *   app_init: settings, network (one interface per link), command tables
 *   app_boot: load-option commands → embedded script → prompt (unless exit)
 */
#include <string.h>

#include "app/app.h"
#include "app/fetch.h"
#include "core/jitter.h"
#include "tls/trust.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/settype.h"
#include "core/smbios.h"
#include "core/util.h"
#include "net/net.h"
#include "platform/platform.h"
#include "script/mask.h"
#include "script/script.h"
#include "script/ui.h"

#ifndef WB_VERSION
#define WB_VERSION "0.1.0"
#endif

extern const char wb_embedded_script[];
extern const size_t wb_embedded_len;
extern const char wb_embedded_name[];

static struct script_ctx app_ctx;
static int app_ready;

/* smbios/manufacturer, product, serial, uuid (ipxe.org/cfg/uuid …) */
static void app_publish_smbios(struct script_ctx *ctx)
{
	struct smbios_sysinfo si;
	const uint8_t *tab;
	size_t len;
	char u[40];

	if (plat_smbios(&tab, &len) || smbios_parse_sysinfo(tab, len, &si))
		return;
	settings_set(&ctx->settings, "smbios/manufacturer", si.manufacturer);
	settings_set(&ctx->settings, "smbios/product", si.product);
	settings_set(&ctx->settings, "smbios/serial", si.serial);
	if (si.has_uuid && !settype_format("uuid", si.uuid, 16, u, sizeof(u)))
		settings_set(&ctx->settings, "smbios/uuid", u);
}

int app_init(void)
{
	struct script_ctx *ctx = &app_ctx;
	const char *rng = plat_entropy_source();
	int rc;

	script_init(ctx);
	script_register_basic(ctx);
	script_register_net(ctx);
	script_register_ui(ctx);
	script_register_image(ctx);
	script_register_san(ctx);
	settings_set(&ctx->settings, "builtin/platform", plat_name());
	settings_set(&ctx->settings, "builtin/buildarch", plat_arch());
	settings_set(&ctx->settings, "builtin/version", WB_VERSION);
	app_publish_smbios(ctx);
	wb_printf("wireboot %s (%s %s, firmware: %s)\n", WB_VERSION, plat_name(), plat_arch(),
		  plat_firmware());
	if (rng)
		wb_printf("entropy: %s\n", rng);
	else
		wb_printf("entropy: EFI_RNG_PROTOCOL missing; using %s (health-tested; on QEMU add "
			  "-device virtio-rng-device for the firmware's RNG)\n", wb_entropy_source());
	rc = net_create(&ctx->settings, &ctx->net);
	if (rc) {
		wb_printf("network: %s\n", wb_strerror(rc));
		ctx->net = NULL;
	} else {
		net_set_cancel(ctx->net, script_cancel_pressed);
		for (int i = 0; i < net_count(ctx->net); i++) {
			uint8_t mac[6];
			char m[18];

			net_if_mac(net_get(ctx->net, i), mac);
			wb_printf("%s: %s\n", net_if_name(net_get(ctx->net, i)), wb_fmt_mac(mac, m));
		}
		if (!net_count(ctx->net))
			wb_printf("network: no interfaces found\n");
		wb_printf("tcp-window: %u bytes\n", (unsigned)net_tcp_window(ctx->net));
	}
	app_fetch_init(ctx);
	/* what HTTPS will rest on, for `show builtin/` */
	settings_set(&ctx->settings, "builtin/entropy", wb_entropy_source());
	{
		char names[SETTINGS_VALUE_MAX];
		size_t n = 0;

		names[0] = '\0';
		for (size_t i = 0; i < tls_builtin_anchor_count && n + 2 < sizeof(names); i++)
			n += (size_t)wb_snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "",
						 tls_builtin_anchor_names[i]);
		settings_set(&ctx->settings, "builtin/trust", n ? names : "none (built without TRUST=)");
	}
	/* built-ins are found by unqualified names too, after the interfaces (net_create registered theirs);
	 * VLANs made later come after them, which only matters for names both define */
	settings_scope_add(&ctx->settings, "builtin");
	settings_scope_open(&ctx->settings, "builtin", 1);
	settings_scope_add(&ctx->settings, "smbios");
	settings_scope_open(&ctx->settings, "smbios", 1);
	app_ready = 1;
	return 0;
}

void app_fini(void)
{
	if (!app_ready)
		return;
	script_san_fini(&app_ctx);   /* log out while the network still exists */
	app_fetch_fini();
	if (app_ctx.net)
		net_destroy(app_ctx.net);
	app_ctx.net = NULL;
	script_fini(&app_ctx);
	app_ready = 0;
}

int app_check(const char *text, size_t len, const char *name, int strict)
{
	struct script_ctx *ctx = plat_malloc(sizeof(*ctx));
	int rc;

	if (!ctx)
		return -WB_ENOMEM;
	script_init(ctx);
	script_register_basic(ctx);
	script_register_net(ctx);
	script_register_ui(ctx);
	script_register_image(ctx);
	script_register_san(ctx);
	rc = script_check(ctx, text, len, name, strict);
	script_fini(ctx);
	plat_free(ctx);
	return rc;
}

int app_run_script(const char *text, size_t len, const char *name)
{
	return script_run(&app_ctx, text, len, name);
}

/*
 * The lease named no boot file: a proxyDHCP's (net/dhcp.c, docs/pxe.md), the
 * boot server's answer (pxebs/) before the proxy's own (proxydhcp/), as PXE
 * boots it.  @return the file name with *@scope set to its settings scope,
 * or NULL (*@scope untouched) when no proxy gave one.
 */
static const char *app_proxy_file(const char **scope)
{
	static const char *const scopes[] = { "pxebs", "proxydhcp" };

	for (size_t i = 0; i < WB_ARRAY_SIZE(scopes); i++) {
		char full[32];
		const char *v;

		wb_snprintf(full, sizeof(full), "%s/filename", scopes[i]);
		v = settings_get(&app_ctx.settings, full, NULL);
		if (v && *v) {
			*scope = scopes[i];
			return v;
		}
	}
	return NULL;
}

/*
 * A bare boot file name (no RFC 3986 scheme: "pxelinux.0", "pxe/boot.ipxe"),
 * from the lease (netX/) or a proxy (pxebs/, proxydhcp/), is a TFTP path on
 * that scope's next-server (siaddr), else on its option 66 server
 * (tftp-server), as PXE and iPXE take it: "chain tftp://SERVER/FILE", the
 * name percent-encoded (RFC 3986 §2.1; '$' too, so nothing in it is
 * expanded), in a buffer that lasts until the next call.  NULL for a URI
 * (http://…, tftp://…: chained as it is) or when no server is known.
 */
static const char *app_tftp_line(const char *scope, const char *file)
{
	static const char hex[] = "0123456789ABCDEF";
	static char line[1100];
	const char *p = file, *server;
	char full[48];
	size_t n;

	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
			p++;
		if (*p == ':')
			return NULL;
	}
	wb_snprintf(full, sizeof(full), "%s/next-server", scope);
	server = settings_get(&app_ctx.settings, full, NULL);
	if (!server || !*server) {
		wb_snprintf(full, sizeof(full), "%s/tftp-server", scope);
		server = settings_get(&app_ctx.settings, full, NULL);
	}
	if (!server || !*server || strlen(server) > 253)
		return NULL;
	n = (size_t)wb_snprintf(line, sizeof(line), "chain tftp://%s/", server);
	for (p = file; *p && n + 4 < sizeof(line); p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			line[n++] = (char)c;
		} else {
			line[n++] = '%';
			line[n++] = hex[c >> 4];
			line[n++] = hex[c & 15];
		}
	}
	line[n] = 0;
	return *p ? NULL : line;
}

/*
 * No embedded script: what an iPXE user expects from autoboot.  DHCP on
 * each interface in turn; an iscsi: root-path is SAN-booted, else a boot
 * filename is chained; if nothing boots, the prompt.
 */
static int app_autoboot(void)
{
	struct net_ctx *net = app_ctx.net;

	if (!net || !net_count(net)) {
		wb_puts("autoboot: no network interfaces\n");
		return -WB_ENODEV;
	}
	for (int i = 0; i < net_count(net); i++) {
		struct net_if *nif = net_get(net, i);
		const char *name = net_if_name(nif), *v;
		char full[48], line[96];
		int rc;

		if (net_if_vlan_tag(nif))
			continue;
		rc = net_dhcp(net, nif);
		if (rc) {
			wb_printf("autoboot: %s: %s\n", name, wb_strerror(rc));
			if (rc == -WB_ECANCELED)
				return rc;
			continue;
		}
		wb_snprintf(full, sizeof(full), "%s/root-path", name);
		v = settings_get(&app_ctx.settings, full, NULL);
		if (v && !strncmp(v, "iscsi:", 6)) {
			wb_snprintf(line, sizeof(line), "sanboot ${%s/root-path}", name);
		} else {
			const char *pl;

			wb_snprintf(full, sizeof(full), "%s/filename", name);
			v = settings_get(&app_ctx.settings, full, NULL);
			if (!v || !*v)   /* none from the DHCP server: a proxyDHCP's, name its scope */
				v = app_proxy_file(&name);
			if (!v || !*v) {
				wb_printf("autoboot: %s: DHCP gave neither an iscsi: root-path nor a "
					  "filename\n", name);
				continue;
			}
			if ((pl = app_tftp_line(name, v)) != NULL) {
				wb_printf("autoboot: %s\n", pl);
				if (!script_exec_line(&app_ctx, pl))
					return 0;
				continue;
			}
			wb_snprintf(line, sizeof(line), "chain ${%s/filename}", name);
		}
		wb_printf("autoboot: %s\n", line);
		if (!script_exec_line(&app_ctx, line))
			return 0;
	}
	return -WB_ENOENT;
}

int app_boot(void)
{
	const char *opts = plat_load_options();
	int rc = 0;

	/* load options (U-Boot's bootargs): commands, `;` or newline separated;
	 * shown with the values of secret settings (`set password X`) masked */
	if (opts && *opts) {
		wb_printf("load options: ");
		script_print_masked(&app_ctx, opts);
		wb_puts("\n");
		rc = script_run(&app_ctx, opts, strlen(opts), "load-options");
		if (app_ctx.exit_requested)
			return rc;
	}
	if (wb_embedded_len) {
		rc = script_run(&app_ctx, wb_embedded_script, wb_embedded_len,
				wb_embedded_name[0] ? wb_embedded_name : "embedded");
		if (app_ctx.exit_requested)
			return rc;
	} else {
		app_autoboot();
		if (app_ctx.exit_requested)
			return app_ctx.exit_status;
	}
	return app_shell();
}

/* The prompt: the line editor with history and command-name completion
 * (script/shell.c); `exit` or end of input ends it. */
int app_shell(void)
{
	return script_shell(&app_ctx);
}

struct net_ctx *app_net(void)
{
	return app_ready ? app_ctx.net : NULL;
}
