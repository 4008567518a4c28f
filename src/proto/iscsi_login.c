/*
 * iscsi_login.c — sans-I/O iSCSI login (see iscsi_login.h).  Written from
 * RFC 7143 §6.3 (login phase), §11.12/§11.13 (Login Request/Response),
 * §12.1.3 (CHAP) and §13 (operational keys).
 */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "proto/chap.h"
#include "proto/iscsi_login.h"
#include "proto/iscsi_text.h"

enum {
	ST_INIT,
	ST_AUTH_SENT,      /* AuthMethod offered */
	ST_CHAP_A_SENT,    /* CHAP_A offered */
	ST_CHAP_R_SENT,    /* our CHAP_N/CHAP_R (+ challenge) sent, T=1 */
	ST_SEC_NEXT_SENT,  /* empty security PDU with T=1 */
	ST_OP_SENT,        /* operational offer / answers sent */
	ST_DONE,
	ST_FAILED,
};

#define MAX_ROUNDS 16

static int fail(struct iscsi_login *l, int code, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		wb_vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
		va_end(ap);
	} else {
		wb_snprintf(l->msg, sizeof(l->msg), "%s", wb_strerror(code));
	}
	l->state = ST_FAILED;
	return -code;
}

static int has(const char *s) { return s && *s; }

int iscsi_login_init(struct iscsi_login *l, const struct iscsi_login_cfg *cfg)
{
	uint8_t rnd[4];
	int rc;

	memset(l, 0, sizeof(*l));
	if (!cfg || !has(cfg->initiator) || !has(cfg->target) || !cfg->rng)
		return -WB_EINVAL;
	l->cfg = *cfg;
	if (!l->cfg.chap_algs[0]) {
		/* strongest first, so that a target that has SHA-256 never picks
		   MD5 (tgt/IET, whose 7 is SHA-1: iscsi_login_chap_fallback()) */
		l->cfg.chap_algs[0] = ISCSI_CHAP_SHA256;
		l->cfg.chap_algs[1] = ISCSI_CHAP_SHA1;
		l->cfg.chap_algs[2] = ISCSI_CHAP_MD5;
	}
	for (int i = 0; i < 3; i++)
		if (l->cfg.chap_algs[i] && !chap_digest_len(l->cfg.chap_algs[i]))
			return -WB_EINVAL;
	if (!l->cfg.max_recv_dsl)
		l->cfg.max_recv_dsl = 8192;
	if (!l->cfg.max_burst)
		l->cfg.max_burst = 262144;
	if (!l->cfg.first_burst)
		l->cfg.first_burst = 65536;
	if (l->cfg.first_burst > l->cfg.max_burst)
		l->cfg.first_burst = l->cfg.max_burst;
	if (has(cfg->reverse_user) != has(cfg->reverse_secret) || has(cfg->user) != has(cfg->secret))
		return -WB_EINVAL;
	if (has(cfg->reverse_user) && !has(cfg->user))
		return -WB_EINVAL;
	if (has(cfg->secret))
		l->secret_warnings = chap_secret_warnings((const uint8_t *)cfg->secret, strlen(cfg->secret),
							  (const uint8_t *)cfg->reverse_secret,
							  has(cfg->reverse_secret) ? strlen(cfg->reverse_secret) : 0);
	l->short_secret = (l->secret_warnings & (CHAP_WARN_SHORT_SECRET | CHAP_WARN_SHORT_RSECRET)) != 0;
	/* RFC 7143 section 12.1.3: a secret of fewer than 96 random bits only
	   with IPsec (which we do not do); never one secret in both directions */
	if (!(cfg->chap_flags & ISCSI_CHAP_ALLOW_SHORT_SECRET)) {
		if (l->secret_warnings & CHAP_WARN_SHORT_SECRET)
			return fail(l, WB_ECHAPSHORTSECRET, NULL);
		if (l->secret_warnings & CHAP_WARN_SHORT_RSECRET)
			return fail(l, WB_ECHAPSHORTRSECRET, NULL);
	}
	if ((l->secret_warnings & CHAP_WARN_SAME_SECRET) && !(cfg->chap_flags & ISCSI_CHAP_ALLOW_SAME_SECRET))
		return fail(l, WB_ECHAPSAMESECRET, NULL);
	/* ISID: type 10b (random), A reserved; B, C random; D = random qualifier */
	rc = cfg->rng(cfg->rng_arg, l->isid + 1, 5);
	if (rc == 0)
		rc = cfg->rng(cfg->rng_arg, &l->our_chap_id, 1);
	if (rc == 0)
		rc = cfg->rng(cfg->rng_arg, l->our_chal, sizeof(l->our_chal));
	if (rc == 0)
		rc = cfg->rng(cfg->rng_arg, rnd, sizeof(rnd));
	if (rc)
		return rc < 0 ? rc : -rc;
	l->isid[0] = 0x80;
	l->itt = (uint32_t)rnd[0] << 24 | (uint32_t)rnd[1] << 16 | (uint32_t)rnd[2] << 8 | rnd[3];
	if (l->itt == 0xffffffffu)
		l->itt = 0;
	l->cmdsn = cfg->cmdsn;
	l->params.max_send_dsl = 8192;  /* RFC 7143 §13.12 default */
	l->state = ST_INIT;
	return 0;
}

/* ---- request building ---- */

static int build(struct iscsi_login *l, int transit, int csg, int nsg, const uint8_t *data, size_t len,
		 uint8_t *out, size_t cap, size_t *out_len)
{
	struct iscsi_bhs h;
	int n;

	memset(&h, 0, sizeof(h));
	h.opcode = ISCSI_OP_LOGIN_REQ;
	h.immediate = 1;
	h.flags = (uint8_t)((transit ? ISCSI_LOGIN_TRANSIT : 0) | ISCSI_LOGIN_STAGES(csg, transit ? nsg : 0));
	memcpy(h.isid, l->isid, 6);
	h.tsih = 0;
	h.itt = l->itt;
	h.cid = l->cfg.cid;
	h.cmdsn = l->cmdsn;
	h.expstatsn = l->expstatsn;
	h.data_len = (uint32_t)len;
	n = iscsi_pdu_build(&h, NULL, data, 0, 0, out, cap);
	if (n < 0)
		return fail(l, -n, NULL);
	*out_len = (size_t)n;
	l->stage = csg;
	return ISCSI_LOGIN_SEND;
}

static int digest_offer(int on, char *buf, size_t cap)
{
	return wb_snprintf(buf, cap, "%s", on ? "CRC32C,None" : "None");
}

/* our operational offer: key and value (the table iscsi_negotiate_check compares against) */
static int op_value(const struct iscsi_login *l, const char *key, char *buf, size_t cap)
{
	const struct iscsi_login_cfg *c = &l->cfg;

	if (!strcmp(key, "HeaderDigest"))
		return digest_offer(c->header_digest, buf, cap);
	if (!strcmp(key, "DataDigest"))
		return digest_offer(c->data_digest, buf, cap);
	if (!strcmp(key, "MaxRecvDataSegmentLength"))
		return wb_snprintf(buf, cap, "%u", (unsigned)c->max_recv_dsl);
	if (!strcmp(key, "MaxBurstLength"))
		return wb_snprintf(buf, cap, "%u", (unsigned)c->max_burst);
	if (!strcmp(key, "FirstBurstLength"))
		return wb_snprintf(buf, cap, "%u", (unsigned)c->first_burst);
	if (!strcmp(key, "ImmediateData"))
		return wb_snprintf(buf, cap, "%s", c->immediate_data ? "Yes" : "No");
	if (!strcmp(key, "InitialR2T"))
		return wb_snprintf(buf, cap, "%s", c->initial_r2t ? "Yes" : "No");
	if (!strcmp(key, "MaxOutstandingR2T") || !strcmp(key, "MaxConnections"))
		return wb_snprintf(buf, cap, "1");
	if (!strcmp(key, "ErrorRecoveryLevel") || !strcmp(key, "DefaultTime2Wait") ||
	    !strcmp(key, "DefaultTime2Retain"))
		return wb_snprintf(buf, cap, "0");
	if (!strcmp(key, "DataPDUInOrder") || !strcmp(key, "DataSequenceInOrder"))
		return wb_snprintf(buf, cap, "Yes");
	if (!strcmp(key, "IFMarker") || !strcmp(key, "OFMarker"))
		return wb_snprintf(buf, cap, "No");
	return -1;
}

static const char *const op_keys[] = {
	"HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength", "MaxBurstLength",
	"FirstBurstLength", "ImmediateData", "InitialR2T", "MaxOutstandingR2T",
	"ErrorRecoveryLevel", "MaxConnections", "DataPDUInOrder", "DataSequenceInOrder",
	"DefaultTime2Wait", "DefaultTime2Retain", "IFMarker", "OFMarker",
};

static int send_op_offer(struct iscsi_login *l, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t data[1024];
	struct iscsi_text_buf b;
	char v[32];

	iscsi_text_buf_init(&b, data, sizeof(data));
	for (size_t i = 0; i < sizeof(op_keys) / sizeof(op_keys[0]); i++) {
		op_value(l, op_keys[i], v, sizeof(v));
		if (iscsi_text_add(&b, op_keys[i], v) < 0)
			return fail(l, WB_ETOOBIG, NULL);
	}
	/* RFC 7143 defaults until the target answers */
	l->params.header_digest = 0;
	l->params.data_digest = 0;
	l->params.max_recv_dsl = l->cfg.max_recv_dsl;
	l->params.max_burst = 262144;
	l->params.first_burst = 65536;
	l->params.immediate_data = 1;
	l->params.initial_r2t = 1;
	l->params.max_outstanding_r2t = 1;
	l->op_sent = 1;
	l->state = ST_OP_SENT;
	return build(l, 1, ISCSI_STAGE_OPERATIONAL, ISCSI_STAGE_FULL, data, b.len, out, cap, out_len);
}

static int first_request(struct iscsi_login *l, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t data[1024];
	struct iscsi_text_buf b;

	iscsi_text_buf_init(&b, data, sizeof(data));
	if (iscsi_text_add(&b, "InitiatorName", l->cfg.initiator) < 0 ||
	    iscsi_text_add(&b, "SessionType", "Normal") < 0 ||
	    iscsi_text_add(&b, "TargetName", l->cfg.target) < 0 ||
	    iscsi_text_add(&b, "AuthMethod", "CHAP,None") < 0)
		return fail(l, WB_EINVAL, "iSCSI login: initiator or target name not valid as iSCSI text");
	l->state = ST_AUTH_SENT;
	return build(l, 0, ISCSI_STAGE_SECURITY, 0, data, b.len, out, cap, out_len);
}

/* ---- response handling ---- */

/* find @name in the reassembled text: 1 and *@val, or 0 */
static int find_key(const struct iscsi_login *l, const char *name, const char **val)
{
	struct iscsi_text_iter it;
	const char *k, *v;
	size_t kl, vl;

	iscsi_text_iter_init(&it, l->text, l->text_len);
	while (iscsi_text_next(&it, &k, &kl, &v, &vl) == 1) {
		if (iscsi_text_key_is(k, kl, name)) {
			*val = v;
			return 1;
		}
	}
	return 0;
}

static int status_error(struct iscsi_login *l, const struct iscsi_bhs *h, const char *addr)
{
	unsigned st = (unsigned)h->status_class << 8 | h->status_detail;

	l->status_class = h->status_class;
	l->status_detail = h->status_detail;
	switch (h->status_class) {
	case 1:
		wb_snprintf(l->redirect, sizeof(l->redirect), "%s", addr ? addr : "");
		return fail(l, WB_EISCSIREDIRECT, "iSCSI login: target %s moved %s to %s (status 0x%04x)",
			    l->cfg.target, h->status_detail == 2 ? "permanently" : "temporarily",
			    addr ? addr : "(no TargetAddress)", st);
	case 2:
		switch (h->status_detail) {
		case 0x01:
			if (!has(l->cfg.user))
				return fail(l, WB_EISCSINOCREDS, NULL);
			if (l->sent_chap_r)
				return fail(l, WB_ECHAPREFUSED, NULL);
			return fail(l, WB_ECHAPREFUSED, "iSCSI login: target refused authentication (status 0x0201): check username/password");
		case 0x02:
			return fail(l, WB_EISCSIAUTHZ, NULL);
		case 0x03:
		case 0x04:
			return fail(l, WB_EISCSINOTARGET, "iSCSI login: target %s not found on this portal (status 0x%04x): check the target name in the root path",
				    l->cfg.target, st);
		case 0x05:
			return fail(l, WB_EISCSILOGIN, "iSCSI login: target does not support our iSCSI version (status 0x0205)");
		case 0x06:
			return fail(l, WB_EISCSILOGIN, "iSCSI login: target refused: too many connections (status 0x0206)");
		case 0x07:
			return fail(l, WB_EISCSILOGIN, "iSCSI login: target says a parameter is missing (status 0x0207)");
		default:
			if (l->sent_chap_r && l->params.chap_alg != ISCSI_CHAP_MD5)
				return fail(l, WB_ECHAPREFUSED, "iSCSI login: target refused our CHAP response (status 0x%04x) after picking CHAP_A=%u: check username/password, or set chap-algorithms 5 (MD5)",
					    st, (unsigned)l->params.chap_alg);
			return fail(l, WB_EISCSILOGIN, "iSCSI login: target refused the login (initiator error, status 0x%04x)", st);
		}
	case 3:
		return fail(l, WB_EISCSITGTERR, "iSCSI login: target error (status 0x%04x): target out of resources or unavailable; try again later", st);
	default:
		return fail(l, WB_EISCSIPROTO, "iSCSI login: unknown login status 0x%04x", st);
	}
}

/* our challenge is as long as the algorithm's digest */
static size_t chal_len(uint8_t alg)
{
	return chap_digest_len(alg);
}

static int on_auth_method(struct iscsi_login *l, const struct iscsi_bhs *h, uint8_t *out, size_t cap,
			  size_t *out_len)
{
	const char *am;
	char list[16];
	size_t n = 0;
	uint8_t data[64];
	struct iscsi_text_buf b;

	if (!find_key(l, "AuthMethod", &am))
		return fail(l, WB_EISCSIPROTO, "iSCSI login: target did not answer AuthMethod");
	if (!strcmp(am, "CHAP")) {
		if (!has(l->cfg.user))
			return fail(l, WB_EISCSINOCREDS, NULL);
		while (n < 3 && l->cfg.chap_algs[n])
			n++;
		if (chap_alg_list(l->cfg.chap_algs, n, list, sizeof(list)) < 0)
			return fail(l, WB_ECHAPALG, NULL);
		iscsi_text_buf_init(&b, data, sizeof(data));
		iscsi_text_add(&b, "CHAP_A", list);
		l->state = ST_CHAP_A_SENT;
		return build(l, 0, ISCSI_STAGE_SECURITY, 0, data, b.len, out, cap, out_len);
	}
	if (!strcmp(am, "None")) {
		if (has(l->cfg.reverse_user))
			return fail(l, WB_ECHAPNOMUTUAL, "iSCSI login: target chose AuthMethod=None, so it cannot prove itself although mutual CHAP (reverse-username) is configured");
		if ((h->flags & ISCSI_LOGIN_TRANSIT) && ISCSI_LOGIN_NSG(h->flags) == ISCSI_STAGE_OPERATIONAL)
			return send_op_offer(l, out, cap, out_len);
		l->state = ST_SEC_NEXT_SENT;
		return build(l, 1, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, NULL, 0, out, cap, out_len);
	}
	if (!strcmp(am, "Reject"))
		return fail(l, WB_EISCSILOGIN, "iSCSI login: target accepts neither CHAP nor None as AuthMethod");
	return fail(l, WB_EISCSINEG, "iSCSI login: target picked AuthMethod=%.40s, which we did not offer", am);
}

static int on_chap_challenge(struct iscsi_login *l, uint8_t *out, size_t cap, size_t *out_len)
{
	const char *a, *i, *c;
	int alg, id, clen, rlen;
	size_t nalg = 0;
	uint8_t chal[CHAP_CHALLENGE_MAX], rsp[CHAP_DIGEST_MAX];
	char hex[2 * CHAP_DIGEST_MAX + 3];
	uint8_t data[1024];
	struct iscsi_text_buf b;

	if (!find_key(l, "CHAP_A", &a) || !find_key(l, "CHAP_I", &i) || !find_key(l, "CHAP_C", &c))
		return fail(l, WB_EISCSIPROTO, "iSCSI login: target chose CHAP but sent no CHAP_A/CHAP_I/CHAP_C");
	while (nalg < 3 && l->cfg.chap_algs[nalg])
		nalg++;
	alg = chap_pick_alg(a, l->cfg.chap_algs, nalg);
	if (alg < 0)
		return fail(l, WB_ECHAPALG, "iSCSI CHAP: target asks for CHAP_A=%.20s, which we did not offer", a);
	id = chap_parse_id(i);
	if (id < 0)
		return fail(l, WB_ECHAPVALUE, NULL);
	clen = chap_decode_value(c, chal, sizeof(chal));
	if (clen < 0)
		return fail(l, WB_ECHAPVALUE, NULL);
	l->params.chap_alg = (uint8_t)alg;
	/* reflection: the target hands us the challenge we are about to issue */
	if (has(l->cfg.reverse_user) &&
	    chap_check_reflection(chal, (size_t)clen, l->our_chal, chal_len((uint8_t)alg)) < 0)
		return fail(l, WB_ECHAPREFLECT, NULL);
	rlen = chap_response(alg, (uint8_t)id, (const uint8_t *)l->cfg.secret, strlen(l->cfg.secret),
			     chal, (size_t)clen, rsp);
	if (rlen < 0)
		return fail(l, -rlen, NULL);
	iscsi_text_buf_init(&b, data, sizeof(data));
	if (iscsi_text_add(&b, "CHAP_N", l->cfg.user) < 0)
		return fail(l, WB_EINVAL, "iSCSI CHAP: username not valid as iSCSI text");
	chap_encode_value(rsp, (size_t)rlen, hex, sizeof(hex));
	iscsi_text_add(&b, "CHAP_R", hex);
	if (has(l->cfg.reverse_user)) {
		char chex[2 * CHAP_DIGEST_MAX + 3];

		iscsi_text_add_uint(&b, "CHAP_I", l->our_chap_id);
		chap_encode_value(l->our_chal, chal_len((uint8_t)alg), chex, sizeof(chex));
		iscsi_text_add(&b, "CHAP_C", chex);
	}
	memset(rsp, 0, sizeof(rsp));
	l->sent_chap_r = 1;
	l->state = ST_CHAP_R_SENT;
	return build(l, 1, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, data, b.len, out, cap, out_len);
}

static int on_chap_result(struct iscsi_login *l, const struct iscsi_bhs *h, uint8_t *out, size_t cap,
			  size_t *out_len)
{
	if (has(l->cfg.reverse_user)) {
		const char *n, *r;
		int rc;

		if (!find_key(l, "CHAP_N", &n) || !find_key(l, "CHAP_R", &r))
			return fail(l, WB_ECHAPNOMUTUAL, NULL);
		/* RFC 7143 section 12.1.3: the answer our own secret gives is no
		   proof (unless both directions share the secret, which
		   iscsi_login_init() refuses without ISCSI_CHAP_ALLOW_SAME_SECRET) */
		if (!(l->secret_warnings & CHAP_WARN_SAME_SECRET) &&
		    chap_check_mirror(l->params.chap_alg, l->our_chap_id, (const uint8_t *)l->cfg.secret,
				      strlen(l->cfg.secret), l->our_chal, chal_len(l->params.chap_alg), r) < 0)
			return fail(l, WB_ECHAPMIRROR, NULL);
		rc = chap_verify(l->params.chap_alg, l->our_chap_id, (const uint8_t *)l->cfg.reverse_secret,
				 strlen(l->cfg.reverse_secret), l->our_chal, chal_len(l->params.chap_alg), r);
		if (rc == -WB_ECHAPVALUE)
			return fail(l, WB_ECHAPVALUE, NULL);
		if (rc < 0 || strcmp(n, l->cfg.reverse_user))
			return fail(l, WB_ECHAPTARGET, NULL);
		l->params.mutual = 1;
	}
	if (!(h->flags & ISCSI_LOGIN_TRANSIT)) {
		l->state = ST_SEC_NEXT_SENT;
		return build(l, 1, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, NULL, 0, out, cap, out_len);
	}
	return send_op_offer(l, out, cap, out_len);
}

static int yesno(const char *v) { return !strcmp(v, "Yes"); }

static int parse_u32(const char *v, uint32_t *out)
{
	uint64_t x;

	if (iscsi_text_parse_number(v, &x) < 0 || x > 0xffffffffu)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

static int on_operational(struct iscsi_login *l, const struct iscsi_bhs *h, uint8_t *out, size_t cap,
			  size_t *out_len)
{
	struct iscsi_text_iter it;
	const char *k, *v;
	size_t kl, vl;
	struct iscsi_text_buf ans;
	int rc;

	iscsi_text_buf_init(&ans, l->answers, sizeof(l->answers));
	iscsi_text_iter_init(&it, l->text, l->text_len);
	while ((rc = iscsi_text_next(&it, &k, &kl, &v, &vl)) == 1) {
		char key[ISCSI_TEXT_KEY_MAX + 1], ours[32];
		uint32_t u;

		memcpy(key, k, kl);
		key[kl] = '\0';
		if (!strcmp(key, "TargetPortalGroupTag") || !strcmp(key, "TargetAlias"))
			continue;
		if (!strcmp(key, "MaxRecvDataSegmentLength")) {
			if (parse_u32(v, &u) < 0 || u < 512 || u > ISCSI_DSL_MAX)
				return fail(l, WB_EISCSINEG, "iSCSI login: target declared MaxRecvDataSegmentLength=%.20s (out of range)", v);
			l->params.max_send_dsl = u;
			continue;
		}
		if (op_value(l, key, ours, sizeof(ours)) < 0) {
			/* a key we did not offer and do not know: answer NotUnderstood */
			if (iscsi_text_add(&ans, key, "NotUnderstood") < 0)
				return fail(l, WB_EISCSIPROTO, "iSCSI login: target sent too many keys");
			continue;
		}
		/* we offer every key we know in our first operational PDU, so a
		   known key from the target is an answer to that offer */
		rc = iscsi_negotiate_check(key, ours, v);
		if (rc < 0) {
			return fail(l, WB_EISCSINEG, "iSCSI login: target answered %s=%.40s to our offer %s", key, v, ours);
		} else if (rc > 0) {
			continue;   /* Reject / NotUnderstood / Irrelevant: keep the default */
		}
		if (!strcmp(key, "HeaderDigest"))
			l->params.header_digest = !strcmp(v, "CRC32C");
		else if (!strcmp(key, "DataDigest"))
			l->params.data_digest = !strcmp(v, "CRC32C");
		else if (!strcmp(key, "MaxBurstLength") && parse_u32(v, &u) == 0)
			l->params.max_burst = u;
		else if (!strcmp(key, "FirstBurstLength") && parse_u32(v, &u) == 0)
			l->params.first_burst = u;
		else if (!strcmp(key, "ImmediateData"))
			l->params.immediate_data = yesno(v);
		else if (!strcmp(key, "InitialR2T"))
			l->params.initial_r2t = yesno(v);
		else if (!strcmp(key, "MaxOutstandingR2T") && parse_u32(v, &u) == 0)
			l->params.max_outstanding_r2t = u;
		else if (!strcmp(key, "ErrorRecoveryLevel") && strcmp(v, "0"))
			return fail(l, WB_EISCSINEG, "iSCSI login: target insists on ErrorRecoveryLevel=%.20s (we only do 0)", v);
	}
	if (rc < 0)
		return fail(l, -rc, NULL);
	if (l->params.first_burst > l->params.max_burst)
		l->params.first_burst = l->params.max_burst;
	if ((h->flags & ISCSI_LOGIN_TRANSIT) && ISCSI_LOGIN_NSG(h->flags) == ISCSI_STAGE_FULL) {
		if (h->tsih == 0)
			return fail(l, WB_EISCSIPROTO, "iSCSI login: target completed the login with TSIH 0");
		l->tsih = h->tsih;
		l->state = ST_DONE;
		return ISCSI_LOGIN_DONE;
	}
	return build(l, 1, ISCSI_STAGE_OPERATIONAL, ISCSI_STAGE_FULL, l->answers, ans.len, out, cap, out_len);
}

int iscsi_login_step(struct iscsi_login *l, const struct iscsi_pdu *rsp, uint8_t *out, size_t cap,
		     size_t *out_len)
{
	const struct iscsi_bhs *h;
	const char *tpgt, *addr = NULL;

	*out_len = 0;
	if (l->state == ST_FAILED)
		return -WB_EISCSIPROTO;
	if (l->state == ST_DONE)
		return ISCSI_LOGIN_DONE;
	if (!rsp) {
		if (l->state != ST_INIT)
			return fail(l, WB_EINVAL, "iSCSI login: step without a response");
		return first_request(l, out, cap, out_len);
	}
	if (l->state == ST_INIT)
		return fail(l, WB_EINVAL, "iSCSI login: response before the first request");
	h = &rsp->bhs;
	if (h->opcode != ISCSI_OP_LOGIN_RSP)
		return fail(l, WB_EISCSIPROTO, "iSCSI login: target sent %s during login", iscsi_opcode_name(h->opcode));
	if (++l->got_first > MAX_ROUNDS)
		return fail(l, WB_EISCSIPROTO, "iSCSI login: target keeps the login going (more than %d rounds)", MAX_ROUNDS);
	l->statsn = h->statsn;
	l->expstatsn = h->statsn + 1;
	l->expcmdsn = h->expcmdsn;
	l->maxcmdsn = h->maxcmdsn;
	/* reassemble the text (C bit) */
	if (rsp->bhs.data_len) {
		if (l->text_len + rsp->bhs.data_len > sizeof(l->text))
			return fail(l, WB_EISCSITEXTLONG, NULL);
		memcpy(l->text + l->text_len, rsp->data, rsp->bhs.data_len);
		l->text_len += rsp->bhs.data_len;
	}
	if (h->status_class != 0) {
		if (h->status_class == 1)
			find_key(l, "TargetAddress", &addr);
		return status_error(l, h, addr);
	}
	/* (a refusal may come with the ISID zeroed: statuses are checked first) */
	if (h->itt != l->itt || memcmp(h->isid, l->isid, 6))
		return fail(l, WB_EISCSIPROTO, "iSCSI login: response with another ISID or task tag");
	if (h->flags & ISCSI_FLAG_CONTINUE) {
		if (h->flags & ISCSI_LOGIN_TRANSIT)
			return fail(l, WB_EISCSIPROTO, "iSCSI login: response with both C and T bits");
		return build(l, 0, l->stage, 0, NULL, 0, out, cap, out_len);
	}
	if (ISCSI_LOGIN_CSG(h->flags) != (unsigned)l->stage)
		return fail(l, WB_EISCSIPROTO, "iSCSI login: response for stage %u, we are in stage %u",
			    (unsigned)ISCSI_LOGIN_CSG(h->flags), (unsigned)l->stage);
	if ((h->flags & ISCSI_LOGIN_TRANSIT) && l->stage == ISCSI_STAGE_SECURITY &&
	    ISCSI_LOGIN_NSG(h->flags) != ISCSI_STAGE_OPERATIONAL)
		return fail(l, WB_EISCSIPROTO, "iSCSI login: target jumped to stage %u", (unsigned)ISCSI_LOGIN_NSG(h->flags));
	if (!l->params.have_tpgt && find_key(l, "TargetPortalGroupTag", &tpgt)) {
		uint64_t t;

		if (iscsi_text_parse_number(tpgt, &t) < 0 || t > 65535)
			return fail(l, WB_EISCSIPROTO, "iSCSI login: bad TargetPortalGroupTag");
		l->params.tpgt = (uint16_t)t;
		l->params.have_tpgt = 1;
	}

	int rc;

	switch (l->state) {
	case ST_AUTH_SENT:
		if (!l->params.have_tpgt)
			return fail(l, WB_EISCSIPROTO, "iSCSI login: first response lacks TargetPortalGroupTag (RFC 7143 section 13.9)");
		rc = on_auth_method(l, h, out, cap, out_len);
		break;
	case ST_CHAP_A_SENT:
		rc = on_chap_challenge(l, out, cap, out_len);
		break;
	case ST_CHAP_R_SENT:
		rc = on_chap_result(l, h, out, cap, out_len);
		break;
	case ST_SEC_NEXT_SENT:
		if (h->flags & ISCSI_LOGIN_TRANSIT)
			rc = send_op_offer(l, out, cap, out_len);
		else
			rc = build(l, 1, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, NULL, 0, out, cap, out_len);
		break;
	case ST_OP_SENT:
		rc = on_operational(l, h, out, cap, out_len);
		break;
	default:
		rc = fail(l, WB_EISCSIPROTO, NULL);
	}
	l->text_len = 0;
	return rc;
}

int iscsi_login_chap_fallback(const struct iscsi_login *l, struct iscsi_login_cfg *cfg)
{
	uint8_t rest[3] = { 0, 0, 0 };
	size_t n = 0;

	if (l->state != ST_FAILED || !l->sent_chap_r || l->params.chap_alg != ISCSI_CHAP_SHA256 ||
	    l->status_class != 2 || l->status_detail != 0)
		return 0;
	for (int i = 0; i < 3 && l->cfg.chap_algs[i]; i++)
		if (l->cfg.chap_algs[i] != ISCSI_CHAP_SHA256)
			rest[n++] = l->cfg.chap_algs[i];
	if (!n)
		return 0;
	memcpy(cfg->chap_algs, rest, sizeof(rest));
	return 1;
}
