/*
 * test_initrd.c — the concatenated initrd (core/initrd.h): parts in list order, all
 * but the last NUL-padded to a 4-byte multiple (newc cpio headers sit on 4-byte
 * boundaries), non-initrd images skipped, a lone image passed through as is, and any
 * window [off, off+n) of it equal to the same bytes of the whole.
 */
#define UNIT_NAME "initrd"
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/initrd.h"
#include "unit.h"

int main(void)
{
	static const uint8_t a[5] = { 'a', 'a', 'a', 'a', 'a' }, b[8] = { 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b' };
	static const uint8_t c[3] = { 'c', 'c', 'c' }, k[2] = { 'M', 'Z' };
	/* the kernel (not an initrd) sits between them, as `initrd; kernel; initrd` leaves it */
	struct plat_image_file f[4] = {
		{ "a.cpio", a, sizeof(a), 1 }, { "vmlinuz", k, sizeof(k), 0 },
		{ "b.cpio", b, sizeof(b), 1 }, { "c.cpio", c, sizeof(c), 1 },
	};
	static const uint8_t want[] = { 'a', 'a', 'a', 'a', 'a', 0, 0, 0, 'b', 'b', 'b', 'b',
					'b', 'b', 'b', 'b', 'c', 'c', 'c' };
	uint8_t out[32], part[32];
	size_t len = 0;
	int windows = 1;

	CHECK("size: 5→8, 8→8, last 3 unpadded = 19", !initrd_size(f, 4, &len) && len == sizeof(want));
	memset(out, 0xee, sizeof(out));
	initrd_copy(f, 4, 0, out, len);
	CHECK("bytes: parts in order, NUL padding, kernel skipped", !memcmp(out, want, sizeof(want)));
	CHECK("copy writes no byte past n", out[len] == 0xee);
	for (size_t off = 0; off <= len; off++)
		for (size_t n = 0; off + n <= len; n++) {
			memset(part, 0xee, sizeof(part));
			initrd_copy(f, 4, off, part, n);
			if (memcmp(part, want + off, n) || part[n] != 0xee)
				windows = 0;
		}
	CHECK("every window [off, off+n) equals the same bytes of the whole", windows);

	CHECK("one image: its own length, no padding", !initrd_size(f, 1, &len) && len == 5);
	CHECK("no initrd images: length 0", !initrd_size(f + 1, 1, &len) && len == 0);
	{
		struct plat_image_file big[2] = { { "x", a, SIZE_MAX - 2, 1 }, { "y", b, 8, 1 } };

		CHECK("a total beyond SIZE_MAX is refused", initrd_size(big, 2, &len) == -WB_EINITRDBIG);
	}
	return unit_done();
}
