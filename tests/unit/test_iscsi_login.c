/*
 * test_iscsi_login.c — proto/iscsi_login.c driven by a scripted target:
 * CHAP digests against vectors computed independently (Python hashlib),
 * AuthMethod=None, one-way and mutual CHAP, every refusal (no credentials,
 * wrong response each way, reflection, algorithm not offered, target not
 * proving itself), login statuses (redirect, not found, auth failure),
 * operational negotiation (digests, answers outside the offer), TSIH,
 * ISID format, C-bit reassembly.
 */
#include <string.h>

#include "core/err.h"
#include "proto/chap.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"
#include "proto/iscsi_text.h"

#define UNIT_NAME "iscsi_login"
#include "unit.h"

/* deterministic "randomness" for the tests (the real one is a DRBG) */
static int test_rng(void *arg, void *buf, size_t len)
{
	uint8_t *seed = arg, *b = buf;

	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(*seed += 37);
	return 0;
}

static uint8_t out[16384];
static size_t out_len;
static uint8_t rsp_data[4096];

/* the request just built: BHS fields and the value of KEY in its text */
static int req_bhs(struct iscsi_bhs *h)
{
	return iscsi_bhs_decode(out, 1 << 20, h);
}

static const char *req_key(const char *name)
{
	static char val[1024];
	struct iscsi_text_iter it;
	const char *k, *v;
	size_t kl, vl;
	struct iscsi_bhs h;

	if (req_bhs(&h))
		return NULL;
	iscsi_text_iter_init(&it, out + ISCSI_BHS_LEN, h.data_len);
	while (iscsi_text_next(&it, &k, &kl, &v, &vl) == 1)
		if (iscsi_text_key_is(k, kl, name) && vl < sizeof(val)) {
			memcpy(val, v, vl + 1);
			return val;
		}
	return NULL;
}

/* a Login Response answering the last request; text "k=v|k=v" ('|' = NUL) */
static int respond(struct iscsi_login *l, int transit, int csg, int nsg, uint8_t sclass, uint8_t sdetail,
		   uint16_t tsih, const char *text)
{
	struct iscsi_pdu p;
	struct iscsi_bhs rq;
	size_t n = text ? strlen(text) : 0;

	req_bhs(&rq);
	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_LOGIN_RSP;
	p.bhs.flags = (uint8_t)((transit ? ISCSI_LOGIN_TRANSIT : 0) | ISCSI_LOGIN_STAGES(csg, nsg));
	memcpy(p.bhs.isid, rq.isid, 6);
	p.bhs.tsih = tsih;
	p.bhs.itt = rq.itt;
	p.bhs.statsn = 100;
	p.bhs.expcmdsn = rq.cmdsn;
	p.bhs.maxcmdsn = rq.cmdsn + 8;
	p.bhs.status_class = sclass;
	p.bhs.status_detail = sdetail;
	for (size_t i = 0; i < n; i++)
		rsp_data[i] = text[i] == '|' ? 0 : (uint8_t)text[i];
	p.bhs.data_len = (uint32_t)n;
	p.data = n ? rsp_data : NULL;
	return iscsi_login_step(l, &p, out, sizeof(out), &out_len);
}

static uint8_t seed;

static void cfg_init(struct iscsi_login_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->initiator = "iqn.2026-11.test:init";
	c->target = "iqn.2026-11.test:disk";
	c->rng = test_rng;
	c->rng_arg = &seed;
	c->cmdsn = 7;
}

static int start(struct iscsi_login *l, const struct iscsi_login_cfg *c)
{
	if (iscsi_login_init(l, c))
		return -1;
	return iscsi_login_step(l, NULL, out, sizeof(out), &out_len);
}

#define OP_ANSWER "HeaderDigest=None|DataDigest=None|MaxRecvDataSegmentLength=262144|MaxBurstLength=262144|" \
	"FirstBurstLength=65536|ImmediateData=No|InitialR2T=Yes|MaxOutstandingR2T=1|ErrorRecoveryLevel=0|" \
	"MaxConnections=1|DataPDUInOrder=Yes|DataSequenceInOrder=Yes|DefaultTime2Wait=2|DefaultTime2Retain=0|" \
	"IFMarker=No|OFMarker=No|"

static void test_chap_vectors(void)
{
	static const uint8_t chal[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static const uint8_t md5[16] = { 0x56, 0x8b, 0x3f, 0x15, 0x39, 0x27, 0xfa, 0xbc, 0x59, 0x04, 0x03, 0x7b, 0x7f, 0xda, 0x2d, 0xd7 };
	static const uint8_t sha1[20] = { 0x88, 0xff, 0xb1, 0xac, 0x17, 0x01, 0x84, 0x3b, 0x33, 0x2c, 0x20, 0xd7, 0x30, 0x57, 0xfb, 0x59, 0x06, 0x19, 0x87, 0x72 };
	static const uint8_t sha256[32] = { 0x4b, 0x15, 0x9f, 0xdb, 0x69, 0xde, 0xbe, 0x4f, 0xd8, 0xe0, 0xcb, 0x5d, 0x2f, 0xa3, 0x2f, 0xdd,
					    0x70, 0x61, 0x34, 0x60, 0xb0, 0xa0, 0x9c, 0xd8, 0xc6, 0x7d, 0x3d, 0xfb, 0x74, 0xff, 0x39, 0x27 };
	const uint8_t *sec = (const uint8_t *)"initsecret-0123";
	uint8_t r[32];

	CHECK("CHAP MD5 vector", chap_response(5, 0x2a, sec, 15, chal, 16, r) == 16 && !memcmp(r, md5, 16));
	CHECK("CHAP SHA-1 vector", chap_response(6, 0x2a, sec, 15, chal, 16, r) == 20 && !memcmp(r, sha1, 20));
	CHECK("CHAP SHA-256 vector", chap_response(7, 0x2a, sec, 15, chal, 16, r) == 32 && !memcmp(r, sha256, 32));
	CHECK("CHAP unknown algorithm refused", chap_response(4, 0x2a, sec, 15, chal, 16, r) == -WB_ECHAPALG);
}

static void test_none(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;
	struct iscsi_bhs h;
	int rc;

	cfg_init(&c);
	CHECK("none: first request built", start(&l, &c) == ISCSI_LOGIN_SEND);
	req_bhs(&h);
	CHECK("none: first request is an immediate Login in the security stage, T=0",
	      h.opcode == ISCSI_OP_LOGIN_REQ && h.immediate && !(h.flags & ISCSI_LOGIN_TRANSIT) &&
	      ISCSI_LOGIN_CSG(h.flags) == 0 && h.tsih == 0 && h.cmdsn == 7);
	CHECK("none: ISID is the random format (type 10b)", h.isid[0] == 0x80);
	CHECK_STR("none: AuthMethod offered", req_key("AuthMethod"), "CHAP,None");
	CHECK_STR("none: InitiatorName", req_key("InitiatorName"), "iqn.2026-11.test:init");
	CHECK_STR("none: TargetName", req_key("TargetName"), "iqn.2026-11.test:disk");
	CHECK_STR("none: SessionType", req_key("SessionType"), "Normal");
	rc = respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=None|");
	CHECK("none: target transits, we send the operational offer", rc == ISCSI_LOGIN_SEND);
	req_bhs(&h);
	CHECK("none: offer in stage 1 towards 3 with T=1", (h.flags & ISCSI_LOGIN_TRANSIT) &&
	      ISCSI_LOGIN_CSG(h.flags) == 1 && ISCSI_LOGIN_NSG(h.flags) == 3 && h.expstatsn == 101);
	CHECK_STR("none: HeaderDigest None", req_key("HeaderDigest"), "None");
	CHECK_STR("none: ErrorRecoveryLevel 0", req_key("ErrorRecoveryLevel"), "0");
	CHECK_STR("none: MaxRecvDataSegmentLength default", req_key("MaxRecvDataSegmentLength"), "8192");
	rc = respond(&l, 1, 1, 3, 0, 0, 0x1234, OP_ANSWER);
	CHECK("none: login done", rc == ISCSI_LOGIN_DONE);
	CHECK("none: TSIH kept", l.tsih == 0x1234);
	CHECK("none: target's MaxRecvDataSegmentLength recorded", l.params.max_send_dsl == 262144);
	CHECK("none: TargetPortalGroupTag recorded", l.params.have_tpgt && l.params.tpgt == 1);
	CHECK("none: no CHAP", l.params.chap_alg == 0 && !l.params.mutual);
}

static void test_first_needs_tpgt(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;

	cfg_init(&c);
	start(&l, &c);
	CHECK("tpgt: first response without TargetPortalGroupTag refused",
	      respond(&l, 1, 0, 1, 0, 0, 0, "AuthMethod=None|") == -WB_EISCSIPROTO);
}

/* run the security stage up to our CHAP response; returns the step result */
static int to_chap_r(struct iscsi_login *l, struct iscsi_login_cfg *c, const char *chap_a, const char *chal)
{
	char text[512];
	int rc = start(l, c);

	if (rc != ISCSI_LOGIN_SEND)
		return rc;
	rc = respond(l, 0, 0, 0, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|");
	if (rc != ISCSI_LOGIN_SEND)
		return rc;
	strcpy(text, "CHAP_A=");
	strcat(text, chap_a);
	strcat(text, "|CHAP_I=42|CHAP_C=");
	strcat(text, chal);
	strcat(text, "|");
	return respond(l, 0, 0, 0, 0, 0, 0, text);
}

static void test_oneway(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;
	struct iscsi_bhs h;
	int rc;

	cfg_init(&c);
	c.user = "wbinit";
	c.secret = "initsecret-0123";
	start(&l, &c);
	rc = respond(&l, 0, 0, 0, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|");
	CHECK("one-way: CHAP picked, we offer CHAP_A", rc == ISCSI_LOGIN_SEND);
	CHECK_STR("one-way: default CHAP_A preference 7,6,5 (SHA-256 first, MD5 last)", req_key("CHAP_A"), "7,6,5");
	rc = respond(&l, 0, 0, 0, 0, 0, 0, "CHAP_A=5|CHAP_I=42|CHAP_C=0x000102030405060708090a0b0c0d0e0f|");
	CHECK("one-way: CHAP response sent", rc == ISCSI_LOGIN_SEND);
	CHECK_STR("one-way: CHAP_N", req_key("CHAP_N"), "wbinit");
	CHECK_STR("one-way: CHAP_R is the MD5 vector", req_key("CHAP_R"), "0x568b3f153927fabc5904037b7fda2dd7");
	CHECK("one-way: no challenge of ours without mutual", req_key("CHAP_C") == NULL && req_key("CHAP_I") == NULL);
	req_bhs(&h);
	CHECK("one-way: CHAP response with T=1 towards stage 1", (h.flags & ISCSI_LOGIN_TRANSIT) && ISCSI_LOGIN_NSG(h.flags) == 1);
	CHECK("one-way: nothing secret in the request",
	      !memmem(out, out_len, "initsecret", 10));
	rc = respond(&l, 1, 0, 1, 0, 0, 0, NULL);
	CHECK("one-way: accepted, operational offer", rc == ISCSI_LOGIN_SEND && req_key("HeaderDigest"));
	rc = respond(&l, 1, 1, 3, 0, 0, 9, OP_ANSWER);
	CHECK("one-way: done with CHAP MD5", rc == ISCSI_LOGIN_DONE && l.params.chap_alg == 5 && !l.params.mutual);
}

static void test_oneway_refused(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;
	int rc;

	cfg_init(&c);
	c.user = "wbinit";
	c.secret = "wrongsecret-000";
	rc = to_chap_r(&l, &c, "5", "0x00112233445566778899aabbccddeeff");
	CHECK("refused: CHAP response sent", rc == ISCSI_LOGIN_SEND);
	rc = respond(&l, 0, 0, 0, 2, 1, 0, NULL);
	CHECK("refused: authentication failure maps to our direction", rc == -WB_ECHAPREFUSED);
	CHECK("refused: message names username/password",
	      strstr(l.msg, "target refused our CHAP response: check username/password") != NULL);
	CHECK("refused: message carries no secret", strstr(l.msg, "wrongsecret") == NULL);
}

static void test_nocreds(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;

	cfg_init(&c);
	start(&l, &c);
	CHECK("no credentials: CHAP demanded",
	      respond(&l, 0, 0, 0, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|") == -WB_EISCSINOCREDS);
	CHECK("no credentials: message", strstr(l.msg, "target demands CHAP but no credentials are set") != NULL);
	/* a target that refuses AuthMethod=None with status 0x0201 straight away */
	start(&l, &c);
	CHECK("no credentials: 0x0201 without credentials",
	      respond(&l, 0, 0, 0, 2, 1, 0, NULL) == -WB_EISCSINOCREDS);
}

static void test_mutual(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;
	char text[512], hex[80];
	uint8_t chal[64], r[32];
	uint64_t id;
	int rc, clen, rlen;

	cfg_init(&c);
	c.user = "wbinit";
	c.secret = "initsecret-0123";
	c.reverse_user = "wbtarget";
	c.reverse_secret = "targetsecret-4567";
	rc = to_chap_r(&l, &c, "5", "0x000102030405060708090a0b0c0d0e0f");
	CHECK("mutual: CHAP response + our challenge sent", rc == ISCSI_LOGIN_SEND && req_key("CHAP_C") && req_key("CHAP_I"));
	CHECK_STR("mutual: our CHAP_R still the vector", req_key("CHAP_R"), "0x568b3f153927fabc5904037b7fda2dd7");
	iscsi_text_parse_number(req_key("CHAP_I"), &id);
	clen = iscsi_text_decode_binary(req_key("CHAP_C"), chal, sizeof(chal));
	CHECK("mutual: our challenge is 16 bytes for MD5", clen == 16);
	CHECK("mutual: our challenge is not the target's", memcmp(chal, "\x00\x01\x02\x03", 4) != 0);
	rlen = chap_response(5, (uint8_t)id, (const uint8_t *)"targetsecret-4567", 17, chal, (size_t)clen, r);
	iscsi_text_encode_hex(r, (size_t)rlen, hex, sizeof(hex));
	strcpy(text, "CHAP_N=wbtarget|CHAP_R=");
	strcat(text, hex);
	strcat(text, "|");
	rc = respond(&l, 1, 0, 1, 0, 0, 0, text);
	CHECK("mutual: target's proof accepted", rc == ISCSI_LOGIN_SEND && l.params.mutual == 1);
	rc = respond(&l, 1, 1, 3, 0, 0, 9, OP_ANSWER);
	CHECK("mutual: done", rc == ISCSI_LOGIN_DONE);

	/* wrong proof */
	to_chap_r(&l, &c, "5", "0x000102030405060708090a0b0c0d0e0f");
	rc = respond(&l, 1, 0, 1, 0, 0, 0, "CHAP_N=wbtarget|CHAP_R=0x00112233445566778899aabbccddeeff|");
	CHECK("mutual: wrong target proof refused", rc == -WB_ECHAPTARGET);
	CHECK("mutual: message names the reverse credentials",
	      strstr(l.msg, "target failed mutual CHAP: check reverse-username/reverse-password") != NULL);
	CHECK("mutual: message carries no secret", strstr(l.msg, "targetsecret") == NULL);
	/* wrong name with the right digest */
	to_chap_r(&l, &c, "5", "0x000102030405060708090a0b0c0d0e0f");
	iscsi_text_parse_number(req_key("CHAP_I"), &id);
	clen = iscsi_text_decode_binary(req_key("CHAP_C"), chal, sizeof(chal));
	rlen = chap_response(5, (uint8_t)id, (const uint8_t *)"targetsecret-4567", 17, chal, (size_t)clen, r);
	iscsi_text_encode_hex(r, (size_t)rlen, hex, sizeof(hex));
	strcpy(text, "CHAP_N=someoneelse|CHAP_R=");
	strcat(text, hex);
	strcat(text, "|");
	CHECK("mutual: wrong target name refused", respond(&l, 1, 0, 1, 0, 0, 0, text) == -WB_ECHAPTARGET);
	/* no proof at all */
	to_chap_r(&l, &c, "5", "0x000102030405060708090a0b0c0d0e0f");
	CHECK("mutual: target skipping its proof refused", respond(&l, 1, 0, 1, 0, 0, 0, NULL) == -WB_ECHAPNOMUTUAL);
	/* AuthMethod=None while mutual is configured */
	start(&l, &c);
	CHECK("mutual: AuthMethod=None refused",
	      respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=None|") == -WB_ECHAPNOMUTUAL);
}

static void test_reflection(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;
	char hex[80];
	int rc;

	cfg_init(&c);
	c.user = "wbinit";
	c.secret = "initsecret-0123";
	c.reverse_user = "wbtarget";
	c.reverse_secret = "targetsecret-4567";
	start(&l, &c);
	respond(&l, 0, 0, 0, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|");
	/* the target hands us exactly the challenge we are going to issue */
	iscsi_text_encode_hex(l.our_chal, 16, hex, sizeof(hex));
	{
		char text[256] = "CHAP_A=5|CHAP_I=9|CHAP_C=";

		strcat(text, hex);
		strcat(text, "|");
		rc = respond(&l, 0, 0, 0, 0, 0, 0, text);
	}
	CHECK("reflection: our own challenge refused", rc == -WB_ECHAPREFLECT);
}

static void test_alg(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;

	cfg_init(&c);
	c.user = "wbinit";
	c.secret = "initsecret-0123";
	c.chap_algs[0] = 5;
	CHECK("alg: algorithm not offered refused",
	      to_chap_r(&l, &c, "7", "0x000102030405060708090a0b0c0d0e0f") == -WB_ECHAPALG);
	c.chap_algs[0] = 7;
	c.chap_algs[1] = 6;
	CHECK("alg: SHA-256 when preferred", to_chap_r(&l, &c, "7", "0x000102030405060708090a0b0c0d0e0f") == ISCSI_LOGIN_SEND);
	CHECK_STR("alg: SHA-256 response is the vector", req_key("CHAP_R"),
		  "0x4b159fdb69debe4fd8e0cb5d2fa32fdd70613460b0a09cd8c67d3dfb74ff3927");
	CHECK("alg: SHA-1", to_chap_r(&l, &c, "6", "0x000102030405060708090a0b0c0d0e0f") == ISCSI_LOGIN_SEND);
	CHECK_STR("alg: SHA-1 response is the vector", req_key("CHAP_R"), "0x88ffb1ac1701843b332c20d73057fb5906198772");
	CHECK("alg: malformed challenge refused", to_chap_r(&l, &c, "7", "0xzz") == -WB_ECHAPVALUE);
	CHECK("alg: a one-byte challenge is answered", to_chap_r(&l, &c, "7", "0x00") == ISCSI_LOGIN_SEND);
	c.chap_algs[0] = 4;
	CHECK("alg: unknown algorithm in the preference refused at init", iscsi_login_init(&l, &c) == -WB_EINVAL);
}

static void test_statuses(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;

	cfg_init(&c);
	start(&l, &c);
	CHECK("status: not found", respond(&l, 0, 0, 0, 2, 3, 0, NULL) == -WB_EISCSINOTARGET);
	CHECK("status: not-found message names the target", strstr(l.msg, "iqn.2026-11.test:disk not found") != NULL);
	start(&l, &c);
	CHECK("status: temporary redirect",
	      respond(&l, 0, 0, 0, 1, 1, 0, "TargetAddress=192.0.2.9:3260,1|") == -WB_EISCSIREDIRECT);
	CHECK_STR("status: redirect address kept", l.redirect, "192.0.2.9:3260,1");
	CHECK("status: redirect message says temporarily", strstr(l.msg, "temporarily") != NULL);
	start(&l, &c);
	CHECK("status: permanent redirect", respond(&l, 0, 0, 0, 1, 2, 0, "TargetAddress=h:3260,1|") == -WB_EISCSIREDIRECT &&
	      strstr(l.msg, "permanently"));
	start(&l, &c);
	CHECK("status: authorization failure", respond(&l, 0, 0, 0, 2, 2, 0, NULL) == -WB_EISCSIAUTHZ);
	start(&l, &c);
	CHECK("status: target error", respond(&l, 0, 0, 0, 3, 1, 0, NULL) == -WB_EISCSITGTERR);
	CHECK("status: failed machine stays failed", respond(&l, 0, 0, 0, 0, 0, 0, NULL) < 0);
}

static void test_operational(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;
	int rc;

	cfg_init(&c);
	c.header_digest = c.data_digest = 1;
	c.max_recv_dsl = 65536;
	c.immediate_data = 1;
	start(&l, &c);
	respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=3|AuthMethod=None|");
	CHECK_STR("op: CRC32C offered first", req_key("HeaderDigest"), "CRC32C,None");
	CHECK_STR("op: our MaxRecvDataSegmentLength", req_key("MaxRecvDataSegmentLength"), "65536");
	rc = respond(&l, 1, 1, 3, 0, 0, 1, "HeaderDigest=CRC32C|DataDigest=None|MaxBurstLength=32768|FirstBurstLength=65536|"
		     "MaxRecvDataSegmentLength=16384|ImmediateData=No|");
	CHECK("op: done", rc == ISCSI_LOGIN_DONE);
	CHECK("op: header digest on, data digest off", l.params.header_digest == 1 && l.params.data_digest == 0);
	CHECK("op: MaxBurstLength from the answer", l.params.max_burst == 32768);
	CHECK("op: FirstBurstLength clamped to MaxBurstLength", l.params.first_burst == 32768);
	CHECK("op: ImmediateData No", l.params.immediate_data == 0);
	CHECK("op: target's MaxRecvDataSegmentLength", l.params.max_send_dsl == 16384);

	/* an answer outside what we offered */
	start(&l, &c);
	respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=3|AuthMethod=None|");
	CHECK("op: MaxBurstLength above our offer refused",
	      respond(&l, 1, 1, 3, 0, 0, 1, "MaxBurstLength=1048576|") == -WB_EISCSINEG);
	start(&l, &c);
	respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=3|AuthMethod=None|");
	CHECK("op: FirstBurstLength above our offer refused",
	      respond(&l, 1, 1, 3, 0, 0, 1, "FirstBurstLength=262144|") == -WB_EISCSINEG);
	start(&l, &c);
	respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=3|AuthMethod=None|");
	CHECK("op: a digest we did not offer refused", respond(&l, 1, 1, 3, 0, 0, 1, "HeaderDigest=MD5|") == -WB_EISCSINEG);
	/* TSIH 0 on the final response */
	start(&l, &c);
	respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=3|AuthMethod=None|");
	CHECK("op: final response with TSIH 0 refused", respond(&l, 1, 1, 3, 0, 0, 0, OP_ANSWER) == -WB_EISCSIPROTO);
	/* target wants another round (T=0): we answer and transit */
	start(&l, &c);
	respond(&l, 1, 0, 1, 0, 0, 0, "TargetPortalGroupTag=3|AuthMethod=None|");
	rc = respond(&l, 0, 1, 0, 0, 0, 0, "HeaderDigest=None|X-vendor.key=1|");
	CHECK("op: another round requested, we answer", rc == ISCSI_LOGIN_SEND);
	CHECK_STR("op: unknown key answered NotUnderstood", req_key("X-vendor.key"), "NotUnderstood");
	CHECK("op: then done", respond(&l, 1, 1, 3, 0, 0, 2, "DataDigest=None|") == ISCSI_LOGIN_DONE);
}

static void test_continue_and_isid(void)
{
	struct iscsi_login l, l2;
	struct iscsi_login_cfg c;
	struct iscsi_pdu p;
	struct iscsi_bhs rq;
	int rc;

	cfg_init(&c);
	start(&l, &c);
	/* the first response split over two PDUs with the C bit */
	req_bhs(&rq);
	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_LOGIN_RSP;
	p.bhs.flags = ISCSI_FLAG_CONTINUE;
	memcpy(p.bhs.isid, rq.isid, 6);
	p.bhs.itt = rq.itt;
	memcpy(rsp_data, "TargetPortalGroupTag=1\0Auth", 27);
	p.bhs.data_len = 27;
	p.data = rsp_data;
	rc = iscsi_login_step(&l, &p, out, sizeof(out), &out_len);
	req_bhs(&rq);
	CHECK("continue: empty request asks for the rest", rc == ISCSI_LOGIN_SEND && rq.data_len == 0 &&
	      !(rq.flags & ISCSI_LOGIN_TRANSIT));
	rc = respond(&l, 1, 0, 1, 0, 0, 0, "Method=None|");
	CHECK("continue: reassembled text understood", rc == ISCSI_LOGIN_SEND && req_key("HeaderDigest"));
	/* ISIDs differ between sessions (random qualifier) */
	start(&l2, &c);
	CHECK("isid: a new session gets another ISID", memcmp(l.isid, l2.isid, 6) != 0 && l2.isid[0] == 0x80);
	/* response for another session */
	memset(&p, 0, sizeof(p));
	p.bhs.opcode = ISCSI_OP_LOGIN_RSP;
	p.bhs.itt = l2.itt;
	CHECK("isid: response with a foreign ISID refused", iscsi_login_step(&l2, &p, out, sizeof(out), &out_len) == -WB_EISCSIPROTO);
	/* short secret: refused, unless allowed (then flagged), config errors */
	c.user = "u";
	c.secret = "short";
	CHECK("config: short secret refused", iscsi_login_init(&l, &c) == -WB_ECHAPSHORTSECRET);
	c.chap_flags = ISCSI_CHAP_ALLOW_SHORT_SECRET;
	CHECK("config: short secret allowed, flagged", iscsi_login_init(&l, &c) == 0 && l.short_secret);
	c.reverse_user = "r";
	CHECK("config: reverse user without reverse secret refused", iscsi_login_init(&l, &c) == -WB_EINVAL);
}

/* the target's mutual proof for our challenge of the last request, with @secret */
static void proof(struct iscsi_login *l, int alg, const char *user, const char *secret, char *text, size_t cap)
{
	uint8_t chal[64], r[32];
	char hex[80];
	uint64_t id;
	int clen, rlen;

	(void)l;
	iscsi_text_parse_number(req_key("CHAP_I"), &id);
	clen = iscsi_text_decode_binary(req_key("CHAP_C"), chal, sizeof(chal));
	rlen = chap_response(alg, (uint8_t)id, (const uint8_t *)secret, strlen(secret), chal, (size_t)clen, r);
	iscsi_text_encode_hex(r, (size_t)rlen, hex, sizeof(hex));
	snprintf(text, cap, "CHAP_N=%s|CHAP_R=%s|", user, hex);
}

/* RFC 7143 section 12.1.3 rules: secret lengths, one secret per direction, mirrored proofs */
static void test_chap_policy(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c;
	char text[256], name[96];
	static const struct { int alg; const char *a, *chal; } algs[] = {
		{ 5, "5", "0x000102030405060708090a0b0c0d0e0f" },
		{ 6, "6", "0x000102030405060708090a0b0c0d0e0f1011121314" },
		{ 7, "7", "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" },
	};
	int rc;

	cfg_init(&c);
	c.user = "wbinit";
	c.reverse_user = "wbtarget";
	/* lengths: 11 bytes refused in either direction, 12 accepted */
	c.secret = "eleven-byte";
	c.reverse_secret = "targetsecret-4567";
	CHECK("policy: 11-byte password refused", iscsi_login_init(&l, &c) == -WB_ECHAPSHORTSECRET);
	CHECK("policy: message names password, 12 bytes, the RFC and the way out",
	      strstr(l.msg, "password is shorter than 12 bytes") && strstr(l.msg, "RFC 7143 section 12.1.3") &&
	      strstr(l.msg, "chap-allow-short-secret") && !strstr(l.msg, "eleven-byte"));
	c.secret = "twelve-bytes";
	CHECK("policy: 12-byte password accepted", iscsi_login_init(&l, &c) == 0);
	c.reverse_secret = "short-rev";
	CHECK("policy: short reverse-password refused", iscsi_login_init(&l, &c) == -WB_ECHAPSHORTRSECRET &&
	      strstr(l.msg, "reverse-password is shorter than 12 bytes"));
	c.chap_flags = ISCSI_CHAP_ALLOW_SHORT_SECRET;
	CHECK("policy: short reverse-password allowed by the flag", iscsi_login_init(&l, &c) == 0 &&
	      (l.secret_warnings & CHAP_WARN_SHORT_RSECRET));
	/* one secret both ways */
	c.chap_flags = 0;
	c.secret = c.reverse_secret = "same-secret-both-ways";
	CHECK("policy: equal password and reverse-password refused", iscsi_login_init(&l, &c) == -WB_ECHAPSAMESECRET &&
	      strstr(l.msg, "password and reverse-password are equal") && strstr(l.msg, "chap-allow-same-secret"));
	c.chap_flags = ISCSI_CHAP_ALLOW_SAME_SECRET;
	CHECK("policy: equal secrets allowed by the flag", iscsi_login_init(&l, &c) == 0);
	/* allowed: the target's correct proof is then our own answer, and passes */
	rc = to_chap_r(&l, &c, "5", algs[0].chal);
	proof(&l, 5, "wbtarget", "same-secret-both-ways", text, sizeof(text));
	CHECK("policy: equal secrets allowed: the login goes through",
	      rc == ISCSI_LOGIN_SEND && respond(&l, 1, 0, 1, 0, 0, 0, text) == ISCSI_LOGIN_SEND && l.params.mutual);

	/* mirror: distinct secrets, the target answers our challenge with our secret */
	c.chap_flags = 0;
	c.secret = "initsecret-0123";
	c.reverse_secret = "targetsecret-4567";
	for (size_t i = 0; i < 3; i++) {
		c.chap_algs[0] = (uint8_t)algs[i].alg;
		rc = to_chap_r(&l, &c, algs[i].a, algs[i].chal);
		proof(&l, algs[i].alg, "wbtarget", "initsecret-0123", text, sizeof(text));
		rc = rc == ISCSI_LOGIN_SEND ? respond(&l, 1, 0, 1, 0, 0, 0, text) : rc;
		snprintf(name, sizeof(name), "mirror (CHAP_A %d): proof made with our password refused", algs[i].alg);
		CHECK(name, rc == -WB_ECHAPMIRROR && !l.params.mutual);
		/* the same exchange with the right proof passes */
		rc = to_chap_r(&l, &c, algs[i].a, algs[i].chal);
		proof(&l, algs[i].alg, "wbtarget", "targetsecret-4567", text, sizeof(text));
		rc = rc == ISCSI_LOGIN_SEND ? respond(&l, 1, 0, 1, 0, 0, 0, text) : rc;
		snprintf(name, sizeof(name), "mirror (CHAP_A %d): proof with reverse-password accepted", algs[i].alg);
		CHECK(name, rc == ISCSI_LOGIN_SEND && l.params.mutual);
	}
	CHECK("mirror: message names the reflection and the RFC",
	      (to_chap_r(&l, &c, "7", algs[2].chal), proof(&l, 7, "wbtarget", "initsecret-0123", text, sizeof(text)),
	       respond(&l, 1, 0, 1, 0, 0, 0, text) == -WB_ECHAPMIRROR) &&
	      strstr(l.msg, "target failed mutual CHAP") && strstr(l.msg, "reflection") && !strstr(l.msg, "initsecret"));
}

/* CHAP_A: what we offer, pinning, and the tgt/IET fallback */
static void test_chap_offer(void)
{
	struct iscsi_login l;
	struct iscsi_login_cfg c, c2;
	int rc;

	cfg_init(&c);
	c.user = "wbinit";
	c.secret = "initsecret-0123";
	start(&l, &c);
	respond(&l, 0, 0, 0, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|");
	CHECK_STR("offer: default 7,6,5", req_key("CHAP_A"), "7,6,5");
	c.chap_algs[0] = 7;
	c.chap_algs[1] = 5;
	start(&l, &c);
	respond(&l, 0, 0, 0, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|");
	CHECK_STR("offer: pinned 7,5", req_key("CHAP_A"), "7,5");
	CHECK("offer: target choosing SHA-1 (not offered) refused",
	      to_chap_r(&l, &c, "6", "0x000102030405060708090a0b0c0d0e0f") == -WB_ECHAPALG);
	memset(c.chap_algs, 0, sizeof(c.chap_algs));
	c.chap_algs[0] = 5;
	CHECK("offer: pinned MD5, target choosing SHA-256 refused",
	      to_chap_r(&l, &c, "7", "0x000102030405060708090a0b0c0d0e0f") == -WB_ECHAPALG);

	/* tgt/IET: 7 picked, then status 0x0200 for our SHA-256 response */
	memset(c.chap_algs, 0, sizeof(c.chap_algs));
	rc = to_chap_r(&l, &c, "7", "0x000102030405060708090a0b0c0d0e0f");
	CHECK("fallback: SHA-256 response sent", rc == ISCSI_LOGIN_SEND && strlen(req_key("CHAP_R")) == 66);
	rc = respond(&l, 0, 0, 0, 2, 0, 0, NULL);
	c2 = c;
	CHECK("fallback: 0x0200 after CHAP_A 7 fails the login", rc == -WB_ECHAPREFUSED);
	CHECK("fallback: offered", iscsi_login_chap_fallback(&l, &c2) == 1 && c2.chap_algs[0] == 6 &&
	      c2.chap_algs[1] == 5 && c2.chap_algs[2] == 0);
	start(&l, &c2);
	respond(&l, 0, 0, 0, 0, 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|");
	CHECK_STR("fallback: the next login offers 6,5", req_key("CHAP_A"), "6,5");
	/* no fallback on an authentication failure (wrong password: no second try) */
	to_chap_r(&l, &c, "7", "0x000102030405060708090a0b0c0d0e0f");
	respond(&l, 0, 0, 0, 2, 1, 0, NULL);
	c2 = c;
	CHECK("fallback: not after 0x0201", iscsi_login_chap_fallback(&l, &c2) == 0 && c2.chap_algs[0] == 0);
	/* nor when 7 was all we offered, nor after MD5 */
	c.chap_algs[0] = 7;
	to_chap_r(&l, &c, "7", "0x000102030405060708090a0b0c0d0e0f");
	respond(&l, 0, 0, 0, 2, 0, 0, NULL);
	c2 = c;
	CHECK("fallback: not when only 7 was offered", iscsi_login_chap_fallback(&l, &c2) == 0);
	memset(c.chap_algs, 0, sizeof(c.chap_algs));
	to_chap_r(&l, &c, "5", "0x000102030405060708090a0b0c0d0e0f");
	respond(&l, 0, 0, 0, 2, 0, 0, NULL);
	CHECK("fallback: not after MD5", iscsi_login_chap_fallback(&l, &c2) == 0);
	/* nor before our response was sent */
	start(&l, &c);
	respond(&l, 0, 0, 0, 2, 0, 0, NULL);
	CHECK("fallback: not before CHAP", iscsi_login_chap_fallback(&l, &c2) == 0);
}

int main(void)
{
	test_chap_vectors();
	test_none();
	test_first_needs_tpgt();
	test_oneway();
	test_oneway_refused();
	test_nocreds();
	test_mutual();
	test_reflection();
	test_alg();
	test_statuses();
	test_operational();
	test_continue_and_isid();
	test_chap_policy();
	test_chap_offer();
	return unit_done();
}
