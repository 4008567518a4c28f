/*
 * fuzz_iscsi_pdu.c — libFuzzer target: iSCSI PDU receive framer
 * (iscsi_rx_feed → iscsi_bhs_decode, iscsi_ahs_check, digests).
 *
 * Input: byte 0 picks digests (bits 0-1) and MaxRecvDataSegmentLength
 * (bits 2-3); byte 1 seeds the chunk sizes; the rest is the TCP stream,
 * fed in random-length chunks.  Every PDU handed out must be within the
 * limits and re-encode; every error must be sticky.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/iscsi_pdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t dsls[4] = { 0, 48, 512, 8192 };
	static uint8_t buf[8192];
	static struct iscsi_rx rx; /* large: keep it off the stack */
	uint32_t seed;
	size_t off = 2, used;
	int rc = 0;

	if (size < 2)
		return 0;
	if (iscsi_rx_init(&rx, buf, sizeof(buf), dsls[(data[0] >> 2) & 3]) < 0)
		__builtin_trap();
	iscsi_rx_set_digests(&rx, data[0] & 1, data[0] & 2);
	seed = data[1] * 2654435761u + 1;
	while (off < size) {
		size_t c;

		seed = seed * 1103515245u + 12345u;
		c = 1 + (seed >> 16) % 64;
		if (c > size - off)
			c = size - off;
		rc = iscsi_rx_feed(&rx, data + off, c, &used);
		if (used > c)
			__builtin_trap();
		if (rc == 1) {
			const struct iscsi_pdu *p = &rx.pdu;
			uint8_t out[ISCSI_BHS_LEN];

			if (p->bhs.data_len > rx.max_recv_dsl || p->bhs.ahs_len > ISCSI_AHS_MAX)
				__builtin_trap();
			if ((p->bhs.data_len && !p->data) || (p->bhs.ahs_len && !p->ahs))
				__builtin_trap();
			if (iscsi_bhs_encode(&p->bhs, out) != 0)
				__builtin_trap();
			if (p->bhs.data_len) /* touch all of it (ASan checks the bounds) */
				(void)memchr(p->data, 0x5a, p->bhs.data_len);
		} else if (rc < 0) {
			if (iscsi_rx_feed(&rx, data, size, &used) != rc)
				__builtin_trap();
			break;
		} else if (used != c) {
			__builtin_trap();
		}
		off += used;
	}
	return 0;
}
