/*
 * initrd.c — the concatenated initrd (see initrd.h for the layout and why).
 * Pure: walks the list, no allocation, so LoadFile2 can copy straight into
 * the kernel's buffer.
 */
#include <string.h>

#include "core/err.h"
#include "core/initrd.h"

/* Index of the last initrd part, or @nfiles when there is none. */
static size_t initrd_last(const struct plat_image_file *files, size_t nfiles)
{
	size_t last = nfiles;

	for (size_t i = 0; i < nfiles; i++)
		if (files[i].initrd)
			last = i;
	return last;
}

int initrd_size(const struct plat_image_file *files, size_t nfiles, size_t *len)
{
	size_t last = initrd_last(files, nfiles), total = 0;

	for (size_t i = 0; i < nfiles; i++) {
		size_t part;

		if (!files[i].initrd)
			continue;
		part = files[i].len;
		if (i != last) {
			if (part > SIZE_MAX - 3)
				return -WB_EINITRDBIG;
			part = (part + 3) & ~(size_t)3;
		}
		if (part > SIZE_MAX - total)
			return -WB_EINITRDBIG;
		total += part;
	}
	*len = total;
	return 0;
}

void initrd_copy(const struct plat_image_file *files, size_t nfiles, size_t off, uint8_t *out,
		 size_t n)
{
	size_t last = initrd_last(files, nfiles), pos = 0;   /* pos: where part i starts */

	for (size_t i = 0; i < nfiles && n; i++) {
		size_t part, end, take;

		if (!files[i].initrd)
			continue;
		part = i == last ? files[i].len : (files[i].len + 3) & ~(size_t)3;
		end = pos + part;
		if (off < end) {
			size_t in = off - pos;   /* offset inside this part */
			size_t data = 0;

			take = end - off < n ? end - off : n;
			if (in < files[i].len) {
				data = files[i].len - in < take ? files[i].len - in : take;
				memcpy(out, (const uint8_t *)files[i].data + in, data);
			}
			memset(out + data, 0, take - data);   /* the padding */
			out += take;
			off += take;
			n -= take;
		}
		pos = end;
	}
}
