/* fuzz_mbr.c — libFuzzer target: sector-0 partition table (mbr_parse, gpt_check_pmbr).  Bytes 0-3: disk size in blocks; the rest: sector 0. */
#include <stddef.h>
#include <stdint.h>

#include "disk/gpt.h"
#include "disk/mbr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbr_info m;
	uint64_t blocks;
	int i;

	if (size < 4)
		return 0;
	blocks = (uint64_t)data[0] | (uint64_t)data[1] << 8 | (uint64_t)data[2] << 16 | (uint64_t)data[3] << 24;
	if (gpt_check_pmbr(data + 4, size - 4) == 0 && mbr_parse(data + 4, size - 4, blocks, &m) == 0 && !m.protective)
		__builtin_trap();   /* a protective record must make mbr_parse say so */
	if (mbr_parse(data + 4, size - 4, blocks, &m) == 0) {
		for (i = 0; i < 4; i++) {
			const struct mbr_part *p = &m.part[i];

			if (p->type && p->type != MBR_TYPE_PROTECTIVE && (uint64_t)p->lba_start + p->lba_count > blocks)
				__builtin_trap();
			(void)mbr_type_name(p->type);
		}
	}
	return 0;
}
