/*
 * check.c — `wireboot check`: a static check of a script, run before it is
 * deployed.  Every line goes through the same splitter and tokenizer the
 * interpreter uses (in check mode, ${…} stays literal), then each command
 * is looked up and its options parsed with its declared table, without
 * running anything.  A second look at the whole file checks goto targets
 * and menus.
 *
 * What is not flagged: anything that depends on run-time values (a goto
 * target or menu name built from ${…}, operands that expand to nothing).
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"
#include "script/script_priv.h"

#define CHECK_MAX_NAMES 64

struct check_state {
	struct script_ctx *ctx;
	const char *name;
	const char *text;
	size_t len;
	int strict;
	int errors, warnings;
	/* menus that items fill, and menus choose reads (line numbers for the latter) */
	char filled[CHECK_MAX_NAMES][32];
	int nfilled;
	char chosen[CHECK_MAX_NAMES][32];
	int chosen_line[CHECK_MAX_NAMES];
	int nchosen;
};

static void check_report(struct check_state *st, int line, int error, const char *fmt,
			 const char *a, const char *b)
{
	char msg[256];

	wb_snprintf(msg, sizeof(msg), fmt, a ? a : "", b ? b : "");
	wb_printf("%s:%d: %s: ", st->name, line, error ? "error" : "warning");
	script_print_safe(msg);
	wb_puts("\n");
	if (error)
		st->errors++;
	else
		st->warnings++;
}

/* Length of the word at @s (up to a blank or the end). */
static size_t strcspn_ws(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\r')
		n++;
	return n;
}

static int has_ref(const char *s)
{
	return strstr(s, "${") != NULL;
}

/*
 * 1 when the line builds a "${" out of an expansion's result: "$${x}" (a '$'
 * then a value that may start with '{') or "${x}{" (a value that may end
 * with '$', then '{').  iPXE expands such a result again; wireboot never
 * does (a value must not inject references), so the line may differ.
 */
static int check_builds_ref(const char *s, int *unterminated)
{
	int depth = 0;

	*unterminated = 0;
	for (; *s; s++) {
		if (s[0] == '$' && s[1] == '$' && s[2] == '{')
			return 1;
		if (s[0] == '$' && s[1] == '{') {
			depth++;
			s++;
		} else if (*s == '}' && depth) {
			if (!--depth && s[1] == '{')
				return 1;
		}
	}
	*unterminated = depth > 0;
	return 0;
}

static void check_add(char (*list)[32], int *n, const char *menu)
{
	if (*n < CHECK_MAX_NAMES)
		wb_strlcpy(list[(*n)++], menu, 32);
}

static void check_command(struct check_state *st, int line, struct parsed_line *pl)
{
	const struct cmd *c = script_find(st->ctx, pl->argv[0]);
	struct cmd_args a;

	if (has_ref(pl->argv[0]))
		return;   /* command name computed at run time */
	if (!c) {
		if (script_ipxe_command(pl->argv[0]))
			check_report(st, line, st->strict,
				     "%s: iPXE command not supported by wireboot%s", pl->argv[0], NULL);
		else
			check_report(st, line, 1, "%s: unknown command%s", pl->argv[0], NULL);
		return;
	}
	if (cmd_parse(c, pl->argc, pl->argv, &a, NULL)) {
		check_report(st, line, 1, "%s: %s", c->name, a.why);
		return;
	}
	if (!strcmp(c->name, "goto") && !has_ref(a.argv[0])) {
		size_t pos;
		int l;

		if (script_find_label(st->text, st->len, a.argv[0], &pos, &l))
			check_report(st, line, 1, "goto: no label :%s in this script%s", a.argv[0], NULL);
	}
	if (!strcmp(c->name, "show") && (!a.argc || (a.argv[0][0] && a.argv[0][strlen(a.argv[0]) - 1] == '/')))
		check_report(st, line, 0, "show without a setting name lists settings in wireboot "
			     "only; iPXE refuses it (usage error)%s%s", NULL, NULL);
	if (!strcmp(c->name, "item")) {
		const char *m = cmd_optval(c, &a, "menu");

		check_add(st->filled, &st->nfilled, m ? m : "");
	}
	if (!strcmp(c->name, "choose")) {
		const char *m = cmd_optval(c, &a, "menu");

		if (!m || !has_ref(m)) {
			if (st->nchosen < CHECK_MAX_NAMES)
				st->chosen_line[st->nchosen] = line;
			check_add(st->chosen, &st->nchosen, m ? m : "");
		}
	}
}

static void check_line(struct check_state *st, int line, const char *text,
		       struct parsed_line *pl)
{
	struct line_seg segs[SCRIPT_MAX_SEGS];
	const char *s = text, *why;
	int n, rc, open_ref;

	while (script_is_blank(*s))
		s++;
	if (*s == ':') {   /* a label: defined twice?  Its command (if any) runs too. */
		size_t pos;
		int first;
		char label[64];
		size_t l = strcspn_ws(s + 1);

		if (l >= sizeof(label))
			l = sizeof(label) - 1;
		memcpy(label, s + 1, l);
		label[l] = '\0';
		if (!l)
			check_report(st, line, 1, "empty label%s%s", NULL, NULL);
		else if (!script_find_label(st->text, st->len, label, &pos, &first) && first != line)
			check_report(st, line, 0, "label :%s also defined on an earlier line%s", label,
				     NULL);
		s = script_skip_label(s);
		while (script_is_blank(*s))
			s++;
	}
	if (!*s || *s == '#')
		return;
	if (check_builds_ref(s, &open_ref))
		check_report(st, line, 0,
			     "a ${...} here could build another ${...}: iPXE expands it again, "
			     "wireboot does not (docs/scripting.md)%s%s", NULL, NULL);
	else if (open_ref)
		check_report(st, line, 0, "unterminated ${ (kept as literal text, as iPXE does)%s%s",
			     NULL, NULL);
	rc = script_split_line(s, segs, &n, &why);
	if (rc) {
		check_report(st, line, 1, "%s: %s", wb_strerror(rc), why);
		return;
	}
	for (int k = 0; k < n; k++) {
		char *cmd;

		if (script_seg_blank(&segs[k]))
			continue;
		cmd = plat_malloc(segs[k].len + 1);
		if (!cmd)
			return;
		memcpy(cmd, segs[k].start, segs[k].len);
		cmd[segs[k].len] = '\0';
		rc = script_parse_line(st->ctx, cmd, pl);
		if (rc)
			check_report(st, line, 1, "%s: %s", wb_strerror(rc), pl->why ? pl->why : "");
		else if (pl->argc)
			check_command(st, line, pl);
		plat_free(cmd);
	}
}

/* iPXE's test for a script: "#!ipxe" or "#!gpxe" and a blank (image/script.c's probe). */
int script_has_header(const char *text, size_t len)
{
	return len >= 7 && (!memcmp(text, "#!ipxe", 6) || !memcmp(text, "#!gpxe", 6)) &&
	       script_is_blank(text[6]);
}

int script_check(struct script_ctx *ctx, const char *text, size_t len, const char *name,
		 int strict)
{
	struct check_state *st = plat_malloc(sizeof(*st));
	struct parsed_line *pl = plat_malloc(sizeof(*pl));
	char *line = plat_malloc(SCRIPT_LINE_MAX);
	size_t pos = 0;
	int lineno = 0, errors;

	if (!st || !pl || !line) {
		plat_free(st);
		plat_free(pl);
		plat_free(line);
		return -WB_ENOMEM;
	}
	memset(st, 0, sizeof(*st));
	st->ctx = ctx;
	st->name = name;
	st->text = text;
	st->len = len;
	st->strict = strict;
	ctx->check_mode = 1;
	if (!script_has_header(text, len))
		check_report(st, 1, 0, "no #!ipxe header: iPXE does not run this as a script, and "
			     "neither does wireboot when it is fetched (chain, imgexec)%s%s",
			     NULL, NULL);
	while (pos < len) {
		int nl;
		const char *why;

		lineno++;
		if (script_read_line(text, len, &pos, line, &nl, &why)) {
			check_report(st, lineno, 1, "%s%s", why, NULL);
			while (pos < len && text[pos] != '\n')   /* go on after this line */
				pos++;
			pos++;
			continue;
		}
		check_line(st, lineno, line, pl);
		lineno += nl - 1;
	}
	for (int i = 0; i < st->nchosen; i++) {
		int found = 0;

		for (int j = 0; j < st->nfilled && !found; j++)
			found = !strcmp(st->chosen[i], st->filled[j]);
		if (!found)
			check_report(st, st->chosen_line[i], 1, "choose: menu %s has no items%s",
				     *st->chosen[i] ? st->chosen[i] : "(default)", NULL);
	}
	ctx->check_mode = 0;
	wb_printf("%s: %d error%s, %d warning%s\n", name, st->errors, st->errors == 1 ? "" : "s",
		  st->warnings, st->warnings == 1 ? "" : "s");
	errors = st->errors;
	plat_free(st);
	plat_free(pl);
	plat_free(line);
	return errors;
}
