/*
 * script.h — the command interpreter: iPXE script lines, the command table,
 * and the context commands run in.
 *
 * This issue's language: one command per line, `#` comments, `:label` lines
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
#include <stdint.h>

#include "core/settings.h"
#include "core/wallclock.h"

struct stream;

struct net_ctx;
struct script_ctx;
struct image;
struct san_drive;
struct script_params;

/*
 * Declared options, iPXE style: "--name VALUE", "--name=VALUE", "-s VALUE",
 * and flags "--name" / "-s".  The executor parses them with cmd_parse()
 * before calling the command, and `wireboot check` checks them statically.
 */
struct cmd_opt {
	const char *name;       /* long name without "--" */
	char short_name;        /* 0 for none */
	int has_arg;            /* 1: takes a value */
};

#define CMD_MAX_OPTS 12
#define CMD_ARGS_ANY (-1)

struct cmd_args;

struct cmd {
	const char *name;
	/**
	 * Run with options already parsed and checked against @opts/min/max.
	 * Return 0 or a negative WB_E*; print details, not the error line.
	 */
	int (*fn)(struct script_ctx *ctx, const struct cmd_args *a);
	const char *usage;      /* "dhcp [netX]" */
	const char *summary;    /* one line for `help` */
	const struct cmd_opt *opts; /* may be NULL (no options) */
	int nopts;
	int min_args, max_args; /* operands after the options (max CMD_ARGS_ANY) */
};

/** Result of cmd_parse(). */
struct cmd_args {
	const char *val[CMD_MAX_OPTS];  /* value of option i (flags: "" when given) */
	int given[CMD_MAX_OPTS];        /* option i appeared */
	int argc;                       /* operands */
	char **argv;                    /* operands (points into the caller's argv) */
	const char *name;               /* the command's name */
	char why[160];                  /* on -WB_EUSAGE: what was wrong (fits every usage line) */
};

/** Value of option @name if given, else NULL. */
const char *cmd_optval(const struct cmd *c, const struct cmd_args *a, const char *name);

/**
 * Parse @argv (argv[0] is the command name) against @c's options.  "--"
 * ends options.  @return 0, or -WB_EUSAGE after printing what was wrong
 * ("choose: unknown option --foo", "menu: --name needs a value", "too many
 * arguments") after the location prefix @where ("file:line: "); @where NULL
 * prints nothing (the static checker reports on its own).
 */
int cmd_parse(const struct cmd *c, int argc, char **argv, struct cmd_args *out,
	      const char *where);
/** Index of option @name in @c (for reading cmd_args), or -1. */
int cmd_opt_index(const struct cmd *c, const char *name);

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
	void *ui;               /* menus, shell history: owned by cmds_ui.c (script/ui.h) */
	int depth;              /* scripts running (0 = interactive) */
	int goto_pending;       /* set by script_goto(), consumed by script_run() */
	size_t goto_pos;        /* where the script continues */
	int goto_line;
	const char *cur_text;   /* the innermost running script */
	size_t cur_len;
	int check_mode;         /* `wireboot check`: ${...} is kept, not expanded */
	char detail[128];       /* set by a failing command: appended to its error line */
	struct image *images;   /* registered images (image.c), newest last */
	struct san_drive *san;  /* hooked SAN drives (cmds_san.c) */
	/**
	 * How `imgfetch`/`chain` get a URI: set by the application once a
	 * client for it exists (HTTP/HTTPS).  @data is plat_malloc'd, the
	 * caller owns it.  NULL: fetching fails with -WB_ENOFETCH.
	 */
	int (*fetch)(struct script_ctx *ctx, const char *uri, uint8_t **data, size_t *len);
	/**
	 * A TLS connection to @host:@port for the SAN commands (`sanhook
	 * https://…`): the server checked against the trust anchors the image
	 * commands use (built in, plus `trust`'s) for name @host, the clock
	 * checked first as for an https fetch.  Set by the application with
	 * ctx->fetch; NULL: https SAN devices are refused (-WB_ENOTLS).
	 */
	int (*connect_tls)(struct script_ctx *ctx, const char *host, uint16_t port,
			   struct stream **out);
	/* the image command's --timeout (ms) while ctx->fetch runs: the connect
	 * and download-progress bound (iPXE's meaning); 0: the client's defaults */
	uint32_t fetch_timeout_ms;
	const char *script_uri; /* URI of the running script (relative URIs), or NULL */
	/* imgtrust (cmds_trust.c): images must be verified (imgverify) to run;
	 * permanent: no later imgtrust may change it */
	int img_trust_required;
	int img_trust_permanent;
	struct script_params *params;       /* params/param lists (params.c) */
	struct script_params *fetch_params; /* the list a ##params URI claimed, while ctx->fetch runs */
};

#define SCRIPT_LINE_MAX 4096
#define SCRIPT_MAX_DEPTH 8
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
 * Fetch setting @name ("scope/name:type" forms) including dynamic built-ins
 * (unixtime), formatted into @out.  Errors as settings_fetch().
 */
int script_fetch(const struct script_ctx *ctx, const char *name, char *out, size_t cap,
		 const char **scope, const char **type);

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
 * Continue the running script after ":LABEL" (once the current command
 * returns).  @return 0, -WB_ENOLABEL, -WB_ENOTSCRIPT (interactive).
 */
int script_goto(struct script_ctx *ctx, const char *label);

/** Replace the user info of "scheme://user:pass@" URLs in @s by "***" (in place). */
void script_redact_userinfo(char *s);

/** Print text with control bytes escaped as \xNN (script text on the console). */
void script_print_safe(const char *s);

/**
 * Statically check a script (`wireboot check`): syntax, unknown commands,
 * iPXE commands wireboot does not support (warnings; errors if @strict),
 * bad options and operand counts, `goto` targets that do not exist, menus
 * that `choose` reads but no `item` fills, duplicate labels.  Prints one
 * line per finding: "NAME:LINE: error: ..." or "NAME:LINE: warning: ...".
 * Runs nothing.  @return the number of errors (>= 0), or -WB_ENOMEM.
 */
int script_check(struct script_ctx *ctx, const char *text, size_t len, const char *name,
		 int strict);

/**
 * 1 when @text starts with a script header as iPXE requires one: "#!ipxe" or
 * "#!gpxe" followed by a blank (so "#!ipxe\n" is one, "#!ipxefoo" is not).
 * A fetched image runs as a script only then; typed lines, load options and
 * `wireboot run FILE` do not need it (`wireboot check` warns).
 */
int script_has_header(const char *text, size_t len);

/**
 * Ctrl-C check for wait loops (rate-limited key poll).  Other keys read
 * meanwhile are queued for script_getkey().
 */
int script_cancel_pressed(void);
/** Next key: queued type-ahead first, then plat_getkey(). */
int script_getkey(void);

/**
 * 1 if @name is an iPXE command that wireboot does not have (yet): it then
 * fails with "not supported: NAME" instead of "unknown command".
 */
int script_ipxe_command(const char *name);

/** The basic commands (echo, set, show, clear, exit, help, sleep). */
void script_register_basic(struct script_ctx *ctx);
/** The image commands (imgfetch, chain, imgexec, imgstat …; image.c). */
void script_register_image(struct script_ctx *ctx);
/** imgverify and imgtrust (cmds_trust.c); script_register_image() registers them. */
void script_register_trust(struct script_ctx *ctx);
/** Free every image (script_fini() calls it). */
void script_images_fini(struct script_ctx *ctx);

/** The network commands (dhcp, ifstat, ping, ntp, vcreate, …). */
void script_register_net(struct script_ctx *ctx);
/** The SAN commands (sanhook, sanboot, sanunhook; cmds_san.c). */
void script_register_san(struct script_ctx *ctx);
/**
 * Unhook every SAN drive (withdraw from the firmware, log out).  Call while
 * the network still exists (app_fini does, before net_destroy); script_fini()
 * calls it too.
 */
void script_san_fini(struct script_ctx *ctx);
/** The interactive commands (prompt, menu, item, choose, login, read, shell). */
void script_register_ui(struct script_ctx *ctx);
/** Free what the interactive commands keep in @ctx (menus, history); script_fini() calls it. */
void script_ui_fini(struct script_ctx *ctx);

#endif
