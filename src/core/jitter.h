/*
 * jitter.h — entropy for the TLS PRNG seed: the platform RNG when there is one
 * (EFI_RNG_PROTOCOL, getrandom), otherwise a timer-jitter source.
 *
 * Timer jitter: each raw sample is the low byte of how many times a tight
 * loop reads plat_ms() before the millisecond changes.  Cache, bus, timer
 * read latency and interrupt/SMI noise make that count vary; we credit a
 * conservative 1 bit of min-entropy per sample, gather 512 samples (~0.5 s)
 * per 32-byte seed and compress them with SHA-256.  Every batch passes the
 * NIST SP 800-90B §4.4 health tests first (repetition count, cutoff 21;
 * adaptive proportion, window 512, cutoff 410 — both for H = 1, α = 2^-20);
 * a failing batch is retried a few times, then -WB_EENTROPYHEALTH.
 */
#ifndef WB_JITTER_H
#define WB_JITTER_H

#include <stddef.h>
#include <stdint.h>

#define JITTER_SAMPLES     512   /* per 32-byte output block; also the APT window */
#define JITTER_RCT_CUTOFF  21
#define JITTER_APT_CUTOFF  410

/**
 * Fill @buf (@len bytes) with seed material: plat_entropy() if the platform
 * has an RNG, else jitter_read().  @return 0, -WB_ENOENTROPY or
 * -WB_EENTROPYHEALTH (jitter_read()).
 */
int wb_entropy(void *buf, size_t len);
/** Which source wb_entropy() uses: plat_entropy_source() or "timer-jitter". */
const char *wb_entropy_source(void);

/**
 * Timer-jitter bytes (blocks; ~0.5 s per 32 bytes).  @return 0,
 * -WB_EENTROPYHEALTH when the health tests keep failing, or -WB_ENOENTROPY
 * when the clock never ticks.
 */
int jitter_read(void *buf, size_t len);

/**
 * SP 800-90B §4.4.1 repetition count test and §4.4.2 adaptive proportion
 * test over @n raw samples (the APT uses windows of JITTER_SAMPLES).
 * Pure.  @return 0 when both pass, -WB_EENTROPYHEALTH otherwise.
 */
int jitter_health(const uint8_t *samples, size_t n);

#endif
