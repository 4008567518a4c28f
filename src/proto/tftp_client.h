/*
 * tftp_client.h — TFTP download (RFC 1350, options RFC 2347/2348/2349,
 * windowsize RFC 7440) over struct dgram (core/dgram.h).  The client knows
 * nothing about lwIP or sockets: the caller's environment resolves names
 * and opens datagram sockets, so the same code runs on firmware (lwIP UDP)
 * and on Linux (kernel sockets).
 *
 * Blocking: tftp_client_get() steps the event loop (dgram wait) until the
 * file is in, the server says no, nothing useful arrived for
 * g->timeout_ms, or cancel() (Ctrl-C) fires.  Not re-entrant per tftp_get.
 */
#ifndef WB_TFTP_CLIENT_H
#define WB_TFTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/dgram.h"
#include "proto/tftp_msg.h"

/* 1500-byte MTU − 20 (IPv4) − 8 (UDP) − 4 (TFTP header): one frame per block */
#define TFTP_BLKSIZE_ASK 1468
#define TFTP_WINDOW_ASK 16
#define TFTP_TIMEOUT_MS 30000      /* default stall bound (no progress at all) */
#define TFTP_RTO_MS 1000           /* first retransmission; doubles up to TFTP_RTO_MAX_MS */
#define TFTP_RTO_MAX_MS 8000

struct tftp_env {
	/** @host (a name or dotted quad) → @ip.  May block.  @return 0 or WB_E*. */
	int (*resolve)(void *arg, const char *host, uint8_t ip[4]);
	/** A datagram socket on an ephemeral port.  @return 0 and *out, or WB_E*. */
	int (*open)(void *arg, struct dgram **out);
	void *arg;
	int (*cancel)(void);           /* nonzero: stop (Ctrl-C); may be NULL */
	uint64_t (*now_ms)(void);      /* monotonic milliseconds */
	/** Progress line printer (like printf); may be NULL: no progress. */
	void (*print)(const char *line);
};

typedef int (*tftp_sink_fn)(void *arg, const uint8_t *data, size_t len);

struct tftp_get {
	/* in */
	const char *url;          /* tftp://server[:port]/path (path percent-decoded, leading '/' dropped) */
	uint32_t blksize;         /* block size to ask for; 0: TFTP_BLKSIZE_ASK */
	uint32_t windowsize;      /* window to ask for; 0: TFTP_WINDOW_ASK; 1: do not ask */
	int no_options;           /* 1: a plain RFC 1350 request (no OACK, 512-byte blocks) */
	uint32_t timeout_ms;      /* stall bound; 0: TFTP_TIMEOUT_MS */
	tftp_sink_fn sink;        /* NULL: data discarded */
	void *sink_arg;
	int progress;             /* a progress line about every second (env->print) */
	/* out */
	uint64_t received;        /* bytes given to the sink */
	uint64_t tsize;           /* size the server announced, or UINT64_MAX */
	uint32_t used_blksize;    /* what was agreed (512 without an OACK) */
	uint32_t used_window;     /* 1 when the server did not take windowsize */
	int oack;                 /* the server answered with an OACK */
	int fallback;             /* the server refused options (ERROR 8); asked again without */
	uint16_t err_code;        /* the server's ERROR code and text (when rc says so) */
	char err_msg[TFTP_ERRMSG_MAX];
	int server_error;         /* 1: err_code/err_msg are the server's */
	unsigned retransmits;     /* RRQ/ACK sent again on a timeout */
	unsigned dups;            /* DATA blocks we already had */
	unsigned out_of_order;    /* DATA blocks ahead of the next expected one */
	unsigned foreign;         /* datagrams from another address or port (answered ERROR 5) */
};

/**
 * Download @g->url.  @return 0 when the whole file is in (its length equal
 * to tsize when the server gave one), or: -WB_ETFTPURI, -WB_ETFTPNAME,
 * resolve/open errors, -WB_ETFTPTIMEOUT, -WB_ECANCELED, -WB_ETFTPNOTFOUND /
 * -WB_ETFTPACCESS / -WB_ETFTPSERVER (g->err_code/err_msg), -WB_ETFTPBADPKT,
 * -WB_ETFTPOACK, -WB_ETFTPOPCODE, -WB_ETFTPBLOCK, -WB_ETFTPSIZE,
 * -WB_ETFTPSEND, -WB_ENOMEM, or the sink's error.  Everything it allocated
 * is freed before it returns.
 */
int tftp_client_get(const struct tftp_env *env, struct tftp_get *g);

#endif
