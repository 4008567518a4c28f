/* fuzz_dhcp.c — libFuzzer target: DHCP reply parser (dhcp_msg_parse). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/dhcp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_reply r;

	if (dhcp_msg_parse(data, size, &r) == 0) {
		/* every string the parser hands out must be terminated */
		if (strlen(r.hostname) >= sizeof(r.hostname) || strlen(r.domain) >= sizeof(r.domain) ||
		    strlen(r.root_path) >= sizeof(r.root_path) ||
		    strlen(r.filename) >= sizeof(r.filename) || strlen(r.sname) >= sizeof(r.sname))
			__builtin_trap();
	}
	return 0;
}
