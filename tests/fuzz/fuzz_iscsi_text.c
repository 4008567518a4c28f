/*
 * fuzz_iscsi_text.c — libFuzzer target: iSCSI login/text key=value parser
 * (iscsi_text_next), number and binary decoders, iscsi_negotiate on every
 * key the target might send.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/iscsi_text.h"

static const char *ours_for(const char *k, size_t kl)
{
	static const struct { const char *key, *ours; } t[] = {
		{ "HeaderDigest", "CRC32C,None" }, { "DataDigest", "CRC32C,None" },
		{ "AuthMethod", "CHAP,None" }, { "ImmediateData", "Yes" }, { "InitialR2T", "No" },
		{ "MaxBurstLength", "262144" }, { "FirstBurstLength", "65536" },
		{ "DefaultTime2Wait", "2" }, { "DefaultTime2Retain", "0" },
		{ "MaxOutstandingR2T", "1" }, { "ErrorRecoveryLevel", "0" }, { "MaxConnections", "1" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (iscsi_text_key_is(k, kl, t[i].key))
			return t[i].ours;
	return "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iscsi_text_iter it;
	const char *k, *v;
	size_t kl, vl;
	char key[ISCSI_TEXT_KEY_MAX + 1], res[128];
	uint8_t bin[64];
	uint64_t num;
	int rc;

	iscsi_text_iter_init(&it, data, size);
	while ((rc = iscsi_text_next(&it, &k, &kl, &v, &vl)) == 1) {
		if (kl == 0 || kl > ISCSI_TEXT_KEY_MAX || vl > ISCSI_TEXT_VALUE_MAX || strlen(v) != vl ||
		    k + kl + 1 != v)
			__builtin_trap();
		memcpy(key, k, kl);
		key[kl] = 0;
		(void)iscsi_text_parse_number(v, &num);
		rc = iscsi_text_decode_binary(v, bin, sizeof(bin));
		if (rc > (int)sizeof(bin))
			__builtin_trap();
		rc = iscsi_negotiate(key, ours_for(k, kl), v, res, sizeof(res));
		if (rc >= 0 && strlen(res) >= sizeof(res))
			__builtin_trap();
		(void)iscsi_negotiate_check(key, ours_for(k, kl), v);
	}
	return 0;
}
