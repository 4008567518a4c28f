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

#define SCSI_TEST_UNIT_READY  0x00
#define SCSI_INQUIRY          0x12
#define SCSI_MODE_SENSE6      0x1a
#define SCSI_READ_CAPACITY10  0x25
#define SCSI_READ10           0x28
#define SCSI_WRITE10          0x2a
#define SCSI_SYNC_CACHE10     0x35
#define SCSI_READ16           0x88
#define SCSI_WRITE16          0x8a
#define SCSI_SYNC_CACHE16     0x91
#define SCSI_REPORT_LUNS      0xa0
#define SCSI_SERVICE_ACTION_IN16 0x9e
#define SCSI_SA_READ_CAPACITY16  0x10
#define SCSI_SENSE_NOT_READY      0x2
#define SCSI_SENSE_UNIT_ATTENTION 0x6
#define SCSI_STATUS_GOOD      0x00
#define SCSI_STATUS_CHECK     0x02

/** Fill a SCSI Command BHS for a read-direction (or no-data when @edtl is 0) command. */
void iscsi_scsi_cmd(struct iscsi_bhs *h, const uint8_t lun[8], uint32_t itt, uint32_t cmdsn,
		    uint32_t expstatsn, const uint8_t *cdb, size_t cdb_len, uint32_t edtl);
/**
 * The same for a write-direction command (W bit, RFC 7143 §11.3.1): @final
 * 0 when unsolicited Data-Out PDUs follow the command (§11.3.1.1), the
 * caller sets data_len when immediate data rides along.
 */
void iscsi_scsi_cmd_write(struct iscsi_bhs *h, const uint8_t lun[8], uint32_t itt, uint32_t cmdsn,
			  uint32_t expstatsn, const uint8_t *cdb, size_t cdb_len, uint32_t edtl, int final);

/** CDBs. */
void scsi_cdb_inquiry(uint8_t cdb[6], uint16_t alloc_len);
void scsi_cdb_read_capacity10(uint8_t cdb[10]);
/** READ CAPACITY(16) (SERVICE ACTION IN(16), SBC-3 §5.16), 32 bytes allocation. */
void scsi_cdb_read_capacity16(uint8_t cdb[16]);
/** READ(10) (SBC-3 §5.11): @lba < 2^32, @nblocks <= 0xffff. */
void scsi_cdb_read10(uint8_t cdb[10], uint32_t lba, uint16_t nblocks);
/** READ(16) (SBC-3 §5.13). */
void scsi_cdb_read16(uint8_t cdb[16], uint64_t lba, uint32_t nblocks);
/** WRITE(10) (SBC-3 §5.32): @lba < 2^32, @nblocks <= 0xffff. */
void scsi_cdb_write10(uint8_t cdb[10], uint32_t lba, uint16_t nblocks);
/** WRITE(16) (SBC-3 §5.34). */
void scsi_cdb_write16(uint8_t cdb[16], uint64_t lba, uint32_t nblocks);
/** TEST UNIT READY (SPC-4 §6.47): six zero bytes. */
void scsi_cdb_test_unit_ready(uint8_t cdb[6]);
/**
 * SYNCHRONIZE CACHE(10) (SBC-3 §5.22): @nblocks 0 = from @lba through the
 * last block, so (0, 0) flushes the whole LUN whatever its size.
 */
void scsi_cdb_sync_cache10(uint8_t cdb[10], uint32_t lba, uint16_t nblocks);
/** SYNCHRONIZE CACHE(16) (SBC-3 §5.23), same meaning of @nblocks 0. */
void scsi_cdb_sync_cache16(uint8_t cdb[16], uint64_t lba, uint32_t nblocks);
/** REPORT LUNS (SPC-4 §6.33), SELECT REPORT 0, allocation length @alloc_len (>= 16). */
void scsi_cdb_report_luns(uint8_t cdb[12], uint32_t alloc_len);
/**
 * MODE SENSE(6) (SPC-4 §6.11) with DBD=1, PC=0 (current values), page
 * @page (0x3f = all pages), subpage 0, allocation length @alloc_len.
 */
void scsi_cdb_mode_sense6(uint8_t cdb[6], uint8_t page, uint8_t alloc_len);

struct scsi_inquiry {
	uint8_t peripheral_type;     /* 0 = direct-access block device */
	uint8_t qualifier;           /* 0 = connected; 3 = no LUN here */
	char vendor[9], product[17], revision[5];  /* trailing spaces trimmed */
};
/** Decode standard INQUIRY data (@len >= 36).  0 or -WB_EISCSISCSI. */
int scsi_parse_inquiry(const uint8_t *d, size_t len, struct scsi_inquiry *out);

/** Largest logical block size READ CAPACITY may report (anything above is taken as garbage). */
#define SCSI_BLOCK_SIZE_MAX (1u << 20)

/**
 * READ CAPACITY(10): @len >= 8; blocks = last LBA + 1.  0, -WB_EISCSISCSI
 * (too short), or -WB_EISCSICAPACITY (block size 0 or above
 * SCSI_BLOCK_SIZE_MAX); *@blocks and *@block_size hold what the data says
 * whenever @len was enough, for the caller's message.  Pure.
 */
int scsi_parse_read_capacity10(const uint8_t *d, size_t len, uint64_t *blocks, uint32_t *block_size);
/** 1 when READ CAPACITY(10) data says "too large, use READ CAPACITY(16)" (last LBA 0xffffffff). */
int scsi_read_capacity10_overflow(const uint8_t *d, size_t len);
/**
 * READ CAPACITY(16): @len >= 12.  0, -WB_EISCSISCSI (too short), or
 * -WB_EISCSICAPACITY: block size 0 or above SCSI_BLOCK_SIZE_MAX, or a byte
 * size (last LBA + 1) * block size beyond 2^64 - 1 (last LBA 2^64 - 1
 * included; *@blocks is then 0).  Outputs set as for (10).  Pure.
 */
int scsi_parse_read_capacity16(const uint8_t *d, size_t len, uint64_t *blocks, uint32_t *block_size);

/**
 * REPORT LUNS parameter data (SPC-4 §6.33.2): a 4-byte LUN LIST LENGTH, 4
 * reserved bytes, then 8-byte LUNs.  Copies up to @max LUNs that are wholly
 * inside @len bytes into @luns and stores the count in *@n.  Returns 0, or
 * -WB_EISCSISCSI when @len < 8 or the list length is not a multiple of 8.
 * scsi_report_luns_total() says how many the target has (which may be more
 * than fitted: ask again with a larger allocation).  Pure.
 */
int scsi_parse_report_luns(const uint8_t *buf, size_t len, uint8_t (*luns)[8], size_t max, size_t *n);
/** Number of LUNs the REPORT LUNS header announces (0 when @len < 4).  Pure. */
uint32_t scsi_report_luns_total(const uint8_t *buf, size_t len);

/**
 * MODE SENSE(6) data (SPC-4 §7.5.5, mode parameter header(6)): byte 0
 * MODE DATA LENGTH, byte 1 MEDIUM TYPE, byte 2 DEVICE-SPECIFIC PARAMETER
 * whose bit 7 is WP for direct-access devices (SBC-3 §6.4.1), byte 3
 * BLOCK DESCRIPTOR LENGTH.  Returns 1 write-protected, 0 writable, or
 * -WB_EISCSISCSI when @len < 4 or MODE DATA LENGTH < 3.  Pure.
 */
int scsi_parse_mode_sense6_wp(const uint8_t *buf, size_t len);

/** Sense data (fixed 0x70/0x71 or descriptor 0x72/0x73, SPC-4 §4.5). */
struct scsi_sense {
	uint8_t key, asc, ascq;
};
/** Decode @len bytes of sense data.  0 or -WB_EISCSISCSI (unknown format). */
int scsi_parse_sense(const uint8_t *d, size_t len, struct scsi_sense *out);

#endif
