/*
 * preflight.c — `wireboot preflight iscsi ROOT-PATH [--initiator IQN]
 *   [--user U --secret S] [--reverse-user RU --reverse-secret RS]
 *   [--digests] [--timeout SECS] [--read-all [--depth N]]`
 *
 * Over kernel sockets: connect to the root path's portal, log in
 * (proto/iscsi_login.c), INQUIRY and READ CAPACITY(10) on the LUN, print
 * vendor/product and capacity (READ CAPACITY(16) when (10) overflows);
 * with --read-all, read the whole LUN through proto/iscsi_session.c with N
 * commands in flight (default 8) and print its SHA-256 and the rate; log out.  Secrets may come from the
 * environment instead (WIREBOOT_SECRET, WIREBOOT_REVERSE_SECRET) so that
 * they do not show in the process list.  Exit 0, or 1 with one line
 * naming what failed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bearssl_hash.h"
#include "bearssl_rand.h"
#include "core/err.h"
#include "core/stream.h"
#include "platform/host/host.h"
#include "platform/platform.h"
#include "proto/chap.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_pdu.h"
#include "proto/iscsi_scsi.h"
#include "proto/iscsi_session.h"
#include "proto/iscsi_uri.h"
#include "tls/tls.h"

#define PF_DSL 65536

struct pf {
	struct stream *s;
	struct stream_poller p;
	struct iscsi_rx rx;
	uint8_t rxdata[ISCSI_PAD4(PF_DSL)];
	uint8_t rbuf[16384];
	size_t rpos, rlen;
	uint8_t tx[PF_DSL + 1024];
	uint64_t deadline;
	int hd, dd;
};

static volatile sig_atomic_t pf_sigint;
static void pf_on_sigint(int sig) { (void)sig; pf_sigint = 1; }
static int pf_cancel(void) { return pf_sigint; }

static int pf_rng(void *arg, void *buf, size_t len)
{
	br_hmac_drbg_generate(arg, buf, len);
	return 0;
}

static int pf_send(struct pf *f, const uint8_t *b, size_t n)
{
	while (n) {
		int k = stream_send(f->s, b, n);

		if (k < 0)
			return k;
		b += k;
		n -= (size_t)k;
		if (n) {
			if (pf_cancel())
				return -WB_ECANCELED;
			if (plat_ms() > f->deadline)
				return -WB_ETIMEDOUT;
			f->p.poll(f->p.arg);
		}
	}
	return 0;
}

static int pf_recv(struct pf *f, struct iscsi_pdu *out)
{
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
		if (pf_cancel())
			return -WB_ECANCELED;
		if (plat_ms() > f->deadline)
			return -WB_ETIMEDOUT;
		f->p.poll(f->p.arg);
	}
}

static int pf_build_send(struct pf *f, const struct iscsi_bhs *h, const uint8_t *data)
{
	int n = iscsi_pdu_build(h, NULL, data, f->hd, f->dd, f->tx, sizeof(f->tx));

	if (n < 0)
		return n;
	return pf_send(f, f->tx, (size_t)n);
}

/* one read-direction command; data into @buf (@cap) */
static int pf_command_once(struct pf *f, struct iscsi_login *l, const uint8_t lun[8], uint32_t itt,
		      const uint8_t *cdb, size_t cdb_len, uint8_t *buf, uint32_t cap, uint32_t *got,
		      char *why, size_t whycap)
{
	struct iscsi_bhs h;
	struct iscsi_pdu p;
	int rc;

	iscsi_scsi_cmd(&h, lun, itt, l->cmdsn, l->expstatsn, cdb, cdb_len, cap);
	l->cmdsn++;
	rc = pf_build_send(f, &h, NULL);
	if (rc)
		return rc;
	*got = 0;
	for (;;) {
		rc = pf_recv(f, &p);
		if (rc)
			return rc;
		if ((int32_t)(p.bhs.maxcmdsn - (p.bhs.expcmdsn - 1)) >= 0) {
			if ((int32_t)(p.bhs.expcmdsn - l->expcmdsn) > 0)
				l->expcmdsn = p.bhs.expcmdsn;
			if ((int32_t)(p.bhs.maxcmdsn - l->maxcmdsn) > 0)
				l->maxcmdsn = p.bhs.maxcmdsn;
		}
		switch (p.bhs.opcode) {
		case ISCSI_OP_DATA_IN:
			if (p.bhs.itt != itt)
				break;
			if (p.bhs.buffer_offset > cap || p.bhs.data_len > cap - p.bhs.buffer_offset)
				return -WB_EISCSIPROTO;
			memcpy(buf + p.bhs.buffer_offset, p.data, p.bhs.data_len);
			if (p.bhs.buffer_offset + p.bhs.data_len > *got)
				*got = p.bhs.buffer_offset + p.bhs.data_len;
			if (p.bhs.flags & ISCSI_DATAIN_STATUS) {
				l->expstatsn = p.bhs.statsn + 1;
				if (p.bhs.status != SCSI_STATUS_GOOD) {
					snprintf(why, whycap, "SCSI status 0x%02x", p.bhs.status);
					return -WB_EISCSISCSI;
				}
				return 0;
			}
			break;
		case ISCSI_OP_SCSI_RSP:
			if (p.bhs.itt != itt)
				break;
			l->expstatsn = p.bhs.statsn + 1;
			if (p.bhs.response != 0 || p.bhs.status != SCSI_STATUS_GOOD) {
				if (p.bhs.status == SCSI_STATUS_CHECK && p.bhs.data_len >= 2 + 14) {
					const uint8_t *s = p.data + 2;   /* SenseLength(2) + sense data */

					snprintf(why, whycap, "CHECK CONDITION, sense key 0x%x ASC/ASCQ 0x%02x/0x%02x",
						 s[2] & 0xf, s[12], s[13]);
				} else {
					snprintf(why, whycap, "response 0x%02x status 0x%02x", p.bhs.response, p.bhs.status);
				}
				return -WB_EISCSISCSI;
			}
			return 0;
		case ISCSI_OP_NOP_IN:
			l->expstatsn = p.bhs.statsn + 1;
			if (p.bhs.ttt != 0xffffffffu) {  /* target pings: answer (RFC 7143 §11.18) */
				struct iscsi_bhs n;

				memset(&n, 0, sizeof(n));
				n.opcode = ISCSI_OP_NOP_OUT;
				n.immediate = 1;
				n.flags = ISCSI_FLAG_FINAL;
				n.itt = 0xffffffffu;
				n.ttt = p.bhs.ttt;
				memcpy(n.lun, p.bhs.lun, 8);
				n.cmdsn = l->cmdsn;
				n.expstatsn = l->expstatsn;
				n.data_len = p.bhs.data_len;
				rc = pf_build_send(f, &n, p.data);
				if (rc)
					return rc;
			}
			break;
		case ISCSI_OP_REJECT:
			snprintf(why, whycap, "target rejected the command (reason 0x%02x)", p.bhs.reason);
			return -WB_EISCSIPROTO;
		default:
			break;
		}
	}
}

/* pf_command_once, retried while the target reports UNIT ATTENTION (power on,
   reset: the first command of a new I_T nexus usually gets one) */
static int pf_command(struct pf *f, struct iscsi_login *l, const uint8_t lun[8], uint32_t itt,
		      const uint8_t *cdb, size_t cdb_len, uint8_t *buf, uint32_t cap, uint32_t *got,
		      char *why, size_t whycap)
{
	int rc = 0;

	for (int i = 0; i < 4; i++) {
		why[0] = '\0';
		rc = pf_command_once(f, l, lun, itt, cdb, cdb_len, buf, cap, got, why, whycap);
		if (rc != -WB_EISCSISCSI || !strstr(why, "sense key 0x6 "))
			break;
	}
	return rc;
}

/* read the whole LUN through the session machine, @depth commands in flight,
   hashing the chunks in LBA order as they complete */
static int pf_read_all(struct pf *f, struct iscsi_login *l, const uint8_t lun[8], uint64_t blocks, uint32_t bs,
		       unsigned depth, unsigned timeout_s, char *why, size_t whycap)
{
	struct iscsi_sess *s = calloc(1, sizeof(*s));
	uint8_t *bufs = NULL;
	long tags[32];
	uint64_t issued = 0, hashed = 0, nchunks, t0, ms;
	uint32_t per;
	br_sha256_context sha;
	uint8_t digest[32];
	int rc;

	if (!s)
		return -WB_ENOMEM;
	rc = iscsi_sess_init(s, l, lun, depth);
	if (rc)
		goto out;
	s->block_size = bs;
	per = s->max_burst / bs;
	if (per == 0)
		per = 1;
	if (per > 0xffff)
		per = 0xffff;
	nchunks = (blocks + per - 1) / per;
	bufs = malloc((size_t)depth * per * bs);
	if (!bufs) {
		rc = -WB_ENOMEM;
		goto out;
	}
	br_sha256_init(&sha);
	t0 = plat_ms();
	while (hashed < nchunks) {
		struct iscsi_pdu p;
		int n;

		while (issued < nchunks && issued - hashed < depth) {
			uint64_t lba = issued * per;
			uint32_t nb = (uint32_t)(blocks - lba < per ? blocks - lba : per);
			long tag = iscsi_sess_read(s, lba, nb, bufs + (size_t)(issued % depth) * per * bs);

			if (tag < 0) {
				rc = (int)tag;
				goto out;
			}
			tags[issued % depth] = tag;
			issued++;
		}
		while ((n = iscsi_sess_output(s, f->tx, sizeof(f->tx))) > 0) {
			rc = pf_send(f, f->tx, (size_t)n);
			if (rc)
				goto out;
		}
		if (n < 0) {
			rc = n;
			goto out;
		}
		{
			struct iscsi_task info;
			int d = iscsi_sess_done(s, tags[hashed % depth], &info);

			if (d < 0) {
				snprintf(why, whycap, "chunk at LBA %llu: SCSI status 0x%02x sense key 0x%x ASC/ASCQ 0x%02x/0x%02x",
					 (unsigned long long)(hashed * per), info.status, info.sense.key, info.sense.asc,
					 info.sense.ascq);
				rc = d;
				goto out;
			}
			if (d == 1) {
				uint64_t lba = hashed * per;
				uint32_t nb = (uint32_t)(blocks - lba < per ? blocks - lba : per);

				br_sha256_update(&sha, bufs + (size_t)(hashed % depth) * per * bs, (size_t)nb * bs);
				hashed++;
				f->deadline = plat_ms() + (uint64_t)timeout_s * 1000;
				continue;
			}
		}
		rc = pf_recv(f, &p);
		if (rc)
			goto out;
		rc = iscsi_sess_input(s, &p);
		if (rc == ISCSI_SESS_ASYNC) {
			snprintf(why, whycap, "target sent Async Message event %u", s->async.event);
			rc = -WB_EISCSIPROTO;
			goto out;
		}
		if (rc) {
			if (rc == -WB_EISCSIREJECT)
				snprintf(why, whycap, "reason 0x%02x", s->reject_reason);
			goto out;
		}
	}
	ms = plat_ms() - t0;
	br_sha256_out(&sha, digest);
	printf("read-all: %llu bytes, depth %u, %llu commands of up to %u bytes, %u UNIT ATTENTION retries, %u NOPs answered\n",
	       (unsigned long long)(blocks * bs), depth, (unsigned long long)nchunks, per * bs, s->ua_retries,
	       s->nops_answered);
	printf("sha256 ");
	for (int i = 0; i < 32; i++)
		printf("%02x", digest[i]);
	printf("\n");
	printf("rate: %.1f MiB/s (%llu ms, depth %u)\n",
	       ms ? (double)(blocks * bs) / 1048576.0 / ((double)ms / 1000.0) : 0.0, (unsigned long long)ms, depth);
	/* hand the numbering back for the logout */
	l->cmdsn = s->cmdsn;
	l->expstatsn = s->expstatsn;
	rc = 0;
out:
	free(bufs);
	free(s);
	return rc;
}

static void pf_usage(void)
{
	fprintf(stderr, "usage: wireboot preflight iscsi ROOT-PATH [--initiator IQN] [--user U --secret S]\n"
			"                 [--reverse-user RU --reverse-secret RS] [--chap-alg 5,7,6] [--digests] [--timeout SECS]\n"
			"                 [--read-all [--depth N]]\n"
			"       (secrets also from WIREBOOT_SECRET / WIREBOOT_REVERSE_SECRET)\n");
}

int preflight_main(int argc, char **argv)
{
	struct iscsi_login_cfg cfg;
	struct iscsi_uri u;
	struct iscsi_login *l = NULL;
	struct pf *f = NULL;
	br_hmac_drbg_context rng;
	const char *root = NULL;
	unsigned timeout_s = 20;
	char why[200] = "";
	int rc, ret = 1, read_all = 0;
	unsigned depth = 8;
	uint64_t blocks = 0;
	uint32_t bs = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.initiator = "iqn.2026-11.io.wireboot:preflight";
	cfg.secret = getenv("WIREBOOT_SECRET");
	cfg.reverse_secret = getenv("WIREBOOT_REVERSE_SECRET");
	if (argc < 2 || strcmp(argv[1], "iscsi")) {
		pf_usage();
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--initiator") && v) cfg.initiator = v, i++;
		else if (!strcmp(a, "--user") && v) cfg.user = v, i++;
		else if (!strcmp(a, "--secret") && v) cfg.secret = v, i++;
		else if (!strcmp(a, "--reverse-user") && v) cfg.reverse_user = v, i++;
		else if (!strcmp(a, "--reverse-secret") && v) cfg.reverse_secret = v, i++;
		else if (!strcmp(a, "--chap-alg") && v) {
			/* CHAP_A preference, e.g. 5 or 7,6,5 */
			int k = 0;

			memset(cfg.chap_algs, 0, sizeof(cfg.chap_algs));
			for (const char *q = v; *q && k < 3; q++)
				if (*q >= '5' && *q <= '7')
					cfg.chap_algs[k++] = (uint8_t)(*q - '0');
			i++;
		} else if (!strcmp(a, "--digests")) cfg.header_digest = cfg.data_digest = 1;
		else if (!strcmp(a, "--timeout") && v) timeout_s = (unsigned)atoi(v), i++;
		else if (!strcmp(a, "--read-all")) read_all = 1;
		else if (!strcmp(a, "--depth") && v) {
			depth = (unsigned)atoi(v);
			i++;
			if (depth < 1 || depth > 32) {
				fprintf(stderr, "wireboot preflight: --depth takes 1 to 32\n");
				return 2;
			}
		}
		else if (a[0] != '-' && !root) root = a;
		else {
			pf_usage();
			return 2;
		}
	}
	if (!root) {
		pf_usage();
		return 2;
	}
	if (!cfg.user || !*cfg.user)
		cfg.secret = NULL;
	if (!cfg.reverse_user || !*cfg.reverse_user)
		cfg.reverse_secret = NULL;
	if ((cfg.user && !cfg.secret) || (cfg.reverse_user && !cfg.reverse_secret)) {
		fprintf(stderr, "wireboot preflight: a CHAP user needs its secret (--secret / WIREBOOT_SECRET, --reverse-secret / WIREBOOT_REVERSE_SECRET)\n");
		return 1;
	}
	if (cfg.reverse_user && !cfg.user) {
		fprintf(stderr, "wireboot preflight: mutual CHAP (--reverse-user) needs one-way CHAP (--user) too\n");
		return 1;
	}
	rc = iscsi_uri_parse(root, &u);
	if (rc) {
		fprintf(stderr, "wireboot preflight: %s: %s\n", root, wb_strerror(rc));
		return 1;
	}
	rc = tls_rng_init(&rng);
	if (rc) {
		fprintf(stderr, "wireboot preflight: no entropy for CHAP challenges: %s\n", wb_strerror(rc));
		return 1;
	}
	signal(SIGINT, pf_on_sigint);
	l = calloc(1, sizeof(*l));
	f = calloc(1, sizeof(*f));
	if (!l || !f)
		goto out;
	cfg.target = u.target;
	cfg.max_recv_dsl = PF_DSL;
	cfg.immediate_data = 1;
	cfg.initial_r2t = 1;
	cfg.rng = pf_rng;
	cfg.rng_arg = &rng;
	pf_rng(&rng, &cfg.cmdsn, sizeof(cfg.cmdsn));
	rc = iscsi_login_init(l, &cfg);
	if (rc) {
		fprintf(stderr, "wireboot preflight: bad login settings: %s\n", wb_strerror(rc));
		goto out;
	}
	if (l->secret_warnings & CHAP_WARN_SHORT_SECRET)
		fprintf(stderr, "wireboot preflight: warning: the CHAP secret is shorter than 12 bytes (RFC 7143 section 12.1.3 asks for at least 12)\n");
	if (l->secret_warnings & CHAP_WARN_SHORT_RSECRET)
		fprintf(stderr, "wireboot preflight: warning: the reverse CHAP secret is shorter than 12 bytes\n");
	if (l->secret_warnings & CHAP_WARN_SAME_SECRET)
		fprintf(stderr, "wireboot preflight: warning: the CHAP secret and the reverse secret are the same (use different secrets for the two directions)\n");
	iscsi_rx_init(&f->rx, f->rxdata, sizeof(f->rxdata), PF_DSL);
	host_sock_poller(pf_cancel, &f->p);
	f->deadline = plat_ms() + (uint64_t)timeout_s * 1000;
	rc = host_sock_connect(u.server, u.port, &f->s);
	if (rc == 0)
		rc = stream_wait_open(f->s, &f->p, timeout_s * 1000);
	if (rc) {
		fprintf(stderr, "wireboot preflight: cannot connect to %s port %u: %s\n", u.server, u.port, wb_strerror(rc));
		goto out;
	}
	/* login */
	{
		size_t n;
		struct iscsi_pdu p;

		rc = iscsi_login_step(l, NULL, f->tx, sizeof(f->tx), &n);
		while (rc == ISCSI_LOGIN_SEND) {
			rc = pf_send(f, f->tx, n);
			if (rc == 0)
				rc = pf_recv(f, &p);
			if (rc) {
				fprintf(stderr, "wireboot preflight: login to %s: %s\n", u.target,
					rc == -WB_ECLOSED ? "target closed the connection during login" : wb_strerror(rc));
				goto out;
			}
			rc = iscsi_login_step(l, &p, f->tx, sizeof(f->tx), &n);
		}
		if (rc < 0) {
			fprintf(stderr, "wireboot preflight: %s\n", l->msg);
			goto out;
		}
	}
	f->hd = l->params.header_digest;
	f->dd = l->params.data_digest;
	iscsi_rx_set_digests(&f->rx, f->hd, f->dd);
	l->cmdsn = l->expcmdsn;
	printf("target %s portal %s:%u tpgt %u\n", u.target, u.server, u.port, l->params.tpgt);
	printf("login ok: auth %s%s, digests header %s data %s, MaxRecvDataSegmentLength %u/%u\n",
	       l->params.chap_alg ? (l->params.chap_alg == 5 ? "CHAP-MD5" : l->params.chap_alg == 6 ? "CHAP-SHA1" : "CHAP-SHA256") : "none",
	       l->params.mutual ? " mutual" : "", f->hd ? "CRC32C" : "None", f->dd ? "CRC32C" : "None",
	       (unsigned)l->params.max_recv_dsl, (unsigned)l->params.max_send_dsl);
	/* INQUIRY + READ CAPACITY(10) */
	{
		uint8_t cdb[16], data[256];
		uint32_t got;
		struct scsi_inquiry inq;
		long lunn = iscsi_uri_lun_number(u.lun);

		scsi_cdb_inquiry(cdb, 96);
		rc = pf_command(f, l, u.lun, 1, cdb, 6, data, 96, &got, why, sizeof(why));
		if (rc == 0)
			rc = scsi_parse_inquiry(data, got, &inq);
		if (rc) {
			fprintf(stderr, "wireboot preflight: INQUIRY on LUN %ld: %s%s%s\n", lunn, wb_strerror(rc),
				why[0] ? ": " : "", why);
			goto out;
		}
		if (inq.qualifier == 3) {
			fprintf(stderr, "wireboot preflight: LUN %ld does not exist on %s (check the LUN in the root path; tgt's disk is LUN 1)\n",
				lunn, u.target);
			goto out;
		}
		printf("LUN %ld: type 0x%02x vendor \"%s\" product \"%s\" revision \"%s\"\n", lunn,
		       inq.peripheral_type, inq.vendor, inq.product, inq.revision);
		if (inq.peripheral_type != 0) {
			fprintf(stderr, "wireboot preflight: LUN %ld is not a disk (peripheral type 0x%02x; tgt's LUN 0 is its controller, the disk is LUN 1)\n",
				lunn, inq.peripheral_type);
			goto out;
		}
		scsi_cdb_read_capacity10(cdb);
		rc = pf_command(f, l, u.lun, 2, cdb, 10, data, 8, &got, why, sizeof(why));
		if (rc == 0 && scsi_read_capacity10_overflow(data, got)) {
			scsi_cdb_read_capacity16(cdb);
			rc = pf_command(f, l, u.lun, 2, cdb, 16, data, 32, &got, why, sizeof(why));
			if (rc == 0)
				rc = scsi_parse_read_capacity16(data, got, &blocks, &bs);
		} else if (rc == 0) {
			rc = scsi_parse_read_capacity10(data, got, &blocks, &bs);
		}
		if (rc) {
			fprintf(stderr, "wireboot preflight: READ CAPACITY on LUN %ld: %s%s%s\n", lunn, wb_strerror(rc),
				why[0] ? ": " : "", why);
			goto out;
		}
		printf("capacity %llu blocks x %u bytes = %llu bytes\n", (unsigned long long)blocks, bs,
		       (unsigned long long)(blocks * bs));
	}
	if (read_all) {
		rc = pf_read_all(f, l, u.lun, blocks, bs, depth, timeout_s, why, sizeof(why));
		if (rc) {
			fprintf(stderr, "wireboot preflight: read-all: %s%s%s\n", wb_strerror(rc), why[0] ? ": " : "", why);
			goto out;
		}
	}
	/* logout */
	{
		struct iscsi_bhs h;
		struct iscsi_pdu p;

		memset(&h, 0, sizeof(h));
		h.opcode = ISCSI_OP_LOGOUT_REQ;
		h.immediate = 1;
		h.flags = ISCSI_FLAG_FINAL | ISCSI_LOGOUT_CLOSE_SESSION;
		h.itt = 3;
		h.cid = cfg.cid;
		h.cmdsn = l->cmdsn;
		h.expstatsn = l->expstatsn;
		rc = pf_build_send(f, &h, NULL);
		while (rc == 0) {
			rc = pf_recv(f, &p);
			if (rc == 0 && p.bhs.opcode == ISCSI_OP_LOGOUT_RSP)
				break;
		}
		if (rc || p.bhs.response != 0) {
			fprintf(stderr, "wireboot preflight: logout: %s\n", rc ? wb_strerror(rc) : "target refused the logout");
			goto out;
		}
		printf("logout ok\n");
	}
	ret = 0;
out:
	if (f && f->s)
		stream_close(f->s);
	free(l);
	free(f);
	return ret;
}
