/*
 * script.c — tokenizer, expander and executor for iPXE script lines.
 *
 * A line is scanned once, left to right: quotes and escapes are resolved,
 * ${…} is replaced by the setting's value (which is never re-split or
 * re-expanded, so a value cannot inject commands), and unquoted `||` / `&&`
 * split the line into commands.  Each command then runs with the status of
 * the previous one deciding whether it runs (`a || b`: b only if a failed).
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"
#include "core/settype.h"
#include "script/mask.h"
#include "script/params.h"
#include "script/script.h"
#include "script/script_priv.h"

#define SCRIPT_EXPAND_DEPTH 8

void script_init(struct script_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	settings_init(&ctx->settings);
}

void script_fini(struct script_ctx *ctx)
{
	script_san_fini(ctx);
	script_ui_fini(ctx);
	script_images_fini(ctx);
	script_params_fini(ctx);
	settings_fini(&ctx->settings);
}

void script_register(struct script_ctx *ctx, const struct cmd_table *table)
{
	if (ctx->ntables < SCRIPT_MAX_TABLES)
		ctx->tables[ctx->ntables++] = table;
}

const struct cmd *script_find(const struct script_ctx *ctx, const char *name)
{
	for (int k = 0; k < ctx->ntables; k++)
		for (size_t i = 0; i < ctx->tables[k]->ncmds; i++)
			if (!strcmp(ctx->tables[k]->cmds[i].name, name))
				return &ctx->tables[k]->cmds[i];
	return NULL;
}

/*
 * iPXE's commands (ipxe.org/cmd) that wireboot does not provide at this
 * stage.  A script using one fails with "not supported: NAME", which `||`
 * can catch; `wireboot check` warns about them.
 */
static const char *const ipxe_commands[] = {
	"autoboot", "certfree", "certstat", "colour", "config", "console", "cpair", "cpuid",
	"digest", "fcels", "fcstat", "form", "gdbstub", "ibstat", "iflinkwait", "imgdecrypt",
	"imgmem", "ipstat", "lotest", "md5sum",
	"neighbour", "nstat", "pciscan", "poweroff", "present", "profstat",
	"pxebs", "reboot", "route", "sha1sum", "shim",
	"sync", "time", "ucode",
};

int script_ipxe_command(const char *name)
{
	for (size_t i = 0; i < WB_ARRAY_SIZE(ipxe_commands); i++)
		if (!strcmp(ipxe_commands[i], name))
			return 1;
	return 0;
}

/* ---- options ---------------------------------------------------------- */

int cmd_opt_index(const struct cmd *c, const char *name)
{
	for (int i = 0; i < c->nopts; i++)
		if (!strcmp(c->opts[i].name, name))
			return i;
	return -1;
}

static int cmd_parse_fail(const struct cmd *c, struct cmd_args *out, const char *where,
			  const char *what, const char *arg)
{
	/* cut short, a word could end in part of a secret that masking would miss */
	if ((size_t)wb_snprintf(out->why, sizeof(out->why), "%s%s", what, arg ? arg : "") >=
	    sizeof(out->why))
		wb_snprintf(out->why, sizeof(out->why), "%s(too long to show)", what);
	if (where)
		wb_printf("%s%s: %s%s\n", where, c->name, what, arg ? arg : "");
	return -WB_EUSAGE;
}

const char *cmd_optval(const struct cmd *c, const struct cmd_args *a, const char *name)
{
	int k = cmd_opt_index(c, name);

	return k >= 0 && a->given[k] ? a->val[k] : NULL;
}

int cmd_parse(const struct cmd *c, int argc, char **argv, struct cmd_args *out,
	      const char *where)
{
	int i = 1;

	memset(out, 0, sizeof(*out));
	out->name = c->name;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i], *val = NULL;
		int k = -1;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			for (int j = 0; j < c->nopts; j++)
				if (strlen(c->opts[j].name) == n && !strncmp(c->opts[j].name, a + 2, n))
					k = j;
			if (k >= 0 && eq) {
				if (!c->opts[k].has_arg)
					return cmd_parse_fail(c, out, where, "option takes no value: ", a);
				val = eq + 1;
			}
		} else if (!a[2]) {
			for (int j = 0; j < c->nopts; j++)
				if (c->opts[j].short_name == a[1])
					k = j;
		}
		if (k < 0)
			return cmd_parse_fail(c, out, where, "unknown option ", a);
		if (c->opts[k].has_arg && !val) {
			if (i + 1 >= argc)
				return cmd_parse_fail(c, out, where, "option needs a value: ", a);
			val = argv[++i];
		}
		out->given[k] = 1;
		out->val[k] = val ? val : "";
	}
	out->argc = argc - i;
	out->argv = argv + i;
	if (out->argc < c->min_args)
		return cmd_parse_fail(c, out, where, "missing argument; usage: ", c->usage);
	if (c->max_args != CMD_ARGS_ANY && out->argc > c->max_args)
		return cmd_parse_fail(c, out, where, "too many arguments; usage: ", c->usage);
	return 0;
}

/* ---- expansion -------------------------------------------------------- */

struct sbuf {
	char *p;
	size_t len, cap;
	int overflow;
};

static void sb_putc(struct sbuf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		b->overflow = 1;
		return;
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

/*
 * Expand the ${…} starting at @s (pointing at '$').  Nested references in
 * the name (${net${i}/ip}) are expanded first.  Returns the number of input
 * bytes consumed, or a negative error.
 */
static int expand_ref(const struct script_ctx *ctx, const char *s, struct sbuf *out, int depth)
{
	char name[SETTINGS_SCOPE_MAX + SETTINGS_NAME_MAX + 8];
	struct sbuf nb = { name, 0, sizeof(name), 0 };
	const char *p = s + 2;

	if (depth > SCRIPT_EXPAND_DEPTH)
		return -WB_ETOOBIG;
	name[0] = '\0';
	while (*p && *p != '}') {
		if (p[0] == '$' && p[1] == '{') {
			int n = expand_ref(ctx, p, &nb, depth + 1);

			if (n < 0)
				return n;
			p += n;
		} else {
			sb_putc(&nb, *p++);
		}
	}
	if (*p != '}')
		return -WB_ESYNTAX;
	if (nb.overflow)
		return -WB_ETOOBIG;
	if (!name[0])
		return (int)(p + 1 - s);   /* ${} is empty (ipxe.org/cmd/iseq uses it) */
	if (ctx->check_mode) {   /* static check: keep the reference visible */
		sb_puts(out, "${");
		sb_puts(out, name);
		sb_puts(out, "}");
		return (int)(p + 1 - s);
	}
	{
		char *v = plat_malloc(SETTINGS_VALUE_MAX);
		int rc;

		if (!v)
			return -WB_ENOMEM;
		rc = script_fetch(ctx, name, v, SETTINGS_VALUE_MAX, NULL, NULL);
		if (!rc)
			sb_puts(out, v);
		plat_free(v);
		/*
		 * As iPXE: a reference that cannot be shown (unset, no such scope,
		 * unknown or empty type "${x:}", a value that does not fit the
		 * type) is empty, never a script-stopping error.
		 */
		if (rc == -WB_ENOMEM || rc == -WB_ETOOBIG)
			return rc;
	}
	return (int)(p + 1 - s);
}

int script_fetch(const struct script_ctx *ctx, const char *name, char *out, size_t cap,
		 const char **scope, const char **type)
{
	const char *colon = strchr(name, ':');
	size_t n = colon ? (size_t)(colon - name) : strlen(name);

	/* dynamic built-ins (ipxe.org/cfg/unixtime) */
	if ((n == 8 && !strncmp(name, "unixtime", 8)) ||
	    (n == 16 && !strncmp(name, "builtin/unixtime", 16))) {
		int64_t t;
		char num[24];
		uint8_t raw[4];

		if (wallclock_now(&ctx->clock, &t))
			return -WB_ENOSETTING;
		if (scope)
			*scope = "builtin";
		if (type)
			*type = "uint32";
		if (!colon) {
			wb_snprintf(num, sizeof(num), "%lld", (long long)t);
			return wb_strlcpy(out, num, cap) < cap ? 0 : -WB_ETOOBIG;
		}
		wb_put32(raw, (uint32_t)t);
		if (!settype_known(colon + 1))
			return -WB_EINVAL;
		return settype_format(colon + 1, raw, 4, out, cap);
	}
	return settings_fetch(&ctx->settings, name, out, cap, scope, type);
}

int script_expand(const struct script_ctx *ctx, const char *in, char *out, size_t cap)
{
	struct sbuf b = { out, 0, cap, 0 };

	if (!cap)
		return -WB_ETOOBIG;
	out[0] = '\0';
	while (*in) {
		if (in[0] == '$' && in[1] == '{') {
			int n = expand_ref(ctx, in, &b, 0);

			if (n == -WB_ESYNTAX) {   /* unterminated ${: literal text, as iPXE */
				sb_putc(&b, '$');
				n = 1;
			}
			if (n < 0)
				return n;
			in += n;
		} else {
			sb_putc(&b, *in++);
		}
	}
	return b.overflow ? -WB_ETOOBIG : 0;
}

/* ---- tokenizer -------------------------------------------------------- */

/* expand_ref() for the tokenizer: on failure, say why in @pl. */
static int expand_word_ref(const struct script_ctx *ctx, const char *p, struct sbuf *b,
			   struct parsed_line *pl)
{
	int n = expand_ref(ctx, p, b, 0);

	if (n == -WB_ESYNTAX) {   /* unterminated ${: literal text, as iPXE */
		sb_putc(b, '$');
		return 1;
	}
	if (n < 0)
		pl->why = "expansion too deep or too long";
	return n;
}

int script_is_blank(char c)
{
	/* iPXE's isspace(): the only separators of its command line */
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int script_parse_line(const struct script_ctx *ctx, const char *line, struct parsed_line *pl)
{
	struct sbuf b = { pl->buf, 0, sizeof(pl->buf), 0 };
	size_t len = strlen(line);
	char *copy = plat_malloc(len + 1), *p;
	int rc = 0;

	pl->argc = 0;
	pl->ncmds = 0;
	pl->start[0] = 0;
	pl->why = NULL;
	if (!copy)
		return -WB_ENOMEM;
	memcpy(copy, line, len + 1);
	for (p = copy;;) {
		char *end, saved;

		while (script_is_blank(*p))
			p++;
		if (!*p || *p == '#')
			break;   /* a word starting with # begins a comment */
		if (pl->argc == SCRIPT_ARGS_MAX) {
			pl->why = "too many arguments";
			rc = -WB_ETOOBIG;
			goto out;
		}
		pl->argv[pl->argc++] = pl->buf + b.len;
		/* a word: everything up to the next blank, quotes and backslashes included;
		 * split before expansion, as iPXE does, so ${...} never spans a blank */
		for (end = p; *end && !script_is_blank(*end); end++)
			;
		saved = *end;
		*end = '\0';
		while (*p) {
			if (p[0] == '$' && p[1] == '{') {
				int n = expand_word_ref(ctx, p, &b, pl);

				if (n < 0) {
					rc = n;
					goto out;
				}
				p += n;
			} else {
				sb_putc(&b, *p++);
			}
		}
		*end = saved;
		sb_putc(&b, '\0');   /* ends the word; the next starts after it */
		if (b.overflow) {
			pl->why = "line too long after expansion";
			rc = -WB_ETOOBIG;
			goto out;
		}
	}
	pl->ncmds++;
	pl->start[pl->ncmds] = pl->argc;
	pl->argv[pl->argc] = NULL;
out:
	plat_free(copy);
	return rc;
}

/* ---- execution -------------------------------------------------------- */

static int run_cmd(struct script_ctx *ctx, int argc, char **argv, const char *where)
{
	const struct cmd *c = script_find(ctx, argv[0]);
	char *saved = argv[argc];
	int rc;

	if (!c) {
		if (script_ipxe_command(argv[0])) {
			wb_printf("%snot supported: %s\n", where, argv[0]);   /* a known name */
			return -WB_ENOTSUPCMD;
		}
		wb_puts(where);
		script_print_masked(ctx, argv[0]);   /* may come from ${...} */
		wb_printf(": %s\n", wb_strerror(-WB_ENOCMD));
		return -WB_ENOCMD;
	}
	argv[argc] = NULL;
	ctx->detail[0] = '\0';
	{
		struct cmd_args a;

		/* printed here, not by cmd_parse: a bad option may come from ${...} */
		rc = cmd_parse(c, argc, argv, &a, NULL);
		if (!rc) {
			rc = c->fn(ctx, &a);
		} else {
			wb_printf("%s%s: ", where, c->name);
			script_print_masked(ctx, a.why);
			wb_puts("\n");
			rc = -WB_EUSAGE_SHOWN;
		}
	}
	argv[argc] = saved;
	if (rc == -WB_EUSAGE)
		wb_printf("%s%s: usage: %s\n", where, argv[0], c->usage);
	else if (rc == -WB_EUSAGE_SHOWN)
		rc = -WB_EUSAGE;
	else if (rc < 0 && rc != -WB_EEXIT && rc != -WB_EFALSE) {
		wb_printf("%s%s: %s", where, argv[0], wb_strerror(rc));
		if (ctx->detail[0]) {
			wb_puts(" (");
			script_print_masked(ctx, ctx->detail);
			wb_puts(")");
		}
		wb_puts("\n");
	}
	return rc;
}

int script_split_line(const char *line, struct line_seg *segs, int *nsegs, const char **why)
{
	const char *p = line, *start = line;
	int n = 0;

	*why = NULL;
	for (;;) {
		const char *w;
		size_t len;
		int op = OP_NONE;

		while (script_is_blank(*p))
			p++;
		if (!*p || *p == '#')
			break;   /* the end, or a comment to the end of the line */
		w = p;
		while (*p && !script_is_blank(*p))
			p++;
		len = (size_t)(p - w);
		/* only a whole word is an operator: `a&&b` and `x;y` are text */
		if (len == 2 && w[0] == '|' && w[1] == '|')
			op = OP_OR;
		else if (len == 2 && w[0] == '&' && w[1] == '&')
			op = OP_AND;
		else if (len == 1 && w[0] == ';')
			op = OP_SEQ;
		if (!op)
			continue;
		if (n == SCRIPT_MAX_SEGS - 1) {
			*why = "too many commands on one line";
			return -WB_ETOOBIG;
		}
		segs[n].start = start;
		segs[n].len = (size_t)(w - start);
		segs[n].op = op;
		n++;
		start = p;
	}
	segs[n].start = start;
	segs[n].len = (size_t)(p - start);
	segs[n].op = OP_NONE;
	*nsegs = n + 1;
	return 0;
}

int script_seg_blank(const struct line_seg *sg)
{
	for (size_t i = 0; i < sg->len; i++) {
		char c = sg->start[i];

		if (c == '#')
			return 1;
		if (!script_is_blank(c))
			return 0;
	}
	return 1;
}

const char *script_skip_label(const char *line)
{
	while (script_is_blank(*line))
		line++;
	if (*line != ':')
		return NULL;
	while (*line && !script_is_blank(*line))
		line++;
	return line;
}

/* Replace the user info of every "scheme://user[:password]@" in @s by "***" (in place). */
void script_redact_userinfo(char *s)
{
	for (char *p = strstr(s, "://"); p; p = strstr(p, "://")) {
		char *start = p + 3, *q = start;

		while (*q && *q != '/' && *q != '@' && *q != ' ' && *q != '\t' && *q != '"' && *q != '\'')
			q++;
		if (*q == '@' && q > start) {
			size_t tail = strlen(q) + 1;

			if (q - start >= 3) {
				memcpy(start, "***", 3);
				memmove(start + 3, q, tail);
			} else {
				memset(start, '*', (size_t)(q - start));
			}
		}
		p = start;
	}
}

/* Print @s with control bytes shown as \xNN (a script must not drive the terminal). */
void script_print_safe(const char *s)
{
	char buf[256];
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (n + 5 >= sizeof(buf)) {
			plat_write(buf, n);
			n = 0;
		}
		if (c < 0x20 || c >= 0x7f)
			n += (size_t)wb_snprintf(buf + n, sizeof(buf) - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	plat_write(buf, n);
}

static int exec_line_at(struct script_ctx *ctx, const char *line, const char *where)
{
	struct line_seg segs[SCRIPT_MAX_SEGS];
	struct parsed_line *pl;
	const char *s = script_skip_label(line), *why;
	int rc = 0, n;

	if (!s)
		s = line;   /* `:label command` runs the command, as iPXE does */
	while (script_is_blank(*s))
		s++;
	if (!*s || *s == '#')
		return 0;
	rc = script_split_line(s, segs, &n, &why);
	if (rc) {
		wb_printf("%s%s: %s\n", where, wb_strerror(rc), why);
		return rc;
	}
	pl = plat_malloc(sizeof(*pl));
	if (!pl)
		return -WB_ENOMEM;
	for (int k = 0; k < n && !ctx->exit_requested && !ctx->goto_pending; k++) {
		char *cmd;
		int r;

		if (k > 0) {
			int op = segs[k - 1].op;

			if ((op == OP_AND && rc != 0) || (op == OP_OR && rc == 0))
				continue;
		}
		if (script_seg_blank(&segs[k])) {
			rc = 0;   /* an empty command does nothing, successfully (`cmd ||`) */
			continue;
		}
		cmd = plat_malloc(segs[k].len + 1);
		if (!cmd) {
			rc = -WB_ENOMEM;
			break;
		}
		memcpy(cmd, segs[k].start, segs[k].len);
		cmd[segs[k].len] = '\0';
		r = script_parse_line(ctx, cmd, pl);
		if (r) {
			wb_printf("%s%s: %s\n", where, wb_strerror(r), pl->why ? pl->why : "");
			plat_free(cmd);
			rc = r;
			break;   /* an expansion error ends the line, `||` or not */
		}
		rc = pl->argc ? run_cmd(ctx, pl->argc, pl->argv, where) : 0;
		plat_free(cmd);
	}
	plat_free(pl);
	return rc;
}

int script_exec_line(struct script_ctx *ctx, const char *line)
{
	return exec_line_at(ctx, line, "");
}

/* Does the physical line from @start to @e (its '\n' or the end) end in a backslash? */
static int ends_in_backslash(const char *text, size_t start, size_t e)
{
	if (e > start && text[e - 1] == '\r')
		e--;
	return e > start && text[e - 1] == '\\';
}

int script_read_line(const char *text, size_t len, size_t *pos, char *line, int *nlines,
		     const char **why)
{
	size_t p = *pos, n = 0;

	*nlines = 0;
	*why = NULL;
	for (;;) {
		size_t start = p;

		++*nlines;
		while (p < len && text[p] != '\n') {
			if (!text[p]) {
				/* a text script never holds NUL: refuse rather than stop quietly */
				*why = "NUL byte in the script (binary file?)";
				return -WB_ESYNTAX;
			}
			if (n + 1 >= SCRIPT_LINE_MAX) {
				*why = "line longer than 4095 bytes";
				return -WB_ETOOBIG;
			}
			line[n++] = text[p++];
		}
		if (n && line[n - 1] == '\r')
			n--;
		if (!ends_in_backslash(text, start, p)) {
			if (p < len)
				p++;
			break;
		}
		n--;   /* iPXE: `\` at the end joins the next line, nothing between */
		if (p + 1 >= len) {   /* iPXE fails the script here, silently */
			*why = "backslash at the end of the last line (continues into nothing)";
			return -WB_ESYNTAX;
		}
		p++;
	}
	line[n] = '\0';
	*pos = p;
	return 0;
}

/*
 * Find ":label" at the start of a logical line (leading blanks allowed; the
 * label ends at the first blank; a line continued from a backslash does not
 * start one).  Sets *pos to the label's own line (it runs again: after
 * `goto x`, `:x cmd` runs cmd) and *lineno to its number.
 */
int script_find_label(const char *text, size_t len, const char *label, size_t *pos, int *lineno)
{
	size_t p = 0, ll = strlen(label);
	int n = 0, cont = 0;

	while (p < len) {
		size_t e = p, q;
		int was_cont = cont;

		n++;
		while (e < len && text[e] != '\n')
			e++;
		cont = ends_in_backslash(text, p, e);
		q = p;
		while (q < e && script_is_blank(text[q]))
			q++;
		if (!was_cont && q < e && text[q] == ':' && e - q - 1 >= ll &&
		    !memcmp(text + q + 1, label, ll) &&
		    (q + 1 + ll == e || script_is_blank(text[q + 1 + ll]))) {
			*pos = p;
			*lineno = n;
			return 0;
		}
		p = e < len ? e + 1 : e;
	}
	return -WB_ENOLABEL;
}

static int script_run_body(struct script_ctx *ctx, const char *text, size_t len,
			   const char *name, char *line);

int script_goto(struct script_ctx *ctx, const char *label)
{
	if (!ctx->depth || !ctx->cur_text)
		return -WB_ENOTSCRIPT;
	if (script_find_label(ctx->cur_text, ctx->cur_len, label, &ctx->goto_pos, &ctx->goto_line))
		return -WB_ENOLABEL;
	ctx->goto_pending = 1;
	return 0;
}

int script_run(struct script_ctx *ctx, const char *text, size_t len, const char *name)
{
	char *line;
	int rc = 0;

	if (ctx->depth >= SCRIPT_MAX_DEPTH)
		return -WB_ENESTING;
	line = plat_malloc(SCRIPT_LINE_MAX);
	if (!line)
		return -WB_ENOMEM;
	ctx->exit_requested = 0;
	ctx->depth++;
	{
		const char *saved_text = ctx->cur_text;
		size_t saved_len = ctx->cur_len;

		ctx->cur_text = text;
		ctx->cur_len = len;
		rc = script_run_body(ctx, text, len, name, line);
		ctx->cur_text = saved_text;
		ctx->cur_len = saved_len;
	}
	ctx->depth--;
	plat_free(line);
	return rc;
}

static int script_run_body(struct script_ctx *ctx, const char *text, size_t len,
			   const char *name, char *line)
{
	size_t pos = 0;
	int next = 1, lineno, nl, rc = 0;
	const char *why;

	while (pos < len) {
		char where[96];

		lineno = next;
		rc = script_read_line(text, len, &pos, line, &nl, &why);
		if (rc) {
			wb_printf("%s:%d: %s\n", name, lineno + nl - 1, why);
			break;
		}
		next = lineno + nl;
		wb_snprintf(where, sizeof(where), "%s:%d: ", name, lineno);
		ctx->goto_pending = 0;
		rc = exec_line_at(ctx, line, where);
		if (ctx->exit_requested) {
			rc = ctx->exit_status;
			break;
		}
		if (ctx->goto_pending) {   /* the label's line runs next (`:x cmd` runs cmd) */
			ctx->goto_pending = 0;
			pos = ctx->goto_pos;
			next = ctx->goto_line;
			rc = 0;
		}
		if (rc) {
			wb_printf("%s:%d: script stopped: ", name, lineno);
			/* the line itself may hold `set password X` or user:password@ */
			script_print_masked(ctx, line);
			wb_puts("\n");
			break;
		}
		if (script_cancel_pressed()) {   /* Ctrl-C also ends a busy loop */
			wb_printf("%s:%d: %s\n", name, lineno, wb_strerror(-WB_ECANCELED));
			rc = -WB_ECANCELED;
			break;
		}
	}
	return rc;
}

/*
 * Keys read while a command waits are not lost: anything but Ctrl-C goes to
 * a small type-ahead queue that script_getkey() hands out first, so a shell
 * fed faster than it runs (a paste, a test driver) keeps every line.
 */
static int typeahead[256];
static unsigned ta_head, ta_tail;

int script_getkey(void)
{
	if (ta_head != ta_tail)
		return typeahead[ta_tail++ % 256];
	return plat_getkey();
}

int script_cancel_pressed(void)
{
	static uint64_t last;
	uint64_t now = plat_ms();
	int k;

	if (now - last < 20)
		return 0;
	last = now;
	while (ta_head - ta_tail < 256 && (k = plat_getkey()) != PLAT_KEY_NONE) {
		if (k == PLAT_KEY_CTRL_C) {
			ta_head = ta_tail = 0;   /* Ctrl-C also discards type-ahead */
			return 1;
		}
		typeahead[ta_head++ % 256] = k;
		if (k == PLAT_KEY_EOF)
			break;
	}
	return 0;
}
