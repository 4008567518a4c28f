/*
 * jitter.c — seed material from the platform RNG or timer jitter (see
 * jitter.h for the design and the health-test parameters).
 */
#include <string.h>

#include "bearssl_hash.h"
#include "core/err.h"
#include "core/jitter.h"
#include "platform/platform.h"

#define JITTER_SPIN_MAX  (1u << 28)   /* a clock that never ticks is a failure */
#define JITTER_TRIES     3

int jitter_health(const uint8_t *samples, size_t n)
{
	size_t i, run = 1, w;

	/* §4.4.1 repetition count: C = 1 + ceil(20 / H) identical samples in a row */
	for (i = 1; i < n; i++) {
		run = samples[i] == samples[i - 1] ? run + 1 : 1;
		if (run >= JITTER_RCT_CUTOFF)
			return -WB_EENTROPYHEALTH;
	}
	/* §4.4.2 adaptive proportion: the window's first value must not recur too often */
	for (w = 0; w + JITTER_SAMPLES <= n; w += JITTER_SAMPLES) {
		size_t count = 0;

		for (i = w; i < w + JITTER_SAMPLES; i++)
			count += samples[i] == samples[w];
		if (count >= JITTER_APT_CUTOFF)
			return -WB_EENTROPYHEALTH;
	}
	return 0;
}

/* Loop iterations until plat_ms() moves on; 0 if it never does. */
static uint32_t jitter_spin(void)
{
	uint64_t t0 = plat_ms();
	uint32_t count = 0;

	while (plat_ms() == t0)
		if (++count >= JITTER_SPIN_MAX)
			return 0;
	return count | 0x80000000u;   /* non-zero marks success; low byte is the sample */
}

static int jitter_batch(uint8_t samples[JITTER_SAMPLES])
{
	size_t i;

	if (!jitter_spin())   /* align to a tick edge: every sample is a whole tick */
		return -WB_ENOENTROPY;
	for (i = 0; i < JITTER_SAMPLES; i++) {
		uint32_t c = jitter_spin();

		if (!c)
			return -WB_ENOENTROPY;
		samples[i] = (uint8_t)c;
	}
	return jitter_health(samples, JITTER_SAMPLES);
}

int jitter_read(void *buf, size_t len)
{
	uint8_t samples[JITTER_SAMPLES], block[32];
	uint8_t *out = buf;
	br_sha256_context h;
	uint32_t ctr = 0;
	int rc = 0, tries;

	while (len) {
		size_t n = len < sizeof(block) ? len : sizeof(block);

		for (tries = 0; tries < JITTER_TRIES; tries++) {
			rc = jitter_batch(samples);
			if (!rc)
				break;
		}
		if (rc)
			break;
		br_sha256_init(&h);
		br_sha256_update(&h, &ctr, sizeof(ctr));
		br_sha256_update(&h, samples, sizeof(samples));
		br_sha256_out(&h, block);
		memcpy(out, block, n);
		out += n;
		len -= n;
		ctr++;
	}
	memset(samples, 0, sizeof(samples));
	memset(block, 0, sizeof(block));
	return rc;
}

int wb_entropy(void *buf, size_t len)
{
	if (plat_entropy_source() && !plat_entropy(buf, len))
		return 0;
	return jitter_read(buf, len);
}

const char *wb_entropy_source(void)
{
	const char *s = plat_entropy_source();

	return s ? s : "timer-jitter";
}
