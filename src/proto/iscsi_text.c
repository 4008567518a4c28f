/*
 * iscsi_text.c — key=value text, number/binary encodings, negotiation
 * (see iscsi_text.h).
 *
 * How this works: the parser walks NUL-terminated strings in place and
 * never copies; the builder appends whole pairs or nothing.  Negotiation
 * looks the key up in one table (RFC 7143 §13: its kind and its range) and
 * applies that kind's rule from §6.2.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "proto/iscsi_text.h"

/* RFC 7143 §6.1: key names are letters, digits and . - + @ _ (and # in X# keys) */
static int key_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '+' || c == '@' || c == '_' || c == '#';
}

/* values: any byte but NUL and ASCII control characters (UTF-8 names allowed) */
static int value_char_ok(unsigned char c)
{
	return c >= 0x20 && c != 0x7f;
}

static int check_key(const char *k, size_t n)
{
	if (n == 0)
		return -WB_EISCSITEXT;
	if (n > ISCSI_TEXT_KEY_MAX)
		return -WB_EISCSITEXTLONG;
	for (size_t i = 0; i < n; i++)
		if (!key_char_ok((unsigned char)k[i]))
			return -WB_EISCSITEXT;
	return 0;
}

static int check_value(const char *v, size_t n)
{
	if (n > ISCSI_TEXT_VALUE_MAX)
		return -WB_EISCSITEXTLONG;
	for (size_t i = 0; i < n; i++)
		if (!value_char_ok((unsigned char)v[i]))
			return -WB_EISCSITEXT;
	return 0;
}

void iscsi_text_iter_init(struct iscsi_text_iter *it, const uint8_t *data, size_t len)
{
	it->p = data;
	it->len = len;
	it->off = 0;
}

int iscsi_text_next(struct iscsi_text_iter *it, const char **key, size_t *klen,
		    const char **value, size_t *vlen)
{
	const char *s;
	const uint8_t *nul, *eq;
	size_t n;
	int rc;

	while (it->off < it->len && it->p[it->off] == 0)
		it->off++;
	if (it->off >= it->len)
		return 0;
	s = (const char *)it->p + it->off;
	nul = memchr(s, 0, it->len - it->off);
	if (!nul)
		return -WB_EISCSITEXT; /* every pair, the last too, ends in NUL (§6.1) */
	n = (size_t)(nul - (const uint8_t *)s);
	eq = memchr(s, '=', n);
	if (!eq)
		return -WB_EISCSITEXT;
	rc = check_key(s, (size_t)(eq - (const uint8_t *)s));
	if (rc < 0)
		return rc;
	rc = check_value((const char *)eq + 1, (size_t)(nul - eq - 1));
	if (rc < 0)
		return rc;
	*key = s;
	*klen = (size_t)(eq - (const uint8_t *)s);
	*value = (const char *)eq + 1;
	*vlen = (size_t)(nul - eq - 1);
	it->off += n + 1;
	return 1;
}

int iscsi_text_key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(key, name, klen) == 0;
}

/* RFC 4648 base64 alphabet value, or -1 */
static int b64val(char c)
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

/* strict base64: length a multiple of 4, '=' only as the last one or two */
static int b64_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s), o = 0;

	if (n == 0 || n % 4)
		return -WB_EBADVAL;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;

		for (int k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else {
				if (pad)
					return -WB_EBADVAL; /* data after '=' */
				v[k] = b64val(s[i + k]);
				if (v[k] < 0)
					return -WB_EBADVAL;
			}
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		int bytes = 3 - pad;
		if ((size_t)bytes > cap - o || o > cap)
			return -WB_ETOOBIG;
		for (int k = 0; k < bytes; k++)
			out[o++] = (uint8_t)(w >> (16 - 8 * k));
	}
	return (int)o;
}

int iscsi_text_decode_binary(const char *s, uint8_t *out, size_t cap)
{
	size_t n, o = 0, i;

	if (s[0] != '0' || !s[1])
		return -WB_EBADVAL;
	if (s[1] == 'b' || s[1] == 'B') {
		if (strlen(s + 2) > ISCSI_TEXT_VALUE_MAX)
			return -WB_ETOOBIG;
		return b64_decode(s + 2, out, cap);
	}
	if (s[1] != 'x' && s[1] != 'X')
		return -WB_EBADVAL;
	s += 2;
	n = strlen(s);
	if (n == 0)
		return -WB_EBADVAL;
	if ((n + 1) / 2 > cap)
		return -WB_ETOOBIG;
	i = 0;
	if (n % 2) { /* odd: implied leading zero nibble (§6.1 hex-constant byte-length) */
		int lo = wb_hexval(s[0]);

		if (lo < 0)
			return -WB_EBADVAL;
		out[o++] = (uint8_t)lo;
		i = 1;
	}
	for (; i < n; i += 2) {
		int hi = wb_hexval(s[i]), lo = wb_hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -WB_EBADVAL;
		out[o++] = (uint8_t)(hi << 4 | lo);
	}
	return (int)o;
}

int iscsi_text_encode_hex(const uint8_t *in, size_t len, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";

	if (cap < 3 || (cap - 3) / 2 < len)
		return -WB_ETOOBIG;
	out[0] = '0';
	out[1] = 'x';
	for (size_t i = 0; i < len; i++) {
		out[2 + 2 * i] = hex[in[i] >> 4];
		out[3 + 2 * i] = hex[in[i] & 15];
	}
	out[2 + 2 * len] = 0;
	return (int)(2 + 2 * len);
}

int iscsi_text_parse_number(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s[0])
		return -WB_EBADVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'b' || s[1] == 'B')) {
		uint8_t b[9];
		int n = iscsi_text_decode_binary(s, b, sizeof(b));

		if (n < 0)
			return -WB_EBADVAL;
		for (int i = 0; i < n; i++) {
			if (v >> 56)
				return -WB_EBADVAL; /* 2^64 or more */
			v = v << 8 | b[i];
		}
		*out = v;
		return 0;
	}
	if (s[0] == '0' && s[1])
		return -WB_EBADVAL; /* decimal-constant: no leading zeros */
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -WB_EBADVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -WB_EBADVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

void iscsi_text_buf_init(struct iscsi_text_buf *b, uint8_t *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
}

int iscsi_text_add(struct iscsi_text_buf *b, const char *key, const char *value)
{
	size_t kl = strlen(key), vl = strlen(value);
	int rc = check_key(key, kl);

	if (rc == -WB_EISCSITEXT)
		return -WB_EINVAL;
	if (rc < 0)
		return rc;
	rc = check_value(value, vl);
	if (rc == -WB_EISCSITEXT)
		return -WB_EINVAL;
	if (rc < 0)
		return rc;
	if (b->len > b->cap || kl + vl + 2 > b->cap - b->len)
		return -WB_ETOOBIG;
	memcpy(b->buf + b->len, key, kl);
	b->buf[b->len + kl] = '=';
	memcpy(b->buf + b->len + kl + 1, value, vl);
	b->buf[b->len + kl + 1 + vl] = 0;
	b->len += kl + vl + 2;
	return 0;
}

int iscsi_text_add_uint(struct iscsi_text_buf *b, const char *key, uint64_t v)
{
	char num[24];

	wb_snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return iscsi_text_add(b, key, num);
}

/* ---- negotiation ---- */

enum kind { K_LIST, K_AND, K_OR, K_MIN, K_MAX, K_DECL_NUM, K_DECL };

struct keydef {
	const char *name;
	uint8_t kind;
	uint32_t lo, hi;
};

/* RFC 7143 §13 (ranges from each key's definition) */
static const struct keydef keydefs[] = {
	{ "HeaderDigest", K_LIST, 0, 0 },                    /* §13.1 */
	{ "DataDigest", K_LIST, 0, 0 },                      /* §13.1 */
	{ "AuthMethod", K_LIST, 0, 0 },                      /* §12.1 */
	{ "MaxConnections", K_MIN, 1, 65535 },               /* §13.2 */
	{ "InitialR2T", K_OR, 0, 0 },                        /* §13.10 */
	{ "ImmediateData", K_AND, 0, 0 },                    /* §13.11 */
	{ "MaxRecvDataSegmentLength", K_DECL_NUM, 512, 16777215 }, /* §13.12 */
	{ "MaxBurstLength", K_MIN, 512, 16777215 },          /* §13.13 */
	{ "FirstBurstLength", K_MIN, 512, 16777215 },        /* §13.14 */
	{ "DefaultTime2Wait", K_MAX, 0, 3600 },              /* §13.15 */
	{ "DefaultTime2Retain", K_MIN, 0, 3600 },            /* §13.16 */
	{ "MaxOutstandingR2T", K_MIN, 1, 65535 },            /* §13.17 */
	{ "DataPDUInOrder", K_OR, 0, 0 },                    /* §13.18 */
	{ "DataSequenceInOrder", K_OR, 0, 0 },               /* §13.19 */
	{ "ErrorRecoveryLevel", K_MIN, 0, 2 },               /* §13.20 */
	{ "IFMarker", K_AND, 0, 0 },                         /* RFC 3720 §A.3.1 */
	{ "OFMarker", K_AND, 0, 0 },
	{ "TargetPortalGroupTag", K_DECL_NUM, 0, 65535 },    /* §13.9 */
	{ "TargetName", K_DECL, 0, 0 },                      /* §13.4 */
	{ "InitiatorName", K_DECL, 0, 0 },                   /* §13.5 */
	{ "TargetAlias", K_DECL, 0, 0 },                     /* §13.6 */
	{ "InitiatorAlias", K_DECL, 0, 0 },                  /* §13.7 */
	{ "TargetAddress", K_DECL, 0, 0 },                   /* §13.8 */
	{ "SessionType", K_DECL, 0, 0 },                     /* §13.21 */
};

static const struct keydef *keydef_find(const char *key)
{
	for (size_t i = 0; i < WB_ARRAY_SIZE(keydefs); i++)
		if (!strcmp(keydefs[i].name, key))
			return &keydefs[i];
	return NULL;
}

static int put(char *result, size_t cap, const char *s, int status)
{
	if (strlen(s) >= cap)
		return -WB_ETOOBIG;
	wb_strlcpy(result, s, cap);
	return status;
}

/* is the @n-byte item @item one of the comma-separated values in @list? */
static int list_has(const char *list, const char *item, size_t n)
{
	const char *p = list;

	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !memcmp(p, item, n))
			return 1;
		if (!e)
			return 0;
		p = e + 1;
	}
}

static int parse_bool(const char *s)
{
	if (!strcmp(s, "Yes"))
		return 1;
	if (!strcmp(s, "No"))
		return 0;
	return -1;
}

int iscsi_negotiate(const char *key, const char *ours, const char *theirs, char *result, size_t cap)
{
	const struct keydef *k = keydef_find(key);
	uint64_t a, b, r;
	int x, y;
	char num[24];

	if (!strcmp(theirs, "Reject"))
		return put(result, cap, "", ISCSI_NEG_THEY_REJECTED);
	if (!strcmp(theirs, "NotUnderstood"))
		return put(result, cap, "", ISCSI_NEG_THEY_NOTUNDERSTOOD);
	if (!strcmp(theirs, "Irrelevant"))
		return put(result, cap, "", ISCSI_NEG_IRRELEVANT);
	if (!k)
		return put(result, cap, "NotUnderstood", ISCSI_NEG_NOTUNDERSTOOD);
	if (check_value(theirs, strlen(theirs)) < 0)
		return put(result, cap, "Reject", ISCSI_NEG_REJECT);
	switch (k->kind) {
	case K_LIST: {
		/* §6.2.1: the first value of the proposer's list the responder supports */
		const char *p = theirs;

		for (;;) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);

			if (len && list_has(ours, p, len)) {
				if (len >= cap)
					return -WB_ETOOBIG;
				memcpy(result, p, len);
				result[len] = 0;
				return ISCSI_NEG_OK;
			}
			if (!e)
				break;
			p = e + 1;
		}
		return put(result, cap, "Reject", ISCSI_NEG_REJECT);
	}
	case K_AND:
	case K_OR:
		/* §6.2.2: Boolean AND / OR */
		x = parse_bool(ours);
		y = parse_bool(theirs);
		if (y < 0 || x < 0)
			return put(result, cap, "Reject", ISCSI_NEG_REJECT);
		r = k->kind == K_AND ? (x && y) : (x || y);
		return put(result, cap, r ? "Yes" : "No", ISCSI_NEG_OK);
	case K_MIN:
	case K_MAX:
		/* §6.2.2: numerical minimum / maximum, within the key's range */
		if (iscsi_text_parse_number(theirs, &b) < 0 || b < k->lo || b > k->hi)
			return put(result, cap, "Reject", ISCSI_NEG_REJECT);
		if (iscsi_text_parse_number(ours, &a) < 0 || a < k->lo || a > k->hi)
			return put(result, cap, "Reject", ISCSI_NEG_REJECT);
		r = k->kind == K_MIN ? (a < b ? a : b) : (a > b ? a : b);
		wb_snprintf(num, sizeof(num), "%llu", (unsigned long long)r);
		return put(result, cap, num, ISCSI_NEG_OK);
	case K_DECL_NUM:
		if (iscsi_text_parse_number(theirs, &b) < 0 || b < k->lo || b > k->hi)
			return put(result, cap, "Reject", ISCSI_NEG_REJECT);
		wb_snprintf(num, sizeof(num), "%llu", (unsigned long long)b);
		return put(result, cap, num, ISCSI_NEG_DECLARED);
	default:
		return put(result, cap, theirs, ISCSI_NEG_DECLARED);
	}
}

int iscsi_negotiate_check(const char *key, const char *offered, const char *answer)
{
	char want[64];
	const struct keydef *k = keydef_find(key);
	int rc = iscsi_negotiate(key, offered, answer, want, sizeof(want));

	if (rc == -WB_ETOOBIG && k && k->kind == K_DECL)
		return 0; /* a long declarative value (TargetAlias) is fine */
	if (rc < 0)
		return rc;
	switch (rc) {
	case ISCSI_NEG_THEY_REJECTED:
	case ISCSI_NEG_THEY_NOTUNDERSTOOD:
	case ISCSI_NEG_IRRELEVANT:
		return rc;
	case ISCSI_NEG_DECLARED:
		return 0;
	case ISCSI_NEG_OK:
		/* an answer is one value; it must be what the rule yields */
		if (k && k->kind == K_LIST && strchr(answer, ','))
			return -WB_EISCSINEG;
		if (k && (k->kind == K_MIN || k->kind == K_MAX)) {
			uint64_t a, w;

			if (iscsi_text_parse_number(answer, &a) < 0 || iscsi_text_parse_number(want, &w) < 0 || a != w)
				return -WB_EISCSINEG;
			return 0;
		}
		return strcmp(want, answer) ? -WB_EISCSINEG : 0;
	default:
		return -WB_EISCSINEG;
	}
}
