/*
 * script.h — the command interpreter: iPXE script lines, the command table,
 * and the context commands run in.
 *
 * This language: one command per line, `#` comments, `:label` lines
 * (skipped), `#!ipxe` header, "…" and '…' quoting, backslash escapes,
 * ${name} / ${scope/name} expansion (unset → empty), `a || b`, `a && b`.
 * A failing command not caught by `||` ends the script with its error.
 * The full language (goto, typed expansion, menus …) extends this module.
 *
 * Commands live in tables (struct cmd_table) that modules register; later
 * issues add tables rather than editing this one.
 */
#ifndef WB_SCRIPT_H
#define WB_SCRIPT_H

#include <stddef.h>

#include "core/settings.h"
#include "core/wallclock.h"

struct net_ctx;
struct script_ctx;

struct cmd {
	const char *name;
	/** Return 0 or a negative WB_E*; print details, not the error line itself. */
	int (*fn)(struct script_ctx *ctx, int argc, char **argv);
	const char *usage;      /* "dhcp [netX]" */
	const char *summary;    /* one line for `help` */
};

struct cmd_table {
	const struct cmd *cmds;
	size_t ncmds;
};

#define SCRIPT_MAX_TABLES 16

struct script_ctx {
	struct settings_ctx settings;
	struct wallclock_ctx clock;
	struct net_ctx *net;
	const struct cmd_table *tables[SCRIPT_MAX_TABLES];
	int ntables;
	int exit_requested;     /* set by `exit` */
	int exit_status;
};

#define SCRIPT_LINE_MAX 4096
#define SCRIPT_ARGS_MAX 64

/** Initialise @ctx (settings empty, no tables). */
void script_init(struct script_ctx *ctx);
void script_fini(struct script_ctx *ctx);
/** Add a table (searched after earlier ones); it must outlive @ctx. */
void script_register(struct script_ctx *ctx, const struct cmd_table *table);
/** Look a command up by name; NULL when unknown. */
const struct cmd *script_find(const struct script_ctx *ctx, const char *name);

/**
 * Expand ${…} in @in into @out.  @return 0, -WB_ESYNTAX (unterminated ${),
 * -WB_ETOOBIG (result longer than @cap).
 */
int script_expand(const struct script_ctx *ctx, const char *in, char *out, size_t cap);

/**
 * Run one line.  Errors are printed as "NAME: message".
 * @return the status of the last command run (0 success).
 */
int script_exec_line(struct script_ctx *ctx, const char *line);

/**
 * Run a whole script.  A failing command not caught by `||` ends it; the
 * error is printed as "NAME:LINE: command: message".  `exit N` ends it with
 * status N.  @return 0 or the failing status.
 */
int script_run(struct script_ctx *ctx, const char *text, size_t len, const char *name);

/**
 * Ctrl-C check for wait loops (rate-limited key poll).  Other keys read
 * meanwhile are queued for script_getkey().
 */
int script_cancel_pressed(void);
/** Next key: queued type-ahead first, then plat_getkey(). */
int script_getkey(void);

/** The basic commands (echo, set, show, clear, exit, help, sleep). */
void script_register_basic(struct script_ctx *ctx);
/** The network commands (dhcp, ifstat, ping, ntp, vcreate, …). */
void script_register_net(struct script_ctx *ctx);

#endif
