/* wallclock.c — see wallclock.h. */
#include "core/err.h"
#include "core/fmt.h"
#include "core/wallclock.h"
#include "platform/platform.h"

void wallclock_set(struct wallclock_ctx *wc, int64_t unix_secs)
{
	wc->set = 1;
	wc->base_unix = unix_secs;
	wc->base_ms = plat_ms();
}

int wallclock_now(const struct wallclock_ctx *wc, int64_t *unix_secs)
{
	if (wc->set) {
		*unix_secs = wc->base_unix + (int64_t)((plat_ms() - wc->base_ms) / 1000);
		return 0;
	}
	return plat_rtc(unix_secs);
}

const char *wallclock_source(const struct wallclock_ctx *wc)
{
	int64_t t;

	if (wc->set)
		return "ntp";
	return plat_rtc(&t) ? "none" : "rtc";
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
char *wallclock_fmt(int64_t t, char *buf)
{
	int64_t days = t / 86400, rem = t % 86400;
	int64_t z, era, doe, yoe, y, doy, mp, d, m;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	wb_snprintf(buf, 20, "%04d-%02d-%02d %02d:%02d:%02d", (int)y, (int)m, (int)d,
		    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	return buf;
}
