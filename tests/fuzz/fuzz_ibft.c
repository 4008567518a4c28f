/*
 * fuzz_ibft.c — libFuzzer target: iSCSI Boot Firmware Table (ibft_parse).
 * What ibft_parse accepts must be safe to use: every string it returns lies
 * inside the table and is NUL-terminated at its length; every structure it
 * reports is inside the table.  The input is also fed with its checksum
 * fixed so the structure checks are reached.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "san/ibft.h"

static void check_str(const uint8_t *buf, uint32_t len, const struct ibft_str *s)
{
	if (!s->s) {
		if (s->len)
			__builtin_trap();
		return;
	}
	if ((const uint8_t *)s->s < buf || (const uint8_t *)s->s + s->len + 1 > buf + len)
		__builtin_trap();
	if (s->s[s->len] != 0 || strlen(s->s) != s->len)
		__builtin_trap();
}

static void one(const uint8_t *buf, size_t size)
{
	struct ibft_info in;
	uint8_t ip[4];

	if (ibft_parse(buf, size, &in) != 0)
		return;
	if (in.length > size || in.length < IBFT_HEADER_LEN)
		__builtin_trap();
	check_str(buf, in.length, &in.initiator);
	check_str(buf, in.length, &in.hostname);
	check_str(buf, in.length, &in.target_name);
	check_str(buf, in.length, &in.chap_name);
	check_str(buf, in.length, &in.chap_secret);
	check_str(buf, in.length, &in.rchap_name);
	check_str(buf, in.length, &in.rchap_secret);
	(void)ibft_ipv4(in.ip, ip);
	(void)ibft_ipv4(in.target_ip, ip);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	uint8_t sum = 0;

	one(data, size);
	if (size < IBFT_HEADER_LEN || size > 65536)
		return 0;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[9] = 0;
	{
		uint32_t len = (uint32_t)copy[4] | (uint32_t)copy[5] << 8 | (uint32_t)copy[6] << 16 |
			       (uint32_t)copy[7] << 24;

		if (len > size)
			len = (uint32_t)size;
		for (uint32_t i = 0; i < len; i++)
			sum = (uint8_t)(sum + copy[i]);
	}
	copy[9] = (uint8_t)(0u - sum);
	one(copy, size);
	free(copy);
	return 0;
}
