/*
 * settype.h — setting types as iPXE names them (ipxe.org/cfgtype): how a
 * value typed by a user becomes a stored (canonical) string, how a stored
 * value becomes raw bytes, and how raw bytes are shown as another type
 * (${ip:hex}, ${mac:hexhyp}, ${x:uint32} …).  Pure functions.
 *
 * Raw forms: string → its bytes; ipv4 → 4 bytes; hex/hexhyp/hexraw/mac →
 * the bytes; intN/uintN → N/8 bytes big-endian; uuid → 16 bytes in the
 * order printed (guid: first three fields byte-swapped); base64 → the
 * decoded bytes; uristring → the %-decoded bytes; ipv6 → 16 bytes.
 * busdevfn is a display type only (segment:bus:dev.fn of a number).
 */
#ifndef WB_SETTYPE_H
#define WB_SETTYPE_H

#include <stddef.h>
#include <stdint.h>

#define SETTYPE_RAW_MAX 1024

/** 1 if @name is a type wireboot knows ("string", "ipv4", "uint16", …). */
int settype_known(const char *name);

/**
 * Parse @input given by a user for type @type into the canonical string
 * stored for it (e.g. "0A:0b" as hex → "0a:0b"; "300" as uint8 → error).
 * @return 0, -WB_EBADVAL, -WB_ETOOBIG.
 */
int settype_parse(const char *type, const char *input, char *canon, size_t cap);

/**
 * Read @s as iPXE reads a number (decimal, 0x-hex or 0-octal, optional
 * sign; value modulo 2^64, a '-' negating it).  @return 0, or -WB_EBADVAL
 * when anything follows the digits.
 */
int settype_parse_number(const char *s, unsigned long long *out);

/** Raw bytes of a canonical value of @type.  @return 0 or -WB_EBADVAL. */
int settype_raw(const char *type, const char *canon, uint8_t *raw, size_t cap, size_t *len);

/**
 * Show raw bytes as @type.  ipv4 needs 4 bytes (more: the first 4), ipv6
 * 16 (likewise), uuid and guid exactly 16; intN/uintN take
 * the bytes as a big-endian number (sign-extended for intN) and print
 * decimal (intN) or 0x-hex (uintN), as iPXE does.
 * @return 0, -WB_EBADVAL (bytes do not fit the type), -WB_ETOOBIG.
 */
int settype_format(const char *type, const uint8_t *raw, size_t len, char *out, size_t cap);

/** Convert a canonical value of type @from to the textual form of @to. */
int settype_convert(const char *from, const char *canon, const char *to, char *out, size_t cap);

#endif
