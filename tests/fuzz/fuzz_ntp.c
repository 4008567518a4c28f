/* fuzz_ntp.c — libFuzzer target: SNTP reply check (ntp_msg_parse). */
#include <stddef.h>
#include <stdint.h>

#include "net/ntp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t t;
	uint64_t xmit = 0;

	if (size >= 8)
		for (int i = 0; i < 8; i++)
			xmit = xmit << 8 | data[(size_t)(24 + i) < size ? (size_t)(24 + i) : (size_t)i];
	ntp_msg_parse(data, size, xmit, &t);
	return 0;
}
