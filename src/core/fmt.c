/*
 * fmt.c — a small printf engine.  One output routine (fmt_out) feeds either a
 * bounded buffer or the console in 128-byte chunks.
 */
#include <stdint.h>
#include <string.h>

#include "core/fmt.h"
#include "platform/platform.h"

struct fmt_sink {
	char *buf;
	size_t cap;
	size_t len;   /* bytes produced so far (may exceed cap) */
};

static void fmt_out(struct fmt_sink *s, char c)
{
	if (s->len + 1 < s->cap)
		s->buf[s->len] = c;
	s->len++;
}

static void fmt_pad(struct fmt_sink *s, char c, int n)
{
	while (n-- > 0)
		fmt_out(s, c);
}

static void fmt_num(struct fmt_sink *s, unsigned long long v, int neg, unsigned base,
		    int upper, int width, int zero, int left)
{
	char tmp[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (!left && !zero)
		fmt_pad(s, ' ', width - n);
	if (neg)
		fmt_out(s, '-');
	if (!left && zero)
		fmt_pad(s, '0', width - n);
	while (n)
		fmt_out(s, tmp[--n]);
}

int wb_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct fmt_sink s = { buf, cap, 0 };

	for (; *fmt; fmt++) {
		int left = 0, zero = 0, width = 0, prec = -1, lng = 0;
		size_t start = s.len;

		if (*fmt != '%') {
			fmt_out(&s, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				zero = 1;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = 3;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng == 3 ? (long long)va_arg(ap, ptrdiff_t)
				    : lng == 2 ? va_arg(ap, long long)
				    : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
						      : (unsigned long long)v;
			fmt_num(&s, u, v < 0, 10, 0, width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v = lng == 3 ? va_arg(ap, size_t)
					     : lng == 2 ? va_arg(ap, unsigned long long)
					     : lng == 1 ? va_arg(ap, unsigned long)
					     : va_arg(ap, unsigned int);
			fmt_num(&s, v, 0, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, zero, left);
			break;
		}
		case 'p':
			fmt_out(&s, '0');
			fmt_out(&s, 'x');
			fmt_num(&s, (uintptr_t)va_arg(ap, void *), 0, 16, 0, 0, 0, 0);
			break;
		case 'c':
			if (!left)
				fmt_pad(&s, ' ', width - 1);
			fmt_out(&s, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n = 0;

			if (!str)
				str = "(null)";
			while (str[n] && (prec < 0 || n < prec))
				n++;
			if (!left)
				fmt_pad(&s, ' ', width - n);
			for (int i = 0; i < n; i++)
				fmt_out(&s, str[i]);
			break;
		}
		case '%':
			fmt_out(&s, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			fmt_out(&s, '%');
			fmt_out(&s, *fmt);
			break;
		}
		if (left)
			fmt_pad(&s, ' ', width - (int)(s.len - start));
	}
	if (cap)
		buf[s.len < cap ? s.len : cap - 1] = '\0';
	return (int)s.len;
}

int wb_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = wb_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

int wb_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = wb_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	plat_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

void wb_puts(const char *s)
{
	plat_write(s, strlen(s));
}

void wb_fmt_size(char *buf, size_t cap, uint64_t n)
{
	if (n < 10 * 1024)
		wb_snprintf(buf, cap, "%llu bytes", (unsigned long long)n);
	else if (n < UINT64_C(10) * 1024 * 1024)
		wb_snprintf(buf, cap, "%llu.%llu KiB", (unsigned long long)(n >> 10),
			    (unsigned long long)((n & 1023) * 10 / 1024));
	else
		wb_snprintf(buf, cap, "%llu.%llu MiB", (unsigned long long)(n >> 20),
			    (unsigned long long)((n & 0xfffff) * 10 / 0x100000));
}
