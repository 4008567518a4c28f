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

void iscsi_scsi_cmd_write(struct iscsi_bhs *h, const uint8_t lun[8], uint32_t itt, uint32_t cmdsn,
			  uint32_t expstatsn, const uint8_t *cdb, size_t cdb_len, uint32_t edtl, int final)
{
	iscsi_scsi_cmd(h, lun, itt, cmdsn, expstatsn, cdb, cdb_len, edtl);
	h->flags = (uint8_t)((final ? ISCSI_FLAG_FINAL : 0) | (edtl ? ISCSI_CMD_WRITE : 0) | ISCSI_ATTR_SIMPLE);
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
	/* (2^32) * (2^32 - 1) < 2^64: the byte size cannot overflow here */
	if (*block_size == 0 || *block_size > SCSI_BLOCK_SIZE_MAX)
		return -WB_EISCSICAPACITY;
	return 0;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void scsi_cdb_read_capacity16(uint8_t cdb[16])
{
	memset(cdb, 0, 16);
	cdb[0] = SCSI_SERVICE_ACTION_IN16;
	cdb[1] = SCSI_SA_READ_CAPACITY16;
	put_be32(cdb + 10, 32);
}

void scsi_cdb_read10(uint8_t cdb[10], uint32_t lba, uint16_t nblocks)
{
	memset(cdb, 0, 10);
	cdb[0] = SCSI_READ10;
	put_be32(cdb + 2, lba);
	cdb[7] = (uint8_t)(nblocks >> 8);
	cdb[8] = (uint8_t)nblocks;
}

void scsi_cdb_read16(uint8_t cdb[16], uint64_t lba, uint32_t nblocks)
{
	memset(cdb, 0, 16);
	cdb[0] = SCSI_READ16;
	put_be32(cdb + 2, (uint32_t)(lba >> 32));
	put_be32(cdb + 6, (uint32_t)lba);
	put_be32(cdb + 10, nblocks);
}

void scsi_cdb_write10(uint8_t cdb[10], uint32_t lba, uint16_t nblocks)
{
	scsi_cdb_read10(cdb, lba, nblocks);
	cdb[0] = SCSI_WRITE10;
}

void scsi_cdb_write16(uint8_t cdb[16], uint64_t lba, uint32_t nblocks)
{
	scsi_cdb_read16(cdb, lba, nblocks);
	cdb[0] = SCSI_WRITE16;
}

void scsi_cdb_test_unit_ready(uint8_t cdb[6])
{
	memset(cdb, 0, 6);
	cdb[0] = SCSI_TEST_UNIT_READY;
}

void scsi_cdb_sync_cache10(uint8_t cdb[10], uint32_t lba, uint16_t nblocks)
{
	/* same layout as READ(10): LBA in bytes 2..5, NUMBER OF LOGICAL
	   BLOCKS in 7..8; IMMED (byte 1 bit 1) stays 0: status after the flush */
	scsi_cdb_read10(cdb, lba, nblocks);
	cdb[0] = SCSI_SYNC_CACHE10;
}

void scsi_cdb_sync_cache16(uint8_t cdb[16], uint64_t lba, uint32_t nblocks)
{
	scsi_cdb_read16(cdb, lba, nblocks);
	cdb[0] = SCSI_SYNC_CACHE16;
}

void scsi_cdb_report_luns(uint8_t cdb[12], uint32_t alloc_len)
{
	memset(cdb, 0, 12);
	cdb[0] = SCSI_REPORT_LUNS;
	put_be32(cdb + 6, alloc_len);
}

void scsi_cdb_mode_sense6(uint8_t cdb[6], uint8_t page, uint8_t alloc_len)
{
	memset(cdb, 0, 6);
	cdb[0] = SCSI_MODE_SENSE6;
	cdb[1] = 0x08;                  /* DBD: no block descriptors */
	cdb[2] = (uint8_t)(page & 0x3f); /* PC 0: current values */
	cdb[4] = alloc_len;
}

uint32_t scsi_report_luns_total(const uint8_t *buf, size_t len)
{
	return len >= 4 ? get_be32(buf) / 8 : 0;
}

int scsi_parse_report_luns(const uint8_t *buf, size_t len, uint8_t (*luns)[8], size_t max, size_t *n)
{
	uint32_t list;
	size_t have, k;

	*n = 0;
	if (len < 8)
		return -WB_EISCSISCSI;
	list = get_be32(buf);
	if (list % 8)
		return -WB_EISCSISCSI;
	/* entries wholly inside the buffer, the list, and the caller's array */
	have = (len - 8) / 8;
	if (have > list / 8)
		have = list / 8;
	if (have > max)
		have = max;
	for (k = 0; k < have; k++)
		memcpy(luns[k], buf + 8 + 8 * k, 8);
	*n = have;
	return 0;
}

int scsi_parse_mode_sense6_wp(const uint8_t *buf, size_t len)
{
	/* MODE DATA LENGTH counts the bytes after itself: the header alone is 3 */
	if (len < 4 || buf[0] < 3)
		return -WB_EISCSISCSI;
	return (buf[2] & 0x80) ? 1 : 0;
}

int scsi_read_capacity10_overflow(const uint8_t *d, size_t len)
{
	return len >= 4 && get_be32(d) == 0xffffffffu;
}

int scsi_parse_read_capacity16(const uint8_t *d, size_t len, uint64_t *blocks, uint32_t *block_size)
{
	uint64_t last;

	if (len < 12)
		return -WB_EISCSISCSI;
	last = (uint64_t)get_be32(d) << 32 | get_be32(d + 4);
	*block_size = get_be32(d + 8);
	*blocks = last + 1;   /* 0 when last is 2^64 - 1: refused below */
	if (*block_size == 0 || *block_size > SCSI_BLOCK_SIZE_MAX || last == ~(uint64_t)0)
		return -WB_EISCSICAPACITY;
	/* the byte size must fit 64 bits: blocks * block_size <= 2^64 - 1 */
	if (*blocks > ~(uint64_t)0 / *block_size)
		return -WB_EISCSICAPACITY;
	return 0;
}

int scsi_parse_sense(const uint8_t *d, size_t len, struct scsi_sense *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return -WB_EISCSISCSI;
	switch (d[0] & 0x7f) {
	case 0x70:
	case 0x71:
		if (len < 3)
			return -WB_EISCSISCSI;
		out->key = d[2] & 0xf;
		if (len >= 14) {
			out->asc = d[12];
			out->ascq = d[13];
		}
		return 0;
	case 0x72:
	case 0x73:
		if (len < 4)
			return -WB_EISCSISCSI;
		out->key = d[1] & 0xf;
		out->asc = d[2];
		out->ascq = d[3];
		return 0;
	default:
		return -WB_EISCSISCSI;
	}
}
