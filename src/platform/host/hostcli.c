/*
 * hostcli.c — the Linux side of the hosted CLI (hostcli.h): TAP existence,
 * private files, disk images and block
 * devices, SIGINT, name
 * resolution, terminals.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
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

struct host_image {
	int fd;
};

enum host_image_rc host_image_open(const char *path, struct host_image **out, int *kind,
				   uint64_t *size, uint32_t *lbs, const char **why)
{
	struct host_image *im;
	struct stat st;
	int fd, bsz = 0;

	*out = NULL;
	*lbs = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return HOST_IMAGE_EOPEN;
	}
	*size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode)) {
		/* a block device (an LVM volume, /dev/sdX, /dev/loopN): st_size is 0,
		 * the kernel knows its size; read-only, opened O_RDONLY above */
		*kind = HOST_IMAGE_BLOCKDEV;
		if (ioctl(fd, BLKGETSIZE64, size) < 0) {
			*why = strerror(errno);
			close(fd);
			return HOST_IMAGE_ESIZE;
		}
		if (ioctl(fd, BLKSSZGET, &bsz) == 0 && bsz > 0)
			*lbs = (uint32_t)bsz;
	} else if (S_ISREG(st.st_mode)) {
		*kind = HOST_IMAGE_FILE;
	} else {
		close(fd);
		return HOST_IMAGE_EKIND;
	}
	im = malloc(sizeof(*im));
	if (!im) {
		*why = strerror(ENOMEM);
		close(fd);
		return HOST_IMAGE_EOPEN;
	}
	im->fd = fd;
	*out = im;
	return HOST_IMAGE_OK;
}

int host_image_read(struct host_image *im, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = pread(im->fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -WB_EDISKREAD;
		got += (size_t)r;
	}
	return 0;
}

void host_image_close(struct host_image *im)
{
	if (im) {
		close(im->fd);
		free(im);
	}
}

static volatile sig_atomic_t host_sigints;

static void host_on_sigint(int sig)
{
	(void)sig;
	host_sigints = host_sigints + 1;
}

void host_sigint_count_start(void)
{
	signal(SIGINT, host_on_sigint);
}

unsigned host_sigint_count(void)
{
	return (unsigned)host_sigints;
}

int host_resolve_ipv4(const char *host, uint8_t ip[4])
{
	struct addrinfo hints = { 0 }, *ai = NULL;

	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &ai) || !ai)
		return -WB_EDNS;
	memcpy(ip, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
	freeaddrinfo(ai);
	return 0;
}

int host_is_regular_file(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISREG(st.st_mode);
}

int host_stderr_is_tty(void)
{
	return isatty(2);
}

int host_file_sync(FILE *f)
{
	if (fflush(f))
		return -1;
	return fsync(fileno(f)) ? -1 : 0;
}
