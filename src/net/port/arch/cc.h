/* arch/cc.h — lwIP compiler/platform port for wireboot (EFI freestanding and Linux). */
#ifndef WB_LWIP_ARCH_CC_H
#define WB_LWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_LIMITS_H 0
/* hosted: glibc's limits.h defines SSIZE_MAX, so lwIP takes ssize_t from
 * unistd.h; freestanding: lwIP typedefs it itself */
#ifdef WB_PLATFORM_HOST
#define LWIP_NO_UNISTD_H 0
#else
#define LWIP_NO_UNISTD_H 1
#endif
#define LWIP_TIMEVAL_PRIVATE 0

#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_ERR_T int

void wb_lwip_assert(const char *msg, const char *file, int line);
uint32_t wb_lwip_rand(void);

#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) wb_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_RAND() wb_lwip_rand()

#endif
