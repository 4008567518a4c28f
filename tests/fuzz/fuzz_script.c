/*
 * fuzz_script.c — libFuzzer target: settings names/values and the script
 * tokenizer/expander.  The first line of the input is split at '=' into a
 * setting name and value; the rest runs as script lines with only harmless
 * commands (echo, set, clear, show...) registered; `sleep` does not wait
 * and `goto` is bounded (200 per input) so every input ends quickly.
 * Output goes to /dev/null.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/settings.h"
#include "script/script.h"

long host_live_allocs(void);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0)
		dup2(fd, 1);
	return 0;
}

static int cmd_noop(struct script_ctx *ctx, const struct cmd_args *a) { return a->argc > 2 ? -1 : 0; }
static const struct cmd_opt noop_opts[] = { { "opt", 'o', 1 }, { "flag", 'f', 0 } };
static const struct cmd fuzz_cmds[] = { { "noop", cmd_noop, "noop", "", noop_opts, 2, 0, 4 } };
static const struct cmd_table fuzz_table = { fuzz_cmds, 1 };

/* searched before the basic commands: `sleep` must not really wait (the
 * campaign found `sleep 84`: 84 s per input) and `goto` loops must end */
static int gotos;
static int fz_sleep(struct script_ctx *ctx, const struct cmd_args *a) { return 0; }
static int fz_goto(struct script_ctx *ctx, const struct cmd_args *a)
{
	if (++gotos > 200 || !*a->argv[0])
		return -1;
	return script_goto(ctx, a->argv[0]);
}
static const struct cmd first_cmds[] = {
	{ "sleep", fz_sleep, "sleep SECONDS", "", NULL, 0, 1, 1 },
	{ "goto", fz_goto, "goto LABEL", "", NULL, 0, 1, 1 },
};
static const struct cmd_table first_table = { first_cmds, 2 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script_ctx ctx;
	char *text = malloc(size + 1), *nl, *eq;
	long before = host_live_allocs();
	char out[256];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	gotos = 0;
	script_init(&ctx);
	script_register(&ctx, &first_table);
	script_register_basic(&ctx);
	script_register(&ctx, &fuzz_table);
	settings_scope_add(&ctx.settings, "net0");
	settings_scope_open(&ctx.settings, "net0", 1);
	nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		eq = strchr(text, '=');
		if (eq) {
			*eq = '\0';
			settings_set(&ctx.settings, text, eq + 1);
			settings_get(&ctx.settings, text, NULL);
		}
		script_expand(&ctx, eq ? eq + 1 : text, out, sizeof(out));
		script_run(&ctx, nl + 1, strlen(nl + 1), "fuzz");
		script_check(&ctx, nl + 1, strlen(nl + 1), "fuzz", eq != NULL);
	}
	script_fini(&ctx);
	free(text);
	if (host_live_allocs() != before)
		__builtin_trap();   /* every error path frees what it took */
	return 0;
}
