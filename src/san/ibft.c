/*
 * ibft.c — build and parse the iSCSI Boot Firmware Table (ibft.h; iBFT
 * specification 1.03: §2 conventions, §3.2 structure header, §3.3 table
 * header, §3.4 Control, §3.5 Initiator, §3.6 NIC, §3.7 Target).
 *
 * How this works: ibft_build() lays the four structures at fixed, 8-byte
 * aligned offsets (ibft.h), then appends each string to the heap after
 * them and stores its (length, offset) pair in the owning structure; last,
 * the ACPI checksum byte makes the table's bytes sum to 0.  ibft_parse()
 * walks the other way, trusting nothing: every offset is checked against
 * the header's length before anything is read through it.
 *
 * Field offsets inside each structure, after its 6-byte header (id,
 * version, length[2], index, flags):
 *   Control    6 extensions[2], 8 initiator, 10 nic0, 12 target0,
 *             14 nic1, 16 target1 (offsets, 2 bytes each)
 *   Initiator  6 iSNS, 22 SLP, 38 primary RADIUS, 54 secondary RADIUS
 *             (16 each), 70 name length, 72 name offset
 *   NIC        6 ip(16), 22 prefix, 23 origin, 24 gateway, 40 primary DNS,
 *             56 secondary DNS, 72 DHCP server (16 each), 88 VLAN[2],
 *             90 MAC[6], 96 PCI BDF[2], 98 host name length, 100 offset
 *   Target     6 ip(16), 22 port[2], 24 LUN[8], 32 CHAP type, 33 NIC
 *             association, 34 name, 38 CHAP name, 42 CHAP secret,
 *             46 reverse CHAP name, 50 reverse CHAP secret (length[2],
 *             offset[2] each)
 */
#include <string.h>

#include "core/err.h"
#include "core/le.h"
#include "core/util.h"
#include "platform/platform.h"
#include "san/ibft.h"

#define IBFT_OFF_CONTROL 48u
#define IBFT_OFF_INITIATOR 72u
#define IBFT_OFF_NIC 152u
#define IBFT_OFF_TARGET 256u
#define IBFT_OFF_HEAP 312u
#define IBFT_MAX_LEN 0xffffu            /* offsets are 16-bit */

static const char ibft_oem_id[6] = { 'W', 'B', 'O', 'O', 'T', ' ' };
static const char ibft_oem_table[8] = { 'W', 'I', 'R', 'E', 'B', 'O', 'O', 'T' };
static const char ibft_creator[4] = { 'W', 'B', 'T', ' ' };

/* ::ffff:a.b.c.d; all zeros for 0.0.0.0 ("no address", as the spec asks). */
static void ibft_put_ip(uint8_t *p, const uint8_t ip[4])
{
	memset(p, 0, 16);
	if (!(ip[0] | ip[1] | ip[2] | ip[3]))
		return;
	p[10] = 0xff;
	p[11] = 0xff;
	memcpy(p + 12, ip, 4);
}

int ibft_ipv4(const uint8_t ip16[16], uint8_t out[4])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (memcmp(ip16, prefix, 12))
		return 0;
	memcpy(out, ip16 + 12, 4);
	return 1;
}

/* Heap bytes a string needs (with its NUL); 0 for an absent/empty one; -1 too long. */
static long ibft_str_need(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > IBFT_STR_MAX)
		return -1;
	return n ? (long)n + 1 : 0;
}

size_t ibft_size(const struct ibft_desc *d)
{
	const char *strs[7];
	size_t total = IBFT_OFF_HEAP;

	if (!d || !d->initiator || !*d->initiator || !d->target_name || !*d->target_name ||
	    d->prefix > 32 || d->chap_type > IBFT_CHAP_MUTUAL)
		return 0;
	strs[0] = d->initiator;
	strs[1] = d->hostname;
	strs[2] = d->target_name;
	strs[3] = d->chap_name;
	strs[4] = d->chap_secret;
	strs[5] = d->rchap_name;
	strs[6] = d->rchap_secret;
	for (size_t i = 0; i < 7; i++) {
		long n = ibft_str_need(strs[i]);

		if (n < 0)
			return 0;
		total += (size_t)n;
	}
	total = (total + 7) & ~(size_t)7;
	return total <= IBFT_MAX_LEN ? total : 0;
}

/* The 6-byte structure header (§3.2): id, version 1, length, index 0, flags. */
static void ibft_hdr(uint8_t *p, uint8_t id, uint16_t len, uint8_t flags)
{
	p[0] = id;
	p[1] = 1;
	put_le16(p + 2, len);
	p[4] = 0;
	p[5] = flags;
}

/* Append @s to the heap at *heap and store (length, offset) at @field. */
static void ibft_put_str(uint8_t *buf, size_t *heap, uint8_t *field, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n) {
		put_le16(field, 0);
		put_le16(field + 2, 0);
		return;
	}
	memcpy(buf + *heap, s, n);
	buf[*heap + n] = 0;
	put_le16(field, (uint32_t)n);
	put_le16(field + 2, (uint32_t)*heap);
	*heap += n + 1;
}

int ibft_build(const struct ibft_desc *d, uint8_t *buf, size_t cap, size_t *len)
{
	size_t total = ibft_size(d), heap = IBFT_OFF_HEAP;
	uint8_t *c, *ini, *nic, *tgt, sum = 0;
	int global;

	*len = 0;
	if (!total)
		return -WB_EINVAL;
	if (cap < total)
		return -WB_ETOOBIG;
	memset(buf, 0, total);

	/* §3.3 ACPI header: signature, length, revision, checksum, OEM ids */
	memcpy(buf, IBFT_SIGNATURE, 4);
	put_le32(buf + 4, (uint32_t)total);
	buf[8] = IBFT_REVISION;
	memcpy(buf + 10, ibft_oem_id, 6);
	memcpy(buf + 16, ibft_oem_table, 8);
	put_le32(buf + 24, 1);                 /* OEM revision */
	memcpy(buf + 28, ibft_creator, 4);
	put_le32(buf + 32, 1);                 /* creator revision */

	/* §3.4 Control: where the others are */
	c = buf + IBFT_OFF_CONTROL;
	ibft_hdr(c, IBFT_ID_CONTROL, IBFT_CONTROL_LEN, 0);
	put_le16(c + 8, IBFT_OFF_INITIATOR);
	put_le16(c + 10, IBFT_OFF_NIC);
	put_le16(c + 12, IBFT_OFF_TARGET);

	/* §3.5 Initiator: no iSNS/SLP/RADIUS servers, just the name */
	ini = buf + IBFT_OFF_INITIATOR;
	ibft_hdr(ini, IBFT_ID_INITIATOR, IBFT_INITIATOR_LEN, IBFT_FL_VALID | IBFT_FL_BOOT);
	ibft_put_str(buf, &heap, ini + 70, d->initiator);

	/* §3.6 NIC 0 */
	nic = buf + IBFT_OFF_NIC;
	global = !(d->ip[0] == 169 && d->ip[1] == 254);
	ibft_hdr(nic, IBFT_ID_NIC, IBFT_NIC_LEN,
		 (uint8_t)(IBFT_FL_VALID | IBFT_FL_BOOT | (global ? IBFT_FL_NIC_GLOBAL : 0)));
	ibft_put_ip(nic + 6, d->ip);
	nic[22] = d->prefix;
	nic[23] = d->origin;
	ibft_put_ip(nic + 24, d->gateway);
	ibft_put_ip(nic + 40, d->dns[0]);
	ibft_put_ip(nic + 56, d->dns[1]);
	ibft_put_ip(nic + 72, d->dhcp);
	put_le16(nic + 88, d->vlan);
	memcpy(nic + 90, d->mac, 6);
	put_le16(nic + 96, d->pci_bdf);
	ibft_put_str(buf, &heap, nic + 98, d->hostname);

	/* §3.7 Target 0, on NIC 0 */
	tgt = buf + IBFT_OFF_TARGET;
	ibft_hdr(tgt, IBFT_ID_TARGET, IBFT_TARGET_LEN, IBFT_FL_VALID | IBFT_FL_BOOT);
	ibft_put_ip(tgt + 6, d->target_ip);
	put_le16(tgt + 22, d->target_port);
	memcpy(tgt + 24, d->lun, 8);
	tgt[32] = d->chap_type;
	tgt[33] = 0;
	ibft_put_str(buf, &heap, tgt + 34, d->target_name);
	if (d->chap_type != IBFT_CHAP_NONE) {
		ibft_put_str(buf, &heap, tgt + 38, d->chap_name);
		ibft_put_str(buf, &heap, tgt + 42, d->chap_secret);
	}
	if (d->chap_type == IBFT_CHAP_MUTUAL) {
		ibft_put_str(buf, &heap, tgt + 46, d->rchap_name);
		ibft_put_str(buf, &heap, tgt + 50, d->rchap_secret);
	}

	for (size_t i = 0; i < total; i++)
		sum = (uint8_t)(sum + buf[i]);
	buf[9] = (uint8_t)(0u - sum);
	*len = total;
	return 0;
}

/* ---- parsing (untrusted) ------------------------------------------------ */

/* The structure at offset @off must be inside @len, aligned, of @id, version 1, >= @min. */
int ibft_publish(const struct ibft_desc *d, int (*install)(void *arg, const uint8_t *table, size_t len),
		 void *arg, size_t *len)
{
	size_t cap = d ? ibft_size(d) : 0, n = 0;
	struct ibft_info check;
	uint8_t *buf;
	int rc;

	*len = 0;
	if (!cap || !install)
		return -WB_EINVAL;
	buf = plat_malloc(cap);
	if (!buf)
		return -WB_ENOMEM;
	rc = ibft_build(d, buf, cap, &n);
	if (!rc)
		rc = ibft_parse(buf, n, &check);   /* check only points into buf */
	if (!rc) {
		*len = n;
		rc = install(arg, buf, n);
	}
	wb_wipe(buf, cap);
	plat_free(buf);
	return rc;
}

static int ibft_struct_ok(const uint8_t *buf, uint32_t len, uint32_t off, uint8_t id, uint16_t min)
{
	uint16_t slen;

	if (off % 8 || off < IBFT_HEADER_LEN || (uint64_t)off + 6 > len)
		return 0;
	slen = le16(buf + off + 2);
	return buf[off] == id && buf[off + 1] == 1 && slen >= min && (uint64_t)off + slen <= len;
}

/* The (length, offset) pair at @field: absent (0,0), or inside @len and NUL-terminated. */
static int ibft_get_str(const uint8_t *buf, uint32_t len, const uint8_t *field, struct ibft_str *out)
{
	uint16_t n = le16(field), off = le16(field + 2);

	out->s = NULL;
	out->len = 0;
	if (!n && !off)
		return 0;
	if (!n) {   /* an empty string still needs its NUL */
		if (off < IBFT_HEADER_LEN || off >= len || buf[off])
			return -WB_EIBFTSTR;
		out->s = (const char *)buf + off;
		return 0;
	}
	if (off < IBFT_HEADER_LEN || (uint32_t)off + n + 1 > len || buf[off + n])
		return -WB_EIBFTSTR;
	if (memchr(buf + off, 0, n))
		return -WB_EIBFTSTR;   /* an embedded NUL: the OS would see a shorter name */
	out->s = (const char *)buf + off;
	out->len = n;
	return 0;
}

int ibft_parse(const uint8_t *buf, size_t len, struct ibft_info *out)
{
	const uint8_t *c, *p;
	uint32_t tlen;
	uint16_t clen, off;
	uint8_t sum = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!buf || len < IBFT_HEADER_LEN || memcmp(buf, IBFT_SIGNATURE, 4))
		return -WB_EIBFTHDR;
	tlen = le32(buf + 4);
	if (tlen < IBFT_HEADER_LEN || tlen > len || buf[8] != IBFT_REVISION)
		return -WB_EIBFTHDR;
	for (uint32_t i = 0; i < tlen; i++)
		sum = (uint8_t)(sum + buf[i]);
	if (sum)
		return -WB_EIBFTHDR;
	out->length = tlen;
	memcpy(out->oem_id, buf + 10, 6);
	memcpy(out->oem_table_id, buf + 16, 8);

	if (!ibft_struct_ok(buf, tlen, IBFT_OFF_CONTROL, IBFT_ID_CONTROL, IBFT_CONTROL_LEN))
		return -WB_EIBFTSTRUCT;
	c = buf + IBFT_OFF_CONTROL;
	clen = le16(c + 2);
	out->control_flags = c[5];
	/* every offset the Control holds (8: initiator, then NIC/target pairs) */
	for (uint32_t f = 8; f + 2 <= clen; f += 2) {
		static const uint8_t ids[2] = { IBFT_ID_NIC, IBFT_ID_TARGET };
		static const uint16_t mins[2] = { IBFT_NIC_LEN, IBFT_TARGET_LEN };
		uint8_t id = f == 8 ? IBFT_ID_INITIATOR : ids[(f - 10) / 2 % 2];
		uint16_t min = f == 8 ? IBFT_INITIATOR_LEN : mins[(f - 10) / 2 % 2];

		off = le16(c + f);
		if (off && !ibft_struct_ok(buf, tlen, off, id, min))
			return -WB_EIBFTSTRUCT;
	}

	off = le16(c + 8);
	if (off) {
		p = buf + off;
		out->has_initiator = 1;
		out->initiator_flags = p[5];
		if ((rc = ibft_get_str(buf, tlen, p + 70, &out->initiator)))
			return rc;
	}
	off = le16(c + 10);
	if (off) {
		p = buf + off;
		out->has_nic = 1;
		out->nic_flags = p[5];
		memcpy(out->ip, p + 6, 16);
		out->prefix = p[22];
		out->origin = p[23];
		memcpy(out->gateway, p + 24, 16);
		memcpy(out->dns[0], p + 40, 16);
		memcpy(out->dns[1], p + 56, 16);
		memcpy(out->dhcp, p + 72, 16);
		out->vlan = le16(p + 88);
		memcpy(out->mac, p + 90, 6);
		out->pci_bdf = le16(p + 96);
		if ((rc = ibft_get_str(buf, tlen, p + 98, &out->hostname)))
			return rc;
	}
	off = le16(c + 12);
	if (off) {
		p = buf + off;
		out->has_target = 1;
		out->target_flags = p[5];
		memcpy(out->target_ip, p + 6, 16);
		out->target_port = le16(p + 22);
		memcpy(out->lun, p + 24, 8);
		out->chap_type = p[32];
		out->nic_assoc = p[33];
		if ((rc = ibft_get_str(buf, tlen, p + 34, &out->target_name)) ||
		    (rc = ibft_get_str(buf, tlen, p + 38, &out->chap_name)) ||
		    (rc = ibft_get_str(buf, tlen, p + 42, &out->chap_secret)) ||
		    (rc = ibft_get_str(buf, tlen, p + 46, &out->rchap_name)) ||
		    (rc = ibft_get_str(buf, tlen, p + 50, &out->rchap_secret)))
			return rc;
	}
	return 0;
}
