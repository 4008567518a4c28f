/*
 * smbios.h — the SMBIOS System Information structure (type 1, DMTF DSP0134
 * §7.2): manufacturer, product, serial number and UUID, for the settings
 * smbios/manufacturer … and ${uuid}.  A pure parser over the structure
 * table the platform hands over (plat_smbios()).
 */
#ifndef WB_SMBIOS_H
#define WB_SMBIOS_H

#include <stddef.h>
#include <stdint.h>

struct smbios_sysinfo {
	char manufacturer[64];
	char product[64];
	char serial[64];
	uint8_t uuid[16];      /* in display order (DSP0134 §7.2.1) */
	int has_uuid;
};

/**
 * Find the first type-1 structure in @table[0..len) and copy its strings.
 * Every structure's header, formatted area and string set is bounds
 * checked; strings are cut at 63 bytes and non-printable bytes become '?'.
 * @return 0, -WB_ENOENT when there is no type-1 structure, -WB_EINVAL when
 * the table is malformed before one is found.
 */
int smbios_parse_sysinfo(const uint8_t *table, size_t len, struct smbios_sysinfo *out);

#endif
