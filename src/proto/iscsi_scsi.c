/*
 * iscsi_scsi.c — see iscsi_scsi.h.
 */
#include <string.h>

#include "core/err.h"
#include "proto/iscsi_scsi.h"

void iscsi_scsi_cmd(struct iscsi_bhs *h, const uint8_t lun[8], uint32_t itt, uint32_t cmdsn,
		    uint32_t expstatsn, const uint8_t *cdb, size_t cdb_len, uint32_t edtl)
{
	memset(h, 0, sizeof(*h));
	h->opcode = ISCSI_OP_SCSI_CMD;
	h->flags = (uint8_t)(ISCSI_FLAG_FINAL | (edtl ? ISCSI_CMD_READ : 0) | ISCSI_ATTR_SIMPLE);
	memcpy(h->lun, lun, 8);
	h->itt = itt;
	h->edtl = edtl;
	h->cmdsn = cmdsn;
	h->expstatsn = expstatsn;
	memcpy(h->cdb, cdb, cdb_len > 16 ? 16 : cdb_len);
}

void scsi_cdb_inquiry(uint8_t cdb[6], uint16_t alloc_len)
{
	memset(cdb, 0, 6);
	cdb[0] = SCSI_INQUIRY;
	cdb[3] = (uint8_t)(alloc_len >> 8);
	cdb[4] = (uint8_t)alloc_len;
}

void scsi_cdb_read_capacity10(uint8_t cdb[10])
{
	memset(cdb, 0, 10);
	cdb[0] = SCSI_READ_CAPACITY10;
}

static void copy_trim(char *dst, const uint8_t *src, size_t n)
{
	size_t k = n;

	for (size_t i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	while (k > 0 && dst[k - 1] == ' ')
		k--;
	dst[k] = '\0';
}

int scsi_parse_inquiry(const uint8_t *d, size_t len, struct scsi_inquiry *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 36)
		return -WB_EISCSISCSI;
	out->peripheral_type = d[0] & 0x1f;
	out->qualifier = d[0] >> 5;
	copy_trim(out->vendor, d + 8, 8);
	copy_trim(out->product, d + 16, 16);
	copy_trim(out->revision, d + 32, 4);
	return 0;
}

int scsi_parse_read_capacity10(const uint8_t *d, size_t len, uint64_t *blocks, uint32_t *block_size)
{
	uint32_t last;

	if (len < 8)
		return -WB_EISCSISCSI;
	last = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
	*block_size = (uint32_t)d[4] << 24 | (uint32_t)d[5] << 16 | (uint32_t)d[6] << 8 | d[7];
	*blocks = (uint64_t)last + 1;
	if (*block_size == 0)
		return -WB_EISCSISCSI;
	return 0;
}
