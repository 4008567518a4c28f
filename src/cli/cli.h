/*
 * cli.h — conventions shared by the hosted CLI's subcommands (src/cli/cli.c):
 *
 *   exit 0 success, 1 the job failed (one line says what), 2 bad usage (one line
 *   "wireboot CMD: what was wrong", then the usage, on stderr), 130 interrupted by
 *   SIGINT;  `--help`/`-h` prints the usage on stdout and exits 0;  results go to
 *   stdout, progress and diagnostics to stderr.
 */
#ifndef WB_CLI_CLI_H
#define WB_CLI_CLI_H

#include <stdio.h>

#include "tls/tls.h"

#define CLI_EXIT_USAGE 2
#define CLI_EXIT_SIGINT 130   /* 128 + SIGINT, as a shell reports a death by SIGINT */

/** A subcommand's usage text, printed to @f. */
typedef void cli_usage_fn(FILE *f);

/** 1 when "--help" or "-h" is one of @argv[0..argc-1] (before any "--"). */
int cli_wants_help(int argc, char **argv);
/**
 * "wireboot CMD: <fmt...>" and the usage on stderr.  @return CLI_EXIT_USAGE, so a
 * caller writes `return cli_usage_error(...)`.
 */
int cli_usage_error(const char *cmd, cli_usage_fn *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/**
 * --tap IFNAME names a TAP device that must already exist (wireboot never
 * creates one).  0 when @ifname is an existing TAP device, else says so on
 * stderr ("wireboot CMD: --tap ...") and returns CLI_EXIT_USAGE.
 */
int cli_tap_check(const char *cmd, const char *ifname);
/**
 * A secret from a file (--secret-file): its first line, without the line end.
 * The file must not be readable or writable by others (mode & 007 == 0), not
 * empty, at most 255 bytes.  The secret is never printed; errors name the
 * file.  @return 0 and *out (free with cli_secret_free()), or CLI_EXIT_USAGE
 * after saying what was wrong.
 */
int cli_read_secret_file(const char *cmd, const char *opt, const char *path, char **out);
/** Wipe and free a secret from cli_read_secret_file() (NULL is fine). */
void cli_secret_free(char *s);
/**
 * The whole file @path, NUL-terminated (*len: its length without the NUL);
 * free() it.  NULL when it cannot be opened (errno says why) or memory ran out.
 */
char *cli_read_file(const char *path, size_t *len);
/**
 * Whether to show progress lines: --progress forces them, -q/--quiet
 * suppresses them, else only when stderr is a terminal.
 */
int cli_progress(int forced, int quiet);

/*
 * TLS for a subcommand's https connections (fetch, preflight http): the
 * build's anchors (TRUST=) plus --trust files, the built-in client
 * certificate, a DRBG seeded on first use, the host's clock per handshake,
 * TLS lines to stderr.  Zero the structure first; cfg.verbose/no_aes_hw may
 * be set after setup.
 */
struct cli_tls {
	struct tls_config cfg;
	struct tls_anchors anchors;
	br_hmac_drbg_context rng;
	int rng_ready;
};
/** The anchors and cfg.  0, or 1 after "wireboot CMD: ..." said what was wrong. */
int cli_tls_setup(struct cli_tls *t, const char *cmd, const char *const *trust, int ntrust);
/** Wrap @tcp (owned from here on, closed on failure) for server name @host. */
int cli_tls_wrap(struct cli_tls *t, struct stream *tcp, const char *host, struct stream **out);
/** Free what setup allocated. */
void cli_tls_fini(struct cli_tls *t);

#endif
