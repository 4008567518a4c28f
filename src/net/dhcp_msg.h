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
#define DHCP_PXE_MAX_ITEMS 8        /* boot menu items / boot servers we keep */
#define DHCP_PXE_PORT  4011         /* PXE boot server / ProxyDHCPREQUEST port (PXE 2.1) */

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
	uint8_t ciaddr[4];            /* when nonzero: our bound address (a port-4011
				       * request, PXE 2.1 §2.2.5); no broadcast flag then */
	int has_boot_item;            /* option 43 with PXE_BOOT_ITEM (71): type, layer 0 */
	uint16_t boot_item_type;
	int has_uuid;                 /* option 97 (RFC 4578 §2.3): type 0 + @uuid as given */
	uint8_t uuid[16];
};

/**
 * PXE vendor options (option 43 when the reply's option 60 begins with
 * "PXEClient"; PXE 2.1 §2.4 table 2-1).  Only what a client that boots the
 * default item needs is kept.
 */
struct dhcp_pxe {
	int present;                  /* PXE option 43 decoded */
	int bad;                      /* PXE option 43 malformed: ignored, why in dhcp_reply.pxe_why */
	int has_discovery;
	uint8_t discovery;            /* PXE_DISCOVERY_CONTROL (6): bit 3 = boot the file field */
	int nmenu;                    /* PXE_BOOT_MENU (9): item types in order */
	uint16_t menu_type[DHCP_PXE_MAX_ITEMS];
	int nservers;                 /* PXE_BOOT_SERVERS (8): type and first address */
	uint16_t server_type[DHCP_PXE_MAX_ITEMS];
	uint8_t server_ip[DHCP_PXE_MAX_ITEMS][4];
	int has_boot_item;            /* PXE_BOOT_ITEM (71) echoed by a boot server */
	uint16_t boot_item_type, boot_item_layer;
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
	char vendor_class[64];        /* option 60: "PXEClient" from PXE servers */
	uint8_t vendor_opts[512];     /* option 43 as received (RFC 3396 concatenated) */
	unsigned vendor_opts_len;
	struct dhcp_pxe pxe;          /* option 43 decoded when option 60 says PXEClient */
	char pxe_why[96];             /* when pxe.bad */
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

/**
 * The vendor class (option 60) a PXE client sends, "PXEClient:Arch:AAAAA:
 * UNDI:003016" (PXE 2.1 §2.2.5; AAAAA = @arch, RFC 4578 §2.1, decimal),
 * written to @buf (@cap >= 33).  @return its length, or -WB_ETOOBIG.
 */
int dhcp_msg_pxe_vendor_class(uint16_t arch, char *buf, size_t cap);

/**
 * Is @r a proxyDHCP offer (PXE 2.1 §2.2.5): a DHCPOFFER with option 60
 * "PXEClient", no address (yiaddr 0) and a server identifier?  An offer
 * that carries an address is an ordinary offer whatever its option 60.
 */
int dhcp_msg_is_proxy_offer(const struct dhcp_reply *r);

/**
 * Does @r say its server is a PXE server (option 60 begins "PXEClient")?
 * A DHCP server that is its own proxy puts that in its address-bearing
 * offer and ACK (PXE 2.1 §2.2.5, the DHCP and proxyDHCP services on one host).
 */
int dhcp_msg_is_pxe(const struct dhcp_reply *r);

/** What a PXE client does next with a proxyDHCP reply (dhcp_msg_pxe_next). */
enum dhcp_pxe_step {
	DHCP_PXE_DONE,        /* boot reply's file (and siaddr, else server id) */
	DHCP_PXE_ASK_PROXY,   /* ProxyDHCPREQUEST to the proxy's port 4011 */
	DHCP_PXE_ASK_ITEM,    /* boot server request for *item on *server port 4011 */
	DHCP_PXE_NOTHING,     /* no boot file (local boot item 0, or nothing offered) */
};

/**
 * Decide the next step for a proxyDHCP offer or port-4011 ACK @r.  @from_4011:
 * @r is already an answer on port 4011 (no second plain request then).  A file
 * is booted directly when there is no boot menu or discovery control bit 3
 * says so; else the first menu item is asked for at the server PXE_BOOT_SERVERS
 * lists for it, or at @r's server identifier.  On DHCP_PXE_ASK_* @server (and
 * @item) are set.
 */
enum dhcp_pxe_step dhcp_msg_pxe_next(const struct dhcp_reply *r, int from_4011,
				     uint16_t *item, uint8_t server[4]);

#endif
