/*
 * test_ibft.c — the iSCSI Boot Firmware Table builder and parser (san/ibft.h).
 *
 * The layout is checked by reading the built bytes at the offsets of the
 * iBFT specification 1.03 (§3.3–§3.7) directly, not through ibft_parse(),
 * so a mistake shared by builder and parser still fails; then build → parse
 * round trips, and negative cases for every check ibft_parse() makes.
 */
#define UNIT_NAME "ibft"
#include "unit.h"

#include <stdint.h>

#include "core/err.h"
#include "san/ibft.h"

static uint16_t g16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t g32(const uint8_t *p) { return (uint32_t)g16(p) | (uint32_t)g16(p + 2) << 16; }
static void p16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

static void fix_sum(uint8_t *t, size_t len)
{
	uint8_t s = 0;

	t[9] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + t[i]);
	t[9] = (uint8_t)(0u - s);
}

static int sum_zero(const uint8_t *t, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + t[i]);
	return s == 0;
}

/* Is the (length, offset) pair at @field the string @want, NUL-terminated, inside @len? */
static int str_at(const uint8_t *t, size_t len, const uint8_t *field, const char *want)
{
	uint16_t n = g16(field), off = g16(field + 2);

	if (!want)
		return n == 0 && off == 0;
	return n == strlen(want) && off >= 48 && (size_t)off + n + 1 <= len && t[off + n] == 0 &&
	       !memcmp(t + off, want, n);
}

static int mapped(const uint8_t *p, const uint8_t ip[4])
{
	static const uint8_t pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return !memcmp(p, pre, 12) && !memcmp(p + 12, ip, 4);
}

static struct ibft_desc sample(void)
{
	struct ibft_desc d;
	static const uint8_t lun[8] = { 0x00, 0x01, 0, 0, 0, 0, 0, 0 };

	memset(&d, 0, sizeof(d));
	d.initiator = "iqn.2026-11.io.wireboot:mac-525400123456";
	memcpy(d.ip, (uint8_t[]){ 192, 0, 2, 100 }, 4);
	d.prefix = 24;
	memcpy(d.gateway, (uint8_t[]){ 192, 0, 2, 1 }, 4);
	memcpy(d.dns[0], (uint8_t[]){ 192, 0, 2, 1 }, 4);
	memcpy(d.dhcp, (uint8_t[]){ 192, 0, 2, 1 }, 4);
	d.origin = IBFT_ORIGIN_DHCP;
	d.vlan = 10;
	memcpy(d.mac, (uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, 6);
	d.pci_bdf = 0 << 8 | 3 << 3 | 0;
	memcpy(d.target_ip, (uint8_t[]){ 192, 0, 2, 1 }, 4);
	d.target_port = 3260;
	memcpy(d.lun, lun, 8);
	d.target_name = "iqn.2026-11.test.wireboot:disk";
	d.chap_type = IBFT_CHAP_MUTUAL;
	d.chap_name = "wbinit";
	d.chap_secret = "init-secret-2026";
	d.rchap_name = "wbtarget";
	d.rchap_secret = "target-secret-26";
	return d;
}

static void test_layout(void)
{
	struct ibft_desc d = sample();
	uint8_t t[1024], *c, *ini, *nic, *tgt;
	size_t len = 0, heap;
	int rc = ibft_build(&d, t, sizeof(t), &len);

	CHECK("build ok", rc == 0);
	CHECK("size = ibft_size", len == ibft_size(&d) && len > 312);
	CHECK("total length is a multiple of 8", len % 8 == 0);
	CHECK("ACPI signature iBFT", !memcmp(t, "iBFT", 4));
	CHECK("ACPI length = table length", g32(t + 4) == len);
	CHECK("revision 1", t[8] == 1);
	CHECK("checksum: bytes sum to 0", sum_zero(t, len));
	CHECK("OEM ID and table ID set (printable)", t[10] >= 0x20 && t[16] >= 0x20);
	CHECK("12 reserved bytes after the ACPI header are 0",
	      !memcmp(t + 36, (uint8_t[12]){ 0 }, 12));

	c = t + 48;
	CHECK("control at 48: id 1, version 1, length 18, index 0", c[0] == 1 && c[1] == 1 && g16(c + 2) == 18 && c[4] == 0);
	CHECK("control: no second NIC/target", g16(c + 14) == 0 && g16(c + 16) == 0);
	CHECK("control offsets 8-byte aligned and non-zero",
	      g16(c + 8) && g16(c + 10) && g16(c + 12) && !(g16(c + 8) % 8) && !(g16(c + 10) % 8) &&
		      !(g16(c + 12) % 8));
	ini = t + g16(c + 8);
	nic = t + g16(c + 10);
	tgt = t + g16(c + 12);
	CHECK("structures do not overlap (control < initiator < NIC < target)",
	      48 + 18 <= g16(c + 8) && g16(c + 8) + 74 <= g16(c + 10) && g16(c + 10) + 102 <= g16(c + 12) &&
		      g16(c + 12) + 54u <= len);
	CHECK("initiator: id 2, version 1, length 74, valid + boot selected",
	      ini[0] == 2 && ini[1] == 1 && g16(ini + 2) == 74 && ini[5] == 3);
	CHECK("initiator: iSNS/SLP/RADIUS servers all zero", !memcmp(ini + 6, (uint8_t[64]){ 0 }, 64));
	CHECK("initiator name (70/72)", str_at(t, len, ini + 70, d.initiator));
	CHECK("NIC: id 3, version 1, length 102, valid + boot + global",
	      nic[0] == 3 && nic[1] == 1 && g16(nic + 2) == 102 && nic[5] == 7);
	CHECK("NIC: IP is ::ffff:192.0.2.100", mapped(nic + 6, d.ip));
	CHECK("NIC: prefix 24, origin DHCP (3)", nic[22] == 24 && nic[23] == 3);
	CHECK("NIC: gateway, primary DNS, DHCP server IPv4-mapped",
	      mapped(nic + 24, d.gateway) && mapped(nic + 40, d.dns[0]) && mapped(nic + 72, d.dhcp));
	CHECK("NIC: absent secondary DNS is all zeros", !memcmp(nic + 56, (uint8_t[16]){ 0 }, 16));
	CHECK("NIC: VLAN 10, MAC, PCI BDF 00:03.0",
	      g16(nic + 88) == 10 && !memcmp(nic + 90, d.mac, 6) && g16(nic + 96) == 0x18);
	CHECK("NIC: no host name (0, 0)", str_at(t, len, nic + 98, NULL));
	CHECK("target: id 4, version 1, length 54, valid + boot selected",
	      tgt[0] == 4 && tgt[1] == 1 && g16(tgt + 2) == 54 && tgt[5] == 3);
	CHECK("target: IP ::ffff:192.0.2.1, port 3260", mapped(tgt + 6, d.target_ip) && g16(tgt + 22) == 3260);
	CHECK("target: LUN as given", !memcmp(tgt + 24, d.lun, 8));
	CHECK("target: CHAP type 2 (mutual), NIC 0", tgt[32] == 2 && tgt[33] == 0);
	CHECK("target name (34/36)", str_at(t, len, tgt + 34, d.target_name));
	CHECK("CHAP name and secret (38..44)",
	      str_at(t, len, tgt + 38, d.chap_name) && str_at(t, len, tgt + 42, d.chap_secret));
	CHECK("reverse CHAP name and secret (46..52)",
	      str_at(t, len, tgt + 46, d.rchap_name) && str_at(t, len, tgt + 50, d.rchap_secret));
	/* the heap follows the structures */
	heap = g16(ini + 72);
	CHECK("strings live after the last structure", heap >= (size_t)(tgt - t) + 54);
	memset(t, 0, sizeof(t));
}

static void test_roundtrip(void)
{
	struct ibft_desc d = sample();
	struct ibft_info in;
	uint8_t t[1024], ip[4];
	size_t len = 0;
	int rc;

	rc = ibft_build(&d, t, sizeof(t), &len);
	CHECK("roundtrip: built", rc == 0);
	rc = ibft_parse(t, len, &in);
	CHECK("roundtrip: parses", rc == 0);
	CHECK("roundtrip: all three structures", in.has_initiator && in.has_nic && in.has_target);
	CHECK("roundtrip: length", in.length == len);
	CHECK_STR("roundtrip: initiator", in.initiator.s, d.initiator);
	CHECK_STR("roundtrip: target name", in.target_name.s, d.target_name);
	CHECK_STR("roundtrip: CHAP name", in.chap_name.s, d.chap_name);
	CHECK_STR("roundtrip: CHAP secret", in.chap_secret.s, d.chap_secret);
	CHECK_STR("roundtrip: reverse CHAP name", in.rchap_name.s, d.rchap_name);
	CHECK_STR("roundtrip: reverse CHAP secret", in.rchap_secret.s, d.rchap_secret);
	CHECK("roundtrip: no host name", in.hostname.s == NULL && in.hostname.len == 0);
	CHECK("roundtrip: NIC IPv4-mapped", ibft_ipv4(in.ip, ip) && !memcmp(ip, d.ip, 4));
	CHECK("roundtrip: target IPv4-mapped", ibft_ipv4(in.target_ip, ip) && !memcmp(ip, d.target_ip, 4));
	CHECK("roundtrip: secondary DNS absent (not mapped)", !ibft_ipv4(in.dns[1], ip));
	CHECK("roundtrip: port, LUN, CHAP type", in.target_port == 3260 && !memcmp(in.lun, d.lun, 8) &&
						       in.chap_type == IBFT_CHAP_MUTUAL);
	CHECK("roundtrip: prefix, origin, vlan, mac, bdf",
	      in.prefix == 24 && in.origin == IBFT_ORIGIN_DHCP && in.vlan == 10 &&
		      !memcmp(in.mac, d.mac, 6) && in.pci_bdf == 0x18);
	CHECK("roundtrip: flags", in.initiator_flags == 3 && in.nic_flags == 7 && in.target_flags == 3);

	/* one-way CHAP: no reverse strings; no CHAP: no strings at all */
	d.chap_type = IBFT_CHAP_ONEWAY;
	rc = ibft_build(&d, t, sizeof(t), &len) || ibft_parse(t, len, &in);
	CHECK("one-way: reverse CHAP not written even when given",
	      !rc && in.chap_type == 1 && in.chap_secret.s && !in.rchap_name.s && !in.rchap_secret.s);
	d.chap_type = IBFT_CHAP_NONE;
	rc = ibft_build(&d, t, sizeof(t), &len) || ibft_parse(t, len, &in);
	CHECK("no CHAP: no CHAP strings", !rc && in.chap_type == 0 && !in.chap_name.s && !in.chap_secret.s);
	d.hostname = "client1";
	rc = ibft_build(&d, t, sizeof(t), &len) || ibft_parse(t, len, &in);
	CHECK_STR("host name round trip", !rc ? in.hostname.s : NULL, "client1");
	/* static, link-local address: origin manual, not global */
	d.origin = IBFT_ORIGIN_MANUAL;
	memcpy(d.ip, (uint8_t[]){ 169, 254, 1, 2 }, 4);
	rc = ibft_build(&d, t, sizeof(t), &len) || ibft_parse(t, len, &in);
	CHECK("link-local: NIC not flagged global, origin manual",
	      !rc && in.nic_flags == 3 && in.origin == IBFT_ORIGIN_MANUAL);
	memset(t, 0, sizeof(t));
}

static void test_build_errors(void)
{
	struct ibft_desc d = sample();
	uint8_t t[1024];
	char big[300];
	size_t len = 1;

	CHECK("buffer one byte short: ETOOBIG",
	      ibft_build(&d, t, ibft_size(&d) - 1, &len) == -WB_ETOOBIG && len == 0);
	d.initiator = "";
	CHECK("no initiator name: EINVAL", ibft_size(&d) == 0 && ibft_build(&d, t, sizeof(t), &len) == -WB_EINVAL);
	d = sample();
	d.target_name = NULL;
	CHECK("no target name: EINVAL", ibft_build(&d, t, sizeof(t), &len) == -WB_EINVAL);
	d = sample();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	d.chap_secret = big;
	CHECK("string over 255 bytes: EINVAL", ibft_build(&d, t, sizeof(t), &len) == -WB_EINVAL);
	d = sample();
	d.prefix = 33;
	CHECK("prefix 33: EINVAL", ibft_build(&d, t, sizeof(t), &len) == -WB_EINVAL);
	d = sample();
	d.chap_type = 3;
	CHECK("CHAP type 3: EINVAL", ibft_build(&d, t, sizeof(t), &len) == -WB_EINVAL);
}

static void test_parse_errors(void)
{
	struct ibft_desc d = sample();
	struct ibft_info in;
	uint8_t good[1024], t[1024];
	size_t len = 0;
	uint16_t tgt, name_off;

	ibft_build(&d, good, sizeof(good), &len);
	tgt = g16(good + 48 + 12);
	name_off = g16(good + tgt + 36);

#define MUTATE(what, expr, want)                                        \
	do {                                                            \
		memcpy(t, good, len);                                   \
		expr;                                                   \
		CHECK(what, ibft_parse(t, len, &in) == (want));         \
	} while (0)
#define MUTATE_SUM(what, expr, want) MUTATE(what, (expr); fix_sum(t, len), want)

	MUTATE("checksum off by one", t[9]++, -WB_EIBFTHDR);
	MUTATE_SUM("signature IBFT (we write and read iBFT only)", t[0] = 'I', -WB_EIBFTHDR);
	MUTATE_SUM("revision 2", t[8] = 2, -WB_EIBFTHDR);
	MUTATE_SUM("header length beyond the buffer", p16(t + 4, (uint32_t)len + 8), -WB_EIBFTHDR);
	MUTATE_SUM("header length below 48", p16(t + 4, 40), -WB_EIBFTHDR);
	CHECK("buffer shorter than 48", ibft_parse(good, 47, &in) == -WB_EIBFTHDR);
	CHECK("truncated table (length says more)", ibft_parse(good, len - 8, &in) == -WB_EIBFTHDR);
	MUTATE_SUM("control id 2", t[48] = 2, -WB_EIBFTSTRUCT);
	MUTATE_SUM("control version 0", t[49] = 0, -WB_EIBFTSTRUCT);
	MUTATE_SUM("control length 16", p16(t + 50, 16), -WB_EIBFTSTRUCT);
	MUTATE_SUM("initiator offset misaligned", p16(t + 48 + 8, g16(good + 48 + 8) + 4u), -WB_EIBFTSTRUCT);
	MUTATE_SUM("NIC offset beyond the table", p16(t + 48 + 10, (uint32_t)len), -WB_EIBFTSTRUCT);
	MUTATE_SUM("NIC offset pointing at the target", p16(t + 48 + 10, tgt), -WB_EIBFTSTRUCT);
	MUTATE_SUM("target length 53", p16(t + tgt + 2, 53), -WB_EIBFTSTRUCT);
	MUTATE_SUM("target length past the end", p16(t + tgt + 2, (uint32_t)len), -WB_EIBFTSTRUCT);
	MUTATE_SUM("target offset inside the ACPI header", p16(t + 48 + 12, 8), -WB_EIBFTSTRUCT);
	MUTATE_SUM("target name not NUL-terminated",
		   t[name_off + g16(good + tgt + 34)] = 'x', -WB_EIBFTSTR);
	MUTATE_SUM("target name with an embedded NUL", t[name_off + 3] = 0, -WB_EIBFTSTR);
	MUTATE_SUM("target name offset beyond the table", p16(t + tgt + 36, (uint32_t)len - 2), -WB_EIBFTSTR);
	MUTATE_SUM("target name offset inside the header", p16(t + tgt + 36, 4), -WB_EIBFTSTR);
	MUTATE_SUM("CHAP secret length 0xffff", p16(t + tgt + 42, 0xffff), -WB_EIBFTSTR);
	MUTATE_SUM("empty host name pointing at a NUL in the heap is fine",
		   p16(t + g16(good + 48 + 10) + 100, (uint32_t)len - 1), 0);
	MUTATE_SUM("empty host name pointing into the header", p16(t + g16(good + 48 + 10) + 100, 9),
		   -WB_EIBFTSTR);
	MUTATE_SUM("absent NIC (offset 0) is fine", p16(t + 48 + 10, 0), 0);
	MUTATE_SUM("control with a second pair pointing at garbage",
		   (p16(t + 50, 22), p16(t + 48 + 18, tgt + 8u)), -WB_EIBFTSTRUCT);
	CHECK("good table still parses", ibft_parse(good, len, &in) == 0);
	memset(good, 0, sizeof(good));
	memset(t, 0, sizeof(t));
#undef MUTATE_SUM
#undef MUTATE
}

static void test_ipv4(void)
{
	uint8_t ip16[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3 }, ip[4];

	CHECK("::ffff:10.1.2.3 is IPv4", ibft_ipv4(ip16, ip) && ip[0] == 10 && ip[3] == 3);
	ip16[10] = 0;
	CHECK("::10.1.2.3 (compatible, not mapped) is not", !ibft_ipv4(ip16, ip));
}

/*
 * ibft_publish(): the table reaches the installer whole (secrets and all), and
 * the buffer that held it is all zeros when it is freed, on the success path
 * and when the installer fails (SECURITY.md: "wireboot's own copy of the table
 * is wiped").  The free hook sees the buffer just before plat_free() frees it.
 */
static struct {
	const uint8_t *table;   /* what install() was given */
	size_t cap;             /* the buffer's size: ibft_size() */
	int rc;                 /* what install() returns */
	int has_secrets;        /* the table given held both CHAP secrets */
	int seen;               /* the free hook saw that buffer */
	int wiped;              /* ... all zeros */
} pub;

static int mem_has(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(p + i, s, k))
			return 1;
	return 0;
}

static int pub_install(void *arg, const uint8_t *table, size_t len)
{
	(void)arg;
	pub.table = table;
	pub.has_secrets = mem_has(table, len, "init-secret-2026") && mem_has(table, len, "target-secret-26");
	return pub.rc;
}

static void pub_free(void *p)
{
	size_t i;

	if (!pub.table || p != pub.table)
		return;
	pub.seen = 1;
	for (i = 0; i < pub.cap && pub.table[i] == 0; i++)
		;
	pub.wiped = i == pub.cap;
}

static void test_publish_wipes(void)
{
	struct ibft_desc d = sample();
	long live = host_live_allocs();
	size_t len = 99;
	int rc;

	for (int fail = 0; fail < 2; fail++) {
		memset(&pub, 0, sizeof(pub));
		pub.cap = ibft_size(&d);
		pub.rc = fail ? -WB_EIBFTINSTALL : 0;
		host_free_hook(pub_free);
		rc = ibft_publish(&d, pub_install, NULL, &len);
		host_free_hook(NULL);
		CHECK(fail ? "publish: the installer's error is returned" : "publish: installed",
		      rc == pub.rc && len == pub.cap);
		CHECK(fail ? "publish (installer failed): the table held the CHAP secrets"
			   : "publish: the table handed on holds the CHAP secrets", pub.has_secrets);
		CHECK(fail ? "publish (installer failed): our copy is wiped before it is freed"
			   : "publish: our copy is wiped before it is freed", pub.seen && pub.wiped);
		CHECK("publish: nothing left allocated", host_live_allocs() == live);
	}
	host_fail_alloc(1);
	rc = ibft_publish(&d, pub_install, NULL, &len);
	host_fail_alloc(0);
	CHECK("publish: out of memory -> -WB_ENOMEM", rc == -WB_ENOMEM && len == 0);
	d.initiator = NULL;
	CHECK("publish: an undescribable disk -> -WB_EINVAL", ibft_publish(&d, pub_install, NULL, &len) == -WB_EINVAL);
}

int main(void)
{
	test_publish_wipes();
	test_layout();
	test_roundtrip();
	test_build_errors();
	test_parse_errors();
	test_ipv4();
	return unit_done();
}
