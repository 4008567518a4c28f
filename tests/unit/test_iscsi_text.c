/* test_iscsi_text.c — key=value text, encodings and negotiation (RFC 7143 §6, §13). */
#define UNIT_NAME "iscsi_text"
#include <stdint.h>

#include "core/err.h"
#include "proto/iscsi_text.h"
#include "unit.h"

static void test_parse(void)
{
	/* a Login Response data segment as a target sends it (two trailing pad NULs) */
	static const char seg[] = "TargetPortalGroupTag=1\0HeaderDigest=None\0"
				  "TargetAlias=disk one\0\0";
	struct iscsi_text_iter it;
	const char *k, *v;
	size_t kl, vl;

	iscsi_text_iter_init(&it, (const uint8_t *)seg, sizeof(seg) - 1);
	CHECK("pair 1", iscsi_text_next(&it, &k, &kl, &v, &vl) == 1 &&
	      iscsi_text_key_is(k, kl, "TargetPortalGroupTag") && !strcmp(v, "1") && vl == 1);
	CHECK("pair 2", iscsi_text_next(&it, &k, &kl, &v, &vl) == 1 &&
	      iscsi_text_key_is(k, kl, "HeaderDigest") && !strcmp(v, "None"));
	CHECK("pair 3 (value with a space)", iscsi_text_next(&it, &k, &kl, &v, &vl) == 1 && !strcmp(v, "disk one"));
	CHECK("end (padding NULs skipped)", iscsi_text_next(&it, &k, &kl, &v, &vl) == 0);

	static const struct { const char *name; const char *data; size_t len; int rc; } bad[] = {
		{ "last pair without NUL", "A=1\0B=2", 7, -WB_EISCSITEXT },
		{ "no '='", "Abc\0", 4, -WB_EISCSITEXT },
		{ "empty key", "=1\0", 3, -WB_EISCSITEXT },
		{ "bad key char", "A b=1\0", 6, -WB_EISCSITEXT },
		{ "control char in value", "A=\x01\0", 4, -WB_EISCSITEXT },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		iscsi_text_iter_init(&it, (const uint8_t *)bad[i].data, bad[i].len);
		int rc;
		while ((rc = iscsi_text_next(&it, &k, &kl, &v, &vl)) == 1)
			;
		CHECK(bad[i].name, rc == bad[i].rc);
	}
	/* limits: 63-byte key fine, 64 too long; 8192-byte value fine, 8193 too long */
	static uint8_t big[9000];
	memset(big, 'K', 63);
	big[63] = '=';
	big[64] = 'v';
	big[65] = 0;
	iscsi_text_iter_init(&it, big, 66);
	CHECK("63-byte key accepted", iscsi_text_next(&it, &k, &kl, &v, &vl) == 1 && kl == 63);
	memset(big, 'K', 64);
	big[64] = '=';
	big[65] = 0;
	iscsi_text_iter_init(&it, big, 66);
	CHECK("64-byte key refused", iscsi_text_next(&it, &k, &kl, &v, &vl) == -WB_EISCSITEXTLONG);
	big[0] = 'A';
	big[1] = '=';
	memset(big + 2, 'v', 8192);
	big[8194] = 0;
	iscsi_text_iter_init(&it, big, 8195);
	CHECK("8192-byte value accepted", iscsi_text_next(&it, &k, &kl, &v, &vl) == 1 && vl == 8192);
	big[8194] = 'v';
	big[8195] = 0;
	iscsi_text_iter_init(&it, big, 8196);
	CHECK("8193-byte value refused", iscsi_text_next(&it, &k, &kl, &v, &vl) == -WB_EISCSITEXTLONG);
}

static void test_numbers(void)
{
	uint64_t v;
	uint8_t b[16];

	CHECK("decimal", iscsi_text_parse_number("262144", &v) == 0 && v == 262144);
	CHECK("zero", iscsi_text_parse_number("0", &v) == 0 && v == 0);
	CHECK("leading zero refused", iscsi_text_parse_number("0100", &v) == -WB_EBADVAL);
	CHECK("hex 0x40000", iscsi_text_parse_number("0x40000", &v) == 0 && v == 0x40000);
	CHECK("hex 0X upper", iscsi_text_parse_number("0XfF", &v) == 0 && v == 255);
	/* base64 of the bytes 04 00 00 is "BAAA" */
	CHECK("base64 0bBAAA = 0x040000", iscsi_text_parse_number("0bBAAA", &v) == 0 && v == 0x040000);
	CHECK("2^64-1 decimal", iscsi_text_parse_number("18446744073709551615", &v) == 0 && v == UINT64_MAX);
	CHECK("2^64 decimal refused", iscsi_text_parse_number("18446744073709551616", &v) == -WB_EBADVAL);
	CHECK("2^64 hex refused", iscsi_text_parse_number("0x10000000000000000", &v) == -WB_EBADVAL);
	CHECK("2^64-1 hex with leading zeros", iscsi_text_parse_number("0x00ffffffffffffffff", &v) == 0 && v == UINT64_MAX);
	CHECK("empty refused", iscsi_text_parse_number("", &v) == -WB_EBADVAL);
	CHECK("sign refused", iscsi_text_parse_number("-1", &v) == -WB_EBADVAL);
	CHECK("bare 0x refused", iscsi_text_parse_number("0x", &v) == -WB_EBADVAL);

	CHECK("binary hex", iscsi_text_decode_binary("0x0a0B", b, sizeof(b)) == 2 && b[0] == 0x0a && b[1] == 0x0b);
	CHECK("binary hex odd digits: implied leading 0", iscsi_text_decode_binary("0xabc", b, sizeof(b)) == 2 &&
	      b[0] == 0x0a && b[1] == 0xbc);
	/* RFC 4648 §10 test vectors: "foobar" = Zm9vYmFy, "fo" = Zm8= , "f" = Zg== */
	CHECK("base64 Zm9vYmFy", iscsi_text_decode_binary("0bZm9vYmFy", b, sizeof(b)) == 6 && !memcmp(b, "foobar", 6));
	CHECK("base64 Zm8=", iscsi_text_decode_binary("0bZm8=", b, sizeof(b)) == 2 && !memcmp(b, "fo", 2));
	CHECK("base64 Zg==", iscsi_text_decode_binary("0BZg==", b, sizeof(b)) == 1 && b[0] == 'f');
	CHECK("base64 without padding refused", iscsi_text_decode_binary("0bZg", b, sizeof(b)) == -WB_EBADVAL);
	CHECK("base64 data after '=' refused", iscsi_text_decode_binary("0bZ=g=", b, sizeof(b)) == -WB_EBADVAL);
	CHECK("base64 bad char refused", iscsi_text_decode_binary("0bZm9v*mFy", b, sizeof(b)) == -WB_EBADVAL);
	CHECK("hex bad char refused", iscsi_text_decode_binary("0x0g", b, sizeof(b)) == -WB_EBADVAL);
	CHECK("binary too big", iscsi_text_decode_binary("0x010203", b, 2) == -WB_ETOOBIG);
	CHECK("base64 too big", iscsi_text_decode_binary("0bZm9vYmFy", b, 5) == -WB_ETOOBIG);
	CHECK("binary without prefix refused", iscsi_text_decode_binary("1234", b, sizeof(b)) == -WB_EBADVAL);

	char hex[16];
	CHECK("encode hex", iscsi_text_encode_hex((const uint8_t *)"\x01\xab\xff", 3, hex, sizeof(hex)) == 8 &&
	      !strcmp(hex, "0x01abff"));
	CHECK("encode hex: room for exactly 3 bytes", iscsi_text_encode_hex((const uint8_t *)"\x01\xab\xff", 3, hex, 9) == 8);
	CHECK("encode hex: too small", iscsi_text_encode_hex((const uint8_t *)"\x01\xab\xff", 3, hex, 8) == -WB_ETOOBIG);
}

static void test_build(void)
{
	uint8_t buf[64];
	struct iscsi_text_buf b;

	iscsi_text_buf_init(&b, buf, sizeof(buf));
	CHECK("add", iscsi_text_add(&b, "HeaderDigest", "CRC32C,None") == 0);
	CHECK("add_uint", iscsi_text_add_uint(&b, "MaxBurstLength", 262144) == 0);
	CHECK("built bytes", b.len == 25 + 22 &&
	      !memcmp(buf, "HeaderDigest=CRC32C,None\0MaxBurstLength=262144\0", 47));
	CHECK("no room: nothing appended", iscsi_text_add(&b, "InitiatorName", "iqn.2026-01.test:x") == -WB_ETOOBIG &&
	      b.len == 47);
	CHECK("bad key refused", iscsi_text_add(&b, "A=B", "1") == -WB_EINVAL);
	CHECK("value with a newline refused", iscsi_text_add(&b, "A", "x\ny") == -WB_EINVAL);
	/* round trip through the parser */
	struct iscsi_text_iter it;
	const char *k, *v;
	size_t kl, vl;
	iscsi_text_iter_init(&it, buf, b.len);
	CHECK("round trip", iscsi_text_next(&it, &k, &kl, &v, &vl) == 1 && !strcmp(v, "CRC32C,None") &&
	      iscsi_text_next(&it, &k, &kl, &v, &vl) == 1 && iscsi_text_key_is(k, kl, "MaxBurstLength") &&
	      iscsi_text_next(&it, &k, &kl, &v, &vl) == 0);
}

static void test_negotiate(void)
{
	static const struct {
		const char *key, *ours, *theirs, *result;
		int rc;
	} t[] = {
		/* §6.2.1 lists: first of the proposer's values we have */
		{ "HeaderDigest", "CRC32C,None", "None,CRC32C", "None", ISCSI_NEG_OK },
		{ "HeaderDigest", "None", "CRC32C,None", "None", ISCSI_NEG_OK },
		{ "DataDigest", "CRC32C", "None", "Reject", ISCSI_NEG_REJECT },
		{ "AuthMethod", "CHAP,None", "KRB5,CHAP", "CHAP", ISCSI_NEG_OK },
		/* Boolean AND (ImmediateData) / OR (InitialR2T) */
		{ "ImmediateData", "Yes", "Yes", "Yes", ISCSI_NEG_OK },
		{ "ImmediateData", "Yes", "No", "No", ISCSI_NEG_OK },
		{ "ImmediateData", "No", "Yes", "No", ISCSI_NEG_OK },
		{ "InitialR2T", "No", "No", "No", ISCSI_NEG_OK },
		{ "InitialR2T", "No", "Yes", "Yes", ISCSI_NEG_OK },
		{ "InitialR2T", "Yes", "No", "Yes", ISCSI_NEG_OK },
		{ "InitialR2T", "No", "yes", "Reject", ISCSI_NEG_REJECT },
		/* numerical minimum / maximum */
		{ "MaxBurstLength", "262144", "1048576", "262144", ISCSI_NEG_OK },
		{ "MaxBurstLength", "262144", "0x10000", "65536", ISCSI_NEG_OK },
		{ "MaxBurstLength", "262144", "511", "Reject", ISCSI_NEG_REJECT },
		{ "MaxBurstLength", "262144", "16777216", "Reject", ISCSI_NEG_REJECT },
		{ "FirstBurstLength", "65536", "262144", "65536", ISCSI_NEG_OK },
		{ "MaxOutstandingR2T", "1", "16", "1", ISCSI_NEG_OK },
		{ "MaxOutstandingR2T", "1", "0", "Reject", ISCSI_NEG_REJECT },
		{ "ErrorRecoveryLevel", "0", "2", "0", ISCSI_NEG_OK },
		{ "ErrorRecoveryLevel", "0", "3", "Reject", ISCSI_NEG_REJECT },
		{ "MaxConnections", "1", "8", "1", ISCSI_NEG_OK },
		{ "DefaultTime2Wait", "2", "5", "5", ISCSI_NEG_OK },
		{ "DefaultTime2Wait", "2", "3601", "Reject", ISCSI_NEG_REJECT },
		{ "DefaultTime2Retain", "20", "0", "0", ISCSI_NEG_OK },
		/* declarative */
		{ "MaxRecvDataSegmentLength", "", "262144", "262144", ISCSI_NEG_DECLARED },
		{ "MaxRecvDataSegmentLength", "", "100", "Reject", ISCSI_NEG_REJECT },
		{ "TargetPortalGroupTag", "", "1", "1", ISCSI_NEG_DECLARED },
		{ "TargetAlias", "", "disk one", "disk one", ISCSI_NEG_DECLARED },
		/* unknown keys, special answers */
		{ "X-com.example.Foo", "", "1", "NotUnderstood", ISCSI_NEG_NOTUNDERSTOOD },
		{ "HeaderDigest", "CRC32C", "Reject", "", ISCSI_NEG_THEY_REJECTED },
		{ "FirstBurstLength", "65536", "Irrelevant", "", ISCSI_NEG_IRRELEVANT },
		{ "OFMarker", "No", "NotUnderstood", "", ISCSI_NEG_THEY_NOTUNDERSTOOD },
	};
	char res[64], name[160];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc = iscsi_negotiate(t[i].key, t[i].ours, t[i].theirs, res, sizeof(res));

		snprintf(name, sizeof(name), "negotiate %s ours=%s theirs=%s -> %s", t[i].key, t[i].ours, t[i].theirs,
			 t[i].result);
		CHECK(name, rc == t[i].rc && !strcmp(res, t[i].result));
	}
	CHECK("result buffer too small", iscsi_negotiate("MaxBurstLength", "262144", "262144", res, 4) == -WB_ETOOBIG);

	/* checking the target's answers to our offers */
	CHECK("check: digest answer from our list", iscsi_negotiate_check("HeaderDigest", "CRC32C,None", "CRC32C") == 0);
	CHECK("check: digest we did not offer", iscsi_negotiate_check("HeaderDigest", "None", "CRC32C") == -WB_EISCSINEG);
	CHECK("check: a list as an answer", iscsi_negotiate_check("HeaderDigest", "CRC32C,None", "CRC32C,None") == -WB_EISCSINEG);
	CHECK("check: ImmediateData Yes after our No", iscsi_negotiate_check("ImmediateData", "No", "Yes") == -WB_EISCSINEG);
	CHECK("check: ImmediateData No after our Yes", iscsi_negotiate_check("ImmediateData", "Yes", "No") == 0);
	CHECK("check: InitialR2T No after our Yes", iscsi_negotiate_check("InitialR2T", "Yes", "No") == -WB_EISCSINEG);
	CHECK("check: MaxBurstLength above our offer", iscsi_negotiate_check("MaxBurstLength", "262144", "1048576") == -WB_EISCSINEG);
	CHECK("check: MaxBurstLength below our offer", iscsi_negotiate_check("MaxBurstLength", "262144", "65536") == 0);
	CHECK("check: MaxBurstLength in hex", iscsi_negotiate_check("MaxBurstLength", "262144", "0x10000") == 0);
	CHECK("check: DefaultTime2Wait below our offer", iscsi_negotiate_check("DefaultTime2Wait", "2", "1") == -WB_EISCSINEG);
	CHECK("check: ErrorRecoveryLevel 1 after our 0", iscsi_negotiate_check("ErrorRecoveryLevel", "0", "1") == -WB_EISCSINEG);
	CHECK("check: they rejected", iscsi_negotiate_check("DataDigest", "CRC32C", "Reject") == ISCSI_NEG_THEY_REJECTED);
	CHECK("check: declarative", iscsi_negotiate_check("MaxRecvDataSegmentLength", "", "8192") == 0);
	CHECK("check: declarative out of range", iscsi_negotiate_check("MaxRecvDataSegmentLength", "", "1") == -WB_EISCSINEG);
}

int main(void)
{
	test_parse();
	test_numbers();
	test_build();
	test_negotiate();
	return unit_done();
}
