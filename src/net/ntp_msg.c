/* ntp_msg.c — SNTP request/reply (RFC 4330).  See ntp_msg.h. */
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "net/ntp_msg.h"

void ntp_msg_build(uint8_t buf[NTP_MSG_LEN], uint64_t xmit)
{
	memset(buf, 0, NTP_MSG_LEN);
	buf[0] = (0 << 6) | (4 << 3) | 3;    /* LI 0, VN 4, mode 3 (client) */
	wb_put32(buf + 40, (uint32_t)(xmit >> 32));
	wb_put32(buf + 44, (uint32_t)xmit);
}

int ntp_msg_parse(const uint8_t *buf, size_t len, uint64_t xmit, int64_t *unix_secs)
{
	unsigned li, vn, mode, stratum;
	uint32_t secs;
	int64_t t;

	if (len < NTP_MSG_LEN)
		return -WB_ENTPBAD;
	li = buf[0] >> 6;
	vn = (buf[0] >> 3) & 7;
	mode = buf[0] & 7;
	stratum = buf[1];
	if (mode != 4 || vn < 3 || vn > 4 || li == 3 || stratum == 0 || stratum > 15)
		return -WB_ENTPBAD;
	if (wb_get32(buf + 24) != (uint32_t)(xmit >> 32) || wb_get32(buf + 28) != (uint32_t)xmit)
		return -WB_ENTPBAD;
	secs = wb_get32(buf + 40);
	if (!secs && !wb_get32(buf + 44))
		return -WB_ENTPBAD;
	t = (int64_t)secs - (int64_t)NTP_UNIX_OFFSET;
	if (!(secs & 0x80000000u))
		t += 4294967296LL;          /* era 1: 2036-02-07 onwards */
	*unix_secs = t;
	return 0;
}
