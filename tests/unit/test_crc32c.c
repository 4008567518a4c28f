/* test_crc32c.c — CRC32C against RFC 3720 §B.4 (values and wire byte order). */
#define UNIT_NAME "crc32c"
#include <stdint.h>

#include "proto/crc32c.h"
#include "unit.h"

/* RFC 3720 §B.4 "An iSCSI - SCSI Read (10) Command PDU", 48 bytes */
static const uint8_t read10_pdu[48] = {
	0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* bitwise reference, straight from the definition (reflected 0x82F63B78) */
static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffff;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
	}
	return ~c;
}

int main(void)
{
	uint8_t buf[64], wire[4];
	struct {
		const char *name;
		const uint8_t *data;
		size_t len;
		uint32_t value;       /* as a number */
		uint8_t bytes[4];     /* as RFC 3720 §B.4 lists them ("CRC: aa 36 91 8a") */
	} v[5];
	uint8_t zeros[32], ones[32], inc[32], dec[32];

	for (int i = 0; i < 32; i++) {
		zeros[i] = 0;
		ones[i] = 0xff;
		inc[i] = (uint8_t)i;
		dec[i] = (uint8_t)(31 - i);
	}
	v[0] = (__typeof__(v[0])){ "32 bytes of zeroes", zeros, 32, 0x8a9136aa, { 0xaa, 0x36, 0x91, 0x8a } };
	v[1] = (__typeof__(v[0])){ "32 bytes of ones", ones, 32, 0x62a8ab43, { 0x43, 0xab, 0xa8, 0x62 } };
	v[2] = (__typeof__(v[0])){ "32 bytes incrementing 00..1f", inc, 32, 0x46dd794e, { 0x4e, 0x79, 0xdd, 0x46 } };
	v[3] = (__typeof__(v[0])){ "32 bytes decrementing 1f..00", dec, 32, 0x113fdb5c, { 0x5c, 0xdb, 0x3f, 0x11 } };
	v[4] = (__typeof__(v[0])){ "SCSI Read (10) command PDU", read10_pdu, 48, 0xd9963a56, { 0x56, 0x3a, 0x96, 0xd9 } };

	for (size_t i = 0; i < 5; i++) {
		char name[96];
		uint32_t c = crc32c(0, v[i].data, v[i].len);

		snprintf(name, sizeof(name), "RFC 3720 B.4 %s: value", v[i].name);
		CHECK(name, c == v[i].value);
		crc32c_put(wire, c);
		snprintf(name, sizeof(name), "RFC 3720 B.4 %s: wire bytes as listed", v[i].name);
		CHECK(name, memcmp(wire, v[i].bytes, 4) == 0);
		snprintf(name, sizeof(name), "RFC 3720 B.4 %s: crc32c_get of wire bytes", v[i].name);
		CHECK(name, crc32c_get(v[i].bytes) == v[i].value);
		/* incremental in two uneven pieces gives the same value */
		snprintf(name, sizeof(name), "RFC 3720 B.4 %s: incremental", v[i].name);
		CHECK(name, crc32c(crc32c(0, v[i].data, 7), v[i].data + 7, v[i].len - 7) == v[i].value);
	}
	/* the usual CRC catalogue check value of CRC-32C ("CRC-32/ISCSI") */
	CHECK("check value of \"123456789\" is 0xe3069283", crc32c(0, "123456789", 9) == 0xe3069283);
	CHECK("empty input is 0", crc32c(0, "", 0) == 0);
	/* table matches the bitwise definition for every single byte and a longer run */
	int ok = 1;
	for (int b = 0; b < 256; b++) {
		buf[0] = (uint8_t)b;
		if (crc32c(0, buf, 1) != crc_bitwise(buf, 1))
			ok = 0;
	}
	for (int i = 0; i < 64; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	CHECK("table agrees with the bitwise definition (all bytes)", ok);
	CHECK("table agrees with the bitwise definition (64 bytes)", crc32c(0, buf, 64) == crc_bitwise(buf, 64));
	/* slice-by-8: every length 0..80 at every start offset 0..7 of a pseudo-random
	 * buffer, and split at every point, agree with the bitwise definition */
	{
		static uint8_t rnd[96];
		uint32_t x = 0x12345678;
		int agree = 1, split = 1;

		for (size_t i = 0; i < sizeof(rnd); i++) {
			x = x * 1103515245u + 12345u;
			rnd[i] = (uint8_t)(x >> 16);
		}
		for (size_t off = 0; off < 8; off++)
			for (size_t n = 0; n <= 80; n++) {
				uint32_t want = crc_bitwise(rnd + off, n);

				if (crc32c(0, rnd + off, n) != want)
					agree = 0;
				for (size_t k = 0; k <= n; k += 3)
					if (crc32c(crc32c(0, rnd + off, k), rnd + off + k, n - k) != want)
						split = 0;
			}
		CHECK("slice-by-8: lengths 0..80 at offsets 0..7 agree with the bitwise definition", agree);
		CHECK("slice-by-8: any split point gives the same value", split);
	}
	return unit_done();
}
