/*
 * test_mask.c — secrets masked in echoed script text (script/mask.c):
 * script_mask_secrets() on raw lines and load options, script_mask_values()
 * on expanded words, and results cut short by the buffer size.
 */
#define UNIT_NAME "mask"
#include "script/mask.h"
#include "unit.h"

static const struct {
	const char *name, *in, *want;
} mask_cases[] = {
	/* the lines of issue 11 */
	{ "set then failing sanboot", "set password sEcReT && sanboot iscsi:192.0.2.1:::1:iqn.x",
	  "set password ******** && sanboot iscsi:192.0.2.1:::1:iqn.x" },
	{ "typed value that fails to parse", "set password:hex zz", "set password:hex ********" },
	{ "reverse-password", "set reverse-password r3v", "set reverse-password ********" },
	{ "scoped name", "set net0/password p4ss", "set net0/password ********" },
	{ "scoped and typed", "set net0-10/reverse-password:string p", "set net0-10/reverse-password:string ********" },
	/* the value is every word after the name (cmd_set joins them) */
	{ "value of several words", "set password one two   three", "set password ********" },
	{ "blanks before an operator kept", "set password a b  || echo no", "set password ********  || echo no" },
	{ "quoted value with blanks", "set password \"a b\" ; echo x", "set password ******** ; echo x" },
	/* quotes and backslashes are ordinary characters (iPXE); only blanks split words */
	{ "quotes do not hold operators", "set password 'a && b' && echo y", "set password ******** && b' && echo y" },
	{ "escaped blank", "set password a\\ b", "set password ********" },
	{ "operator inside a word is text", "set password a\\;b;echo", "set password ********" },
	{ "${} in the value", "set password x${n}y z", "set password ********" },
	{ "${} with blanks inside", "set password ${a b} c && d", "set password ******** && d" },
	{ "options before the name", "set -- password x", "set -- password ********" },
	{ "quoted name", "set \"password\" x", "set \"password\" ********" },
	{ "escaped name", "set pass\\word x", "set pass\\word ********" },
	{ "name from ${}: masked, cannot be known", "set ${n} x", "set ${n} ********" },
	{ "name partly from ${}", "set net${i}/ip 1.2.3.4", "set net${i}/ip ********" },
	/* what is not a secret stays */
	{ "other setting", "set username admin && set ip 1.2.3.4", "set username admin && set ip 1.2.3.4" },
	{ "name only (clears)", "set password", "set password" },
	{ "name then blanks", "set password   ", "set password   " },
	{ "not set", "echo password secret", "echo password secret" },
	{ "set inside a word", "xset password a", "xset password a" },
	{ "set quoted is still set", "s\"et\" password a", "s\"et\" password ********" },
	{ "similar name", "set password2 a && set my-password b", "set password2 a && set my-password b" },
	{ "reference, not value", "chain http://x/?k=${password}", "chain http://x/?k=${password}" },
	/* several commands and lines (load options) */
	{ "second command", "echo a ; set password b ; set password c", "echo a ; set password ******** ; set password ********" },
	{ "b; is a value word", "echo a ; set password b; set password c", "echo a ; set password ********" },
	{ "after ||", "false || set password z", "false || set password ********" },
	{ "a&&b is one word", "set password a&&echo b", "set password ********" },
	{ "lines", "set password a\nset username u\nset reverse-password b c\n",
	  "set password ********\nset username u\nset reverse-password ********\n" },
	{ "CRLF lines", "set password a\r\nshow", "set password ********\r\nshow" },
	{ "unterminated quote ends with the line", "set password 'a b\nset password c",
	  "set password ********\nset password ********" },
	{ "comment", "set password a # set password b", "set password ******** # set password b" },
	{ "comment after operator", "echo x ;# set password y", "echo x ;# set password y" },
	{ "# inside a word", "set password a#b c", "set password ********" },
	{ "blank line", "", "" },
	{ "leading blanks", "  \tset password a", "  \tset password ********" },
	{ "trailing backslash", "set password a\\", "set password ********" },
	{ "empty quoted value", "set password \"\" && x", "set password ******** && x" },
};

static void test_mask_secrets(void)
{
	char out[256], name[160];

	for (size_t i = 0; i < sizeof(mask_cases) / sizeof(mask_cases[0]); i++) {
		size_t n = script_mask_secrets(mask_cases[i].in, out, sizeof(out));

		snprintf(name, sizeof(name), "secrets: %s", mask_cases[i].name);
		CHECK_STR(name, out, mask_cases[i].want);
		snprintf(name, sizeof(name), "secrets: %s: length returned", mask_cases[i].name);
		CHECK(name, n == strlen(mask_cases[i].want));
	}
}

/* cut at every size: always a prefix of the whole result, NUL-terminated */
static void test_mask_cut(void)
{
	const char *in = "set password zz && echo done";
	const char *want = "set password ******** && echo done";
	char out[64];
	int bad = 0;

	for (size_t cap = 1; cap <= strlen(want) + 1; cap++) {
		memset(out, 'Z', sizeof(out));
		if (script_mask_secrets(in, out, cap) != strlen(want) || strlen(out) != cap - 1 ||
		    strncmp(out, want, cap - 1) || strchr(out, 'z'))
			bad++;
	}
	CHECK("cut short: a prefix of the masked text at every size", !bad);
	CHECK("size query with no buffer", script_mask_secrets(in, NULL, 0) == strlen(want));
	memset(out, 'Z', sizeof(out));
	script_mask_values("abc", NULL, 0, out, 0);
	CHECK("cap 0 writes nothing", out[0] == 'Z');
}

static void test_mask_values(void)
{
	const char *sec[] = { "s3cret", NULL, "", "s3cret-longer", "xy" };
	char out[128];
	size_t n;

	n = script_mask_values("--s3cret: unknown", sec, 5, out, sizeof(out));
	CHECK_STR("values: replaced", out, "--********: unknown");
	CHECK("values: length", n == strlen("--********: unknown"));
	script_mask_values("s3cret-longer!", sec, 5, out, sizeof(out));
	CHECK_STR("values: longest match wins", out, "********!");
	script_mask_values("xyxys3cretxs3cre", sec, 5, out, sizeof(out));
	CHECK_STR("values: every occurrence, partial left", out, SCRIPT_MASK SCRIPT_MASK SCRIPT_MASK "xs3cre");
	script_mask_values("no secret here", sec, 5, out, sizeof(out));
	CHECK_STR("values: nothing to mask", out, "no secret here");
	script_mask_values("s3cret", sec, 0, out, sizeof(out));
	CHECK_STR("values: no secrets given", out, "s3cret");
	n = script_mask_values("ab s3cret", sec, 5, out, 6);
	CHECK_STR("values: cut short", out, "ab **");
	CHECK("values: cut short: whole length returned", n == strlen("ab ********"));
}

int main(void)
{
	test_mask_secrets();
	test_mask_cut();
	test_mask_values();
	return unit_done();
}
