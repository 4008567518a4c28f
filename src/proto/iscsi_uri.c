/*
 * iscsi_uri.c — RFC 4173 iSCSI root paths (see iscsi_uri.h).
 */
#include <stddef.h>
#include <string.h>

#include "core/err.h"
#include "proto/iscsi_uri.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* one field [p, end): copy boundaries */
static const char *field_end(const char *p)
{
	while (*p && *p != ':')
		p++;
	return p;
}

static int parse_server(const char *p, const char **next, struct iscsi_uri *out)
{
	const char *e;
	size_t n;

	if (*p == '[') {
		e = strchr(p + 1, ']');
		if (!e || e[1] != ':')
			return -WB_EISCSIURI;
		p++;
		out->server_is_ipv6 = 1;
		*next = e + 1;
	} else {
		e = field_end(p);
		*next = e;
	}
	n = (size_t)(e - p);
	if (n == 0 || n > ISCSI_URI_HOST_MAX)
		return -WB_EISCSIURI;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= ' ' || c >= 0x7f || c == '/' || c == '@' || (!out->server_is_ipv6 && c == ']'))
			return -WB_EISCSIURI;
		if (out->server_is_ipv6 && hexval((char)c) < 0 && c != ':' && c != '.')
			return -WB_EISCSIURI;
	}
	memcpy(out->server, p, n);
	out->server[n] = '\0';
	return 0;
}

static int parse_lun(const char *p, const char *e, uint8_t lun[8])
{
	int group = 0;

	memset(lun, 0, 8);
	if (p == e)
		return 0;
	while (p < e) {
		unsigned v = 0;
		int digits = 0;

		if (group == 4)
			return -WB_EISCSIURILUN;
		while (p < e && *p != '-') {
			int h = hexval(*p);

			if (h < 0 || ++digits > 4)
				return -WB_EISCSIURILUN;
			v = v << 4 | (unsigned)h;
			p++;
		}
		if (digits == 0)
			return -WB_EISCSIURILUN;
		lun[2 * group] = (uint8_t)(v >> 8);
		lun[2 * group + 1] = (uint8_t)v;
		group++;
		if (p < e) {          /* at '-' */
			p++;
			if (p == e)
				return -WB_EISCSIURILUN;
		}
	}
	return 0;
}

int iscsi_uri_parse(const char *s, struct iscsi_uri *out)
{
	const char *p, *e;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s || strlen(s) < 6)
		return -WB_EISCSIURI;
	for (int i = 0; i < 6; i++) {
		char c = s[i], w = "iscsi:"[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != w)
			return -WB_EISCSIURI;
	}
	p = s + 6;
	rc = parse_server(p, &p, out);
	if (rc)
		return rc;
	/* protocol */
	if (*p != ':')
		return -WB_EISCSIURI;
	p++;
	e = field_end(p);
	if (*e != ':')
		return -WB_EISCSIURI;
	if (e != p && !(e - p == 1 && *p == '6'))
		return -WB_EISCSIURIPROTO;
	p = e + 1;
	/* port */
	e = field_end(p);
	if (*e != ':')
		return -WB_EISCSIURI;
	if (e == p) {
		out->port = ISCSI_DEFAULT_PORT;
	} else {
		unsigned long v = 0;

		if (e - p > 5 || *p == '0')
			return -WB_EISCSIURIPORT;
		for (const char *q = p; q < e; q++) {
			if (*q < '0' || *q > '9')
				return -WB_EISCSIURIPORT;
			v = v * 10 + (unsigned long)(*q - '0');
		}
		if (v == 0 || v > 65535)
			return -WB_EISCSIURIPORT;
		out->port = (uint16_t)v;
	}
	p = e + 1;
	/* LUN */
	e = field_end(p);
	if (*e != ':')
		return -WB_EISCSIURI;
	rc = parse_lun(p, e, out->lun);
	if (rc)
		return rc;
	p = e + 1;
	/* target name: the rest */
	n = strlen(p);
	if (n == 0 || n > ISCSI_NAME_MAX)
		return -WB_EISCSIURITARGET;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= ' ' || c >= 0x7f)
			return -WB_EISCSIURITARGET;
	}
	memcpy(out->target, p, n + 1);
	return 0;
}

long iscsi_uri_lun_number(const uint8_t lun[8])
{
	for (int i = 2; i < 8; i++)
		if (lun[i])
			return -1;
	/* address method in the top two bits: 00 peripheral (bus 0 only), 01 flat */
	switch (lun[0] >> 6) {
	case 0:
		if (lun[0] != 0)
			return -1;        /* peripheral with a bus number */
		return lun[1];
	case 1:
		return (long)(((unsigned)lun[0] & 0x3f) << 8 | lun[1]);
	default:
		return -1;
	}
}
