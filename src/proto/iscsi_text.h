/*
 * iscsi_text.h — iSCSI text key=value data and operational-key negotiation,
 * sans-I/O (RFC 7143 §6, §13).
 *
 * Text data (the data segment of Login and Text PDUs, reassembled by the
 * caller across PDUs with the C bit) is a sequence of "key=value" strings,
 * each followed by one NUL (RFC 7143 §6.1).  Keys: 1..63 bytes of
 * letters, digits and . - + @ _ (vendor keys X- or X#...).  Values: up to
 * ISCSI_TEXT_VALUE_MAX bytes (the 8192-byte key=value data every
 * implementation must accept, §6.1), printable ASCII or UTF-8, no NUL.
 *
 * Encodings of numbers and binary values (§6.1): decimal-constant (no
 * leading zeros), hex-constant "0x"/"0X" + hex digits, base64-constant
 * "0b"/"0B" + RFC 4648 base64.
 *
 * Nothing here allocates; every buffer is the caller's.
 */
#ifndef WB_ISCSI_TEXT_H
#define WB_ISCSI_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define ISCSI_TEXT_KEY_MAX   63
#define ISCSI_TEXT_VALUE_MAX 8192

/* ---- parser ---- */

/** Cursor over a text data segment (set it up with iscsi_text_iter_init). */
struct iscsi_text_iter {
	const uint8_t *p;
	size_t len, off;
};

void iscsi_text_iter_init(struct iscsi_text_iter *it, const uint8_t *data, size_t len);

/**
 * Next pair.  On 1: *@key points at the key (*@klen bytes, not terminated:
 * '=' follows it), *@value at the NUL-terminated value (*@vlen bytes), both
 * into the caller's data.  Empty strings between NULs (padding some
 * targets send) are skipped.  Returns 1, 0 at the end, or -WB_EISCSITEXT
 * (no '=', bad key character, control character in the value, last pair
 * without its NUL) / -WB_EISCSITEXTLONG (key > 63 bytes, value > 8192).
 * After an error the iterator stays at the bad pair.  Pure.
 */
int iscsi_text_next(struct iscsi_text_iter *it, const char **key, size_t *klen,
		    const char **value, size_t *vlen);

/** 1 if the key at @key (@klen bytes) is exactly @name. */
int iscsi_text_key_is(const char *key, size_t klen, const char *name);

/**
 * Parse a numerical value (§6.1: decimal, 0x hex, 0b base64; < 2^64).
 * Returns 0 or -WB_EBADVAL (syntax, leading zeros in decimal, overflow).
 */
int iscsi_text_parse_number(const char *s, uint64_t *out);

/**
 * Decode a binary value ("0x" hex — an odd digit count has an implied
 * leading 0 nibble — or "0b" base64 with '=' padding) into @out (@cap
 * bytes).  Returns the byte length, -WB_EBADVAL on bad syntax or an empty
 * value, -WB_ETOOBIG if it does not fit.  Pure.
 */
int iscsi_text_decode_binary(const char *s, uint8_t *out, size_t cap);

/**
 * Encode @len bytes as "0x" + lowercase hex into @out (@cap bytes,
 * NUL-terminated).  Returns the string length or -WB_ETOOBIG.
 */
int iscsi_text_encode_hex(const uint8_t *in, size_t len, char *out, size_t cap);

/* ---- builder ---- */

/** Output buffer for key=value pairs (the caller's memory). */
struct iscsi_text_buf {
	uint8_t *buf;
	size_t cap, len;
};

void iscsi_text_buf_init(struct iscsi_text_buf *b, uint8_t *buf, size_t cap);
/**
 * Append "key=value\0".  The key and value are checked against the same
 * rules as the parser (-WB_EINVAL, -WB_EISCSITEXTLONG); -WB_ETOOBIG when
 * it does not fit, in which case nothing is appended.
 */
int iscsi_text_add(struct iscsi_text_buf *b, const char *key, const char *value);
/** Append "key=<decimal>\0". */
int iscsi_text_add_uint(struct iscsi_text_buf *b, const char *key, uint64_t v);

/* ---- negotiation (RFC 7143 §6.2, §13) ---- */

enum iscsi_neg {
	ISCSI_NEG_OK = 0,            /* result holds the negotiated value (send it when answering) */
	ISCSI_NEG_DECLARED,          /* declarative key: result = their value, nothing to answer */
	ISCSI_NEG_REJECT,            /* result = "Reject": unacceptable value or no common value */
	ISCSI_NEG_NOTUNDERSTOOD,     /* result = "NotUnderstood": a key we do not know */
	ISCSI_NEG_IRRELEVANT,        /* they said "Irrelevant", or result = "Irrelevant" */
	ISCSI_NEG_THEY_REJECTED,     /* they answered "Reject": keep the default (§6.2) */
	ISCSI_NEG_THEY_NOTUNDERSTOOD /* they answered "NotUnderstood" */
};

/**
 * Negotiate one key.  @ours is our value for @key (a list in preference
 * order for list keys, "Yes"/"No", a number; ignored for declarative keys),
 * @theirs the value the target sent.  Works in both directions:
 *   - the target proposed @theirs: *@result is what we answer;
 *   - we proposed @ours and @theirs is the target's answer: *@result is
 *     what the answer must be, see iscsi_negotiate_check().
 * Rules: list keys (HeaderDigest, DataDigest, AuthMethod) — the first of
 * the proposer's values we also have, else Reject; Boolean AND
 * (ImmediateData, IFMarker, OFMarker) and OR (InitialR2T, DataPDUInOrder,
 * DataSequenceInOrder); numerical minimum (MaxBurstLength,
 * FirstBurstLength, MaxOutstandingR2T, ErrorRecoveryLevel, MaxConnections,
 * DefaultTime2Retain) and maximum (DefaultTime2Wait); declarative keys
 * (MaxRecvDataSegmentLength, TargetAlias, TargetAddress,
 * TargetPortalGroupTag, names); a value outside the key's range or of the
 * wrong syntax gets Reject; an unknown key NotUnderstood.
 * Returns an enum iscsi_neg (>= 0) or -WB_ETOOBIG when @cap is short.
 * Cross-key rules (FirstBurstLength <= MaxBurstLength; FirstBurstLength
 * Irrelevant when InitialR2T=Yes and ImmediateData=No) belong to the
 * caller, which sees all keys.  Pure.
 */
int iscsi_negotiate(const char *key, const char *ours, const char *theirs, char *result, size_t cap);

/**
 * Check the target's answer @answer to our offer @offered for @key.
 * Returns 0 when it is one the rules allow (or a declarative value in
 * range), ISCSI_NEG_THEY_REJECTED / _THEY_NOTUNDERSTOOD / _IRRELEVANT
 * (> 0) for those answers, -WB_EISCSINEG when the target picked a value we
 * did not offer or one the rules cannot produce (e.g. ImmediateData=Yes
 * after we offered No, MaxBurstLength above our offer).
 */
int iscsi_negotiate_check(const char *key, const char *offered, const char *answer);

#endif
