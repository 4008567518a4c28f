/*
 * fuzz_gpt.c — libFuzzer target: GPT header and entry array checks
 * (gpt_parse_header, gpt_parse_entries).
 *
 * Input: byte 0 picks the block size (bit 0: 4096, else 512) and whether the
 * harness fixes up both CRC32s first (bit 1: so mutations reach the field
 * checks behind the CRCs); bytes 1-2 the disk size in blocks; then the header
 * block; then the entry array.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/util.h"
#include "disk/gpt.h"

static uint8_t blk[4096];
static uint8_t arr[GPT_MAX_ARRAY_BYTES];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gpt_header h;
	struct gpt_part parts[8];
	uint32_t bs, n, i, crc;
	uint64_t blocks;
	size_t alen;

	if (size < 3)
		return 0;
	bs = (data[0] & 1) ? 4096 : 512;
	blocks = (uint64_t)(data[1] | data[2] << 8) + 1;
	data += 3;
	size -= 3;
	memset(blk, 0, sizeof(blk));
	memcpy(blk, data, size < bs ? size : bs);
	alen = size > bs ? size - bs : 0;
	if (alen > sizeof(arr))
		alen = sizeof(arr);
	memcpy(arr, data + (size > bs ? bs : size), alen);
	if (data[-3] & 2) {
		uint32_t hs = blk[12] | blk[13] << 8;
		uint32_t esz = blk[84] | blk[85] << 8 | (uint32_t)blk[86] << 16 | (uint32_t)blk[87] << 24;
		uint32_t ne = blk[80] | blk[81] << 8 | (uint32_t)blk[82] << 16 | (uint32_t)blk[83] << 24;

		if (esz && ne <= sizeof(arr) / esz && (size_t)ne * esz <= alen) {
			crc = wb_crc32(0, arr, (size_t)ne * esz);
			for (i = 0; i < 4; i++)
				blk[88 + i] = (uint8_t)(crc >> (8 * i));
		}
		if (hs >= 92 && hs <= 512) {
			memset(blk + 16, 0, 4);
			crc = wb_crc32(0, blk, hs);
			for (i = 0; i < 4; i++)
				blk[16 + i] = (uint8_t)(crc >> (8 * i));
		}
	}
	if (gpt_parse_header(blk, bs, 1, blocks, &h) == 0) {
		if (h.array_bytes > sizeof(arr) || h.first_usable > h.last_usable || h.last_usable >= blocks)
			__builtin_trap();
		if (gpt_parse_entries(&h, arr, alen, parts, 8, &n) == 0 || n) {
			for (i = 0; i < n && i < 8; i++) {
				char g[37];

				if (strlen(parts[i].name) >= GPT_NAME_MAX || strlen(gpt_guid_fmt(parts[i].type, g)) != 36)
					__builtin_trap();
			}
		}
	}
	return 0;
}
