/* strings.h — POSIX home of strcasecmp/strncasecmp; see string.h. */
#ifndef WB_LIBC_STRINGS_H
#define WB_LIBC_STRINGS_H
#include <string.h>
#endif
