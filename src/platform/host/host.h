/* host.h — hosted-platform extras for main.c (Linux only). */
#ifndef WB_HOST_H
#define WB_HOST_H

#include <stdint.h>

/** Add a link over the existing TAP device @ifname; @mac NULL = derived from the name. */
int host_tap_add(const char *ifname, const uint8_t *mac);
/** Console setup: raw mode when stdin is a terminal; SIGINT → Ctrl-C key. */
void host_console_init(void);
void host_console_restore(void);
/** 1 once a SIGINT has arrived after host_console_init() (the CLI then exits 130). */
int host_interrupted(void);
/** Where plat_write() (wb_printf) goes: 1 (stdout, the default) or 2 (stderr: the
 *  subcommands whose stdout carries results only, e.g. `fetch -o -`). */
void host_console_output(int fd);
/** Load options for plat_load_options() (the hosted CLI's --pre option). */
void host_set_load_options(const char *s);
/** Close all links (process exit). */
void host_links_close(void);

struct stream;
struct stream_poller;
/**
 * Kernel TCP socket to @host (name via getaddrinfo, IPv4, blocking) : @port,
 * non-blocking from then on (sockstream.c).  @return 0 and *out (connecting;
 * free with stream_close()), -WB_EDNS, or a connect error.
 */
int host_sock_connect(const char *host, uint16_t port, struct stream **out);
/** Same from local port @local_port (0: ephemeral); -WB_EPORTBUSY, -WB_EPORTPERM too. */
int host_sock_connect_from(const char *host, uint16_t port, uint16_t local_port,
			   struct stream **out);
/** A poller for kernel-socket streams: poll() sleeps ~1 ms; @cancel may be NULL. */
void host_sock_poller(int (*cancel)(void), struct stream_poller *out);

struct dgram;
struct tftp_env;
/** A kernel UDP socket on an ephemeral port (sockdgram.c).  0 and *out, or -WB_ETFTPSOCKET. */
int host_udp_open(struct dgram **out);
/** The TFTP client's environment over kernel UDP sockets; @cancel may be NULL. */
void host_tftp_env(int (*cancel)(void), struct tftp_env *out);

#endif
