/*
 * main.c — the hosted CLI.
 *
 *   wireboot run   [--tap IFNAME [--mac MAC]]... [--pre CMDS] SCRIPT
 *   wireboot shell [--tap IFNAME [--mac MAC]]... [--pre CMDS]
 *   wireboot boot  [--tap IFNAME]...     (the firmware flow: --pre, EMBED=, prompt)
 *
 * The exit status of `run` is the script's (0 success, 1 failure, or the N
 * of `exit N`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/err.h"
#include "core/util.h"
#include "platform/host/host.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: wireboot run   [--tap IFNAME [--mac MAC]]... [--pre CMDS] SCRIPT\n"
		"       wireboot shell [--tap IFNAME [--mac MAC]]... [--pre CMDS]\n"
		"       wireboot boot  [--tap IFNAME [--mac MAC]]... [--pre CMDS]\n"
		"       wireboot check [--strict] SCRIPT...\n");
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, 4096, f);

		n += r;
		if (r < 4096)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* wireboot check [--strict] SCRIPT...: 0 when no file has errors */
static int check_main(int argc, char **argv)
{
	int strict = 0, errors = 0, files = 0;

	for (int i = 0; i < argc; i++) {
		size_t len = 0;
		char *text;
		int rc;

		if (!strcmp(argv[i], "--strict")) {
			strict = 1;
			continue;
		}
		files++;
		text = read_file(argv[i], &len);
		if (!text) {
			fprintf(stderr, "%s: cannot read: %s\n", argv[i], strerror(errno));
			errors++;
			continue;
		}
		rc = app_check(text, len, argv[i], strict);
		free(text);
		if (rc)
			errors++;
	}
	if (!files) {
		usage();
		return 2;
	}
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode, *script = NULL, *pre = NULL;
	int i, rc, status;

	if (argc < 2) {
		usage();
		return 2;
	}
	mode = argv[1];
	if (!strcmp(mode, "check"))
		return check_main(argc - 2, argv + 2);
	if (strcmp(mode, "run") && strcmp(mode, "shell") && strcmp(mode, "boot")) {
		usage();
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--tap") && i + 1 < argc) {
			const char *name = argv[++i];
			uint8_t mac[6];
			int have_mac = 0;

			if (i + 2 < argc && !strcmp(argv[i + 1], "--mac")) {
				if (wb_parse_mac(argv[i + 2], mac)) {
					fprintf(stderr, "wireboot: bad MAC address %s\n", argv[i + 2]);
					return 2;
				}
				have_mac = 1;
				i += 2;
			}
			if (host_tap_add(name, have_mac ? mac : NULL)) {
				fprintf(stderr, "wireboot: cannot add TAP link %s\n", name);
				return 2;
			}
		} else if (!strcmp(argv[i], "--pre") && i + 1 < argc) {
			pre = argv[++i];
		} else if (argv[i][0] == '-') {
			usage();
			return 2;
		} else if (!script && !strcmp(mode, "run")) {
			script = argv[i];
		} else {
			usage();
			return 2;
		}
	}
	if (!strcmp(mode, "run") && !script) {
		usage();
		return 2;
	}
	host_set_load_options(pre);
	host_console_init();
	app_init();
	if (!strcmp(mode, "run")) {
		size_t len = 0;
		char *text = read_file(script, &len);

		if (!text) {
			fprintf(stderr, "wireboot: cannot read %s: %s\n", script, strerror(errno));
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
	return status;
}
