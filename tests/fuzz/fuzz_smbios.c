/* fuzz_smbios.c — libFuzzer target: SMBIOS structure walk (smbios_parse_sysinfo). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/smbios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smbios_sysinfo si;

	if (smbios_parse_sysinfo(data, size, &si) == 0 &&
	    (strlen(si.manufacturer) >= sizeof(si.manufacturer) || strlen(si.product) >= sizeof(si.product)))
		__builtin_trap();
	return 0;
}
