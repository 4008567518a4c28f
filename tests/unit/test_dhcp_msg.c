/*
 * test_dhcp_msg.c — DHCP builder and parser against hand-made messages in
 * the layout of RFC 2131 §2 (fixed header, magic cookie 99.130.83.99) with
 * options from RFC 2132, overload (RFC 2132 §9.3) and long options
 * (RFC 3396).
 */
#define UNIT_NAME "dhcp_msg"
#include <stdint.h>

#include "core/err.h"
#include "net/dhcp_msg.h"
#include "unit.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

struct msg {
	uint8_t b[1500];
	size_t len;
};

/* A BOOTREPLY header for @xid offering 192.0.2.123 from 192.0.2.1. */
static void reply_start(struct msg *m, uint32_t xid)
{
	memset(m, 0, sizeof(*m));
	m->b[0] = 2;
	m->b[1] = 1;
	m->b[2] = 6;
	m->b[4] = xid >> 24; m->b[5] = xid >> 16; m->b[6] = xid >> 8; m->b[7] = xid;
	m->b[16] = 192; m->b[17] = 0; m->b[18] = 2; m->b[19] = 123;   /* yiaddr */
	m->b[20] = 192; m->b[21] = 0; m->b[22] = 2; m->b[23] = 1;     /* siaddr */
	memcpy(m->b + 28, mac, 6);
	m->b[236] = 99; m->b[237] = 130; m->b[238] = 83; m->b[239] = 99;
	m->len = 240;
}

static void opt(struct msg *m, uint8_t code, const void *v, uint8_t len)
{
	m->b[m->len++] = code;
	m->b[m->len++] = len;
	memcpy(m->b + m->len, v, len);
	m->len += len;
}

static void end(struct msg *m)
{
	m->b[m->len++] = 255;
}

static void test_build(void)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	uint8_t buf[DHCP_MSG_MAX];
	int len;

	memset(&req, 0, sizeof(req));
	req.type = DHCP_DISCOVER;
	req.xid = 0x11223344;
	memcpy(req.mac, mac, 6);
	req.client_arch = 0x000b;
	req.vendor_class = "wireboot";
	len = dhcp_msg_build(&req, buf, sizeof(buf));
	CHECK("DISCOVER builds", len >= 300);
	CHECK("op BOOTREQUEST, Ethernet", buf[0] == 1 && buf[1] == 1 && buf[2] == 6);
	CHECK("xid in network order", buf[4] == 0x11 && buf[7] == 0x44);
	CHECK("broadcast flag", buf[10] == 0x80);
	CHECK("chaddr", !memcmp(buf + 28, mac, 6));
	CHECK("magic cookie", buf[236] == 99 && buf[239] == 99);
	/* walk the options for 53, 60, 93 */
	{
		int seen53 = 0, seen60 = 0, seen93 = 0, seen94 = 0;

		for (int i = 240; i < len && buf[i] != 255; ) {
			if (buf[i] == 0) { i++; continue; }
			if (buf[i] == 53 && buf[i + 1] == 1 && buf[i + 2] == DHCP_DISCOVER) seen53 = 1;
			if (buf[i] == 60 && buf[i + 1] == 8 && !memcmp(buf + i + 2, "wireboot", 8)) seen60 = 1;
			if (buf[i] == 93 && buf[i + 1] == 2 && buf[i + 2] == 0 && buf[i + 3] == 0x0b) seen93 = 1;
			if (buf[i] == 94 && buf[i + 1] == 3) seen94 = 1;
			i += 2 + buf[i + 1];
		}
		CHECK("option 53 DISCOVER", seen53);
		CHECK("option 60 vendor class wireboot", seen60);
		CHECK("option 93 arm64 UEFI (RFC 4578 / IANA 11)", seen93);
		CHECK("option 94 client NDI", seen94);
	}
	CHECK("too small a buffer is refused", dhcp_msg_build(&req, buf, 100) == -WB_ETOOBIG);
	/* a request names the offer */
	req.type = DHCP_REQUEST;
	memcpy(req.requested_ip, "\xc0\x00\x02\x7b", 4);
	memcpy(req.server_id, "\xc0\x00\x02\x01", 4);
	len = dhcp_msg_build(&req, buf, sizeof(buf));
	CHECK("REQUEST builds", len > 0);
	/* our own request is not a reply */
	CHECK("parser refuses a BOOTREQUEST", dhcp_msg_parse(buf, (size_t)len, &r) == -WB_EDHCPBAD);
}

static void test_parse_ok(void)
{
	struct msg m;
	struct dhcp_reply r;
	uint8_t t = DHCP_OFFER;

	reply_start(&m, 0xdeadbeef);
	opt(&m, 53, &t, 1);
	opt(&m, 54, "\xc0\x00\x02\x01", 4);
	opt(&m, 1, "\xff\xff\xff\x00", 4);
	opt(&m, 3, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	opt(&m, 6, "\xc0\x00\x02\x01\x08\x08\x08\x08", 8);
	opt(&m, 42, "\xc0\x00\x02\x05", 4);
	opt(&m, 51, "\x00\x00\x0e\x10", 4);
	opt(&m, 12, "client1", 7);
	opt(&m, 15, "test", 5);   /* NUL-terminated by some servers */
	opt(&m, 17, "iscsi:192.0.2.1:::1:iqn.x", 25);
	opt(&m, 67, "http://boot.test/boot.ipxe", 26);
	opt(&m, 203, "iqn.2026-11.test:client1", 24);
	opt(&m, 250, "\x01\x02", 2);   /* unknown: skipped */
	end(&m);
	CHECK("valid offer parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("type OFFER", r.type == DHCP_OFFER);
	CHECK("xid", r.xid == 0xdeadbeef);
	CHECK("yiaddr", !memcmp(r.yiaddr, "\xc0\x00\x02\x7b", 4));
	CHECK("netmask", r.has_netmask && r.netmask[3] == 0);
	CHECK("first router", r.has_router && r.router[3] == 1);
	CHECK("two DNS servers", r.ndns == 2 && r.dns[1][0] == 8);
	CHECK("NTP server", r.nntp == 1 && r.ntp[0][3] == 5);
	CHECK("lease 3600 s", r.lease_secs == 3600);
	CHECK_STR("hostname", r.hostname, "client1");
	CHECK_STR("domain (trailing NUL dropped)", r.domain, "test");
	CHECK_STR("root-path", r.root_path, "iscsi:192.0.2.1:::1:iqn.x");
	CHECK_STR("filename from option 67", r.filename, "http://boot.test/boot.ipxe");
	CHECK_STR("initiator-iqn from option 203", r.initiator_iqn, "iqn.2026-11.test:client1");

	/* file field used when there is no option 67 */
	reply_start(&m, 1);
	memcpy(m.b + 108, "pxe/boot.efi", 12);
	opt(&m, 53, &t, 1);
	end(&m);
	CHECK("file field parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK_STR("filename from the file field", r.filename, "pxe/boot.efi");

	/* RFC 3396: a long root-path split over two options is concatenated */
	reply_start(&m, 2);
	opt(&m, 53, &t, 1);
	opt(&m, 17, "iscsi:192.0.2.1::", 17);
	opt(&m, 17, ":1:iqn.y", 8);
	end(&m);
	CHECK("split option parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK_STR("split root-path concatenated", r.root_path, "iscsi:192.0.2.1:::1:iqn.y");

	/* overload 3: options continue in file, then sname */
	reply_start(&m, 3);
	opt(&m, 53, &t, 1);
	opt(&m, 52, "\x03", 1);
	end(&m);
	{
		uint8_t *f = m.b + 108, *s = m.b + 44;

		f[0] = 3; f[1] = 4; memcpy(f + 2, "\xc0\x00\x02\x09", 4); f[6] = 12; f[7] = 3;
		memcpy(f + 8, "abc", 3); f[11] = 255;
		s[0] = 15; s[1] = 7; memcpy(s + 2, "example", 7); s[9] = 255;
	}
	CHECK("overloaded offer parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("router from the file field", r.has_router && r.router[3] == 9);
	CHECK_STR("hostname from the file field", r.hostname, "abc");
	CHECK_STR("domain from the sname field", r.domain, "example");
	CHECK_STR("file field not taken as a file name", r.filename, "");
}

static void test_parse_bad(void)
{
	struct msg m;
	struct dhcp_reply r;
	uint8_t t = DHCP_OFFER;
	char big[200];

	reply_start(&m, 4);
	CHECK("short message refused", dhcp_msg_parse(m.b, 100, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	m.b[236] = 98;
	opt(&m, 53, &t, 1);
	end(&m);
	CHECK("bad magic refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	opt(&m, 53, &t, 1);
	m.b[m.len++] = 12;
	m.b[m.len++] = 40;          /* claims 40 bytes, 3 follow */
	memcpy(m.b + m.len, "abc", 3);
	m.len += 3;
	CHECK("truncated option refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);
	CHECK("why names the option", strstr(r.why, "option 12") != NULL);

	reply_start(&m, 4);
	opt(&m, 53, &t, 1);
	m.b[m.len++] = 6;           /* code with no length byte at the end */
	CHECK("missing length byte refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	opt(&m, 53, &t, 1);
	CHECK("missing end marker refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	opt(&m, 1, "\xff\xff\xff", 3);
	opt(&m, 53, &t, 1);
	end(&m);
	CHECK("netmask of 3 bytes refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	opt(&m, 53, &t, 1);
	memset(big, 'a', sizeof(big));
	opt(&m, 12, big, 200);      /* hostname longer than 63 */
	end(&m);
	CHECK("overlong hostname refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);
	CHECK("why says too long", strstr(r.why, "too long") != NULL);

	reply_start(&m, 4);
	opt(&m, 53, &t, 1);
	opt(&m, 17, "ab\0cd", 5);
	end(&m);
	CHECK("NUL inside a string refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	opt(&m, 52, "\x01", 1);
	opt(&m, 53, &t, 1);
	end(&m);
	m.b[108] = 17; m.b[109] = 200;   /* runs past the 128-byte file field */
	CHECK("overloaded option past its field refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	opt(&m, 52, "\x07", 1);
	opt(&m, 53, &t, 1);
	end(&m);
	CHECK("overload value 7 refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	opt(&m, 52, "\x01", 1);
	opt(&m, 53, &t, 1);
	end(&m);
	m.b[108] = 52; m.b[109] = 1; m.b[110] = 2; m.b[111] = 255;
	CHECK("overload inside overload refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);

	reply_start(&m, 4);
	end(&m);
	CHECK("no message type refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD);
}

/* a proxyDHCP offer from 192.0.2.2 (PXE 2.1 §2.2.5): no address, option 60 PXEClient */
static void proxy_start_type(struct msg *m, uint32_t xid, uint8_t t)
{
	reply_start(m, xid);
	memset(m->b + 16, 0, 4);                                      /* yiaddr 0 */
	opt(m, 53, &t, 1);
	opt(m, 54, "\xc0\x00\x02\x02", 4);
	opt(m, 60, "PXEClient", 9);
}

static void proxy_start(struct msg *m, uint32_t xid)
{
	proxy_start_type(m, xid, DHCP_OFFER);
}

static void test_pxe_build(void)
{
	struct dhcp_request req;
	uint8_t buf[DHCP_MSG_MAX];
	char vc[40];
	int len, seen43 = 0;

	CHECK("vendor class for arm64 UEFI", dhcp_msg_pxe_vendor_class(11, vc, sizeof(vc)) == 32);
	CHECK_STR("vendor class text (PXE 2.1 §2.2.5)", vc, "PXEClient:Arch:00011:UNDI:003016");
	CHECK("vendor class: too small a buffer", dhcp_msg_pxe_vendor_class(7, vc, 32) == -WB_ETOOBIG);

	memset(&req, 0, sizeof(req));
	req.type = DHCP_REQUEST;
	req.xid = 7;
	memcpy(req.mac, mac, 6);
	memcpy(req.ciaddr, "\xc0\x00\x02\x7b", 4);
	req.has_boot_item = 1;
	req.boot_item_type = 0x8001;
	len = dhcp_msg_build(&req, buf, sizeof(buf));
	CHECK("port-4011 request builds", len >= 300);
	CHECK("ciaddr is our address", !memcmp(buf + 12, "\xc0\x00\x02\x7b", 4));
	CHECK("no broadcast flag once bound", buf[10] == 0 && buf[11] == 0);
	for (int i = 240; i < len && buf[i] != 255; ) {
		if (buf[i] == 0) { i++; continue; }
		if (buf[i] == 43 && buf[i + 1] == 7 &&
		    !memcmp(buf + i + 2, "\x47\x04\x80\x01\x00\x00\xff", 7))
			seen43 = 1;
		CHECK("no option 50/54 in a port-4011 request", buf[i] != 50 && buf[i] != 54);
		i += 2 + buf[i + 1];
	}
	CHECK("option 43: PXE_BOOT_ITEM type 0x8001 layer 0, END", seen43);

	/* option 97: type 0 and the 16 bytes given */
	{
		int seen97 = 0;

		req.has_uuid = 1;
		for (int i = 0; i < 16; i++)
			req.uuid[i] = (uint8_t)(0xa0 + i);
		len = dhcp_msg_build(&req, buf, sizeof(buf));
		for (int i = 240; len > 0 && i < len && buf[i] != 255; ) {
			if (buf[i] == 0) { i++; continue; }
			if (buf[i] == 97 && buf[i + 1] == 17 && buf[i + 2] == 0 && buf[i + 3] == 0xa0 &&
			    buf[i + 18] == 0xaf)
				seen97 = 1;
			i += 2 + buf[i + 1];
		}
		CHECK("option 97: type 0 + UUID (RFC 4578 §2.3)", seen97);
	}
}

static void test_pxe_parse(void)
{
	struct msg m;
	struct dhcp_reply r;
	uint8_t server[4];
	uint16_t item = 0;
	/* discovery control 3; boot servers: 0x8000 at .2, 0x8001 at .9 and .10; menu
	 * 0x8001 "one", 0x8000 "two"; prompt; END */
	static const uint8_t pxe43[] = {
		6, 1, 3,
		8, 18, 0x80, 0x00, 1, 192, 0, 2, 2, 0x80, 0x01, 2, 192, 0, 2, 9, 192, 0, 2, 10,
		9, 12, 0x80, 0x01, 3, 'o', 'n', 'e', 0x80, 0x00, 3, 't', 'w', 'o',
		10, 4, 0, 'P', 'X', 'E',
		255,
	};

	/* dnsmasq's offer to a UEFI client: nothing but the proxy's identity */
	proxy_start(&m, 9);
	end(&m);
	CHECK("proxy offer parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("is a proxy offer", dhcp_msg_is_proxy_offer(&r));
	CHECK_STR("option 60 kept", r.vendor_class, "PXEClient");
	CHECK("no file, no menu: ask the proxy on port 4011",
	      dhcp_msg_pxe_next(&r, 0, &item, server) == DHCP_PXE_ASK_PROXY &&
	      !memcmp(server, "\xc0\x00\x02\x02", 4));
	CHECK("the same from port 4011: nothing more to ask",
	      dhcp_msg_pxe_next(&r, 1, &item, server) == DHCP_PXE_NOTHING);

	/* a file and no menu: boot it */
	proxy_start(&m, 9);
	memcpy(m.b + 108, "wireboot/boot.ipxe", 18);
	end(&m);
	CHECK("proxy offer with a file parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("file, no menu: done", dhcp_msg_pxe_next(&r, 0, &item, server) == DHCP_PXE_DONE);

	/* an offer with an address is an ordinary one, whatever its option 60 */
	proxy_start(&m, 9);
	memcpy(m.b + 16, "\xc0\x00\x02\x7b", 4);
	end(&m);
	CHECK("PXEClient offer with an address parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("PXEClient offer with an address is not a proxy offer", !dhcp_msg_is_proxy_offer(&r));
	CHECK("... but says its server does PXE", dhcp_msg_is_pxe(&r));
	/* ... so is one without a server identifier, or an ACK, or another option 60 */
	reply_start(&m, 9);
	memset(m.b + 16, 0, 4);
	opt(&m, 53, "\x02", 1);
	opt(&m, 60, "PXEClient", 9);
	end(&m);
	CHECK("no option 54 parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("no option 54: not a proxy offer", !dhcp_msg_is_proxy_offer(&r));
	reply_start(&m, 9);
	memset(m.b + 16, 0, 4);
	opt(&m, 53, "\x02", 1);
	opt(&m, 54, "\xc0\x00\x02\x02", 4);
	opt(&m, 60, "wireboot", 8);
	opt(&m, 43, pxe43, sizeof(pxe43));
	end(&m);
	CHECK("other option 60 parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("other option 60: not a proxy offer", !dhcp_msg_is_proxy_offer(&r));
	CHECK("other option 60: not PXE", !dhcp_msg_is_pxe(&r));
	CHECK("other option 60: option 43 not read as PXE", !r.pxe.present && !r.pxe.nmenu);

	/* the PXE options (split in two option 43s: RFC 3396) */
	proxy_start(&m, 9);
	opt(&m, 43, pxe43, 20);
	opt(&m, 43, pxe43 + 20, sizeof(pxe43) - 20);
	end(&m);
	CHECK("proxy offer with a menu parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("PXE options decoded", r.pxe.present && !r.pxe.bad);
	CHECK("discovery control 3", r.pxe.has_discovery && r.pxe.discovery == 3);
	CHECK("two boot servers", r.pxe.nservers == 2 && r.pxe.server_type[1] == 0x8001 &&
	      r.pxe.server_ip[1][3] == 9);
	CHECK("menu of two, in order", r.pxe.nmenu == 2 && r.pxe.menu_type[0] == 0x8001 &&
	      r.pxe.menu_type[1] == 0x8000);
	CHECK("menu: ask for the first item at its listed server",
	      dhcp_msg_pxe_next(&r, 0, &item, server) == DHCP_PXE_ASK_ITEM && item == 0x8001 &&
	      !memcmp(server, "\xc0\x00\x02\x09", 4));

	/* a menu whose first item has no listed server: the proxy */
	proxy_start(&m, 9);
	opt(&m, 43, "\x09\x05\x80\x07\x02hi\xff", 8);
	end(&m);
	CHECK("menu without servers parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("menu without servers: ask the proxy for the item",
	      dhcp_msg_pxe_next(&r, 0, &item, server) == DHCP_PXE_ASK_ITEM && item == 0x8007 &&
	      !memcmp(server, "\xc0\x00\x02\x02", 4));

	/* first item type 0: local boot */
	proxy_start(&m, 9);
	opt(&m, 43, "\x09\x05\x00\x00\x02hi\xff", 8);
	end(&m);
	CHECK("local-boot menu parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("default item local boot: nothing", dhcp_msg_pxe_next(&r, 0, &item, server) == DHCP_PXE_NOTHING);

	/* a file, a menu and discovery control bit 3: boot the file */
	proxy_start(&m, 9);
	memcpy(m.b + 108, "direct.efi", 10);
	opt(&m, 43, "\x06\x01\x08\x09\x05\x80\x07\x02hi\xff", 11);
	end(&m);
	CHECK("bit 3 offer parses", dhcp_msg_parse(m.b, m.len, &r) == 0);
	CHECK("discovery control bit 3: the file", dhcp_msg_pxe_next(&r, 0, &item, server) == DHCP_PXE_DONE);

	/* a boot server's ACK echoes the item: its file, no second round */
	proxy_start_type(&m, 9, DHCP_ACK);
	memcpy(m.b + 108, "menu.0", 6);
	opt(&m, 43, "\x09\x05\x80\x07\x02hi\x47\x04\x80\x07\x00\x00\xff", 15);
	end(&m);
	CHECK("boot server ACK parses", dhcp_msg_parse(m.b, m.len, &r) == 0 && r.type == DHCP_ACK);
	CHECK("boot item echoed", r.pxe.has_boot_item && r.pxe.boot_item_type == 0x8007 &&
	      r.pxe.boot_item_layer == 0);
	CHECK("boot server ACK: its file", dhcp_msg_pxe_next(&r, 1, &item, server) == DHCP_PXE_DONE);

	/* malformed PXE options: marked, the rest of the reply stands */
	{
		static const struct { const char *name; const char *v; uint8_t len; } bad[] = {
			{ "sub-option past option 43", "\x09\x20\x80\x01", 4 },
			{ "sub-option without a length", "\x06\x01\x03\x09", 4 },
			{ "discovery control of 2 bytes", "\x06\x02\x03\x03", 4 },
			{ "menu item past its sub-option", "\x09\x05\x80\x01\x09hi", 7 },
			{ "boot server list with count 0", "\x08\x03\x80\x01\x00", 5 },
			{ "boot server list short of its addresses", "\x08\x07\x80\x01\x02\xc0\x00\x02\x09", 9 },
			{ "boot item of 3 bytes", "\x47\x03\x80\x01\x00", 5 },
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			proxy_start(&m, 9);
			opt(&m, 43, bad[i].v, bad[i].len);
			end(&m);
			CHECK(bad[i].name, dhcp_msg_parse(m.b, m.len, &r) == 0 && r.pxe.bad &&
			      !r.pxe.present && !r.pxe.nmenu && !r.pxe.nservers && r.pxe_why[0] &&
			      r.has_server_id);
		}
	}
	/* option 43 longer than kept (3 x 255 bytes) is refused like any overlong option */
	{
		uint8_t pad[255];

		memset(pad, 0, sizeof(pad));
		proxy_start(&m, 9);
		opt(&m, 43, pad, 255);
		opt(&m, 43, pad, 255);
		opt(&m, 43, pad, 255);
		end(&m);
		CHECK("overlong option 43 refused", dhcp_msg_parse(m.b, m.len, &r) == -WB_EDHCPBAD &&
		      strstr(r.why, "option 43") != NULL);
	}
}

int main(void)
{
	test_pxe_build();
	test_pxe_parse();
	test_build();
	test_parse_ok();
	test_parse_bad();
	return unit_done();
}
