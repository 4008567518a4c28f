/*
 * cli.c — the hosted CLI's shared conventions (cli.h): help and usage
 * errors, the --tap existence check, secrets from files, when to show
 * progress.
 */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"
#include "platform/host/hostcli.h"
#include "platform/platform.h"
#include "tls/trust.h"

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

static void cli_tls_log(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

int cli_tls_setup(struct cli_tls *t, const char *cmd, const char *const *trust, int ntrust)
{
	for (size_t i = 0; i < tls_builtin_anchor_count; i++)
		if (tls_anchors_add(&t->anchors, &tls_builtin_anchors[i]))
			return 1;
	for (int i = 0; i < ntrust; i++) {
		size_t len = 0;
		char *pem = cli_read_file(trust[i], &len);
		int rc;

		if (!pem) {
			fprintf(stderr, "wireboot %s: cannot read %s: %s\n", cmd, trust[i], strerror(errno));
			return 1;
		}
		rc = tls_anchors_from_pem(&t->anchors, pem, len);   /* count added, or < 0 */
		free(pem);
		if (rc <= 0) {
			fprintf(stderr, "wireboot %s: %s: %s\n", cmd, trust[i], wb_strerror(rc ? rc : -WB_EPEM));
			return 1;
		}
	}
	t->cfg.anchors = t->anchors.ta;
	t->cfg.anchor_count = t->anchors.count;
	t->cfg.client_chain = tls_builtin_client_chain;
	t->cfg.client_chain_len = tls_builtin_client_chain_len;
	t->cfg.client_rsa = tls_builtin_client_rsa;
	t->cfg.client_ec = tls_builtin_client_ec;
	t->cfg.rng = &t->rng;
	t->cfg.log = cli_tls_log;
	return 0;
}

int cli_tls_wrap(struct cli_tls *t, struct stream *tcp, const char *host, struct stream **out)
{
	int rc;

	if (!t->rng_ready) {
		rc = tls_rng_init(&t->rng);
		if (rc) {
			stream_close(tcp);
			return rc;
		}
		t->rng_ready = 1;
	}
	if (plat_rtc(&t->cfg.now))
		t->cfg.now = -1;
	return tls_wrap(tcp, host, &t->cfg, out);
}

void cli_tls_fini(struct cli_tls *t)
{
	tls_anchors_free(&t->anchors);
}
