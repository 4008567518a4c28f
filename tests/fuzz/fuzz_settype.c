/*
 * fuzz_settype.c — libFuzzer target: core/settype.c, the parsers and
 * formatters of setting types (numbers, IPv4/IPv6, hex, uuid/guid, base64,
 * uristring), which read values from scripts and DHCP.
 *
 * Input: byte 0 picks the input type, byte 1 the type to show it as; the
 * rest is the value (NUL-terminated copy).
 *
 * Checks: a value that parses gives a canonical form that parses again to
 * itself (iPXE's types are stable once stored); converting never writes
 * past the buffer (ASan) and always leaves it NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/settype.h"

static const char *const types[] = {
	"string", "ipv4", "ipv6", "int8", "int16", "int32", "uint8", "uint16", "uint32",
	"hex", "hexhyp", "hexraw", "uuid", "guid", "base64", "uristring", "busdevfn",
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, canon[2048], again[2048], out[4096];
	const char *t, *to;

	if (size < 2 || size > 1500)
		return 0;
	t = types[data[0] % NTYPES];
	to = types[data[1] % NTYPES];
	in = malloc(size - 1);
	if (!in)
		return 0;
	memcpy(in, data + 2, size - 2);
	in[size - 2] = '\0';
	if (!settype_parse(t, in, canon, sizeof(canon))) {
		if (settype_parse(t, canon, again, sizeof(again)) || strcmp(canon, again))
			abort();   /* canonical form not stable */
		if (!settype_convert(t, canon, to, out, sizeof(out)) && strlen(out) >= sizeof(out))
			abort();
		settype_convert(t, canon, to, out, 7);   /* small buffer: an error, never an overrun */
	}
	{
		unsigned long long v;

		(void)settype_parse_number(in, &v);
	}
	free(in);
	return 0;
}
