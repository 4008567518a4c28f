/*
 * fuzz_gzip.c — libFuzzer target: the gzip/zlib container parser (gz_detect,
 * gz_parse_header, gz_trailer) and the whole-image inflate (gz_inflate, zlib's inflate
 * underneath) with a 1 MiB cap.  Invariants: a parsed header lies inside the input and
 * leaves room for the trailer; a success never exceeds the cap; a failure returns no
 * buffer (the leak check of libFuzzer catches anything left allocated).
 */
#include <stddef.h>
#include <stdint.h>

#include "img/gzip.h"

void plat_free(void *p);

#define FUZZ_CAP (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gz_header h;
	uint32_t check, isize;
	uint8_t *out = NULL;
	size_t out_len = 0;
	enum gz_format f = gz_detect(data, size);

	if (gz_parse_header(data, size, &h) == 0) {
		if (h.format != f || h.format == GZ_NONE || h.data_off > size ||
		    size - h.data_off < h.trailer_len ||
		    (h.name_len && (h.name_off + h.name_len >= size || data[h.name_off + h.name_len])))
			__builtin_trap();
		gz_trailer(&h, data, size, &check, &isize);
	}
	if (gz_inflate(data, size, FUZZ_CAP, &out, &out_len, NULL) == 0) {
		if (!out || out_len > FUZZ_CAP)
			__builtin_trap();
		plat_free(out);
	} else if (out || out_len) {
		__builtin_trap();
	}
	return 0;
}
