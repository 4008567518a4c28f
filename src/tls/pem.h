/*
 * pem.h — PEM (RFC 7468) to DER.  Pure: no allocation, no I/O; every read is
 * bounds-checked against the caller's lengths, so it may be fed anything
 * (tests/fuzz/fuzz_pem.c).
 *
 *   size_t pos = 0;
 *   struct pem_block b;
 *   while ((rc = pem_next(text, len, &pos, &b, der, cap)) > 0)
 *           use(b.label, der, b.der_len);
 *
 * Text outside BEGIN/END lines is ignored (comments, openssl's "Bag
 * Attributes").  Encapsulated headers (RFC 1421 "Proc-Type: 4,ENCRYPTED")
 * are refused: wireboot cannot decrypt keys.
 */
#ifndef WB_PEM_H
#define WB_PEM_H

#include <stddef.h>
#include <stdint.h>

#define PEM_LABEL_MAX 64

struct pem_block {
	char label[PEM_LABEL_MAX];   /* e.g. "CERTIFICATE", NUL-terminated */
	size_t der_len;              /* bytes written to the caller's buffer */
};

/**
 * Find the next PEM block in @text[0..@len) starting at *@pos and decode it
 * into @der (@cap bytes; @len bytes always suffice).  On return *@pos is just
 * past the END line.
 * @return 1 for a block, 0 when no further block exists, -WB_EPEM for a
 * malformed block (bad base64, END label mismatch, missing END, headers),
 * -WB_ETOOBIG when @cap is too small.
 */
int pem_next(const char *text, size_t len, size_t *pos, struct pem_block *blk,
	     uint8_t *der, size_t cap);

/**
 * Decode base64 (RFC 4648, whitespace ignored, '=' padding only at the end).
 * @return decoded length, -WB_EPEM if malformed, -WB_ETOOBIG if over @cap.
 */
int pem_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

#endif
