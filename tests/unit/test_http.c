/*
 * test_http.c — proto/http.c: response parser on hand-made responses, each
 * fed whole, byte by byte and in 7-byte pieces (framing, chunked with
 * extensions and trailers, interim 1xx, HEAD/204/304, keep-alive rules,
 * header values, Content-Range) and each specific error; the request
 * builder (Host with port, Range, Basic auth with RFC 7617's example).
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "platform/platform.h"
#include "proto/http.h"
#include "proto/uri.h"

#define UNIT_NAME "http"
#include "unit.h"

struct body {
	char buf[256];
	size_t n;
	int fail_at;   /* nonzero: return -WB_EHTTPSINK once n would exceed it */
};

static int on_body(void *arg, const uint8_t *d, size_t len)
{
	struct body *b = arg;

	if (b->fail_at && b->n + len > (size_t)b->fail_at)
		return -WB_EHTTPSINK;
	if (b->n + len < sizeof(b->buf)) {
		memcpy(b->buf + b->n, d, len);
		b->n += len;
		b->buf[b->n] = '\0';
	}
	return 0;
}

/*
 * Feed @text in pieces of @step bytes (0 = whole); at the end, if not done,
 * signal EOF when @eof.  @return HTTP_DONE, HTTP_MORE (needs more) or an error.
 */
static int run(struct http_parser *p, const char *text, size_t step, int is_head, int eof,
	       struct body *b)
{
	size_t len = strlen(text), off = 0;
	int rc = HTTP_MORE;

	memset(b->buf, 0, sizeof(b->buf));
	b->n = 0;
	http_parser_init(p, is_head, on_body, b);
	while (off < len || rc == HTTP_HEADERS) {
		size_t n = step ? (len - off < step ? len - off : step) : len - off, used = 0;

		rc = http_parser_feed(p, (const uint8_t *)text + off, n, &used);
		off += used;
		if (rc < 0 || rc == HTTP_DONE)
			return rc;
	}
	if (eof)
		return http_parser_eof(p);
	return rc;
}

static const size_t steps[] = { 0, 1, 7 };

struct ok_case {
	const char *name, *text;
	int is_head, eof;
	int status, keep_alive;
	enum http_framing framing;
	const char *body;
};

static const struct ok_case oks[] = {
	{ "Content-Length body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
	  0, 0, 200, 1, HTTP_BODY_LENGTH, "hello" },
	{ "chunked with extensions and trailers",
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "5;name=val;x=\"q\"\r\nhello\r\n6 ; e\r\n world\r\nA\r\n0123456789\r\n0;last\r\nX-Sum: 1\r\nX-B: 2\r\n\r\n",
	  0, 0, 200, 1, HTTP_BODY_CHUNKED, "hello world0123456789" },
	{ "chunked, bare LF line ends", "HTTP/1.1 200 OK\nTransfer-Encoding: Chunked\n\n3\nabc\n0\n\n",
	  0, 0, 200, 1, HTTP_BODY_CHUNKED, "abc" },
	{ "read until close (HTTP/1.0)", "HTTP/1.0 200 OK\r\n\r\nall of it", 0, 1, 200, 0, HTTP_BODY_CLOSE, "all of it" },
	{ "HEAD: no body whatever Content-Length says", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
	  1, 0, 200, 1, HTTP_BODY_NONE, "" },
	{ "204 has no body", "HTTP/1.1 204 No Content\r\n\r\n", 0, 0, 204, 1, HTTP_BODY_NONE, "" },
	{ "304 has no body", "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", 0, 0, 304, 1, HTTP_BODY_NONE, "" },
	{ "100 Continue skipped", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
	  0, 0, 200, 1, HTTP_BODY_LENGTH, "ok" },
	{ "Connection: close", "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 3\r\n\r\nnop",
	  0, 0, 404, 0, HTTP_BODY_LENGTH, "nop" },
	{ "HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
	  0, 0, 200, 1, HTTP_BODY_LENGTH, "" },
	{ "Content-Length list of equal values", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab",
	  0, 0, 200, 1, HTTP_BODY_LENGTH, "ab" },
	{ "chunked overrides Content-Length, then close",
	  "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
	  0, 0, 200, 0, HTTP_BODY_CHUNKED, "x" },
	{ "empty reason phrase", "HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nz", 0, 0, 200, 1, HTTP_BODY_LENGTH, "z" },
	{ "no reason phrase at all", "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nz", 0, 0, 200, 1, HTTP_BODY_LENGTH, "z" },
};

struct bad_case {
	const char *name, *text;
	int eof, rc;
};

static const struct bad_case bads[] = {
	{ "not HTTP", "SSH-2.0-OpenSSH\r\n", 0, -WB_EHTTPSTATUS },
	{ "HTTP/2.0", "HTTP/2.0 200 OK\r\n\r\n", 0, -WB_EHTTPVERSION },
	{ "two-digit status", "HTTP/1.1 20 OK\r\n\r\n", 0, -WB_EHTTPSTATUS },
	{ "status 600", "HTTP/1.1 600 What\r\n\r\n", 0, -WB_EHTTPSTATUS },
	{ "status code letters", "HTTP/1.1 2x0 OK\r\n\r\n", 0, -WB_EHTTPSTATUS },
	{ "header without colon", "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", 0, -WB_EHTTPHEADER },
	{ "space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n", 0, -WB_EHTTPHEADER },
	{ "obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", 0, -WB_EHTTPHEADER },
	{ "control byte in value", "HTTP/1.1 200 OK\r\nX: a\x01\r\n\r\n", 0, -WB_EHTTPHEADER },
	{ "bare CR in a line", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", 0, -WB_EHTTPHEADER },
	{ "Content-Length not a number", "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", 0, -WB_EHTTPLENGTH },
	{ "Content-Length negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, -WB_EHTTPLENGTH },
	{ "Content-Length conflict", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 0, -WB_EHTTPLENGTH },
	{ "Content-Length huge", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", 0, -WB_EHTTPLENGTH },
	{ "Transfer-Encoding gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 0, -WB_EHTTPCODING },
	{ "chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 0, -WB_EHTTPCODING },
	{ "chunk size not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, -WB_EHTTPCHUNK },
	{ "chunk size empty", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 0, -WB_EHTTPCHUNK },
	{ "chunk size overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", 0, -WB_EHTTPCHUNK },
	{ "chunk size junk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n", 0, -WB_EHTTPCHUNK },
	{ "chunk longer than its size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 0, -WB_EHTTPCHUNKEND },
	{ "Content-Range garbage", "HTTP/1.1 206 Partial\r\nContent-Range: bytes x-y/z\r\n\r\n", 0, -WB_EHTTPRANGE },
	{ "Content-Range last past total", "HTTP/1.1 206 Partial\r\nContent-Range: bytes 0-10/10\r\n\r\n", 0, -WB_EHTTPRANGE },
	{ "truncated Content-Length body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1, -WB_EHTTPTRUNC },
	{ "truncated chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 1, -WB_EHTTPTRUNC },
	{ "closed inside the header", "HTTP/1.1 200 OK\r\nContent-Le", 1, -WB_EHTTPHDRTRUNC },
	{ "closed before anything", "", 1, -WB_EHTTPHDRTRUNC },
};

int main(void)
{
	struct http_parser *p = plat_malloc(sizeof(*p));
	struct body b = { 0 };
	char name[200];
	int rc;

	for (size_t i = 0; i < sizeof(oks) / sizeof(oks[0]); i++) {
		const struct ok_case *c = &oks[i];
		int good = 1;

		for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
			rc = run(p, c->text, steps[s], c->is_head, c->eof, &b);
			if (rc != HTTP_DONE || p->status != c->status || p->keep_alive != c->keep_alive ||
			    p->framing != c->framing || strcmp(b.buf, c->body) ||
			    p->body_bytes != strlen(c->body)) {
				printf("    %s, step %zu: rc %d status %d keep %d framing %d body '%s'\n",
				       c->name, steps[s], rc, p->status, p->keep_alive, (int)p->framing, b.buf);
				good = 0;
			}
		}
		snprintf(name, sizeof(name), "ok: %s", c->name);
		CHECK(name, good);
	}
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad_case *c = &bads[i];
		int good = 1;

		for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
			rc = run(p, c->text, steps[s], 0, c->eof, &b);
			if (rc != c->rc) {
				printf("    %s, step %zu: rc %d (%s), want %d\n", c->name, steps[s], rc,
				       wb_strerror(rc), c->rc);
				good = 0;
			}
		}
		snprintf(name, sizeof(name), "error: %s", c->name);
		CHECK(name, good);
	}

	/* header values */
	rc = run(p, "HTTP/1.1 302 Found\r\nLocation:  /next/boot.ipxe \r\ncontent-type: text/plain; charset=utf-8\r\n"
		    "Content-Length: 0\r\n\r\n", 1, 0, 0, &b);
	CHECK("302: Location and Content-Type", rc == HTTP_DONE && p->status == 302 &&
						  !strcmp(p->location, "/next/boot.ipxe") &&
						  !strcmp(p->content_type, "text/plain; charset=utf-8") &&
						  !strcmp(p->reason, "Found"));
	rc = run(p, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-199/1000\r\nContent-Length: 100\r\n\r\n",
		 0, 0, 0, &b);
	CHECK("206: Content-Range", rc == HTTP_MORE && p->has_range && p->range_first == 100 &&
					    p->range_last == 199 && p->range_total == 1000);
	rc = run(p, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-0/*\r\nContent-Length: 1\r\n\r\nx",
		 0, 0, 0, &b);
	CHECK("206: Content-Range with unknown total", rc == HTTP_DONE && p->range_total == UINT64_MAX);
	rc = run(p, "HTTP/1.1 200 \x1b[2JOK\x80\r\nContent-Length: 0\r\n\r\n", 0, 0, 0, &b);
	CHECK("reason phrase: control and non-ASCII bytes masked", rc == HTTP_DONE && !strcmp(p->reason, "?[2JOK?"));
	/* a line one byte over the limit */
	{
		size_t n = HTTP_LINE_MAX + 64;
		char *t = malloc(n + 1);

		strcpy(t, "HTTP/1.1 200 OK\r\nX: ");
		memset(t + strlen(t), 'a', n - strlen(t));
		t[n] = '\0';
		rc = run(p, t, 0, 0, 0, &b);
		CHECK("error: header line too long", rc == -WB_EHTTPLINELONG);
		free(t);
	}
	{
		char t[3000];
		size_t o = 0;

		o += (size_t)snprintf(t + o, sizeof(t) - o, "HTTP/1.1 200 OK\r\n");
		for (int i = 0; i <= HTTP_HEADERS_MAX; i++)
			o += (size_t)snprintf(t + o, sizeof(t) - o, "X%d: y\r\n", i);
		snprintf(t + o, sizeof(t) - o, "\r\n");
		rc = run(p, t, 0, 0, 0, &b);
		CHECK("error: too many header lines", rc == -WB_EHTTPHDRMANY);
	}
	b.fail_at = 3;
	rc = run(p, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0, 0, 0, &b);
	CHECK("body callback error stops the parser", rc == -WB_EHTTPSINK);
	b.fail_at = 0;
	{
		/* the bytes after a complete response are not consumed */
		const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
		size_t used = 0;

		http_parser_init(p, 0, on_body, &b);
		rc = http_parser_feed(p, (const uint8_t *)t, strlen(t), &used);
		if (rc == HTTP_HEADERS) {
			size_t u2 = 0;

			rc = http_parser_feed(p, (const uint8_t *)t + used, strlen(t) - used, &u2);
			used += u2;
		}
		CHECK("stops at the end of the message", rc == HTTP_DONE && strlen(t) - used == 5);
	}

	/* request builder */
	{
		struct uri u;
		struct http_request rq = { 0 };
		char buf[512];

		uri_parse("http://Aladdin:open%20sesame@Boot.Test:8080/dir/a.ipxe?x=1#frag", &u);
		rq.method = "GET";
		rq.uri = &u;
		rq.has_range = 1;
		rq.range_first = 0;
		rq.range_last = 1023;
		rq.user_agent = "wireboot/0.1.0";
		rc = http_build_request(&rq, buf, sizeof(buf));
		CHECK_STR("GET with port, range, basic auth (RFC 7617 example)", buf,
			  "GET /dir/a.ipxe?x=1 HTTP/1.1\r\nHost: boot.test:8080\r\nUser-Agent: wireboot/0.1.0\r\n"
			  "Range: bytes=0-1023\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
			  "Connection: keep-alive\r\n\r\n");
		CHECK("length returned", rc == (int)strlen(buf));
		rc = http_build_request(&rq, buf, 40);
		CHECK("small buffer refused", rc == -WB_EHTTPREQLONG);
		uri_free(&u);
		uri_parse("https://h:443", &u);
		rq.method = "HEAD";
		rq.has_range = 1;
		rq.range_first = 5;
		rq.range_last = UINT64_MAX;
		rq.user_agent = NULL;
		rc = http_build_request(&rq, buf, sizeof(buf));
		CHECK_STR("HEAD, default port omitted, empty path is /, open range", buf,
			  "HEAD / HTTP/1.1\r\nHost: h\r\nUser-Agent: wireboot\r\nRange: bytes=5-\r\n"
			  "Connection: keep-alive\r\n\r\n");
		uri_free(&u);
		uri_parse("/relative", &u);
		CHECK("no host refused", http_build_request(&rq, buf, sizeof(buf)) == -WB_EURINOHOST);
		uri_free(&u);
		{
			/* a ##params form: extra headers, then the body's type and length */
			struct http_header h[2] = { { "X-Asset", "tag 42" }, { "Referer", "http://x/" } };
			struct http_request pr = { 0 };

			uri_parse("http://h/boot.php", &u);
			pr.method = "POST";
			pr.uri = &u;
			pr.headers = h;
			pr.nheaders = 2;
			pr.has_body = 1;
			pr.content_type = "application/x-www-form-urlencoded";
			pr.content_length = 17;
			rc = http_build_request(&pr, buf, sizeof(buf));
			CHECK_STR("POST with extra headers and a form body's head", buf,
				  "POST /boot.php HTTP/1.1\r\nHost: h\r\nUser-Agent: wireboot\r\n"
				  "X-Asset: tag 42\r\nReferer: http://x/\r\n"
				  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 17\r\n"
				  "Connection: keep-alive\r\n\r\n");
			h[0].value = "x\r\nInjected: 1";
			CHECK("a header value with a line break refused",
			      http_build_request(&pr, buf, sizeof(buf)) == -WB_EHTTPREQHDR);
			h[0].value = "ok";
			h[0].name = "Bad:Name";
			CHECK("a header name that is not a token refused",
			      http_build_request(&pr, buf, sizeof(buf)) == -WB_EHTTPREQHDR);
			uri_free(&u);
		}
	}
	plat_free(p);
	return unit_done();
}
