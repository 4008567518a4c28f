/*
 * stream.h — non-blocking TCP byte streams over lwIP, what HTTP and iSCSI
 * sit on.  No call here blocks: the caller pumps net_poll() (or net_wait())
 * and retries.
 *
 * Life cycle:
 *   stream_connect() → STREAM_CONNECTING → STREAM_OPEN → (peer FIN read to
 *   the end) → STREAM_EOF, or STREAM_ERROR at any point (reset, refused,
 *   timeout).  stream_close() ends it from our side and frees the stream;
 *   the pointer is invalid afterwards.  lwIP callbacks never free a stream:
 *   they only record state, so a caller never sees its stream vanish.
 *
 * Flow control:
 *   - send: stream_send() accepts what fits in lwIP's send buffer and
 *     returns how much it took (0 = back-pressure: poll and retry).
 *   - receive: data is held in lwIP pbufs until stream_recv() copies it out;
 *     only then is the window reopened (tcp_recved).  The window advertised
 *     is net_tcp_window() at connect time: small on U-Boot so that a burst
 *     in flight never exceeds what its receive ring absorbs between polls,
 *     large (window-scaled) on EDK2 and the host.
 */
#ifndef WB_STREAM_H
#define WB_STREAM_H

#include <stddef.h>
#include <stdint.h>

struct net_ctx;
struct stream;

enum stream_state {
	STREAM_CONNECTING,
	STREAM_OPEN,
	STREAM_EOF,      /* peer closed; everything it sent has been read */
	STREAM_ERROR,
};

/**
 * Start connecting to @ip:@port.  @return 0 and *out (owned by the caller
 * until stream_close()), -WB_ENOROUTE, -WB_ENOMEM.
 */
int stream_connect(struct net_ctx *net, const uint8_t ip[4], uint16_t port,
		   struct stream **out);
enum stream_state stream_state(const struct stream *s);
/** The error that put the stream in STREAM_ERROR (negative WB_E*), else 0. */
int stream_error(const struct stream *s);
/** Block (polling) until connected, failed, or @timeout_ms. */
int stream_wait_connected(struct net_ctx *net, struct stream *s, uint32_t timeout_ms);

/**
 * Queue up to @len bytes.  @return bytes accepted (0 when the send buffer
 * is full), or a negative error (-WB_ENOTCONN, the stream's error).
 */
int stream_send(struct stream *s, const void *buf, size_t len);
/** Bytes stream_send() would accept now. */
size_t stream_send_space(const struct stream *s);

/**
 * Copy up to @len received bytes into @buf.  @return bytes copied, 0 when
 * nothing is waiting yet, -WB_ECLOSED at end of stream (peer FIN, all read),
 * or the stream's error.
 */
int stream_recv(struct stream *s, void *buf, size_t len);
/** Bytes waiting to be read. */
size_t stream_recv_avail(const struct stream *s);

/** Close (graceful FIN; reset if unread data remains) and free @s. */
void stream_close(struct stream *s);

#endif
