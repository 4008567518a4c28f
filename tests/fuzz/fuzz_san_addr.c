/*
 * fuzz_san_addr.c — libFuzzer target: san_iscsi_target_address (the
 * TargetAddress of a login redirect, untrusted) on arbitrary text; an
 * accepted address has a non-empty host that fits and a non-zero port.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "san/san.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char host[64];
	uint16_t port = 0;

	memcpy(s, data, size);
	s[size] = '\0';
	if (san_iscsi_target_address(s, host, sizeof(host), &port) == 0) {
		if (!host[0] || strlen(host) >= sizeof(host) || port == 0 || strchr(host, ','))
			abort();
	}
	free(s);
	return 0;
}
