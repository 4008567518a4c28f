/*
 * dhcp_msg.c — DHCP message builder and parser (RFC 2131 §2, §4.1; RFC 2132;
 * RFC 3396 long options; RFC 4578 options 93/94).
 *
 * Parsing walks the options field, then — when option 52 says so — the file
 * field (RFC 2132 §9.3) and then sname.  Each option is checked against the
 * end of the field it is in before it is read.  String options are
 * concatenated when repeated (RFC 3396) and refused when longer than what we
 * keep, rather than silently cut: a cut root-path would name the wrong disk.
 *
 * PXE (PXE 2.1 §2.2.5, §2.4): a reply whose option 60 begins "PXEClient" has
 * its option 43 decoded as PXE vendor options.  A malformed one only marks
 * the PXE part bad (the address in the same reply is still usable); a
 * proxyDHCP offer with a bad option 43 is dropped by the client.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "net/dhcp_msg.h"

static const uint8_t dhcp_magic[4] = { 99, 130, 83, 99 };

struct dhcp_writer {
	uint8_t *buf;
	size_t cap, len;
	int overflow;
};

static void dw_bytes(struct dhcp_writer *w, const void *p, size_t n)
{
	if (w->len + n > w->cap) {
		w->overflow = 1;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void dw_opt(struct dhcp_writer *w, uint8_t code, const void *p, size_t n)
{
	uint8_t hdr[2] = { code, (uint8_t)n };

	if (n > 255) {
		w->overflow = 1;
		return;
	}
	dw_bytes(w, hdr, 2);
	dw_bytes(w, p, n);
}

static int ip_set(const uint8_t ip[4])
{
	return ip[0] | ip[1] | ip[2] | ip[3];
}

int dhcp_msg_build(const struct dhcp_request *req, uint8_t *buf, size_t cap)
{
	struct dhcp_writer w = { buf, cap, 0, 0 };
	uint8_t hdr[DHCP_FIXED_LEN];
	uint8_t b[19];
	static const uint8_t params[] = {
		1, 3, 6, 12, 15, 17, 26, 28, 42, 43, 60, 66, 67, 119, 175, 203,
	};

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = 1;                     /* op: BOOTREQUEST */
	hdr[1] = 1;                     /* htype: Ethernet */
	hdr[2] = 6;                     /* hlen */
	wb_put32(hdr + 4, req->xid);
	wb_put16(hdr + 8, req->secs);
	if (ip_set(req->ciaddr))        /* bound (port 4011): answers come unicast */
		memcpy(hdr + 12, req->ciaddr, 4);
	else
		wb_put16(hdr + 10, 0x8000);   /* flags: broadcast, we have no address yet */
	memcpy(hdr + 28, req->mac, 6);  /* chaddr */
	dw_bytes(&w, hdr, sizeof(hdr));
	dw_bytes(&w, dhcp_magic, 4);

	b[0] = req->type;
	dw_opt(&w, 53, b, 1);
	b[0] = 1;                       /* client identifier: htype + MAC (RFC 2132 §9.14) */
	memcpy(b + 1, req->mac, 6);
	dw_opt(&w, 61, b, 7);
	wb_put16(b, 1472);              /* max message size */
	dw_opt(&w, 57, b, 2);
	if (ip_set(req->requested_ip))
		dw_opt(&w, 50, req->requested_ip, 4);
	if (ip_set(req->server_id))
		dw_opt(&w, 54, req->server_id, 4);
	wb_put16(b, req->client_arch);  /* RFC 4578 §2.1 */
	dw_opt(&w, 93, b, 2);
	b[0] = 1; b[1] = 3; b[2] = 16;  /* RFC 4578 §2.2: UNDI 3.16 */
	dw_opt(&w, 94, b, 3);
	if (req->has_uuid) {
		b[0] = 0;                   /* RFC 4578 §2.3: type 0, a 16-octet GUID */
		memcpy(b + 1, req->uuid, 16);
		dw_opt(&w, 97, b, 17);
	}
	if (req->vendor_class)
		dw_opt(&w, 60, req->vendor_class, strlen(req->vendor_class));
	if (req->user_class)
		dw_opt(&w, 77, req->user_class, strlen(req->user_class));
	if (req->has_boot_item) {       /* PXE_BOOT_ITEM: type, layer 0; then END */
		uint8_t v[7] = { 71, 4, (uint8_t)(req->boot_item_type >> 8),
				 (uint8_t)req->boot_item_type, 0, 0, 255 };

		dw_opt(&w, 43, v, sizeof(v));
	}
	dw_opt(&w, 55, params, sizeof(params));
	b[0] = 255;
	dw_bytes(&w, b, 1);
	while (w.len < 300 && !w.overflow) {  /* BOOTP minimum; some relays insist */
		b[0] = 0;
		dw_bytes(&w, b, 1);
	}
	return w.overflow ? -WB_ETOOBIG : (int)w.len;
}

static int dhcp_bad(struct dhcp_reply *out, const char *fmt, unsigned a, unsigned b)
{
	wb_snprintf(out->why, sizeof(out->why), fmt, a, b);
	return -WB_EDHCPBAD;
}

static int dhcp_addrs(struct dhcp_reply *out, uint8_t code, const uint8_t *v, unsigned len,
		      uint8_t (*dst)[4], int *n)
{
	if (len == 0 || len % 4)
		return dhcp_bad(out, "option %u has length %u, not a multiple of 4", code, len);
	for (unsigned i = 0; i + 4 <= len && *n < DHCP_MAX_ADDRS; i += 4)
		memcpy(dst[(*n)++], v + i, 4);
	return 0;
}

static int dhcp_str(struct dhcp_reply *out, uint8_t code, const uint8_t *v, unsigned len,
		    char *dst, size_t cap)
{
	size_t have = strlen(dst);

	/* Servers may NUL-terminate strings; drop trailing NULs. */
	while (len && v[len - 1] == 0)
		len--;
	if (have + len >= cap)
		return dhcp_bad(out, "option %u is too long (%u bytes)", code, (unsigned)(have + len));
	for (unsigned i = 0; i < len; i++)
		if (v[i] == 0)
			return dhcp_bad(out, "option %u holds a NUL byte at %u", code, i);
	memcpy(dst + have, v, len);
	dst[have + len] = '\0';
	return 0;
}

static int dhcp_fixed(struct dhcp_reply *out, uint8_t code, unsigned len, unsigned want)
{
	if (len != want)
		return dhcp_bad(out, "option %u has length %u", code, len);
	return 0;
}

/* One option. */
static int dhcp_option(struct dhcp_reply *out, uint8_t code, const uint8_t *v, unsigned len,
		       int in_main)
{
	int rc = 0;

	switch (code) {
	case 1:
		if (!(rc = dhcp_fixed(out, code, len, 4))) {
			memcpy(out->netmask, v, 4);
			out->has_netmask = 1;
		}
		break;
	case 3:
		if (len < 4 || len % 4)
			return dhcp_bad(out, "option %u has length %u, not a multiple of 4", code, len);
		if (!out->has_router)
			memcpy(out->router, v, 4);
		out->has_router = 1;
		break;
	case 6:
		rc = dhcp_addrs(out, code, v, len, out->dns, &out->ndns);
		break;
	case 42:
		rc = dhcp_addrs(out, code, v, len, out->ntp, &out->nntp);
		break;
	case 12:
		rc = dhcp_str(out, code, v, len, out->hostname, sizeof(out->hostname));
		break;
	case 15:
		rc = dhcp_str(out, code, v, len, out->domain, sizeof(out->domain));
		break;
	case 17:
		rc = dhcp_str(out, code, v, len, out->root_path, sizeof(out->root_path));
		break;
	case 203:
		rc = dhcp_str(out, code, v, len, out->initiator_iqn, sizeof(out->initiator_iqn));
		break;
	case 67:
		rc = dhcp_str(out, code, v, len, out->filename, sizeof(out->filename));
		break;
	case 66:
		rc = dhcp_str(out, code, v, len, out->tftp_server, sizeof(out->tftp_server));
		break;
	case 60:
		rc = dhcp_str(out, code, v, len, out->vendor_class, sizeof(out->vendor_class));
		break;
	case 43:   /* kept raw: its meaning depends on option 60, which may come later */
		if (len > sizeof(out->vendor_opts) - out->vendor_opts_len)
			return dhcp_bad(out, "option %u is too long (%u bytes)", code,
					out->vendor_opts_len + len);
		memcpy(out->vendor_opts + out->vendor_opts_len, v, len);
		out->vendor_opts_len += len;
		break;
	case 51:
		if (!(rc = dhcp_fixed(out, code, len, 4)))
			out->lease_secs = wb_get32(v);
		break;
	case 53:
		if (!(rc = dhcp_fixed(out, code, len, 1)))
			out->type = v[0];
		break;
	case 54:
		if (!(rc = dhcp_fixed(out, code, len, 4))) {
			memcpy(out->server_id, v, 4);
			out->has_server_id = 1;
		}
		break;
	case 52:
		/* RFC 2132 §9.3: only meaningful in the options field itself */
		if (!in_main)
			return dhcp_bad(out, "option overload (52) inside an overloaded field", 0, 0);
		if ((rc = dhcp_fixed(out, code, len, 1)))
			break;
		if (v[0] < 1 || v[0] > 3)
			return dhcp_bad(out, "option overload (52) has value %u", v[0], 0);
		out->overload = v[0];
		break;
	default:
		break;
	}
	return rc;
}

/* Walk one options area; @field names it in errors. */
static int dhcp_walk(struct dhcp_reply *out, const uint8_t *p, size_t len, int in_main,
		     const char *field)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i++];
		unsigned olen;

		if (code == 0)
			continue;
		if (code == 255)
			return 0;
		if (i >= len) {
			wb_snprintf(out->why, sizeof(out->why),
				    "option %u in the %s field has no length byte", code, field);
			return -WB_EDHCPBAD;
		}
		olen = p[i++];
		if (olen > len - i) {
			wb_snprintf(out->why, sizeof(out->why),
				    "option %u (length %u) runs past the end of the %s field",
				    code, olen, field);
			return -WB_EDHCPBAD;
		}
		int rc = dhcp_option(out, code, p + i, olen, in_main);
		if (rc)
			return rc;
		i += olen;
	}
	/* RFC 2131 §4.1: the options field must end with 255; tolerate a
	 * missing end in the overloaded fields, whose padding ends them. */
	if (in_main) {
		wb_snprintf(out->why, sizeof(out->why), "options have no end marker (255)");
		return -WB_EDHCPBAD;
	}
	return 0;
}

/* a malformed option 43 leaves nothing of it behind */
static int pxe_bad(struct dhcp_reply *out, const char *fmt, unsigned a, unsigned b)
{
	memset(&out->pxe, 0, sizeof(out->pxe));
	out->pxe.bad = 1;
	wb_snprintf(out->pxe_why, sizeof(out->pxe_why), fmt, a, b);
	return -WB_EDHCPBAD;
}

/* PXE 2.1 table 2-1: the sub-options of option 43 a default-item client uses */
static int pxe_decode(struct dhcp_reply *out)
{
	const uint8_t *p = out->vendor_opts;
	unsigned n = out->vendor_opts_len, i = 0;
	struct dhcp_pxe *x = &out->pxe;

	x->present = 1;
	while (i < n) {
		uint8_t code = p[i++];
		unsigned len;
		const uint8_t *v;

		if (code == 0)
			continue;
		if (code == 255)
			break;
		if (i >= n)
			return pxe_bad(out, "PXE option 43.%u has no length byte", code, 0);
		len = p[i++];
		if (len > n - i)
			return pxe_bad(out, "PXE option 43.%u (length %u) runs past option 43", code, len);
		v = p + i;
		i += len;
		switch (code) {
		case 6:    /* PXE_DISCOVERY_CONTROL */
			if (len != 1)
				return pxe_bad(out, "PXE option 43.%u has length %u", code, len);
			x->discovery = v[0];
			x->has_discovery = 1;
			break;
		case 8:    /* PXE_BOOT_SERVERS: {type(2) count(1) count*IPv4}... */
			for (unsigned j = 0; j < len; ) {
				unsigned cnt;

				if (len - j < 3 || (cnt = v[j + 2]) == 0 || len - j - 3 < cnt * 4)
					return pxe_bad(out, "PXE boot server list (43.8) is malformed at byte %u of %u",
						       j, len);
				if (x->nservers < DHCP_PXE_MAX_ITEMS) {
					x->server_type[x->nservers] = wb_get16(v + j);
					memcpy(x->server_ip[x->nservers], v + j + 3, 4);
					x->nservers++;
				}
				j += 3 + cnt * 4;
			}
			break;
		case 9:    /* PXE_BOOT_MENU: {type(2) len(1) description}... */
			for (unsigned j = 0; j < len; ) {
				if (len - j < 3 || len - j - 3 < v[j + 2])
					return pxe_bad(out, "PXE boot menu (43.9) is malformed at byte %u of %u",
						       j, len);
				if (x->nmenu < DHCP_PXE_MAX_ITEMS)
					x->menu_type[x->nmenu++] = wb_get16(v + j);
				j += 3u + v[j + 2];
			}
			break;
		case 71:   /* PXE_BOOT_ITEM: type(2) layer(2) */
			if (len != 4)
				return pxe_bad(out, "PXE option 43.%u has length %u", code, len);
			x->boot_item_type = wb_get16(v);
			x->boot_item_layer = wb_get16(v + 2);
			x->has_boot_item = 1;
			break;
		default:   /* 1-5 multicast TFTP, 7 multicast address, 10 prompt, ...: unused */
			break;
		}
	}
	return 0;
}

int dhcp_msg_pxe_vendor_class(uint16_t arch, char *buf, size_t cap)
{
	if (cap < 33)
		return -WB_ETOOBIG;
	/* UNDI 3.16: the same major/minor as option 94 */
	return wb_snprintf(buf, cap, "PXEClient:Arch:%05u:UNDI:003016", (unsigned)arch);
}

static int is_pxe_class(const char *vc)
{
	return !strncmp(vc, "PXEClient", 9);
}

int dhcp_msg_is_pxe(const struct dhcp_reply *r)
{
	return is_pxe_class(r->vendor_class);
}

int dhcp_msg_is_proxy_offer(const struct dhcp_reply *r)
{
	return r->type == DHCP_OFFER && is_pxe_class(r->vendor_class) && !ip_set(r->yiaddr) &&
	       r->has_server_id;
}

enum dhcp_pxe_step dhcp_msg_pxe_next(const struct dhcp_reply *r, int from_4011,
				     uint16_t *item, uint8_t server[4])
{
	const struct dhcp_pxe *x = &r->pxe;

	if (r->filename[0] && (!x->nmenu || (x->has_discovery && (x->discovery & 8))))
		return DHCP_PXE_DONE;
	if (x->nmenu && !x->has_boot_item) {
		uint16_t t = x->menu_type[0];   /* the default item: the first (PXE 2.1 §2.2.6) */

		if (t == 0)                     /* type 0: "boot from local disk" */
			return DHCP_PXE_NOTHING;
		memcpy(server, r->server_id, 4);
		for (int i = 0; i < x->nservers; i++)
			if (x->server_type[i] == t && ip_set(x->server_ip[i])) {
				memcpy(server, x->server_ip[i], 4);
				break;
			}
		*item = t;
		return DHCP_PXE_ASK_ITEM;
	}
	if (r->filename[0])
		return DHCP_PXE_DONE;
	if (!from_4011 && r->has_server_id) {
		memcpy(server, r->server_id, 4);
		return DHCP_PXE_ASK_PROXY;
	}
	return DHCP_PXE_NOTHING;
}

int dhcp_msg_parse(const uint8_t *buf, size_t len, struct dhcp_reply *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (len < DHCP_FIXED_LEN + 4)
		return dhcp_bad(out, "message too short (%u bytes)", (unsigned)len, 0);
	if (buf[0] != 2)
		return dhcp_bad(out, "not a BOOTREPLY (op %u)", buf[0], 0);
	if (buf[1] != 1 || buf[2] != 6)
		return dhcp_bad(out, "hardware type %u length %u is not Ethernet", buf[1], buf[2]);
	if (memcmp(buf + DHCP_FIXED_LEN, dhcp_magic, 4))
		return dhcp_bad(out, "bad magic cookie", 0, 0);
	out->xid = wb_get32(buf + 4);
	memcpy(out->yiaddr, buf + 16, 4);
	memcpy(out->siaddr, buf + 20, 4);
	memcpy(out->chaddr, buf + 28, 6);

	rc = dhcp_walk(out, buf + DHCP_FIXED_LEN + 4, len - DHCP_FIXED_LEN - 4, 1, "options");
	if (rc)
		return rc;
	if (out->overload & 1) {
		rc = dhcp_walk(out, buf + 108, 128, 0, "file");
		if (rc)
			return rc;
	}
	if (out->overload & 2) {
		rc = dhcp_walk(out, buf + 44, 64, 0, "sname");
		if (rc)
			return rc;
	}
	if (!(out->overload & 2)) {
		memcpy(out->sname, buf + 44, 64);
		out->sname[64] = '\0';
	}
	if (!(out->overload & 1) && !out->filename[0]) {
		size_t n = 0;

		while (n < 128 && buf[108 + n])
			n++;
		memcpy(out->filename, buf + 108, n);
		out->filename[n] = '\0';
	}
	if (!out->type)
		return dhcp_bad(out, "no message type (option 53)", 0, 0);
	if (is_pxe_class(out->vendor_class) && out->vendor_opts_len)
		(void)pxe_decode(out);   /* a bad one is marked, the rest of the reply stands */
	return 0;
}
