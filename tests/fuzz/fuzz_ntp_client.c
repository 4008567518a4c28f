/*
 * fuzz_ntp_client.c — libFuzzer target: the SNTP client exchange (ntp_client_*
 * in net/ntp_msg.c) driven by a sequence of events from the input:
 *
 *   [ctrl][advance ms][len][len bytes]...    ctrl bit 0: a request (nonce from
 *   the bytes) instead of a datagram; bit 1: from another address; bit 2: from
 *   another port; bit 3: copy the nonce of outstanding slot ctrl>>4 into the
 *   datagram's originate timestamp (so that replies get past the nonce check).
 *
 * Checks: never more than NTP_SAMPLES samples; every datagram is either taken
 * or counted as ignored; a result is never before the floor it was given.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "net/ntp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t server[4] = { 192, 0, 2, 1 }, other[4] = { 192, 0, 2, 9 };
	struct ntp_client c;
	uint8_t req[NTP_MSG_LEN], dg[256];
	uint64_t now = 1000;
	unsigned datagrams = 0, taken = 0;
	int64_t t;
	size_t i = 0;
	int rc;

	ntp_client_init(&c, server);
	while (i + 3 <= size) {
		unsigned ctrl = data[i], adv = data[i + 1], len = data[i + 2];

		i += 3;
		if (len > size - i)
			len = (unsigned)(size - i);
		now += adv;
		if (ctrl & 1) {
			uint64_t nonce = 0;

			for (unsigned k = 0; k < len && k < 8; k++)
				nonce = nonce << 8 | data[i + k];
			ntp_client_request(&c, nonce ? nonce : 1, now, req);
		} else {
			memcpy(dg, data + i, len);
			if ((ctrl & 8) && len >= NTP_MSG_LEN) {
				uint64_t n = c.pending[(ctrl >> 4) % NTP_PENDING_MAX].nonce;

				for (int k = 0; k < 8; k++)
					dg[24 + k] = (uint8_t)(n >> (56 - 8 * k));
			}
			datagrams++;
			taken += (unsigned)ntp_client_input(&c, (ctrl & 2) ? other : server,
							    (ctrl & 4) ? 1123 : 123, dg, len, now);
		}
		i += len;
	}
	if (c.nsamples > NTP_SAMPLES || taken != (unsigned)c.nsamples || taken + c.ignored != datagrams)
		__builtin_trap();
	rc = ntp_client_result(&c, now, 1700000000LL, &t);
	if (rc == 0 && t < 1700000000LL)
		__builtin_trap();
	if (rc && rc != -WB_ENTPTIMEOUT && rc != -WB_ENTPFEW && rc != -WB_ENTPPAST)
		__builtin_trap();
	return 0;
}
