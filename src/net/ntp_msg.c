/*
 * ntp_msg.c — SNTP request/reply (RFC 4330) and the client exchange.
 * See ntp_msg.h for what is believed and why.
 *
 * The exchange (ntp_client), driven by net_sntp():
 *
 *   init ──request──▶ waiting ──input: valid reply──▶ sample k (k < 3): request again
 *                       │  ▲                           sample 3: done → result
 *                       │  └─ input: anything else: ignored, keep waiting
 *                       └──── caller's per-request wait ends: request again (new nonce)
 *
 * Offset of one sample (RFC 4330 §5, RFC 5905 §8): with T1/T4 our send and
 * receive times (the caller's millisecond clock) and T2/T3 the server's
 * receive and transmit times (Unix ms), offset = ((T2 − T1) + (T3 − T4)) / 2:
 * Unix time is then the caller's clock + offset.
 */
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

/* An NTP timestamp (RFC 5905 §6) at @p as Unix milliseconds. */
static int64_t ntp_ts_ms(const uint8_t *p)
{
	uint32_t secs = wb_get32(p), frac = wb_get32(p + 4);
	int64_t t = (int64_t)secs - (int64_t)NTP_UNIX_OFFSET;

	if (!(secs & 0x80000000u))
		t += 4294967296LL;          /* era 1: 2036-02-07 onwards */
	return t * 1000 + (int64_t)(((uint64_t)frac * 1000) >> 32);
}

int ntp_msg_parse_ts(const uint8_t *buf, size_t len, uint64_t xmit, int64_t *rx_ms,
		     int64_t *tx_ms)
{
	unsigned li, vn, mode, stratum;
	int64_t rx, tx;

	if (len < NTP_MSG_LEN)
		return -WB_ENTPBAD;
	li = buf[0] >> 6;
	vn = (buf[0] >> 3) & 7;
	mode = buf[0] & 7;
	stratum = buf[1];
	if (mode != 4)
		return -WB_ENTPMODE;
	if (vn < 3 || vn > 4)
		return -WB_ENTPVERSION;
	if (stratum == 0 || stratum > 15)    /* 0: kiss-o'-death (RFC 5905 §7.4) */
		return -WB_ENTPSTRATUM;
	if (li == 3)
		return -WB_ENTPLEAP;
	if (wb_get32(buf + 24) != (uint32_t)(xmit >> 32) || wb_get32(buf + 28) != (uint32_t)xmit)
		return -WB_ENTPBAD;
	if (!wb_get32(buf + 40) && !wb_get32(buf + 44))
		return -WB_ENTPBAD;
	tx = ntp_ts_ms(buf + 40);
	rx = wb_get32(buf + 32) || wb_get32(buf + 36) ? ntp_ts_ms(buf + 32) : tx;
	if (tx < rx)
		return -WB_ENTPBAD;
	*rx_ms = rx;
	*tx_ms = tx;
	return 0;
}

int ntp_msg_parse(const uint8_t *buf, size_t len, uint64_t xmit, int64_t *unix_secs)
{
	int64_t rx, tx;
	int rc = ntp_msg_parse_ts(buf, len, xmit, &rx, &tx);

	if (rc)
		return rc;
	*unix_secs = tx / 1000;     /* tx >= 0: era 0 starts 1900, era 1 is added */
	return 0;
}

int64_t ntp_median3(int64_t a, int64_t b, int64_t c)
{
	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}

void ntp_client_init(struct ntp_client *c, const uint8_t server[4])
{
	memset(c, 0, sizeof(*c));
	memcpy(c->server, server, 4);
}

void ntp_client_request(struct ntp_client *c, uint64_t nonce, uint64_t now_ms,
			uint8_t buf[NTP_MSG_LEN])
{
	unsigned k = c->next++ % NTP_PENDING_MAX;

	c->pending[k].nonce = nonce;
	c->pending[k].sent_ms = now_ms;
	c->pending[k].live = 1;
	ntp_msg_build(buf, nonce);
}

static int ntp_client_refuse(struct ntp_client *c, int why)
{
	c->ignored++;
	c->last_refusal = why;
	return 0;
}

int ntp_client_input(struct ntp_client *c, const uint8_t from[4], uint16_t port,
		     const uint8_t *buf, size_t len, uint64_t now_ms)
{
	uint64_t origin;
	int64_t t2, t3, t1, t4;
	int k, rc;

	if (ntp_client_done(c))
		return ntp_client_refuse(c, -WB_ENTPFEW);   /* not needed any more */
	if (memcmp(from, c->server, 4) || port != NTP_PORT)
		return ntp_client_refuse(c, -WB_ENTPSOURCE);
	if (len < NTP_MSG_LEN)
		return ntp_client_refuse(c, -WB_ENTPBAD);
	origin = (uint64_t)wb_get32(buf + 24) << 32 | wb_get32(buf + 28);
	for (k = 0; k < NTP_PENDING_MAX; k++)
		if (c->pending[k].live && c->pending[k].nonce == origin)
			break;
	if (k == NTP_PENDING_MAX || !origin)
		return ntp_client_refuse(c, -WB_ENTPORIGIN);
	rc = ntp_msg_parse_ts(buf, len, origin, &t2, &t3);
	if (rc)
		return ntp_client_refuse(c, rc);
	c->pending[k].live = 0;     /* answered: a copy of this reply is refused */
	t1 = (int64_t)c->pending[k].sent_ms;
	t4 = (int64_t)now_ms;
	c->offset_ms[c->nsamples++] = ((t2 - t1) + (t3 - t4)) / 2;
	return 1;
}

int ntp_client_done(const struct ntp_client *c)
{
	return c->nsamples >= NTP_SAMPLES;
}

int ntp_client_result(const struct ntp_client *c, uint64_t now_ms, int64_t not_before,
		      int64_t *unix_secs)
{
	int64_t ms;

	if (!ntp_client_done(c))
		return c->nsamples || c->ignored ? -WB_ENTPFEW : -WB_ENTPTIMEOUT;
	ms = (int64_t)now_ms + ntp_median3(c->offset_ms[0], c->offset_ms[1], c->offset_ms[2]);
	*unix_secs = ms >= 0 ? ms / 1000 : -((999 - ms) / 1000);
	return *unix_secs < not_before ? -WB_ENTPPAST : 0;
}
