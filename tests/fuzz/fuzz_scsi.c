/*
 * fuzz_scsi.c — libFuzzer target: the pure SCSI data parsers of
 * proto/iscsi_scsi.c over arbitrary bytes (the target's answers):
 * scsi_parse_report_luns (+ scsi_report_luns_total), scsi_parse_mode_sense6_wp,
 * scsi_parse_sense, scsi_parse_inquiry, scsi_parse_read_capacity10/16.
 * Byte 0 picks the array size for REPORT LUNS (0-15); the rest is the data.
 * Checks: no crash, no out-of-bounds access (the data is an exactly sized
 * heap copy), the LUN count within the array and the whole entries present,
 * WP 0 or 1 or an error, strings terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/iscsi_scsi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t luns[16][8];
	struct scsi_sense sense;
	struct scsi_inquiry inq;
	uint64_t blocks;
	uint32_t bs;
	size_t n = 99, max;
	uint8_t *d;
	int rc;

	if (size < 1)
		return 0;
	max = data[0] & 15;
	d = malloc(size - 1 ? size - 1 : 1);
	memcpy(d, data + 1, size - 1);
	size--;
	rc = scsi_parse_report_luns(d, size, luns, max, &n);
	if (rc == 0 && (n > max || 8 + 8 * n > size || n > scsi_report_luns_total(d, size)))
		abort();
	if (rc && n != 0)
		abort();
	for (size_t k = 0; rc == 0 && k < n; k++)
		if (memcmp(luns[k], d + 8 + 8 * k, 8))
			abort();
	rc = scsi_parse_mode_sense6_wp(d, size);
	if (rc != 0 && rc != 1 && rc >= 0)
		abort();
	scsi_parse_sense(d, size, &sense);
	if (sense.key > 15)
		abort();
	if (scsi_parse_inquiry(d, size, &inq) == 0 &&
	    (strlen(inq.vendor) > 8 || strlen(inq.product) > 16 || strlen(inq.revision) > 4))
		abort();
	if (scsi_parse_read_capacity10(d, size, &blocks, &bs) == 0 && (bs == 0 || blocks == 0))
		abort();
	if (scsi_parse_read_capacity16(d, size, &blocks, &bs) == 0 && (bs == 0 || blocks == 0))
		abort();
	free(d);
	return 0;
}
