/*
 * shell.c — the interactive shell: the line editor over the console, with
 * the context's history ring and completion of command names from the
 * registered command tables.  Used by the `wireboot> ` prompt (app_shell)
 * and by the `shell` command.
 */
#include <string.h>

#include "core/err.h"
#include "net/net.h"
#include "platform/platform.h"
#include "script/ui.h"

/* Candidate @i: the command names of every table, in table order. */
static const char *shell_complete(void *arg, const char *line, size_t ws, size_t we, int i)
{
	const struct script_ctx *ctx = arg;

	/* only the first word of the line is a command name */
	for (size_t k = 0; k < ws; k++)
		if (line[k] != ' ' && line[k] != '\t')
			return NULL;
	for (int t = 0; t < ctx->ntables; t++) {
		if ((size_t)i < ctx->tables[t]->ncmds)
			return ctx->tables[t]->cmds[i].name;
		i -= (int)ctx->tables[t]->ncmds;
	}
	return NULL;
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
