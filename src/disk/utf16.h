/* utf16.h — UTF-16 to UTF-8 for names on disk (GPT partition names, FAT long names). */
#ifndef WB_DISK_UTF16_H
#define WB_DISK_UTF16_H

#include <stddef.h>
#include <stdint.h>

/**
 * Convert @n UTF-16 units @u (stopping early at a 0 unit) to UTF-8 in @out
 * (@cap >= 1 bytes, always NUL-terminated; conversion stops before a
 * character that would not fit).  Lone surrogates become U+FFFD; control
 * characters become '?' so names are safe to print.  Returns the length.
 */
size_t utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap);

#endif
