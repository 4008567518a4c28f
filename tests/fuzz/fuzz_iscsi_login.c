/*
 * fuzz_iscsi_login.c — libFuzzer target: iscsi_login_step fed a sequence of
 * Login Responses taken from the input.  Each response: 1 byte flags, 1
 * byte status class, 1 byte status detail, 1 byte "keep ISID/ITT", then
 * text up to the next 0xff byte.  One-way + mutual CHAP and digests are
 * configured so every path is reachable.  Checks: no crash, no
 * out-of-bounds, a built request always fits and decodes, DONE only with a
 * non-zero TSIH.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"

static int fuzz_rng(void *arg, void *buf, size_t len)
{
	uint8_t *s = arg, *b = buf;

	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(*s += 13);
	return 0;
}

static uint8_t out[16384];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iscsi_login l;
	struct iscsi_login_cfg c;
	uint8_t seed = 1;
	size_t n, pos = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	c.initiator = "iqn.2026-11.test:init";
	c.target = "iqn.2026-11.test:disk";
	c.user = "u";
	c.secret = "initsecret-0123";
	if (size && (data[0] & 1)) {
		c.reverse_user = "t";
		c.reverse_secret = "targetsecret-4567";
	}
	c.header_digest = c.data_digest = 1;
	c.rng = fuzz_rng;
	c.rng_arg = &seed;
	if (iscsi_login_init(&l, &c))
		abort();
	rc = iscsi_login_step(&l, NULL, out, sizeof(out), &n);
	while (rc == ISCSI_LOGIN_SEND && size - pos >= 4) {
		struct iscsi_bhs rq;
		struct iscsi_pdu p;
		size_t end = pos + 4;

		if (n < ISCSI_BHS_LEN || iscsi_bhs_decode(out, 1 << 24, &rq) || n != iscsi_pdu_size(&rq, 0, 0))
			abort();
		while (end < size && data[end] != 0xff)
			end++;
		memset(&p, 0, sizeof(p));
		p.bhs.opcode = ISCSI_OP_LOGIN_RSP;
		p.bhs.flags = data[pos];
		p.bhs.status_class = data[pos + 1] & 3;
		p.bhs.status_detail = data[pos + 2];
		if (data[pos + 3] & 1) {
			memcpy(p.bhs.isid, rq.isid, 6);
			p.bhs.itt = rq.itt;
		}
		p.bhs.tsih = data[pos + 3] >> 1;
		p.bhs.data_len = (uint32_t)(end - pos - 4);
		p.data = p.bhs.data_len ? data + pos + 4 : NULL;
		rc = iscsi_login_step(&l, &p, out, sizeof(out), &n);
		pos = end < size ? end + 1 : end;
	}
	if (rc == ISCSI_LOGIN_DONE && l.tsih == 0)
		abort();
	if (rc < 0 && !l.msg[0])
		abort();
	return 0;
}
