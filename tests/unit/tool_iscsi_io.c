/*
 * tool_iscsi_io.c — the driver of tests/hosted/iscsi-write.sh (not a unit test: it
 * needs a target; built with `make build/test/tool_iscsi_io` by that script).
 *
 * Drives proto/iscsi_session.c against a real target over a kernel socket: log in,
 * READ CAPACITY, TEST UNIT READY (waiting out NOT READY), REPORT LUNS, MODE SENSE
 * (write protect), then write NBLOCKS blocks of a seeded pseudo-random pattern at LBA
 * in requests of --chunk blocks, several in flight, SYNCHRONIZE CACHE, read them back
 * and compare, ping, log out.  --drop-after N closes the connection after N PDUs have
 * been sent (in the middle of the writes), logs in again on a new connection and lets
 * iscsi_sess_restart() send every unfinished task again.  --dump FILE writes the
 * pattern so the script can compare it with the target's backing file.
 *
 *   tool_iscsi_io HOST PORT TARGET LUN LBA NBLOCKS SEED [--user U] [--reverse-user RU]
 *       [--digests] [--immediate 0|1] [--initial-r2t 0|1] [--first-burst N]
 *       [--max-burst N] [--depth N] [--chunk N] [--drop-after N] [--dump FILE]
 *   secrets from WIREBOOT_SECRET / WIREBOOT_REVERSE_SECRET.
 * Prints one line per step; exit 0 only when every step worked and the data matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bearssl_rand.h"
#include "core/err.h"
#include "core/stream.h"
#include "platform/host/host.h"
#include "platform/platform.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"
#include "proto/iscsi_scsi.h"
#include "proto/iscsi_session.h"
#include "tls/tls.h"

#define IO_DSL 65536

struct io {
	const char *host;
	uint16_t port;
	struct iscsi_login_cfg cfg;
	struct iscsi_login l;
	struct stream *s;
	struct stream_poller p;
	struct iscsi_rx rx;
	uint8_t rxdata[ISCSI_PAD4(IO_DSL)];
	uint8_t rbuf[16384];
	size_t rpos, rlen;
	uint8_t tx[IO_DSL + 1024];
	br_hmac_drbg_context rng;
	struct iscsi_sess sess;
	long sent, drop_after;
	int dropped;
};

static int io_rng(void *arg, void *buf, size_t len)
{
	br_hmac_drbg_generate(arg, buf, len);
	return 0;
}

static int io_send(struct io *f, const uint8_t *b, size_t n)
{
	uint64_t deadline = plat_ms() + 20000;

	while (n) {
		int k = stream_send(f->s, b, n);

		if (k < 0)
			return k;
		b += k;
		n -= (size_t)k;
		if (n) {
			if (plat_ms() > deadline)
				return -WB_ETIMEDOUT;
			f->p.poll(f->p.arg);
		}
	}
	return 0;
}

static int io_recv(struct io *f, struct iscsi_pdu *out)
{
	uint64_t deadline = plat_ms() + 20000;

	for (;;) {
		if (f->rpos < f->rlen) {
			size_t used = 0;
			int rc = iscsi_rx_feed(&f->rx, f->rbuf + f->rpos, f->rlen - f->rpos, &used);

			f->rpos += used;
			if (rc < 0)
				return rc;
			if (rc == 1) {
				*out = f->rx.pdu;
				return 0;
			}
			continue;
		}
		int k = stream_recv(f->s, f->rbuf, sizeof(f->rbuf));

		if (k < 0)
			return k;
		if (k > 0) {
			f->rpos = 0;
			f->rlen = (size_t)k;
			continue;
		}
		if (plat_ms() > deadline)
			return -WB_ETIMEDOUT;
		f->p.poll(f->p.arg);
	}
}

/* connect and log in (a new session each time, as after a dropped connection) */
static int io_login(struct io *f)
{
	struct iscsi_pdu p;
	size_t n;
	int rc;

	f->rpos = f->rlen = 0;
	iscsi_rx_init(&f->rx, f->rxdata, sizeof(f->rxdata), IO_DSL);
	rc = iscsi_login_init(&f->l, &f->cfg);
	if (rc)
		return rc;
	rc = host_sock_connect(f->host, f->port, &f->s);
	if (rc == 0)
		rc = stream_wait_open(f->s, &f->p, 10000);
	if (rc) {
		printf("connect: %s\n", wb_strerror(rc));
		return rc;
	}
	rc = iscsi_login_step(&f->l, NULL, f->tx, sizeof(f->tx), &n);
	while (rc == ISCSI_LOGIN_SEND) {
		rc = io_send(f, f->tx, n);
		if (rc == 0)
			rc = io_recv(f, &p);
		if (rc)
			return rc;
		rc = iscsi_login_step(&f->l, &p, f->tx, sizeof(f->tx), &n);
	}
	if (rc < 0 && iscsi_login_chap_fallback(&f->l, &f->cfg)) {
		/* tgt's CHAP_A 7 is SHA-1 (proto/iscsi_login.h): again without 7, as san_iscsi.c does */
		printf("login: %s; again without CHAP_A 7\n", f->l.msg);
		stream_close(f->s);
		return io_login(f);
	}
	if (rc < 0) {
		printf("login: %s\n", f->l.msg);
		return rc;
	}
	iscsi_rx_set_digests(&f->rx, f->l.params.header_digest, f->l.params.data_digest);
	printf("login ok: ImmediateData %s InitialR2T %s FirstBurstLength %u MaxBurstLength %u MaxSendDSL %u digests %s\n",
	       f->l.params.immediate_data ? "Yes" : "No", f->l.params.initial_r2t ? "Yes" : "No",
	       (unsigned)f->l.params.first_burst, (unsigned)f->l.params.max_burst, (unsigned)f->l.params.max_send_dsl,
	       f->l.params.data_digest ? "CRC32C" : "None");
	return 0;
}

/* send what the session has, then wait for @tags (all of them); drop the
   connection once when --drop-after says so and carry on after a restart */
static int io_wait(struct io *f, long *tags, int ntags, struct iscsi_task *info)
{
	struct iscsi_sess *s = &f->sess;

	for (;;) {
		struct iscsi_pdu p;
		int n, rc, all = 1;

		while ((n = iscsi_sess_output(s, f->tx, sizeof(f->tx))) > 0) {
			rc = io_send(f, f->tx, (size_t)n);
			if (rc)
				return rc;
			f->sent++;
			if (f->drop_after && !f->dropped && f->sent >= f->drop_after) {
				f->dropped = 1;
				stream_close(f->s);
				f->s = NULL;
				printf("dropped the connection after %ld PDUs (%u R2Ts, %u Data-Out so far)\n", f->sent,
				       s->r2ts, s->dataouts);
				rc = io_login(f);
				if (rc)
					return rc;
				rc = iscsi_sess_restart(s, &f->l);
				printf("restart: %d tasks queued again\n", rc);
				if (rc < 0)
					return rc;
			}
		}
		if (n < 0)
			return n;
		for (int i = 0; i < ntags; i++) {
			if (tags[i] == 0)
				continue;
			rc = iscsi_sess_done(s, tags[i], info);
			if (rc < 0)
				return rc;
			if (rc == 0)
				all = 0;
			else
				tags[i] = 0;   /* reaped: its slots are free */
		}
		if (all)
			return 0;
		rc = io_recv(f, &p);
		if (rc)
			return rc;
		rc = iscsi_sess_input(s, &p);
		if (rc < 0)
			return rc;
	}
}

static int io_one(struct io *f, long tag, struct iscsi_task *info)
{
	if (tag < 0)
		return (int)tag;
	return io_wait(f, &tag, 1, info);
}

static uint64_t xs(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

int main(int argc, char **argv)
{
	static struct io F;
	struct io *f = &F;
	struct iscsi_task info;
	uint8_t lun[8] = { 0 }, cap[8], rl[256], ms[255];
	uint64_t lba, blocks, seed;
	uint32_t nblocks, bs, chunk = 64, depth = 8;
	uint8_t *pat = NULL, *back = NULL;
	const char *dump = NULL;
	int rc;

	memset(&info, 0, sizeof(info));
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 8) {
		fprintf(stderr, "usage: %s HOST PORT TARGET LUN LBA NBLOCKS SEED [options]\n", argv[0]);
		return 2;
	}
	f->host = argv[1];
	f->port = (uint16_t)atoi(argv[2]);
	f->cfg.target = argv[3];
	lun[1] = (uint8_t)atoi(argv[4]);
	lba = strtoull(argv[5], NULL, 0);
	nblocks = (uint32_t)strtoul(argv[6], NULL, 0);
	seed = strtoull(argv[7], NULL, 0) | 1;
	f->cfg.initiator = "iqn.2026-11.io.wireboot:iotest";
	f->cfg.immediate_data = 1;
	f->cfg.initial_r2t = 1;
	f->cfg.max_recv_dsl = IO_DSL;
	for (int i = 8; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v && strcmp(a, "--digests")) {
			fprintf(stderr, "%s needs a value\n", a);
			return 2;
		}
		if (!strcmp(a, "--digests")) f->cfg.header_digest = f->cfg.data_digest = 1;
		else if (!strcmp(a, "--user")) f->cfg.user = v, i++;
		else if (!strcmp(a, "--reverse-user")) f->cfg.reverse_user = v, i++;
		else if (!strcmp(a, "--immediate")) f->cfg.immediate_data = atoi(v), i++;
		else if (!strcmp(a, "--initial-r2t")) f->cfg.initial_r2t = atoi(v), i++;
		else if (!strcmp(a, "--first-burst")) f->cfg.first_burst = (uint32_t)atoi(v), i++;
		else if (!strcmp(a, "--max-burst")) f->cfg.max_burst = (uint32_t)atoi(v), i++;
		else if (!strcmp(a, "--depth")) depth = (uint32_t)atoi(v), i++;
		else if (!strcmp(a, "--chunk")) chunk = (uint32_t)atoi(v), i++;
		else if (!strcmp(a, "--drop-after")) f->drop_after = atol(v), i++;
		else if (!strcmp(a, "--dump")) dump = v, i++;
		else {
			fprintf(stderr, "unknown option %s\n", a);
			return 2;
		}
	}
	f->cfg.secret = f->cfg.user ? getenv("WIREBOOT_SECRET") : NULL;
	f->cfg.reverse_secret = f->cfg.reverse_user ? getenv("WIREBOOT_REVERSE_SECRET") : NULL;
	f->cfg.rng = io_rng;
	f->cfg.rng_arg = &f->rng;
	if (tls_rng_init(&f->rng))
		return 1;
	host_sock_poller(NULL, &f->p);
	rc = io_login(f);
	if (rc)
		goto fail;
	rc = iscsi_sess_init(&f->sess, &f->l, lun, depth);
	if (rc)
		goto fail;

	/* TEST UNIT READY until ready (UNIT ATTENTION is retried inside) */
	for (int i = 0;; i++) {
		rc = io_one(f, iscsi_sess_tur(&f->sess), &info);
		if (rc != -WB_ENOTREADY || i == 50)
			break;
		printf("not ready (ASC/ASCQ %02x/%02x), waiting\n", info.sense.asc, info.sense.ascq);
		usleep(100000);
	}
	if (rc)
		goto fail;
	printf("test unit ready: ok\n");
	{
		uint8_t cdb[10];

		scsi_cdb_read_capacity10(cdb);
		rc = io_one(f, iscsi_sess_command(&f->sess, cdb, 10, cap, 8), &info);
		if (rc)
			goto fail;
		rc = scsi_parse_read_capacity10(cap, 8, &blocks, &bs);
		if (rc)
			goto fail;
		f->sess.block_size = bs;
		printf("capacity: %llu blocks of %u bytes\n", (unsigned long long)blocks, bs);
	}
	rc = io_one(f, iscsi_sess_report_luns(&f->sess, rl, sizeof(rl)), &info);
	if (rc)
		goto fail;
	{
		uint8_t luns[16][8];
		size_t n;

		rc = scsi_parse_report_luns(rl, sizeof(rl) - info.residual, luns, 16, &n);
		if (rc)
			goto fail;
		printf("report luns: %u:", (unsigned)scsi_report_luns_total(rl, sizeof(rl)));
		for (size_t i = 0; i < n; i++)
			printf(" %u", (unsigned)(luns[i][0] & 0x3f) << 8 | luns[i][1]);
		printf("\n");
	}
	rc = io_one(f, iscsi_sess_mode_sense_wp(&f->sess, ms, sizeof(ms)), &info);
	if (rc)
		goto fail;
	rc = scsi_parse_mode_sense6_wp(ms, sizeof(ms) - info.residual);
	if (rc < 0)
		goto fail;
	printf("write protect: %d\n", rc);

	if (lba + nblocks > blocks) {
		printf("range beyond the LUN\n");
		return 1;
	}
	pat = malloc((size_t)nblocks * bs);
	back = malloc((size_t)nblocks * bs);
	if (!pat || !back) {
		rc = -WB_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < (size_t)nblocks * bs; i++)
		pat[i] = (uint8_t)(xs(&seed) >> 24);
	if (dump) {
		FILE *d = fopen(dump, "wb");

		if (!d || fwrite(pat, 1, (size_t)nblocks * bs, d) != (size_t)nblocks * bs || fclose(d)) {
			rc = -WB_EINVAL;
			goto fail;
		}
	}
	/* writes: every request queued at once when the slots allow, else in waves */
	{
		uint32_t done = 0;

		while (done < nblocks) {
			long tags[ISCSI_SESS_TASKS];
			int nt = 0;

			while (done < nblocks && nt < ISCSI_SESS_TASKS) {
				uint32_t n = nblocks - done < chunk ? nblocks - done : chunk;
				long t = iscsi_sess_write(&f->sess, lba + done, n, pat + (size_t)done * bs);

				if (t == -WB_EAGAIN)
					break;
				if (t < 0) {
					rc = (int)t;
					goto fail;
				}
				tags[nt++] = t;
				done += n;
			}
			rc = io_wait(f, tags, nt, &info);
			if (rc)
				goto fail;
		}
	}
	printf("write: %u blocks at LBA %llu, %u R2Ts, %u Data-Out PDUs\n", nblocks, (unsigned long long)lba,
	       f->sess.r2ts, f->sess.dataouts);
	rc = io_one(f, iscsi_sess_sync(&f->sess), &info);
	if (rc)
		goto fail;
	printf("synchronize cache: ok\n");
	memset(back, 0, (size_t)nblocks * bs);
	rc = io_one(f, iscsi_sess_read(&f->sess, lba, nblocks, back), &info);
	if (rc)
		goto fail;
	if (memcmp(back, pat, (size_t)nblocks * bs)) {
		printf("verify: MISMATCH\n");
		rc = -WB_EISCSIPROTO;
		goto fail;
	}
	printf("verify: read back equals what was written\n");
	rc = io_one(f, iscsi_sess_ping(&f->sess), &info);
	if (rc)
		goto fail;
	printf("ping: ok\n");
	rc = io_one(f, iscsi_sess_logout(&f->sess), &info);
	if (rc)
		goto fail;
	printf("logout: ok\n");
	stream_close(f->s);
	free(pat);
	free(back);
	return 0;
fail:
	free(pat);
	free(back);
	if (f->s)
		stream_close(f->s);
	printf("failed: %s (status 0x%02x sense %x/%02x/%02x)\n", wb_strerror(rc), info.status, info.sense.key,
	       info.sense.asc, info.sense.ascq);
	return 1;
}
