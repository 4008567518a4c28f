/*
 * cmds_basic.c — echo, set, clear, show, exit, help, sleep.
 * Semantics follow ipxe.org/cmd; options this issue does not support are
 * refused with a usage line.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settype.h"
#include "core/util.h"
#include "net/net.h"
#include "platform/platform.h"
#include "script/params.h"
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

/* Join operands [from..] with single spaces (iPXE: `set name a b` = "a b"). */
static int join_args(const struct cmd_args *a, int from, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = from; i < a->argc; i++) {
		int n = wb_snprintf(out + len, cap - len, "%s%s", i > from ? " " : "", a->argv[i]);

		if ((size_t)n >= cap - len)
			return -WB_ETOOBIG;
		len += (size_t)n;
	}
	return 0;
}

/* The unqualified part of "scope/name:type" (for secret checks). */
static void base_name(const char *full, char *out, size_t cap)
{
	const char *slash = strchr(full, '/');
	const char *n = slash ? slash + 1 : full;
	const char *colon = strchr(n, ':');
	size_t len = colon ? (size_t)(colon - n) : strlen(n);

	if (len >= cap)
		len = cap - 1;
	memcpy(out, n, len);
	out[len] = '\0';
}

/* set NAME[:TYPE] VALUE... */
static int cmd_set(struct script_ctx *ctx, const struct cmd_args *a)
{
	char value[SETTINGS_VALUE_MAX], base[SETTINGS_NAME_MAX];
	const char *name = a->argv[0];
	int rc = join_args(a, 1, value, sizeof(value));

	if (rc)
		return rc;
	rc = settings_set(&ctx->settings, name, value);
	base_name(name, base, sizeof(base));
	/* said on the command's own error line (run_cmd prints ctx->detail, masked) */
	if (rc == -WB_EBADVAL)   /* never echo a secret */
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "\"%s\" is not a valid value for %s",
			    settings_is_secret(base) ? "********" : value, name);
	else if (rc == -WB_EINVAL)
		wb_snprintf(ctx->detail, sizeof(ctx->detail),
			    "\"%s\" is not a valid setting name or type", name);
	if (!rc && ctx->net && !strcmp(base, "tcp-window") && *value) {
		unsigned long long w;

		if (!wb_parse_uint(value, 0xffffffffu, &w))
			wb_printf("tcp-window: %u bytes\n",
				  (unsigned)net_set_tcp_window(ctx->net, (uint32_t)w));
	}
	if (!rc && ctx->net && !strcmp(base, "tcp-ack-coalesce") && *value)
		net_set_ack_coalesce(ctx->net, strcmp(value, "0") != 0);
	return rc;
}

static int cmd_clear(struct script_ctx *ctx, const struct cmd_args *a)
{
	return settings_clear(&ctx->settings, a->argv[0]);
}

struct show_arg {
	int reveal;
};

static void show_line(const char *scope, const char *name, const char *type, const char *value,
		      int reveal)
{
	wb_printf("%s%s%s:%s = %s\n", scope, *scope ? "/" : "", name, type,
		  settings_show_value(name, value, reveal));
}

static void show_one(void *arg, const char *scope, const char *name, const char *type,
		     const char *value)
{
	show_line(scope, name, type, value, ((struct show_arg *)arg)->reveal);
}

/*
 * show [--reveal] [NAME[:TYPE] | SCOPE/] — as iPXE: "scope/name:type = value".
 * Secrets are masked unless --reveal.
 */
static int cmd_show(struct script_ctx *ctx, const struct cmd_args *args)
{
	struct show_arg a = { args->given[0] };
	const char *what = args->argc ? args->argv[0] : NULL, *scope, *type;
	char value[SETTINGS_VALUE_MAX], base[SETTINGS_NAME_MAX], want[SETTINGS_TYPE_MAX];
	const char *colon;
	int rc;

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
	rc = script_fetch(ctx, what, value, sizeof(value), &scope, &type);
	if (rc)
		return rc;
	base_name(what, base, sizeof(base));
	colon = strchr(what, ':');
	wb_strlcpy(want, colon ? colon + 1 : type, sizeof(want));
	show_line(scope, base, want, value, a.reveal);
	return 0;
}

/* isset VALUE: success when the (expanded) value is not empty */
static int cmd_isset(struct script_ctx *ctx, const struct cmd_args *a)
{
	/* exactly one word, as in iPXE: `isset ${x}` is one (empty) word when x is unset */
	return *a->argv[0] ? 0 : -WB_EFALSE;
}

/* iseq A B: success when equal */
static int cmd_iseq(struct script_ctx *ctx, const struct cmd_args *a)
{
	return strcmp(a->argv[0], a->argv[1]) ? -WB_EFALSE : 0;
}

/*
 * inc NAME [N]: add N (default 1; any number iPXE reads, so "-1" and "0x10"
 * too) to a numeric setting, wrapping at the type's width as iPXE does.  An
 * unset setting counts as 0 and is made int32; a setting whose type is not a
 * number (string, ipv4 …) cannot be incremented (iPXE: "Operation not
 * supported").
 */
static int cmd_inc(struct script_ctx *ctx, const struct cmd_args *a)
{
	char scope[SETTINGS_SCOPE_MAX], name[SETTINGS_NAME_MAX], want[SETTINGS_TYPE_MAX];
	char value[SETTINGS_VALUE_MAX], out[24];
	unsigned long long by = 1, cur = 0;
	const char *type = NULL;
	int rc;

	if (a->argc == 2 && settype_parse_number(a->argv[1], &by)) {
		/* said on the command's own error line, as every failure (tests/oracle) */
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "\"%s\" is not a number", a->argv[1]);
		return -WB_EBADVAL;
	}
	if (settings_split(a->argv[0], scope, name, want))
		return -WB_EINVAL;
	/* the stored value as it is (no type conversion): its raw bytes */
	{
		char bare[SETTINGS_SCOPE_MAX + SETTINGS_NAME_MAX + 2];

		wb_snprintf(bare, sizeof(bare), "%s%s%s", scope, *scope ? "/" : "", name);
		rc = settings_fetch(&ctx->settings, bare, value, sizeof(value), NULL, &type);
	}
	if (rc && rc != -WB_ENOSETTING)
		return rc;
	if (!*want)
		wb_strlcpy(want, rc ? "int32" : type, sizeof(want));
	if (strncmp(want, "int", 3) && strncmp(want, "uint", 4)) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s is of type %s, not a number",
			    a->argv[0], want);
		return -WB_ENOTSUP;
	}
	if (!rc) {
		uint8_t raw[SETTYPE_RAW_MAX];
		size_t len = 0;

		/* the bytes read as a big-endian number of the type's sign (iPXE) */
		if (!settype_raw(type, value, raw, sizeof(raw), &len) && len && len <= 8) {
			for (size_t i = 0; i < len; i++)
				cur = cur << 8 | raw[i];
			if (want[0] == 'i' && len < 8 && (raw[0] & 0x80))
				cur |= ~0ULL << (8 * len);
		}
	}
	wb_snprintf(out, sizeof(out), "%llu", cur + by);   /* truncated by the type */
	return settings_set_typed(&ctx->settings, scope, name, want, out);
}

/* goto LABEL: continue the running script at the line of ":LABEL" (its command runs) */
static int cmd_goto(struct script_ctx *ctx, const struct cmd_args *a)
{
	int rc;

	if (!*a->argv[0])
		return -WB_EUSAGE;
	rc = script_goto(ctx, a->argv[0]);
	if (rc == -WB_ENOLABEL)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), ":%s", a->argv[0]);
	return rc;
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
	{ "isset", cmd_isset, "isset VALUE", "succeed if VALUE (usually ${name}) is not empty",
	  NULL, 0, 1, 1 },
	{ "iseq", cmd_iseq, "iseq A B", "succeed if A equals B", NULL, 0, 2, 2 },
	{ "goto", cmd_goto, "goto LABEL", "continue the script at :LABEL", NULL, 0, 1, 1 },
	{ "inc", cmd_inc, "inc NAME [N]", "add N (default 1, may be negative) to a numeric setting", NULL, 0, 1, 2 },
};

static const struct cmd_table basic_table = { basic_cmds, WB_ARRAY_SIZE(basic_cmds) };

void script_register_basic(struct script_ctx *ctx)
{
	script_register(ctx, &basic_table);
	script_register_params(ctx);
}
