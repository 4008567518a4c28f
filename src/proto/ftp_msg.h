/*
 * ftp_msg.h — FTP control-connection replies (RFC 959 §4.2), pure functions
 * over buffers: the reply parser (single and multi-line), and the texts of
 * the replies a passive download needs — 227 PASV (RFC 959 §4.1.2,
 * RFC 1123 §4.1.2.6), 229 EPSV (RFC 2428 §3) and 213 SIZE (RFC 3659 §4).
 *
 * Reply grammar (RFC 959 §4.2):
 *   single line:  "123 text" CRLF
 *   multi-line:   "123-text" CRLF  ...any lines...  "123 text" CRLF
 *                 (ends at the first line that starts with the same code
 *                 and a space)
 * A bare LF is accepted as a line end (servers do send it).
 *
 * The parser keeps only what a client uses: the code and the text of the
 * first line (cut to FTP_TEXT_MAX - 1 bytes, non-printable bytes shown as
 * '?').  A reply longer than FTP_REPLY_MAX bytes is refused, so a hostile
 * server cannot keep us reading one reply forever.
 *
 * Memory: caller-allocated struct ftp_reply_parser, no allocation, no globals.
 */
#ifndef WB_FTP_MSG_H
#define WB_FTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define FTP_TEXT_MAX 256
#define FTP_REPLY_MAX 65536

struct ftp_reply {
	int code;                  /* 100-599 */
	char text[FTP_TEXT_MAX];   /* first line after "123 " / "123-", sanitised */
	int multiline;             /* 1 when the reply had several lines */
};

struct ftp_reply_parser {
	struct ftp_reply reply;    /* valid after ftp_reply_feed() returned 1 */
	/* internal */
	int in_reply;              /* the first line was seen (multi-line continues) */
	size_t line_len;           /* bytes of the current line so far */
	int last_cr;               /* its last byte was CR */
	char head[4];              /* its first 4 bytes */
	size_t text_len;
	size_t total;              /* bytes of this reply so far */
};

/** Start (or restart) @p for the next reply. */
void ftp_reply_init(struct ftp_reply_parser *p);

/**
 * Feed @len bytes of the control connection.  *used gets how many were
 * consumed (stops right after a complete reply: the rest belongs to the
 * next one; call ftp_reply_init() and feed it again).
 * @return 1 when p->reply is complete, 0 when more bytes are needed (all
 *         consumed), -WB_EFTPREPLY on a malformed reply (a first line that
 *         is not three digits 1xx-5xx followed by ' ', '-' or the line end)
 *         or one over FTP_REPLY_MAX bytes.
 */
int ftp_reply_feed(struct ftp_reply_parser *p, const uint8_t *buf, size_t len, size_t *used);

/**
 * The address and port of a 227 reply's text: the first "h1,h2,h3,h4,p1,p2"
 * (six decimal numbers 0-255, RFC 1123 §4.1.2.6: search for it anywhere in
 * the text).  @return 0, or -WB_EFTPPASV (none found, port 0).
 */
int ftp_parse_pasv(const char *text, uint8_t ip[4], uint16_t *port);

/**
 * The port of a 229 reply's text: "(<d><d><d><port><d>)" with <d> one
 * printable delimiter (RFC 2428 §3), anywhere in the text.
 * @return 0, or -WB_EFTPPASV (none, port 0 or over 65535).
 */
int ftp_parse_epsv(const char *text, uint16_t *port);

/**
 * The size in a 213 reply's text: decimal digits, optional trailing blanks.
 * @return 0, or -WB_EFTPSIZE (not a number, overflow).
 */
int ftp_parse_size(const char *text, uint64_t *size);

#endif
