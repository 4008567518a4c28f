/* test_iscsi_pdu.c — BHS codec and receive framer against RFC 7143 §11 layouts. */
#define UNIT_NAME "iscsi_pdu"
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "proto/crc32c.h"
#include "proto/iscsi_pdu.h"
#include "unit.h"

/* RFC 3720 §B.4 "An iSCSI - SCSI Read (10) Command PDU" */
static const uint8_t read10[48] = {
	0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Login Request (RFC 7143 §11.12), built byte by byte from the figure:
 * I=1 opcode 0x03, T=1 C=0 CSG=1 NSG=3, Version-max 0 Version-min 0,
 * TotalAHSLength 0, DataSegmentLength 0x000010, ISID 80 12 34 56 78 9a,
 * TSIH 0, ITT 0x0a0b0c0d, CID 1, CmdSN 0x11223344, ExpStatSN 0x55667788 */
static const uint8_t login_req[48] = {
	0x43, 0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x80, 0x12, 0x34, 0x56, 0x78, 0x9a, 0x00, 0x00,
	0x0a, 0x0b, 0x0c, 0x0d, 0x00, 0x01, 0x00, 0x00,
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
};

/* Login Response (§11.13): T=1 CSG=0 NSG=1, Version-max 0 Version-active 0,
 * DSL 0x0101ff, ISID as above, TSIH 0x0102, ITT 0x0a0b0c0d, StatSN 7,
 * ExpCmdSN 8, MaxCmdSN 9, Status-Class 2 Status-Detail 1 (authentication failure) */
static const uint8_t login_rsp[48] = {
	0x23, 0x81, 0x00, 0x00, 0x00, 0x01, 0x01, 0xff,
	0x80, 0x12, 0x34, 0x56, 0x78, 0x9a, 0x01, 0x02,
	0x0a, 0x0b, 0x0c, 0x0d, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x00, 0x09, 0x02, 0x01, 0x00, 0x00,
};

/* SCSI Data-In (§11.7): F=1 S=1 U=1, Status 0x02 (CHECK CONDITION), DSL 0x200,
 * LUN 00 01 .., ITT 0x77, TTT 0xffffffff, StatSN 0x100, ExpCmdSN 0x21,
 * MaxCmdSN 0x40, DataSN 3, Buffer Offset 0x600, Residual Count 0x200 */
static const uint8_t data_in[48] = {
	0x25, 0x83, 0x00, 0x02, 0x00, 0x00, 0x02, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x77, 0xff, 0xff, 0xff, 0xff,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x21,
	0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x02, 0x00,
};

/* R2T (§11.8): F=1, LUN 0, ITT 5, TTT 0xdeadbeef, StatSN 1, ExpCmdSN 2,
 * MaxCmdSN 3, R2TSN 4, Buffer Offset 0x10000, Desired Length 0x20000 */
static const uint8_t r2t[48] = {
	0x31, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
};

/* Logout Response (§11.15): F=1, Response 0, ITT 9, StatSN 10, ExpCmdSN 11,
 * MaxCmdSN 12, Time2Wait 2, Time2Retain 20 */
static const uint8_t logout_rsp[48] = {
	0x26, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x0b,
	0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00,
};

/* Async Message (§11.9): AsyncEvent 1 (target requests logout),
 * Parameter3 = 5 (Time2Wait... in seconds to log out within), ITT 0xffffffff */
static const uint8_t async_msg[48] = {
	0x32, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x31, 0x00, 0x00, 0x00, 0x32,
	0x00, 0x00, 0x00, 0x33, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00,
};

/* Reject (§11.17): Reason 0x09 (Invalid PDU field), DSL 48 (the rejected header) */
static const uint8_t reject[48] = {
	0x3f, 0x80, 0x09, 0x00, 0x00, 0x00, 0x00, 0x30,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
};

static int reencodes(const uint8_t *wire)
{
	struct iscsi_bhs h;
	uint8_t out[48];

	if (iscsi_bhs_decode(wire, ISCSI_DSL_MAX, &h) < 0)
		return 0;
	if (iscsi_bhs_encode(&h, out) < 0)
		return 0;
	return memcmp(out, wire, 48) == 0;
}

static void test_decode(void)
{
	struct iscsi_bhs h;
	uint8_t b[48];

	CHECK("read10: decodes", iscsi_bhs_decode(read10, 8192, &h) == 0);
	CHECK("read10: opcode, F and R", h.opcode == ISCSI_OP_SCSI_CMD && h.immediate == 0 &&
	      h.flags == (ISCSI_FLAG_FINAL | ISCSI_CMD_READ));
	CHECK("read10: ITT 0x14000000", h.itt == 0x14000000);
	CHECK("read10: EDTL 1024", h.edtl == 1024);
	CHECK("read10: CmdSN 0x14 ExpStatSN 0x18", h.cmdsn == 0x14 && h.expstatsn == 0x18);
	CHECK("read10: CDB READ(10) 2 blocks", h.cdb[0] == 0x28 && h.cdb[8] == 2 && h.data_len == 0);
	CHECK("read10: re-encodes byte for byte", reencodes(read10));

	CHECK("login req: decodes", iscsi_bhs_decode(login_req, 8192, &h) == 0);
	CHECK("login req: immediate, T, CSG 1, NSG 3",
	      h.opcode == ISCSI_OP_LOGIN_REQ && h.immediate && (h.flags & ISCSI_LOGIN_TRANSIT) &&
	      ISCSI_LOGIN_CSG(h.flags) == 1 && ISCSI_LOGIN_NSG(h.flags) == 3);
	CHECK("login req: DSL 16, ISID, TSIH 0", h.data_len == 16 && h.isid[0] == 0x80 && h.isid[5] == 0x9a && h.tsih == 0);
	CHECK("login req: ITT CID CmdSN ExpStatSN",
	      h.itt == 0x0a0b0c0d && h.cid == 1 && h.cmdsn == 0x11223344 && h.expstatsn == 0x55667788);
	CHECK("login req: re-encodes", reencodes(login_req));

	CHECK("login rsp: decodes (DSL 0x101ff within max)", iscsi_bhs_decode(login_rsp, 0x10200, &h) == 0);
	CHECK("login rsp: fields", h.opcode == ISCSI_OP_LOGIN_RSP && h.data_len == 0x101ff && h.tsih == 0x0102 &&
	      h.statsn == 7 && h.expcmdsn == 8 && h.maxcmdsn == 9 && ISCSI_LOGIN_NSG(h.flags) == 1);
	CHECK("login rsp: Status-Class 2 Detail 1", h.status_class == 2 && h.status_detail == 1);
	CHECK("login rsp: DSL over our MaxRecvDataSegmentLength refused",
	      iscsi_bhs_decode(login_rsp, 8192, &h) == -WB_EISCSIDSL);
	CHECK("login rsp: re-encodes", reencodes(login_rsp));

	CHECK("data-in: decodes", iscsi_bhs_decode(data_in, 8192, &h) == 0);
	CHECK("data-in: flags F U S, status", (h.flags & ISCSI_DATAIN_STATUS) && (h.flags & ISCSI_RSP_UNDERFLOW) &&
	      (h.flags & ISCSI_FLAG_FINAL) && h.status == 2);
	CHECK("data-in: LUN 1, ITT, TTT", h.lun[1] == 1 && h.itt == 0x77 && h.ttt == 0xffffffff);
	CHECK("data-in: SNs, offset, residual", h.statsn == 0x100 && h.expcmdsn == 0x21 && h.maxcmdsn == 0x40 &&
	      h.datasn == 3 && h.buffer_offset == 0x600 && h.residual == 0x200 && h.data_len == 0x200);
	CHECK("data-in: re-encodes", reencodes(data_in));

	CHECK("r2t: decodes", iscsi_bhs_decode(r2t, 8192, &h) == 0);
	CHECK("r2t: fields", h.ttt == 0xdeadbeef && h.datasn == 4 && h.buffer_offset == 0x10000 &&
	      h.length == 0x20000 && h.maxcmdsn == 3);
	CHECK("r2t: re-encodes", reencodes(r2t));
	memcpy(b, r2t, 48);
	b[7] = 4;
	CHECK("r2t with a data segment refused", iscsi_bhs_decode(b, 8192, &h) == -WB_EISCSIPDU);

	CHECK("logout rsp: fields", iscsi_bhs_decode(logout_rsp, 8192, &h) == 0 && h.response == 0 &&
	      h.time2wait == 2 && h.time2retain == 20 && h.statsn == 10 && h.maxcmdsn == 12);
	CHECK("logout rsp: re-encodes", reencodes(logout_rsp));
	CHECK("async: fields", iscsi_bhs_decode(async_msg, 8192, &h) == 0 && h.async_event == 1 &&
	      h.param[2] == 5 && h.itt == 0xffffffff && h.statsn == 0x31);
	CHECK("async: re-encodes", reencodes(async_msg));
	CHECK("reject: fields", iscsi_bhs_decode(reject, 8192, &h) == 0 && h.reason == 9 && h.data_len == 48 && h.maxcmdsn == 3 &&
	      h.datasn == 0);
	CHECK("reject: re-encodes", reencodes(reject));

	/* reserved and vendor-specific opcodes */
	static const uint8_t bad_ops[] = { 0x07, 0x0f, 0x11, 0x1c, 0x1e, 0x27, 0x30, 0x33, 0x3c, 0x3e };
	int ok = 1;
	for (size_t i = 0; i < sizeof(bad_ops); i++) {
		memcpy(b, read10, 48);
		b[0] = bad_ops[i];
		if (iscsi_bhs_decode(b, 8192, &h) != -WB_EISCSIOPCODE)
			ok = 0;
	}
	CHECK("reserved / vendor opcodes refused", ok);
	memcpy(b, read10, 48);
	b[0] = 0x81; /* reserved bit 7 set: ignored on receipt */
	CHECK("reserved bit 7 of byte 0 ignored", iscsi_bhs_decode(b, 8192, &h) == 0 && h.opcode == 1 && !h.immediate);
	b[0] = 0x41;
	CHECK("I bit decoded", iscsi_bhs_decode(b, 8192, &h) == 0 && h.immediate == 1);
	memcpy(b, data_in, 48);
	b[0] = 0x65; /* I bit on a target PDU is reserved */
	CHECK("I bit ignored on target PDUs", iscsi_bhs_decode(b, 8192, &h) == 0 && h.immediate == 0);
	/* reserved bytes are not carried: a Logout Response with junk in byte 20 re-encodes as zero */
	memcpy(b, logout_rsp, 48);
	b[20] = 0x55;
	CHECK("reserved bytes ignored and re-encoded as 0",
	      iscsi_bhs_decode(b, 8192, &h) == 0 && iscsi_bhs_encode(&h, b) == 0 && memcmp(b, logout_rsp, 48) == 0);
}

static void test_encode(void)
{
	struct iscsi_bhs h;
	uint8_t out[48];

	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_LOGIN_REQ;
	h.immediate = 1;
	h.flags = ISCSI_LOGIN_TRANSIT | ISCSI_LOGIN_STAGES(ISCSI_STAGE_OPERATIONAL, ISCSI_STAGE_FULL);
	h.data_len = 16;
	memcpy(h.isid, "\x80\x12\x34\x56\x78\x9a", 6);
	h.itt = 0x0a0b0c0d;
	h.cid = 1;
	h.cmdsn = 0x11223344;
	h.expstatsn = 0x55667788;
	h.statsn = 0xffffffff; /* not a Login Request field: must not be written */
	CHECK("login req: encodes to the hand-built bytes", iscsi_bhs_encode(&h, out) == 0 && memcmp(out, login_req, 48) == 0);
	h.ahs_len = 6;
	CHECK("AHS length not a multiple of 4 refused", iscsi_bhs_encode(&h, out) == -WB_EINVAL);
	h.ahs_len = 1024;
	CHECK("AHS length over 1020 refused", iscsi_bhs_encode(&h, out) == -WB_EINVAL);
	h.ahs_len = 0;
	h.data_len = 0x1000000;
	CHECK("DSL over 24 bits refused", iscsi_bhs_encode(&h, out) == -WB_EINVAL);
	h.data_len = 0;
	h.opcode = 0x07;
	CHECK("encode of reserved opcode refused", iscsi_bhs_encode(&h, out) == -WB_EISCSIOPCODE);
	CHECK_STR("opcode name", iscsi_opcode_name(ISCSI_OP_LOGIN_RSP), "Login Response");
}

static void test_ahs(void)
{
	/* extended CDB AHS (type 1): AHSLength 0x0011 = 17 bytes (1 reserved + 16 CDB), padded to 20 */
	uint8_t a[24] = { 0x00, 0x11, 0x01, 0x00 };

	CHECK("AHS: one 17-byte segment padded fills 24", iscsi_ahs_check(a, 24) == 0);
	CHECK("AHS: segment overruns the total", iscsi_ahs_check(a, 20) == -WB_EISCSIAHS);
	a[1] = 0x10; /* 16 bytes → 20 total, 4 left over, a zero-length AHS there */
	CHECK("AHS: zero-length trailing segment refused", iscsi_ahs_check(a, 24) == -WB_EISCSIAHS);
	CHECK("AHS: empty area fine", iscsi_ahs_check(a, 0) == 0);
}

/* the framer: a stream of PDUs, fed in various chunkings */
static uint8_t stream[4096];
static uint8_t rxbuf[1024];

static size_t make_stream(int hd, int dd, int *npdu)
{
	struct iscsi_bhs h;
	uint8_t data[300], ahs[24] = { 0x00, 0x11, 0x01, 0x00, 0xaa };
	size_t n = 0;
	int rc;

	for (int i = 0; i < 300; i++)
		data[i] = (uint8_t)(i * 7);
	*npdu = 0;
	/* 1: Data-In with 301 bytes? no: 299 bytes (needs 1 pad byte) */
	iscsi_bhs_decode(data_in, ISCSI_DSL_MAX, &h);
	h.data_len = 299;
	rc = iscsi_pdu_build(&h, NULL, data, hd, dd, stream + n, sizeof(stream) - n);
	n += (size_t)rc, (*npdu)++;
	/* 2: R2T, no data */
	iscsi_bhs_decode(r2t, ISCSI_DSL_MAX, &h);
	rc = iscsi_pdu_build(&h, NULL, NULL, hd, dd, stream + n, sizeof(stream) - n);
	n += (size_t)rc, (*npdu)++;
	/* 3: SCSI Response with an AHS and 2 bytes of data (sense length 0) */
	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_SCSI_RSP;
	h.flags = 0x80;
	h.ahs_len = 24;
	h.data_len = 2;
	h.itt = 42;
	rc = iscsi_pdu_build(&h, ahs, (const uint8_t *)"\0\0", hd, dd, stream + n, sizeof(stream) - n);
	n += (size_t)rc, (*npdu)++;
	/* 4: NOP-In with 4 bytes of ping data */
	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_NOP_IN;
	h.flags = 0x80;
	h.data_len = 4;
	h.itt = 0xffffffff;
	h.ttt = 0x1234;
	rc = iscsi_pdu_build(&h, NULL, (const uint8_t *)"ping", hd, dd, stream + n, sizeof(stream) - n);
	n += (size_t)rc, (*npdu)++;
	return n;
}

/* feed the stream with chunk sizes from @chunk (0 = pseudo-random 1..97); count good PDUs */
static int feed_all(struct iscsi_rx *rx, const uint8_t *s, size_t n, size_t chunk, int *count)
{
	size_t off = 0, used;
	unsigned seed = 12345;
	int rc = 0;

	*count = 0;
	while (off < n) {
		size_t c = chunk;

		if (!c) {
			seed = seed * 1103515245 + 12345;
			c = 1 + (seed >> 16) % 97;
		}
		if (c > n - off)
			c = n - off;
		const uint8_t *p = s + off;
		size_t left = c;
		while (left) {
			rc = iscsi_rx_feed(rx, p, left, &used);
			if (rc < 0)
				return rc;
			p += used;
			left -= used;
			if (rc == 1) {
				const struct iscsi_pdu *pdu = &rx->pdu;

				(*count)++;
				if (*count == 1 && (pdu->bhs.data_len != 299 || pdu->data[298] != (uint8_t)(298 * 7)))
					return -1000;
				if (*count == 3 && (pdu->bhs.ahs_len != 24 || pdu->ahs[4] != 0xaa || pdu->bhs.itt != 42))
					return -1001;
				if (*count == 4 && memcmp(pdu->data, "ping", 4))
					return -1002;
			}
		}
		off += c;
	}
	return 0;
}

static void test_rx(void)
{
	struct iscsi_rx rx;
	struct iscsi_bhs h;
	size_t n, used;
	int npdu, count;
	char name[80];

	/* header digest known answer: the RFC 3720 B.4 PDU's CRC follows it, LSB first */
	iscsi_bhs_decode(read10, 8192, &h);
	CHECK("build read10 with header digest", iscsi_pdu_build(&h, NULL, NULL, 1, 1, stream, sizeof(stream)) == 52 &&
	      memcmp(stream, read10, 48) == 0 && memcmp(stream + 48, "\x56\x3a\x96\xd9", 4) == 0);
	CHECK("build: buffer too small", iscsi_pdu_build(&h, NULL, NULL, 1, 1, stream, 51) == -WB_ETOOBIG);
	CHECK("rx init: buffer smaller than max DSL refused", iscsi_rx_init(&rx, rxbuf, 100, 8192) == -WB_EINVAL);

	for (int dig = 0; dig < 4; dig++) {
		int hd = dig & 1, dd = dig >> 1;
		static const size_t chunks[] = { 1, 3, 48, 4096, 0 };

		n = make_stream(hd, dd, &npdu);
		for (size_t c = 0; c < (sizeof(chunks) / sizeof(chunks[0])); c++) {
			iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), sizeof(rxbuf));
			iscsi_rx_set_digests(&rx, hd, dd);
			int rc = feed_all(&rx, stream, n, chunks[c], &count);
			snprintf(name, sizeof(name), "rx hd=%d dd=%d chunk=%zu: %d PDUs intact", hd, dd, chunks[c], npdu);
			CHECK(name, rc == 0 && count == npdu);
		}
	}
	/* header digest mismatch: flip a bit in the second PDU's BHS */
	n = make_stream(1, 1, &npdu);
	size_t second = 48 + 4 + 300 + 4;
	stream[second + 30] ^= 1;
	iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), sizeof(rxbuf));
	iscsi_rx_set_digests(&rx, 1, 1);
	CHECK("header digest mismatch", feed_all(&rx, stream, n, 7, &count) == -WB_EISCSIHDIGEST && count == 1);
	CHECK("error is sticky", iscsi_rx_feed(&rx, stream, 1, &used) == -WB_EISCSIHDIGEST);
	/* data digest mismatch: flip a data byte of the first PDU */
	n = make_stream(1, 1, &npdu);
	stream[60] ^= 0x80;
	iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), sizeof(rxbuf));
	iscsi_rx_set_digests(&rx, 1, 1);
	CHECK("data digest mismatch", feed_all(&rx, stream, n, 0, &count) == -WB_EISCSIDDIGEST && count == 0);
	/* a pad byte is covered by the data digest too (RFC 7143 §13.1) */
	n = make_stream(1, 1, &npdu);
	stream[52 + 299] = 1;
	iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), sizeof(rxbuf));
	iscsi_rx_set_digests(&rx, 1, 1);
	CHECK("padding covered by the data digest", feed_all(&rx, stream, n, 0, &count) == -WB_EISCSIDDIGEST);
	/* DSL over the limit stops at the header, before waiting for data */
	n = make_stream(0, 0, &npdu);
	iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), 256);
	CHECK("DSL over MaxRecvDataSegmentLength", iscsi_rx_feed(&rx, stream, 48, &used) == -WB_EISCSIDSL && used == 48);
	/* a bad AHS */
	n = make_stream(0, 0, &npdu);
	size_t third = 48 + 300 + 48;
	stream[third + 48 + 1] = 0x40; /* AHSLength 64 > 24 */
	iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), sizeof(rxbuf));
	CHECK("bad AHS in a received PDU", feed_all(&rx, stream, n, 5, &count) == -WB_EISCSIAHS && count == 2);
	/* settings only between PDUs */
	iscsi_rx_init(&rx, rxbuf, sizeof(rxbuf), sizeof(rxbuf));
	iscsi_rx_feed(&rx, read10, 10, &used);
	CHECK("set_digests mid-PDU refused", iscsi_rx_set_digests(&rx, 1, 1) == -WB_EAGAIN);
	CHECK("feed stops at the end of one PDU", iscsi_rx_feed(&rx, stream, 200, &used) == 1 && used == 38);
	CHECK("set_digests between PDUs", iscsi_rx_set_digests(&rx, 1, 1) == 0);
}

int main(void)
{
	test_decode();
	test_encode();
	test_ahs();
	test_rx();
	return unit_done();
}
