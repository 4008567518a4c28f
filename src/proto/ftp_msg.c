/*
 * ftp_msg.c — FTP replies (see ftp_msg.h).
 *
 * The reply parser is a byte-at-a-time line scanner.  Per line it keeps
 * the first four bytes (the code and the separator, which is all RFC 959
 * §4.2 uses to find where a reply ends) and, for the first line only, the
 * text.  Lines in the middle of a multi-line reply are skipped whatever
 * they hold (they may start with other codes, or "123-").
 *
 *   first line ──"123 "──▶ done
 *       │
 *       └──"123-"──▶ more lines ──a line "123 "──▶ done
 */
#include <string.h>

#include "core/err.h"
#include "proto/ftp_msg.h"

void ftp_reply_init(struct ftp_reply_parser *p)
{
	memset(p, 0, sizeof(*p));
}

static int ftp_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

/* the first line is complete: text cut at the line end, shown safely */
static void ftp_finish_text(struct ftp_reply_parser *p)
{
	size_t n = p->text_len;

	if (n && p->reply.text[n - 1] == '\r')
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p->reply.text[i];

		if (c < 0x20 || c > 0x7e)
			p->reply.text[i] = '?';
	}
	p->reply.text[n] = '\0';
}

/* a line ended (its length without CR/LF is @len); 1 = the reply is complete */
static int ftp_line_end(struct ftp_reply_parser *p, size_t len)
{
	const char *h = p->head;

	if (!p->in_reply) {
		if (len < 3 || h[0] < '1' || h[0] > '5' || !ftp_isdigit(h[1]) || !ftp_isdigit(h[2]))
			return -WB_EFTPREPLY;
		if (len > 3 && h[3] != ' ' && h[3] != '-')
			return -WB_EFTPREPLY;
		p->reply.code = (h[0] - '0') * 100 + (h[1] - '0') * 10 + (h[2] - '0');
		ftp_finish_text(p);
		if (len > 3 && h[3] == '-') {
			p->in_reply = 1;
			p->reply.multiline = 1;
			return 0;
		}
		return 1;
	}
	/* RFC 959 §4.2: the last line starts with the same code and a space */
	if (len >= 3 && h[0] - '0' == p->reply.code / 100 && h[1] - '0' == p->reply.code / 10 % 10 &&
	    h[2] - '0' == p->reply.code % 10 && (len == 3 || h[3] == ' '))
		return 1;
	return 0;
}

int ftp_reply_feed(struct ftp_reply_parser *p, const uint8_t *buf, size_t len, size_t *used)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = (char)buf[i];

		if (++p->total > FTP_REPLY_MAX) {
			*used = i + 1;
			return -WB_EFTPREPLY;
		}
		if (c == '\n') {
			size_t n = p->line_len;
			int rc;

			/* CR before LF is not part of the line */
			if (n && n <= 4 && p->head[n - 1] == '\r')
				n--;
			else if (n > 4 && p->last_cr)
				n--;
			if (n < 4)
				memset(p->head + n, 0, 4 - n);
			rc = ftp_line_end(p, n);
			p->line_len = 0;
			p->last_cr = 0;
			if (rc) {
				*used = i + 1;
				return rc;
			}
			continue;
		}
		if (p->line_len < 4)
			p->head[p->line_len] = c;
		else if (!p->in_reply && p->text_len < FTP_TEXT_MAX - 1)
			p->reply.text[p->text_len++] = c;
		p->last_cr = c == '\r';
		p->line_len++;
	}
	*used = len;
	return 0;
}

/* up to 3 decimal digits 0-255 at *s; advances *s.  -1 when none / too big */
static int ftp_octet(const char **s)
{
	int v = 0, n = 0;

	while (ftp_isdigit(**s) && n < 4) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (!n || n > 3 || v > 255)
		return -1;
	return v;
}

int ftp_parse_pasv(const char *text, uint8_t ip[4], uint16_t *port)
{
	for (size_t i = 0; text[i]; i++) {
		const char *s = text + i;
		int v[6], k;

		if (!ftp_isdigit(text[i]) || (i && ftp_isdigit(text[i - 1])))
			continue;
		for (k = 0; k < 6; k++) {
			v[k] = ftp_octet(&s);
			if (v[k] < 0 || (k < 5 && *s != ','))
				break;
			if (k < 5)
				s++;
		}
		if (k < 6 || ftp_isdigit(*s))
			continue;
		for (k = 0; k < 4; k++)
			ip[k] = (uint8_t)v[k];
		*port = (uint16_t)(v[4] * 256 + v[5]);
		return *port ? 0 : -WB_EFTPPASV;
	}
	return -WB_EFTPPASV;
}

int ftp_parse_epsv(const char *text, uint16_t *port)
{
	for (const char *s = strchr(text, '('); s; s = strchr(s + 1, '(')) {
		char d = s[1];
		const char *q = s + 4;
		uint32_t v = 0;
		int n = 0;

		if (d < 0x21 || d > 0x7e || ftp_isdigit(d) || s[2] != d || s[3] != d)
			continue;
		while (ftp_isdigit(*q) && n < 6) {
			v = v * 10 + (uint32_t)(*q - '0');
			q++;
			n++;
		}
		if (!n || n > 5 || v == 0 || v > 65535 || q[0] != d || q[1] != ')')
			continue;
		*port = (uint16_t)v;
		return 0;
	}
	return -WB_EFTPPASV;
}

int ftp_parse_size(const char *text, uint64_t *size)
{
	uint64_t v = 0;
	const char *s = text;

	if (!ftp_isdigit(*s))
		return -WB_EFTPSIZE;
	while (ftp_isdigit(*s)) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -WB_EFTPSIZE;
		v = v * 10 + d;
		s++;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return -WB_EFTPSIZE;
	*size = v;
	return 0;
}
