/*
 * iscsi_uri.h — iSCSI root paths (RFC 4173 §5, the form iPXE and DHCP
 * option 17 use):
 *
 *   iscsi:<servername>:<protocol>:<port>:<LUN>:<targetname>
 *
 *   servername  host name, dotted IPv4, or an IPv6 literal in [brackets]
 *               (required)
 *   protocol    empty or 6 (TCP, the only transport defined)
 *   port        empty (3260) or decimal 1-65535
 *   LUN         empty (LUN 0) or RFC 4173's hexadecimal form: up to four
 *               '-'-separated groups of 1-4 hex digits, each group one
 *               16-bit level of the 8-byte SAM LUN, first group first,
 *               missing groups zero ("1" is LUN 1, "4752-3A4F" fills bytes
 *               0..3).  So small LUNs read the same as decimal up to 9.
 *   targetname  everything after the fifth ':' (iSCSI names contain ':'),
 *               1..223 bytes of printable ASCII without spaces (RFC 7143
 *               §4.2.7.1 limits names to 223 bytes)
 *
 * The scheme is case-insensitive.  Pure; no allocation.
 */
#ifndef WB_ISCSI_URI_H
#define WB_ISCSI_URI_H

#include <stdint.h>

#define ISCSI_URI_HOST_MAX   255
#define ISCSI_NAME_MAX       223
#define ISCSI_DEFAULT_PORT   3260

struct iscsi_uri {
	char server[ISCSI_URI_HOST_MAX + 1];  /* without the [] of an IPv6 literal */
	int server_is_ipv6;
	uint16_t port;
	uint8_t lun[8];                       /* the BHS LUN field, as RFC 4173 lays it out */
	char target[ISCSI_NAME_MAX + 1];
};

/**
 * Parse the NUL-terminated @s into @out.  Returns 0, or -WB_EISCSIURI (not
 * an iscsi: path, too few fields, empty or oversized server),
 * -WB_EISCSIURIPROTO, -WB_EISCSIURIPORT, -WB_EISCSIURILUN,
 * -WB_EISCSIURITARGET.
 */
int iscsi_uri_parse(const char *s, struct iscsi_uri *out);

/**
 * The LUN as a plain number when it is a single-level LUN in SAM's
 * peripheral or flat addressing (bytes 2..7 zero): 0-16383; else -1.
 */
long iscsi_uri_lun_number(const uint8_t lun[8]);

#endif
