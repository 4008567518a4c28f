/*
 * test_smbios.c — SMBIOS type-1 decoding on hand-built tables laid out as
 * DSP0134 §6.1.2 / §7.2 describe (UUID byte order per §7.2.1).
 */
#define UNIT_NAME "smbios"
#include <stdint.h>

#include "core/err.h"
#include "core/smbios.h"
#include "unit.h"

static size_t put(uint8_t *t, size_t pos, const void *p, size_t n)
{
	memcpy(t + pos, p, n);
	return pos + n;
}

int main(void)
{
	uint8_t t[512];
	struct smbios_sysinfo si;
	size_t n = 0;
	/* type 0 (BIOS), one string */
	static const uint8_t bios[] = { 0, 0x12, 0x00, 0x00, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* type 1: manufacturer=1 product=2 version=0 serial=3, uuid */
	uint8_t sys[0x1b] = { 1, 0x1b, 0x01, 0x00, 1, 2, 0, 3 };
	static const uint8_t uuid_le[16] = { 0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66,
					     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t end127[] = { 127, 4, 0x02, 0x00, 0, 0 };

	n = put(t, n, bios, sizeof(bios));
	n = put(t, n, "Vendor BIOS\0\0", 13);
	memcpy(sys + 8, uuid_le, 16);
	n = put(t, n, sys, sizeof(sys));
	{
		static const char strs[] = "QEMU\0Standard PC\0SN\x01" "42\0";   /* + the final NUL */

		n = put(t, n, strs, sizeof(strs));
	}
	n = put(t, n, end127, sizeof(end127));

	CHECK("type 1 found after type 0", smbios_parse_sysinfo(t, n, &si) == 0);
	CHECK_STR("manufacturer", si.manufacturer, "QEMU");
	CHECK_STR("product", si.product, "Standard PC");
	CHECK_STR("serial, control byte replaced", si.serial, "SN?42");
	{
		static const uint8_t want[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
						  0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };

		CHECK("uuid in display order", si.has_uuid && !memcmp(si.uuid, want, 16));
	}
	CHECK("truncated table refused", smbios_parse_sysinfo(t, 20, &si) == -WB_EINVAL);
	CHECK("no type 1 → not found", smbios_parse_sysinfo(end127, sizeof(end127), &si) == -WB_ENOENT);
	{
		uint8_t bad[8] = { 1, 2, 0, 0, 0, 0, 0, 0 };   /* length 2 < header */

		CHECK("length below 4 refused", smbios_parse_sysinfo(bad, sizeof(bad), &si) == -WB_EINVAL);
	}
	/* all-ones UUID means "not present" */
	memset(t + sizeof(bios) + 13 + 8, 0xff, 16);
	CHECK("all-ones uuid parses", smbios_parse_sysinfo(t, n, &si) == 0);
	CHECK("all-ones uuid = absent", !si.has_uuid);
	return unit_done();
}
