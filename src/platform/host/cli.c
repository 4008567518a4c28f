/*
 * cli.c — the hosted CLI's shared conventions (cli.h): help and usage
 * errors, the --tap existence check, secrets from files, when to show
 * progress.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/host/cli.h"

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
	char path[64 + IF_NAMESIZE];
	struct stat st;

	if (!*ifname || strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/')) {
		fprintf(stderr, "wireboot %s: --tap %s: not a valid interface name\n", cmd, ifname);
		return CLI_EXIT_USAGE;
	}
	if (!if_nametoindex(ifname)) {
		fprintf(stderr, "wireboot %s: --tap %s: no such network device in this namespace; "
			"wireboot never creates one (create it first: ip tuntap add mode tap name %s)\n",
			cmd, ifname, ifname);
		return CLI_EXIT_USAGE;
	}
	/* a TUN/TAP device has tun_flags in sysfs; a bridge or an Ethernet port has not */
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", ifname);
	if (stat(path, &st) && errno == ENOENT) {
		fprintf(stderr, "wireboot %s: --tap %s: exists but is not a TAP device\n", cmd, ifname);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

int cli_read_secret_file(const char *cmd, const char *opt, const char *path, char **out)
{
	char buf[CLI_SECRET_MAX + 2];
	struct stat st;
	size_t n = 0;
	ssize_t r;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "wireboot %s: %s %s: %s\n", cmd, opt, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return CLI_EXIT_USAGE;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		fprintf(stderr, "wireboot %s: %s %s: not a regular file\n", cmd, opt, path);
		close(fd);
		return CLI_EXIT_USAGE;
	}
	/* as ssh does for private keys: a secret others can read is no longer one */
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IROTH | S_IWOTH))) {
		fprintf(stderr, "wireboot %s: %s %s: readable or writable by others "
			"(mode %03o): refused; chmod o-rwx it\n", cmd, opt, path,
			(unsigned)(st.st_mode & 0777));
		close(fd);
		return CLI_EXIT_USAGE;
	}
	while (n < sizeof(buf) - 1) {
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
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

int cli_progress(int forced, int quiet)
{
	if (forced)
		return 1;
	if (quiet)
		return 0;
	return isatty(2);
}
