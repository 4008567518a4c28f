/*
 * test_tcp_isn.c — RFC 6528 initial sequence numbers (src/net/tcp_isn.c).
 *
 * Known answers computed on the build host with Python 3's hmac module,
 * independent of this code:
 *   python3 -c "import hmac, hashlib; print(hmac.new(KEY, LIP + LPORT.to_bytes(2,'big')
 *       + RIP + RPORT.to_bytes(2,'big'), hashlib.sha256).hexdigest()[:8])"
 *   KEY bytes(range(32)), 192.0.2.10:49152 -> 192.0.2.1:80        : 646fb8ec
 *   KEY b'\xa5' * 32,     10.0.0.2:1024    -> 198.51.100.7:3260   : ef7ca935
 * Then the properties RFC 6528 §3 asks for: F depends on every field of the
 * 4-tuple and on the key, the clock M moves the ISN one for one, ISNs of
 * consecutive local ports are spread over the sequence space; and the key
 * is drawn once, with a failure of the entropy source reported, not hidden.
 */
#define UNIT_NAME "tcp_isn"
#include <stdint.h>

#include "core/err.h"
#include "core/jitter.h"
#include "net/tcp_isn.h"
#include "unit.h"

static const uint8_t lip[4] = { 192, 0, 2, 10 }, rip[4] = { 192, 0, 2, 1 };

static void test_known_answers(void)
{
	uint8_t k1[TCP_ISN_KEY_LEN], k2[TCP_ISN_KEY_LEN];
	static const uint8_t l2[4] = { 10, 0, 0, 2 }, r2[4] = { 198, 51, 100, 7 };

	for (int i = 0; i < TCP_ISN_KEY_LEN; i++) {
		k1[i] = (uint8_t)i;
		k2[i] = 0xa5;
	}
	CHECK("F vector 1 (HMAC-SHA-256, first 4 bytes)", tcp_isn_f(k1, lip, 49152, rip, 80) == 0x646fb8ecu);
	CHECK("F vector 2", tcp_isn_f(k2, l2, 1024, r2, 3260) == 0xef7ca935u);
}

static void test_inputs(void)
{
	struct tcp_isn_ctx c = { { 0 }, 1 };
	uint8_t l[4], r[4], key2[TCP_ISN_KEY_LEN];
	uint32_t base;

	for (int i = 0; i < TCP_ISN_KEY_LEN; i++)
		c.key[i] = (uint8_t)(7 * i + 1);
	base = tcp_isn(&c, lip, 49152, rip, 80, 1000);
	CHECK("same tuple, key and time: same ISN", tcp_isn(&c, lip, 49152, rip, 80, 1000) == base);
	CHECK("ISN = M + F", base == 1000u + tcp_isn_f(c.key, lip, 49152, rip, 80));
	CHECK("M + 1: ISN + 1", tcp_isn(&c, lip, 49152, rip, 80, 1001) == base + 1);
	CHECK("M wraps mod 2^32",
	      tcp_isn(&c, lip, 49152, rip, 80, 0xffffffffu) == 0xffffffffu + tcp_isn_f(c.key, lip, 49152, rip, 80));
	CHECK("local port changes the ISN", tcp_isn(&c, lip, 49153, rip, 80, 1000) != base);
	CHECK("remote port changes the ISN", tcp_isn(&c, lip, 49152, rip, 81, 1000) != base);
	CHECK("ports are not interchangeable", tcp_isn(&c, lip, 80, rip, 49152, 1000) != base);
	memcpy(l, lip, 4);
	l[3] ^= 1;
	CHECK("local address changes the ISN", tcp_isn(&c, l, 49152, rip, 80, 1000) != base);
	memcpy(r, rip, 4);
	r[0] ^= 0x80;
	CHECK("remote address changes the ISN", tcp_isn(&c, lip, 49152, r, 80, 1000) != base);
	CHECK("addresses are not interchangeable", tcp_isn(&c, rip, 49152, lip, 80, 1000) != base);
	memcpy(key2, c.key, sizeof(key2));
	key2[TCP_ISN_KEY_LEN - 1] ^= 1;
	CHECK("one key bit changes F", tcp_isn_f(key2, lip, 49152, rip, 80) != tcp_isn_f(c.key, lip, 49152, rip, 80));
}

static void test_clock(void)
{
	CHECK("M(0) = 0", tcp_isn_clock(0) == 0);
	CHECK("M(1 ms) = 250 ticks of 4 us", tcp_isn_clock(1) == 250);
	CHECK("M(1 s) = 250000", tcp_isn_clock(1000) == 250000);
	/* 2^32 ticks of 4 us = 17179869.184 ms: the timer wraps like RFC 793's */
	CHECK("M wraps after 2^32 ticks", tcp_isn_clock(17179869184ull) == 0);
	CHECK("M wraps mod 2^32 (17179870 ms: 4294967500 - 2^32)", tcp_isn_clock(17179870ull) == 204);
}

/*
 * What an attacker on a connection of its own would use: the ISNs lwIP picks
 * for consecutive local ports within the same millisecond.  With F a PRF,
 * differences are uniform: P(|d| < 2^24) = 2^-7, so about 32 of 4095; each
 * output bit set about 2048 times of 4096 (sd 32).  lwIP's 6510 + tcp_ticks
 * has every difference small and its high bits constant.
 */
static void test_spread(void)
{
	enum { N = 4096 };
	static uint32_t isn[N];
	struct tcp_isn_ctx c = { { 0 }, 1 };
	unsigned small = 0, eq = 0, bits_ok = 1;

	for (int i = 0; i < TCP_ISN_KEY_LEN; i++)
		c.key[i] = (uint8_t)(0x3c ^ i);
	for (int i = 0; i < N; i++)
		isn[i] = tcp_isn(&c, lip, (uint16_t)(49152 + i), rip, 80, 123456);
	for (int i = 1; i < N; i++) {
		uint32_t d = isn[i] - isn[i - 1];

		small += d < (1u << 24) || d > 0u - (1u << 24);
		if (i > 1)
			eq += d == isn[i - 1] - isn[i - 2];
	}
	for (int b = 0; b < 32; b++) {
		unsigned ones = 0;

		for (int i = 0; i < N; i++)
			ones += (isn[i] >> b) & 1;
		if (ones < N * 4 / 10 || ones > N * 6 / 10)
			bits_ok = 0;
	}
	CHECK("consecutive ports: few differences within +-2^24 (uniform: ~32 of 4095)", small < 64);
	CHECK("consecutive ports: no step repeats the previous step", eq == 0);
	CHECK("consecutive ports: every ISN bit set in 40..60% of the ISNs", bits_ok);
}

/* entropy sources for tcp_isn_key() */
static int draws;
static int fill_entropy(void *buf, size_t len)
{
	draws++;
	memset(buf, 0x5a + draws, len);
	return 0;
}
static int no_entropy(void *buf, size_t len)
{
	draws++;
	memset(buf, 0xee, len);   /* partial output must not survive */
	return -WB_ENOENTROPY;
}
static int odd_entropy(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	return 1;
}

static void test_key(void)
{
	struct tcp_isn_ctx c, d;
	uint8_t zero[TCP_ISN_KEY_LEN] = { 0 };
	int rc;

	memset(&c, 0, sizeof(c));
	draws = 0;
	rc = tcp_isn_key(&c, no_entropy);
	CHECK("no entropy: -WB_ENOENTROPY", rc == -WB_ENOENTROPY);
	CHECK("no entropy: not keyed, key wiped", !c.keyed && !memcmp(c.key, zero, sizeof(zero)));
	CHECK("source returning > 0: -WB_ENOENTROPY, not keyed",
	      tcp_isn_key(&c, odd_entropy) == -WB_ENOENTROPY && !c.keyed);
	rc = tcp_isn_key(&c, fill_entropy);
	CHECK("after a failure, the next call draws the key", rc == 0 && c.keyed && draws == 2 && c.key[0] == 0x5c);
	rc = tcp_isn_key(&c, fill_entropy);
	CHECK("keyed: no second draw, key kept", rc == 0 && draws == 2 && c.key[0] == 0x5c);
	CHECK("keyed: a failing source no longer matters", tcp_isn_key(&c, no_entropy) == 0 && draws == 2);

	/* the real source (getrandom on the host) */
	memset(&c, 0, sizeof(c));
	memset(&d, 0, sizeof(d));
	CHECK("wb_entropy keys two stacks", !tcp_isn_key(&c, wb_entropy) && !tcp_isn_key(&d, wb_entropy));
	CHECK("two stacks: different keys", memcmp(c.key, d.key, sizeof(c.key)) != 0);
	CHECK("two stacks: different ISNs for the same tuple and time",
	      tcp_isn(&c, lip, 49152, rip, 80, 0) != tcp_isn(&d, lip, 49152, rip, 80, 0));
	CHECK("lwIP's stack gets its key", net_tcp_isn_ready() == 0 && net_tcp_isn_ready() == 0);
}

int main(void)
{
	test_known_answers();
	test_inputs();
	test_clock();
	test_spread();
	test_key();
	return unit_done();
}
