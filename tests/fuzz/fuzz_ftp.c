/*
 * fuzz_ftp.c — libFuzzer target: FTP replies (proto/ftp_msg.c).  The input
 * is the control connection's bytes, fed in pieces whose size the first
 * byte picks; each complete reply's text goes through the PASV, EPSV and
 * SIZE parsers, as the client would.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/ftp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftp_reply_parser p;
	size_t chunk, off = 1;

	if (!size)
		return 0;
	chunk = (size_t)(data[0] % 17) + 1;
	ftp_reply_init(&p);
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk, used = 0;
		int rc = ftp_reply_feed(&p, data + off, n, &used);
		uint8_t ip[4];
		uint16_t port;
		uint64_t len;

		if (used > n)
			__builtin_trap();
		off += used;
		if (rc < 0)
			break;
		if (rc == 1) {
			if (p.reply.code < 100 || p.reply.code > 599 ||
			    strlen(p.reply.text) >= FTP_TEXT_MAX)
				__builtin_trap();
			ftp_parse_pasv(p.reply.text, ip, &port);
			ftp_parse_epsv(p.reply.text, &port);
			ftp_parse_size(p.reply.text, &len);
			ftp_reply_init(&p);
		}
	}
	return 0;
}
