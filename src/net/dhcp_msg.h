/*
 * dhcp_msg.h — DHCPv4 messages (RFC 2131, options RFC 2132): a builder for
 * what the client sends and a parser for what servers send.  Pure functions
 * over buffers; no I/O, no globals.
 */
#ifndef WB_DHCP_MSG_H
#define WB_DHCP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_DISCOVER 1
#define DHCP_OFFER    2
#define DHCP_REQUEST  3
#define DHCP_DECLINE  4
#define DHCP_ACK      5
#define DHCP_NAK      6
#define DHCP_RELEASE  7

#define DHCP_FIXED_LEN 236          /* BOOTP header up to the magic cookie */
#define DHCP_MSG_MAX   1024         /* largest message we build */
#define DHCP_MAX_ADDRS 4

/** What the client puts in DISCOVER / REQUEST. */
struct dhcp_request {
	uint8_t type;                 /* DHCP_DISCOVER or DHCP_REQUEST */
	uint32_t xid;
	uint16_t secs;
	uint8_t mac[6];
	uint16_t client_arch;         /* option 93 */
	const char *vendor_class;     /* option 60 */
	const char *user_class;       /* option 77 (may be NULL) */
	uint8_t requested_ip[4];      /* option 50 when nonzero (REQUEST) */
	uint8_t server_id[4];         /* option 54 when nonzero (REQUEST) */
};

/** What a server's reply told us.  Strings are NUL-terminated. */
struct dhcp_reply {
	uint8_t type;                 /* option 53 */
	uint32_t xid;
	uint8_t chaddr[6];
	uint8_t yiaddr[4];
	uint8_t siaddr[4];            /* next-server */
	uint8_t server_id[4];         /* option 54 */
	uint8_t netmask[4];           /* option 1 */
	uint8_t router[4];            /* option 3 (first) */
	uint8_t dns[DHCP_MAX_ADDRS][4];  /* option 6 */
	uint8_t ntp[DHCP_MAX_ADDRS][4];  /* option 42 */
	int ndns, nntp;
	int has_netmask, has_router, has_server_id;
	uint32_t lease_secs;          /* option 51 */
	char hostname[64];            /* option 12 */
	char domain[256];             /* option 15 */
	char root_path[256];          /* option 17 */
	char initiator_iqn[224];      /* option 203: iSCSI initiator name (iPXE's) */
	char filename[256];           /* option 67, else the file field */
	char sname[65];               /* sname field when not overloaded */
	char tftp_server[256];        /* option 66: TFTP server name (RFC 2132 §9.4) */
	uint8_t overload;             /* option 52 */
	char why[96];                 /* on -WB_EDHCPBAD: what was wrong */
};

/**
 * Build @req into @buf.  @return the length, or -WB_ETOOBIG when @cap is
 * too small (DHCP_MSG_MAX always suffices).
 */
int dhcp_msg_build(const struct dhcp_request *req, uint8_t *buf, size_t cap);

/**
 * Parse a BOOTREPLY in @buf[0..len).  Handles option overload (52: options
 * continued in the file and/or sname fields) and RFC 3396 concatenation of
 * repeated options.  Unknown options are skipped.
 * @return 0, or -WB_EDHCPBAD with out->why set (truncated header, bad magic,
 * an option running past its field, a value of the wrong size, a string
 * option longer than we keep, no message type).
 */
int dhcp_msg_parse(const uint8_t *buf, size_t len, struct dhcp_reply *out);

#endif
