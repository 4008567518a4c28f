/*
 * test_libc.c — the EFI builds' freestanding libc shim (src/libc/libc.c),
 * compiled here on the host under new names (wbl_*) and checked against the
 * host C library as the oracle: same inputs, same results (the sign of
 * comparisons, end pointers and saturation of the strto* family included).
 * On the host long is 64-bit; the same code runs with 32-bit long on EFI.
 */
#define UNIT_NAME "libc"
#include "unit.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Rename every shim function (the host headers are already in). */
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strcpy
#undef strncpy
#undef strcasecmp
#undef strncasecmp
#undef isdigit
#undef isxdigit
#undef isspace
#undef isupper
#undef islower
#undef isalpha
#undef isalnum
#undef isprint
#undef toupper
#undef tolower
#undef strtoull
#undef strtoul
#undef strtol
#undef atoi
#undef abs
#define memcpy wbl_memcpy
#define memmove wbl_memmove
#define memset wbl_memset
#define memcmp wbl_memcmp
#define memchr wbl_memchr
#define strlen wbl_strlen
#define strnlen wbl_strnlen
#define strcmp wbl_strcmp
#define strncmp wbl_strncmp
#define strchr wbl_strchr
#define strrchr wbl_strrchr
#define strstr wbl_strstr
#define strcpy wbl_strcpy
#define strncpy wbl_strncpy
#define strcasecmp wbl_strcasecmp
#define strncasecmp wbl_strncasecmp
#define isdigit wbl_isdigit
#define isxdigit wbl_isxdigit
#define isspace wbl_isspace
#define isupper wbl_isupper
#define islower wbl_islower
#define isalpha wbl_isalpha
#define isalnum wbl_isalnum
#define isprint wbl_isprint
#define toupper wbl_toupper
#define tolower wbl_tolower
#define strtoull wbl_strtoull
#define strtoul wbl_strtoul
#define strtol wbl_strtol
#define atoi wbl_atoi
#define abs wbl_abs

/* Prototypes under the new names (the shim's own headers are not on the
 * host include path). */
void *memcpy(void *restrict, const void *restrict, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
void *memchr(const void *, int, size_t);
size_t strlen(const char *);
size_t strnlen(const char *, size_t);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
char *strchr(const char *, int);
char *strrchr(const char *, int);
char *strstr(const char *, const char *);
char *strcpy(char *restrict, const char *restrict);
char *strncpy(char *restrict, const char *restrict, size_t);
int strcasecmp(const char *, const char *);
int strncasecmp(const char *, const char *, size_t);
int isdigit(int);
int isxdigit(int);
int isspace(int);
int isupper(int);
int islower(int);
int isalpha(int);
int isalnum(int);
int isprint(int);
int toupper(int);
int tolower(int);
unsigned long long strtoull(const char *, char **, int);
unsigned long strtoul(const char *, char **, int);
long strtol(const char *, char **, int);
int atoi(const char *);
int abs(int);

#include "../../src/libc/libc.c"

#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strcpy
#undef strncpy
#undef strcasecmp
#undef strncasecmp
#undef isdigit
#undef isxdigit
#undef isspace
#undef isupper
#undef islower
#undef isalpha
#undef isalnum
#undef isprint
#undef toupper
#undef tolower
#undef strtoull
#undef strtoul
#undef strtol
#undef atoi
#undef abs

static int sign(int v) { return (v > 0) - (v < 0); }

static void test_mem(void)
{
	unsigned char a[96], b[96], c[96];
	size_t off, n, i;
	int ok;

	/* memcpy / memset over every alignment and length up to 40 */
	ok = 1;
	for (off = 0; off < 9; off++) {
		for (n = 0; n <= 40; n++) {
			for (i = 0; i < sizeof(a); i++) {
				a[i] = (unsigned char)(i * 7 + 1);
				b[i] = c[i] = 0xee;
			}
			wbl_memcpy(b + off, a + (off * 3) % 8, n);
			memcpy(c + off, a + (off * 3) % 8, n);
			ok &= memcmp(b, c, sizeof(b)) == 0;
			wbl_memset(b + off, 0x5a, n);
			memset(c + off, 0x5a, n);
			ok &= memcmp(b, c, sizeof(b)) == 0;
		}
	}
	CHECK("memcpy/memset all alignments and lengths", ok);

	/* memmove both directions, overlapping */
	ok = 1;
	for (off = 0; off < 12; off++) {
		for (n = 0; n < 40; n++) {
			for (i = 0; i < sizeof(a); i++)
				b[i] = c[i] = (unsigned char)i;
			wbl_memmove(b + off, b + 8, n);
			memmove(c + off, c + 8, n);
			ok &= memcmp(b, c, sizeof(b)) == 0;
		}
	}
	CHECK("memmove overlapping both ways", ok);

	CHECK("memcmp equal", wbl_memcmp("abc", "abc", 3) == 0);
	CHECK("memcmp unsigned bytes", wbl_memcmp("\x80", "\x01", 1) > 0);
	CHECK("memcmp n=0", wbl_memcmp("a", "b", 0) == 0);
	{
		const char *h = "hello";
		CHECK("memchr found", wbl_memchr(h, 'l', 5) == h + 2);
		CHECK("memchr beyond n", wbl_memchr(h, 'o', 4) == NULL);
	}
}

static void test_str(void)
{
	static const char *const s[] = { "", "a", "abc", "abd", "ab", "ABC", "Abc", "\x80",
					 "\x7f", "hello world", "hello" };
	char buf[32];
	size_t i, j, n;
	int ok = 1;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		ok &= wbl_strlen(s[i]) == strlen(s[i]);
		for (n = 0; n < 6; n++)
			ok &= wbl_strnlen(s[i], n) == strnlen(s[i], n);
		for (j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			ok &= sign(wbl_strcmp(s[i], s[j])) == sign(strcmp(s[i], s[j]));
			ok &= sign(wbl_strcasecmp(s[i], s[j])) == sign(strcasecmp(s[i], s[j]));
			for (n = 0; n < 5; n++) {
				ok &= sign(wbl_strncmp(s[i], s[j], n)) == sign(strncmp(s[i], s[j], n));
				ok &= sign(wbl_strncasecmp(s[i], s[j], n)) ==
				      sign(strncasecmp(s[i], s[j], n));
			}
			ok &= wbl_strstr(s[i], s[j]) == strstr(s[i], s[j]);
		}
		for (j = 0; j < 256; j += 17) {
			ok &= wbl_strchr(s[i], (int)j) == strchr(s[i], (int)j);
			ok &= wbl_strrchr(s[i], (int)j) == strrchr(s[i], (int)j);
		}
		ok &= wbl_strchr(s[i], 0) == s[i] + strlen(s[i]);
	}
	CHECK("str* agree with the host libc", ok);

	memset(buf, 'x', sizeof(buf));
	CHECK("strcpy returns dst", wbl_strcpy(buf, "abc") == buf && !strcmp(buf, "abc"));
	memset(buf, 'x', sizeof(buf));
	wbl_strncpy(buf, "ab", 5);
	CHECK("strncpy pads with NUL", !memcmp(buf, "ab\0\0\0x", 6));
	wbl_strncpy(buf, "abcdef", 3);
	CHECK("strncpy truncates without NUL", !memcmp(buf, "abc\0\0x", 6));
}

static void test_ctype(void)
{
	int c, ok = 1;

	for (c = 0; c < 128; c++) {
		ok &= !!wbl_isdigit(c) == !!isdigit(c);
		ok &= !!wbl_isxdigit(c) == !!isxdigit(c);
		ok &= !!wbl_isspace(c) == !!isspace(c);
		ok &= !!wbl_isupper(c) == !!isupper(c);
		ok &= !!wbl_islower(c) == !!islower(c);
		ok &= !!wbl_isalpha(c) == !!isalpha(c);
		ok &= !!wbl_isalnum(c) == !!isalnum(c);
		ok &= !!wbl_isprint(c) == !!isprint(c);
		ok &= wbl_toupper(c) == toupper(c);
		ok &= wbl_tolower(c) == tolower(c);
	}
	for (c = 128; c < 256; c++)
		ok &= !wbl_isalpha(c) && !wbl_isprint(c) && wbl_toupper(c) == c;
	CHECK("ctype agrees with the C locale on ASCII, nothing above", ok);
}

static void test_strto(void)
{
	static const char *const v[] = {
		"0", "1", "-1", "+7", "  42abc", "\t-0x1F", "0x", "0xg", "0X10", "010", "09",
		"z", "", "-", "+", " ", "2147483647", "2147483648", "-2147483648", "-2147483649",
		"4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615",
		"18446744073709551616", "99999999999999999999999", "-99999999999999999999999",
		"ff", "FF", "zz", "777",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	size_t i, k;
	int ok = 1;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (k = 0; k < sizeof(bases) / sizeof(bases[0]); k++) {
			char *e1, *e2;
			int b = bases[k];

			ok &= wbl_strtol(v[i], &e1, b) == strtol(v[i], &e2, b) && e1 == e2;
			ok &= wbl_strtoul(v[i], &e1, b) == strtoul(v[i], &e2, b) && e1 == e2;
			ok &= wbl_strtoull(v[i], &e1, b) == strtoull(v[i], &e2, b) && e1 == e2;
			if (!ok) {
				printf("  strto* mismatch: \"%s\" base %d\n", v[i], b);
				ok = 0;
				break;
			}
		}
		if (!ok)
			break;
	}
	CHECK("strtol/strtoul/strtoull agree (values, end pointers, saturation)", ok);
	CHECK("atoi", wbl_atoi(" -123x") == -123 && wbl_atoi("x") == 0);
	CHECK("abs", wbl_abs(-5) == 5 && wbl_abs(5) == 5 && wbl_abs(0) == 0);
}

int main(void)
{
	test_mem();
	test_str();
	test_ctype();
	test_strto();
	return unit_done();
}
