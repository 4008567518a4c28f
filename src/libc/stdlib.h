/*
 * stdlib.h — freestanding shim (EFI builds).  No malloc here: all heap use
 * goes through plat_malloc()/plat_free() (platform.h).
 * Note LLP64 on the EFI targets: long is 32 bits.
 */
#ifndef WB_LIBC_STDLIB_H
#define WB_LIBC_STDLIB_H

#include <stddef.h>

int atoi(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int abs(int v);

#endif
