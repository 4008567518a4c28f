/*
 * crc.h — reflected 32-bit CRCs, slice-by-8: CRC-32 (wb_crc32, polynomial
 * 0xEDB88320: GPT, tcprecv) and CRC32C (proto/crc32c.h, 0x82F63B78: iSCSI
 * digests) share this engine.
 *
 * How it works: table 0 holds the CRC of each byte value (the 8-step
 * shift/XOR definition); table k holds the CRC of a byte followed by k zero
 * bytes, so eight input bytes are folded with eight lookups instead of eight
 * dependent steps.  The tables (8 KiB per polynomial) are computed on first
 * use into zeroed static storage; no allocation, no failure.
 */
#ifndef WB_CRC_H
#define WB_CRC_H

#include <stddef.h>
#include <stdint.h>

struct crc_tables {
	uint32_t poly;          /* reflected polynomial */
	int ready;
	uint32_t t[8][256];
};

/**
 * Continue a reflected CRC over @len bytes of @buf: start with crc = 0 and
 * pass the previous return value to add more (pre- and post-conditioning
 * with ~0 done inside).  Pure but for building @tab's tables once.
 */
uint32_t crc_reflected(struct crc_tables *tab, uint32_t crc, const void *buf, size_t len);

#endif
