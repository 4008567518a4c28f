/*
 * test_core.c — formatting, parsers, CRC-32, SNTP messages, wall clock,
 * settings store.
 */
#define UNIT_NAME "core"
#include <stdint.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settings.h"
#include "core/settype.h"
#include "core/util.h"
#include "core/wallclock.h"
#include "net/ntp_msg.h"
#include "unit.h"

static void test_fmt(void)
{
	char b[64];

	wb_snprintf(b, sizeof(b), "%d|%5d|%-4s|%05u|%x|%02X", -42, 7, "ab", 42u, 0xbeefu, 10u);
	CHECK_STR("mixed formats", b, "-42|    7|ab  |00042|beef|0A");
	wb_snprintf(b, sizeof(b), "%llu %zu %.3s %c%%", 18446744073709551615ULL, (size_t)5, "abcdef", 'z');
	CHECK_STR("64-bit, size_t, precision", b, "18446744073709551615 5 abc z%");
	CHECK("truncation returns the full length", wb_snprintf(b, 4, "hello") == 5);
	CHECK_STR("truncated and terminated", b, "hel");
}

static void test_parsers(void)
{
	uint8_t ip[4], mac[6];
	unsigned long long u;
	char b[18];

	CHECK("ipv4 ok", !wb_parse_ipv4("192.0.2.10", ip) && ip[0] == 192 && ip[3] == 10);
	CHECK("ipv4 256 refused", wb_parse_ipv4("192.0.2.256", ip) == -WB_EBADVAL);
	CHECK("ipv4 three parts refused", wb_parse_ipv4("192.0.2", ip) == -WB_EBADVAL);
	CHECK("ipv4 trailing dot refused", wb_parse_ipv4("1.2.3.4.", ip) == -WB_EBADVAL);
	CHECK("ipv4 empty part refused", wb_parse_ipv4("1..3.4", ip) == -WB_EBADVAL);
	CHECK("ipv4 long digits refused", wb_parse_ipv4("0001.2.3.4", ip) == -WB_EBADVAL);
	CHECK("mac ok", !wb_parse_mac("52:54:00:AB:cd:ef", mac) && mac[3] == 0xab);
	CHECK_STR("mac formats lower case", wb_fmt_mac(mac, b), "52:54:00:ab:cd:ef");
	CHECK("mac short refused", wb_parse_mac("52:54:00:ab:cd", mac) == -WB_EBADVAL);
	CHECK("uint ok", !wb_parse_uint("4094", 4094, &u) && u == 4094);
	CHECK("uint over max refused", wb_parse_uint("4095", 4094, &u) == -WB_EBADVAL);
	CHECK("uint hex", !wb_parse_uint("0x10", 100, &u) && u == 16);
	CHECK("uint overflow refused", wb_parse_uint("99999999999999999999999", ~0ULL, &u) == -WB_EBADVAL);
	CHECK("uint empty refused", wb_parse_uint("", 10, &u) == -WB_EBADVAL);
	/* CRC-32 check value for "123456789" (the catalogue's CRC-32/ISO-HDLC) */
	CHECK("crc32 check value", wb_crc32(0, "123456789", 9) == 0xCBF43926u);
	CHECK("crc32 incremental", wb_crc32(wb_crc32(0, "1234", 4), "56789", 5) == 0xCBF43926u);
	{
		/* slice-by-8 against the bitwise definition (reflected 0xEDB88320): every
		 * length 0..70 at offsets 0..7, and split at every point */
		static uint8_t rnd[80];
		uint32_t x = 7;
		int agree = 1;

		for (size_t i = 0; i < sizeof(rnd); i++) {
			x = x * 1664525u + 1013904223u;
			rnd[i] = (uint8_t)(x >> 24);
		}
		for (size_t off = 0; off < 8; off++)
			for (size_t n = 0; n <= 70; n++) {
				uint32_t c = 0xffffffffu;

				for (size_t i = 0; i < n; i++) {
					c ^= rnd[off + i];
					for (int k = 0; k < 8; k++)
						c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
				}
				c = ~c;
				if (wb_crc32(0, rnd + off, n) != c)
					agree = 0;
				for (size_t k = 0; k <= n; k++)
					if (wb_crc32(wb_crc32(0, rnd + off, k), rnd + off + k, n - k) != c)
						agree = 0;
			}
		CHECK("crc32 slice-by-8 agrees with the bitwise definition (lengths, offsets, splits)", agree);
	}
}

static void test_ntp(void)
{
	uint8_t req[NTP_MSG_LEN], rep[NTP_MSG_LEN];
	uint64_t x = 0x0123456789abcdefULL;
	int64_t t;

	ntp_msg_build(req, x);
	CHECK("request LI0 VN4 mode 3", req[0] == 0x23);
	memset(rep, 0, sizeof(rep));
	rep[0] = 0x24;   /* VN 4, mode 4 */
	rep[1] = 2;
	memcpy(rep + 24, req + 40, 8);        /* originate = our transmit */
	/* 2026-11-26 00:00:00 UTC = 1795651200 Unix = +2208988800 NTP */
	{
		uint32_t s = (uint32_t)(1795651200ULL + NTP_UNIX_OFFSET);

		wb_put32(rep + 40, s);
	}
	CHECK("reply parses", ntp_msg_parse(rep, sizeof(rep), x, &t) == 0);
	CHECK("unix time", t == 1795651200);
	CHECK("wrong originate refused", ntp_msg_parse(rep, sizeof(rep), x + 1, &t) == -WB_ENTPBAD);
	rep[0] = 0xe4;   /* LI 3: unsynchronised */
	CHECK("unsynchronised refused", ntp_msg_parse(rep, sizeof(rep), x, &t) == -WB_ENTPLEAP);
	rep[0] = 0x24;
	rep[1] = 0;      /* kiss-o'-death */
	CHECK("stratum 0 refused", ntp_msg_parse(rep, sizeof(rep), x, &t) == -WB_ENTPSTRATUM);
	rep[1] = 2;
	CHECK("short reply refused", ntp_msg_parse(rep, 47, x, &t) == -WB_ENTPBAD);
	wb_put32(rep + 40, 0x10000000u);   /* era 1 (after 2036-02-07) */
	CHECK("era 1 parses", ntp_msg_parse(rep, sizeof(rep), x, &t) == 0 && t > 2085978496LL);
}

static void test_wallclock(void)
{
	char b[20];

	CHECK_STR("epoch", wallclock_fmt(0, b), "1970-01-01 00:00:00");
	CHECK_STR("leap day 2024", wallclock_fmt(1709210096, b), "2024-02-29 12:34:56");
	CHECK_STR("2026-11-26", wallclock_fmt(1795651200, b), "2026-11-26 00:00:00");
}

static void test_settings(void)
{
	struct settings_ctx s;
	const char *scope;

	settings_init(&s);
	CHECK("global set", settings_set(&s, "username", "alice") == 0);
	CHECK_STR("global get", settings_get(&s, "username", NULL), "alice");
	CHECK("bad ip refused", settings_set(&s, "net0/ip", "300.1.1.1") == -WB_EBADVAL);
	CHECK("bad name refused", settings_set(&s, "a b", "x") == -WB_EINVAL);
	CHECK("unknown type refused", settings_set(&s, "x:float", "1") == -WB_EINVAL);
	CHECK("typed set", settings_set(&s, "n:uint8", "200") == 0);
	{
		char out[32];
		const char *type;

		CHECK("typed fetch", !settings_fetch(&s, "n:int8", out, sizeof(out), NULL, &type));
		CHECK_STR("uint8 200 as int8", out, "-56");
		CHECK_STR("stored type reported", type, "uint8");
	}
	CHECK("empty name refused", settings_set(&s, "net0/", "x") == -WB_EINVAL);
	CHECK("two slashes refused", settings_set(&s, "a/b/c", "x") == -WB_EINVAL);
	settings_scope_add(&s, "net0");
	settings_scope_add(&s, "net1");
	settings_set(&s, "net0/ip", "192.0.2.10");
	settings_set(&s, "net1/ip", "192.0.2.11");
	CHECK("closed scopes are not searched", settings_get(&s, "ip", NULL) == NULL);
	settings_scope_open(&s, "net1", 1);
	CHECK_STR("unqualified finds the open interface", settings_get(&s, "ip", &scope), "192.0.2.11");
	CHECK_STR("found scope reported", scope, "net1");
	settings_scope_open(&s, "net0", 1);
	CHECK_STR("first open interface wins", settings_get(&s, "ip", NULL), "192.0.2.10");
	settings_set(&s, "ip", "198.51.100.1");
	CHECK_STR("global scope wins over interfaces", settings_get(&s, "ip", NULL), "198.51.100.1");
	CHECK_STR("qualified lookup is exact", settings_get(&s, "net1/ip", NULL), "192.0.2.11");
	/* mac is of type hex: ':' between bytes, as iPXE (which refuses '-' there) */
	CHECK("mac with '-' refused (type hex)", settings_set(&s, "net0/mac", "52-54-00-AB-CD-EF") == -WB_EBADVAL);
	settings_set(&s, "net0/mac", "52:54:00:AB:CD:EF");
	CHECK_STR("mac canonical", settings_get(&s, "net0/mac", NULL), "52:54:00:ab:cd:ef");
	settings_set(&s, "password", "s3cret-value");
	CHECK_STR("secret masked", settings_show_value("password", "s3cret-value", 0), "********");
	CHECK_STR("secret revealed on request", settings_show_value("password", "s3cret-value", 1),
		  "s3cret-value");
	CHECK("clear", settings_clear(&s, "username") == 0 && !settings_get(&s, "username", NULL));
	CHECK("clear unset is fine", settings_clear(&s, "username") == 0);
	settings_scope_remove(&s, "net1");
	CHECK("scope removal drops its settings", !settings_get(&s, "net1/ip", NULL));
	{
		char big[SETTINGS_VALUE_MAX + 10];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		CHECK("overlong value refused", settings_set(&s, "x", big) == -WB_ETOOBIG);
	}
	settings_fini(&s);
}

/* ipxe.org/cmd/show: 10.0.0.100 as hex "0a:00:00:64", as uint32 "0xa000064" */
static void test_settype(void)
{
	char out[128];

	CHECK("ipv4 → hex", !settype_convert("ipv4", "10.0.0.100", "hex", out, sizeof(out)));
	CHECK_STR("ipv4 as hex (ipxe.org/cmd/show)", out, "0a:00:00:64");
	settype_convert("ipv4", "10.0.0.100", "uint32", out, sizeof(out));
	CHECK_STR("ipv4 as uint32 (ipxe.org/cmd/show)", out, "0xa000064");
	settype_convert("hex", "52:54:00:12:34:56", "hexhyp", out, sizeof(out));
	CHECK_STR("mac as hexhyp", out, "52-54-00-12-34-56");
	settype_convert("hex", "52:54:00:12:34:56", "hexraw", out, sizeof(out));
	CHECK_STR("mac as hexraw", out, "525400123456");
	/* RFC 4648 §10 test vectors */
	settype_convert("string", "foob", "base64", out, sizeof(out));
	CHECK_STR("base64 foob (RFC 4648)", out, "Zm9vYg==");
	settype_convert("string", "foobar", "base64", out, sizeof(out));
	CHECK_STR("base64 foobar (RFC 4648)", out, "Zm9vYmFy");
	CHECK("base64 parse", !settype_parse("base64", "Zm9vYmE=", out, sizeof(out)));
	settype_convert("base64", "Zm9vYmE=", "string", out, sizeof(out));
	CHECK_STR("base64 decodes", out, "fooba");
	CHECK("base64 data after padding refused", settype_parse("base64", "Zm==9v", out, sizeof(out)) == -WB_EBADVAL);
	settype_convert("string", "a b/c~", "uristring", out, sizeof(out));
	CHECK_STR("uristring (RFC 3986 unreserved kept)", out, "a%20b%2Fc~");
	CHECK("int8 -128 ok", !settype_parse("int8", "-128", out, sizeof(out)));
	/* too big for the type: cut to its width, as iPXE's Linux build does */
	CHECK("int8 128 is -128", !settype_parse("int8", "128", out, sizeof(out)) && !strcmp(out, "-128"));
	CHECK("uint8 256 is 0", !settype_parse("uint8", "256", out, sizeof(out)) && !strcmp(out, "0x0"));
	CHECK("uint8 -1 is 0xff", !settype_parse("uint8", "-1", out, sizeof(out)) && !strcmp(out, "0xff"));
	settype_convert("int8", "-5", "uint8", out, sizeof(out));
	CHECK_STR("int8 -5 as uint8", out, "0xfb");
	settype_convert("uint16", "0x201", "int16", out, sizeof(out));
	CHECK_STR("uint16 as int16", out, "513");
	CHECK("uuid parse", !settype_parse("uuid", "1B4E28BA-2FA1-11D2-883F-0016D3CCA427", out, sizeof(out)));
	CHECK_STR("uuid canonical lower case", out, "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
	CHECK("uuid short refused", settype_parse("uuid", "1b4e28ba-2fa1", out, sizeof(out)) == -WB_EBADVAL);
	CHECK("string → ipv4 refused", settype_convert("string", "abc", "ipv4", out, sizeof(out)) == -WB_EBADVAL);
	CHECK("hex odd digits refused", settype_parse("hex", "0a:b", out, sizeof(out)) == -WB_EBADVAL);
	CHECK("unknown type", !settype_known("float"));
}

int main(void)
{
	test_settype();
	test_fmt();
	test_parsers();
	test_ntp();
	test_wallclock();
	test_settings();
	return unit_done();
}
