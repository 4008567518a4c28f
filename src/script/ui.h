/*
 * ui.h — the interactive side of the interpreter: the shell loop and the
 * per-context UI state behind `menu`, `item`, `choose`, `prompt`, `login`,
 * `read` and `shell` (cmds_ui.c, shell.c).
 *
 * The state hangs off struct script_ctx.ui (void *, owned here): menus
 * defined and not yet consumed by `choose`, the shell's history ring, and
 * the console key source used by the line editor.  It is allocated on
 * first use and freed by script_ui_fini() (called from script_fini()).
 */
#ifndef WB_SCRIPT_UI_H
#define WB_SCRIPT_UI_H

#include <stdint.h>

#include "script/lineedit.h"
#include "script/script.h"

struct ui_menu;

struct ui_state {
	struct ui_menu *menus;          /* singly linked, newest first */
	struct le_history history;      /* shell history (all nesting levels) */
	struct le_io io;                /* script_getkey() / plat_write() */
	struct script_ctx *ctx;
	uint64_t deadline;              /* for io.idle: 0 = none */
};

/** The context's UI state, allocated on first use; NULL when out of memory. */
struct ui_state *script_ui(struct script_ctx *ctx);

/**
 * Read a line from the console with the editor (net_poll() while idle).
 * @timeout_ms 0 waits forever.  Returns as le_readline(), with
 * -WB_ETIMEDOUT when the timeout passed.
 */
int script_ui_readline(struct script_ctx *ctx, const struct le_opts *o, char *buf, size_t cap,
		       unsigned long timeout_ms);

/**
 * The interactive shell: prompt "wireboot> ", line editing, history,
 * completion of command names and setting names, until `exit` or end of
 * input (or Ctrl-D on an empty line).
 * @return the status of the last command (or exit's status, which is then
 * left in ctx->exit_status with ctx->exit_requested set).
 */
int script_shell(struct script_ctx *ctx);

#endif
