/*
 * wallclock.h — the wall-clock time TLS will check certificates against.
 * Source order: a time set by `ntp` (kept as an offset from the monotonic
 * clock), else the firmware clock (plat_rtc), else none.
 */
#ifndef WB_WALLCLOCK_H
#define WB_WALLCLOCK_H

#include <stdint.h>

struct wallclock_ctx {
	int set;               /* 1 once wallclock_set() was called */
	int64_t base_unix;     /* Unix seconds at base_ms */
	uint64_t base_ms;      /* plat_ms() when set */
};

/** Record that it is @unix_secs now (from NTP). */
void wallclock_set(struct wallclock_ctx *wc, int64_t unix_secs);
/** Current Unix time: 0, or -WB_ENOCLOCK when neither NTP nor the RTC gives one. */
int wallclock_now(const struct wallclock_ctx *wc, int64_t *unix_secs);
/** "ntp", "rtc" or "none". */
const char *wallclock_source(const struct wallclock_ctx *wc);
/** Format @t as "YYYY-MM-DD hh:mm:ss" into @buf (>= 20 bytes). */
char *wallclock_fmt(int64_t t, char *buf);

#endif
