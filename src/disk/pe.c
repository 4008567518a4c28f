/*
 * pe.c — PE/COFF header check.  Layout (Microsoft PE format specification):
 * MS-DOS header "MZ" with e_lfanew at 0x3C; at e_lfanew "PE\0\0" then the
 * 20-byte COFF header (machine 0, NumberOfSections 2, SizeOfOptionalHeader
 * 16, Characteristics 18); then the optional header: magic 0 (0x10B PE32,
 * 0x20B PE32+), AddressOfEntryPoint 16, SizeOfImage 56, Subsystem 68 — the
 * same offsets in both formats.
 */
#include "disk/pe.h"

#include <string.h>

#include "core/err.h"
#include "core/le.h"

const char *pe_machine_name(uint16_t m)
{
	switch (m) {
	case PE_MACHINE_ARM64: return "arm64";
	case PE_MACHINE_X86_64: return "x86_64";
	case PE_MACHINE_I386: return "i386";
	case 0x01C0: case 0x01C2: case 0x01C4: return "arm";
	case 0x0200: return "ia64";
	case 0x0EBC: return "EBC";
	case 0x5032: return "riscv32";
	case 0x5064: return "riscv64";
	case 0x5128: return "riscv128";
	case 0x6232: return "loongarch32";
	case 0x6264: return "loongarch64";
	default: return "unknown";
	}
}

const char *pe_subsystem_name(uint16_t s)
{
	switch (s) {
	case PE_SUBSYS_EFI_APP: return "EFI application";
	case PE_SUBSYS_EFI_BOOT_DRIVER: return "EFI boot service driver";
	case PE_SUBSYS_EFI_RT_DRIVER: return "EFI runtime driver";
	case 13: return "EFI ROM image";
	case 2: return "Windows GUI (not EFI)";
	case 3: return "Windows console (not EFI)";
	default: return "not EFI";
	}
}

uint16_t pe_machine_for_arch(const char *arch)
{
	if (!strcmp(arch, "arm64") || !strcmp(arch, "aa64") || !strcmp(arch, "aarch64"))
		return PE_MACHINE_ARM64;
	if (!strcmp(arch, "x86_64") || !strcmp(arch, "x64") || !strcmp(arch, "amd64"))
		return PE_MACHINE_X86_64;
	return 0;
}

int pe_parse(const uint8_t *buf, size_t len, struct pe_info *out)
{
	const uint8_t *coff, *opt;
	uint16_t optsz;

	memset(out, 0, sizeof(*out));
	if (len < 2 || buf[0] != 'M' || buf[1] != 'Z')
		return -WB_EPEMZ;
	if (len < 64)
		return -WB_EPEHDR;
	out->e_lfanew = le32(buf + 0x3C);
	/*
	 * the PE header follows the 64-byte MS-DOS header; no alignment is
	 * required (firmware loaders do not require one either)
	 */
	if (out->e_lfanew < 64 || out->e_lfanew > len || len - out->e_lfanew < 24)
		return -WB_EPEHDR;
	if (memcmp(buf + out->e_lfanew, "PE\0\0", 4))
		return -WB_EPESIG;
	coff = buf + out->e_lfanew + 4;
	out->machine = le16(coff);
	out->nsections = le16(coff + 2);
	optsz = le16(coff + 16);
	out->characteristics = le16(coff + 18);
	opt = coff + 20;
	/* up to and including Subsystem (offset 68, 2 bytes) */
	if (optsz < 70 || (size_t)(opt - buf) + 70 > len)
		return -WB_EPEHDR;
	out->magic = le16(opt);
	if (out->magic != PE_MAGIC_PE32 && out->magic != PE_MAGIC_PE32PLUS)
		return -WB_EPEHDR;
	out->entry_rva = le32(opt + 16);
	out->size_of_image = le32(opt + 56);
	out->subsystem = le16(opt + 68);
	return 0;
}
