/* fuzz_dhcp.c — libFuzzer target: DHCP reply parser (dhcp_msg_parse), with the
 * PXE option 43 decoder and the proxyDHCP decisions made on what it parsed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/dhcp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_reply r;

	if (dhcp_msg_parse(data, size, &r) == 0) {
		uint8_t server[4];
		uint16_t item = 0;

		/* every string the parser hands out must be terminated */
		if (strlen(r.hostname) >= sizeof(r.hostname) || strlen(r.domain) >= sizeof(r.domain) ||
		    strlen(r.root_path) >= sizeof(r.root_path) ||
		    strlen(r.filename) >= sizeof(r.filename) || strlen(r.sname) >= sizeof(r.sname) ||
		    strlen(r.vendor_class) >= sizeof(r.vendor_class) ||
		    strlen(r.pxe_why) >= sizeof(r.pxe_why))
			__builtin_trap();
		/* the PXE lists stay in bounds; a bad option 43 leaves nothing behind */
		if (r.pxe.nmenu > DHCP_PXE_MAX_ITEMS || r.pxe.nservers > DHCP_PXE_MAX_ITEMS ||
		    r.vendor_opts_len > sizeof(r.vendor_opts) ||
		    (r.pxe.bad && (r.pxe.present || r.pxe.nmenu || r.pxe.nservers)))
			__builtin_trap();
		(void)dhcp_msg_is_proxy_offer(&r);
		(void)dhcp_msg_is_pxe(&r);
		for (int from_4011 = 0; from_4011 < 2; from_4011++) {
			enum dhcp_pxe_step st = dhcp_msg_pxe_next(&r, from_4011, &item, server);

			/* a request is never made for local boot (item 0) nor, from port
			 * 4011, a second plain one */
			if ((st == DHCP_PXE_ASK_ITEM && item == 0) ||
			    (st == DHCP_PXE_ASK_PROXY && from_4011))
				__builtin_trap();
		}
	}
	return 0;
}
