/* util.c — parsing and formatting helpers. */
#include <string.h>

#include "core/crc.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"

int wb_parse_ipv4(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;

		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return -WB_EBADVAL;
		}
		if (!digits)
			return -WB_EBADVAL;
		out[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return -WB_EBADVAL;
	}
	return *s ? -WB_EBADVAL : 0;
}

char *wb_fmt_ipv4(const uint8_t ip[4], char *buf)
{
	wb_snprintf(buf, 16, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
	return buf;
}

int wb_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int wb_parse_mac(const char *s, uint8_t out[6])
{
	for (int i = 0; i < 6; i++) {
		int hi = wb_hexval(s[0]), lo = wb_hexval(s[1]);

		if (hi < 0 || lo < 0)
			return -WB_EBADVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s != ':' && *s != '-')
			return -WB_EBADVAL;
		if (i < 5)
			s++;
	}
	return *s ? -WB_EBADVAL : 0;
}

char *wb_fmt_mac(const uint8_t m[6], char *buf)
{
	wb_snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

int wb_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned base = 10;
	int digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		int d = wb_hexval(*s);

		if (d < 0 || (unsigned)d >= base)
			return -WB_EBADVAL;
		if (v > (max - (unsigned)d) / base)
			return -WB_EBADVAL;
		v = v * base + (unsigned)d;
		digits++;
	}
	if (!digits)
		return -WB_EBADVAL;
	*out = v;
	return 0;
}

size_t wb_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);

	if (cap) {
		size_t c = n < cap - 1 ? n : cap - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

char *wb_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = plat_malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* CRC-32 (reflected 0xEDB88320), slice-by-8 (core/crc.c) */
static struct crc_tables crc32_tab = { .poly = 0xEDB88320u };

uint32_t wb_crc32(uint32_t crc, const void *buf, size_t len)
{
	return crc_reflected(&crc32_tab, crc, buf, len);
}

void wb_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}
