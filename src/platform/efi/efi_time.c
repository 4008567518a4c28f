/*
 * efi_time.c — plat_ms() and plat_rtc().
 *
 * Monotonic time comes from the CPU, not from firmware timer events (U-Boot
 * has no timer interrupts; we only poll):
 *   arm64   the generic timer's virtual count CNTVCT_EL0 at CNTFRQ_EL0 Hz;
 *   x86_64  the TSC, calibrated once at start against BootServices->Stall().
 * plat_ms() clamps so it never goes backwards.
 *
 * Wall time comes from RuntimeServices->GetTime() (UEFI 2.10 §8.3), which
 * U-Boot boards without an RTC answer with EFI_UNSUPPORTED.
 */
#include "platform/platform.h"
#include "platform/efi/efi_plat.h"
#include "core/err.h"

/* Timer ticks per second (arm64: CNTFRQ; x86_64: calibrated TSC rate). */
static uint64_t time_hz;
static uint64_t time_last_ms;

static uint64_t time_ticks(void)
{
#if defined(__aarch64__)
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
#elif defined(__x86_64__)
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
#else
#error "efi_time.c: unsupported architecture"
#endif
}

/* Stall() length used to calibrate the TSC: long enough that TCG's coarse
 * timers do not dominate, short enough not to be noticed at start. */
#define TIME_CALIBRATE_US 20000

void efi_time_init(void)
{
#if defined(__aarch64__)
	uint64_t f;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	time_hz = f ? f : 62500000;   /* QEMU virt's rate if firmware left it 0 */
#else
	uint64_t t0, t1;
	t0 = time_ticks();
	efi_plat.bs->Stall(TIME_CALIBRATE_US);
	t1 = time_ticks();
	time_hz = (t1 - t0) * (1000000 / TIME_CALIBRATE_US);
	if (time_hz < 1000000)
		time_hz = 1000000;    /* nonsense calibration: assume >= 1 MHz */
#endif
}

uint64_t plat_ticks(void) { return time_ticks(); }
uint64_t plat_ticks_hz(void) { return time_hz; }

uint64_t plat_ms(void)
{
	uint64_t t = time_ticks();
	uint64_t ms;

	if (!time_hz)
		return time_last_ms;
	ms = (t / time_hz) * 1000 + ((t % time_hz) * 1000) / time_hz;
	if (ms < time_last_ms)
		ms = time_last_ms;
	time_last_ms = ms;
	return ms;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic: an
 * era is 400 years = 146097 days, and March-based years put Feb 29 last). */
static int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);                        /* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
	return era * 146097 + (int64_t)doe - 719468;
}

int plat_rtc(int64_t *unix_secs)
{
	EFI_TIME t;
	EFI_STATUS st;
	int64_t secs;

	if (!efi_plat.rs || efi_plat.boot_services_gone || !efi_plat.rs->GetTime)
		return -WB_ENOCLOCK;
	st = efi_plat.rs->GetTime(&t, NULL);
	if (EFI_ERROR(st))
		return -WB_ENOCLOCK;
	/* A clock that was never set reads 1970 or 2000: useless for checking
	 * certificate validity, so report it as absent. */
	if (t.Year < 2020 || t.Year > 9999 || t.Month < 1 || t.Month > 12 || t.Day < 1 ||
	    t.Day > 31 || t.Hour > 23 || t.Minute > 59 || t.Second > 59)
		return -WB_ENOCLOCK;
	secs = time_days_from_civil(t.Year, t.Month, t.Day) * 86400 +
	       (int64_t)t.Hour * 3600 + t.Minute * 60 + t.Second;
	/* UEFI 2.10 §8.3: Localtime = UTC + TimeZone (minutes).  Unspecified
	 * means local time of unknown offset; QEMU's RTC is UTC, so take it. */
	if (t.TimeZone != EFI_UNSPECIFIED_TIMEZONE && t.TimeZone >= -1440 && t.TimeZone <= 1440)
		secs -= (int64_t)t.TimeZone * 60;
	*unix_secs = secs;
	return 0;
}
