/*
 * tcp_isn.c — RFC 6528 initial sequence numbers (see tcp_isn.h).
 *
 * The first half is pure (key drawing through a caller-given source, F, M)
 * and unit-tested in tests/unit/test_tcp_isn.c.  The second half is the glue
 * to lwIP: lwIP is one global stack and its ISN hook gets no context, so the
 * stack's secret is one static beside it, keyed on the first connect.
 *
 * Why HMAC rather than RFC 6528's example MD5(tuple || key): F only has to be
 * a PRF of the 4-tuple under a secret key; HMAC-SHA-256 is one, BearSSL has
 * it, and truncation to 32 bits leaves nothing of the key to extend.
 */
#include <string.h>

#include "bearssl_hash.h"
#include "bearssl_hmac.h"
#include "core/err.h"
#include "core/jitter.h"
#include "lwip/ip_addr.h"
#include "net/net_priv.h"
#include "net/tcp_isn.h"
#include "platform/platform.h"

/* ---- pure ------------------------------------------------------------- */

int tcp_isn_key(struct tcp_isn_ctx *ctx, tcp_isn_entropy_fn entropy)
{
	int rc;

	if (ctx->keyed)
		return 0;
	rc = entropy(ctx->key, sizeof(ctx->key));
	if (rc) {
		memset(ctx->key, 0, sizeof(ctx->key));
		return rc < 0 ? rc : -WB_ENOENTROPY;
	}
	ctx->keyed = 1;
	return 0;
}

uint32_t tcp_isn_f(const uint8_t key[TCP_ISN_KEY_LEN], const uint8_t local_ip[4],
		   uint16_t local_port, const uint8_t remote_ip[4], uint16_t remote_port)
{
	br_hmac_key_context kc;
	br_hmac_context hc;
	uint8_t tuple[12], mac[32];
	uint32_t f;

	memcpy(tuple, local_ip, 4);
	tuple[4] = (uint8_t)(local_port >> 8);
	tuple[5] = (uint8_t)local_port;
	memcpy(tuple + 6, remote_ip, 4);
	tuple[10] = (uint8_t)(remote_port >> 8);
	tuple[11] = (uint8_t)remote_port;
	br_hmac_key_init(&kc, &br_sha256_vtable, key, TCP_ISN_KEY_LEN);
	br_hmac_init(&hc, &kc, 0);
	br_hmac_update(&hc, tuple, sizeof(tuple));
	br_hmac_out(&hc, mac);
	f = (uint32_t)mac[0] << 24 | (uint32_t)mac[1] << 16 | (uint32_t)mac[2] << 8 | mac[3];
	/* the key schedule is as secret as the key */
	memset(&kc, 0, sizeof(kc));
	memset(&hc, 0, sizeof(hc));
	memset(mac, 0, sizeof(mac));
	return f;
}

uint32_t tcp_isn_clock(uint64_t ms)
{
	return (uint32_t)(ms * 250u);   /* 1 ms = 250 ticks of 4 µs */
}

uint32_t tcp_isn(const struct tcp_isn_ctx *ctx, const uint8_t local_ip[4], uint16_t local_port,
		 const uint8_t remote_ip[4], uint16_t remote_port, uint32_t m)
{
	return m + tcp_isn_f(ctx->key, local_ip, local_port, remote_ip, remote_port);
}

/* ---- lwIP glue -------------------------------------------------------- */

static struct tcp_isn_ctx net_tcp_isn;

int net_tcp_isn_ready(void)
{
	return tcp_isn_key(&net_tcp_isn, wb_entropy);
}

/*
 * LWIP_HOOK_TCP_ISN (lwipopts.h), called by tcp_connect() once the local
 * address and port are chosen.  net_tcp_connect() keyed the secret before;
 * wireboot never listens, so lwIP's other caller (tcp_listen_input) does not
 * occur.  Should some future caller come without a key and no entropy be
 * had, the ISN is at least not lwIP's counter (and such a caller must check
 * net_tcp_isn_ready() first, as net_tcp_connect() does).
 */
uint32_t wb_lwip_tcp_isn(const struct ip4_addr *local_ip, uint16_t local_port,
			 const struct ip4_addr *remote_ip, uint16_t remote_port)
{
	uint8_t l[4], r[4];

	if (net_tcp_isn_ready())
		return net_random32();
	memcpy(l, &local_ip->addr, 4);    /* lwIP keeps addresses in network order */
	memcpy(r, &remote_ip->addr, 4);
	return tcp_isn(&net_tcp_isn, l, local_port, r, remote_port, tcp_isn_clock(plat_ms()));
}
