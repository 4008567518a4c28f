/*
 * tls.c — TLS 1.2 client streams over another stream (see tls.h).
 *
 * How it works
 *
 *   BearSSL's engine is sans-I/O: it exposes four buffers (records to send,
 *   room for received records, application data to read, room for data to
 *   write).  tls_pump() moves records between the engine and @lower until
 *   neither side makes progress; every stream call pumps first.
 *
 *     lower CONNECTING ──► handshake (SENDREC/RECVREC only) ──► established
 *        (SENDAPP/RECVAPP seen) ──► close_notify / lower EOF ──► STREAM_EOF
 *        (recv then says -WB_ECLOSED after close_notify, -WB_ETLSTRUNC after
 *        a bare lower EOF: the end of the data was not authenticated)
 *     any engine error ──► STREAM_ERROR with a WB_ETLS* code and a detail line
 *
 *   Certificates go through tls_x509, our br_x509_class wrapped around
 *   br_x509_minimal: it forwards every call and also keeps each certificate's
 *   DER while it streams in, decodes it with x509_info_parse() at end_cert and
 *   keeps the facts.  At end_chain, if BearSSL refused the chain, the BearSSL
 *   BR_ERR_X509_* code plus those facts give our code and message (which
 *   certificate, which check).  Host names that are IPv4 literals are checked
 *   here against the leaf's IP SANs, since BearSSL only knows dNSName.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/jitter.h"
#include "core/util.h"
#include "core/wallclock.h"
#include "platform/platform.h"
#include "tls/tls.h"
#include "tls/x509_info.h"

#define TLS_CERT_MAX    16384   /* largest certificate we keep for messages */
#define TLS_CHAIN_MAX   8       /* certificates described per chain */
#define TLS_NAME_MAX    255
#define TLS_DETAIL_MAX  400
#define TLS_UNIX_DAY0   719528u /* days from 0000-01-01 to 1970-01-01 (BearSSL's epoch) */
#define TLS_MIN_RSA     256     /* bytes: 2048 bits */

struct tls_cert {
	struct x509_info xi;
	int ok;                  /* xi decoded */
	int self_issued;         /* subject == issuer */
	int issuer_is_anchor;    /* issuer DN equals some anchor's DN */
};

struct tls_x509 {
	const br_x509_class *vtable;     /* first: BearSSL passes &vtable */
	br_x509_minimal_context mini;
	struct tls_stream *owner;
	uint8_t cur[TLS_CERT_MAX];       /* the certificate streaming in */
	size_t cur_len;
	int cur_over;                    /* longer than TLS_CERT_MAX */
	unsigned ncerts;                 /* certificates seen in this chain */
	struct tls_cert certs[TLS_CHAIN_MAX];
};

struct tls_stream {
	struct stream base;              /* first */
	struct stream *lower;
	struct tls_config cfg;
	br_ssl_client_context cc;
	struct tls_x509 x509;
	char name[TLS_NAME_MAX + 1];
	int ip_literal;
	uint8_t ip[4];
	int established;
	int chacha_first;                /* offered ChaCha20-Poly1305 before AES-GCM */
	uint64_t hs_start_ms;            /* when the lower stream was open (0 = not yet) */
	int eof;                         /* lower closed after the handshake */
	int closed;                      /* engine closed cleanly (close_notify) */
	int err;                         /* negative WB_E* once failed */
	int x509_err;                    /* our code for a refused chain, else 0 */
	char detail[TLS_DETAIL_MAX];
	uint8_t iobuf[BR_SSL_BUFSIZE_BIDI];
};

static const struct stream_ops tls_stream_ops;

/* TLS 1.2 AEAD suites, ECDHE only (RFC 5289, RFC 7905), in two orders of the
 * same set.  Servers that honour the client's order (nginx's default,
 * ssl_prefer_server_ciphers off) take the first one they have.  AES-GCM is
 * cheap only with AES instructions; BearSSL's constant-time software AES and
 * GHASH are several times slower than its ChaCha20 and Poly1305, so without
 * them ChaCha20-Poly1305 goes first (tls_aes_hw). */
static const uint16_t tls_suites_aes_first[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
};
static const uint16_t tls_suites_chacha_first[] = {
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
};
#define TLS_NSUITES (sizeof(tls_suites_aes_first) / sizeof(tls_suites_aes_first[0]))
_Static_assert(sizeof(tls_suites_aes_first) == sizeof(tls_suites_chacha_first),
	       "both orders offer the same suites");

static void tls_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}

static void tls_log(struct tls_stream *s, int always, const char *line)
{
	if (s->cfg.log && (always || s->cfg.verbose))
		s->cfg.log(s->cfg.log_arg, line);
}

/* ---- refusal messages ---- */

/* ", subject CN=…, issuer CN=…, valid A to B UTC" for certificate @c */
static void tls_cert_desc(const struct tls_cert *c, char *buf, size_t cap)
{
	char a[24], b[24];

	if (!c || !c->ok) {
		wb_snprintf(buf, cap, " (certificate could not be decoded for details)");
		return;
	}
	wb_snprintf(buf, cap, ": subject CN=%s, issuer CN=%s, valid %s to %s UTC",
		    c->xi.subject_cn[0] ? c->xi.subject_cn : "(none)",
		    c->xi.issuer_cn[0] ? c->xi.issuer_cn : "(none)",
		    wallclock_fmt(c->xi.not_before, a), wallclock_fmt(c->xi.not_after, b));
}

static const char *tls_alert_name(unsigned a)
{
	switch (a) {
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 112: return "unrecognized_name";
	case 116: return "certificate_required";
	default: return "alert";
	}
}

static void tls_fail(struct tls_stream *s, int rc, const char *detail)
{
	if (s->err)
		return;
	s->err = rc;
	if (detail)
		wb_strlcpy(s->detail, detail, sizeof(s->detail));
	else
		wb_snprintf(s->detail, sizeof(s->detail), "%s", wb_strerror(rc));
	tls_log(s, 1, s->detail);
}

/* The first certificate matching @pred, else NULL; its index in *@idx. */
static const struct tls_cert *tls_find(const struct tls_x509 *x, int (*pred)(const struct tls_cert *,
	const struct tls_stream *), unsigned *idx)
{
	unsigned i, n = x->ncerts < TLS_CHAIN_MAX ? x->ncerts : TLS_CHAIN_MAX;

	for (i = 0; i < n; i++)
		if (x->certs[i].ok && pred(&x->certs[i], x->owner)) {
			*idx = i;
			return &x->certs[i];
		}
	return NULL;
}

static int tls_p_expired(const struct tls_cert *c, const struct tls_stream *s)
{
	return s->cfg.now > c->xi.not_after;
}

static int tls_p_notyet(const struct tls_cert *c, const struct tls_stream *s)
{
	return s->cfg.now < c->xi.not_before;
}

static int tls_p_weak(const struct tls_cert *c, const struct tls_stream *s)
{
	return c->xi.key_type == X509_KEY_RSA && c->xi.key_bits < TLS_MIN_RSA * 8;
}

static int tls_p_sha1(const struct tls_cert *c, const struct tls_stream *s)
{
	return c->xi.sig_hash == X509_HASH_SHA1 || c->xi.sig_hash == X509_HASH_MD5;
}

static int tls_p_notca(const struct tls_cert *c, const struct tls_stream *s)
{
	return c != &s->x509.certs[0] && !c->xi.is_ca;
}

static const char *tls_which(unsigned i)
{
	return i == 0 ? "server certificate" : "chain certificate";
}

/* Turn BearSSL's refusal @berr into s->x509_err and s->detail. */
static void tls_x509_explain(struct tls_stream *s, unsigned berr)
{
	struct tls_x509 *x = &s->x509;
	const struct tls_cert *c = NULL, *leaf = x->ncerts && x->certs[0].ok ? &x->certs[0] : NULL;
	unsigned i = 0, n = x->ncerts < TLS_CHAIN_MAX ? x->ncerts : TLS_CHAIN_MAX;
	char d[200], t1[24], ipb[16];
	int rc;

	switch (berr) {
	case BR_ERR_X509_TIME_UNKNOWN:
		rc = -WB_ETLSNOTIME;
		c = leaf;
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: current time unknown, cannot check certificate validity dates (run 'ntp SERVER' first)");
		break;
	case BR_ERR_X509_EXPIRED:
		if ((c = tls_find(x, tls_p_expired, &i))) {
			rc = -WB_ETLSEXPIRED;
			wb_snprintf(s->detail, sizeof(s->detail), "TLS: %s expired on %s UTC (now %s UTC)",
				    tls_which(i), wallclock_fmt(c->xi.not_after, d),
				    wallclock_fmt(s->cfg.now, t1));
		} else if ((c = tls_find(x, tls_p_notyet, &i))) {
			rc = -WB_ETLSNOTYET;
			wb_snprintf(s->detail, sizeof(s->detail), "TLS: %s not valid before %s UTC (now %s UTC)",
				    tls_which(i), wallclock_fmt(c->xi.not_before, d),
				    wallclock_fmt(s->cfg.now, t1));
		} else {
			rc = -WB_ETLSEXPIRED;
			c = leaf;
			wb_snprintf(s->detail, sizeof(s->detail), "TLS: certificate outside its validity period");
		}
		break;
	case BR_ERR_X509_BAD_SERVER_NAME:
		rc = -WB_ETLSNAME;
		c = leaf;
		if (leaf && leaf->xi.san_dns_count)
			wb_snprintf(d, sizeof(d), "DNS:%s%s", leaf->xi.san_dns0,
				    leaf->xi.san_dns_count > 1 ? " and others" : "");
		else if (leaf && leaf->xi.san_ip_count)
			wb_snprintf(d, sizeof(d), "IP:%s%s", wb_fmt_ipv4(leaf->xi.san_ip[0], ipb),
				    leaf->xi.san_ip_count > 1 ? " and others" : "");
		else
			wb_snprintf(d, sizeof(d), "no subject alternative names");
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: host name '%s' does not match the server certificate (%s %s)", s->name,
			    s->ip_literal ? "no IP SAN for it; it has" : "it is for", d);
		break;
	case BR_ERR_X509_NOT_CA:
		rc = -WB_ETLSNOTCA;
		c = tls_find(x, tls_p_notca, &i);
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: certificate '%s' is signed by '%s', which is not a CA (no basicConstraints CA:TRUE)",
			    i > 0 && x->certs[i - 1].ok ? x->certs[i - 1].xi.subject_cn : "?",
			    c ? c->xi.subject_cn : "?");
		break;
	case BR_ERR_X509_WEAK_PUBLIC_KEY:
		rc = -WB_ETLSWEAKKEY;
		c = tls_find(x, tls_p_weak, &i);
		wb_snprintf(s->detail, sizeof(s->detail), "TLS: %s has a %u-bit RSA key; at least 2048 bits required",
			    tls_which(i), c ? c->xi.key_bits : 0);
		break;
	case BR_ERR_X509_UNSUPPORTED:
		if ((c = tls_find(x, tls_p_sha1, &i))) {
			rc = -WB_ETLSSHA1;
			wb_snprintf(s->detail, sizeof(s->detail),
				    "TLS: %s is signed with %s, which is refused (weak hash)", tls_which(i),
				    x509_hash_name(c->xi.sig_hash));
		} else {
			rc = -WB_ETLSCERT;
			c = leaf;
			wb_snprintf(s->detail, sizeof(s->detail),
				    "TLS: certificate uses an unsupported algorithm or critical extension");
		}
		break;
	case BR_ERR_X509_BAD_SIGNATURE:
		rc = -WB_ETLSBADSIG;
		c = leaf;
		wb_snprintf(s->detail, sizeof(s->detail), "TLS: a certificate signature in the chain does not verify");
		break;
	case BR_ERR_X509_NOT_TRUSTED: {
		const struct tls_cert *last = n ? &x->certs[n - 1] : NULL;

		c = last && last->ok ? last : leaf;
		i = n ? n - 1 : 0;
		if (!s->cfg.anchor_count) {
			rc = -WB_ETLSNOTRUST;
			wb_snprintf(s->detail, sizeof(s->detail),
				    "TLS: no trust anchors configured, cannot verify the server (build with TRUST= or pass --trust)");
		} else if (!c) {
			rc = -WB_ETLSUNKNOWNCA;
			wb_snprintf(s->detail, sizeof(s->detail), "TLS: chain does not lead to a trust anchor");
		} else if (c->self_issued && n == 1) {
			rc = -WB_ETLSSELFSIGNED;
			wb_snprintf(s->detail, sizeof(s->detail),
				    "TLS: server certificate is self-signed and not a trust anchor");
		} else if (c->self_issued) {
			rc = -WB_ETLSUNKNOWNCA;
			wb_snprintf(s->detail, sizeof(s->detail),
				    "TLS: chain ends at root CA '%s', which is not a trust anchor (unknown CA)",
				    c->xi.subject_cn);
		} else if (c->xi.is_ca) {
			rc = -WB_ETLSUNKNOWNCA;
			wb_snprintf(s->detail, sizeof(s->detail),
				    "TLS: chain ends at CA '%s' whose issuer '%s' is not a trust anchor (unknown CA)",
				    c->xi.subject_cn, c->xi.issuer_cn);
		} else {
			rc = -WB_ETLSNOISSUER;
			wb_snprintf(s->detail, sizeof(s->detail),
				    "TLS: issuer '%s' of the %s was not sent by the server and is not a trust anchor "
				    "(missing intermediate certificate, or unknown CA)",
				    c->xi.issuer_cn, tls_which(i));
		}
		break;
	}
	case BR_ERR_X509_DN_MISMATCH:
		rc = -WB_ETLSCERT;
		c = leaf;
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: server's certificates are out of order (issuer/subject mismatch in the chain)");
		break;
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE:
	case BR_ERR_X509_WRONG_KEY_TYPE:
		rc = -WB_ETLSCERT;
		c = leaf;
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: server certificate's key usage or key type does not allow this handshake");
		break;
	default:
		rc = -WB_ETLSCERT;
		c = leaf;
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: server certificate chain refused (malformed or unsupported, X.509 error %u)", berr);
		break;
	}
	s->x509_err = rc;
	tls_cert_desc(c, d, sizeof(d));
	{
		size_t k = strlen(s->detail);

		wb_snprintf(s->detail + k, sizeof(s->detail) - k, "%s", d);
	}
}

/* ---- br_x509_class wrapper ---- */

static struct tls_x509 *tls_x(const br_x509_class **ctx)
{
	return (struct tls_x509 *)(void *)ctx;
}

static void tls_x_start_chain(const br_x509_class **ctx, const char *server_name)
{
	struct tls_x509 *x = tls_x(ctx);

	x->ncerts = 0;
	x->mini.vtable->start_chain(&x->mini.vtable, server_name);
}

static void tls_x_start_cert(const br_x509_class **ctx, uint32_t length)
{
	struct tls_x509 *x = tls_x(ctx);

	x->cur_len = 0;
	x->cur_over = length > TLS_CERT_MAX;
	x->mini.vtable->start_cert(&x->mini.vtable, length);
}

static void tls_x_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct tls_x509 *x = tls_x(ctx);

	if (!x->cur_over) {
		if (len > TLS_CERT_MAX - x->cur_len) {
			x->cur_over = 1;
		} else {
			memcpy(x->cur + x->cur_len, buf, len);
			x->cur_len += len;
		}
	}
	x->mini.vtable->append(&x->mini.vtable, buf, len);
}

static void tls_x_end_cert(const br_x509_class **ctx)
{
	struct tls_x509 *x = tls_x(ctx);
	const struct tls_config *cfg = &x->owner->cfg;

	if (x->ncerts < TLS_CHAIN_MAX) {
		struct tls_cert *c = &x->certs[x->ncerts];
		size_t k;

		memset(c, 0, sizeof(*c));
		if (!x->cur_over && !x509_info_parse(x->cur, x->cur_len, &c->xi)) {
			c->ok = 1;
			c->self_issued = x509_info_self_issued(x->cur, &c->xi);
			for (k = 0; k < cfg->anchor_count; k++)
				if (cfg->anchors[k].dn.len == c->xi.issuer_len &&
				    !memcmp(cfg->anchors[k].dn.data, x->cur + c->xi.issuer_off, c->xi.issuer_len))
					c->issuer_is_anchor = 1;
		}
	}
	x->ncerts++;
	x->mini.vtable->end_cert(&x->mini.vtable);
}

/*
 * extendedKeyUsage of the server certificate (RFC 5280 §4.2.1.12), which
 * BearSSL ignores when it is not critical: when present it must list
 * id-kp-serverAuth or anyExtendedKeyUsage, so that a certificate issued for
 * something else — above all a client certificate (CERT=), whose key is in
 * every binary — is never accepted from a server.  A leaf our walker could
 * not decode is refused too (fail closed).  @return 0, or a BearSSL X.509
 * error code for the engine with s->x509_err and s->detail set.
 */
static unsigned tls_check_eku(struct tls_stream *s)
{
	const struct tls_cert *leaf = s->x509.ncerts ? &s->x509.certs[0] : NULL;
	char d[200], names[120];
	size_t k;

	if (leaf && leaf->ok && (!(leaf->xi.eku & X509_EKU_PRESENT) ||
				 (leaf->xi.eku & (X509_EKU_SERVER | X509_EKU_ANY))))
		return 0;
	if (leaf && leaf->ok) {
		s->x509_err = -WB_ETLSEKU;
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: server certificate is not for TLS servers: its extendedKeyUsage lists %s, not serverAuth",
			    x509_eku_names(leaf->xi.eku, names, sizeof(names)));
	} else {
		s->x509_err = -WB_ETLSCERT;
		wb_snprintf(s->detail, sizeof(s->detail),
			    "TLS: server certificate could not be decoded to check its extendedKeyUsage "
			    "(over %u bytes, or an encoding wireboot does not read)", (unsigned)TLS_CERT_MAX);
	}
	tls_cert_desc(leaf && leaf->ok ? leaf : NULL, d, sizeof(d));
	k = strlen(s->detail);
	wb_snprintf(s->detail + k, sizeof(s->detail) - k, "%s", d);
	return BR_ERR_X509_FORBIDDEN_KEY_USAGE;
}

static unsigned tls_x_end_chain(const br_x509_class **ctx)
{
	struct tls_x509 *x = tls_x(ctx);
	struct tls_stream *s = x->owner;
	unsigned err = x->mini.vtable->end_chain(&x->mini.vtable);

	/* Unknown time: the engine ran with a placeholder date; refuse regardless. */
	if (s->cfg.now < 0 && (err == 0 || err == BR_ERR_X509_EXPIRED || err == BR_ERR_X509_TIME_UNKNOWN))
		err = BR_ERR_X509_TIME_UNKNOWN;
	/* IPv4 literal: BearSSL matched no name (we gave it none); check IP SANs */
	if (!err && s->ip_literal) {
		const struct tls_cert *leaf = &x->certs[0];
		unsigned k, found = 0;

		if (x->ncerts && leaf->ok)
			for (k = 0; k < leaf->xi.san_ip_count; k++)
				found |= !memcmp(leaf->xi.san_ip[k], s->ip, 4);
		if (!found)
			err = BR_ERR_X509_BAD_SERVER_NAME;
	}
	if (err)
		tls_x509_explain(s, err);
	else if ((err = tls_check_eku(s)))
		;   /* s->x509_err and s->detail set */
	else if (s->cfg.verbose && x->ncerts && x->certs[0].ok) {
		char line[TLS_DETAIL_MAX], d[200];

		tls_cert_desc(&x->certs[0], d, sizeof(d));
		wb_snprintf(line, sizeof(line), "TLS: certificate chain of %u verified%s", x->ncerts, d);
		tls_log(s, 0, line);
	}
	return err;
}

static const br_x509_pkey *tls_x_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	const struct tls_x509 *x = (const struct tls_x509 *)(const void *)ctx;

	return x->mini.vtable->get_pkey(&x->mini.vtable, usages);
}

static const br_x509_class tls_x509_vtable = {
	sizeof(struct tls_x509),
	tls_x_start_chain, tls_x_start_cert, tls_x_append, tls_x_end_cert,
	tls_x_end_chain, tls_x_get_pkey,
};

/* ---- the engine pump ---- */

static int tls_map_engine_err(struct tls_stream *s, int berr)
{
	char d[TLS_DETAIL_MAX];

	if (berr >= BR_ERR_X509_OK && berr < BR_ERR_RECV_FATAL_ALERT && s->x509_err) {
		tls_fail(s, s->x509_err, s->detail);
		return s->x509_err;
	}
	if (berr >= BR_ERR_RECV_FATAL_ALERT && berr < BR_ERR_SEND_FATAL_ALERT) {
		unsigned a = (unsigned)(berr - BR_ERR_RECV_FATAL_ALERT);

		wb_snprintf(d, sizeof(d), "TLS: server '%s' refused the handshake with alert %u (%s)%s", s->name, a,
			    tls_alert_name(a),
			    a == 40 ? ": no common protocol version or cipher suite (wireboot offers TLS 1.2 ECDHE AEAD suites)"
			    : a == 70 ? ": no common protocol version (wireboot speaks TLS 1.2 only)"
			    : (a == 42 || a == 116 || a == 48 || a == 46) ? ": does the server want a client certificate (CERT=/PRIVKEY=)?"
			    : "");
		tls_fail(s, -WB_ETLSALERT, d);
	} else if (berr >= BR_ERR_SEND_FATAL_ALERT) {
		unsigned a = (unsigned)(berr - BR_ERR_SEND_FATAL_ALERT);

		wb_snprintf(d, sizeof(d), "TLS: handshake with '%s' aborted by wireboot (sent alert %u, %s)", s->name, a,
			    tls_alert_name(a));
		tls_fail(s, -WB_ETLS, d);
	} else {
		wb_snprintf(d, sizeof(d), "TLS: handshake with '%s' failed (BearSSL error %d%s)", s->name, berr,
			    berr == BR_ERR_UNSUPPORTED_VERSION || berr == BR_ERR_BAD_VERSION ? ": server does not speak TLS 1.2"
			    : berr == BR_ERR_BAD_CIPHER_SUITE ? ": no common cipher suite" : "");
		tls_fail(s, -WB_ETLS, d);
	}
	return s->err;
}

static const char *tls_suite_name(uint16_t cs)
{
	switch (cs) {
	case BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: return "ECDHE-ECDSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: return "ECDHE-RSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: return "ECDHE-ECDSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: return "ECDHE-RSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-ECDSA-CHACHA20-POLY1305";
	case BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-RSA-CHACHA20-POLY1305";
	default: return "unknown suite";
	}
}

/* ---- record implementations ---- */

/* Does the engine encrypt AES-GCM records with AES instructions?  BearSSL's
 * br_ssl_client_init_full picks AES-NI (x86) or POWER8 AES only when the
 * build has them and the CPU says so (CPUID at run time); otherwise its
 * constant-time software AES.  Asking BearSSL which one it took is the one
 * check that cannot disagree with what the records will use: the EFI x86_64
 * build has no AES-NI code (no SSE in firmware), and BearSSL has no ARMv8
 * AES code at all, so both always answer no. */
static int tls_aes_hw(const br_ssl_engine_context *eng)
{
	const br_block_ctr_class *hw = br_aes_x86ni_ctr_get_vtable();

	if (!hw)
		hw = br_aes_pwr8_ctr_get_vtable();
	return hw && eng->iaes_ctr == hw;
}

/* "ChaCha20 sse2, Poly1305 ctmulq" / "AES ct64, GHASH ctmul64": which of
 * BearSSL's implementations protect the records of the negotiated suite */
static void tls_record_impl(const br_ssl_engine_context *eng, char *buf, size_t cap)
{
	uint16_t cs = eng->session.cipher_suite;

	if (cs == BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 ||
	    cs == BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256) {
		br_chacha20_run sse2 = br_chacha20_sse2_get();
		br_poly1305_run q = br_poly1305_ctmulq_get();

		wb_snprintf(buf, cap, "ChaCha20 %s, Poly1305 %s",
			    sse2 && eng->ichacha == sse2 ? "sse2"
			    : eng->ichacha == &br_chacha20_ct_run ? "ct" : "other",
			    q && eng->ipoly == q ? "ctmulq"
			    : eng->ipoly == &br_poly1305_ctmul_run ? "ctmul" : "other");
	} else {
		br_ghash pclmul = br_ghash_pclmul_get();

		wb_snprintf(buf, cap, "AES %s, GHASH %s",
			    tls_aes_hw(eng) ? "hw"
			    : eng->iaes_ctr == &br_aes_ct64_ctr_vtable ? "ct64" : "other",
			    pclmul && eng->ighash == pclmul ? "pclmul"
			    : eng->ighash == &br_ghash_ctmul64 ? "ctmul64" : "other");
	}
}

static void tls_pump(struct tls_stream *s)
{
	br_ssl_engine_context *eng = &s->cc.eng;
	int guard;

	for (guard = 0; guard < 256 && !s->err && !s->closed && !s->eof; guard++) {
		enum stream_state ls = stream_state(s->lower);
		unsigned st;
		int progress = 0, n;
		size_t len;
		unsigned char *buf;

		if (ls == STREAM_CONNECTING)
			return;
		if (!s->hs_start_ms)
			s->hs_start_ms = plat_ms();
		st = br_ssl_engine_current_state(eng);
		if (st == BR_SSL_CLOSED) {
			int berr = br_ssl_engine_last_error(eng);

			if (berr == BR_ERR_OK)
				s->closed = 1;
			else
				tls_map_engine_err(s, berr);
			return;
		}
		if (!s->established && (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP))) {
			char line[240], impl[64];

			s->established = 1;
			tls_record_impl(eng, impl, sizeof(impl));
			wb_snprintf(line, sizeof(line),
				    "TLS: TLS 1.2 with %s, %s: handshake done in %u ms; offered %s first (%s); records: %s",
				    tls_suite_name(s->cc.eng.session.cipher_suite), s->name,
				    (unsigned)(plat_ms() - s->hs_start_ms),
				    s->chacha_first ? "ChaCha20-Poly1305" : "AES-GCM",
				    s->chacha_first ? "no AES instructions" : "AES instructions", impl);
			tls_log(s, 0, line);
		}
		if (st & BR_SSL_SENDREC) {
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			n = stream_send(s->lower, buf, len);
			if (n < 0) {
				tls_fail(s, n, NULL);
				return;
			}
			if (n > 0) {
				br_ssl_engine_sendrec_ack(eng, (size_t)n);
				progress = 1;
			}
		}
		if (st & BR_SSL_RECVREC) {
			buf = br_ssl_engine_recvrec_buf(eng, &len);
			n = stream_recv(s->lower, buf, len);
			if (n == -WB_ECLOSED) {
				if (!s->established) {
					char d[160];

					wb_snprintf(d, sizeof(d),
						    "TLS: '%s' closed the connection during the handshake (not a TLS server, or it refused us)",
						    s->name);
					tls_fail(s, -WB_ETLS, d);
				} else {
					/* no close_notify (RFC 5246 §7.2.1): anyone on the path
					 * can forge this FIN, so recv reports -WB_ETLSTRUNC, not
					 * -WB_ECLOSED; a layer with its own length (Content-Length,
					 * chunks) may accept it once that length is complete */
					s->eof = 1;
					tls_log(s, 0, "TLS: peer closed without close_notify");
				}
				return;
			}
			if (n < 0) {
				tls_fail(s, n, NULL);
				return;
			}
			if (n > 0) {
				br_ssl_engine_recvrec_ack(eng, (size_t)n);
				progress = 1;
			}
		}
		if (!progress) {
			if (ls == STREAM_ERROR)
				tls_fail(s, stream_error(s->lower), NULL);
			return;
		}
	}
}

/* ---- stream ops ---- */

static struct tls_stream *tls_s(const struct stream *st)
{
	return (struct tls_stream *)(void *)st;   /* pumping from const ops is by design */
}

static enum stream_state tls_st_state(const struct stream *st)
{
	struct tls_stream *s = tls_s(st);
	unsigned es;

	tls_pump(s);
	if (s->err)
		return STREAM_ERROR;
	es = br_ssl_engine_current_state(&s->cc.eng);
	if (s->closed || (s->eof && !(es & BR_SSL_RECVAPP)))
		return s->established ? STREAM_EOF : STREAM_ERROR;
	return s->established ? STREAM_OPEN : STREAM_CONNECTING;
}

static int tls_st_error(const struct stream *st)
{
	return tls_s(st)->err;
}

static size_t tls_st_send_space(const struct stream *st)
{
	struct tls_stream *s = tls_s(st);
	size_t len = 0;

	tls_pump(s);
	if (s->err || !s->established || s->closed || s->eof)
		return 0;
	if (br_ssl_engine_current_state(&s->cc.eng) & BR_SSL_SENDAPP)
		br_ssl_engine_sendapp_buf(&s->cc.eng, &len);
	return len;
}

static int tls_st_send(struct stream *st, const void *data, size_t n)
{
	struct tls_stream *s = tls_s(st);
	unsigned char *buf;
	size_t len;

	tls_pump(s);
	if (s->err)
		return s->err;
	if (s->closed || s->eof)
		return -WB_ENOTCONN;
	if (!s->established || !(br_ssl_engine_current_state(&s->cc.eng) & BR_SSL_SENDAPP))
		return 0;
	buf = br_ssl_engine_sendapp_buf(&s->cc.eng, &len);
	if (n > len)
		n = len;
	memcpy(buf, data, n);
	br_ssl_engine_sendapp_ack(&s->cc.eng, n);
	br_ssl_engine_flush(&s->cc.eng, 0);
	tls_pump(s);
	return (int)n;
}

static size_t tls_st_recv_avail(const struct stream *st)
{
	struct tls_stream *s = tls_s(st);
	size_t len = 0;

	tls_pump(s);
	if (!s->err && (br_ssl_engine_current_state(&s->cc.eng) & BR_SSL_RECVAPP))
		br_ssl_engine_recvapp_buf(&s->cc.eng, &len);
	return len;
}

static int tls_st_recv(struct stream *st, void *out, size_t n)
{
	struct tls_stream *s = tls_s(st);
	unsigned char *buf;
	size_t len;

	tls_pump(s);
	if (!s->err && (br_ssl_engine_current_state(&s->cc.eng) & BR_SSL_RECVAPP)) {
		buf = br_ssl_engine_recvapp_buf(&s->cc.eng, &len);
		if (n > len)
			n = len;
		memcpy(out, buf, n);
		br_ssl_engine_recvapp_ack(&s->cc.eng, n);
		tls_pump(s);
		return (int)n;
	}
	if (s->err)
		return s->err;
	if (s->closed)
		return -WB_ECLOSED;
	if (s->eof)
		return -WB_ETLSTRUNC;   /* TCP closed, no close_notify: not an authenticated end */
	return 0;
}

static void tls_st_close(struct stream *st)
{
	struct tls_stream *s = tls_s(st);

	if (s->established && !s->err && !s->closed) {
		/* best effort close_notify: one pump hands it to the lower stream */
		br_ssl_engine_close(&s->cc.eng);
		tls_pump(s);
	}
	stream_close(s->lower);
	tls_wipe(s, sizeof(*s));   /* session keys, buffers */
	plat_free(s);
}

static const struct stream_ops tls_stream_ops = {
	tls_st_state, tls_st_error, tls_st_send, tls_st_send_space,
	tls_st_recv, tls_st_recv_avail, tls_st_close,
};

/* ---- set-up ---- */

int tls_rng_init(br_hmac_drbg_context *rng)
{
	uint8_t seed[32];
	int rc = wb_entropy(seed, sizeof(seed));

	if (rc)
		return rc;
	br_hmac_drbg_init(rng, &br_sha256_vtable, seed, sizeof(seed));
	tls_wipe(seed, sizeof(seed));
	return 0;
}

int tls_wrap(struct stream *lower, const char *server_name, const struct tls_config *cfg,
	     struct stream **out)
{
	struct tls_stream *s;
	br_ssl_engine_context *eng;
	uint8_t seed[32];
	int64_t now;
	int rc;

	if (!lower || !server_name || !cfg || !out || !*server_name ||
	    strlen(server_name) > TLS_NAME_MAX || (cfg->client_rsa && cfg->client_ec)) {
		if (lower)
			stream_close(lower);
		return -WB_EINVAL;
	}
	s = plat_malloc(sizeof(*s));
	if (!s) {
		stream_close(lower);
		return -WB_ENOMEM;
	}
	memset(s, 0, sizeof(*s));
	s->base.ops = &tls_stream_ops;
	s->lower = lower;
	s->cfg = *cfg;
	wb_strlcpy(s->name, server_name, sizeof(s->name));
	s->ip_literal = !wb_parse_ipv4(server_name, s->ip);

	if (cfg->rng) {
		br_hmac_drbg_generate(cfg->rng, seed, sizeof(seed));
		rc = 0;
	} else {
		rc = wb_entropy(seed, sizeof(seed));
	}
	if (rc) {
		stream_close(lower);
		plat_free(s);
		return rc;
	}

	/* "full" client profile, then narrowed: TLS 1.2, our suites, no SHA-1/MD5 */
	br_ssl_client_init_full(&s->cc, &s->x509.mini, cfg->anchors, cfg->anchor_count);
	eng = &s->cc.eng;
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	if (cfg->no_aes_hw) {
		/* what BearSSL picks on a 64-bit CPU without AES instructions */
		br_ssl_engine_set_aes_ctr(eng, &br_aes_ct64_ctr_vtable);
		br_ssl_engine_set_ghash(eng, &br_ghash_ctmul64);
	}
	s->chacha_first = !tls_aes_hw(eng);
	br_ssl_engine_set_suites(eng, s->chacha_first ? tls_suites_chacha_first : tls_suites_aes_first,
				 TLS_NSUITES);
	br_ssl_engine_set_hash(eng, br_md5_ID, NULL);
	br_ssl_engine_set_hash(eng, br_sha1_ID, NULL);
	br_x509_minimal_set_hash(&s->x509.mini, br_md5_ID, NULL);
	br_x509_minimal_set_hash(&s->x509.mini, br_sha1_ID, NULL);
	br_x509_minimal_set_minrsa(&s->x509.mini, TLS_MIN_RSA);
	/* unknown time: a placeholder (1970-01-02) so BearSSL never falls back
	 * to time(); end_chain refuses with WB_ETLSNOTIME anyway */
	now = cfg->now >= 0 ? cfg->now : 86400;
	br_x509_minimal_set_time(&s->x509.mini, TLS_UNIX_DAY0 + (uint32_t)(now / 86400),
				 (uint32_t)(now % 86400));
	s->x509.vtable = &tls_x509_vtable;
	s->x509.owner = s;
	br_ssl_engine_set_x509(eng, &s->x509.vtable);
	if (cfg->client_chain_len && cfg->client_rsa)
		br_ssl_client_set_single_rsa(&s->cc, cfg->client_chain, cfg->client_chain_len,
					     cfg->client_rsa, br_rsa_pkcs1_sign_get_default());
	else if (cfg->client_chain_len && cfg->client_ec)
		br_ssl_client_set_single_ec(&s->cc, cfg->client_chain, cfg->client_chain_len,
					    cfg->client_ec, BR_KEYTYPE_SIGN, BR_KEYTYPE_EC,
					    br_ec_get_default(), br_ecdsa_sign_asn1_get_default());
	br_ssl_engine_set_buffer(eng, s->iobuf, sizeof(s->iobuf), 1);
	br_ssl_engine_inject_entropy(eng, seed, sizeof(seed));
	tls_wipe(seed, sizeof(seed));
	/* no SNI for an address (RFC 6066 §3); the IP SAN check is ours */
	if (!br_ssl_client_reset(&s->cc, s->ip_literal ? NULL : s->name, 0)) {
		rc = br_ssl_engine_last_error(eng);
		stream_close(lower);
		tls_wipe(s, sizeof(*s));
		plat_free(s);
		return rc == BR_ERR_NO_RANDOM ? -WB_ENOENTROPY : -WB_ETLS;
	}
	*out = &s->base;
	return 0;
}

int tls_is_tls(const struct stream *s)
{
	return s && s->ops == &tls_stream_ops;
}

char *tls_strerror_detail(const struct stream *st, char *buf, size_t cap)
{
	if (!cap)
		return buf;
	if (tls_is_tls(st) && tls_s(st)->err && tls_s(st)->detail[0])
		wb_strlcpy(buf, tls_s(st)->detail, cap);
	else
		wb_strlcpy(buf, wb_strerror(st ? stream_error(st) : -WB_EINVAL), cap);
	return buf;
}

const char *tls_cipher_name(const struct stream *st)
{
	if (!tls_is_tls(st) || !tls_s(st)->established)
		return NULL;
	return tls_suite_name(tls_s(st)->cc.eng.session.cipher_suite);
}

/* ---- record crypto benchmark ---- */

struct tls_bench_ctx {
	br_ssl_client_context cc;
	br_x509_minimal_context xc;
	br_aes_gen_ctr_keys aes;
	br_gcm_context gcm;
	uint8_t rec[16384];
};

int tls_aead_bench(size_t bytes, int no_aes_hw, struct tls_aead_bench *r)
{
	static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	uint8_t iv[12] = { 0 }, aad[13] = { 0 }, tag[16];
	struct tls_bench_ctx *b;
	br_ssl_engine_context *eng;
	uint64_t t0;
	size_t done;

	if (!r || !bytes)
		return -WB_EINVAL;
	b = plat_malloc(sizeof(*b));
	if (!b)
		return -WB_ENOMEM;
	memset(b, 0, sizeof(*b));
	memset(r, 0, sizeof(*r));
	/* the implementations tls_wrap's engine would use */
	br_ssl_client_init_full(&b->cc, &b->xc, NULL, 0);
	eng = &b->cc.eng;
	if (no_aes_hw) {
		br_ssl_engine_set_aes_ctr(eng, &br_aes_ct64_ctr_vtable);
		br_ssl_engine_set_ghash(eng, &br_ghash_ctmul64);
	}
	r->bytes = bytes;

	eng->session.cipher_suite = BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256;
	tls_record_impl(eng, r->chacha_impl, sizeof(r->chacha_impl));
	t0 = plat_ms();
	for (done = 0; done < bytes; done += sizeof(b->rec)) {
		iv[11] = (uint8_t)(done >> 14);
		eng->ipoly(key, iv, b->rec, sizeof(b->rec), aad, sizeof(aad), tag, eng->ichacha, 0);
	}
	r->chacha_ms = plat_ms() - t0;

	eng->session.cipher_suite = BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
	tls_record_impl(eng, r->gcm_impl, sizeof(r->gcm_impl));
	t0 = plat_ms();
	eng->iaes_ctr->init(&b->aes.vtable, key, 16);
	br_gcm_init(&b->gcm, &b->aes.vtable, eng->ighash);
	for (done = 0; done < bytes; done += sizeof(b->rec)) {
		iv[11] = (uint8_t)(done >> 14);
		br_gcm_reset(&b->gcm, iv, sizeof(iv));
		br_gcm_aad_inject(&b->gcm, aad, sizeof(aad));
		br_gcm_flip(&b->gcm);
		br_gcm_run(&b->gcm, 0, b->rec, sizeof(b->rec));
		br_gcm_get_tag(&b->gcm, tag);
	}
	r->gcm_ms = plat_ms() - t0;
	plat_free(b);
	return 0;
}
