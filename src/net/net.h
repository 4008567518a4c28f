/*
 * net.h — network interfaces over platform links, on lwIP (NO_SYS raw API).
 *
 * Interfaces are named as in iPXE: net0, net1 … one per platform link, and
 * netX-TAG for an 802.1Q VLAN made by net_vlan_create().  A VLAN interface
 * is a software link over its parent: frames it sends get a tag inserted,
 * and the parent's receive path hands it the frames carrying its tag with
 * the tag removed, so lwIP sees plain Ethernet on both.
 *
 * Everything runs from net_poll(), which the caller (the script layer's wait
 * loop) calls often: it drains each open link, runs lwIP's timers and
 * retries queued work.  Nothing here blocks except the net_* "wait" helpers,
 * which poll until done, a timeout, or Ctrl-C.
 */
#ifndef WB_NET_H
#define WB_NET_H

#include <stddef.h>
#include <stdint.h>

struct settings_ctx;
struct net_ctx;
struct net_if;

struct net_counters {
	uint64_t tx_frames, tx_bytes, tx_errors, tx_busy;
	uint64_t rx_frames, rx_bytes, rx_dropped, rx_vlan_unknown;
	uint64_t tx_acks_merged;     /* pure ACKs replaced by a later one before they were sent */
};

/*
 * Where the receive path's time goes (issue 14): while profiling is on,
 * net_poll() and the TCP stream time their parts with plat_ticks().  Every
 * t_* is in plat_ticks() units (rate plat_ticks_hz()); the parts do not
 * overlap: t_input and t_timers exclude the link transmits made from them.
 */
struct net_prof {
	uint64_t ticks;                 /* since net_prof_start() */
	uint64_t polls, empty_polls;    /* net_poll() calls; those that found no frame */
	uint64_t rx_frames;             /* frames plat_link_rx() returned */
	uint64_t t_rx_frame;            /* in plat_link_rx() calls that returned a frame */
	uint64_t t_rx_empty;            /* in plat_link_rx() calls that found nothing */
	uint64_t t_pbuf;                /* frame → pbuf: allocation and copy */
	uint64_t t_input;               /* lwIP input: Ethernet, IP, TCP, checksums, callbacks */
	uint64_t tx_frames, t_tx;       /* plat_link_tx() (ACKs and data), wherever called from */
	uint64_t t_timers;              /* lwIP timers (sys_check_timeouts) */
	uint64_t t_stream_copy;         /* TCP stream: pbufs → the caller's buffer, window updates */
};

/**
 * Setting tcp-ack-coalesce: hold pure TCP ACKs until the next poll, a later
 * one replacing an earlier one of the same connection (net/ackq.h); on by
 * default.  What is held is sent at the next net_poll() either way.
 */
void net_set_ack_coalesce(struct net_ctx *net, int on);

/** Zero the profile and start (or restart) profiling. */
void net_prof_start(struct net_ctx *net);
/** Stop profiling; *out gets the figures (ticks = time since the start). */
void net_prof_stop(struct net_ctx *net, struct net_prof *out);

/**
 * Create the network context: lwIP init and one interface per platform link.
 * Settings net0/mac … are published into @settings (borrowed, must outlive).
 * @return 0 and *out, or -WB_ENOMEM.  Free with net_destroy().
 */
int net_create(struct settings_ctx *settings, struct net_ctx **out);
/** Close every interface and free the context. */
void net_destroy(struct net_ctx *net);

/** Step links, lwIP timers and pending protocol work.  Never blocks. */
void net_poll(struct net_ctx *net);

/** Wait-loop hook: called by net_wait() each round; returns nonzero to stop (Ctrl-C). */
typedef int (*net_cancel_fn)(void);
void net_set_cancel(struct net_ctx *net, net_cancel_fn fn);
net_cancel_fn net_get_cancel(const struct net_ctx *net);
/**
 * Poll until @done(arg) returns nonzero, @timeout_ms passes (-WB_ETIMEDOUT)
 * or the cancel hook fires (-WB_ECANCELED).  Returns 0 when done.
 */
int net_wait(struct net_ctx *net, int (*done)(void *arg), void *arg, uint32_t timeout_ms);

/* ---- interfaces ------------------------------------------------------- */

int net_count(const struct net_ctx *net);
struct net_if *net_get(struct net_ctx *net, int i);
/** Interface by name ("net0", "net0-10"); NULL when unknown. */
struct net_if *net_find(struct net_ctx *net, const char *name);
/** First interface that is open (for unqualified commands), or NULL. */
struct net_if *net_first_open(struct net_ctx *net);
const char *net_if_name(const struct net_if *nif);
int net_if_is_open(const struct net_if *nif);
/** 1 link up, 0 down, -1 unknown (the platform cannot tell). */
int net_if_link_state(const struct net_if *nif);
void net_if_mac(const struct net_if *nif, uint8_t mac[6]);
void net_if_counters(const struct net_if *nif, struct net_counters *out);
/** 0 with the IPv4 address (all zero when unconfigured). */
void net_if_addr(const struct net_if *nif, uint8_t ip[4], uint8_t mask[4], uint8_t gw[4]);
/** The interface lwIP sends to @ip through (same subnet, else the default); NULL if none is open. */
struct net_if *net_route(struct net_ctx *net, const uint8_t ip[4]);
/** Index of the platform link under @nif (its parent's for a VLAN): plat_link_get(i); -1 unknown. */
int net_if_link_index(const struct net_if *nif);
/** VLAN tag (0 for a physical interface). */
unsigned net_if_vlan_tag(const struct net_if *nif);

/** Open (bring up) an interface; a VLAN opens its parent too.  Idempotent. */
int net_if_open(struct net_ctx *net, struct net_if *nif);
/** Close it; addresses are removed, settings kept (as iPXE does). */
void net_if_close(struct net_ctx *net, struct net_if *nif);

/**
 * Configure the interface statically from its settings scope
 * (netX/ip, netX/netmask, netX/gateway, netX/dns), opening it if needed.
 * @return 0, -WB_EBADVAL when netX/ip is unset.
 */
int net_if_configure_static(struct net_ctx *net, struct net_if *nif);

/**
 * Run DHCP on @nif (opened if needed) and apply the lease: address, netmask,
 * gateway, DNS; publishes the settings netX/ip … (see dhcp.h for the list).
 * Prints progress.  Blocks (polling) up to the DHCP timeout.
 */
int net_dhcp(struct net_ctx *net, struct net_if *nif);

/** Create VLAN @tag (1..4094) over physical @parent: "netX-TAG". */
int net_vlan_create(struct net_ctx *net, struct net_if *parent, unsigned tag,
		    struct net_if **out);
/** Destroy a VLAN interface (closing it first).  -WB_EINVAL for a physical one. */
int net_vlan_destroy(struct net_ctx *net, struct net_if *nif);

/* ---- services (blocking with timeout and Ctrl-C) ----------------------- */

/** Resolve @name (A record, or a dotted quad as is).  0 and @ip. */
int net_resolve(struct net_ctx *net, const char *name, uint8_t ip[4], uint32_t timeout_ms);
/** One ICMP echo; 0 and the round-trip time in *rtt_ms, or -WB_EPINGTIMEOUT. */
int net_ping(struct net_ctx *net, const uint8_t ip[4], uint16_t seq, uint32_t timeout_ms,
	     uint32_t *rtt_ms);
/** What an SNTP exchange saw (for messages). */
struct net_sntp_info {
	int valid;              /* replies taken as samples */
	unsigned ignored;       /* datagrams ignored (another source, not our request, malformed) */
	int last_refusal;       /* why the last was ignored (WB_E*), 0 if none was */
	int64_t not_before;     /* the build date: an earlier time is refused */
};
/**
 * The time from the SNTP server @ip (ntp_msg.h says what is believed):
 * requests to port 123 until 3 valid replies came, within @timeout_ms.
 * @return 0 and *unix_secs (the median of the 3); -WB_ENTPTIMEOUT (nothing
 * came back), -WB_ENTPFEW (fewer than 3 valid), -WB_ENTPPAST (a time before
 * the build date: *unix_secs is that time), -WB_ECANCELED, -WB_ENOROUTE.
 * @info (may be NULL) is filled in either way.
 */
int net_sntp(struct net_ctx *net, const uint8_t ip[4], uint32_t timeout_ms, int64_t *unix_secs,
	     struct net_sntp_info *info);

/** Advertised TCP receive window for new connections (bytes). */
uint32_t net_tcp_window(const struct net_ctx *net);
/** Set it (clamped to [TCP_MSS*2, lwIP max]); returns the value in force. */
uint32_t net_set_tcp_window(struct net_ctx *net, uint32_t bytes);

/** Settings store the network publishes into. */
struct settings_ctx *net_settings(struct net_ctx *net);

#endif
