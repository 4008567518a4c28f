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
#define SCSI_STATUS_GOOD      0x00
#define SCSI_STATUS_CHECK     0x02

/** Fill a SCSI Command BHS for a read-direction (or no-data when @edtl is 0) command. */
void iscsi_scsi_cmd(struct iscsi_bhs *h, const uint8_t lun[8], uint32_t itt, uint32_t cmdsn,
		    uint32_t expstatsn, const uint8_t *cdb, size_t cdb_len, uint32_t edtl);

/** CDBs. */
void scsi_cdb_inquiry(uint8_t cdb[6], uint16_t alloc_len);
void scsi_cdb_read_capacity10(uint8_t cdb[10]);

struct scsi_inquiry {
	uint8_t peripheral_type;     /* 0 = direct-access block device */
	uint8_t qualifier;           /* 0 = connected; 3 = no LUN here */
	char vendor[9], product[17], revision[5];  /* trailing spaces trimmed */
};
/** Decode standard INQUIRY data (@len >= 36).  0 or -WB_EISCSISCSI. */
int scsi_parse_inquiry(const uint8_t *d, size_t len, struct scsi_inquiry *out);

/** READ CAPACITY(10): @len >= 8; blocks = last LBA + 1.  0 or -WB_EISCSISCSI. */
int scsi_parse_read_capacity10(const uint8_t *d, size_t len, uint64_t *blocks, uint32_t *block_size);

#endif
