/*
 * crc32c.c — CRC32C (see crc32c.h) on the shared slice-by-8 engine, core/crc.c
 * (reflected polynomial 0x82F63B78).  tests/unit/test_crc32c.c checks it
 * against RFC 3720 §B.4 and the bitwise definition.
 */
#include "core/crc.h"
#include "proto/crc32c.h"

static struct crc_tables crc32c_tab = { .poly = 0x82F63B78u };

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	return crc_reflected(&crc32c_tab, crc, buf, len);
}
