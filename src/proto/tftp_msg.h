/*
 * tftp_msg.h — TFTP packets (RFC 1350) with the option extension (RFC 2347):
 * blksize (RFC 2348), timeout and tsize (RFC 2349), windowsize (RFC 7440).
 * Pure functions over buffers: the client (tftp_client.c) moves them.
 *
 *   RRQ   | 01 | filename 0 | "octet" 0 | opt 0 value 0 ... |
 *   DATA  | 03 | block (16 bits) | 0..blksize bytes |
 *   ACK   | 04 | block |
 *   ERROR | 05 | code | message 0 |
 *   OACK  | 06 | opt 0 value 0 ... |
 */
#ifndef WB_TFTP_MSG_H
#define WB_TFTP_MSG_H

#include <stddef.h>
#include <stdint.h>

enum tftp_opcode {
	TFTP_RRQ = 1,
	TFTP_WRQ = 2,
	TFTP_DATA = 3,
	TFTP_ACK = 4,
	TFTP_ERROR = 5,
	TFTP_OACK = 6,
};

/* RFC 1350 §5 error codes (8: RFC 2347 option negotiation) */
enum tftp_errcode {
	TFTP_ERR_UNDEF = 0,
	TFTP_ERR_NOTFOUND = 1,
	TFTP_ERR_ACCESS = 2,
	TFTP_ERR_DISKFULL = 3,
	TFTP_ERR_ILLEGAL = 4,
	TFTP_ERR_TID = 5,
	TFTP_ERR_EXISTS = 6,
	TFTP_ERR_NOUSER = 7,
	TFTP_ERR_OPTION = 8,
};

#define TFTP_PORT 69
#define TFTP_BLKSIZE_DEFAULT 512
#define TFTP_BLKSIZE_MIN 8        /* RFC 2348: 8..65464 */
#define TFTP_BLKSIZE_MAX 65464
#define TFTP_WINDOW_MAX 65535     /* RFC 7440: 1..65535 */
#define TFTP_FILENAME_MAX 255
#define TFTP_ERRMSG_MAX 128       /* longer server messages are cut */

/* Options asked for (RRQ) or acknowledged (OACK); a 0 flag bit = absent. */
#define TFTP_OPT_BLKSIZE 1u
#define TFTP_OPT_TSIZE 2u
#define TFTP_OPT_TIMEOUT 4u
#define TFTP_OPT_WINDOW 8u

struct tftp_opts {
	unsigned present;      /* TFTP_OPT_* */
	uint32_t blksize;      /* 8..65464 */
	uint64_t tsize;        /* RRQ: sent as 0 (ask); OACK: the file size */
	uint32_t timeout;      /* seconds, 1..255 */
	uint32_t windowsize;   /* 1..65535 */
};

struct tftp_pkt {
	enum tftp_opcode op;
	uint16_t block;            /* DATA, ACK */
	const uint8_t *data;       /* DATA: points into the parsed buffer */
	size_t data_len;
	uint16_t err_code;         /* ERROR */
	char err_msg[TFTP_ERRMSG_MAX];   /* ERROR: printable ASCII only (others → '?') */
	struct tftp_opts opts;     /* OACK */
	unsigned unknown_opts;     /* OACK: options we do not know (ignored by the parser) */
};

/**
 * Build a read request for @file (mode octet) with the options in @o (NULL:
 * none) into @buf.  @return the length, -WB_ETFTPNAME (empty, too long or
 * with a NUL/control byte), -WB_EINVAL (an option value out of range) or
 * -WB_ETOOBIG (@cap too small).
 */
int tftp_build_rrq(uint8_t *buf, size_t cap, const char *file, const struct tftp_opts *o);
/** ACK of @block into @buf (4 bytes).  @return 4 or -WB_ETOOBIG. */
int tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block);
/** ERROR @code with @msg (cut to fit).  @return the length or -WB_ETOOBIG. */
int tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg);

/**
 * Parse one datagram as a client sees it: DATA, ACK, ERROR or OACK (RRQ and
 * WRQ are reported with op set and nothing else).  An OACK's known options
 * must have values in their RFC ranges; an option named twice is refused.
 * @return 0 and *out, or -WB_ETFTPBADPKT (short, unknown opcode, missing
 * terminator, bad option value).
 */
int tftp_parse(const uint8_t *buf, size_t len, struct tftp_pkt *out);

#endif
