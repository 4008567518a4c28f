/*
 * hostcli.c — the Linux side of the hosted CLI (hostcli.h): TAP existence,
 * private files, terminals.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/host/hostcli.h"

enum host_tap_state host_tap_state(const char *ifname)
{
	char path[64 + IF_NAMESIZE];
	struct stat st;

	if (!*ifname || strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/'))
		return HOST_TAP_BADNAME;
	if (!if_nametoindex(ifname))
		return HOST_TAP_NONE;
	/* a TUN/TAP device has tun_flags in sysfs; a bridge or an Ethernet port has not */
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", ifname);
	if (stat(path, &st) && errno == ENOENT)
		return HOST_TAP_NOTTAP;
	return HOST_TAP_OK;
}

enum host_private_rc host_read_private(const char *path, void *buf, size_t cap, size_t *n,
				       unsigned *mode, const char **why)
{
	struct stat st;
	ssize_t r;
	int fd;

	*n = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return HOST_PRIVATE_ERRNO;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		close(fd);
		return HOST_PRIVATE_NOTREG;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IROTH | S_IWOTH))) {
		*mode = (unsigned)(st.st_mode & 0777);
		close(fd);
		return HOST_PRIVATE_OTHERS;
	}
	while (*n < cap) {
		r = read(fd, (char *)buf + *n, cap - *n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*n += (size_t)r;
	}
	close(fd);
	return HOST_PRIVATE_OK;
}

int host_stderr_is_tty(void)
{
	return isatty(2);
}
