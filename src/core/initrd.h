/*
 * initrd.h — the bytes a Linux kernel gets as its initrd when several
 * `initrd` images were fetched: each image in order, every one but the last
 * padded with NULs to a multiple of 4 bytes.
 *
 * Why 4: an initramfs is a series of "newc" cpio archives (070701 magic),
 * whose headers and file data are aligned to 4 bytes from the start of the
 * archive; the kernel's unpacker (Documentation/driver-api/early-userspace/
 * buffer-format.rst) accepts several archives back to back, with NUL bytes
 * between them, but expects each next header at a 4-byte boundary.  An image
 * whose length is not a multiple of 4 (a compressed archive, a hand-made one)
 * would put the next archive off that grid.  A single image is passed
 * through byte for byte (no trailing padding), so its hash stays the file's.
 */
#ifndef WB_INITRD_H
#define WB_INITRD_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

/**
 * Total length of the initrd made of the @files marked initrd (others are
 * skipped), into *@len.  0, or -WB_EINITRDBIG when it would not fit a size_t.
 */
int initrd_size(const struct plat_image_file *files, size_t nfiles, size_t *len);

/**
 * Copy bytes [@off, @off + @n) of that initrd into @out (the caller checked
 * the range against initrd_size()); padding bytes are written as 0.
 */
void initrd_copy(const struct plat_image_file *files, size_t nfiles, size_t off, uint8_t *out,
		 size_t n);

#endif
