/*
 * app.h — the application above the platform: what efi_main() and the hosted
 * main() call.  The platform initialises itself (console, clock, links) first.
 */
#ifndef WB_APP_H
#define WB_APP_H

#include <stddef.h>

/** Bring up lwIP, one interface per platform link, settings and commands. */
int app_init(void);
/** Close every interface (links are shut down).  Safe to call twice. */
void app_fini(void);
/**
 * The firmware boot flow: commands from plat_load_options(), then the
 * embedded script (EMBED=), then the interactive prompt unless the script
 * ended with 'exit'.  Returns the exit status (0 success).
 */
int app_boot(void);
/** Run a script held in memory (@name is used in error messages). */
int app_run_script(const char *text, size_t len, const char *name);
/**
 * Statically check a script (`wireboot check`, see script_check()); needs
 * no app_init().  @return the number of errors, or a negative error.
 */
int app_check(const char *text, size_t len, const char *name, int strict);
/** Interactive prompt until 'exit' or end of input.  Returns the last status. */
int app_shell(void);

struct net_ctx;
/**
 * The network context app_init() created (NULL before, after app_fini(),
 * or when the network failed to start), for hosted tools that drive the
 * network themselves (wireboot fetch --tap).
 */
struct net_ctx *app_net(void);

#endif
