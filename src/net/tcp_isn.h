/*
 * tcp_isn.h — TCP initial sequence numbers (RFC 6528 §3), for lwIP's
 * LWIP_HOOK_TCP_ISN (src/net/port/lwipopts.h).
 *
 *   ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 *
 * M is a 4-microsecond timer (RFC 793 §3.3, RFC 6528 §3) taken from the
 * platform's monotonic clock; F is HMAC-SHA-256 keyed with a 32-byte secret
 * drawn once from wb_entropy() (the source TLS and CHAP use), over the
 * 4-tuple, its first 4 bytes read big-endian.  An off-path attacker who sees
 * the ISNs of its own connections learns nothing about the ISN of a
 * connection with a different 4-tuple; lwIP's default (6510 + tcp_ticks,
 * summed per connection) was a small step from the last one.
 *
 * Without entropy there is no key and no TCP connection: net_tcp_connect()
 * returns -WB_ENOENTROPY, as an HTTPS fetch or a CHAP login does.
 */
#ifndef WB_TCP_ISN_H
#define WB_TCP_ISN_H

#include <stddef.h>
#include <stdint.h>

#define TCP_ISN_KEY_LEN 32

/* The secret of one TCP stack.  Zero it before the first tcp_isn_key(). */
struct tcp_isn_ctx {
	uint8_t key[TCP_ISN_KEY_LEN];
	int keyed;                      /* key holds TCP_ISN_KEY_LEN secret bytes */
};

/** Source of key material: fill @buf with @len bytes; 0 or a negative WB_E* code. */
typedef int (*tcp_isn_entropy_fn)(void *buf, size_t len);

/**
 * Draw the secret from @entropy once: a no-op when @ctx is already keyed.
 * @return 0, or @entropy's error (-WB_ENOENTROPY when it returned a positive
 * value); on failure @ctx stays unkeyed (key wiped) and the next call tries again.
 */
int tcp_isn_key(struct tcp_isn_ctx *ctx, tcp_isn_entropy_fn entropy);

/**
 * F of RFC 6528: HMAC-SHA-256(@key, localip || localport || remoteip ||
 * remoteport), addresses in network order, ports big-endian; the first 4
 * bytes of the MAC, big-endian.  Pure.
 */
uint32_t tcp_isn_f(const uint8_t key[TCP_ISN_KEY_LEN], const uint8_t local_ip[4],
		   uint16_t local_port, const uint8_t remote_ip[4], uint16_t remote_port);

/** M of RFC 6528: the 4-µs timer at monotonic time @ms (ms × 250, mod 2^32).  Pure. */
uint32_t tcp_isn_clock(uint64_t ms);

/**
 * The ISN for a connection: @m + F(…, @ctx's key) mod 2^32.  Pure.
 * @ctx must be keyed (tcp_isn_key() returned 0).
 */
uint32_t tcp_isn(const struct tcp_isn_ctx *ctx, const uint8_t local_ip[4], uint16_t local_port,
		 const uint8_t remote_ip[4], uint16_t remote_port, uint32_t m);

/* ---- the lwIP stack's instance (tcp_isn.c) --------------------------- */

/**
 * Key the ISN secret of the lwIP stack from wb_entropy() if not done yet
 * (up to ~0.5 s the first time on a machine without an RNG: timer jitter).
 * net_tcp_connect() calls it before every tcp_connect().  @return 0 or
 * -WB_ENOENTROPY.
 */
int net_tcp_isn_ready(void);

#endif
