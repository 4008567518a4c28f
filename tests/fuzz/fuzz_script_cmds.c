/*
 * fuzz_script_cmds.c — libFuzzer target: the script engine running iPXE
 * scripts with the basic and image commands (set/clear/isset/iseq/goto/inc,
 * echo, show, imgfetch/chain/imgfree/imgargs/imgstat/imgselect/boot...),
 * with a dictionary of iPXE's commands, operators and setting syntax
 * (tests/fuzz/fuzz_script_cmds.dict; tests/fuzz/run.sh and the smoke run
 * pass it).  fuzz_script.c covers the tokenizer and expander alone.
 *
 * Input: up to 4 documents separated by "\n#--\n".  Document 0 runs as the
 * script (named "fuzz", URI http://boot.test/dir/fuzz.ipxe so relative
 * fetches resolve); a fetch of a URI returns document N when the last
 * digit 1-3 in it is N, else document 1 + (sum of the URI's bytes) % 3 (an
 * empty one when absent), so chain/imgfetch run
 * fuzzer-chosen scripts and data, including ones that free or replace the
 * running script's image.  `sleep` is a no-op, `goto` is bounded (200 per
 * input) so loops end, and fetches are bounded (64 per input: scripts that
 * chain themselves several times per level, 8 levels deep, took 35 s);
 * everything else is the real command.
 *
 * Checks: no crash, no out-of-bounds or use-after-free (ASan), no UB,
 * every allocation freed after script_fini.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "script/script.h"

long host_live_allocs(void);
void *plat_malloc(size_t n);

static const char *doc[4];
static size_t doc_len[4];
static int ndocs, gotos, fetches;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0)
		dup2(fd, 1);
	return 0;
}

static int fz_sleep(struct script_ctx *ctx, const struct cmd_args *a) { return 0; }
static int fz_goto(struct script_ctx *ctx, const struct cmd_args *a)
{
	if (++gotos > 200 || !*a->argv[0])
		return -WB_ECANCELED;
	return script_goto(ctx, a->argv[0]);
}
static const struct cmd fz_cmds[] = {
	{ "sleep", fz_sleep, "sleep SECONDS", "", NULL, 0, 1, 1 },
	{ "goto", fz_goto, "goto LABEL", "", NULL, 0, 1, 1 },
};
static const struct cmd_table fz_table = { fz_cmds, 2 };

static int fz_fetch(struct script_ctx *ctx, const char *uri, uint8_t **data, size_t *len)
{
	unsigned sum = 0;
	int k;

	for (const char *p = uri; *p; p++)
		sum += (unsigned char)*p;
	k = 1 + (int)(sum % 3);
	for (const char *p = uri; *p; p++)
		if (*p >= '1' && *p <= '3')
			k = *p - '0';
	if (strstr(uri, "missing") || ++fetches > 64)
		return -WB_ENOENT;
	*len = k < ndocs ? doc_len[k] : 0;
	*data = plat_malloc(*len ? *len : 1);
	if (!*data)
		return -WB_ENOMEM;
	if (*len)
		memcpy(*data, doc[k], *len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n#--\n";
	struct script_ctx ctx;
	long before = host_live_allocs();
	const char *p = (const char *)data, *end = p + size;

	ndocs = 0;
	gotos = 0;
	fetches = 0;
	while (ndocs < 4) {
		const char *q = p;

		while (q + sizeof(sep) - 1 <= end && memcmp(q, sep, sizeof(sep) - 1))
			q++;
		if (q + sizeof(sep) - 1 > end)
			q = end;
		doc[ndocs] = p;
		doc_len[ndocs++] = (size_t)(q - p);
		if (q == end)
			break;
		p = q + sizeof(sep) - 1;
	}
	script_init(&ctx);
	script_register(&ctx, &fz_table);
	script_register_basic(&ctx);
	script_register_image(&ctx);
	settings_scope_add(&ctx.settings, "net0");
	settings_scope_open(&ctx.settings, "net0", 1);
	ctx.fetch = fz_fetch;
	ctx.script_uri = "http://boot.test/dir/fuzz.ipxe";
	script_run(&ctx, doc[0], doc_len[0], "fuzz");
	script_fini(&ctx);
	if (host_live_allocs() != before)
		__builtin_trap();   /* every error path frees what it took */
	return 0;
}
