/*
 * sockdgram.c — struct dgram (core/dgram.h) over a Linux UDP socket, and
 * the TFTP client's environment on it: `wireboot fetch tftp://…` without a
 * TAP device (any host, no root).
 *
 * A non-blocking socket bound to an ephemeral port; recvfrom with
 * MSG_DONTWAIT; wait() is poll(2) on the socket, so a datagram ends it at
 * once.  The receive buffer is raised so a window of full-size blocks fits.
 * Names: getaddrinfo (IPv4), which blocks.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/dgram.h"
#include "core/err.h"
#include "platform/host/host.h"
#include "platform/platform.h"
#include "proto/tftp_client.h"

struct sock_dgram {
	struct dgram base;    /* first */
	int fd;
};

static int sdg_send(struct dgram *d, const uint8_t ip[4], uint16_t port, const void *buf,
		    size_t len)
{
	struct sock_dgram *s = (struct sock_dgram *)d;
	struct sockaddr_in to;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(port);
	memcpy(&to.sin_addr, ip, 4);
	if (sendto(s->fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) < 0)
		return errno == ENOMEM || errno == ENOBUFS ? -WB_ENOMEM : -WB_ETFTPSEND;
	return 0;
}

static int sdg_recv(struct dgram *d, void *buf, size_t cap, uint8_t ip[4], uint16_t *port)
{
	struct sock_dgram *s = (struct sock_dgram *)d;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	ssize_t n;

	for (;;) {
		n = recvfrom(s->fd, buf, cap, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNREFUSED)
			return -WB_EAGAIN;   /* (ICMP port unreachable: the timers deal with it) */
		return -WB_ETFTPSOCKET;
	}
	if (from.sin_family != AF_INET)
		return -WB_EAGAIN;
	memcpy(ip, &from.sin_addr, 4);
	*port = ntohs(from.sin_port);
	return (int)n;
}

static void sdg_wait(struct dgram *d, uint32_t ms)
{
	struct sock_dgram *s = (struct sock_dgram *)d;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	poll(&pfd, 1, (int)ms);
}

static void sdg_close(struct dgram *d)
{
	struct sock_dgram *s = (struct sock_dgram *)d;

	close(s->fd);
	plat_free(s);
}

static const struct dgram_ops sdg_ops = { sdg_send, sdg_recv, sdg_wait, sdg_close };

int host_udp_open(struct dgram **out)
{
	struct sock_dgram *s = plat_malloc(sizeof(*s));
	struct sockaddr_in any;
	int rcvbuf = 4 << 20;

	if (!s)
		return -WB_ENOMEM;
	s->base.ops = &sdg_ops;
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&any, 0, sizeof(any));
	any.sin_family = AF_INET;
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&any, sizeof(any))) {
		if (s->fd >= 0)
			close(s->fd);
		plat_free(s);
		return -WB_ETFTPSOCKET;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));   /* best effort */
	*out = &s->base;
	return 0;
}

static int host_tftp_resolve(void *arg, const char *host, uint8_t ip[4])
{
	struct addrinfo hints, *res = NULL;

	(void)arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, NULL, &hints, &res) || !res)
		return -WB_EDNS;
	memcpy(ip, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	freeaddrinfo(res);
	return 0;
}

static int host_tftp_open(void *arg, struct dgram **out)
{
	(void)arg;
	return host_udp_open(out);
}

static void host_tftp_print(const char *line)
{
	fprintf(stderr, "%s\n", line);   /* progress: stderr, stdout is for results */
	fflush(stdout);
}

void host_tftp_env(int (*cancel)(void), struct tftp_env *out)
{
	memset(out, 0, sizeof(*out));
	out->resolve = host_tftp_resolve;
	out->open = host_tftp_open;
	out->cancel = cancel;
	out->now_ms = plat_ms;
	out->print = host_tftp_print;
}
