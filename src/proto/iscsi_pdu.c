/*
 * iscsi_pdu.c — iSCSI BHS codec and PDU receive framer (see iscsi_pdu.h).
 *
 * How this works: encode and decode share one switch over the opcode that
 * names, per RFC 7143 §11, which bytes of the BHS hold which field; a
 * direction flag says whether the field is copied struct→wire or
 * wire→struct, so the two can never disagree about a layout.  Everything
 * not listed for an opcode is reserved: written as zero, ignored on receipt.
 *
 * The receive framer (iscsi_rx_feed) is the state machine drawn in the
 * header: gather the header part (BHS + AHS + optional header digest) into
 * rx->hdr, verify, decode; then gather the padded data part into the
 * caller's buffer, verify the data digest; hand out the PDU.
 */
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "proto/crc32c.h"
#include "proto/iscsi_pdu.h"

enum { RX_HEADER, RX_DATA, RX_ERROR };

int iscsi_opcode_known(uint8_t op)
{
	switch (op) {
	case ISCSI_OP_NOP_OUT: case ISCSI_OP_SCSI_CMD: case ISCSI_OP_TMF_REQ:
	case ISCSI_OP_LOGIN_REQ: case ISCSI_OP_TEXT_REQ: case ISCSI_OP_DATA_OUT:
	case ISCSI_OP_LOGOUT_REQ: case ISCSI_OP_SNACK:
	case ISCSI_OP_NOP_IN: case ISCSI_OP_SCSI_RSP: case ISCSI_OP_TMF_RSP:
	case ISCSI_OP_LOGIN_RSP: case ISCSI_OP_TEXT_RSP: case ISCSI_OP_DATA_IN:
	case ISCSI_OP_LOGOUT_RSP: case ISCSI_OP_R2T: case ISCSI_OP_ASYNC:
	case ISCSI_OP_REJECT:
		return 1;
	default:
		/* 0x1c-0x1e / 0x3c-0x3e are vendor specific: we speak none of them */
		return 0;
	}
}

const char *iscsi_opcode_name(uint8_t op)
{
	switch (op) {
	case ISCSI_OP_NOP_OUT: return "NOP-Out";
	case ISCSI_OP_SCSI_CMD: return "SCSI Command";
	case ISCSI_OP_TMF_REQ: return "Task Management Request";
	case ISCSI_OP_LOGIN_REQ: return "Login Request";
	case ISCSI_OP_TEXT_REQ: return "Text Request";
	case ISCSI_OP_DATA_OUT: return "SCSI Data-Out";
	case ISCSI_OP_LOGOUT_REQ: return "Logout Request";
	case ISCSI_OP_SNACK: return "SNACK Request";
	case ISCSI_OP_NOP_IN: return "NOP-In";
	case ISCSI_OP_SCSI_RSP: return "SCSI Response";
	case ISCSI_OP_TMF_RSP: return "Task Management Response";
	case ISCSI_OP_LOGIN_RSP: return "Login Response";
	case ISCSI_OP_TEXT_RSP: return "Text Response";
	case ISCSI_OP_DATA_IN: return "SCSI Data-In";
	case ISCSI_OP_LOGOUT_RSP: return "Logout Response";
	case ISCSI_OP_R2T: return "R2T";
	case ISCSI_OP_ASYNC: return "Async Message";
	case ISCSI_OP_REJECT: return "Reject";
	default: return "?";
	}
}

/* field movers: enc != 0 copies struct → wire, else wire → struct */
static void mv8(int enc, uint8_t *w, uint8_t *v)
{
	if (enc)
		*w = *v;
	else
		*v = *w;
}
static void mv16(int enc, uint8_t *w, uint16_t *v)
{
	if (enc)
		wb_put16(w, *v);
	else
		*v = wb_get16(w);
}
static void mv32(int enc, uint8_t *w, uint32_t *v)
{
	if (enc)
		wb_put32(w, *v);
	else
		*v = wb_get32(w);
}
static void mvbytes(int enc, uint8_t *w, uint8_t *v, size_t n)
{
	if (enc)
		memcpy(w, v, n);
	else
		memcpy(v, w, n);
}

/* the opcode-specific layout, RFC 7143 §11.x; b = the 48 wire bytes */
static void bhs_fields(int enc, uint8_t *b, struct iscsi_bhs *h)
{
	switch (h->opcode) {
	case ISCSI_OP_LOGIN_REQ: /* §11.12 */
	case ISCSI_OP_LOGIN_RSP: /* §11.13 */
		mv8(enc, b + 2, &h->version_max);
		mv8(enc, b + 3, &h->version_min);
		mvbytes(enc, b + 8, h->isid, 6);
		mv16(enc, b + 14, &h->tsih);
		if (h->opcode == ISCSI_OP_LOGIN_REQ) {
			mv16(enc, b + 20, &h->cid);
			mv32(enc, b + 24, &h->cmdsn);
			mv32(enc, b + 28, &h->expstatsn);
		} else {
			mv32(enc, b + 24, &h->statsn);
			mv32(enc, b + 28, &h->expcmdsn);
			mv32(enc, b + 32, &h->maxcmdsn);
			mv8(enc, b + 36, &h->status_class);
			mv8(enc, b + 37, &h->status_detail);
		}
		break;
	case ISCSI_OP_TEXT_REQ: /* §11.10 */
	case ISCSI_OP_NOP_OUT:  /* §11.18 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->ttt);
		mv32(enc, b + 24, &h->cmdsn);
		mv32(enc, b + 28, &h->expstatsn);
		break;
	case ISCSI_OP_TEXT_RSP: /* §11.11 */
	case ISCSI_OP_NOP_IN:   /* §11.19 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->ttt);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		break;
	case ISCSI_OP_SCSI_CMD: /* §11.3 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->edtl);
		mv32(enc, b + 24, &h->cmdsn);
		mv32(enc, b + 28, &h->expstatsn);
		mvbytes(enc, b + 32, h->cdb, 16);
		break;
	case ISCSI_OP_SCSI_RSP: /* §11.4 */
		mv8(enc, b + 2, &h->response);
		mv8(enc, b + 3, &h->status);
		mv32(enc, b + 20, &h->snack_tag);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		mv32(enc, b + 36, &h->datasn);        /* ExpDataSN */
		mv32(enc, b + 40, &h->bidi_residual);
		mv32(enc, b + 44, &h->residual);
		break;
	case ISCSI_OP_TMF_REQ: /* §11.5 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->rtt);
		mv32(enc, b + 24, &h->cmdsn);
		mv32(enc, b + 28, &h->expstatsn);
		mv32(enc, b + 32, &h->refcmdsn);
		mv32(enc, b + 36, &h->datasn);        /* ExpDataSN */
		break;
	case ISCSI_OP_TMF_RSP: /* §11.6 */
		mv8(enc, b + 2, &h->response);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		break;
	case ISCSI_OP_DATA_OUT: /* §11.7.1 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->ttt);
		mv32(enc, b + 28, &h->expstatsn);
		mv32(enc, b + 36, &h->datasn);
		mv32(enc, b + 40, &h->buffer_offset);
		break;
	case ISCSI_OP_DATA_IN: /* §11.7.1 */
		mv8(enc, b + 3, &h->status);
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->ttt);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		mv32(enc, b + 36, &h->datasn);
		mv32(enc, b + 40, &h->buffer_offset);
		mv32(enc, b + 44, &h->residual);
		break;
	case ISCSI_OP_R2T: /* §11.8 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->ttt);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		mv32(enc, b + 36, &h->datasn);        /* R2TSN */
		mv32(enc, b + 40, &h->buffer_offset);
		mv32(enc, b + 44, &h->length);        /* Desired Data Transfer Length */
		break;
	case ISCSI_OP_ASYNC: /* §11.9 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		mv8(enc, b + 36, &h->async_event);
		mv8(enc, b + 37, &h->async_vcode);
		mv16(enc, b + 38, &h->param[0]);
		mv16(enc, b + 40, &h->param[1]);
		mv16(enc, b + 42, &h->param[2]);
		break;
	case ISCSI_OP_LOGOUT_REQ: /* §11.14 */
		mv16(enc, b + 20, &h->cid);
		mv32(enc, b + 24, &h->cmdsn);
		mv32(enc, b + 28, &h->expstatsn);
		break;
	case ISCSI_OP_LOGOUT_RSP: /* §11.15 */
		mv8(enc, b + 2, &h->response);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		mv16(enc, b + 40, &h->time2wait);
		mv16(enc, b + 42, &h->time2retain);
		break;
	case ISCSI_OP_SNACK: /* §11.16 */
		mvbytes(enc, b + 8, h->lun, 8);
		mv32(enc, b + 20, &h->ttt);
		mv32(enc, b + 28, &h->expstatsn);
		mv32(enc, b + 40, &h->datasn);        /* BegRun */
		mv32(enc, b + 44, &h->length);        /* RunLength */
		break;
	case ISCSI_OP_REJECT: /* §11.17 */
		mv8(enc, b + 2, &h->reason);
		mv32(enc, b + 24, &h->statsn);
		mv32(enc, b + 28, &h->expcmdsn);
		mv32(enc, b + 32, &h->maxcmdsn);
		mv32(enc, b + 36, &h->datasn);        /* DataSN/R2TSN */
		break;
	}
}

int iscsi_bhs_encode(const struct iscsi_bhs *h, uint8_t out[ISCSI_BHS_LEN])
{
	struct iscsi_bhs tmp;

	if (!iscsi_opcode_known(h->opcode))
		return -WB_EISCSIOPCODE;
	if (h->ahs_len % 4 || h->ahs_len > ISCSI_AHS_MAX || h->data_len > ISCSI_DSL_MAX || h->immediate > 1)
		return -WB_EINVAL;
	memset(out, 0, ISCSI_BHS_LEN);
	out[0] = (uint8_t)(h->immediate << 6 | h->opcode);
	out[1] = h->flags;
	if (h->opcode == ISCSI_OP_TMF_REQ)
		out[1] = (uint8_t)((h->flags & 0x80) | (h->tmf_function & 0x7f));
	out[4] = (uint8_t)(h->ahs_len / 4);
	out[5] = (uint8_t)(h->data_len >> 16);
	out[6] = (uint8_t)(h->data_len >> 8);
	out[7] = (uint8_t)h->data_len;
	wb_put32(out + 16, h->itt);
	tmp = *h; /* bhs_fields takes a non-const struct for both directions */
	bhs_fields(1, out, &tmp);
	return 0;
}

int iscsi_bhs_decode(const uint8_t in[ISCSI_BHS_LEN], uint32_t max_recv_dsl, struct iscsi_bhs *h)
{
	uint8_t b[ISCSI_BHS_LEN];

	memset(h, 0, sizeof(*h));
	memcpy(b, in, sizeof(b));
	h->opcode = b[0] & 0x3f;
	if (!iscsi_opcode_known(h->opcode))
		return -WB_EISCSIOPCODE;
	if (!iscsi_opcode_from_target(h->opcode))
		h->immediate = (b[0] >> 6) & 1;
	h->flags = b[1];
	if (h->opcode == ISCSI_OP_TMF_REQ)
		h->tmf_function = b[1] & 0x7f;
	h->ahs_len = (uint32_t)b[4] * 4;
	h->data_len = (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
	h->itt = wb_get32(b + 16);
	bhs_fields(0, b, h);
	if (h->data_len > max_recv_dsl)
		return -WB_EISCSIDSL;
	if (h->data_len && (h->opcode == ISCSI_OP_R2T || h->opcode == ISCSI_OP_LOGOUT_RSP ||
			    h->opcode == ISCSI_OP_TMF_RSP))
		return -WB_EISCSIPDU;
	return 0;
}

int iscsi_ahs_check(const uint8_t *ahs, uint32_t len)
{
	uint32_t off = 0;

	if (len % 4)
		return -WB_EISCSIAHS;
	while (off < len) {
		uint32_t seg;

		if (len - off < 4)
			return -WB_EISCSIAHS;
		/* AHSLength counts the bytes after the 4-byte AHS header, before padding */
		seg = 4 + ISCSI_PAD4((uint32_t)wb_get16(ahs + off));
		if (wb_get16(ahs + off) == 0 || seg > len - off)
			return -WB_EISCSIAHS;
		off += seg;
	}
	return 0;
}

size_t iscsi_pdu_size(const struct iscsi_bhs *h, int header_digest, int data_digest)
{
	size_t n = ISCSI_BHS_LEN + (size_t)h->ahs_len + ISCSI_PAD4((size_t)h->data_len);

	if (header_digest)
		n += ISCSI_DIGEST_LEN;
	if (data_digest && h->data_len)
		n += ISCSI_DIGEST_LEN;
	return n;
}

int iscsi_pdu_build(const struct iscsi_bhs *h, const uint8_t *ahs, const uint8_t *data,
		    int header_digest, int data_digest, uint8_t *out, size_t cap)
{
	size_t n = iscsi_pdu_size(h, header_digest, data_digest), off, padded;
	int rc;

	if (h->data_len > ISCSI_DSL_MAX || h->ahs_len > ISCSI_AHS_MAX)
		return -WB_EINVAL;
	if (n > cap)
		return -WB_ETOOBIG;
	rc = iscsi_bhs_encode(h, out);
	if (rc < 0)
		return rc;
	off = ISCSI_BHS_LEN;
	if (h->ahs_len) {
		memcpy(out + off, ahs, h->ahs_len);
		off += h->ahs_len;
	}
	if (header_digest) {
		crc32c_put(out + off, crc32c(0, out, off));
		off += ISCSI_DIGEST_LEN;
	}
	if (h->data_len) {
		padded = ISCSI_PAD4((size_t)h->data_len);
		memcpy(out + off, data, h->data_len);
		memset(out + off + h->data_len, 0, padded - h->data_len);
		/* RFC 7143 §13.1: the data digest covers the data and its padding */
		if (data_digest)
			crc32c_put(out + off + padded, crc32c(0, out + off, padded));
		off += padded + (data_digest ? ISCSI_DIGEST_LEN : 0);
	}
	return (int)off;
}

int iscsi_rx_init(struct iscsi_rx *rx, uint8_t *data_buf, size_t data_cap, uint32_t max_recv_dsl)
{
	memset(rx, 0, sizeof(*rx));
	rx->data_buf = data_buf;
	rx->data_cap = data_cap;
	rx->state = RX_HEADER;
	rx->hdr_need = ISCSI_BHS_LEN;
	return iscsi_rx_set_max_dsl(rx, max_recv_dsl);
}

int iscsi_rx_set_digests(struct iscsi_rx *rx, int header_digest, int data_digest)
{
	if (rx->state != RX_HEADER || rx->have)
		return -WB_EAGAIN;
	rx->header_digest = header_digest != 0;
	rx->data_digest = data_digest != 0;
	return 0;
}

int iscsi_rx_set_max_dsl(struct iscsi_rx *rx, uint32_t max_recv_dsl)
{
	if (rx->state != RX_HEADER || rx->have)
		return -WB_EAGAIN;
	if (max_recv_dsl > ISCSI_DSL_MAX || (max_recv_dsl && (!rx->data_buf || rx->data_cap < ISCSI_PAD4((size_t)max_recv_dsl))))
		return -WB_EINVAL;
	rx->max_recv_dsl = max_recv_dsl;
	return 0;
}

static int rx_fail(struct iscsi_rx *rx, int rc)
{
	rx->state = RX_ERROR;
	rx->error = rc;
	return rc;
}

/* all header bytes are in: verify the digest, then trust and decode the BHS */
static int rx_header_done(struct iscsi_rx *rx)
{
	uint32_t ahs_len = (uint32_t)rx->hdr[4] * 4;
	struct iscsi_bhs *h = &rx->pdu.bhs;
	int rc;

	if (rx->header_digest) {
		uint32_t at = ISCSI_BHS_LEN + ahs_len;

		if (crc32c(0, rx->hdr, at) != crc32c_get(rx->hdr + at))
			return -WB_EISCSIHDIGEST;
	}
	rc = iscsi_bhs_decode(rx->hdr, rx->max_recv_dsl, h);
	if (rc < 0)
		return rc;
	rc = iscsi_ahs_check(rx->hdr + ISCSI_BHS_LEN, ahs_len);
	if (rc < 0)
		return rc;
	rx->pdu.ahs = ahs_len ? rx->hdr + ISCSI_BHS_LEN : NULL;
	rx->pdu.data = h->data_len ? rx->data_buf : NULL;
	rx->data_need = ISCSI_PAD4(h->data_len);
	if (h->data_len && rx->data_digest)
		rx->data_need += ISCSI_DIGEST_LEN;
	return 0;
}

int iscsi_rx_feed(struct iscsi_rx *rx, const uint8_t *in, size_t len, size_t *used)
{
	size_t off = 0, take;
	int rc;

	*used = 0;
	for (;;) {
		switch (rx->state) {
		case RX_ERROR:
			return rx->error;
		case RX_HEADER:
			take = rx->hdr_need - rx->have;
			if (take > len - off)
				take = len - off;
			memcpy(rx->hdr + rx->have, in + off, take);
			rx->have += take;
			off += take;
			*used = off;
			if (rx->have < rx->hdr_need)
				return 0;
			if (rx->hdr_need == ISCSI_BHS_LEN) {
				/* the BHS is in: now we know how much header follows */
				rx->hdr_need += (uint32_t)rx->hdr[4] * 4 + (rx->header_digest ? ISCSI_DIGEST_LEN : 0);
				if (rx->hdr_need > ISCSI_BHS_LEN)
					continue;
			}
			rc = rx_header_done(rx);
			if (rc < 0)
				return rx_fail(rx, rc);
			rx->state = RX_DATA;
			rx->have = 0;
			continue;
		case RX_DATA: {
			size_t padded = ISCSI_PAD4((size_t)rx->pdu.bhs.data_len);

			while (rx->have < rx->data_need && off < len) {
				if (rx->have < padded) {
					take = padded - rx->have;
					if (take > len - off)
						take = len - off;
					memcpy(rx->data_buf + rx->have, in + off, take);
				} else {
					take = rx->data_need - rx->have;
					if (take > len - off)
						take = len - off;
					memcpy(rx->ddigest + (rx->have - padded), in + off, take);
				}
				rx->have += take;
				off += take;
			}
			*used = off;
			if (rx->have < rx->data_need)
				return 0;
			if (rx->pdu.bhs.data_len && rx->data_digest &&
			    crc32c(0, rx->data_buf, padded) != crc32c_get(rx->ddigest))
				return rx_fail(rx, -WB_EISCSIDDIGEST);
			/* done: reset for the next PDU, keep rx->pdu for the caller */
			rx->state = RX_HEADER;
			rx->have = 0;
			rx->hdr_need = ISCSI_BHS_LEN;
			return 1;
		}
		}
	}
}
