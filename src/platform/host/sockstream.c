/*
 * sockstream.c — struct stream over Linux kernel TCP sockets (core/stream.h),
 * for `wireboot fetch` without a TAP device: any host, no root.
 *
 * How this works: a non-blocking socket; connect() returns EINPROGRESS and
 * state() asks poll(2) with a zero timeout whether it became writable, then
 * SO_ERROR for the outcome.  send/recv use MSG_DONTWAIT and map EAGAIN to
 * "0 bytes, try again".  The end of the stream is recv() returning 0, or
 * (seen without reading, so a kept-alive connection the server closed is
 * not reused) POLLRDHUP with nothing left to read.  Name resolution is
 * getaddrinfo (IPv4 only), which blocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/err.h"
#include "core/stream.h"
#include "platform/host/host.h"
#include "platform/platform.h"

struct sock_stream {
	struct stream base;   /* first: a struct stream * is a struct sock_stream * */
	int fd;
	enum stream_state state;
	int err;
	int eof;              /* recv() returned 0 */
};

static int sock_errno(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return -WB_ECONNREFUSED;
	case ETIMEDOUT:
		return -WB_ETIMEDOUT;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
		return -WB_ENOROUTE;
	case ECONNRESET:
	case EPIPE:
	case ECONNABORTED:
		return -WB_ECONNRESET;
	case ENOMEM:
	case ENOBUFS:
		return -WB_ENOMEM;
	default:
		return -WB_ENOTCONN;
	}
}

static void sock_fail(struct sock_stream *s, int rc)
{
	s->state = STREAM_ERROR;
	s->err = rc;
}

static size_t sock_s_recv_avail(const struct stream *st)
{
	const struct sock_stream *s = (const struct sock_stream *)st;
	int n = 0;

	if (s->fd < 0 || ioctl(s->fd, FIONREAD, &n) < 0 || n < 0)
		return 0;
	return (size_t)n;
}

static enum stream_state sock_s_state(const struct stream *st)
{
	/* state is discovered lazily: the struct is ours, so update it here */
	struct sock_stream *s = (struct sock_stream *)st;
	struct pollfd pfd = { .fd = s->fd };

	if (s->state == STREAM_CONNECTING) {
		int e = 0;
		socklen_t el = sizeof(e);

		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 0) <= 0)
			return s->state;
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
			e = errno;
		if (e)
			sock_fail(s, sock_errno(e));
		else
			s->state = STREAM_OPEN;
	}
	if (s->state == STREAM_OPEN) {
		if (s->eof)
			return STREAM_EOF;
		pfd.events = POLLIN | POLLRDHUP;
		if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)) &&
		    !sock_s_recv_avail(st)) {
			int e = 0;
			socklen_t el = sizeof(e);

			getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &el);
			if (e) {
				sock_fail(s, sock_errno(e));
			} else {
				s->eof = 1;
				return STREAM_EOF;
			}
		}
	}
	return s->state;
}

static int sock_s_error(const struct stream *st)
{
	const struct sock_stream *s = (const struct sock_stream *)st;

	return s->state == STREAM_ERROR ? s->err : 0;
}

static size_t sock_s_send_space(const struct stream *st)
{
	const struct sock_stream *s = (const struct sock_stream *)st;

	return s->state == STREAM_OPEN ? 65536 : 0;
}

static int sock_s_send(struct stream *st, const void *buf, size_t len)
{
	struct sock_stream *s = (struct sock_stream *)st;
	ssize_t n;

	if (sock_s_state(st) == STREAM_ERROR)
		return s->err;
	if (s->state != STREAM_OPEN)
		return -WB_ENOTCONN;
	n = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	sock_fail(s, sock_errno(errno));
	return s->err;
}

static int sock_s_recv(struct stream *st, void *buf, size_t len)
{
	struct sock_stream *s = (struct sock_stream *)st;
	ssize_t n;

	if (s->state == STREAM_CONNECTING && sock_s_state(st) == STREAM_CONNECTING)
		return 0;
	if (s->state == STREAM_ERROR)
		return s->err;
	if (s->eof)
		return -WB_ECLOSED;
	if (len > 0x7fffffff)
		len = 0x7fffffff;
	n = recv(s->fd, buf, len, MSG_DONTWAIT);
	if (n > 0)
		return (int)n;
	if (n == 0) {
		s->eof = 1;
		return -WB_ECLOSED;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	sock_fail(s, sock_errno(errno));
	return s->err;
}

static void sock_s_close(struct stream *st)
{
	struct sock_stream *s = (struct sock_stream *)st;

	if (s->fd >= 0)
		close(s->fd);   /* the kernel resets the connection if data was left unread */
	plat_free(s);
}

static const struct stream_ops sock_stream_ops = {
	sock_s_state, sock_s_error, sock_s_send, sock_s_send_space,
	sock_s_recv, sock_s_recv_avail, sock_s_close,
};

int host_sock_connect(const char *host, uint16_t port, struct stream **out)
{
	return host_sock_connect_from(host, port, 0, out);
}

int host_sock_connect_from(const char *host, uint16_t port, uint16_t local_port,
			   struct stream **out)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct sockaddr_in sin;
	struct sock_stream *s;
	int one = 1;

	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &ai) || !ai)
		return -WB_EDNS;
	memcpy(&sin, ai->ai_addr, sizeof(sin));
	freeaddrinfo(ai);
	sin.sin_port = htons(port);
	s = plat_malloc(sizeof(*s));
	if (!s)
		return -WB_ENOMEM;
	memset(s, 0, sizeof(*s));
	s->base.ops = &sock_stream_ops;
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		int rc = sock_errno(errno);

		plat_free(s);
		return rc;
	}
	setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (local_port) {
		struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(local_port) };

		if (bind(s->fd, (struct sockaddr *)&me, sizeof(me))) {
			int e = errno;

			close(s->fd);
			plat_free(s);
			return e == EADDRINUSE ? -WB_EPORTBUSY :
			       e == EACCES || e == EPERM ? -WB_EPORTPERM : sock_errno(e);
		}
	}
	s->state = STREAM_CONNECTING;
	if (connect(s->fd, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
		s->state = STREAM_OPEN;
	} else if (errno != EINPROGRESS) {
		/* EADDRNOTAVAIL: our port + their address and port are still in TIME_WAIT */
		int rc = local_port && (errno == EADDRNOTAVAIL || errno == EADDRINUSE) ?
			 -WB_EPORTBUSY : sock_errno(errno);

		close(s->fd);
		plat_free(s);
		return rc;
	}
	*out = &s->base;
	return 0;
}

static void host_sock_poll(void *arg)
{
	/* nothing to step (the kernel does the work): yield the CPU for a moment */
	poll(NULL, 0, 1);
}

void host_sock_poller(int (*cancel)(void), struct stream_poller *out)
{
	out->poll = host_sock_poll;
	out->arg = NULL;
	out->cancel = cancel;
}
