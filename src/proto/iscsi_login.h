/*
 * iscsi_login.h — iSCSI login as a sans-I/O state machine (RFC 7143 §6.3,
 * §11.12, §11.13, §12; CHAP per RFC 7143 §12.1.3 / RFC 1994).
 *
 * The caller owns the connection: it sends the PDUs the machine builds and
 * feeds back each Login Response (framed by iscsi_rx):
 *
 *   iscsi_login_init(&l, &cfg);
 *   rc = iscsi_login_step(&l, NULL, out, cap, &n);        first request
 *   while (rc == ISCSI_LOGIN_SEND) { send out[0..n); receive one PDU p;
 *           rc = iscsi_login_step(&l, &p, out, cap, &n); }
 *   rc == ISCSI_LOGIN_DONE: full feature phase, l.params hold the result;
 *   rc < 0: login failed, l.msg says why in one line (never a secret).
 *
 * Stages:
 *   SECURITY   InitiatorName, SessionType=Normal, TargetName,
 *              AuthMethod=CHAP,None.  Target picks CHAP → CHAP_A=<our
 *              preference list> → target's CHAP_A/CHAP_I/CHAP_C → our
 *              CHAP_N/CHAP_R (+ CHAP_I/CHAP_C of ours when mutual) with
 *              T=1 → (mutual) verify the target's CHAP_N/CHAP_R.
 *              Refusals: CHAP picked but no credentials; target's challenge
 *              equal to ours (reflection, RFC 3720 §8.2.1); an algorithm we
 *              did not offer; mutual configured but the target skipped
 *              proving itself or proved itself wrongly; a mutual response
 *              equal to what our own secret gives for our challenge
 *              (reflection across directions, RFC 7143 §12.1.3);
 *              AuthMethod=None while mutual CHAP is configured.
 *              CHAP_A offer: cfg.chap_algs, by default 7,6,5 (SHA-256
 *              first, MD5 last).
 *   OPERATIONAL HeaderDigest/DataDigest, MaxRecvDataSegmentLength,
 *              MaxBurstLength, FirstBurstLength, ImmediateData, InitialR2T,
 *              MaxOutstandingR2T=1, ErrorRecoveryLevel=0 and the fixed
 *              single-connection keys; answers checked with
 *              iscsi_negotiate_check(), keys the target proposes answered
 *              with iscsi_negotiate().
 *   FULL       after a response with T=1, NSG=3, our ISID and a non-zero
 *              TSIH.
 *
 * Status classes (§11.13.5): 1 = redirect (l.redirect holds TargetAddress,
 * -WB_EISCSIREDIRECT), 2 = initiator error (authentication failure mapped
 * to the CHAP direction, not found, authorization...), 3 = target error.
 *
 * Randomness (ISID qualifier, our CHAP identifier and challenge) comes from
 * cfg.rng, which must be a cryptographic generator (the caller seeds a
 * br_hmac_drbg from wb_entropy()).  CHAP values and digests come from
 * proto/chap.c.  No allocation, no globals.
 */
#ifndef WB_ISCSI_LOGIN_H
#define WB_ISCSI_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "proto/iscsi_pdu.h"

#define ISCSI_CHAP_MD5     5
#define ISCSI_CHAP_SHA1    6
#define ISCSI_CHAP_SHA256  7
#define ISCSI_CHAP_ALLOW_SAME_SECRET  0x1  /* cfg.chap_flags: password may equal reverse-password */
#define ISCSI_CHAP_ALLOW_SHORT_SECRET 0x2  /* cfg.chap_flags: secrets under CHAP_SECRET_MIN bytes */
#define ISCSI_LOGIN_TEXT_MAX 8192   /* reassembled response text we accept */
#define ISCSI_LOGIN_MSG_MAX  200

enum {
	ISCSI_LOGIN_SEND = 1,  /* out holds a PDU to send, then feed the response */
	ISCSI_LOGIN_DONE = 2,  /* full feature phase reached */
};

struct iscsi_login_cfg {
	const char *initiator;         /* our iSCSI name (required) */
	const char *target;            /* TargetName (required) */
	const char *user, *secret;     /* one-way CHAP (NULL/"" = none) */
	const char *reverse_user, *reverse_secret; /* mutual CHAP (NULL/"" = none) */
	uint8_t chap_algs[3];          /* CHAP_A preference, 0-terminated; all 0 = 7,6,5 */
	unsigned chap_flags;           /* ISCSI_CHAP_ALLOW_* (RFC 7143 section 12.1.3 rules relaxed) */
	int header_digest, data_digest;/* 1: offer CRC32C,None; 0: None */
	uint32_t max_recv_dsl;         /* what we accept; 0 = 8192 */
	uint32_t max_burst;            /* 0 = 262144 */
	uint32_t first_burst;          /* 0 = 65536 */
	int immediate_data;            /* 1 = Yes */
	int initial_r2t;               /* 1 = Yes */
	uint16_t cid;
	uint32_t cmdsn;                /* initial CmdSN */
	/* cryptographic randomness: fill buf, return 0 or a negative error */
	int (*rng)(void *arg, void *buf, size_t len);
	void *rng_arg;
};

/** Negotiated operational values, valid after ISCSI_LOGIN_DONE. */
struct iscsi_params {
	int header_digest, data_digest;
	uint32_t max_recv_dsl;         /* ours (what the target may send us) */
	uint32_t max_send_dsl;         /* the target's MaxRecvDataSegmentLength */
	uint32_t max_burst, first_burst;
	int immediate_data, initial_r2t;
	uint32_t max_outstanding_r2t;
	uint16_t tpgt;                 /* TargetPortalGroupTag */
	int have_tpgt;
	uint8_t chap_alg;              /* 0 when AuthMethod=None */
	int mutual;                    /* the target proved itself */
};

struct iscsi_login {
	struct iscsi_login_cfg cfg;
	int state;
	int stage;                     /* current stage (CSG) */
	uint8_t isid[6];
	uint16_t tsih;
	uint32_t itt;
	uint32_t cmdsn, expstatsn;
	uint32_t statsn, expcmdsn, maxcmdsn;  /* from the last response */
	int got_first;                 /* a response has been seen */
	int sent_chap_r;
	uint8_t our_chap_id;
	uint8_t our_chal[32];
	size_t our_chal_len;
	int op_sent;                   /* operational offer sent */
	int short_secret;              /* a secret under 12 bytes, allowed by chap_flags: warn */
	unsigned secret_warnings;      /* chap_secret_warnings() flags (CHAP_WARN_*) */
	struct iscsi_params params;
	char redirect[ISCSI_LOGIN_MSG_MAX];   /* TargetAddress of a redirect */
	uint8_t status_class, status_detail;
	char msg[ISCSI_LOGIN_MSG_MAX]; /* why it failed */
	/* response text reassembly (C bit) */
	uint8_t text[ISCSI_LOGIN_TEXT_MAX];
	size_t text_len;
	/* pending answers to keys the target proposed in the operational stage */
	uint8_t answers[1024];
	size_t answers_len;
};

/**
 * Set up @l from @cfg (copied; the strings must outlive @l).  Refuses what
 * RFC 7143 §12.1.3 forbids unless cfg->chap_flags allows it: a secret
 * shorter than CHAP_SECRET_MIN bytes (-WB_ECHAPSHORTSECRET,
 * -WB_ECHAPSHORTRSECRET) and password equal to reverse-password
 * (-WB_ECHAPSAMESECRET); l->msg then says which.  Also -WB_EINVAL (names,
 * users without secrets, unknown algorithm) or the rng's error.
 */
int iscsi_login_init(struct iscsi_login *l, const struct iscsi_login_cfg *cfg);

/**
 * After a failed login on @l: 1 when the target picked CHAP_A=7 (SHA-256)
 * and then refused our response with status 0x0200 (initiator error, not
 * 0x0201 authentication failure) while @cfg offered another algorithm as
 * well.  tgt and IET do this: their CHAP_A 7 is SHA-1, against the IANA
 * registry (7 = SHA-256), so they cannot parse a 32-byte response.  @cfg's
 * chap_algs then lose 7 (the defaults made explicit first), and the caller
 * may log in once more on a new connection.  0 otherwise (@cfg untouched).
 */
int iscsi_login_chap_fallback(const struct iscsi_login *l, struct iscsi_login_cfg *cfg);

/**
 * Advance: @rsp is the Login Response just received (NULL for the first
 * call).  Returns ISCSI_LOGIN_SEND with the next request in @out (*@out_len
 * bytes; @cap >= 48 + 4096), ISCSI_LOGIN_DONE, or a negative error with
 * l->msg set.
 */
int iscsi_login_step(struct iscsi_login *l, const struct iscsi_pdu *rsp, uint8_t *out, size_t cap,
		     size_t *out_len);

#endif
