/* fuzz_pe.c — libFuzzer target: PE/COFF header check of an EFI image's first bytes (pe_parse). */
#include <stddef.h>
#include <stdint.h>

#include "disk/pe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pe_info pi;

	if (pe_parse(data, size, &pi) == 0) {
		if ((size_t)pi.e_lfanew + 24 + 70 > size)
			__builtin_trap();
		(void)pe_machine_name(pi.machine);
		(void)pe_subsystem_name(pi.subsystem);
	}
	return 0;
}
