/*
 * trust.h — what the build put in (TRUST=, CERT=, PRIVKEY=): generated as
 * build/<target>/trust.c by tools/trustconv at build time (and CODESIGN_TRUST=).  Without TRUST=
 * there are no anchors and every HTTPS server is refused.
 */
#ifndef WB_TRUST_H
#define WB_TRUST_H

#include <stddef.h>

#include "bearssl.h"

extern const br_x509_trust_anchor *const tls_builtin_anchors;   /* NULL when none */
extern const size_t tls_builtin_anchor_count;
extern const char *const tls_builtin_anchor_names[];            /* subject CN of each */

/* CODESIGN_TRUST=: anchors for image signatures (imgverify) only; NULL/0 when
 * not given, and imgverify then uses the TRUST= anchors above */
extern const br_x509_trust_anchor *const codesign_builtin_anchors;
extern const size_t codesign_builtin_anchor_count;
extern const char *const codesign_builtin_anchor_names[];

/* CERT= / PRIVKEY=: a client certificate chain and its key (at most one key set) */
extern const br_x509_certificate *const tls_builtin_client_chain;   /* NULL when none */
extern const size_t tls_builtin_client_chain_len;
extern const br_rsa_private_key *const tls_builtin_client_rsa;
extern const br_ec_private_key *const tls_builtin_client_ec;

#endif
