/*
 * http.h — sans-I/O HTTP/1.1 (RFC 9110 semantics, RFC 9112 message syntax):
 * a request builder and a response parser.  No sockets, no clock: the
 * caller moves bytes (proto/http_client.c does, over struct stream).
 *
 * Response parser use:
 *
 *     struct http_parser *p = plat_malloc(sizeof(*p));   (about 9 KiB)
 *     http_parser_init(p, is_head, on_body, arg);
 *     for each chunk received:
 *         rc = http_parser_feed(p, buf, n, &used);
 *         rc == HTTP_HEADERS: status and headers are in p (look at them,
 *                             then feed buf + used … again)
 *         rc == HTTP_DONE:    the message is complete; bytes after @used
 *                             belong to no response (the connection
 *                             cannot be reused)
 *         rc < 0:             a specific -WB_EHTTP* error
 *     at end of stream: http_parser_eof(p) → HTTP_DONE (read-until-close
 *     body) or -WB_EHTTPTRUNC / -WB_EHTTPHDRTRUNC.
 *
 * Body bytes are handed to on_body(arg, data, len) as they are decoded
 * (chunk framing removed); a negative return from it stops the parser and
 * is returned by http_parser_feed().  Interim 1xx responses are skipped.
 */
#ifndef WB_HTTP_H
#define WB_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct uri;

/** Longest response line (status, header field, chunk size line), bytes. */
#define HTTP_LINE_MAX 8192
/** Most header fields in one response (trailers counted too). */
#define HTTP_HEADERS_MAX 100
#define HTTP_LOCATION_MAX 4096
#define HTTP_CTYPE_MAX 128
#define HTTP_REASON_MAX 64
/** Longest ETag / Last-Modified value kept (longer: kept cut, has_* still 1). */
#define HTTP_VALIDATOR_MAX 128

/* http_parser_feed() / http_parser_eof() results besides errors */
#define HTTP_MORE    0
#define HTTP_HEADERS 1
#define HTTP_DONE    2

/** How the body is delimited (RFC 9112 §6.3). */
enum http_framing {
	HTTP_BODY_NONE,      /* HEAD, 1xx, 204, 304 */
	HTTP_BODY_LENGTH,    /* Content-Length */
	HTTP_BODY_CHUNKED,   /* Transfer-Encoding: chunked */
	HTTP_BODY_CLOSE,     /* read until the server closes */
};

typedef int (*http_body_fn)(void *arg, const uint8_t *data, size_t len);

struct http_parser {
	/* results, valid once HTTP_HEADERS was returned */
	int status;                          /* 100-999 */
	int version_minor;                   /* HTTP/1.x */
	char reason[HTTP_REASON_MAX];        /* reason phrase (cut) */
	enum http_framing framing;
	uint64_t content_length;             /* when has_length */
	int has_length;
	int keep_alive;                      /* 0 when the server will close (or must) */
	char location[HTTP_LOCATION_MAX];    /* Location, "" when absent */
	char content_type[HTTP_CTYPE_MAX];   /* Content-Type, "" when absent (cut) */
	int has_range;                       /* Content-Range seen: */
	uint64_t range_first, range_last;    /*   bytes first-last/total */
	uint64_t range_total;                /*   UINT64_MAX for "*" */
	uint64_t body_bytes;                 /* body bytes delivered so far */
	char etag[HTTP_VALIDATOR_MAX];       /* ETag as sent (cut), "" when absent */
	char last_modified[HTTP_VALIDATOR_MAX];  /* Last-Modified as sent (cut), "" when absent */

	/* internal */
	int state_;
	int is_head_;
	int headers_done_;
	unsigned nheaders_;
	unsigned flags_;                     /* header facts (close, chunked …) */
	uint64_t left_;                      /* bytes left in this chunk / body */
	size_t line_len_;
	http_body_fn on_body_;
	void *arg_;
	char line_[HTTP_LINE_MAX];
};

/**
 * Prepare @p for one response.  @is_head: the request was HEAD (no body
 * whatever the headers say).  @on_body may be NULL (body discarded).
 */
void http_parser_init(struct http_parser *p, int is_head, http_body_fn on_body, void *arg);

/**
 * Feed @len received bytes.  *@used gets the bytes consumed (all of them
 * unless HTTP_HEADERS or HTTP_DONE was returned).
 * @return HTTP_MORE, HTTP_HEADERS (once per response), HTTP_DONE, or an
 *   error: -WB_EHTTPSTATUS, -WB_EHTTPVERSION, -WB_EHTTPHEADER,
 *   -WB_EHTTPLINELONG, -WB_EHTTPHDRMANY, -WB_EHTTPLENGTH, -WB_EHTTPCODING,
 *   -WB_EHTTPCHUNK, -WB_EHTTPCHUNKEND, -WB_EHTTPRANGE, or on_body's error.
 *   After an error or HTTP_DONE the parser must be re-initialised.
 */
int http_parser_feed(struct http_parser *p, const uint8_t *data, size_t len, size_t *used);

/**
 * The peer closed the connection.  @return HTTP_DONE when that ends the
 * message (read-until-close body, or already done), -WB_EHTTPHDRTRUNC
 * during the header, -WB_EHTTPTRUNC during a body.
 */
int http_parser_eof(struct http_parser *p);

/** What to ask for. */
/** An extra request header (e.g. from `param --header`). */
struct http_header {
	const char *name;          /* a token (RFC 9110 §5.1) */
	const char *value;         /* no CR or LF */
};

struct http_request {
	const char *method;        /* "GET", "HEAD" or "POST" */
	const struct uri *uri;     /* absolute http/https URI with a host */
	int has_range;             /* Range: bytes=range_first-range_last */
	uint64_t range_first;
	uint64_t range_last;       /* UINT64_MAX: open-ended ("bytes=N-") */
	const char *user_agent;    /* NULL: "wireboot" */
	const struct http_header *headers;  /* extra headers, may be NULL */
	size_t nheaders;
	const char *content_type;  /* with has_body: Content-Type (NULL: none) */
	int has_body;              /* send Content-Length: content_length */
	uint64_t content_length;
};

/**
 * Write the request head (request line, Host, User-Agent, Range,
 * Authorization: Basic from the URI's user info, the extra headers,
 * Content-Type/Content-Length for a body, Connection: keep-alive, blank
 * line) into @buf.  The body itself is the caller's to send.
 * @return its length, -WB_EHTTPREQLONG when @cap is too small,
 *         -WB_EURINOHOST, -WB_EINVAL (no method), -WB_EHTTPREQHDR (an extra
 *         header's name is not a token or its value holds CR/LF).
 */
int http_build_request(const struct http_request *req, char *buf, size_t cap);

#endif
