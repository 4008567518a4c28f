/*
 * pem.c — PEM to DER (see pem.h).
 *
 * How it works: find a line "-----BEGIN <label>-----", then the line
 * "-----END <label>-----" with the same label; everything between is
 * base64 (whitespace allowed).  Lines must start at column 0 (RFC 7468 §2
 * lax parsing allows leading text before BEGIN, which we skip).
 */
#include <string.h>

#include "core/err.h"
#include "tls/pem.h"

static const char pem_begin[] = "-----BEGIN ";
static const char pem_end[] = "-----END ";
static const char pem_dashes[] = "-----";

static int pem_b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int pem_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int pem_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	size_t i, n = 0;
	int bits = 0, pad = 0, quad = 0;

	for (i = 0; i < len; i++) {
		char c = in[i];
		int v;

		if (pem_is_space(c))
			continue;
		if (c == '=') {
			pad++;
			quad++;
			if (pad > 2)
				return -WB_EPEM;
			continue;
		}
		if (pad)
			return -WB_EPEM;   /* data after padding */
		v = pem_b64val(c);
		if (v < 0)
			return -WB_EPEM;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		quad++;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -WB_ETOOBIG;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* whole quads only; leftover bits must be zero (canonical encoding) */
	if (quad % 4)
		return -WB_EPEM;
	if (pad && (bits == 0 || (acc & ((1u << bits) - 1))))
		return -WB_EPEM;
	if (!pad && bits)
		return -WB_EPEM;
	return (int)n;
}

/* Offset of the end of the line starting at @i (index of '\n' or @len). */
static size_t pem_eol(const char *t, size_t len, size_t i)
{
	while (i < len && t[i] != '\n')
		i++;
	return i;
}

/* Does the line [i, e) start with @s?  Then the label follows at i+strlen(s). */
static int pem_starts(const char *t, size_t i, size_t e, const char *s)
{
	size_t n = strlen(s);

	return e - i >= n && !memcmp(t + i, s, n);
}

/*
 * Parse "<label>-----" in [i, e) (trailing whitespace allowed) into @label.
 * @return 0 or -WB_EPEM.
 */
static int pem_label(const char *t, size_t i, size_t e, char *label)
{
	size_t n;

	while (e > i && pem_is_space(t[e - 1]))
		e--;
	if (e - i < 5 || memcmp(t + e - 5, pem_dashes, 5))
		return -WB_EPEM;
	n = e - 5 - i;
	if (n >= PEM_LABEL_MAX)
		return -WB_EPEM;
	memcpy(label, t + i, n);
	label[n] = 0;
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)label[k] < 0x20 || (unsigned char)label[k] > 0x7e || label[k] == '-')
			return -WB_EPEM;
	return 0;
}

int pem_next(const char *text, size_t len, size_t *pos, struct pem_block *blk,
	     uint8_t *der, size_t cap)
{
	size_t i = *pos, data, e;
	char endlabel[PEM_LABEL_MAX];
	int rc;

	if (i > len)
		return -WB_EINVAL;
	/* find the BEGIN line */
	for (;;) {
		if (i >= len) {
			*pos = len;
			return 0;
		}
		e = pem_eol(text, len, i);
		if (pem_starts(text, i, e, pem_begin))
			break;
		i = e + 1;
	}
	rc = pem_label(text, i + sizeof(pem_begin) - 1, e, blk->label);
	if (rc)
		return rc;
	data = i = e + 1;
	/* find the END line; base64 lines in between */
	for (;;) {
		if (i >= len)
			return -WB_EPEM;   /* no END line */
		e = pem_eol(text, len, i);
		if (pem_starts(text, i, e, pem_end))
			break;
		if (memchr(text + i, ':', e - i))
			return -WB_EPEM;   /* encapsulated headers (encrypted key) */
		i = e + 1;
	}
	rc = pem_label(text, i + sizeof(pem_end) - 1, e, endlabel);
	if (rc)
		return rc;
	if (strcmp(endlabel, blk->label))
		return -WB_EPEM;
	rc = pem_base64_decode(text + data, i - data, der, cap);
	if (rc < 0)
		return rc;
	blk->der_len = (size_t)rc;
	*pos = e < len ? e + 1 : len;
	return 1;
}
