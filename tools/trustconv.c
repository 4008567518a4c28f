/*
 * trustconv.c — build-time tool: PEM trust anchors (TRUST=a.pem,b.pem) and an
 * optional client certificate and key (CERT=, PRIVKEY=) into C source for
 * src/tls/trust.h.  A host program (BearSSL's decoders + our PEM reader).
 *
 *   trustconv -o build/TARGET/trust.c [-t a.pem,b.pem] [-s cs.pem,…] [-c chain.pem -k key.pem]
 *
 * Each CERTIFICATE block of each -t file becomes one anchor (subject DN and
 * public key; CA flag from basicConstraints).  -c: every CERTIFICATE block,
 * leaf first.  -k: one RSA or EC private key (PKCS#1, SEC 1 or PKCS#8,
 * unencrypted).  -s (CODESIGN_TRUST=): anchors for image signatures only
 * (imgverify); without it imgverify uses the -t anchors.  What was used goes
 * to stderr (names only, never key bytes).
 */
#define _POSIX_C_SOURCE 200809L   /* strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bearssl.h"
#include "core/err.h"
#include "tls/pem.h"
#include "tls/x509_info.h"

static FILE *out;
static int nanchors;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "trustconv: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		die("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

static void emit_bytes(const char *name, const unsigned char *p, size_t n)
{
	size_t i;

	fprintf(out, "static const unsigned char %s[] = {", name);
	for (i = 0; i < n; i++)
		fprintf(out, "%s0x%02x,", i % 12 ? " " : "\n\t", p[i]);
	if (!n)
		fprintf(out, "0");
	fprintf(out, "\n};\n");
}

struct dnbuf {
	unsigned char b[4096];
	size_t len;
	int over;
};

static void dn_append(void *ctx, const void *data, size_t len)
{
	struct dnbuf *d = ctx;

	if (len > sizeof(d->b) - d->len) {
		d->over = 1;
		return;
	}
	memcpy(d->b + d->len, data, len);
	d->len += len;
}

/* Iterate the CERTIFICATE blocks of @path, calling @fn(der, len, idx, path). */
static int each_cert(const char *path, void (*fn)(const unsigned char *, size_t, int, const char *))
{
	size_t len, pos = 0;
	char *text = slurp(path, &len);
	unsigned char *der = malloc(len + 1);
	struct pem_block blk;
	int rc, n = 0;

	while ((rc = pem_next(text, len, &pos, &blk, der, len)) > 0) {
		if (strcmp(blk.label, "CERTIFICATE"))
			continue;
		fn(der, blk.der_len, n++, path);
	}
	if (rc < 0)
		die("%s: malformed PEM", path);
	if (!n)
		die("%s: no CERTIFICATE block", path);
	free(der);
	free(text);
	return n;
}

static char names[8192];

static void anchor(const unsigned char *der, size_t len, int idx, const char *path)
{
	br_x509_decoder_context dc;
	struct dnbuf dn = { .len = 0 };
	const br_x509_pkey *pk;
	struct x509_info xi;
	char nm[64];
	int i = nanchors;

	br_x509_decoder_init(&dc, dn_append, &dn);
	br_x509_decoder_push(&dc, der, len);
	pk = br_x509_decoder_get_pkey(&dc);
	if (!pk || br_x509_decoder_last_error(&dc) || dn.over)
		die("%s: certificate cannot be decoded", path);
	if (x509_info_parse(der, len, &xi))
		memset(&xi, 0, sizeof(xi));
	snprintf(nm, sizeof(nm), "ta%d_dn", i);
	emit_bytes(nm, dn.b, dn.len);
	if (pk->key_type == BR_KEYTYPE_RSA) {
		snprintf(nm, sizeof(nm), "ta%d_n", i);
		emit_bytes(nm, pk->key.rsa.n, pk->key.rsa.nlen);
		snprintf(nm, sizeof(nm), "ta%d_e", i);
		emit_bytes(nm, pk->key.rsa.e, pk->key.rsa.elen);
	} else {
		snprintf(nm, sizeof(nm), "ta%d_q", i);
		emit_bytes(nm, pk->key.ec.q, pk->key.ec.qlen);
	}
	fprintf(out, "#define TA%d { { (unsigned char *)ta%d_dn, sizeof(ta%d_dn) }, %s, ", i, i, i,
		br_x509_decoder_isCA(&dc) ? "BR_X509_TA_CA" : "0");
	if (pk->key_type == BR_KEYTYPE_RSA)
		fprintf(out, "{ BR_KEYTYPE_RSA, { .rsa = { (unsigned char *)ta%d_n, sizeof(ta%d_n), "
			"(unsigned char *)ta%d_e, sizeof(ta%d_e) } } } }\n", i, i, i, i);
	else
		fprintf(out, "{ BR_KEYTYPE_EC, { .ec = { %d, (unsigned char *)ta%d_q, sizeof(ta%d_q) } } } }\n",
			pk->key.ec.curve, i, i);
	fprintf(stderr, "trustconv: anchor %d: CN=%s (%s, %s %u bits%s)\n", i,
		xi.subject_cn[0] ? xi.subject_cn : "?", path, pk->key_type == BR_KEYTYPE_RSA ? "RSA" : "EC",
		xi.key_bits, br_x509_decoder_isCA(&dc) ? ", CA" : "");
	snprintf(names + strlen(names), sizeof(names) - strlen(names), "\t\"%s\",\n", xi.subject_cn);
	nanchors++;
	(void)idx;
}

static int nclient;

static void client_cert(const unsigned char *der, size_t len, int idx, const char *path)
{
	char nm[32];
	struct x509_info xi;

	snprintf(nm, sizeof(nm), "cc%d", nclient++);
	emit_bytes(nm, der, len);
	if (!x509_info_parse(der, len, &xi))
		fprintf(stderr, "trustconv: client certificate %d: CN=%s (%s)\n", idx, xi.subject_cn, path);
}

static void split_each(char *list, void (*fn)(const char *))
{
	char *p = list, *c;

	while (p && *p) {
		c = strchr(p, ',');
		if (c)
			*c = 0;
		if (*p)
			fn(p);
		p = c ? c + 1 : NULL;
	}
}

static void add_trust(const char *path) { each_cert(path, anchor); }
static void add_client(const char *path) { each_cert(path, client_cert); }

static void emit_key(const char *path)
{
	size_t len, pos = 0;
	char *text = slurp(path, &len);
	unsigned char *der = malloc(len + 1);
	struct pem_block blk;
	br_skey_decoder_context sk;
	int rc;

	while ((rc = pem_next(text, len, &pos, &blk, der, len)) > 0)
		if (strstr(blk.label, "PRIVATE KEY"))
			break;
	if (rc <= 0)
		die("%s: no unencrypted PRIVATE KEY block", path);
	br_skey_decoder_init(&sk);
	br_skey_decoder_push(&sk, der, blk.der_len);
	if (br_skey_decoder_last_error(&sk))
		die("%s: private key cannot be decoded (RSA or EC, unencrypted)", path);
	if (br_skey_decoder_key_type(&sk) == BR_KEYTYPE_RSA) {
		const br_rsa_private_key *k = br_skey_decoder_get_rsa(&sk);

		emit_bytes("ck_p", k->p, k->plen);
		emit_bytes("ck_q", k->q, k->qlen);
		emit_bytes("ck_dp", k->dp, k->dplen);
		emit_bytes("ck_dq", k->dq, k->dqlen);
		emit_bytes("ck_iq", k->iq, k->iqlen);
		fprintf(out, "static const br_rsa_private_key ck_rsa = { %u, (unsigned char *)ck_p, sizeof(ck_p), "
			"(unsigned char *)ck_q, sizeof(ck_q), (unsigned char *)ck_dp, sizeof(ck_dp), "
			"(unsigned char *)ck_dq, sizeof(ck_dq), (unsigned char *)ck_iq, sizeof(ck_iq) };\n",
			(unsigned)k->n_bitlen);
		fprintf(out, "const br_rsa_private_key *const tls_builtin_client_rsa = &ck_rsa;\n"
			"const br_ec_private_key *const tls_builtin_client_ec = NULL;\n");
		fprintf(stderr, "trustconv: client key: RSA %u bits (%s)\n", (unsigned)k->n_bitlen, path);
	} else {
		const br_ec_private_key *k = br_skey_decoder_get_ec(&sk);

		emit_bytes("ck_x", k->x, k->xlen);
		fprintf(out, "static const br_ec_private_key ck_ec = { %d, (unsigned char *)ck_x, sizeof(ck_x) };\n",
			k->curve);
		fprintf(out, "const br_rsa_private_key *const tls_builtin_client_rsa = NULL;\n"
			"const br_ec_private_key *const tls_builtin_client_ec = &ck_ec;\n");
		fprintf(stderr, "trustconv: client key: EC curve %d (%s)\n", k->curve, path);
	}
	memset(&sk, 0, sizeof(sk));
	memset(der, 0, len);
	free(der);
	free(text);
}

int main(int argc, char **argv)
{
	char *trust = NULL, *cert = NULL, *key = NULL, *codesign = NULL;
	const char *outpath = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			outpath = argv[++i];
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			trust = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			codesign = argv[++i];
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			cert = argv[++i];
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			key = argv[++i];
		else
			die("usage: trustconv -o OUT.c [-t a.pem,b.pem] [-s cs.pem] [-c chain.pem -k key.pem] (%s)", argv[i]);
	}
	if (!outpath || (!cert != !key))
		die("%s", "usage: trustconv -o OUT.c [-t a.pem,b.pem] [-c chain.pem -k key.pem] (CERT= and PRIVKEY= go together)");
	out = fopen(outpath, "w");
	if (!out)
		die("cannot write %s", outpath);
	fprintf(out, "/* generated by tools/trustconv from TRUST=%s CERT=%s PRIVKEY=%s: do not edit */\n"
		"#include \"tls/trust.h\"\n\n", trust ? trust : "", cert ? cert : "", key ? key : "");
	if (trust) {
		char *copy = strdup(trust);   /* split_each cuts its argument */

		split_each(copy, add_trust);
		free(copy);
	}
	if (nanchors) {
		fprintf(out, "static const br_x509_trust_anchor ta_list[] = {\n");
		for (i = 0; i < nanchors; i++)
			fprintf(out, "\tTA%d,\n", i);
		fprintf(out, "};\nconst br_x509_trust_anchor *const tls_builtin_anchors = ta_list;\n"
			"const size_t tls_builtin_anchor_count = %d;\n"
			"const char *const tls_builtin_anchor_names[] = {\n%s\tNULL\n};\n", nanchors, names);
		fprintf(stderr, "trustconv: built with %d trust anchor(s) from TRUST=%s\n", nanchors, trust);
	} else {
		fprintf(out, "const br_x509_trust_anchor *const tls_builtin_anchors = NULL;\n"
			"const size_t tls_builtin_anchor_count = 0;\n"
			"const char *const tls_builtin_anchor_names[] = { NULL };\n");
		fprintf(stderr, "trustconv: no TRUST=: built with no trust anchors, every HTTPS server will be refused\n");
	}
	/* CODESIGN_TRUST=: anchors of their own for imgverify, after the TLS ones */
	if (codesign) {
		char *copy = strdup(codesign);
		int first = nanchors;

		names[0] = 0;
		split_each(copy, add_trust);
		free(copy);
		fprintf(out, "static const br_x509_trust_anchor cs_list[] = {\n");
		for (i = first; i < nanchors; i++)
			fprintf(out, "\tTA%d,\n", i);
		fprintf(out, "};\nconst br_x509_trust_anchor *const codesign_builtin_anchors = cs_list;\n"
			"const size_t codesign_builtin_anchor_count = %d;\n"
			"const char *const codesign_builtin_anchor_names[] = {\n%s\tNULL\n};\n", nanchors - first, names);
		fprintf(stderr, "trustconv: built with %d code-signing anchor(s) from CODESIGN_TRUST=%s\n",
			nanchors - first, codesign);
	} else {
		fprintf(out, "const br_x509_trust_anchor *const codesign_builtin_anchors = NULL;\n"
			"const size_t codesign_builtin_anchor_count = 0;\n"
			"const char *const codesign_builtin_anchor_names[] = { NULL };\n");
	}
	if (cert) {
		char *copy = strdup(cert);

		split_each(copy, add_client);
		free(copy);
		fprintf(out, "static const br_x509_certificate cc_list[] = {\n");
		for (i = 0; i < nclient; i++)
			fprintf(out, "\t{ (unsigned char *)cc%d, sizeof(cc%d) },\n", i, i);
		fprintf(out, "};\nconst br_x509_certificate *const tls_builtin_client_chain = cc_list;\n"
			"const size_t tls_builtin_client_chain_len = %d;\n", nclient);
		emit_key(key);
	} else {
		fprintf(out, "const br_x509_certificate *const tls_builtin_client_chain = NULL;\n"
			"const size_t tls_builtin_client_chain_len = 0;\n"
			"const br_rsa_private_key *const tls_builtin_client_rsa = NULL;\n"
			"const br_ec_private_key *const tls_builtin_client_ec = NULL;\n");
	}
	if (fclose(out))
		die("cannot write %s", outpath);
	return 0;
}
