/*
 * crc32c.h — CRC32C (Castagnoli), the iSCSI header and data digest
 * (RFC 7143 §13.1 "CRC32C", RFC 3720 §B.4 examples).
 *
 * Polynomial 0x1EDC6F41, processed reflected (0x82F63B78), initial value
 * 0xFFFFFFFF, final XOR 0xFFFFFFFF.  The 32-bit value goes on the wire
 * least-significant byte first: RFC 3720 §B.4 lists the CRC of 32 zero
 * bytes as the bytes "aa 36 91 8a", i.e. the value 0x8a9136aa stored
 * little-endian.  Use crc32c_put()/crc32c_get() for the wire form, never
 * wb_put32 (which is big-endian).
 */
#ifndef WB_CRC32C_H
#define WB_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/**
 * Continue a CRC32C over @len bytes of @buf.  Start with crc = 0, then pass
 * the previous return value to add more bytes (like wb_crc32): the pre- and
 * post-conditioning is done inside, so crc32c(crc32c(0, a), b) equals the
 * CRC of a||b.  Pure; any time.
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

/** Store @crc at @p[0..3] in iSCSI wire order (least-significant byte first). */
static inline void crc32c_put(uint8_t *p, uint32_t crc)
{
	p[0] = (uint8_t)crc; p[1] = (uint8_t)(crc >> 8); p[2] = (uint8_t)(crc >> 16); p[3] = (uint8_t)(crc >> 24);
}
/** Read a digest stored in iSCSI wire order at @p[0..3]. */
static inline uint32_t crc32c_get(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
