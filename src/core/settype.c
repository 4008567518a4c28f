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
	"hex", "hexhyp", "hexraw", "uuid", "base64", "uristring", "guid", "busdevfn", "ipv6",
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

static int settype_digit(char c)
{
	int v = wb_hexval(c);

	return v < 0 ? 99 : v;
}

/*
 * A number as iPXE's scripts read one (ipxe.org/cfgtype): optional leading
 * white space and sign, then "0x…" hex, "0…" octal or decimal when @base is
 * 0.  Digits accumulate modulo 2^64 (no overflow error: the caller truncates
 * to its width); a '-' negates modulo 2^64.  *end gets the first byte not
 * used.  "0x" alone is 0.
 */
static unsigned long long settype_strtoul(const char *s, int base, const char **end)
{
	unsigned long long v = 0;
	int neg = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!base) {
		base = 10;
		if (*s == '0') {
			s++;
			base = 8;
			if (*s == 'x' || *s == 'X') {
				s++;
				base = 16;
			}
		}
	}
	for (; settype_digit(*s) < base; s++)
		v = v * (unsigned)base + (unsigned)settype_digit(*s);
	*end = s;
	return neg ? 0 - v : v;
}

int settype_parse_number(const char *s, unsigned long long *out)
{
	const char *end;

	*out = settype_strtoul(s, 0, &end);
	return *end ? -WB_EBADVAL : 0;
}

/* iPXE's IPv4 input: four numbers (each read as above, <= 255) joined by '.' */
static int parse_ipv4_input(const char *s, uint8_t raw[4])
{
	for (int i = 0; i < 4; i++) {
		const char *end;
		unsigned long long v = settype_strtoul(s, 0, &end);

		if (end == s || v > 255)
			return -WB_EBADVAL;
		raw[i] = (uint8_t)v;
		if (*end != (i < 3 ? '.' : '\0'))
			return -WB_EBADVAL;
		s = end + 1;
	}
	return 0;
}

/*
 * Hex bytes as typed by a user: two digits per byte; @sep between bytes is
 * required ("hex" ':' , "hexhyp" '-'), absent (hexraw, sep 0) or, with
 * @optional, allowed (uuid: '-').
 */
static int parse_hex_strict(const char *s, char sep, int optional, uint8_t *raw, size_t cap,
			    size_t *len)
{
	size_t n = 0;

	while (*s) {
		int hi, lo;

		if (n && sep) {
			if (*s == sep)
				s++;
			else if (!optional)
				return -WB_EBADVAL;
		}
		hi = wb_hexval(s[0]);
		lo = hi >= 0 ? wb_hexval(s[1]) : -1;
		if (hi < 0 || lo < 0)
			return -WB_EBADVAL;
		if (n == cap)
			return -WB_ETOOBIG;
		raw[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	*len = n;
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
	size_t n;
	int rc = parse_hex_strict(s, '-', 1, raw, 16, &n);

	if (rc == -WB_ETOOBIG)
		return -WB_EBADVAL;
	return rc ? rc : n == 16 ? 0 : -WB_EBADVAL;
}

/* a GUID is a UUID whose first three fields are stored little-endian */
static void guid_swap(uint8_t raw[16])
{
	static const uint8_t order[8] = { 3, 2, 1, 0, 5, 4, 7, 6 };
	uint8_t t[8];

	for (int i = 0; i < 8; i++)
		t[i] = raw[order[i]];
	memcpy(raw, t, 8);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int parse_base64(const char *s, uint8_t *raw, size_t cap, size_t *len)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	size_t n = 0;

	for (; *s; s++) {
		const char *p;

		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
			continue;
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
	/* each '=' stands for 2 bits not sent: a whole number of bytes or refused */
	if (pad > 2 || bits != 2 * pad)
		return -WB_EBADVAL;
	*len = n;
	return 0;
}

/*
 * %XX decoding as iPXE does it: after '%', up to two following characters
 * are read as a hex number (so "%2" is byte 0x02); when none can be read the
 * '%' stays as it is ("%zz" is "%zz").
 */
static int uri_decode(const char *s, uint8_t *raw, size_t cap, size_t *len)
{
	size_t n = 0;

	while (*s) {
		uint8_t c = (uint8_t)*s++;

		if (c == '%') {
			char two[3] = { 0, 0, 0 };
			const char *end;
			unsigned long long v;

			two[0] = s[0];
			if (s[0])
				two[1] = s[1];
			v = settype_strtoul(two, 16, &end);
			if (end != two) {
				s += end - two;
				c = (uint8_t)v;
			}
		}
		if (n == cap)
			return -WB_ETOOBIG;
		raw[n++] = c;
	}
	*len = n;
	return 0;
}

/* RFC 4291 §2.2 text form: eight groups of 1-4 hex digits, one "::" allowed */
static int parse_ipv6(const char *s, uint8_t raw[16])
{
	uint16_t g[8];
	int n = 0, gap = -1, edge = 0;
	size_t slen = strlen(s);

	/* a "::" at either end counts as two empty fields of at most 8 (as iPXE) */
	edge = (s[0] == ':' && s[1] == ':') || (slen >= 2 && s[slen - 1] == ':' && s[slen - 2] == ':');

	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s) {
		unsigned v = 0;
		int d = 0;

		while (d < 5 && wb_hexval(*s) >= 0) {
			v = v << 4 | (unsigned)wb_hexval(*s++);
			d++;
		}
		if (!d || d > 4 || n == 8)
			return -WB_EBADVAL;
		g[n++] = (uint16_t)v;
		if (!*s)
			break;
		if (*s++ != ':')
			return -WB_EBADVAL;
		if (*s == ':') {
			if (gap >= 0)
				return -WB_EBADVAL;
			gap = n;
			s++;
		} else if (!*s) {
			return -WB_EBADVAL;
		}
	}
	if (gap < 0 ? n != 8 : n > (edge ? 6 : 7))
		return -WB_EBADVAL;
	memset(raw, 0, 16);
	for (int i = 0; i < n; i++) {
		int at = gap >= 0 && i >= gap ? 8 - (n - i) : i;

		raw[2 * at] = (uint8_t)(g[i] >> 8);
		raw[2 * at + 1] = (uint8_t)g[i];
	}
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
	if (!strcmp(type, "uuid") || !strcmp(type, "guid")) {
		int rc;

		if (cap < 16)
			return -WB_ETOOBIG;
		*len = 16;
		rc = parse_uuid(canon, raw);
		if (!rc && type[0] == 'g')
			guid_swap(raw);
		return rc;
	}
	if (!strcmp(type, "ipv6")) {
		if (cap < 16)
			return -WB_ETOOBIG;
		*len = 16;
		return parse_ipv6(canon, raw);
	}
	if (!strcmp(type, "uristring"))
		return uri_decode(canon, raw, cap, len);
	if (!strcmp(type, "busdevfn"))
		return -WB_ENOTSUP;   /* shown, never stored (as iPXE) */
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
		if (len < 4)   /* longer values show their first 4 bytes (iPXE) */
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
	} else if (!strcmp(type, "uuid") || !strcmp(type, "guid")) {
		uint8_t u[16];

		if (len != 16)
			return -WB_EBADVAL;
		memcpy(u, raw, 16);
		if (type[0] == 'g')
			guid_swap(u);
		for (size_t i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				ob_putc(&o, '-');
			ob_hex(&o, u[i]);
		}
	} else if (!strcmp(type, "ipv6")) {
		/* RFC 5952 §4: lower case, no leading zeros, the longest run (>= 2) of zero groups as "::" */
		int best = -1, bestlen = 1;
		char num[8];

		if (len < 16)   /* longer values show their first 16 bytes (iPXE) */
			return -WB_EBADVAL;
		for (int i = 0; i < 8; i++) {
			int j = i;

			while (j < 8 && !raw[2 * j] && !raw[2 * j + 1])
				j++;
			if (j - i > bestlen) {
				best = i;
				bestlen = j - i;
			}
			if (j > i)
				i = j - 1;
		}
		for (int i = 0; i < 8; i++) {
			if (i == best) {
				ob_putc(&o, ':');
				if (i == 0)
					ob_putc(&o, ':');
				i += bestlen - 1;
				continue;
			}
			wb_snprintf(num, sizeof(num), "%x", (unsigned)raw[2 * i] << 8 | raw[2 * i + 1]);
			for (char *q = num; *q; q++)
				ob_putc(&o, *q);
			if (i < 7)
				ob_putc(&o, ':');
		}
	} else if (!strcmp(type, "busdevfn")) {
		/* segment:bus:device.function of a number of up to 8 bytes */
		unsigned long long v = 0;
		char num[24];

		if (!len || len > 8)
			return -WB_EBADVAL;
		for (size_t i = 0; i < len; i++)
			v = v << 8 | raw[i];
		wb_snprintf(num, sizeof(num), "%04x:%02x:%02x.%x", (unsigned)(v >> 16 & 0xffff),
			    (unsigned)(v >> 8 & 0xff), (unsigned)(v >> 3 & 0x1f), (unsigned)(v & 7));
		for (char *q = num; *q; q++)
			ob_putc(&o, *q);
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

			/* as iPXE shows a uristring: escape controls, space, non-ASCII and %/#:@?=&+ */
			if (c > ' ' && c < 0x7f && !strchr("%/#:@?=&+", c)) {
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
		/* any number, truncated to the type's width (as iPXE) */
		unsigned long long u;

		if (settype_parse_number(input, &u))
			return -WB_EBADVAL;
		if (bits < 64)
			u &= (1ull << bits) - 1;
		if (sgn) {
			long long v = (u & (1ull << (bits - 1))) ? (long long)(u | ~((1ull << bits) - 1))
								 : (long long)u;

			wb_snprintf(canon, cap, "%lld", v);
		} else {
			wb_snprintf(canon, cap, "0x%llx", u);
		}
		return 0;
	}
	if (!strcmp(type, "ipv4")) {
		if (parse_ipv4_input(input, raw))
			return -WB_EBADVAL;
		return settype_format(type, raw, 4, canon, cap);
	}
	if (!strcmp(type, "hex") || !strcmp(type, "hexhyp") || !strcmp(type, "hexraw")) {
		char sep = type[3] == 'h' ? '-' : type[3] == 'r' ? 0 : ':';

		rc = parse_hex_strict(input, sep, 0, raw, sizeof(raw), &len);
		return rc ? rc : settype_format(type, raw, len, canon, cap);
	}
	if (!strcmp(type, "string")) {
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
