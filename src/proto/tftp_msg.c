/*
 * tftp_msg.c — TFTP packet codec (see tftp_msg.h).
 *
 * Option names are case-insensitive (RFC 2347 §2); values are decimal ASCII.
 * The ranges checked are the RFCs': blksize 8..65464 (RFC 2348), timeout
 * 1..255 (RFC 2349 §2), tsize any 64-bit size (RFC 2349 §3), windowsize
 * 1..65535 (RFC 7440 §3).
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "proto/tftp_msg.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* append @s and its NUL at *pos; -WB_ETOOBIG when it does not fit */
static int put_str(uint8_t *buf, size_t cap, size_t *pos, const char *s)
{
	size_t n = strlen(s) + 1;

	if (cap - *pos < n)
		return -WB_ETOOBIG;
	memcpy(buf + *pos, s, n);
	*pos += n;
	return 0;
}

static int put_opt(uint8_t *buf, size_t cap, size_t *pos, const char *name, uint64_t v)
{
	char num[24];
	int rc;

	wb_snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	rc = put_str(buf, cap, pos, name);
	return rc ? rc : put_str(buf, cap, pos, num);
}

int tftp_build_rrq(uint8_t *buf, size_t cap, const char *file, const struct tftp_opts *o)
{
	size_t pos = 2, n = file ? strlen(file) : 0;
	int rc = 0;

	if (!n || n > TFTP_FILENAME_MAX)
		return -WB_ETFTPNAME;
	for (size_t i = 0; i < n; i++)
		if ((uint8_t)file[i] < 0x20 || (uint8_t)file[i] == 0x7f)
			return -WB_ETFTPNAME;
	if (o && (((o->present & TFTP_OPT_BLKSIZE) &&
		   (o->blksize < TFTP_BLKSIZE_MIN || o->blksize > TFTP_BLKSIZE_MAX)) ||
		  ((o->present & TFTP_OPT_TIMEOUT) && (o->timeout < 1 || o->timeout > 255)) ||
		  ((o->present & TFTP_OPT_WINDOW) &&
		   (o->windowsize < 1 || o->windowsize > TFTP_WINDOW_MAX))))
		return -WB_EINVAL;
	if (cap < 2)
		return -WB_ETOOBIG;
	put16(buf, TFTP_RRQ);
	if ((rc = put_str(buf, cap, &pos, file)) || (rc = put_str(buf, cap, &pos, "octet")))
		return rc;
	if (o && (o->present & TFTP_OPT_BLKSIZE) && (rc = put_opt(buf, cap, &pos, "blksize", o->blksize)))
		return rc;
	if (o && (o->present & TFTP_OPT_TSIZE) && (rc = put_opt(buf, cap, &pos, "tsize", o->tsize)))
		return rc;
	if (o && (o->present & TFTP_OPT_TIMEOUT) && (rc = put_opt(buf, cap, &pos, "timeout", o->timeout)))
		return rc;
	if (o && (o->present & TFTP_OPT_WINDOW) &&
	    (rc = put_opt(buf, cap, &pos, "windowsize", o->windowsize)))
		return rc;
	return (int)pos;
}

int tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block)
{
	if (cap < 4)
		return -WB_ETOOBIG;
	put16(buf, TFTP_ACK);
	put16(buf + 2, block);
	return 4;
}

int tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg)
{
	size_t n = msg ? strlen(msg) : 0;

	if (cap < 5)
		return -WB_ETOOBIG;
	if (n > cap - 5)
		n = cap - 5;
	put16(buf, TFTP_ERROR);
	put16(buf + 2, code);
	if (n)
		memcpy(buf + 4, msg, n);
	buf[4 + n] = 0;
	return (int)(5 + n);
}

static int name_is(const char *a, const char *lower)
{
	for (; *a && *lower; a++, lower++) {
		char c = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;

		if (c != *lower)
			return 0;
	}
	return !*a && !*lower;
}

/* decimal, at most 20 digits, no overflow */
static int parse_num(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9' || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_oack(const uint8_t *p, size_t len, struct tftp_pkt *out)
{
	size_t pos = 0;

	while (pos < len) {
		const char *name = (const char *)p + pos, *val;
		const uint8_t *z = memchr(p + pos, 0, len - pos);
		unsigned bit = 0;
		uint64_t v;

		if (!z || z == p + pos)
			return -WB_ETFTPBADPKT;   /* unterminated or empty name */
		pos = (size_t)(z - p) + 1;
		val = (const char *)p + pos;
		z = pos < len ? memchr(p + pos, 0, len - pos) : NULL;
		if (!z)
			return -WB_ETFTPBADPKT;
		pos = (size_t)(z - p) + 1;
		if (name_is(name, "blksize"))
			bit = TFTP_OPT_BLKSIZE;
		else if (name_is(name, "tsize"))
			bit = TFTP_OPT_TSIZE;
		else if (name_is(name, "timeout"))
			bit = TFTP_OPT_TIMEOUT;
		else if (name_is(name, "windowsize"))
			bit = TFTP_OPT_WINDOW;
		if (!bit) {
			out->unknown_opts++;
			continue;
		}
		if ((out->opts.present & bit) || parse_num(val, &v))
			return -WB_ETFTPBADPKT;
		switch (bit) {
		case TFTP_OPT_BLKSIZE:
			if (v < TFTP_BLKSIZE_MIN || v > TFTP_BLKSIZE_MAX)
				return -WB_ETFTPBADPKT;
			out->opts.blksize = (uint32_t)v;
			break;
		case TFTP_OPT_TSIZE:
			out->opts.tsize = v;
			break;
		case TFTP_OPT_TIMEOUT:
			if (v < 1 || v > 255)
				return -WB_ETFTPBADPKT;
			out->opts.timeout = (uint32_t)v;
			break;
		default:
			if (v < 1 || v > TFTP_WINDOW_MAX)
				return -WB_ETFTPBADPKT;
			out->opts.windowsize = (uint32_t)v;
			break;
		}
		out->opts.present |= bit;
	}
	return 0;
}

int tftp_parse(const uint8_t *buf, size_t len, struct tftp_pkt *out)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	if (len < 2)
		return -WB_ETFTPBADPKT;
	out->op = (enum tftp_opcode)get16(buf);
	switch (out->op) {
	case TFTP_RRQ:
	case TFTP_WRQ:
		return 0;
	case TFTP_DATA:
	case TFTP_ACK:
		if (len < 4)
			return -WB_ETFTPBADPKT;
		out->block = get16(buf + 2);
		if (out->op == TFTP_DATA) {
			out->data = buf + 4;
			out->data_len = len - 4;
		} else if (len != 4) {
			return -WB_ETFTPBADPKT;
		}
		return 0;
	case TFTP_ERROR:
		if (len < 4)
			return -WB_ETFTPBADPKT;
		out->err_code = get16(buf + 2);
		/* the message: up to its NUL (a missing NUL at the end is tolerated) */
		for (n = 0; 4 + n < len && buf[4 + n] && n < sizeof(out->err_msg) - 1; n++) {
			uint8_t c = buf[4 + n];

			out->err_msg[n] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		out->err_msg[n] = 0;
		return 0;
	case TFTP_OACK:
		return parse_oack(buf + 2, len - 2, out);
	default:
		return -WB_ETFTPBADPKT;
	}
}
