/* net_priv.h — internals shared by net.c, dhcp.c and stream.c (not a public API). */
#ifndef WB_NET_PRIV_H
#define WB_NET_PRIV_H

#include "lwip/netif.h"
#include "net/ackq.h"
#include "net/net.h"

#define NET_MAX_IFS 16
#define NET_FRAME_MAX 1536

struct plat_link;

struct net_if {
	char name[24];
	struct plat_link *link;      /* physical link, NULL for a VLAN */
	struct net_if *parent;       /* VLAN: the physical interface */
	unsigned vlan_tag;
	struct net_ctx *net;
	struct netif netif;
	int open;
	uint8_t mac[6];
	struct net_counters cnt;
	int dhcp_lease;              /* settings in the scope came from a DHCP lease */
	int proxy_lease;             /* the proxydhcp/ and pxebs/ settings came from this one's DHCP */
	struct ackq ackq;            /* pure TCP ACKs held until the next poll (physical links) */
};

struct net_ctx {
	struct net_if *ifs[NET_MAX_IFS];
	int nifs;
	struct settings_ctx *settings;
	net_cancel_fn cancel;
	uint32_t tcp_window;
	int ack_coalesce;            /* hold pure ACKs until the next poll (net/ackq.h); default 1 */
	uint8_t rxbuf[NET_FRAME_MAX + 64];
	uint64_t prof_start;
};

/* The running profile (net.h struct net_prof); net_prof_on is 0 unless profiling. */
extern int net_prof_on;
extern struct net_prof net_prof_now;
/* link transmit ticks since the timed part began (net.c resets and adds) */
extern uint64_t net_prof_tx_nested;

/** Recompute lwIP's default interface (first open configured interface). */
void net_update_default(struct net_ctx *net);
/**
 * Remove every setting a DHCP lease publishes in @nif's scope (dhcp.c's list,
 * initiator-iqn from option 203 included): before a new DHCP exchange and on
 * ifclose, so that nothing of an old lease outlives it.
 */
void net_dhcp_drop_lease(struct net_if *nif);
/** Publish the address settings of @nif from its lwIP state. */
void net_publish_addr(struct net_if *nif);
/** Random 32-bit value for protocol identifiers (xid, ids). */
uint32_t net_random32(void);

#endif
