/*
 * sanio.c — test driver for san_write()/san_flush()/san_read() against a real
 * target (tests/hosted/san-write.sh): over kernel sockets, it opens the
 * root path, writes a pseudo-random pattern (from --seed) at several LBAs
 * with sizes unaligned to bursts and spanning several commands, flushes,
 * reads every range back and compares, and applies the same writes with
 * pwrite() to --mirror FILE (a copy of the original image) so that the shell
 * can compare the target's backing file with it byte for byte.
 *
 *   sanio ROOT-PATH --user U --reverse-user RU --seed N --mirror FILE [--depth N] [--digests]
 *   sanio ROOT-PATH --user U --reverse-user RU --read LBA N [--read LBA N ...]
 *   (secrets from WIREBOOT_SECRET / WIREBOOT_REVERSE_SECRET)
 *
 * With --read (at most 8) it only reads: each range with one san_read(),
 * printing "sanio: read N blocks at LBA L sha256 HEX" (or the error), so a
 * test can read where --read-all cannot go (above 2^32 on a large LUN).
 *
 *   sanio ROOT-PATH ... [--poll SECS] [--io-timeout MS] [--login-timeout MS]
 *         [--cancel-stdin] --read LBA N ...   (tests/hosted/san-poll.sh)
 *
 * --poll first does what the firmware timer does while GRUB runs, for SECS
 * seconds: san_poll() every 50 ms, timing each call; prints "sanio: poll:
 * C calls, longest M ms, R reconnects".  --cancel-stdin makes
 * env.stall_cancel read stdin: a byte 0x03 there is Ctrl-C; after each read
 * "sanio: Ctrl-C asked N times" says how often it was asked.
 *
 * Prints one line per range and "sanio: ok"; exit 1 on any mismatch or
 * error (with san_error()), 3 when the project allocator saw a leak.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bearssl_hash.h"
#include "bearssl_rand.h"
#include "core/err.h"
#include "platform/host/host.h"
#include "platform/platform.h"
#include "san/san.h"
#include "tls/tls.h"

long host_live_allocs(void);

static int rng(void *arg, void *buf, size_t len)
{
	br_hmac_drbg_generate(arg, buf, len);
	return 0;
}

static int sock_connect(void *arg, const char *host, uint16_t port, struct stream **out)
{
	(void)arg;
	return host_sock_connect(host, port, out);
}

static void log_line(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
}

static uint64_t prng;
static uint8_t next_byte(void)
{
	prng = prng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint8_t)(prng >> 56);
}

static void env_setup(struct san_env *env, br_hmac_drbg_context *drbg)
{
	memset(env, 0, sizeof(*env));
	env->connect = sock_connect;
	host_sock_poller(NULL, &env->poller);
	env->now_ms = plat_ms;
	env->rng = rng;
	env->rng_arg = drbg;
	env->log = log_line;
}

/* --cancel-stdin: env.stall_cancel; a 0x03 waiting on stdin is Ctrl-C */
static unsigned cancel_asks;
static int stdin_cancel(void *arg)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	unsigned char c;

	(void)arg;
	cancel_asks++;
	if (poll(&pfd, 1, 0) != 1 || read(0, &c, 1) != 1)
		return 0;
	return c == 3;
}

static unsigned long poll_s;
static int cancel_stdin;

struct sanio_range {
	unsigned long long lba;
	unsigned long n;
};

/* --read mode: read @nrd ranges, print their SHA-256 */
static int read_only(const struct san_iscsi_cfg *cfg, const struct sanio_range *rd, int nrd)
{
	br_hmac_drbg_context drbg;
	struct san_env env;
	struct san_dev *d = NULL;
	char msg[SAN_MSG_MAX];
	int rc, ret = 0;

	if (tls_rng_init(&drbg)) {
		fprintf(stderr, "sanio: no entropy\n");
		return 1;
	}
	env_setup(&env, &drbg);
	if (cancel_stdin)
		env.stall_cancel = stdin_cancel;
	rc = san_iscsi_open(&env, cfg, &d, msg, sizeof(msg));
	if (rc) {
		fprintf(stderr, "sanio: %s\n", msg);
		return 1;
	}
	printf("sanio: %llu blocks of %u\n", (unsigned long long)san_info(d)->blocks, san_info(d)->block_size);
	if (poll_s) {
		/* the firmware timer while GRUB runs: san_poll() every 50 ms */
		uint64_t end = plat_ms() + poll_s * 1000, longest = 0;
		unsigned long calls = 0;

		printf("sanio: polling for %lu s\n", poll_s);
		fflush(stdout);
		while (plat_ms() < end) {
			uint64_t t0 = plat_ms(), dt;

			san_poll(d);
			dt = plat_ms() - t0;
			calls++;
			if (dt > longest) {
				longest = dt;
				if (dt >= 100)
					printf("sanio: poll: one call took %llu ms\n", (unsigned long long)dt);
			}
			poll(NULL, 0, 50);
		}
		printf("sanio: poll: %lu calls, longest %llu ms, %u reconnects\n", calls, (unsigned long long)longest,
		       san_stats(d)->reconnects);
		fflush(stdout);
	}
	for (int i = 0; i < nrd; i++) {
		unsigned long long lba = rd[i].lba;
		unsigned long n = rd[i].n;
		size_t len;
		uint8_t *b, h[32];
		br_sha256_context sc;

		len = (size_t)n * san_info(d)->block_size;
		b = malloc(len ? len : 1);
		if (!b) {
			ret = 1;
			break;
		}
		rc = san_read(d, lba, (uint32_t)n, b);
		if (rc) {
			fprintf(stderr, "sanio: read %lu blocks at LBA %llu: %s\n", n, lba, san_error(d));
			ret = 1;
		} else {
			br_sha256_init(&sc);
			br_sha256_update(&sc, b, len);
			br_sha256_out(&sc, h);
			printf("sanio: read %lu blocks at LBA %llu sha256 ", n, lba);
			for (int k = 0; k < 32; k++)
				printf("%02x", h[k]);
			printf("\n");
		}
		if (cancel_stdin)
			printf("sanio: Ctrl-C asked %u times\n", cancel_asks);
		fflush(stdout);
		free(b);
	}
	if (san_close(d, 5000)) {
		fprintf(stderr, "sanio: logout failed\n");
		ret = 1;
	}
	if (host_live_allocs() != 0) {
		fprintf(stderr, "sanio: %ld allocations leaked\n", host_live_allocs());
		return 3;
	}
	if (ret == 0)
		printf("sanio: ok\n");
	return ret;
}

int main(int argc, char **argv)
{
	struct san_iscsi_cfg cfg;
	struct san_env env;
	struct san_dev *d = NULL;
	br_hmac_drbg_context drbg;
	const char *mirror = NULL;
	char msg[SAN_MSG_MAX];
	unsigned long long seed = 1;
	int rc, fd, ret = 1;
	struct sanio_range rd[8];
	int nrd = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.initiator = "iqn.2026-11.io.wireboot:sanio";
	cfg.secret = getenv("WIREBOOT_SECRET");
	cfg.reverse_secret = getenv("WIREBOOT_REVERSE_SECRET");
	cfg.retry_ms = 20000;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--user") && v) cfg.user = v, i++;
		else if (!strcmp(a, "--reverse-user") && v) cfg.reverse_user = v, i++;
		else if (!strcmp(a, "--seed") && v) seed = strtoull(v, NULL, 0), i++;
		else if (!strcmp(a, "--mirror") && v) mirror = v, i++;
		else if (!strcmp(a, "--depth") && v) cfg.depth = (uint32_t)atoi(v), i++;
		else if (!strcmp(a, "--digests")) cfg.header_digest = cfg.data_digest = 1;
		else if (!strcmp(a, "--poll") && v) poll_s = strtoul(v, NULL, 0), i++;
		else if (!strcmp(a, "--io-timeout") && v) cfg.io_timeout_ms = (uint32_t)strtoul(v, NULL, 0), i++;
		else if (!strcmp(a, "--login-timeout") && v) cfg.login_timeout_ms = (uint32_t)strtoul(v, NULL, 0), i++;
		else if (!strcmp(a, "--cancel-stdin")) cancel_stdin = 1;
		else if (!strcmp(a, "--read") && v && i + 2 < argc && nrd < 8) {
			rd[nrd].lba = strtoull(v, NULL, 0);
			rd[nrd].n = strtoul(argv[i + 2], NULL, 0);
			nrd++;
			i += 2;
		}
		else if (a[0] != '-' && !cfg.root_path) cfg.root_path = a;
		else {
			fprintf(stderr, "usage: sanio ROOT-PATH --user U --reverse-user RU --seed N --mirror FILE [--depth N]\n");
			return 2;
		}
	}
	if (cfg.root_path && nrd)
		return read_only(&cfg, rd, nrd);
	if (!cfg.root_path || !mirror) {
		fprintf(stderr, "sanio: ROOT-PATH and --mirror are required\n");
		return 2;
	}
	if (tls_rng_init(&drbg)) {
		fprintf(stderr, "sanio: no entropy\n");
		return 1;
	}
	fd = open(mirror, O_WRONLY);
	if (fd < 0) {
		perror(mirror);
		return 1;
	}
	env_setup(&env, &drbg);
	rc = san_iscsi_open(&env, &cfg, &d, msg, sizeof(msg));
	if (rc) {
		fprintf(stderr, "sanio: %s\n", msg);
		close(fd);
		return 1;
	}
	{
		const struct san_info *in = san_info(d);
		uint32_t bs = in->block_size, burst = in->max_burst / bs;
		/* sizes around the burst (MaxBurstLength) and first-burst boundaries,
		   starts unaligned to them */
		struct { uint64_t lba; uint32_t n; } v[] = {
			{ 1, 1 }, { 7, 3 }, { 100, 17 }, { 1000, burst + 1 }, { 3001, 2 * burst + 77 },
			{ in->blocks - 9, 9 },
		};
		size_t nv = sizeof(v) / sizeof(v[0]);
		uint8_t *w = malloc((size_t)(2 * burst + 77) * bs), *r = malloc((size_t)(2 * burst + 77) * bs);
		int bad = 0;

		printf("sanio: %llu blocks of %u, MaxBurstLength %u, read-only %d, digests header %s data %s\n",
		       (unsigned long long)in->blocks, bs, in->max_burst, in->read_only, in->header_digest ? "CRC32C" : "None",
		       in->data_digest ? "CRC32C" : "None");
		prng = seed;
		for (size_t i = 0; i < nv && !bad; i++) {
			size_t len = (size_t)v[i].n * bs;

			for (size_t k = 0; k < len; k++)
				w[k] = next_byte();
			rc = san_write(d, v[i].lba, v[i].n, w);
			if (rc) {
				fprintf(stderr, "sanio: write at %llu: %s\n", (unsigned long long)v[i].lba, san_error(d));
				bad = 1;
				break;
			}
			if (pwrite(fd, w, len, (off_t)(v[i].lba * bs)) != (ssize_t)len) {
				perror("sanio: mirror");
				bad = 1;
				break;
			}
			printf("sanio: wrote %u blocks at LBA %llu\n", v[i].n, (unsigned long long)v[i].lba);
		}
		if (!bad && (rc = san_flush(d)) != 0) {
			fprintf(stderr, "sanio: flush: %s\n", san_error(d));
			bad = 1;
		}
		/* read back in a fresh pass of the same pattern */
		prng = seed;
		for (size_t i = 0; i < nv && !bad; i++) {
			size_t len = (size_t)v[i].n * bs;

			for (size_t k = 0; k < len; k++)
				w[k] = next_byte();
			memset(r, 0, len);
			rc = san_read(d, v[i].lba, v[i].n, r);
			if (rc || memcmp(r, w, len)) {
				fprintf(stderr, "sanio: read back at LBA %llu: %s\n", (unsigned long long)v[i].lba,
					rc ? san_error(d) : "data differs from what was written");
				bad = 1;
			} else {
				printf("sanio: verified %u blocks at LBA %llu\n", v[i].n, (unsigned long long)v[i].lba);
			}
		}
		/* small sequential reads fill the read-ahead window; a write inside it;
		   the reads again must see the new data */
		if (!bad) {
			uint8_t blk[4096];

			for (uint64_t lba = 5000; lba < 5064 && !bad; lba += 8)
				bad |= san_read(d, lba, 8, r) != 0;
			memset(blk, 0xc3, sizeof(blk));
			bad |= san_write(d, 5040, 1, blk) != 0;
			bad |= pwrite(fd, blk, bs, (off_t)(5040 * bs)) != (ssize_t)bs;
			bad |= san_read(d, 5040, 1, r) != 0 || memcmp(r, blk, bs) != 0;
			if (bad)
				fprintf(stderr, "sanio: read after write in the read-ahead window: stale or failed (%s)\n",
					san_error(d));
			else
				printf("sanio: read after write inside the read-ahead window ok (%llu hits)\n",
				       (unsigned long long)san_stats(d)->readahead_hits);
			bad |= san_flush(d) != 0;
		}
		printf("sanio: %llu writes, %llu bytes written, %u commands\n",
		       (unsigned long long)san_stats(d)->writes, (unsigned long long)san_stats(d)->write_bytes,
		       san_stats(d)->commands);
		free(w);
		free(r);
		if (!bad)
			ret = 0;
	}
	rc = san_close(d, 5000);
	if (rc) {
		fprintf(stderr, "sanio: logout failed\n");
		ret = 1;
	}
	close(fd);
	if (host_live_allocs() != 0) {
		fprintf(stderr, "sanio: %ld allocations leaked\n", host_live_allocs());
		return 3;
	}
	if (ret == 0)
		printf("sanio: ok\n");
	return ret;
}
