/*
 * main.c — the hosted CLI's main(): the subcommand dispatch, run/shell/boot and check.
 *
 *   wireboot run   [--tap IFNAME [--mac MAC]]... [--pre CMDS] SCRIPT
 *   wireboot shell [--tap IFNAME [--mac MAC]]... [--pre CMDS]
 *   wireboot boot  [--tap IFNAME]...     (the firmware flow: --pre, EMBED=, prompt)
 *   wireboot fetch [--tap IFNAME [--mac MAC]] [--trust CA.pem]... [--timeout SECS] [--tls-verbose] [--tls-no-aesni] [--no-hash]
 *                  [--tftp-blksize N] [--tftp-window N] URL -o FILE [URL -o FILE]...
 *   wireboot preflight iscsi ROOT-PATH [--initiator IQN] [--user U --secret S]
 *                  [--reverse-user RU --reverse-secret RS] [--digests] [--timeout SECS]
 *   wireboot inspect IMAGE [--arch arm64|x86_64] [--filename PATH]   (src/cli/inspect.c)
 *   wireboot ibft FILE       validate and show an iBFT, secrets hidden  (src/cli/ibft.c)
 *   wireboot mkmap [--chunk-size BYTES] [-o FILE] IMAGE   the .wbmap manifest (src/cli/mkmap.c)
 *
 * The subcommands fetch, preflight, inspect, ibft and mkmap are in src/cli (cmds.h).
 *
 * The exit status of `run` is the script's (0 success, 1 failure, or the N
 * of `exit N`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/fetch.h"
#include "core/err.h"
#include "core/util.h"
#include "cli/cli.h"
#include "cli/cmds.h"
#include "platform/host/host.h"

#ifndef WB_VERSION
#define WB_VERSION "0.1.0"
#endif

const char *const cli_version = WB_VERSION;


/* one usage text per subcommand; `wireboot --help` prints them all */
static void usage_run(FILE *f)
{
	fprintf(f,
		"usage: wireboot run   [--tap IFNAME [--mac MAC]]... [--pre CMDS] [--trust CA.pem]... SCRIPT\n"
		"       (runs an iPXE script; exit status: the script's, 130 when interrupted by SIGINT)\n");
}

static void usage_shell(FILE *f)
{
	fprintf(f, "usage: wireboot shell [--tap IFNAME [--mac MAC]]... [--pre CMDS] [--trust CA.pem]...\n");
}

static void usage_boot(FILE *f)
{
	fprintf(f, "usage: wireboot boot  [--tap IFNAME [--mac MAC]]... [--pre CMDS] [--trust CA.pem]...\n");
}

static void usage_check(FILE *f)
{
	fprintf(f, "usage: wireboot check [--strict] [-q|--quiet] SCRIPT...\n");
}


static void usage_ibft(FILE *f)
{
	fprintf(f, "usage: wireboot ibft FILE   (an iSCSI Boot Firmware Table, e.g. /sys/firmware/acpi/tables/iBFT)\n");
}

static void usage(FILE *f)
{
	if (f == stdout)   /* --help; a usage error goes straight to "usage:" after its line */
		fprintf(f, "wireboot %s — a secure network-boot agent (the hosted build)\n\n", WB_VERSION);
	usage_run(f);
	usage_shell(f);
	usage_boot(f);
	usage_check(f);
	fetch_usage(f);
	preflight_usage(f);
	inspect_usage(f);
	usage_ibft(f);
	mkmap_usage(f);
	fprintf(f, "\n       wireboot --version | --help | CMD --help\n"
		   "Exit status: 0 ok, 1 failed, 2 bad usage, 130 interrupted (SIGINT).  See wireboot(1).\n");
}


/* wireboot check [--strict] SCRIPT...: 0 when no file has errors */
static int check_main(int argc, char **argv)
{
	int strict = 0, errors = 0, files = 0, quiet = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--strict"))
			strict = 1;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("check", usage_check, "unknown option '%s'", argv[i]);
		else
			files++;
	}
	if (!files)
		return cli_usage_error("check", usage_check, "no SCRIPT given");
	if (quiet)   /* the findings are the result (stdout): -q keeps only the exit status */
		host_console_output(-1);
	for (int i = 0; i < argc; i++) {
		size_t len = 0;
		char *text;
		int rc;

		if (argv[i][0] == '-' && argv[i][1])
			continue;
		text = cli_read_file(argv[i], &len);
		if (!text) {
			fprintf(stderr, "wireboot check: cannot read %s: %s\n", argv[i], strerror(errno));
			errors++;
			continue;
		}
		rc = app_check(text, len, argv[i], strict);
		free(text);
		if (rc)
			errors++;
	}
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode, *script = NULL, *pre = NULL, *trust[16];
	cli_usage_fn *mode_usage;
	int ntrust = 0;
	int i, rc, status;

	if (argc < 2)
		return cli_usage_error(NULL, usage, "no command given");
	mode = argv[1];
	if (!strcmp(mode, "--help") || !strcmp(mode, "-h") || !strcmp(mode, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(mode, "--version") || !strcmp(mode, "-V")) {
		printf("wireboot %s\n", WB_VERSION);
		return 0;
	}
	if (!strcmp(mode, "check")) {
		if (cli_wants_help(argc - 2, argv + 2)) {
			usage_check(stdout);
			return 0;
		}
		return check_main(argc - 2, argv + 2);
	}
	if (!strcmp(mode, "fetch"))
		return fetch_main(argc - 2, argv + 2);
	if (!strcmp(mode, "preflight"))
		return preflight_main(argc - 1, argv + 1);
	if (!strcmp(mode, "inspect"))
		return inspect_main(argc - 2, argv + 2);
	if (!strcmp(mode, "ibft")) {
		if (cli_wants_help(argc - 2, argv + 2)) {
			usage_ibft(stdout);
			return 0;
		}
		return ibft_main(argc - 2, argv + 2);
	}
	if (!strcmp(mode, "mkmap"))
		return mkmap_main(argc - 2, argv + 2);
	if (!strcmp(mode, "run"))
		mode_usage = usage_run;
	else if (!strcmp(mode, "shell"))
		mode_usage = usage_shell;
	else if (!strcmp(mode, "boot"))
		mode_usage = usage_boot;
	else
		return cli_usage_error(NULL, usage, "unknown command '%s'", mode);
	if (cli_wants_help(argc - 2, argv + 2)) {
		mode_usage(stdout);
		return 0;
	}
	for (i = 2; i < argc; i++) {
		if ((!strcmp(argv[i], "--tap") || !strcmp(argv[i], "--mac") || !strcmp(argv[i], "--pre") ||
		     !strcmp(argv[i], "--trust")) && i + 1 == argc)
			return cli_usage_error(mode, mode_usage, "%s needs a value", argv[i]);
		if (!strcmp(argv[i], "--tap")) {
			const char *name = argv[++i];
			uint8_t mac[6];
			int have_mac = 0;

			if (cli_tap_check(mode, name))
				return CLI_EXIT_USAGE;
			if (i + 1 < argc && !strcmp(argv[i + 1], "--mac")) {
				if (i + 2 == argc)
					return cli_usage_error(mode, mode_usage, "--mac needs a value");
				if (wb_parse_mac(argv[i + 2], mac))
					return cli_usage_error(mode, mode_usage, "bad MAC address %s", argv[i + 2]);
				have_mac = 1;
				i += 2;
			}
			if (host_tap_add(name, have_mac ? mac : NULL))
				return cli_usage_error(mode, mode_usage, "--tap %s: at most 8 links", name);
		} else if (!strcmp(argv[i], "--mac")) {
			return cli_usage_error(mode, mode_usage, "--mac goes right after its --tap IFNAME");
		} else if (!strcmp(argv[i], "--pre")) {
			pre = argv[++i];
		} else if (!strcmp(argv[i], "--trust")) {
			if (ntrust == 16)
				return cli_usage_error(mode, mode_usage, "at most 16 --trust files");
			trust[ntrust++] = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error(mode, mode_usage, "unknown option '%s'", argv[i]);
		} else if (!script && !strcmp(mode, "run")) {
			script = argv[i];
		} else {
			return cli_usage_error(mode, mode_usage, "unexpected argument '%s'", argv[i]);
		}
	}
	if (!strcmp(mode, "run") && !script)
		return cli_usage_error(mode, mode_usage, "no SCRIPT given");
	host_set_load_options(pre);
	host_console_init();
	app_init();
	for (int k = 0; k < ntrust; k++) {   /* --trust: anchors on top of TRUST= */
		size_t len = 0;
		char *pem = cli_read_file(trust[k], &len);
		int n = pem ? app_fetch_add_trust(pem, len) : -WB_ENOENT;

		free(pem);
		if (n <= 0)
			fprintf(stderr, "wireboot %s: --trust %s: %s\n", mode, trust[k],
				wb_strerror(n ? n : -WB_EPEM));
	}
	if (!strcmp(mode, "run")) {
		size_t len = 0;
		char *text = cli_read_file(script, &len);

		if (!text) {
			fprintf(stderr, "wireboot run: cannot read %s: %s\n", script, strerror(errno));
			rc = -WB_ENOENT;
		} else {
			const char *base = strrchr(script, '/');

			if (pre && *pre)
				app_run_script(pre, strlen(pre), "--pre");
			rc = app_run_script(text, len, base ? base + 1 : script);
			free(text);
		}
	} else if (!strcmp(mode, "shell")) {
		if (pre && *pre)
			app_run_script(pre, strlen(pre), "--pre");
		rc = app_shell();
	} else {
		rc = app_boot();
	}
	app_fini();
	host_links_close();
	host_console_restore();
	status = rc == 0 ? 0 : (rc > 0 && rc < 256) ? rc : 1;
	/* run/boot: a SIGINT that ended the script is the exit status a shell expects
	 * (130).  In the shell a SIGINT is the Ctrl-C key (it clears the line, stops a
	 * command) and the session goes on: its status stays the one it exits with. */
	if (status && strcmp(mode, "shell") && host_interrupted())
		status = CLI_EXIT_SIGINT;
	return status;
}
