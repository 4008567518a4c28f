/*
 * hostcli.h — what the hosted CLI's subcommands (src/cli) need from Linux,
 * implemented in hostcli.c: src/cli itself includes no Linux/POSIX header.
 */
#ifndef WB_HOST_HOSTCLI_H
#define WB_HOST_HOSTCLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- --tap: is IFNAME an existing TAP device in this network namespace? */
enum host_tap_state {
	HOST_TAP_OK,        /* an existing TUN/TAP device */
	HOST_TAP_BADNAME,   /* empty, too long for an interface name, or has a '/' */
	HOST_TAP_NONE,      /* no such network device */
	HOST_TAP_NOTTAP,    /* exists, but is not a TUN/TAP device (a bridge, a NIC) */
};
enum host_tap_state host_tap_state(const char *ifname);

/* ---- --secret-file: a file only its owner (and group) may read */
enum host_private_rc {
	HOST_PRIVATE_OK,
	HOST_PRIVATE_ERRNO,    /* cannot open or stat: *why says why (strerror) */
	HOST_PRIVATE_NOTREG,   /* neither a regular file nor a FIFO */
	HOST_PRIVATE_OTHERS,   /* a regular file readable or writable by others: *mode */
};
/**
 * Read up to @cap bytes of @path into @buf (*n: how many; EINTR retried).
 * Refuses (reads nothing) a file that is not regular or a FIFO, and a regular
 * file with any of the mode bits o+r, o+w (*mode: its permission bits).
 */
enum host_private_rc host_read_private(const char *path, void *buf, size_t cap, size_t *n,
				       unsigned *mode, const char **why);

/* ---- inspect: a disk image file or a block device, read-only */
struct host_image;
enum host_image_kind { HOST_IMAGE_FILE, HOST_IMAGE_BLOCKDEV };
enum host_image_rc {
	HOST_IMAGE_OK,
	HOST_IMAGE_EOPEN,     /* cannot open or stat: *why (strerror) */
	HOST_IMAGE_EKIND,     /* neither a regular file nor a block device */
	HOST_IMAGE_ESIZE,     /* a block device whose size the kernel would not give: *why */
};
/**
 * Open @path read-only: *kind, *size (bytes: st_size, or the block device's
 * size from the kernel), *lbs (a block device's logical block size, 0 if
 * unknown or a file).  @return HOST_IMAGE_OK and *out (host_image_close()).
 */
enum host_image_rc host_image_open(const char *path, struct host_image **out, int *kind,
				   uint64_t *size, uint32_t *lbs, const char **why);
/** @len bytes at byte @off (short reads and EINTR retried): 0 or -WB_EDISKREAD. */
int host_image_read(struct host_image *im, void *buf, size_t len, uint64_t off);
void host_image_close(struct host_image *im);

/* ---- SIGINT for the subcommands on kernel sockets (no console of their own) */
/** From now on count SIGINTs (instead of dying by the first). */
void host_sigint_count_start(void);
/** How many SIGINTs arrived since host_sigint_count_start() (0 before it). */
unsigned host_sigint_count(void);

/* ---- fetch */
/** @host's IPv4 address from the kernel's resolver (getaddrinfo): 0 and @ip, or -WB_EDNS. */
int host_resolve_ipv4(const char *host, uint8_t ip[4]);
/** 1 when @path is a regular file (not following a symbolic link: lstat). */
int host_is_regular_file(const char *path);

/** 1 when stderr is a terminal. */
int host_stderr_is_tty(void);

/* ---- mkmap: a file written whole before it is renamed into place */
/** fflush(@f) and fsync its file: 0, or -1 (errno says why). */
int host_file_sync(FILE *f);

#endif
