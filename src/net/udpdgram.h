/*
 * udpdgram.h — struct dgram (core/dgram.h) over lwIP UDP, and the TFTP
 * client's environment on it (names by net_resolve(), the loop by net_poll()).
 */
#ifndef WB_UDPDGRAM_H
#define WB_UDPDGRAM_H

#include "core/dgram.h"
#include "proto/tftp_client.h"

struct net_ctx;

/** Bound on the name lookup of the TFTP environment's resolve(). */
#define NET_UDP_DNS_TIMEOUT_MS 10000

/**
 * A UDP socket on an ephemeral local port of @net's stack (borrowed; must
 * outlive the socket).  Up to NET_UDP_QUEUE received datagrams wait; more
 * are dropped.  @return 0 and *out (free with dgram_close()),
 * -WB_ETFTPSOCKET.
 */
int net_udp_open(struct net_ctx *net, struct dgram **out);
#define NET_UDP_QUEUE 64

/** Fill @out for @net (borrowed); progress lines go to wb_printf. */
void net_tftp_env(struct net_ctx *net, struct tftp_env *out);

#endif
