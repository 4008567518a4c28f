/* fuzz_pem.c — libFuzzer target for the PEM reader (src/tls/pem.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls/pem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *der = malloc(size + 1);
	struct pem_block b;
	size_t pos = 0, last = 0;
	int rc;

	/* exact-size output buffer: any write past it is an ASan report */
	while ((rc = pem_next((const char *)data, size, &pos, &b, der, size)) > 0) {
		if (b.der_len > size || pos <= last || pos > size)
			abort();
		last = pos;
	}
	pos = 0;
	(void)pem_next((const char *)data, size, &pos, &b, der, size / 4);
	free(der);
	return 0;
}
