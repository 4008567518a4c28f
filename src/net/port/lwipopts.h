/*
 * lwipopts.h — wireboot's lwIP configuration (lwIP 2.1.3, NO_SYS raw API).
 *
 * One event loop polls the links and lwIP's timers (net_poll()); nothing runs
 * from interrupts.  DHCP and SNTP are wireboot's own (src/net/dhcp*.c,
 * src/net/ntp*.c) so that their parsers are pure functions we fuzz; lwIP
 * brings ARP, IPv4, ICMP, UDP, TCP and DNS.
 *
 * TCP receive window: compiled for the largest window we ever advertise
 * (TCP_WND, scaled); the stream layer advertises less at run time (see
 * stream.c) so that a burst in flight fits what the link absorbs between
 * polls (small on U-Boot).
 */
#ifndef WB_LWIPOPTS_H
#define WB_LWIPOPTS_H

#define NO_SYS                  1
#define LWIP_SOCKET             0
#define LWIP_NETCONN            0
#define SYS_LIGHTWEIGHT_PROT    0
#define LWIP_TIMERS             1

/* Memory: lwIP's own heap, pools allocated from it. */
#define MEM_ALIGNMENT           8
#define MEM_SIZE                (4 * 1024 * 1024)
#define MEMP_MEM_MALLOC         1
#define MEMP_NUM_SYS_TIMEOUT    (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
#define PBUF_POOL_SIZE          64

#define LWIP_IPV4               1
#define LWIP_IPV6               0
#define LWIP_ARP                1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define LWIP_ICMP               1
#define LWIP_RAW                1
#define LWIP_UDP                1
#define LWIP_TCP                1
#define LWIP_DHCP               0
#define LWIP_AUTOIP             0
#define LWIP_IGMP               0
#define LWIP_DNS                1
#define DNS_MAX_SERVERS         2
#define DNS_TABLE_SIZE          4
#define IP_REASSEMBLY           1
#define IP_FRAG                 1
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_SINGLE_NETIF       0
#define LWIP_NETIF_HOSTNAME     0
#define LWIP_STATS              1
#define LWIP_STATS_DISPLAY      0
#define MIB2_STATS              0
#define LWIP_CHECKSUM_ON_COPY   1

/* Our DHCP client listens on UDP 68 before the interface has an address. */
#define LWIP_IP_ACCEPT_UDP_PORT(port) ((port) == PP_NTOHS(68))

/* TCP */
#define TCP_MSS                 1460
#define LWIP_WND_SCALE          1
#define TCP_RCV_SCALE           4
/*
 * TCP_WND is a run-time value (net_set_tcp_window()).  lwIP's init.c checks
 * TCP_WND with #if, where identifiers read as 0: the expression below is
 * 64 KiB to the preprocessor and exactly wb_lwip_tcp_wnd at run time (where
 * wb_lwip_tcp_wnd_set is 1).  Range: TCP_MSS .. 0xFFFF << TCP_RCV_SCALE.
 */
#ifndef __ASSEMBLER__
extern unsigned int wb_lwip_tcp_wnd, wb_lwip_tcp_wnd_set;
#endif
#define TCP_WND (wb_lwip_tcp_wnd + (1u - wb_lwip_tcp_wnd_set) * 0x10000u)
#define WB_TCP_WND_MAX (0xFFFFu << TCP_RCV_SCALE)
#define TCP_SND_BUF             (64 * 1024)
#define TCP_SND_QUEUELEN        ((4 * TCP_SND_BUF) / TCP_MSS)
#define TCP_OVERSIZE            TCP_MSS
#define TCP_QUEUE_OOSEQ         1
/*
 * Loss recovery (docs/dev/loss.md): out-of-order segments are kept and
 * reported with SACK blocks (RFC 2018), so a Linux sender repairs several holes
 * per round trip (and RACK/TLP work) instead of waiting for its retransmission
 * timer each time a retransmission or a second segment of a window is lost.
 */
#define LWIP_TCP_SACK_OUT       1
#define LWIP_TCP_MAX_SACK_NUM   4
/*
 * lwIP's TCP timers tick every TCP_TMR_INTERVAL (delayed ACKs) and twice that
 * (retransmission, persist): its RTO is counted in those ticks and is at least
 * 3 of them, so at lwIP's default 250 ms a lost segment of ours cost 1.5 s or
 * more.  At 10 ms the minimum is 60 ms and a delayed ACK waits at most 10 ms.
 * SYNs are resent every second (tcpstream.c) up to TCP_SYNMAXRTX times.
 */
#define TCP_TMR_INTERVAL        10
#define TCP_SYNMAXRTX           12
#define TCP_LISTEN_BACKLOG      0
#define LWIP_TCP_KEEPALIVE      1
#define LWIP_ALTCP              0
/*
 * Initial sequence numbers: RFC 6528 (keyed hash of the 4-tuple plus a 4-us
 * clock, src/net/tcp_isn.c) instead of lwIP's 6510 + tcp_ticks, which an
 * off-path attacker predicts from one connection of its own.  The hook takes
 * IPv4 addresses (ip_addr_t is struct ip4_addr only without IPv6).
 */
#ifndef __ASSEMBLER__
#include <stdint.h>
struct ip4_addr;
uint32_t wb_lwip_tcp_isn(const struct ip4_addr *local_ip, uint16_t local_port,
			 const struct ip4_addr *remote_ip, uint16_t remote_port);
#endif
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) \
	wb_lwip_tcp_isn((local_ip), (local_port), (remote_ip), (remote_port))
#if LWIP_IPV6
#error "wb_lwip_tcp_isn (LWIP_HOOK_TCP_ISN) takes IPv4 addresses: extend it before enabling IPv6"
#endif

#define LWIP_NOASSERT_ON_ERROR  1
#define LWIP_DEBUG              0

#endif
