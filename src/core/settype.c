/*
 * settype.c — setting types (see settype.h).  Formats follow ipxe.org/cfgtype:
 * hex is "aa:bb", hexhyp "aa-bb", hexraw "aabb", uuid 8-4-4-4-12, uintN as
 * 0x-hex, intN as signed decimal, uristring percent-encodes everything but
 * RFC 3986 unreserved characters, base64 is RFC 4648 §4 with padding.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settype.h"
#include "core/util.h"

static const char *const settype_names[] = {
	"string", "ipv4", "int8", "int16", "int32", "uint8", "uint16", "uint32",
	"hex", "hexhyp", "hexraw", "uuid", "base64", "uristring",
};

int settype_known(const char *name)
{
	for (size_t i = 0; i < WB_ARRAY_SIZE(settype_names); i++)
		if (!strcmp(settype_names[i], name))
			return 1;
	return 0;
}

/* bits of an intN/uintN type, 0 if not one; *is_signed set */
static int settype_int_bits(const char *t, int *is_signed)
{
	*is_signed = t[0] == 'i';
	if (!strncmp(t, "uint", 4))
		t += 4;
	else if (!strncmp(t, "int", 3))
		t += 3;
	else
		return 0;
	if (!strcmp(t, "8"))
		return 8;
	if (!strcmp(t, "16"))
		return 16;
	if (!strcmp(t, "32"))
		return 32;
	return 0;
}

/* Hex bytes with optional separators ':' or '-' (or none): "aa:bb", "aabb". */
static int parse_hex_bytes(const char *s, uint8_t *raw, size_t cap, size_t *len)
{
	size_t n = 0;

	while (*s) {
		int hi = wb_hexval(s[0]), lo = hi >= 0 ? wb_hexval(s[1]) : -1;

		if (hi < 0 || lo < 0)
			return -WB_EBADVAL;
		if (n == cap)
			return -WB_ETOOBIG;
		raw[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (*s == ':' || *s == '-') {
			s++;
			if (!*s)
				return -WB_EBADVAL;
		}
	}
	*len = n;
	return 0;
}

static int parse_uuid(const char *s, uint8_t raw[16])
{
	size_t n = 0;

	for (int i = 0; s[i]; ) {
		if (s[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23)) {
			i++;
			continue;
		}
		int hi = wb_hexval(s[i]), lo = hi >= 0 ? wb_hexval(s[i + 1]) : -1;

		if (hi < 0 || lo < 0 || n == 16)
			return -WB_EBADVAL;
		raw[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return n == 16 ? 0 : -WB_EBADVAL;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int parse_base64(const char *s, uint8_t *raw, size_t cap, size_t *len)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	size_t n = 0;

	for (; *s; s++) {
		const char *p;

		if (*s == '=') {
			pad++;
			continue;
		}
		if (pad)
			return -WB_EBADVAL;    /* data after padding */
		p = strchr(b64, *s);
		if (!p || !*s)
			return -WB_EBADVAL;
		acc = acc << 6 | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -WB_ETOOBIG;
			raw[n++] = (uint8_t)(acc >> bits);
		}
	}
	if (pad > 2)
		return -WB_EBADVAL;
	*len = n;
	return 0;
}

int settype_raw(const char *type, const char *canon, uint8_t *raw, size_t cap, size_t *len)
{
	int sgn, bits = settype_int_bits(type, &sgn);

	if (!strcmp(type, "ipv4")) {
		if (cap < 4 || wb_parse_ipv4(canon, raw))
			return -WB_EBADVAL;
		*len = 4;
		return 0;
	}
	if (!strcmp(type, "hex") || !strcmp(type, "hexhyp") || !strcmp(type, "hexraw"))
		return parse_hex_bytes(canon, raw, cap, len);
	if (!strcmp(type, "uuid")) {
		if (cap < 16)
			return -WB_ETOOBIG;
		*len = 16;
		return parse_uuid(canon, raw);
	}
	if (!strcmp(type, "base64"))
		return parse_base64(canon, raw, cap, len);
	if (bits) {
		/* canonical ints: decimal (intN, may be negative) or 0x-hex (uintN) */
		unsigned long long u;
		long long v;
		const char *s = canon;
		int neg = sgn && *s == '-';

		if (neg)
			s++;
		if (wb_parse_uint(s, 0xffffffffull, &u))
			return -WB_EBADVAL;
		v = neg ? -(long long)u : (long long)u;
		if ((size_t)bits / 8 > cap)
			return -WB_ETOOBIG;
		for (int i = 0; i < bits / 8; i++)
			raw[i] = (uint8_t)((unsigned long long)v >> (bits - 8 - 8 * i));
		*len = (size_t)bits / 8;
		return 0;
	}
	/* string, uristring and anything else: the bytes themselves */
	{
		size_t n = strlen(canon);

		if (n > cap)
			return -WB_ETOOBIG;
		memcpy(raw, canon, n);
		*len = n;
		return 0;
	}
}

struct obuf {
	char *p;
	size_t len, cap;
	int over;
};

static void ob_putc(struct obuf *o, char c)
{
	if (o->len + 1 >= o->cap) {
		o->over = 1;
		return;
	}
	o->p[o->len++] = c;
	o->p[o->len] = '\0';
}

static void ob_hex(struct obuf *o, uint8_t b)
{
	static const char d[] = "0123456789abcdef";

	ob_putc(o, d[b >> 4]);
	ob_putc(o, d[b & 15]);
}

int settype_format(const char *type, const uint8_t *raw, size_t len, char *out, size_t cap)
{
	struct obuf o = { out, 0, cap, 0 };
	int sgn, bits = settype_int_bits(type, &sgn);

	if (!cap)
		return -WB_ETOOBIG;
	out[0] = '\0';
	if (!strcmp(type, "ipv4")) {
		if (len != 4)
			return -WB_EBADVAL;
		if (cap < 16)
			return -WB_ETOOBIG;
		wb_fmt_ipv4(raw, out);
		return 0;
	}
	if (!strcmp(type, "hex") || !strcmp(type, "hexhyp") || !strcmp(type, "hexraw")) {
		char sep = type[3] == 'h' ? '-' : type[3] == 'r' ? 0 : ':';

		for (size_t i = 0; i < len; i++) {
			if (i && sep)
				ob_putc(&o, sep);
			ob_hex(&o, raw[i]);
		}
	} else if (!strcmp(type, "uuid")) {
		if (len != 16)
			return -WB_EBADVAL;
		for (size_t i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				ob_putc(&o, '-');
			ob_hex(&o, raw[i]);
		}
	} else if (!strcmp(type, "base64")) {
		for (size_t i = 0; i < len; i += 3) {
			uint32_t v = (uint32_t)raw[i] << 16 | (i + 1 < len ? (uint32_t)raw[i + 1] << 8 : 0) |
				     (i + 2 < len ? raw[i + 2] : 0);

			ob_putc(&o, b64[v >> 18 & 63]);
			ob_putc(&o, b64[v >> 12 & 63]);
			ob_putc(&o, i + 1 < len ? b64[v >> 6 & 63] : '=');
			ob_putc(&o, i + 2 < len ? b64[v & 63] : '=');
		}
	} else if (!strcmp(type, "uristring")) {
		for (size_t i = 0; i < len; i++) {
			uint8_t c = raw[i];

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '.' || c == '_' || c == '~') {
				ob_putc(&o, (char)c);
			} else {
				static const char d[] = "0123456789ABCDEF";

				ob_putc(&o, '%');
				ob_putc(&o, d[c >> 4]);
				ob_putc(&o, d[c & 15]);
			}
		}
	} else if (bits) {
		unsigned long long v = 0;
		char num[24];

		if (len > 8)
			return -WB_EBADVAL;
		for (size_t i = 0; i < len; i++)
			v = v << 8 | raw[i];
		if (sgn) {
			long long sv;

			/* sign-extend from the stored width (iPXE numeric settings) */
			if (len && len < 8 && (raw[0] & 0x80))
				v |= ~0ULL << (8 * len);
			sv = (long long)v;
			wb_snprintf(num, sizeof(num), "%lld", sv);
		} else {
			wb_snprintf(num, sizeof(num), "0x%llx", v);
		}
		for (char *p = num; *p; p++)
			ob_putc(&o, *p);
	} else {   /* string */
		for (size_t i = 0; i < len; i++)
			ob_putc(&o, raw[i] ? (char)raw[i] : '.');
	}
	return o.over ? -WB_ETOOBIG : 0;
}

int settype_parse(const char *type, const char *input, char *canon, size_t cap)
{
	uint8_t raw[SETTYPE_RAW_MAX];
	size_t len;
	int sgn, bits = settype_int_bits(type, &sgn);
	int rc;

	if (bits) {
		/* a number in the type's range, stored as the type prints it */
		unsigned long long u;
		const char *s = input;
		int neg = *s == '-';

		if (neg) {
			if (!sgn)
				return -WB_EBADVAL;
			s++;
		}
		if (wb_parse_uint(s, sgn ? (1ull << (bits - 1)) - (neg ? 0 : 1)
					 : (bits == 32 ? 0xffffffffull : (1ull << bits) - 1), &u))
			return -WB_EBADVAL;
		if (sgn)
			wb_snprintf(canon, cap, "%s%llu", neg && u ? "-" : "", u);
		else
			wb_snprintf(canon, cap, "0x%llx", u);
		return 0;
	}
	if (!strcmp(type, "string") || !strcmp(type, "uristring")) {
		if (wb_strlcpy(canon, input, cap) >= cap)
			return -WB_ETOOBIG;
		return 0;
	}
	rc = settype_raw(type, input, raw, sizeof(raw), &len);
	if (rc)
		return rc;
	return settype_format(type, raw, len, canon, cap);
}

int settype_convert(const char *from, const char *canon, const char *to, char *out, size_t cap)
{
	uint8_t raw[SETTYPE_RAW_MAX];
	size_t len;
	int rc = settype_raw(from, canon, raw, sizeof(raw), &len);

	return rc ? rc : settype_format(to, raw, len, out, cap);
}
