/*
 * http.c — HTTP/1.1 request builder and response parser (see http.h).
 *
 * How this works: the parser is a byte-driven state machine; lines (status,
 * header fields, chunk sizes, trailers) collect in p->line_ up to
 * HTTP_LINE_MAX, body bytes go straight from the caller's buffer to the
 * body callback (no copy).
 *
 *   STATUS ──▶ HEADER ──(blank line)──▶ [1xx: back to STATUS]
 *                 │
 *                 ├─▶ BODY_LENGTH ──(left = 0)────────────────────▶ DONE
 *                 ├─▶ CHUNK_SIZE ─▶ CHUNK_DATA ─▶ CHUNK_CRLF ─┐
 *                 │       ▲  (size 0) ─▶ TRAILER ─(blank)─────┼──▶ DONE
 *                 │       └────────────────────────────────────┘
 *                 ├─▶ BODY_CLOSE ──(http_parser_eof)──────────────▶ DONE
 *                 └─▶ (HEAD, 204, 304: no body) ──────────────────▶ DONE
 *
 * Framing follows RFC 9112 §6.3: no body for HEAD/1xx/204/304; else
 * Transfer-Encoding (only "chunked", which must then be the one coding)
 * overrides Content-Length and forces the connection closed afterwards;
 * else Content-Length (a list of equal values is accepted, §8.6 of RFC
 * 9110); else the body runs until the server closes.  Lines end at LF with
 * an optional CR before it (RFC 9112 §2.2); obsolete line folding is
 * refused (§5.2), as is whitespace between a field name and its colon
 * (§5.1).
 */
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settype.h"
#include "core/util.h"
#include "proto/http.h"
#include "proto/uri.h"

enum {
	HTTP_S_STATUS,
	HTTP_S_HEADER,
	HTTP_S_BODY_LENGTH,
	HTTP_S_CHUNK_SIZE,
	HTTP_S_CHUNK_DATA,
	HTTP_S_CHUNK_CRLF,
	HTTP_S_TRAILER,
	HTTP_S_BODY_CLOSE,
	HTTP_S_DONE,
};

/* header facts gathered before framing is decided */
#define HTTP_F_CLOSE      0x01
#define HTTP_F_KEEPALIVE  0x02
#define HTTP_F_CHUNKED    0x04

static void http_reset_headers(struct http_parser *p)
{
	p->status = 0;
	p->version_minor = 0;
	p->reason[0] = '\0';
	p->framing = HTTP_BODY_NONE;
	p->content_length = 0;
	p->has_length = 0;
	p->keep_alive = 0;
	p->location[0] = '\0';
	p->content_type[0] = '\0';
	p->etag[0] = '\0';
	p->last_modified[0] = '\0';
	p->has_range = 0;
	p->range_first = p->range_last = p->range_total = 0;
	p->nheaders_ = 0;
	p->headers_done_ = 0;
}

void http_parser_init(struct http_parser *p, int is_head, http_body_fn on_body, void *arg)
{
	http_reset_headers(p);
	p->body_bytes = 0;
	p->state_ = HTTP_S_STATUS;
	p->is_head_ = is_head;
	p->left_ = 0;
	p->flags_ = 0;
	p->line_len_ = 0;
	p->on_body_ = on_body;
	p->arg_ = arg;
}

static int http_is_tchar(char c)
{
	/* RFC 9110 §5.6.2 token characters */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int http_is_ows(char c) { return c == ' ' || c == '\t'; }

/* copy at most cap-1 bytes of @s (@len) and NUL-terminate */
static void http_copy(char *dst, size_t cap, const char *s, size_t len)
{
	if (len > cap - 1)
		len = cap - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* decimal digits only, no overflow past 2^62; 0 or -1 */
static int http_parse_dec(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (UINT64_C(1) << 62) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* next comma-separated list element of [*s, end) with OWS trimmed (RFC 9110 §5.6.1) */
static int http_list_next(const char **s, const char *end, const char **el, size_t *len)
{
	const char *p = *s, *e;

	while (p < end && (http_is_ows(*p) || *p == ','))
		p++;
	if (p >= end)
		return 0;
	e = p;
	while (e < end && *e != ',')
		e++;
	*s = e;
	while (e > p && http_is_ows(e[-1]))
		e--;
	*el = p;
	*len = (size_t)(e - p);
	return 1;
}

static int http_token_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncasecmp(s, word, len);
}

/* "HTTP/1.x SSS reason" (RFC 9112 §4) */
static int http_parse_status(struct http_parser *p, const char *l, size_t len)
{
	int code;

	if (len < 8 || memcmp(l, "HTTP/", 5) || l[6] != '.' || l[5] < '0' || l[5] > '9' ||
	    l[7] < '0' || l[7] > '9')
		return -WB_EHTTPSTATUS;
	if (l[5] != '1')
		return -WB_EHTTPVERSION;
	if (len < 12 || l[8] != ' ')
		return -WB_EHTTPSTATUS;
	for (int i = 9; i < 12; i++)
		if (l[i] < '0' || l[i] > '9')
			return -WB_EHTTPSTATUS;
	code = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (code < 100 || code > 599)
		return -WB_EHTTPSTATUS;
	if (len > 12 && l[12] != ' ')
		return -WB_EHTTPSTATUS;
	p->status = code;
	p->version_minor = l[7] - '0';
	if (len > 13)
		http_copy(p->reason, sizeof(p->reason), l + 13, len - 13);
	/* the reason phrase is printed: no terminal escapes from a server */
	for (char *c = p->reason; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	return 0;
}

/* "bytes first-last/total", "bytes first-last/(star)", "bytes (star)/total" (RFC 9110 §14.4) */
static int http_parse_range(struct http_parser *p, const char *v, size_t len)
{
	const char *e = v + len, *dash, *slash;

	if (len < 6 || strncasecmp(v, "bytes ", 6))
		return -WB_EHTTPRANGE;
	v += 6;
	slash = memchr(v, '/', (size_t)(e - v));
	if (!slash)
		return -WB_EHTTPRANGE;
	if (slash - v == 1 && *v == '*') {
		p->has_range = 0;   /* unsatisfied-range (416): nothing delivered */
	} else {
		dash = memchr(v, '-', (size_t)(slash - v));
		if (!dash || http_parse_dec(v, (size_t)(dash - v), &p->range_first) ||
		    http_parse_dec(dash + 1, (size_t)(slash - dash - 1), &p->range_last) ||
		    p->range_first > p->range_last)
			return -WB_EHTTPRANGE;
		p->has_range = 1;
	}
	if (e - slash == 2 && slash[1] == '*') {
		p->range_total = UINT64_MAX;
	} else {
		if (http_parse_dec(slash + 1, (size_t)(e - slash - 1), &p->range_total))
			return -WB_EHTTPRANGE;
		if (p->has_range && p->range_last >= p->range_total)
			return -WB_EHTTPRANGE;
	}
	return 0;
}

/* one field line "name: value" (RFC 9112 §5); trailers are checked, not used */
static int http_parse_field(struct http_parser *p, const char *l, size_t len, int trailer,
			    unsigned *flags)
{
	const char *colon, *v, *e = l + len;
	size_t nlen, vlen;

	if (++p->nheaders_ > HTTP_HEADERS_MAX)
		return -WB_EHTTPHDRMANY;
	if (http_is_ows(l[0]))
		return -WB_EHTTPHEADER;   /* obs-fold */
	colon = memchr(l, ':', len);
	if (!colon || colon == l)
		return -WB_EHTTPHEADER;
	for (const char *c = l; c < colon; c++)
		if (!http_is_tchar(*c))
			return -WB_EHTTPHEADER;
	nlen = (size_t)(colon - l);
	v = colon + 1;
	while (v < e && http_is_ows(*v))
		v++;
	while (e > v && http_is_ows(e[-1]))
		e--;
	vlen = (size_t)(e - v);
	for (const char *c = v; c < e; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			return -WB_EHTTPHEADER;
	if (trailer)
		return 0;
	if (http_token_is(l, nlen, "content-length")) {
		const char *s = v, *el;
		size_t ellen;
		uint64_t n;
		int any = 0;

		while (http_list_next(&s, e, &el, &ellen)) {
			if (http_parse_dec(el, ellen, &n))
				return -WB_EHTTPLENGTH;
			if ((p->has_length || any) && n != p->content_length)
				return -WB_EHTTPLENGTH;
			p->content_length = n;
			any = 1;
		}
		if (!any)
			return -WB_EHTTPLENGTH;
		p->has_length = 1;
	} else if (http_token_is(l, nlen, "transfer-encoding")) {
		const char *s = v, *el;
		size_t ellen;

		while (http_list_next(&s, e, &el, &ellen)) {
			/* chunked must be the one and only coding we accept */
			if (!http_token_is(el, ellen, "chunked") || (*flags & HTTP_F_CHUNKED))
				return -WB_EHTTPCODING;
			*flags |= HTTP_F_CHUNKED;
		}
	} else if (http_token_is(l, nlen, "connection")) {
		const char *s = v, *el;
		size_t ellen;

		while (http_list_next(&s, e, &el, &ellen)) {
			if (http_token_is(el, ellen, "close"))
				*flags |= HTTP_F_CLOSE;
			else if (http_token_is(el, ellen, "keep-alive"))
				*flags |= HTTP_F_KEEPALIVE;
		}
	} else if (http_token_is(l, nlen, "location")) {
		if (vlen < sizeof(p->location))
			http_copy(p->location, sizeof(p->location), v, vlen);
		else
			p->location[0] = '\0';   /* too long: treated as absent */
	} else if (http_token_is(l, nlen, "content-type")) {
		http_copy(p->content_type, sizeof(p->content_type), v, vlen);
	} else if (http_token_is(l, nlen, "content-range")) {
		return http_parse_range(p, v, vlen);
	} else if (http_token_is(l, nlen, "etag")) {
		http_copy(p->etag, sizeof(p->etag), v, vlen);
	} else if (http_token_is(l, nlen, "last-modified")) {
		http_copy(p->last_modified, sizeof(p->last_modified), v, vlen);
	}
	return 0;
}

/* the blank line after the header: decide framing (RFC 9112 §6.3) */
static int http_end_headers(struct http_parser *p, unsigned flags)
{
	if (p->status < 200) {
		/* interim response (100 Continue, 103 Early Hints): skip it */
		http_reset_headers(p);
		p->state_ = HTTP_S_STATUS;
		return HTTP_MORE;
	}
	p->keep_alive = !(flags & HTTP_F_CLOSE) &&
			(p->version_minor >= 1 || (flags & HTTP_F_KEEPALIVE));
	p->headers_done_ = 1;
	if (p->is_head_ || p->status == 204 || p->status == 304) {
		p->framing = HTTP_BODY_NONE;
		p->state_ = HTTP_S_DONE;
	} else if (flags & HTTP_F_CHUNKED) {
		p->framing = HTTP_BODY_CHUNKED;
		p->state_ = HTTP_S_CHUNK_SIZE;
		if (p->has_length) {
			/* both: Transfer-Encoding wins, and the connection must not be reused */
			p->has_length = 0;
			p->keep_alive = 0;
		}
	} else if (p->has_length) {
		p->framing = HTTP_BODY_LENGTH;
		p->left_ = p->content_length;
		p->state_ = p->left_ ? HTTP_S_BODY_LENGTH : HTTP_S_DONE;
	} else {
		p->framing = HTTP_BODY_CLOSE;
		p->keep_alive = 0;
		p->state_ = HTTP_S_BODY_CLOSE;
	}
	return HTTP_HEADERS;
}

/* chunk-size [ chunk-ext ] (RFC 9112 §7.1, §7.1.1) */
static int http_parse_chunk_size(struct http_parser *p, const char *l, size_t len)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < len && wb_hexval(l[i]) >= 0) {
		if (i >= 15)
			return -WB_EHTTPCHUNK;   /* 60 bits is plenty; refuse overflow */
		v = v << 4 | (uint64_t)wb_hexval(l[i]);
		i++;
	}
	if (!i)
		return -WB_EHTTPCHUNK;
	while (i < len && http_is_ows(l[i]))
		i++;
	if (i < len && l[i] != ';')
		return -WB_EHTTPCHUNK;
	for (; i < len; i++)   /* extensions are ignored, but must be text */
		if (((unsigned char)l[i] < 0x20 && l[i] != '\t') || l[i] == 0x7f)
			return -WB_EHTTPCHUNK;
	p->left_ = v;
	p->state_ = v ? HTTP_S_CHUNK_DATA : HTTP_S_TRAILER;
	return HTTP_MORE;
}

/* a complete line (CR LF removed) in the current state */
static int http_line(struct http_parser *p, const char *l, size_t len, unsigned *flags)
{
	int rc;

	switch (p->state_) {
	case HTTP_S_STATUS:
		if (!len)
			return HTTP_MORE;   /* stray CRLF before the status line */
		rc = http_parse_status(p, l, len);
		if (rc)
			return rc;
		*flags = 0;
		p->state_ = HTTP_S_HEADER;
		return HTTP_MORE;
	case HTTP_S_HEADER:
		if (!len)
			return http_end_headers(p, *flags);
		rc = http_parse_field(p, l, len, 0, flags);
		return rc ? rc : HTTP_MORE;
	case HTTP_S_CHUNK_SIZE:
		return http_parse_chunk_size(p, l, len);
	case HTTP_S_CHUNK_CRLF:
		if (len)
			return -WB_EHTTPCHUNKEND;
		p->state_ = HTTP_S_CHUNK_SIZE;
		return HTTP_MORE;
	case HTTP_S_TRAILER:
		if (!len) {
			p->state_ = HTTP_S_DONE;
			return HTTP_DONE;
		}
		rc = http_parse_field(p, l, len, 1, flags);
		return rc ? rc : HTTP_MORE;
	default:
		return -WB_EINVAL;
	}
}

static int http_line_error(const struct http_parser *p)
{
	switch (p->state_) {
	case HTTP_S_STATUS:
		return -WB_EHTTPSTATUS;
	case HTTP_S_CHUNK_SIZE:
		return -WB_EHTTPCHUNK;
	case HTTP_S_CHUNK_CRLF:
		return -WB_EHTTPCHUNKEND;
	default:
		return -WB_EHTTPHEADER;
	}
}

static int http_deliver(struct http_parser *p, const uint8_t *d, size_t n)
{
	p->body_bytes += n;
	return p->on_body_ ? p->on_body_(p->arg_, d, n) : 0;
}

int http_parser_feed(struct http_parser *p, const uint8_t *data, size_t len, size_t *used)
{
	size_t i = 0;
	int rc = HTTP_MORE;

	while (i < len || p->state_ == HTTP_S_DONE) {
		switch (p->state_) {
		case HTTP_S_DONE:
			rc = HTTP_DONE;
			goto out;
		case HTTP_S_BODY_LENGTH:
		case HTTP_S_CHUNK_DATA: {
			size_t n = len - i;

			if (n > p->left_)
				n = (size_t)p->left_;
			rc = http_deliver(p, data + i, n);
			if (rc < 0)
				goto out;
			i += n;
			p->left_ -= n;
			if (!p->left_) {
				if (p->state_ == HTTP_S_CHUNK_DATA) {
					p->state_ = HTTP_S_CHUNK_CRLF;
				} else {
					p->state_ = HTTP_S_DONE;
					rc = HTTP_DONE;
					goto out;
				}
			}
			rc = HTTP_MORE;
			break;
		}
		case HTTP_S_BODY_CLOSE:
			rc = http_deliver(p, data + i, len - i);
			if (rc < 0)
				goto out;
			i = len;
			rc = HTTP_MORE;
			break;
		default: {
			/* line states */
			uint8_t c = data[i++];

			if (c == '\n') {
				size_t l = p->line_len_;

				if (l && p->line_[l - 1] == '\r')
					l--;
				if (memchr(p->line_, '\r', l) || memchr(p->line_, '\0', l)) {
					rc = http_line_error(p);
					goto out;
				}
				p->line_len_ = 0;
				rc = http_line(p, p->line_, l, &p->flags_);
				if (rc != HTTP_MORE)
					goto out;
			} else {
				if (p->line_len_ >= sizeof(p->line_) - 1) {
					rc = p->state_ == HTTP_S_CHUNK_SIZE ? -WB_EHTTPCHUNK
									     : -WB_EHTTPLINELONG;
					goto out;
				}
				p->line_[p->line_len_++] = (char)c;
			}
			break;
		}
		}
	}
out:
	*used = i;
	return rc;
}

int http_parser_eof(struct http_parser *p)
{
	switch (p->state_) {
	case HTTP_S_DONE:
	case HTTP_S_BODY_CLOSE:
		p->state_ = HTTP_S_DONE;
		return HTTP_DONE;
	case HTTP_S_STATUS:
	case HTTP_S_HEADER:
		return -WB_EHTTPHDRTRUNC;
	default:
		return -WB_EHTTPTRUNC;
	}
}

/* ---- request ----------------------------------------------------------- */

struct http_out {
	char *buf;
	size_t cap, n;
};

static void http_put(struct http_out *o, const char *s)
{
	size_t l = strlen(s);

	if (o->n + l < o->cap)
		memcpy(o->buf + o->n, s, l);
	o->n += l;
}

int http_build_request(const struct http_request *req, char *buf, size_t cap)
{
	const struct uri *u = req->uri;
	struct http_out o = { buf, cap, 0 };
	char num[48];

	if (!req->method || !*req->method)
		return -WB_EINVAL;
	if (!u->host || !u->host[0])
		return -WB_EURINOHOST;
	/* request line: origin-form, the fragment never goes out (RFC 9112 §3.2.1) */
	http_put(&o, req->method);
	http_put(&o, " ");
	http_put(&o, u->path && u->path[0] ? u->path : "/");
	if (u->query) {
		http_put(&o, "?");
		http_put(&o, u->query);
	}
	http_put(&o, " HTTP/1.1\r\nHost: ");
	http_put(&o, u->host);
	if (u->has_port && u->port != uri_default_port(u->scheme)) {
		wb_snprintf(num, sizeof(num), ":%u", (unsigned)u->port);
		http_put(&o, num);
	}
	http_put(&o, "\r\nUser-Agent: ");
	http_put(&o, req->user_agent ? req->user_agent : "wireboot");
	http_put(&o, "\r\n");
	if (req->has_range) {
		if (req->range_last == UINT64_MAX)
			wb_snprintf(num, sizeof(num), "Range: bytes=%llu-\r\n",
				    (unsigned long long)req->range_first);
		else
			wb_snprintf(num, sizeof(num), "Range: bytes=%llu-%llu\r\n",
				    (unsigned long long)req->range_first,
				    (unsigned long long)req->range_last);
		http_put(&o, num);
	}
	if (u->user) {
		/* RFC 7617: base64(user ":" password) */
		uint8_t raw[384];
		char b64[520];
		size_t ul = strlen(u->user), pl = u->password ? strlen(u->password) : 0;
		int rc;

		if (ul + 1 + pl > sizeof(raw))
			return -WB_EHTTPREQLONG;
		memcpy(raw, u->user, ul);
		raw[ul] = ':';
		memcpy(raw + ul + 1, u->password ? u->password : "", pl);
		rc = settype_format("base64", raw, ul + 1 + pl, b64, sizeof(b64));
		wb_wipe(raw, sizeof(raw));   /* volatile stores: not dropped as dead */
		if (rc) {
			wb_wipe(b64, sizeof(b64));
			return -WB_EHTTPREQLONG;
		}
		http_put(&o, "Authorization: Basic ");
		http_put(&o, b64);
		wb_wipe(b64, sizeof(b64));
		http_put(&o, "\r\n");
	}
	for (size_t i = 0; i < req->nheaders; i++) {
		const char *k = req->headers[i].name, *v = req->headers[i].value;

		if (!*k || (strchr(v, '\r') || strchr(v, '\n')))
			return -WB_EHTTPREQHDR;
		for (; *k; k++)
			if ((unsigned char)*k <= ' ' || (unsigned char)*k >= 0x7f ||
			    strchr("\"(),/:;<=>?@[\\]{}", *k))
				return -WB_EHTTPREQHDR;
		http_put(&o, req->headers[i].name);
		http_put(&o, ": ");
		http_put(&o, v);
		http_put(&o, "\r\n");
	}
	if (req->has_body) {
		if (req->content_type) {
			http_put(&o, "Content-Type: ");
			http_put(&o, req->content_type);
			http_put(&o, "\r\n");
		}
		wb_snprintf(num, sizeof(num), "Content-Length: %llu\r\n",
			    (unsigned long long)req->content_length);
		http_put(&o, num);
	}
	http_put(&o, "Connection: keep-alive\r\n\r\n");
	if (o.n >= cap) {
		if (cap)
			buf[0] = '\0';
		return -WB_EHTTPREQLONG;
	}
	buf[o.n] = '\0';
	return (int)o.n;
}
