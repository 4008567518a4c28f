/*
 * fuzz_iscsi_uri.c — libFuzzer target: iscsi_uri_parse on arbitrary text;
 * every accepted path has a server, a target name within limits, a port.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/iscsi_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct iscsi_uri u;

	memcpy(s, data, size);
	s[size] = '\0';
	if (iscsi_uri_parse(s, &u) == 0) {
		if (!u.server[0] || !u.target[0] || u.port == 0 || strlen(u.target) > ISCSI_NAME_MAX)
			abort();
		(void)iscsi_uri_lun_number(u.lun);
	}
	free(s);
	return 0;
}
