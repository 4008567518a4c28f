/*
 * fuzz_iscsi_session.c — libFuzzer target: the full-feature-phase session
 * (iscsi_sess_input) fed target PDUs taken from the input while reads are
 * queued.  Each record: 48 bytes of BHS (decoded by iscsi_bhs_decode; bytes
 * 16..19 of a record whose byte 0 has bit 7 set are replaced by the ITT of a
 * command in flight, so Data-In and responses reach live tasks), then its
 * data segment from the following bytes.  Checks: no crash, no
 * out-of-bounds write (reads go into exactly-sized heap buffers), every PDU
 * the session builds decodes, in-flight count within the depth, CmdSN never
 * beyond MaxCmdSN + 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"
#include "proto/iscsi_session.h"

static uint8_t out[8192];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iscsi_login l;
	static struct iscsi_sess s;
	static const uint8_t lun[8] = { 0, 1 };
	uint8_t *buf[3];
	long tag[3];
	size_t pos = 0;
	uint32_t last_itt = 1;

	memset(&l, 0, sizeof(l));
	l.cmdsn = l.expcmdsn = 5;
	l.maxcmdsn = 7;
	l.params.max_burst = 4096;
	if (iscsi_sess_init(&s, &l, lun, 4))
		abort();
	for (int i = 0; i < 3; i++) {
		buf[i] = malloc(9 * 512);
		tag[i] = iscsi_sess_read(&s, i == 2 ? 0xfffffff0ull : (uint64_t)i * 100, 9, buf[i]);
		if (tag[i] <= 0)
			abort();
	}
	while (size - pos >= ISCSI_BHS_LEN) {
		struct iscsi_pdu p;
		int n;

		while ((n = iscsi_sess_output(&s, out, sizeof(out))) > 0) {
			struct iscsi_bhs h;

			if (iscsi_bhs_decode(out, 1 << 24, &h))
				abort();
			if (h.opcode == ISCSI_OP_SCSI_CMD)
				last_itt = h.itt;
		}
		if (n < 0)
			abort();
		if (s.inflight > s.depth || (int32_t)(s.cmdsn - (s.maxcmdsn + 1)) > 0)
			abort();
		memset(&p, 0, sizeof(p));
		{
			uint8_t hdr[ISCSI_BHS_LEN];

			memcpy(hdr, data + pos, sizeof(hdr));
			if (hdr[0] & 0x80) {
				hdr[16] = (uint8_t)(last_itt >> 24);
				hdr[17] = (uint8_t)(last_itt >> 16);
				hdr[18] = (uint8_t)(last_itt >> 8);
				hdr[19] = (uint8_t)last_itt;
			}
			pos += ISCSI_BHS_LEN;
			if (iscsi_bhs_decode(hdr, 8192, &p.bhs))
				continue;
		}
		if (p.bhs.data_len > size - pos)
			p.bhs.data_len = (uint32_t)(size - pos);
		p.data = p.bhs.data_len ? data + pos : NULL;
		pos += p.bhs.data_len;
		if (iscsi_sess_input(&s, &p) < 0)
			break;
	}
	for (int i = 0; i < 3; i++) {
		iscsi_sess_done(&s, tag[i], NULL);
		free(buf[i]);
	}
	return 0;
}
