/*
 * fuzz_iscsi_session.c — libFuzzer target: the full-feature-phase session
 * (iscsi_sess_input / iscsi_sess_output / iscsi_sess_restart) fed target
 * PDUs taken from the input while reads, writes, a ping, TEST UNIT READY,
 * REPORT LUNS and MODE SENSE are queued.
 *
 * Byte 0 picks the negotiated write parameters: bit 0 ImmediateData, bit 1
 * InitialR2T, bit 2 HeaderDigest, bit 3 DataDigest, bits 4-5
 * MaxSendDataSegmentLength (512, 1000, 4096, 8192), bits 6-7
 * FirstBurstLength (512, 1024, 2048, 65536).  Then records: 48 bytes of BHS
 * (decoded by iscsi_bhs_decode) and its data segment from the following
 * bytes.  In byte 0 of a record, bit 7 set replaces bytes 16..19 by the ITT
 * of a task we sent (the one byte 4 & 7 picks; byte 4 is then 0), so
 * Data-In, R2T and responses reach live tasks; bit 6 set first restarts
 * the session as after a new login (as does any input error).
 *
 * Checks: no crash, no out-of-bounds access (buffers are exactly sized heap
 * blocks), every PDU the session builds decodes, Data-Out and immediate
 * data stay inside their command's buffer, within MaxSendDataSegmentLength
 * (immediate: FirstBurstLength too) and carry exactly the caller's bytes;
 * in-flight count within the depth; CmdSN never beyond MaxCmdSN + 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"
#include "proto/iscsi_session.h"

static uint8_t out[8192];

static const struct iscsi_task *sent_task(const struct iscsi_sess *s, uint32_t itt)
{
	for (unsigned i = 0; i < ISCSI_SESS_TASKS; i++)
		if (s->t[i].state == ISCSI_TASK_SENT && s->t[i].itt == itt)
			return &s->t[i];
	return NULL;
}

/* check one PDU the session built; remember ITTs the target may answer */
static void check_out(const struct iscsi_sess *s, int n, uint32_t *ring, unsigned *nring)
{
	struct iscsi_bhs h;
	const struct iscsi_task *t;
	const uint8_t *data;

	if (iscsi_bhs_decode(out, 1 << 24, &h))
		abort();
	if ((size_t)n != iscsi_pdu_size(&h, s->header_digest, s->data_digest))
		abort();
	data = out + ISCSI_BHS_LEN + (s->header_digest ? ISCSI_DIGEST_LEN : 0);
	if (h.itt != 0xffffffffu && h.opcode != ISCSI_OP_DATA_OUT) {
		ring[*nring % 8] = h.itt;
		(*nring)++;
	}
	t = sent_task(s, h.itt);
	switch (h.opcode) {
	case ISCSI_OP_SCSI_CMD:
		if (!t || h.edtl != t->len)
			abort();
		if (h.data_len && (!t->write || h.data_len > t->len || h.data_len > s->max_send_dsl ||
				   h.data_len > s->first_burst || memcmp(data, t->wbuf, h.data_len)))
			abort();
		break;
	case ISCSI_OP_DATA_OUT:
		if (!t || !t->write || h.data_len == 0 || h.data_len > s->max_send_dsl ||
		    h.buffer_offset > t->len || h.data_len > t->len - h.buffer_offset ||
		    memcmp(data, t->wbuf + h.buffer_offset, h.data_len))
			abort();
		/* unsolicited data never beyond FirstBurstLength */
		if (h.ttt == 0xffffffffu && h.buffer_offset + h.data_len > s->first_burst)
			abort();
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iscsi_login l;
	static struct iscsi_sess s;
	static const uint8_t lun[8] = { 0, 1 };
	static const uint32_t dsls[4] = { 512, 1000, 4096, 8192 }, fbs[4] = { 512, 1024, 2048, 65536 };
	uint8_t *buf[8];
	uint32_t len[8] = { 9 * 512, 9 * 512, 9 * 512, 9 * 512, 9 * 512, 64, 255, 0 };
	long tag[10];
	size_t pos = 1;
	uint32_t ring[8] = { 1 };
	unsigned nring = 0;

	if (size < 1)
		return 0;
	memset(&l, 0, sizeof(l));
	l.cmdsn = l.expcmdsn = 5;
	l.maxcmdsn = 7;
	l.params.max_burst = 4096;
	l.params.immediate_data = data[0] & 1;
	l.params.initial_r2t = (data[0] >> 1) & 1;
	l.params.header_digest = (data[0] >> 2) & 1;
	l.params.data_digest = (data[0] >> 3) & 1;
	l.params.max_send_dsl = dsls[(data[0] >> 4) & 3];
	l.params.first_burst = fbs[data[0] >> 6];
	if (iscsi_sess_init(&s, &l, lun, 4))
		abort();
	for (int i = 0; i < 8; i++) {
		buf[i] = malloc(len[i] ? len[i] : 1);
		for (uint32_t k = 0; k < len[i]; k++)
			buf[i][k] = (uint8_t)(k * 13 + (uint32_t)i);
	}
	tag[0] = iscsi_sess_read(&s, 0, 9, buf[0]);
	tag[1] = iscsi_sess_write(&s, 100, 9, buf[1]);
	tag[2] = iscsi_sess_read(&s, 0xfffffff0ull, 9, buf[2]);
	tag[3] = iscsi_sess_write(&s, 0xfffffffcull, 9, buf[3]);
	tag[4] = iscsi_sess_ping(&s);
	tag[5] = iscsi_sess_report_luns(&s, buf[5], len[5]);
	tag[6] = iscsi_sess_mode_sense_wp(&s, buf[6], len[6]);
	tag[7] = iscsi_sess_tur(&s);
	tag[8] = iscsi_sess_sync(&s);
	tag[9] = iscsi_sess_command_out(&s, (const uint8_t *)"\x15\x10\0\0\x09\0", 6, buf[4], 9);
	for (int i = 0; i < 10; i++)
		if (tag[i] <= 0)
			abort();
	while (size - pos >= ISCSI_BHS_LEN) {
		struct iscsi_pdu p;
		uint8_t hdr[ISCSI_BHS_LEN];
		int n;

		while ((n = iscsi_sess_output(&s, out, sizeof(out))) > 0)
			check_out(&s, n, ring, &nring);
		if (n < 0)
			abort();
		if (s.inflight > s.depth || (int32_t)(s.cmdsn - (s.maxcmdsn + 1)) > 0)
			abort();
		memset(&p, 0, sizeof(p));
		memcpy(hdr, data + pos, sizeof(hdr));
		pos += ISCSI_BHS_LEN;
		if (hdr[0] & 0x80) {
			uint32_t itt = ring[nring ? (hdr[4] & 7) % (nring < 8 ? nring : 8) : 0];

			hdr[16] = (uint8_t)(itt >> 24);
			hdr[17] = (uint8_t)(itt >> 16);
			hdr[18] = (uint8_t)(itt >> 8);
			hdr[19] = (uint8_t)itt;
			hdr[4] = 0;
		}
		if (hdr[0] & 0x40) {
			l.cmdsn = l.expcmdsn = s.cmdsn + hdr[5];
			l.maxcmdsn = l.cmdsn + (hdr[6] & 7);
			if (iscsi_sess_restart(&s, &l) < 0)
				abort();
			nring = 0;
		}
		hdr[0] &= 0x3f;
		if (iscsi_bhs_decode(hdr, 8192, &p.bhs))
			continue;
		if (p.bhs.data_len > size - pos)
			p.bhs.data_len = (uint32_t)(size - pos);
		p.data = p.bhs.data_len ? data + pos : NULL;
		pos += p.bhs.data_len;
		if (iscsi_sess_input(&s, &p) < 0) {
			/* what the caller does: new connection, new login, restart */
			l.cmdsn = l.expcmdsn = s.cmdsn;
			l.maxcmdsn = l.cmdsn + 2;
			if (iscsi_sess_restart(&s, &l) < 0)
				abort();
			nring = 0;
		}
	}
	for (int i = 0; i < 10; i++)
		iscsi_sess_done(&s, tag[i], NULL);
	for (int i = 0; i < 8; i++)
		free(buf[i]);
	return 0;
}
