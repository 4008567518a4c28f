/* fuzz_ackq.c — libFuzzer target: the pure-ACK parser and the ACK queue (net/ackq.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/ackq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ackq q;
	struct ackq_ack a;
	unsigned flush;
	size_t off = 0;

	/* the input as a sequence of frames: a length byte, then that many bytes */
	memset(&q, 0, sizeof(q));
	while (off < size) {
		size_t n = data[off++];

		if (n > size - off)
			n = size - off;
		(void)ackq_parse(data + off, n, &a);
		if (ackq_offer(&q, data + off, n, &flush) == ACKQ_HELD && (flush & ackq_pending(&q)) != flush)
			__builtin_trap();
		for (unsigned i = 0; i < ACKQ_SLOTS; i++) {
			size_t len;

			if ((flush >> i) & 1)
				if (!ackq_take(&q, i, &len) || len > ACKQ_FRAME_MAX)
					__builtin_trap();
		}
		off += n;
	}
	return 0;
}
