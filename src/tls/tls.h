/*
 * tls.h — TLS 1.2 client streams (BearSSL) over any other stream.
 *
 *   struct tls_config cfg = { .anchors = ta, .anchor_count = n, .now = t };
 *   struct stream *tcp, *s;
 *   rc = net_tcp_connect(net, ip, 443, &tcp);               // or host_sock_connect
 *   rc = tls_wrap(tcp, "boot.test", &cfg, &s);              // s now owns tcp
 *   rc = stream_wait_open(s, &poller, 10000);               // the handshake runs here
 *   if (rc) { tls_strerror_detail(s, msg, sizeof(msg)); … } // why it was refused
 *   stream_send / stream_recv / stream_close(s)             // close_notify + closes tcp
 *
 * End of stream: stream_recv() returns -WB_ECLOSED only after the server's
 * close_notify alert.  When the TCP connection ends without one (a FIN or
 * reset anyone on the path can forge) it returns -WB_ETLSTRUNC instead,
 * with stream_state() STREAM_EOF: the data so far is authentic but may be
 * cut short.  A protocol whose message ends at the close (HTTP without
 * Content-Length or chunks) must fail then; one that knows its own length
 * may treat it as -WB_ECLOSED once that length is complete.
 *
 * What is offered: TLS 1.2 only; ECDHE_ECDSA and ECDHE_RSA with AES-128-GCM,
 * AES-256-GCM and ChaCha20-Poly1305; groups X25519, P-256, P-384, P-521; SNI
 * (not for IPv4 literals, RFC 6066 §3).  AES-GCM is offered first only when
 * BearSSL runs AES on the CPU's AES instructions (x86 AES-NI in the hosted
 * build); otherwise — every EFI build, arm64 always — ChaCha20-Poly1305 is,
 * several times faster in software.  The verbose handshake line says which
 * order was offered and which implementations protect the records.
 *
 * What is checked (each refusal has its own WB_ETLS* code and a one-line
 * detail naming the check and the certificate's subject CN, issuer CN and
 * validity): chain to a trust anchor (BearSSL x509_minimal; extra
 * certificates such as the root are fine), host name against DNS SANs (or CN
 * without SANs) and, for an IPv4 literal, against IP SANs; validity against
 * cfg->now; RSA keys >= 2048 bits; no SHA-1/MD5 signatures; the server
 * certificate's extendedKeyUsage, when it has one, must list serverAuth
 * (or anyExtendedKeyUsage) — a client certificate is never a server's.
 *
 * Non-blocking: the engine is pumped inside every stream call (records move
 * between BearSSL's buffer and the lower stream); the caller polls its event
 * loop as for any stream.  Memory: one plat_malloc of sizeof the context
 * (about 36 KiB with BearSSL's bidirectional buffer), freed by stream_close.
 */
#ifndef WB_TLS_H
#define WB_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "bearssl.h"
#include "core/stream.h"

struct tls_config {
	/* trust anchors; must stay valid while the stream lives */
	const br_x509_trust_anchor *anchors;
	size_t anchor_count;
	/* current Unix time (wallclock_now), or -1 when unknown: every server is
	 * then refused with WB_ETLSNOTIME */
	int64_t now;
	/* optional client certificate: chain (leaf first) and exactly one key */
	const br_x509_certificate *client_chain;
	size_t client_chain_len;
	const br_rsa_private_key *client_rsa;
	const br_ec_private_key *client_ec;
	/* optional seeded DRBG to draw the 32-byte engine seed from (see
	 * tls_rng_init); NULL: wb_entropy() per connection */
	br_hmac_drbg_context *rng;
	/* optional: called with the one-line detail of a refusal (always) and with
	 * progress lines when @verbose; never given key material */
	void (*log)(void *arg, const char *line);
	void *log_arg;
	int verbose;
	/* nonzero: act as on a CPU without AES instructions (BearSSL's software
	 * AES-GCM, ChaCha20-Poly1305 offered first) — for tests and benchmarks;
	 * 0: as the CPU is */
	int no_aes_hw;
};

/**
 * Start a TLS client on @lower (which may still be connecting).  On success
 * *@out is a new stream that owns @lower (closing it closes @lower); on error
 * @lower is closed too, so the caller never has to.  @server_name (copied) is
 * the host name for SNI and the certificate check; an IPv4 literal is checked
 * against IP SANs.  @cfg is copied; what it points to is not.
 * @return 0, -WB_EINVAL, -WB_ENOMEM, -WB_ENOENTROPY, -WB_EENTROPYHEALTH.
 */
int tls_wrap(struct stream *lower, const char *server_name, const struct tls_config *cfg,
	     struct stream **out);

/**
 * The one-line reason a TLS stream failed (the detail given to cfg->log), or
 * wb_strerror() of its error; for a non-TLS stream, wb_strerror().  Always
 * NUL-terminates @buf (@cap > 0).  @return @buf.
 */
char *tls_strerror_detail(const struct stream *s, char *buf, size_t cap);

/** 1 when @s is a TLS stream from tls_wrap(). */
int tls_is_tls(const struct stream *s);

/** The negotiated cipher suite's name, or NULL before the handshake is done. */
const char *tls_cipher_name(const struct stream *s);

/** Seed @rng (caller-allocated) from wb_entropy().  0, -WB_ENOENTROPY or -WB_EENTROPYHEALTH. */
int tls_rng_init(br_hmac_drbg_context *rng);

/* ---- trust anchors built at run time (wireboot fetch --trust) ---- */

/** A growing set of anchors; every byte owned (plat_malloc). Zero-initialise. */
struct tls_anchors {
	br_x509_trust_anchor *ta;
	size_t count, cap;
};

/**
 * Add the certificate @der as a trust anchor (its subject DN and public key;
 * flagged CA when its basicConstraints say so).  @return 0, -WB_EX509BAD,
 * -WB_ENOMEM.
 */
int tls_anchors_from_der(struct tls_anchors *a, const void *der, size_t len);
/** Add every CERTIFICATE block of @pem.  @return count added (> 0), -WB_EPEM, … */
int tls_anchors_from_pem(struct tls_anchors *a, const char *pem, size_t len);
/** Add a deep copy of @ta (e.g. the built-in ones, to merge with --trust ones). */
int tls_anchors_add(struct tls_anchors *a, const br_x509_trust_anchor *ta);
/** Free everything; @a is zeroed. */
void tls_anchors_free(struct tls_anchors *a);

/* One run of tls_aead_bench: the record implementations and the time each took. */
struct tls_aead_bench {
	size_t bytes;                /* decrypted with each suite */
	char chacha_impl[48];        /* "ChaCha20 ct, Poly1305 ctmulq" */
	char gcm_impl[48];           /* "AES ct64, GHASH ctmul64" */
	uint64_t chacha_ms, gcm_ms;
};

/**
 * Time the record crypto alone: decrypt and authenticate @bytes (rounded up to
 * whole 16 KiB records, the TLS maximum) with ChaCha20-Poly1305 and with
 * AES-128-GCM, using the implementations a tls_wrap stream would use on this
 * CPU (@no_aes_hw as in struct tls_config).  The ceiling each suite puts on an
 * HTTPS download, without the network.  Returns 0, -WB_EINVAL (@bytes 0) or
 * -WB_ENOMEM; allocates about 40 KiB for the call.
 */
int tls_aead_bench(size_t bytes, int no_aes_hw, struct tls_aead_bench *r);

#endif
