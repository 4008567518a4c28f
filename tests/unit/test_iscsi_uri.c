/*
 * test_iscsi_uri.c — proto/iscsi_uri.c: RFC 4173 root paths, defaults,
 * LUN encoding (RFC 4173 §5 examples), bad input.
 */
#include <string.h>

#include "core/err.h"
#include "proto/iscsi_uri.h"

#define UNIT_NAME "iscsi_uri"
#include "unit.h"

#define C(cond) CHECK(#cond, cond)

static void test_defaults(void)
{
	struct iscsi_uri u;
	static const uint8_t zero[8];

	C(iscsi_uri_parse("iscsi:192.0.2.1::::iqn.2026-11.test:disk", &u) == 0);
	C(!strcmp(u.server, "192.0.2.1"));
	C(u.port == 3260);
	C(!memcmp(u.lun, zero, 8));
	C(!strcmp(u.target, "iqn.2026-11.test:disk"));
	C(iscsi_uri_lun_number(u.lun) == 0);
	C(u.server_is_ipv6 == 0);
}

static void test_full(void)
{
	struct iscsi_uri u;

	C(iscsi_uri_parse("ISCSI:san.example:6:3261:1:iqn.2001-04.com.example:storage.disk2.sys1.xyz", &u) == 0);
	C(!strcmp(u.server, "san.example"));
	C(u.port == 3261);
	C(u.lun[0] == 0 && u.lun[1] == 1);
	C(iscsi_uri_lun_number(u.lun) == 1);
	C(!strcmp(u.target, "iqn.2001-04.com.example:storage.disk2.sys1.xyz"));
	C(iscsi_uri_parse("iscsi:192.0.2.1:::1:iqn.2026-11.test:disk", &u) == 0);
	C(iscsi_uri_lun_number(u.lun) == 1 && u.port == 3260);
	C(iscsi_uri_parse("iscsi:[2001:db8::1]::3260:a:eui.02004567A425678D", &u) == 0);
	C(u.server_is_ipv6 && !strcmp(u.server, "2001:db8::1"));
	C(iscsi_uri_lun_number(u.lun) == 10);
	C(!strcmp(u.target, "eui.02004567A425678D"));
}

static void test_lun_forms(void)
{
	struct iscsi_uri u;
	static const uint8_t w1[8] = { 0x47, 0x52, 0x3a, 0x4f, 0x6b, 0x7e, 0x2f, 0x99 };
	static const uint8_t w2[8] = { 0x67, 0x34, 0x00, 0x09, 0x15, 0x6f, 0x01, 0x27 };
	static const uint8_t w3[8] = { 0x41, 0x86, 0x00, 0x09, 0, 0, 0, 0 };

	/* RFC 4173 §5's examples */
	C(iscsi_uri_parse("iscsi:h:::4752-3A4F-6b7e-2F99:t", &u) == 0 && !memcmp(u.lun, w1, 8));
	C(iscsi_uri_parse("iscsi:h:::6734-9-156f-127:t", &u) == 0 && !memcmp(u.lun, w2, 8));
	C(iscsi_uri_parse("iscsi:h:::4186-9:t", &u) == 0 && !memcmp(u.lun, w3, 8));
	C(iscsi_uri_lun_number(u.lun) == -1);
	/* flat addressing */
	C(iscsi_uri_parse("iscsi:h:::4123:t", &u) == 0 && iscsi_uri_lun_number(u.lun) == 0x123);
	C(iscsi_uri_parse("iscsi:h:::1-2-3-4-5:t", &u) == -WB_EISCSIURILUN);
	C(iscsi_uri_parse("iscsi:h:::12345:t", &u) == -WB_EISCSIURILUN);
	C(iscsi_uri_parse("iscsi:h:::1-:t", &u) == -WB_EISCSIURILUN);
	C(iscsi_uri_parse("iscsi:h:::-1:t", &u) == -WB_EISCSIURILUN);
	C(iscsi_uri_parse("iscsi:h:::g:t", &u) == -WB_EISCSIURILUN);
}

static void test_bad(void)
{
	struct iscsi_uri u;
	char big[400];

	C(iscsi_uri_parse("http://x/", &u) == -WB_EISCSIURI);
	C(iscsi_uri_parse("iscsi:", &u) == -WB_EISCSIURI);
	C(iscsi_uri_parse("iscsi::::0:t", &u) == -WB_EISCSIURI);
	C(iscsi_uri_parse("iscsi:h:::0", &u) == -WB_EISCSIURI);
	C(iscsi_uri_parse("iscsi:h::::", &u) == -WB_EISCSIURITARGET);
	C(iscsi_uri_parse("iscsi:h:17:::t", &u) == -WB_EISCSIURIPROTO);
	C(iscsi_uri_parse("iscsi:h::0::t", &u) == -WB_EISCSIURIPORT);
	C(iscsi_uri_parse("iscsi:h::65536::t", &u) == -WB_EISCSIURIPORT);
	C(iscsi_uri_parse("iscsi:h::32a::t", &u) == -WB_EISCSIURIPORT);
	C(iscsi_uri_parse("iscsi:h::03260::t", &u) == -WB_EISCSIURIPORT);
	C(iscsi_uri_parse("iscsi:h::::bad name", &u) == -WB_EISCSIURITARGET);
	C(iscsi_uri_parse("iscsi:[2001:db8::1::::t", &u) == -WB_EISCSIURI);
	C(iscsi_uri_parse("iscsi:[zz]::::t", &u) == -WB_EISCSIURI);
	memset(big, 'a', sizeof(big));
	memcpy(big, "iscsi:h::::", 11);
	big[11 + 224] = '\0';
	C(iscsi_uri_parse(big, &u) == -WB_EISCSIURITARGET);
	big[11 + 223] = '\0';
	C(iscsi_uri_parse(big, &u) == 0 && strlen(u.target) == 223);
	C(iscsi_uri_parse(NULL, &u) == -WB_EISCSIURI);
}

int main(void)
{
	test_defaults();
	test_full();
	test_lun_forms();
	test_bad();
	return unit_done();
}
