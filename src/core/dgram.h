/*
 * dgram.h — non-blocking UDP datagram sockets, what TFTP sits on (as
 * core/stream.h is for TCP).  Back-ends: lwIP UDP (net/udpdgram.c) and
 * Linux kernel sockets (platform/host/sockdgram.c).  IPv4 only.
 *
 * A dgram is bound to an ephemeral local port when it is opened; it sends
 * to any address and port and receives from any (the caller checks the
 * source).  Received datagrams wait in a bounded queue; when it is full new
 * ones are dropped (UDP may lose packets anyway).  Nothing blocks except
 * wait(), which steps the event loop for at most @ms milliseconds and
 * returns early when a datagram arrives.
 */
#ifndef WB_DGRAM_H
#define WB_DGRAM_H

#include <stddef.h>
#include <stdint.h>

struct dgram;

struct dgram_ops {
	/** Send @len bytes to @ip:@port.  @return 0 or a negative WB_E*. */
	int (*send)(struct dgram *d, const uint8_t ip[4], uint16_t port, const void *buf,
		    size_t len);
	/**
	 * Take the oldest waiting datagram: its bytes (cut to @cap) into @buf,
	 * its source into @ip/@port.  @return its length (0 is a valid empty
	 * datagram), -WB_EAGAIN when none waits, or another negative WB_E*.
	 */
	int (*recv)(struct dgram *d, void *buf, size_t cap, uint8_t ip[4], uint16_t *port);
	/** Step the event loop; return after at most @ms or when a datagram waits. */
	void (*wait)(struct dgram *d, uint32_t ms);
	/** Close and free @d; the pointer is invalid afterwards. */
	void (*close)(struct dgram *d);
};

/** Every back-end's dgram starts with this. */
struct dgram {
	const struct dgram_ops *ops;
};

static inline int dgram_send(struct dgram *d, const uint8_t ip[4], uint16_t port,
			     const void *buf, size_t len)
{
	return d->ops->send(d, ip, port, buf, len);
}

static inline int dgram_recv(struct dgram *d, void *buf, size_t cap, uint8_t ip[4],
			     uint16_t *port)
{
	return d->ops->recv(d, buf, cap, ip, port);
}

static inline void dgram_wait(struct dgram *d, uint32_t ms)
{
	d->ops->wait(d, ms);
}

static inline void dgram_close(struct dgram *d)
{
	d->ops->close(d);
}

#endif
