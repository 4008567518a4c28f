/*
 * ibft.c — `wireboot ibft FILE`: validate and show an iSCSI Boot Firmware
 * Table (san/ibft.h), e.g. the one wireboot left for Linux:
 *
 *   wireboot ibft /sys/firmware/acpi/tables/iBFT
 *
 * Prints the initiator, NIC 0 and target 0 the way an OS would read them.
 * The CHAP secrets are in the table (that is its purpose) but are never
 * printed: only whether they are set and their length.  Exit 0 when the
 * table validates, 1 with the reason when not, 2 for bad usage or an
 * unreadable file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "san/ibft.h"

int ibft_main(int argc, char **argv);

#define IBFT_FILE_MAX 65536u

/* An address as the OS would show it: dotted quad, "-" when all zero, else hex. */
static void show_ip(const char *label, const uint8_t ip16[16])
{
	static const uint8_t zero[16];
	uint8_t v4[4];

	if (!memcmp(ip16, zero, 16))
		printf(" %s -", label);
	else if (ibft_ipv4(ip16, v4))
		printf(" %s %u.%u.%u.%u", label, v4[0], v4[1], v4[2], v4[3]);
	else {
		printf(" %s ", label);
		for (int i = 0; i < 16; i += 2)
			printf("%s%02x%02x", i ? ":" : "", ip16[i], ip16[i + 1]);
	}
}

/* A name from the table: printable ASCII only, "-" when absent. */
static void show_str(const char *label, const struct ibft_str *s)
{
	printf(" %s ", label);
	if (!s->s || !s->len) {
		printf("-");
		return;
	}
	for (uint16_t i = 0; i < s->len; i++)
		putchar(s->s[i] >= 0x20 && s->s[i] < 0x7f ? s->s[i] : '?');
}

static void show_secret(const char *label, const struct ibft_str *s)
{
	if (s->s && s->len)
		printf(" %s (set, %u bytes, not shown)", label, (unsigned)s->len);
	else
		printf(" %s -", label);
}

static const char *origin_name(uint8_t o)
{
	switch (o) {
	case 0: return "other";
	case IBFT_ORIGIN_MANUAL: return "manual";
	case 2: return "well-known";
	case IBFT_ORIGIN_DHCP: return "dhcp";
	case 4: return "router-advertisement";
	default: return "unknown";
	}
}

static const char *chap_name(uint8_t t)
{
	switch (t) {
	case IBFT_CHAP_NONE: return "none";
	case IBFT_CHAP_ONEWAY: return "one-way";
	case IBFT_CHAP_MUTUAL: return "mutual";
	default: return "unknown";
	}
}

int ibft_main(int argc, char **argv)
{
	static uint8_t buf[IBFT_FILE_MAX];
	struct ibft_info in;
	size_t len;
	FILE *f;
	int rc;

	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr, "wireboot ibft: %s\n", !argc ? "no FILE given" : argv[0][0] == '-' ?
			"unknown option" : "one FILE only");
		fprintf(stderr, "usage: wireboot ibft FILE   (e.g. /sys/firmware/acpi/tables/iBFT)\n");
		return 2;
	}
	f = fopen(argv[0], "rb");
	if (!f) {
		fprintf(stderr, "wireboot ibft: %s: %s\n", argv[0], strerror(errno));
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	rc = ibft_parse(buf, len, &in);
	if (rc) {
		printf("ibft: %s (%zu bytes): %s\n", argv[0], len, wb_strerror(rc));
		memset(buf, 0, sizeof(buf));
		return 1;
	}
	printf("ibft: %u bytes, OEM \"%s\" \"%s\", checksum ok\n", (unsigned)in.length, in.oem_id,
	       in.oem_table_id);
	if (in.has_initiator) {
		printf("initiator: flags 0x%02x", in.initiator_flags);
		show_str("name", &in.initiator);
		printf("\n");
	}
	if (in.has_nic) {
		printf("nic0: flags 0x%02x", in.nic_flags);
		show_ip("ip", in.ip);
		printf("/%u origin %s", (unsigned)in.prefix, origin_name(in.origin));
		show_ip("gateway", in.gateway);
		show_ip("dns", in.dns[0]);
		show_ip("dns2", in.dns[1]);
		show_ip("dhcp", in.dhcp);
		printf(" vlan %u mac %02x:%02x:%02x:%02x:%02x:%02x pci %02x:%02x.%x", (unsigned)in.vlan,
		       in.mac[0], in.mac[1], in.mac[2], in.mac[3], in.mac[4], in.mac[5],
		       (unsigned)(in.pci_bdf >> 8), (unsigned)(in.pci_bdf >> 3 & 0x1f),
		       (unsigned)(in.pci_bdf & 7));
		show_str("hostname", &in.hostname);
		printf("\n");
	}
	if (in.has_target) {
		printf("target0: flags 0x%02x", in.target_flags);
		show_ip("ip", in.target_ip);
		printf(" port %u lun %02x%02x-%02x%02x-%02x%02x-%02x%02x nic %u", (unsigned)in.target_port,
		       in.lun[0], in.lun[1], in.lun[2], in.lun[3], in.lun[4], in.lun[5], in.lun[6],
		       in.lun[7], (unsigned)in.nic_assoc);
		show_str("name", &in.target_name);
		printf(" chap %s", chap_name(in.chap_type));
		show_str("chap-name", &in.chap_name);
		show_secret("chap-secret", &in.chap_secret);
		show_str("reverse-chap-name", &in.rchap_name);
		show_secret("reverse-chap-secret", &in.rchap_secret);
		printf("\n");
	}
	memset(buf, 0, sizeof(buf));
	memset(&in, 0, sizeof(in));
	return 0;
}
