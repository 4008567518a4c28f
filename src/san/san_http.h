/*
 * san_http.h — a read-only block device over HTTP(S) range requests
 * (`sanhook`/`sanboot http://…` or `https://…`), behind the san.h calls.
 *
 * Open: one `Range: bytes=0-0` GET gives the size (Content-Range total)
 * and proves the server serves ranges; its ETag and Last-Modified are kept
 * as the image's identity.  Reads: `Range: bytes=a-b` GETs over keep-alive
 * connections (cfg.connections of them, each with HTTP/1.1 requests
 * pipelined up to cfg.depth in flight in all), sequential reads served from
 * a read-ahead window sized for GRUB's pattern.
 *
 * Exactness: every answer must be 206 with exactly the Content-Range asked
 * for, a body of exactly that length, and the validators of the first
 * answer; a 200 (the whole file), another range, a short body or a changed
 * ETag/Last-Modified/size fails the read with its own -WB_ESANHTTP* code
 * and a message naming the byte range — never data.  With cfg.map every
 * chunk is checked against its SHA-256 before any byte of it reaches the
 * caller (-WB_EWBMAPMISMATCH naming the chunk); requests are then aligned
 * to chunks.
 *
 * Recovery as san_iscsi: a dropped connection or a stalled request
 * (io_timeout_ms) → reconnect with back-off (retry_ms in all) and reissue
 * what was outstanding, bounded by max_reissues and cmd_timeout_ms.  Writes
 * fail with -WB_EROFS.  Portable: no EFI or Linux headers.
 */
#ifndef WB_SAN_HTTP_H
#define WB_SAN_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "san/san.h"

struct wbmap;

#define SAN_HTTP_CONN_MAX 4
/*
 * Below this TCP window (bytes) a link takes only one connection's burst
 * between two polls: callers ask for connections = 1 (cmds_san.c).
 */
#define SAN_HTTP_MULTICONN_WINDOW 65536u

struct san_http_cfg {
	const char *url;                /* http://… or https://… (user info → Basic auth) */
	uint32_t connections;           /* connections at once; 0 = 2, at most SAN_HTTP_CONN_MAX */
	uint32_t depth;                 /* range requests in flight in all; 0 = 4 */
	uint32_t request_size;          /* bytes per range request; 0 = 256 KiB */
	uint32_t readahead;             /* read-ahead window in bytes; 0 = default, 1 = off */
	uint32_t io_timeout_ms;         /* a request with no bytes this long → reconnect; 0 = 15000 */
	uint32_t retry_ms;              /* give up reconnecting after this long; 0 = 120000 */
	uint32_t connect_timeout_ms;    /* connect (+ TLS handshake); 0 = 15000 */
	uint32_t max_reissues;          /* as san_iscsi_cfg (setting san-retries) */
	uint32_t cmd_timeout_ms;        /* as san_iscsi_cfg (setting san-command-timeout) */
	const struct wbmap *map;        /* NULL: no manifest; else borrowed, outlives the device */
	const char *user_agent;         /* NULL: "wireboot" */
};

/**
 * Probe @cfg->url and return the device (info: kind SAN_KIND_HTTP, blocks
 * of 512 bytes, read_only 1, host/port/ip of the server).  With a map, its
 * image size must equal the server's (-WB_EWBMAPIMAGE).  @return 0 and
 * *@out, or a negative WB_E* with one line in @msg (what failed, what to
 * check; never user info or a query string).
 */
int san_http_open(const struct san_env *env, const struct san_http_cfg *cfg,
		  struct san_dev **out, char *msg, size_t msgcap);

#endif
