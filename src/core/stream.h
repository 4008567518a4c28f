/*
 * stream.h — non-blocking byte streams, what HTTP and iSCSI sit on.  One
 * interface, several back-ends: TCP over lwIP (net/tcp.c), kernel sockets
 * on Linux (platform/host/sockstream.c), TLS over another stream (tls/).
 * No call here blocks: the caller pumps its event loop (struct
 * stream_poller) and retries.
 *
 * Life cycle:
 *   connect (back-end specific) → STREAM_CONNECTING → STREAM_OPEN → (peer
 *   closed and everything read) STREAM_EOF, or STREAM_ERROR at any point.
 *   stream_close() ends it from our side and frees it; the pointer is
 *   invalid afterwards.  Back-ends never free a stream on their own.
 *
 * Flow control:
 *   - send: stream_send() accepts what fits and returns how much it took
 *     (0 = back-pressure: poll and retry).
 *   - receive: stream_recv() returns what is buffered (0 = nothing yet);
 *     the back-end reopens its receive window only by what was read.
 */
#ifndef WB_STREAM_H
#define WB_STREAM_H

#include <stddef.h>
#include <stdint.h>

enum stream_state {
	STREAM_CONNECTING,
	STREAM_OPEN,
	STREAM_EOF,      /* peer closed; everything it sent has been read */
	STREAM_ERROR,
};

struct stream;

struct stream_ops {
	enum stream_state (*state)(const struct stream *s);
	int (*error)(const struct stream *s);
	int (*send)(struct stream *s, const void *buf, size_t len);
	size_t (*send_space)(const struct stream *s);
	int (*recv)(struct stream *s, void *buf, size_t len);
	size_t (*recv_avail)(const struct stream *s);
	void (*close)(struct stream *s);
};

/** Every back-end's stream starts with this. */
struct stream {
	const struct stream_ops *ops;
};

/** How a waiting caller runs the event loop: poll(arg) steps it; cancel() → Ctrl-C. */
struct stream_poller {
	void (*poll)(void *arg);
	void *arg;
	int (*cancel)(void);
};

enum stream_state stream_state(const struct stream *s);
/** The error that put the stream in STREAM_ERROR (negative WB_E*), else 0. */
int stream_error(const struct stream *s);
/**
 * Queue up to @len bytes.  @return bytes accepted (0 when full), or a
 * negative error (-WB_ENOTCONN, the stream's error).
 */
int stream_send(struct stream *s, const void *buf, size_t len);
/** Bytes stream_send() would accept now. */
size_t stream_send_space(const struct stream *s);
/**
 * Copy up to @len received bytes into @buf.  @return bytes copied, 0 when
 * nothing is waiting yet, -WB_ECLOSED at end of stream, or the error.
 */
int stream_recv(struct stream *s, void *buf, size_t len);
/** Bytes waiting to be read. */
size_t stream_recv_avail(const struct stream *s);
/** Close (graceful; reset if unread data remains) and free @s. */
void stream_close(struct stream *s);

/**
 * Poll until @s leaves STREAM_CONNECTING.  @return 0 when open, the
 * stream's error, -WB_ETIMEDOUT or -WB_ECANCELED.
 */
int stream_wait_open(struct stream *s, const struct stream_poller *p, uint32_t timeout_ms);

#endif
