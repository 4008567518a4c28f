/* util.h — small helpers shared by every layer (no platform dependencies). */
#ifndef WB_UTIL_H
#define WB_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define WB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** Parse dotted-quad @s into network-order bytes @out[4].  0 or -WB_EBADVAL. */
int wb_parse_ipv4(const char *s, uint8_t out[4]);
/** Format 4 bytes as dotted quad into @buf (>= 16 bytes).  Returns @buf. */
char *wb_fmt_ipv4(const uint8_t ip[4], char *buf);
/** Value of hex digit @c, or -1. */
int wb_hexval(char c);
/** Parse "aa:bb:cc:dd:ee:ff" (or '-') into @out[6]. */
int wb_parse_mac(const char *s, uint8_t out[6]);
char *wb_fmt_mac(const uint8_t mac[6], char *buf); /* buf >= 18 */
/**
 * Parse an unsigned decimal (or 0x-prefixed hex) integer that must fill the
 * whole string and be <= @max.  0 or -WB_EBADVAL.
 */
int wb_parse_uint(const char *s, unsigned long long max, unsigned long long *out);
/** Copy at most cap-1 bytes and NUL-terminate; returns strlen(src). */
size_t wb_strlcpy(char *dst, const char *src, size_t cap);
/** Heap copy of @s (plat_malloc); NULL when out of memory. Caller frees. */
char *wb_strdup(const char *s);
/**
 * Zero @n bytes at @p through a volatile pointer, so that the compiler cannot drop the
 * stores as dead (a plain memset just before free() or a return may be removed).  For
 * buffers that held secrets.
 */
void wb_wipe(void *p, size_t n);
/** IEEE 802.3 CRC-32 (as zlib.crc32); pass 0 first, then the previous value. */
uint32_t wb_crc32(uint32_t crc, const void *buf, size_t len);

static inline uint16_t wb_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t wb_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void wb_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void wb_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif
