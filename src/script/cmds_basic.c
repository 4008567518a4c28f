/*
 * cmds_basic.c — echo, set, clear, show, exit, help, sleep.
 * Semantics follow ipxe.org/cmd; options this issue does not support are
 * refused with a usage line.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "net/net.h"
#include "platform/platform.h"
#include "script/script.h"

static int cmd_echo(struct script_ctx *ctx, const struct cmd_args *a)
{
	for (int i = 0; i < a->argc; i++) {
		if (i)
			wb_puts(" ");
		wb_puts(a->argv[i]);
	}
	if (!a->given[0])   /* -n */
		wb_puts("\n");
	return 0;
}

/* set NAME VALUE...  (the remaining words joined by spaces, as iPXE does) */
static int cmd_set(struct script_ctx *ctx, const struct cmd_args *a)
{
	char value[SETTINGS_VALUE_MAX];
	char **argv = a->argv - 1;   /* argv[1] = NAME, argv[2...] = VALUE words */
	int argc = a->argc + 1;
	size_t len = 0;
	int rc;

	value[0] = '\0';
	for (int i = 2; i < argc; i++) {
		int n = wb_snprintf(value + len, sizeof(value) - len, "%s%s", i > 2 ? " " : "",
				    argv[i]);

		if ((size_t)n >= sizeof(value) - len)
			return -WB_ETOOBIG;
		len += (size_t)n;
	}
	rc = settings_set(&ctx->settings, argv[1], value);
	if (rc == -WB_EBADVAL)
		wb_printf("set: \"%s\" is not a valid value for %s\n",
			  settings_type(strchr(argv[1], '/') ? strchr(argv[1], '/') + 1 : argv[1]) ==
					  SETTING_SECRET ? "********" : value,
			  argv[1]);
	if (!rc && ctx->net && (!strcmp(argv[1], "tcp-window"))) {
		unsigned long long w;

		if (!wb_parse_uint(value, 0xffffffffu, &w))
			wb_printf("tcp-window: %u bytes\n",
				  (unsigned)net_set_tcp_window(ctx->net, (uint32_t)w));
	}
	return rc;
}

static int cmd_clear(struct script_ctx *ctx, const struct cmd_args *a)
{
	return settings_clear(&ctx->settings, a->argv[0]);
}

struct show_arg {
	int reveal;
	int count;
};

static void show_one(void *arg, const char *scope, const char *name, const char *value)
{
	struct show_arg *a = arg;

	wb_printf("%s%s%s = %s\n", scope, *scope ? "/" : "", name,
		  settings_show_value(name, value, a->reveal));
	a->count++;
}

/* show [--reveal] [NAME | SCOPE/]  — secrets are masked unless --reveal */
static int cmd_show(struct script_ctx *ctx, const struct cmd_args *args)
{
	struct show_arg a = { args->given[0], 0 };
	const char *what = args->argc ? args->argv[0] : NULL, *scope, *v;

	if (what && !*what)
		return -WB_EUSAGE;
	if (!what) {
		settings_foreach(&ctx->settings, NULL, show_one, &a);
		return 0;
	}
	if (what[strlen(what) - 1] == '/' || !strcmp(what, "global")) {
		char sc[SETTINGS_SCOPE_MAX];

		wb_strlcpy(sc, !strcmp(what, "global") ? "" : what, sizeof(sc));
		if (*sc)
			sc[strlen(sc) - 1] = '\0';
		settings_foreach(&ctx->settings, sc, show_one, &a);
		return 0;
	}
	v = settings_get(&ctx->settings, what, &scope);
	if (!v)
		return -WB_ENOSETTING;
	{
		const char *slash = strchr(what, '/');

		wb_printf("%s%s%s = %s\n", scope, *scope ? "/" : "", slash ? slash + 1 : what,
			  settings_show_value(slash ? slash + 1 : what, v, a.reveal));
	}
	return 0;
}

static int cmd_exit(struct script_ctx *ctx, const struct cmd_args *a)
{
	unsigned long long n = 0;

	if (a->argc == 1 && wb_parse_uint(a->argv[0], 255, &n))
		return -WB_EUSAGE;
	ctx->exit_requested = 1;
	ctx->exit_status = (int)n;
	return 0;
}

static int cmd_sleep(struct script_ctx *ctx, const struct cmd_args *a)
{
	unsigned long long secs;
	uint64_t end;

	if (wb_parse_uint(a->argv[0], 86400, &secs))
		return -WB_EUSAGE;
	end = plat_ms() + secs * 1000;
	while (plat_ms() < end) {
		if (ctx->net)
			net_poll(ctx->net);
		if (script_cancel_pressed())
			return -WB_ECANCELED;
	}
	return 0;
}

static int cmd_help(struct script_ctx *ctx, const struct cmd_args *a)
{
	if (a->argc == 1) {
		const struct cmd *c = script_find(ctx, a->argv[0]);

		if (!c)
			return -WB_ENOCMD;
		wb_printf("usage: %s\n  %s\n", c->usage, c->summary);
		return 0;
	}
	wb_puts("Commands:\n");
	for (int k = 0; k < ctx->ntables; k++)
		for (size_t i = 0; i < ctx->tables[k]->ncmds; i++)
			wb_printf("  %-30s %s\n", ctx->tables[k]->cmds[i].usage,
				  ctx->tables[k]->cmds[i].summary);
	return 0;
}

static const struct cmd_opt echo_opts[] = { { "n", 'n', 0 } };
static const struct cmd_opt show_opts[] = { { "reveal", 0, 0 } };

static const struct cmd basic_cmds[] = {
	{ "echo", cmd_echo, "echo [-n] [TEXT...]", "print text", echo_opts, 1, 0, CMD_ARGS_ANY },
	{ "set", cmd_set, "set NAME VALUE...", "set a setting (e.g. net0/ip, dns, tcp-window)",
	  NULL, 0, 1, CMD_ARGS_ANY },
	{ "clear", cmd_clear, "clear NAME", "remove a setting", NULL, 0, 1, 1 },
	{ "show", cmd_show, "show [--reveal] [NAME|SCOPE/]", "show settings (secrets masked)",
	  show_opts, 1, 0, 1 },
	{ "exit", cmd_exit, "exit [STATUS]", "leave the script or shell", NULL, 0, 0, 1 },
	{ "sleep", cmd_sleep, "sleep SECONDS", "wait, keeping the network alive (Ctrl-C aborts)",
	  NULL, 0, 1, 1 },
	{ "help", cmd_help, "help [COMMAND]", "list commands", NULL, 0, 0, 1 },
};

static const struct cmd_table basic_table = { basic_cmds, WB_ARRAY_SIZE(basic_cmds) };

void script_register_basic(struct script_ctx *ctx)
{
	script_register(ctx, &basic_table);
}
