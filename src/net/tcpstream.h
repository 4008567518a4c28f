/*
 * tcpstream.h — TCP streams over lwIP (the struct stream back-end of core/stream.h).
 *
 * The window advertised is net_tcp_window() at connect time: small on
 * U-Boot so that a burst in flight never exceeds what its receive ring
 * absorbs between polls, large (window-scaled) on EDK2 and the host.  Data
 * is held in lwIP pbufs until stream_recv() copies it out; only then is the
 * window reopened (tcp_recved).  lwIP callbacks never free a stream.
 */
#ifndef WB_TCPSTREAM_H
#define WB_TCPSTREAM_H

#include <stdint.h>

#include "core/stream.h"

struct net_ctx;

/**
 * Start connecting to @ip:@port.  @return 0 and *out (free with
 * stream_close()), -WB_ENOROUTE, -WB_ENOMEM, -WB_ENOENTROPY (no key for
 * the RFC 6528 initial sequence number, tcp_isn.h).
 */
int net_tcp_connect(struct net_ctx *net, const uint8_t ip[4], uint16_t port, struct stream **out);

/**
 * Same, from local port @local_port (0: an ephemeral one).  @return also
 * -WB_EPORTBUSY when that port is taken (a connection or TIME_WAIT).
 */
int net_tcp_connect_from(struct net_ctx *net, const uint8_t ip[4], uint16_t port,
			 uint16_t local_port, struct stream **out);

/** Default bound on the name lookup of net_tcp_connect_host(). */
#define NET_TCP_DNS_TIMEOUT_MS 10000

/**
 * Resolve @host (a dotted quad or a DNS name, net_resolve() bounded by
 * NET_TCP_DNS_TIMEOUT_MS), then net_tcp_connect() to it.  @return 0 and
 * *out, or net_resolve()'s / net_tcp_connect()'s error.
 */
int net_tcp_connect_host(struct net_ctx *net, const char *host, uint16_t port,
			 struct stream **out);

/** net_tcp_connect_host() from local port @local_port. */
int net_tcp_connect_host_from(struct net_ctx *net, const char *host, uint16_t port,
			      uint16_t local_port, struct stream **out);

/** A poller that steps @net (for stream_wait_open() and friends). */
void net_tcp_poller(struct net_ctx *net, struct stream_poller *out);

#endif
