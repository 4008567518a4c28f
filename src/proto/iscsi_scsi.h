/*
 * iscsi_scsi.h — SCSI over iSCSI, the pure parts (RFC 7143 §11.3/§11.4/
 * §11.7; SPC-4 INQUIRY, SBC-3 READ CAPACITY(10)): build a SCSI Command
 * PDU, decode INQUIRY and READ CAPACITY data.  The first cut used by
 * `wireboot preflight`; the session layer (CmdSN window, several commands
 * in flight, Data-Out/R2T, sense decoding) grows here.
 */
#ifndef WB_ISCSI_SCSI_H
#define WB_ISCSI_SCSI_H

#include <stddef.h>
#include <stdint.h>

#include "proto/iscsi_pdu.h"

#define SCSI_INQUIRY          0x12
#define SCSI_READ_CAPACITY10  0x25
#define SCSI_READ10           0x28
#define SCSI_READ16           0x88
#define SCSI_SERVICE_ACTION_IN16 0x9e
#define SCSI_SA_READ_CAPACITY16  0x10
#define SCSI_SENSE_UNIT_ATTENTION 0x6
#define SCSI_STATUS_GOOD      0x00
#define SCSI_STATUS_CHECK     0x02

/** Fill a SCSI Command BHS for a read-direction (or no-data when @edtl is 0) command. */
void iscsi_scsi_cmd(struct iscsi_bhs *h, const uint8_t lun[8], uint32_t itt, uint32_t cmdsn,
		    uint32_t expstatsn, const uint8_t *cdb, size_t cdb_len, uint32_t edtl);

/** CDBs. */
void scsi_cdb_inquiry(uint8_t cdb[6], uint16_t alloc_len);
void scsi_cdb_read_capacity10(uint8_t cdb[10]);
/** READ CAPACITY(16) (SERVICE ACTION IN(16), SBC-3 §5.16), 32 bytes allocation. */
void scsi_cdb_read_capacity16(uint8_t cdb[16]);
/** READ(10) (SBC-3 §5.11): @lba < 2^32, @nblocks <= 0xffff. */
void scsi_cdb_read10(uint8_t cdb[10], uint32_t lba, uint16_t nblocks);
/** READ(16) (SBC-3 §5.13). */
void scsi_cdb_read16(uint8_t cdb[16], uint64_t lba, uint32_t nblocks);

struct scsi_inquiry {
	uint8_t peripheral_type;     /* 0 = direct-access block device */
	uint8_t qualifier;           /* 0 = connected; 3 = no LUN here */
	char vendor[9], product[17], revision[5];  /* trailing spaces trimmed */
};
/** Decode standard INQUIRY data (@len >= 36).  0 or -WB_EISCSISCSI. */
int scsi_parse_inquiry(const uint8_t *d, size_t len, struct scsi_inquiry *out);

/** READ CAPACITY(10): @len >= 8; blocks = last LBA + 1.  0 or -WB_EISCSISCSI. */
int scsi_parse_read_capacity10(const uint8_t *d, size_t len, uint64_t *blocks, uint32_t *block_size);
/** 1 when READ CAPACITY(10) data says "too large, use READ CAPACITY(16)" (last LBA 0xffffffff). */
int scsi_read_capacity10_overflow(const uint8_t *d, size_t len);
/** READ CAPACITY(16): @len >= 12.  0 or -WB_EISCSISCSI. */
int scsi_parse_read_capacity16(const uint8_t *d, size_t len, uint64_t *blocks, uint32_t *block_size);

/** Sense data (fixed 0x70/0x71 or descriptor 0x72/0x73, SPC-4 §4.5). */
struct scsi_sense {
	uint8_t key, asc, ascq;
};
/** Decode @len bytes of sense data.  0 or -WB_EISCSISCSI (unknown format). */
int scsi_parse_sense(const uint8_t *d, size_t len, struct scsi_sense *out);

#endif
