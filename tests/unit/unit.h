/*
 * unit.h — the unit-test harness: CHECK() prints one PASS/FAIL line per
 * check (what tests/run-all.sh counts); unit_done() adds the leak check
 * (every plat_malloc freed) and returns the exit status.  unit_alloc_sweep()
 * runs a scenario once per allocation it makes, that allocation failing.
 */
#ifndef WB_UNIT_H
#define WB_UNIT_H

#include <stdio.h>
#include <string.h>

long host_live_allocs(void);
long host_alloc_calls(void);    /* plat_malloc calls so far */
void host_fail_alloc(long k);   /* the k-th plat_malloc from now fails (0: none) */
void host_free_hook(void (*fn)(void *p));   /* fn(p) before each plat_free (NULL: none) */
size_t host_alloc_largest(void);  /* largest plat_malloc request since the last call */

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

/*
 * Allocation-failure sweep: run(arg) once to count its plat_malloc calls (N),
 * then N more times with the k-th call failing (k = 1..N).  Each run returns 0
 * or a negative error code; after each run every allocation must be freed.
 * Checks: the first run succeeds, every failing run returns an error or
 * recovers (never crashes: ASan), @ok(rc) accepts each result, no leaks.
 */
static inline void unit_alloc_sweep(const char *what, int (*run)(void *), void *arg,
				    int (*ok)(int rc))
{
	long base = host_live_allocs(), c0 = host_alloc_calls(), n, errors = 0, bad = 0, leaks = 0;
	int rc = run(arg);
	char name[160];

	n = host_alloc_calls() - c0;
	snprintf(name, sizeof(name), "%s: runs without failures (%ld allocations)", what, n);
	CHECK(name, rc == 0 && host_live_allocs() == base);
	for (long k = 1; k <= n; k++) {
		host_fail_alloc(k);
		rc = run(arg);
		host_fail_alloc(0);
		if (rc)
			errors++;
		if (!ok(rc)) {
			bad++;
			printf("    %s: allocation %ld failing: unexpected result %d\n", what, k, rc);
		}
		if (host_live_allocs() != base) {
			leaks++;
			printf("    %s: allocation %ld failing: %ld allocations left\n", what, k,
			       host_live_allocs() - base);
			base = host_live_allocs();
		}
	}
	printf("    %s: %ld allocations, each failed once: %ld runs failed cleanly, %ld recovered\n",
	       what, n, errors, n - errors);
	snprintf(name, sizeof(name), "%s: each allocation failing gives a clean result", what);
	CHECK(name, bad == 0);
	snprintf(name, sizeof(name), "%s: each allocation failing leaks nothing", what);
	CHECK(name, leaks == 0);
}

static inline int unit_done(void)
{
	long live = host_live_allocs();

	CHECK("no allocations left (leak check)", live == 0);
	return unit_failed ? 1 : 0;
}

#endif
