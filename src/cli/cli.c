/*
 * cli.c — the hosted CLI's shared conventions (cli.h): help and usage
 * errors, the --tap existence check, secrets from files, when to show
 * progress.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "platform/host/hostcli.h"

#define CLI_SECRET_MAX 255

int cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int cli_usage_error(const char *cmd, cli_usage_fn *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "wireboot%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (usage)
		usage(stderr);
	return CLI_EXIT_USAGE;
}

int cli_tap_check(const char *cmd, const char *ifname)
{
	switch (host_tap_state(ifname)) {
	case HOST_TAP_OK:
		return 0;
	case HOST_TAP_BADNAME:
		fprintf(stderr, "wireboot %s: --tap %s: not a valid interface name\n", cmd, ifname);
		return CLI_EXIT_USAGE;
	case HOST_TAP_NONE:
		fprintf(stderr, "wireboot %s: --tap %s: no such network device in this namespace; "
			"wireboot never creates one (create it first: ip tuntap add mode tap name %s)\n",
			cmd, ifname, ifname);
		return CLI_EXIT_USAGE;
	case HOST_TAP_NOTTAP:
	default:
		fprintf(stderr, "wireboot %s: --tap %s: exists but is not a TAP device\n", cmd, ifname);
		return CLI_EXIT_USAGE;
	}
}

int cli_read_secret_file(const char *cmd, const char *opt, const char *path, char **out)
{
	char buf[CLI_SECRET_MAX + 2];
	const char *why = "";
	unsigned mode = 0;
	size_t n = 0;

	*out = NULL;
	switch (host_read_private(path, buf, sizeof(buf) - 1, &n, &mode, &why)) {
	case HOST_PRIVATE_OK:
		break;
	case HOST_PRIVATE_ERRNO:
		fprintf(stderr, "wireboot %s: %s %s: %s\n", cmd, opt, path, why);
		return CLI_EXIT_USAGE;
	case HOST_PRIVATE_NOTREG:
		fprintf(stderr, "wireboot %s: %s %s: not a regular file\n", cmd, opt, path);
		return CLI_EXIT_USAGE;
	case HOST_PRIVATE_OTHERS:
	default:
		/* as ssh does for private keys: a secret others can read is no longer one */
		fprintf(stderr, "wireboot %s: %s %s: readable or writable by others "
			"(mode %03o): refused; chmod o-rwx it\n", cmd, opt, path, mode);
		return CLI_EXIT_USAGE;
	}
	buf[n] = '\0';
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n > CLI_SECRET_MAX)
		n = CLI_SECRET_MAX + 1;
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
	if (n == 0 || n > CLI_SECRET_MAX) {
		fprintf(stderr, "wireboot %s: %s %s: %s\n", cmd, opt, path,
			n ? "the secret is longer than 255 bytes" : "the first line is empty");
		memset(buf, 0, sizeof(buf));
		return CLI_EXIT_USAGE;
	}
	*out = strdup(buf);
	memset(buf, 0, sizeof(buf));
	if (!*out) {
		fprintf(stderr, "wireboot %s: out of memory\n", cmd);
		return 1;
	}
	return 0;
}

void cli_secret_free(char *s)
{
	if (s) {
		volatile char *p = s;

		while (*p)
			*p++ = 0;
		free(s);
	}
}

char *cli_read_file(const char *path, size_t *len)
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

int cli_progress(int forced, int quiet)
{
	if (forced)
		return 1;
	if (quiet)
		return 0;
	return host_stderr_is_tty();
}
