/*
 * efi_smbios.c — plat_smbios(): the SMBIOS structure table, found through
 * the configuration table (UEFI 2.10 §4.6): the SMBIOS 3 entry point
 * ("_SM3_", DSP0134 §5.2.2: table maximum size at 0x0C, 64-bit address at
 * 0x10) preferred over the 2.1 one ("_SM_", §5.2.1: length at 0x16,
 * 32-bit address at 0x18).
 */
#include <string.h>

#include "core/err.h"
#include "core/le.h"
#include "platform/efi/efi_plat.h"
#include "platform/platform.h"

static const EFI_GUID smbios3_guid =
	{ 0xf2fd1544, 0x9794, 0x4a2c, { 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 } };
static const EFI_GUID smbios_guid =
	{ 0xeb9d2d31, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } };

static const uint8_t *efi_config_table(const EFI_GUID *guid)
{
	for (UINTN i = 0; i < efi_plat.st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi_plat.st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, guid, sizeof(*guid)))
			return t->VendorTable;
	}
	return NULL;
}

int plat_smbios(const uint8_t **table, size_t *len)
{
	const uint8_t *ep = efi_config_table(&smbios3_guid);

	if (ep && !memcmp(ep, "_SM3_", 5)) {
		uint64_t addr = le32(ep + 0x10) | (uint64_t)le32(ep + 0x14) << 32;

		*table = (const uint8_t *)(uintptr_t)addr;
		*len = le32(ep + 0x0c);
		return addr ? 0 : -WB_ENOENT;
	}
	ep = efi_config_table(&smbios_guid);
	if (ep && !memcmp(ep, "_SM_", 4)) {
		*table = (const uint8_t *)(uintptr_t)le32(ep + 0x18);
		*len = (size_t)(ep[0x16] | ep[0x17] << 8);
		return *table ? 0 : -WB_ENOENT;
	}
	return -WB_ENOENT;
}
