/*
 * shell.c — the interactive shell: the line editor over the console, with
 * the context's history ring and completion of command names from the
 * registered command tables and of setting names after set/clear/show/read.
 * Used by the `wireboot> ` prompt (app_shell) and by the `shell` command.
 */
#include <string.h>

#include "core/err.h"
#include "net/net.h"
#include "platform/platform.h"
#include "script/ui.h"

/* The commands whose first argument is a setting name. */
static int shell_takes_setting(const char *line, size_t len)
{
	static const char *const cmds[] = { "set", "clear", "show", "read" };

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strlen(cmds[i]) == len && !strncmp(line, cmds[i], len))
			return 1;
	return 0;
}

/* settings_foreach() walker: the name of the setting at position @want, and
 * the position of the first setting named @match. */
struct shell_setting_walk {
	int want, pos, first;
	const char *name, *match;
};

static void shell_walk_setting(void *arg, const char *scope, const char *name, const char *type,
			       const char *value)
{
	struct shell_setting_walk *w = arg;

	(void)scope;
	(void)type;
	(void)value;
	if (w->pos == w->want)
		w->name = name;
	if (w->match && w->first < 0 && !strcmp(name, w->match))
		w->first = w->pos;
	w->pos++;
}

/* Candidate @i: the first word is a command name, from every table in table
 * order; the first argument of set/clear/show/read (after any options) is
 * the name of a setting that exists (unqualified, as ${name} reads it; the
 * strings belong to the store, which does not change while a line is
 * edited). */
static const char *shell_complete(void *arg, const char *line, size_t ws, size_t we, int i)
{
	const struct script_ctx *ctx = arg;
	size_t k = 0, cmd_start, cmd_end;

	(void)we;
	while (k < ws && (line[k] == ' ' || line[k] == '\t'))
		k++;
	if (k == ws) {   /* the first word: a command name */
		for (int t = 0; t < ctx->ntables; t++) {
			if ((size_t)i < ctx->tables[t]->ncmds)
				return ctx->tables[t]->cmds[i].name;
			i -= (int)ctx->tables[t]->ncmds;
		}
		return NULL;
	}
	cmd_start = k;
	while (k < ws && line[k] != ' ' && line[k] != '\t')
		k++;
	cmd_end = k;
	for (;;) {   /* skip blanks and options (show --reveal NAME) */
		while (k < ws && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == ws || line[k] != '-')
			break;
		while (k < ws && line[k] != ' ' && line[k] != '\t')
			k++;
	}
	if (k != ws || !shell_takes_setting(line + cmd_start, cmd_end - cmd_start))
		return NULL;     /* not the first argument of a setting command */
	/* distinct names in store order: a name set in several scopes once */
	for (int n = 0;; n++) {
		struct shell_setting_walk w = { n, 0, -1, NULL, NULL };

		settings_foreach(&ctx->settings, NULL, shell_walk_setting, &w);
		if (!w.name)
			return NULL;
		w.match = w.name;
		w.pos = 0;
		w.want = -1;
		settings_foreach(&ctx->settings, NULL, shell_walk_setting, &w);
		if (w.first == n && i-- == 0)
			return w.match;
	}
}

int script_shell(struct script_ctx *ctx)
{
	struct ui_state *ui = script_ui(ctx);
	char *line;
	int rc = 0;

	if (!ui)
		return -WB_ENOMEM;
	line = plat_malloc(SCRIPT_LINE_MAX);
	if (!line)
		return -WB_ENOMEM;
	ctx->exit_requested = 0;
	while (!ctx->exit_requested) {
		struct le_opts o = { .prompt = "wireboot> ", .history = &ui->history,
				     .complete = shell_complete, .complete_arg = ctx };
		int r = script_ui_readline(ctx, &o, line, SCRIPT_LINE_MAX, 0);

		if (r == -WB_EEOF)
			break;
		if (r == -WB_ECANCELED)
			continue;
		if (r < 0) {
			rc = r;
			break;
		}
		le_history_add(&ui->history, line);   /* no memory: just not kept */
		rc = script_exec_line(ctx, line);
	}
	if (ctx->exit_requested)
		rc = ctx->exit_status;
	plat_free(line);
	return rc;
}
