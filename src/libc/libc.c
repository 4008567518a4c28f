/*
 * libc.c — the freestanding C library shim for the EFI builds.
 *
 * How this works: plain C over bytes, word-at-a-time for the bulk of
 * memcpy/memset when both pointers are aligned.  The file is compiled with
 * -ffreestanding -fno-builtin, which stops clang's loop-idiom pass from
 * turning the loops below back into calls to memset/memcpy (that would
 * recurse forever); the build is checked with objdump for such self-calls.
 * Only the "C" locale exists; long is 32 bits (LLP64) on the EFI targets.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory ----------------------------------------------------------- */

typedef uintptr_t libc_word;
#define LIBC_WSIZE sizeof(libc_word)
#define LIBC_WMASK (LIBC_WSIZE - 1)

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & LIBC_WMASK) == 0) {
		for (; n >= LIBC_WSIZE; n -= LIBC_WSIZE) {
			*(libc_word *)(void *)d = *(const libc_word *)(const void *)s;
			d += LIBC_WSIZE;
			s += LIBC_WSIZE;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: copy backwards. */
	d += n;
	s += n;
	while (n--)
		*--d = *--s;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	if (((uintptr_t)d & LIBC_WMASK) == 0 && n >= LIBC_WSIZE) {
		libc_word w = b;
		w |= w << 8;
		w |= w << 16;
		if (LIBC_WSIZE > 4)
			w |= (w << 16) << 16;
		for (; n >= LIBC_WSIZE; n -= LIBC_WSIZE) {
			*(volatile libc_word *)(void *)d = w;
			d += LIBC_WSIZE;
		}
	}
	while (n--)
		*(volatile unsigned char *)d++ = b;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)(uintptr_t)p;
	return NULL;
}

/* ---- strings ---------------------------------------------------------- */

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)(uintptr_t)last;
	}
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return (char *)(uintptr_t)hay;
	return n ? NULL : (char *)(uintptr_t)hay;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++) != 0)
		;
	return dst;
}

char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		((volatile char *)dst)[i] = 0;
	return dst;
}

int strcasecmp(const char *a, const char *b)
{
	int x, y;

	do {
		x = tolower((unsigned char)*a++);
		y = tolower((unsigned char)*b++);
	} while (x && x == y);
	return x - y;
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	int x, y;

	for (; n; n--) {
		x = tolower((unsigned char)*a++);
		y = tolower((unsigned char)*b++);
		if (x != y)
			return x - y;
		if (!x)
			break;
	}
	return 0;
}

/* ---- ctype ("C" locale, ASCII) ---------------------------------------- */

int isdigit(int c) { return c >= '0' && c <= '9'; }
int isxdigit(int c) { return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
int isupper(int c) { return c >= 'A' && c <= 'Z'; }
int islower(int c) { return c >= 'a' && c <= 'z'; }
int isalpha(int c) { return isupper(c) || islower(c); }
int isalnum(int c) { return isalpha(c) || isdigit(c); }
int isprint(int c) { return c >= 0x20 && c < 0x7f; }
int toupper(int c) { return islower(c) ? c - 'a' + 'A' : c; }
int tolower(int c) { return isupper(c) ? c - 'A' + 'a' : c; }

/* ---- numbers ---------------------------------------------------------- */

static int libc_digit(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

/*
 * Shared parser: optional space, sign, "0x" prefix (base 0 or 16), digits.
 * Saturates at @max for the magnitude and sets *overflow.  *end points past
 * the last digit used, or at @s when there were none (C11 7.22.1.4).
 */
static unsigned long long libc_strtou(const char *s, char **end, int base,
				      unsigned long long max, int *neg, int *overflow)
{
	const char *p = s;
	const char *digits;
	unsigned long long v = 0;
	int d;

	*neg = 0;
	*overflow = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = (*p++ == '-');
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = (p[0] == '0') ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		if (end)
			*end = (char *)(uintptr_t)s;
		return 0;
	}
	digits = p;
	for (; (d = libc_digit((unsigned char)*p)) < base; p++) {
		if (v > (max - (unsigned)d) / (unsigned)base) {
			*overflow = 1;
			v = max;
		} else if (!*overflow) {
			v = v * (unsigned)base + (unsigned)d;
		}
	}
	if (end)
		*end = (char *)(uintptr_t)(p == digits ? s : p);
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, ovf;
	unsigned long long v = libc_strtou(s, end, base, ULLONG_MAX, &neg, &ovf);

	if (ovf)
		return ULLONG_MAX;
	return neg ? (unsigned long long)0 - v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int neg, ovf;
	unsigned long long v = libc_strtou(s, end, base, ULONG_MAX, &neg, &ovf);

	if (ovf)
		return ULONG_MAX;
	return neg ? (unsigned long)0 - (unsigned long)v : (unsigned long)v;
}

long strtol(const char *s, char **end, int base)
{
	int neg, ovf;
	unsigned long long v = libc_strtou(s, end, base, (unsigned long long)LONG_MAX + 1, &neg, &ovf);

	if (neg)
		return (ovf || v > (unsigned long long)LONG_MAX) ? LONG_MIN : -(long)v;
	return (ovf || v > LONG_MAX) ? LONG_MAX : (long)v;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

int abs(int v)
{
	return v < 0 ? -v : v;
}
