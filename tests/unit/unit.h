/*
 * unit.h — the unit-test harness: CHECK() prints one PASS/FAIL line per
 * check (what tests/run-all.sh counts); unit_done() adds the leak check
 * (every plat_malloc freed) and returns the exit status.
 */
#ifndef WB_UNIT_H
#define WB_UNIT_H

#include <stdio.h>
#include <string.h>

long host_live_allocs(void);

static int unit_failed;

#define CHECK(name, cond)                                                          \
	do {                                                                       \
		if (cond) {                                                        \
			printf("PASS: %s: %s\n", UNIT_NAME, name);                  \
		} else {                                                           \
			printf("FAIL: %s: %s (%s:%d: %s)\n", UNIT_NAME, name, __FILE__, \
			       __LINE__, #cond);                                   \
			unit_failed++;                                             \
		}                                                                  \
	} while (0)

#define CHECK_STR(name, got, want)                                                 \
	do {                                                                       \
		const char *g_ = (got), *w_ = (want);                              \
		if (g_ && w_ && !strcmp(g_, w_)) {                                 \
			printf("PASS: %s: %s\n", UNIT_NAME, name);                  \
		} else {                                                           \
			printf("FAIL: %s: %s (got \"%s\", want \"%s\")\n", UNIT_NAME, \
			       name, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
			unit_failed++;                                             \
		}                                                                  \
	} while (0)

static inline int unit_done(void)
{
	long live = host_live_allocs();

	CHECK("no allocations left (leak check)", live == 0);
	return unit_failed ? 1 : 0;
}

#endif
