/*
 * test_ftp_msg.c — FTP replies (proto/ftp_msg.c): RFC 959 §4.2 single and
 * multi-line replies (the §4.2 examples), fed whole and one byte at a time,
 * several replies in one buffer, malformed first lines, the length bound;
 * 227 PASV texts (RFC 959 §4.1.2, RFC 1123 §4.1.2.6 forms), 229 EPSV
 * (RFC 2428 §3 example), 213 SIZE (RFC 3659 §4).
 */
#define UNIT_NAME "ftp_msg"
#include "core/err.h"
#include "proto/ftp_msg.h"
#include "unit.h"

/* feed @s whole (@bytewise: one byte per call); @return rc of the last feed, *consumed */
static int feed(struct ftp_reply_parser *p, const char *s, int bytewise, size_t *consumed)
{
	size_t len = strlen(s), off = 0, used;
	int rc = 0;

	ftp_reply_init(p);
	while (off < len) {
		size_t n = bytewise ? 1 : len - off;

		rc = ftp_reply_feed(p, (const uint8_t *)s + off, n, &used);
		off += used;
		if (rc)
			break;
	}
	*consumed = off;
	return rc;
}

struct reply_case {
	const char *name, *in;
	int rc, code, multiline;
	const char *text;
	size_t consumed;   /* 0: all */
};

static const struct reply_case reply_cases[] = {
	{ "single line", "220 Service ready\r\n", 1, 220, 0, "Service ready", 0 },
	{ "bare LF", "230 ok\n", 1, 230, 0, "ok", 0 },
	{ "code only", "200\r\n", 1, 200, 0, "", 0 },
	{ "empty text", "200 \r\n", 1, 200, 0, "", 0 },
	/* RFC 959 §4.2 example */
	{ "RFC 959 multi-line", "123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n",
	  1, 123, 1, "First line", 0 },
	{ "multi-line: other codes inside", "211-Features:\r\n211-not the end\r\n 211 nor this\r\n212 nor this\r\n211 End\r\n",
	  1, 211, 1, "Features:", 0 },
	{ "multi-line: code-only last line", "230-Welcome\r\n230\r\n", 1, 230, 1, "Welcome", 0 },
	{ "stops after one reply", "331 Please specify the password.\r\n230 Login successful.\r\n",
	  1, 331, 0, "Please specify the password.", 34 },
	{ "control bytes shown as ?", "550 a\x01" "b\x7f\r\n", 1, 550, 0, "a?b?", 0 },
	{ "CR inside", "550 a\rb\r\n", 1, 550, 0, "a?b", 0 },
	{ "incomplete", "220 Serv", 0, 0, 0, NULL, 0 },
	{ "incomplete multi-line", "220-a\r\n220 b", 0, 0, 0, NULL, 0 },
	{ "not digits", "abc hello\r\n", -WB_EFTPREPLY, 0, 0, NULL, 0 },
	{ "first digit 6", "600 no\r\n", -WB_EFTPREPLY, 0, 0, NULL, 0 },
	{ "first digit 0", "099 no\r\n", -WB_EFTPREPLY, 0, 0, NULL, 0 },
	{ "bad separator", "220xhello\r\n", -WB_EFTPREPLY, 0, 0, NULL, 0 },
	{ "two digits", "22\r\n", -WB_EFTPREPLY, 0, 0, NULL, 0 },
	{ "empty line", "\r\n", -WB_EFTPREPLY, 0, 0, NULL, 0 },
};

static void test_replies(void)
{
	struct ftp_reply_parser p;
	char name[160];

	for (size_t i = 0; i < sizeof(reply_cases) / sizeof(reply_cases[0]); i++) {
		const struct reply_case *c = &reply_cases[i];

		for (int bw = 0; bw < 2; bw++) {
			size_t used;
			int rc = feed(&p, c->in, bw, &used);

			snprintf(name, sizeof(name), "%s (%s): result", c->name, bw ? "bytewise" : "whole");
			CHECK(name, rc == c->rc);
			if (c->rc != 1)
				continue;
			snprintf(name, sizeof(name), "%s (%s): code", c->name, bw ? "bytewise" : "whole");
			CHECK(name, p.reply.code == c->code && p.reply.multiline == c->multiline);
			snprintf(name, sizeof(name), "%s (%s): text", c->name, bw ? "bytewise" : "whole");
			CHECK_STR(name, p.reply.text, c->text);
			snprintf(name, sizeof(name), "%s (%s): consumed", c->name, bw ? "bytewise" : "whole");
			CHECK(name, used == (c->consumed ? c->consumed : strlen(c->in)));
		}
	}
}

static void test_reply_bounds(void)
{
	struct ftp_reply_parser p;
	static char big[FTP_REPLY_MAX + 64];
	size_t used, n;
	int rc;

	/* a first line longer than the text buffer: text cut, reply fine */
	memset(big, 'x', 1000);
	memcpy(big, "550 ", 4);
	memcpy(big + 1000, "\r\n", 3);
	rc = feed(&p, big, 0, &used);
	CHECK("long line: parsed", rc == 1 && p.reply.code == 550);
	CHECK("long line: text cut to FTP_TEXT_MAX - 1", strlen(p.reply.text) == FTP_TEXT_MAX - 1);

	/* an endless multi-line reply is refused at FTP_REPLY_MAX */
	n = 0;
	memcpy(big, "220-\r\n", 6);
	n = 6;
	while (n + 6 < sizeof(big) - 1) {
		memcpy(big + n, "junk\r\n", 6);
		n += 6;
	}
	big[n] = '\0';
	rc = feed(&p, big, 0, &used);
	CHECK("endless multi-line: refused", rc == -WB_EFTPREPLY && used == FTP_REPLY_MAX + 1);

	/* CR/LF split across feeds */
	ftp_reply_init(&p);
	rc = ftp_reply_feed(&p, (const uint8_t *)"226 Transfer complete.\r", 23, &used);
	CHECK("CR at a feed's end: not yet", rc == 0 && used == 23);
	rc = ftp_reply_feed(&p, (const uint8_t *)"\n", 1, &used);
	CHECK("LF in the next feed: complete", rc == 1 && p.reply.code == 226);
	CHECK_STR("LF in the next feed: text", p.reply.text, "Transfer complete.");
}

static void test_pasv(void)
{
	uint8_t ip[4];
	uint16_t port;

	CHECK("227 with parentheses",
	      !ftp_parse_pasv("Entering Passive Mode (192,0,2,1,195,80).", ip, &port) &&
	      ip[0] == 192 && ip[1] == 0 && ip[2] == 2 && ip[3] == 1 && port == 195 * 256 + 80);
	CHECK("227 without parentheses (RFC 1123 4.1.2.6)",
	      !ftp_parse_pasv("Entering Passive Mode 10,1,2,3,4,5", ip, &port) &&
	      ip[0] == 10 && ip[3] == 3 && port == 4 * 256 + 5);
	CHECK("227 with a number before the tuple",
	      !ftp_parse_pasv("=227 2 ways: 127,0,0,1,0,21", ip, &port) && ip[0] == 127 && port == 21);
	CHECK("octet over 255 refused", ftp_parse_pasv("(256,0,0,1,1,1)", ip, &port) == -WB_EFTPPASV);
	CHECK("four digits refused", ftp_parse_pasv("(1922,0,0,1,1,1)", ip, &port) == -WB_EFTPPASV);
	CHECK("five numbers refused", ftp_parse_pasv("(192,0,2,1,195)", ip, &port) == -WB_EFTPPASV);
	CHECK("the first six numbers are the tuple (RFC 1123: scan from the first digit)",
	      ftp_parse_pasv("(1,2,3,4,5,6,7)", ip, &port) == 0 && ip[0] == 1 && port == 5 * 256 + 6);
	CHECK("port 0 refused", ftp_parse_pasv("(192,0,2,1,0,0)", ip, &port) == -WB_EFTPPASV);
	CHECK("empty refused", ftp_parse_pasv("", ip, &port) == -WB_EFTPPASV);
	CHECK("spaces refused", ftp_parse_pasv("(192, 0, 2, 1, 1, 1)", ip, &port) == -WB_EFTPPASV);
}

static void test_epsv(void)
{
	uint16_t port;

	/* RFC 2428 §3 example */
	CHECK("229 RFC 2428 example",
	      !ftp_parse_epsv("Entering Extended Passive Mode (|||6446|)", &port) && port == 6446);
	CHECK("other delimiter", !ftp_parse_epsv("ok (!!!21!)", &port) && port == 21);
	CHECK("second parenthesis", !ftp_parse_epsv("x (a) (|||65535|)", &port) && port == 65535);
	CHECK("port 0 refused", ftp_parse_epsv("(|||0|)", &port) == -WB_EFTPPASV);
	CHECK("port 65536 refused", ftp_parse_epsv("(|||65536|)", &port) == -WB_EFTPPASV);
	CHECK("no port refused", ftp_parse_epsv("(||||)", &port) == -WB_EFTPPASV);
	CHECK("mixed delimiters refused", ftp_parse_epsv("(|!|1|)", &port) == -WB_EFTPPASV);
	CHECK("address given refused", ftp_parse_epsv("(|1|10.0.0.1|21|)", &port) == -WB_EFTPPASV);
	CHECK("no closing parenthesis refused", ftp_parse_epsv("(|||21|", &port) == -WB_EFTPPASV);
	CHECK("truncated refused", ftp_parse_epsv("(|", &port) == -WB_EFTPPASV);
	CHECK("digit delimiter refused", ftp_parse_epsv("(1112121)", &port) == -WB_EFTPPASV);
}

static void test_size(void)
{
	uint64_t n;

	CHECK("213 size", !ftp_parse_size("67108864", &n) && n == 67108864);
	CHECK("trailing blank", !ftp_parse_size("5 ", &n) && n == 5);
	CHECK("zero", !ftp_parse_size("0", &n) && n == 0);
	CHECK("2^64 - 1", !ftp_parse_size("18446744073709551615", &n) && n == UINT64_MAX);
	CHECK("2^64 refused", ftp_parse_size("18446744073709551616", &n) == -WB_EFTPSIZE);
	CHECK("text refused", ftp_parse_size("File size 5", &n) == -WB_EFTPSIZE);
	CHECK("trailing text refused", ftp_parse_size("5 bytes", &n) == -WB_EFTPSIZE);
	CHECK("empty refused", ftp_parse_size("", &n) == -WB_EFTPSIZE);
	CHECK("negative refused", ftp_parse_size("-1", &n) == -WB_EFTPSIZE);
}

int main(void)
{
	test_replies();
	test_reply_bounds();
	test_pasv();
	test_epsv();
	test_size();
	return unit_done();
}
