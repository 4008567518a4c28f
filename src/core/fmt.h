/*
 * fmt.h — formatted output without a C library (the EFI builds have none).
 * Supports %s %c %d %i %u %x %X %p %% with flags '-' '0', width, precision
 * for %s (also ".*"), and length modifiers l, ll, z.
 */
#ifndef WB_FMT_H
#define WB_FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/** Like vsnprintf: always NUL-terminates when @cap > 0; returns the full length. */
int wb_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int wb_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Print to the console through plat_write(). */
int wb_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wb_puts(const char *s);
/** A byte count for progress lines: "123 bytes", "45.6 KiB", "12.3 MiB". */
void wb_fmt_size(char *buf, size_t cap, uint64_t n);

#endif
