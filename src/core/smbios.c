/*
 * smbios.c — walk SMBIOS structures (DSP0134 §6.1.2: header type/length/
 * handle, formatted area of `length` bytes, then a set of NUL-terminated
 * strings ended by an extra NUL) and decode type 1.
 */
#include <string.h>

#include "core/err.h"
#include "core/smbios.h"

/* String number @idx (1-based) of the structure whose strings start at @s. */
static void smbios_string(const uint8_t *s, const uint8_t *end, unsigned idx, char *out,
			  size_t cap)
{
	out[0] = '\0';
	if (!idx)
		return;
	while (s < end && *s && --idx) {
		while (s < end && *s)
			s++;
		s++;
	}
	if (idx || s >= end)
		return;
	for (size_t n = 0; s < end && *s; s++) {
		if (n + 1 < cap) {
			out[n++] = (*s >= 0x20 && *s < 0x7f) ? (char)*s : '?';
			out[n] = '\0';
		}
	}
}

int smbios_parse_sysinfo(const uint8_t *table, size_t len, struct smbios_sysinfo *out)
{
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	while (pos + 4 <= len) {
		const uint8_t *h = table + pos;
		uint8_t type = h[0], slen = h[1];
		const uint8_t *strings, *end = table + len, *p;

		if (slen < 4 || pos + slen > len)
			return -WB_EINVAL;
		strings = h + slen;
		/* the string set ends with two NULs */
		for (p = strings; p + 1 < end && !(p[0] == 0 && p[1] == 0); p++)
			;
		if (p + 1 >= end)
			return -WB_EINVAL;
		if (type == 1) {
			if (slen >= 8) {
				smbios_string(strings, p + 1, h[4], out->manufacturer, sizeof(out->manufacturer));
				smbios_string(strings, p + 1, h[5], out->product, sizeof(out->product));
				smbios_string(strings, p + 1, h[7], out->serial, sizeof(out->serial));
			}
			if (slen >= 0x19) {
				const uint8_t *u = h + 8;
				int all0 = 1, all1 = 1;

				for (int i = 0; i < 16; i++) {
					all0 &= u[i] == 0x00;
					all1 &= u[i] == 0xff;
				}
				/* §7.2.1: the first three fields are little-endian */
				out->uuid[0] = u[3]; out->uuid[1] = u[2]; out->uuid[2] = u[1]; out->uuid[3] = u[0];
				out->uuid[4] = u[5]; out->uuid[5] = u[4];
				out->uuid[6] = u[7]; out->uuid[7] = u[6];
				memcpy(out->uuid + 8, u + 8, 8);
				out->has_uuid = !all0 && !all1;   /* not set / not present */
			}
			return 0;
		}
		if (type == 127)
			break;   /* end of table */
		pos = (size_t)(p + 2 - table);
	}
	return -WB_ENOENT;
}
