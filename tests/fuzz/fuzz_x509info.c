/* fuzz_x509info.c — libFuzzer target for the certificate fact walker (src/tls/x509_info.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls/x509_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly @size bytes so ASan catches any over-read */
	uint8_t *der = malloc(size ? size : 1);
	struct x509_info xi;

	memcpy(der, data, size);
	if (x509_info_parse(der, size, &xi) == 0) {
		if (xi.subject_off + xi.subject_len > size || xi.issuer_off + xi.issuer_len > size ||
		    strlen(xi.subject_cn) > X509_CN_MAX || xi.san_ip_count > X509_SAN_MAX)
			abort();
		(void)x509_info_self_issued(der, &xi);
		if (xi.eku & ~0x1ffu)
			abort();
	}
	{
		/* the purpose names: any bits, any buffer size */
		char names[160];
		size_t cap = size ? 1 + data[0] % sizeof(names) : sizeof(names);
		unsigned bits = size > 1 ? (unsigned)data[1] << 1 | (size & 1) | (unsigned)(size & 2) << 7 : 0;

		if (strlen(x509_eku_names(bits, names, cap)) >= cap)
			abort();
	}
	free(der);
	return 0;
}
