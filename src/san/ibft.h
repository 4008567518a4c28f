/*
 * ibft.h — the iSCSI Boot Firmware Table (IBM/Microsoft, "iSCSI Boot
 * Firmware Table (iBFT) as Defined in ACPI 3.0b Specification", version
 * 1.03): how boot firmware tells the OS which iSCSI target it booted from,
 * over which NIC, as which initiator, with which CHAP credentials, so that
 * the OS (Linux: iscsi_ibft + iscsistart -b / dracut / open-iscsi; Windows)
 * logs in to the same target again.
 *
 * Pure: builds and parses a table in a caller's buffer, no allocation, no
 * I/O.  The platform installs the bytes as an ACPI table (EFI:
 * EFI_ACPI_TABLE_PROTOCOL, platform/efi/efi_blockio.c).
 *
 * The table carries the CHAP secrets in clear text: that is what it is for
 * (the OS must log in with them).  Nothing here prints anything; callers
 * must never print the secrets either.
 *
 * Layout written by ibft_build() (offsets from the table's start; each
 * structure starts on an 8-byte boundary as the spec requires):
 *     0  ACPI header (36) + 12 reserved bytes
 *    48  Control   (id 1, 18 bytes)
 *    72  Initiator (id 2, 74 bytes)
 *   152  NIC 0     (id 3, 102 bytes)
 *   256  Target 0  (id 4, 54 bytes)
 *   312  heap: NUL-terminated strings, referenced by (length, offset)
 *        pairs; the length excludes the NUL; absent = (0, 0)
 * All multi-byte numbers are little-endian; IP addresses are 16 bytes,
 * IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d) in network order.
 */
#ifndef WB_SAN_IBFT_H
#define WB_SAN_IBFT_H

#include <stddef.h>
#include <stdint.h>

#define IBFT_SIGNATURE "iBFT"
#define IBFT_REVISION 1
#define IBFT_HEADER_LEN 48          /* ACPI header 36 + 12 reserved */

#define IBFT_ID_CONTROL 1
#define IBFT_ID_INITIATOR 2
#define IBFT_ID_NIC 3
#define IBFT_ID_TARGET 4

#define IBFT_CONTROL_LEN 18
#define IBFT_INITIATOR_LEN 74
#define IBFT_NIC_LEN 102
#define IBFT_TARGET_LEN 54

/* structure header flags */
#define IBFT_FL_VALID 0x01          /* block valid */
#define IBFT_FL_BOOT 0x02           /* firmware boot selected */
#define IBFT_FL_NIC_GLOBAL 0x04     /* NIC: address is global (not link-local) */

/* NIC origin (the Windows NL_PREFIX_ORIGIN values the spec uses) */
#define IBFT_ORIGIN_OTHER 0
#define IBFT_ORIGIN_MANUAL 1
#define IBFT_ORIGIN_DHCP 3

/* Target CHAP type */
#define IBFT_CHAP_NONE 0
#define IBFT_CHAP_ONEWAY 1
#define IBFT_CHAP_MUTUAL 2

#define IBFT_STR_MAX 255            /* longest string ibft_build() accepts */

/** What to describe: one initiator, one NIC, one target. */
struct ibft_desc {
	const char *initiator;      /* initiator IQN, required */
	/* NIC 0 */
	uint8_t ip[4];
	uint8_t prefix;             /* subnet prefix length, 0..32 */
	uint8_t gateway[4];         /* 0.0.0.0 = none */
	uint8_t dns[2][4];          /* primary, secondary; 0.0.0.0 = none */
	uint8_t dhcp[4];            /* the DHCP server that configured ip; 0.0.0.0 = none */
	uint8_t origin;             /* IBFT_ORIGIN_* */
	uint16_t vlan;              /* 802.1Q tag, 0 none */
	uint8_t mac[6];
	uint16_t pci_bdf;           /* bus << 8 | device << 3 | function; 0 unknown */
	const char *hostname;       /* may be NULL */
	/* Target 0 */
	uint8_t target_ip[4];
	uint16_t target_port;
	uint8_t lun[8];             /* SAM LUN as on the wire */
	const char *target_name;    /* IQN, required */
	uint8_t chap_type;          /* IBFT_CHAP_* */
	const char *chap_name, *chap_secret;             /* one-way (may be NULL) */
	const char *rchap_name, *rchap_secret;           /* mutual (may be NULL) */
};

/**
 * Size of the table ibft_build() writes for @d (8-byte multiple), or 0 when
 * @d cannot be described (a required string missing, a string longer than
 * IBFT_STR_MAX, prefix > 32).
 */
size_t ibft_size(const struct ibft_desc *d);

/**
 * Build the table for @d into @buf (@cap bytes; ibft_size(d) are needed).
 * The checksum makes the bytes of the whole table sum to 0.
 * @return 0 and *len, -WB_EINVAL (@d not describable, see ibft_size) or
 * -WB_ETOOBIG (@cap too small).  @buf then holds secrets: clear it when
 * done with it.
 */
int ibft_build(const struct ibft_desc *d, uint8_t *buf, size_t cap, size_t *len);

/**
 * Hand the table for @d to @install, and leave no copy of it behind: the table is
 * built in a plat_malloc'd buffer, validated with ibft_parse() (what we hand the OS
 * passes our own validator first), given to @install(@arg, table, length) — which
 * must copy it, as EFI_ACPI_TABLE_PROTOCOL.InstallAcpiTable does — and then the
 * buffer (it holds the CHAP secrets) is wiped (wb_wipe) and freed, on every path.
 * @return 0 and *len; -WB_EINVAL (@d not describable, see ibft_size), -WB_ENOMEM,
 * ibft_parse()'s error when the built table does not validate (*len = 0 then), or
 * what @install returned.
 */
int ibft_publish(const struct ibft_desc *d, int (*install)(void *arg, const uint8_t *table, size_t len),
		 void *arg, size_t *len);

/** A string of a parsed table: points into the table, NUL-terminated; NULL absent. */
struct ibft_str {
	const char *s;
	uint16_t len;
};

/** A parsed table.  Pointers point into the caller's buffer. */
struct ibft_info {
	uint32_t length;                 /* from the ACPI header */
	char oem_id[7], oem_table_id[9];
	uint8_t control_flags;
	int has_initiator, has_nic, has_target;
	/* Initiator */
	uint8_t initiator_flags;
	struct ibft_str initiator;
	/* NIC 0 */
	uint8_t nic_flags;
	uint8_t ip[16], gateway[16], dns[2][16], dhcp[16];
	uint8_t prefix, origin;
	uint16_t vlan, pci_bdf;
	uint8_t mac[6];
	struct ibft_str hostname;
	/* Target 0 */
	uint8_t target_flags;
	uint8_t target_ip[16];
	uint16_t target_port;
	uint8_t lun[8];
	uint8_t chap_type, nic_assoc;
	struct ibft_str target_name, chap_name, chap_secret, rchap_name, rchap_secret;
};

/**
 * Parse and validate an iBFT (untrusted bytes: fuzzed by
 * tests/fuzz/fuzz_ibft.c).  Checks: signature, revision 1, the header's
 * length within @len, checksum 0; the Control structure at offset 48; each
 * structure the Control names (Initiator, NIC 0, Target 0) inside the
 * table, 8-byte aligned, with its id, version 1 and at least its spec
 * length; each string inside the table, NUL-terminated, (0, 0) when
 * absent.  Structures named by a Control longer than 18 bytes (NIC 1,
 * Target 1 …) are checked the same way but not returned.
 * @return 0 and *out, -WB_EIBFTHDR or -WB_EIBFTSTRUCT or -WB_EIBFTSTR.
 */
int ibft_parse(const uint8_t *buf, size_t len, struct ibft_info *out);

/** 1 and @out when @ip16 is an IPv4-mapped address (::ffff:a.b.c.d), else 0. */
int ibft_ipv4(const uint8_t ip16[16], uint8_t out[4]);

#endif
