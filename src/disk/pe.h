/*
 * pe.h — is this an EFI image, and for which machine?  A pure check of the
 * first bytes of a PE/COFF file (Microsoft PE format specification; UEFI spec
 * 2.10 section 2.1.1: EFI images are PE32+ with subsystem 10, 11 or 12).
 *
 * Needs the file's first bytes up to the end of the optional header's
 * Subsystem field (e_lfanew + 24 + 70); 4 KiB covers every linker's output.
 */
#ifndef WB_DISK_PE_H
#define WB_DISK_PE_H

#include <stddef.h>
#include <stdint.h>

#define PE_MACHINE_I386   0x014C
#define PE_MACHINE_X86_64 0x8664
#define PE_MACHINE_ARM64  0xAA64
#define PE_MAGIC_PE32     0x010B
#define PE_MAGIC_PE32PLUS 0x020B
#define PE_SUBSYS_EFI_APP         10
#define PE_SUBSYS_EFI_BOOT_DRIVER 11
#define PE_SUBSYS_EFI_RT_DRIVER   12

struct pe_info {
	uint32_t e_lfanew;
	uint16_t machine;
	uint16_t nsections;
	uint16_t characteristics;
	uint16_t magic;             /* PE_MAGIC_PE32 or PE_MAGIC_PE32PLUS */
	uint16_t subsystem;
	uint32_t size_of_image;
	uint32_t entry_rva;
};

/**
 * Parse the start of a PE file (@buf, @len bytes).  Returns 0, -WB_EPEMZ (no
 * "MZ"), -WB_EPEHDR (e_lfanew or a header out of @len, unknown optional header
 * magic, optional header too small) or -WB_EPESIG (no "PE\0\0").
 */
int pe_parse(const uint8_t *buf, size_t len, struct pe_info *out);

/** "arm64", "x86_64", "i386", "arm", "riscv64", ... or "unknown"; never NULL. */
const char *pe_machine_name(uint16_t machine);
/** "EFI application", "EFI boot service driver", ... or "not EFI"; never NULL. */
const char *pe_subsystem_name(uint16_t subsystem);
/** PE machine for an architecture name ("arm64"/"aa64", "x86_64"/"x64"), 0 if unknown. */
uint16_t pe_machine_for_arch(const char *arch);

#endif
