/*
 * test_script.c — tokenizer, quoting, expansion, operators and script flow,
 * with a recording command in place of real ones.
 */
#define UNIT_NAME "script"
#include "core/err.h"
#include "core/util.h"
#include "core/settype.h"
#include "platform/platform.h"
#include "script/params.h"
#include "script/script.h"
#include "unit.h"

static char rec[1024];
static int calls;

static int cmd_rec(struct script_ctx *ctx, const struct cmd_args *a)
{
	size_t n = 0;

	calls++;
	rec[0] = '\0';
	for (int i = 0; i < a->argc; i++)
		n += (size_t)snprintf(rec + n, sizeof(rec) - n, "%s[%s]", i ? " " : "", a->argv[i]);
	return 0;
}

static int cmd_fail(struct script_ctx *ctx, const struct cmd_args *a)
{
	calls++;
	return -WB_ETIMEDOUT;
}

static const struct cmd test_cmds[] = {
	{ "rec", cmd_rec, "rec ARGS", "record", NULL, 0, 0, CMD_ARGS_ANY },
	{ "fail", cmd_fail, "fail", "fail", NULL, 0, 0, 0 },
};
static const struct cmd_table test_table = { test_cmds, 2 };

static struct script_ctx ctx;

static int run(const char *line)
{
	rec[0] = '\0';
	return script_exec_line(&ctx, line);
}

/* a fresh context, settings, a script with a loop, typed settings, || and a
 * failing command, then script_fini: with any one allocation failing */
#define SWEEP_WRONG 1001
static int sweep_run(void *arg)
{
	static const char text[] = "#!ipxe\nset n:int32 0\n:again\ninc n\niseq ${n} 4 || goto again\n"
				   "set word:string x${n}${name}\nfail || rec ${word}\nrec done ${n}\n";
	struct script_ctx c;
	int rc;

	(void)arg;
	script_init(&c);
	script_register_basic(&c);
	script_register(&c, &test_table);
	rc = settings_set(&c.settings, "name", "world");
	rec[0] = '\0';
	if (!rc)
		rc = script_run(&c, text, sizeof(text) - 1, "sweep");
	if (!rc && strcmp(rec, "[done] [4]"))
		rc = SWEEP_WRONG;
	script_fini(&c);
	return rc;
}

static int sweep_ok(int rc) { return rc <= 0; }

int main(void)
{
	char out[64];
	int rc;

	script_init(&ctx);
	script_register_basic(&ctx);
	script_register(&ctx, &test_table);
	settings_set(&ctx.settings, "name", "world");
	settings_set(&ctx.settings, "i", "0");
	settings_set(&ctx.settings, "net0/ip", "192.0.2.7");

	CHECK("plain words", run("rec a  b\tc") == 0);
	CHECK_STR("split on blanks", rec, "[a] [b] [c]");
	/* iPXE: blanks are the only separators; quotes and backslashes are text */
	run("rec \"a b\" 'c d' e\\ f \\EFI\\BOOT");
	CHECK_STR("quotes and backslashes are ordinary", rec, "[\"a] [b\"] ['c] [d'] [e\\] [f] [\\EFI\\BOOT]");
	run("rec hello-${name} \"${name}!\" '${name}'");
	CHECK_STR("expansion in any word", rec, "[hello-world] [\"world!\"] ['world']");
	run("rec a&&b x;y R&D a||b");
	CHECK_STR("only whole words are operators", rec, "[a&&b] [x;y] [R&D] [a||b]");
	run("rec ${unset}x");
	CHECK_STR("unset expands to empty", rec, "[x]");
	run("rec ${net${i}/ip}");
	CHECK_STR("nested expansion", rec, "[192.0.2.7]");
	settings_set(&ctx.settings, "evil", "a;b || rec pwned");
	calls = 0;
	run("rec ${evil}");
	CHECK("a value is never re-parsed", calls == 1);
	CHECK_STR("value kept whole", rec, "[a;b || rec pwned]");
	CHECK("comment line", run("  # rec nothing") == 0 && rec[0] == '\0');
	CHECK("label line", run(":start") == 0);
	CHECK("#!ipxe header", run("#!ipxe") == 0);

	calls = 0;
	rc = run("fail || rec caught");
	CHECK("|| runs the handler", rc == 0 && calls == 2);
	CHECK_STR("handler args", rec, "[caught]");
	calls = 0;
	rc = run("fail && rec no");
	CHECK("&& skips after a failure", rc == -WB_ETIMEDOUT && calls == 1);
	calls = 0;
	rc = run("rec a || rec b && rec c");
	CHECK("left to right: a, skip b, c", rc == 0 && calls == 2);
	CHECK_STR("last command ran", rec, "[c]");

	run("rec \"abc");
	CHECK_STR("a lone quote is text", rec, "[\"abc]");
	CHECK("unterminated ${ is literal text (iPXE)", run("rec ${abc") == 0);
	CHECK_STR("unterminated ${ kept as it is", rec, "[${abc]");
	CHECK("trailing || accepts a failure (iPXE idiom)", run("fail ||") == 0);
	CHECK("trailing && after success: an empty command, success", run("rec a &&") == 0);
	CHECK("trailing && after failure: the line failed", run("fail &&") == -WB_ETIMEDOUT);
	CHECK("trailing ; after failure: an empty command, success", run("fail ;") == 0);
	calls = 0;
	CHECK("; runs the next command whatever the status", run("fail ; rec after") == 0 && calls == 2);
	run("rec a # b || rec c");
	CHECK_STR("# starts a comment", rec, "[a]");
	run("rec a#b");
	CHECK_STR("# inside a word is literal", rec, "[a#b]");
	run("rec x${}y");
	CHECK_STR("${} is empty", rec, "[xy]");
	settings_set(&ctx.settings, "i:int32", "0");
	run("inc i && rec ${i}");
	CHECK_STR("each command is expanded when it runs", rec, "[1]");
	settings_set(&ctx.settings, "i", "0");
	calls = 0;
	CHECK("leading && runs what follows (empty command succeeds)", run("&& rec a") == 0 && calls == 1);
	calls = 0;
	CHECK("leading || skips what follows", run("|| rec a") == 0 && calls == 0);
	CHECK("unknown command", run("nosuchcmd x") == -WB_ENOCMD);
	{
		char deep[200] = "rec ";

		for (int i = 0; i < 12; i++)
			strcat(deep, "${");
		strcat(deep, "x");
		for (int i = 0; i < 12; i++)
			strcat(deep, "}");
		CHECK("deep nesting refused", run(deep) == -WB_ETOOBIG);
	}
	{
		static char huge[SCRIPT_LINE_MAX * 3];

		memcpy(huge, "rec ", 4);
		memset(huge + 4, 'x', sizeof(huge) - 5);
		CHECK("huge line refused", run(huge) == -WB_ETOOBIG);
	}
	CHECK("show of an empty name is a usage error", run("show ${unset}") == -WB_EUSAGE);
	CHECK("binary garbage does not crash", run("\x01\x02\xff\xfe rec") == -WB_ENOCMD);
	CHECK("expand ok", script_expand(&ctx, "x${name}y", out, sizeof(out)) == 0);
	CHECK_STR("expand result", out, "xworldy");
	CHECK("expand overflow", script_expand(&ctx, "${name}${name}", out, 8) == -WB_ETOOBIG);

	run("rec ${net0/ip:hex} ${net0/ip:uint32}");
	CHECK_STR("typed expansion", rec, "[c0:00:02:07] [0xc0000207]");
	/* iPXE (its Linux build, run by hand): a reference that cannot be shown is empty */
	CHECK("unknown type in ${} is empty", run("rec [${net0/ip:float}]") == 0);
	CHECK_STR("unknown type in ${} gives nothing", rec, "[[]]");
	run("rec [${name:}] [${nosuchscope/name}] [${name:guid}] [${name:ipv6}]");
	CHECK_STR("empty type, missing scope, wrong length: empty", rec, "[[]] [[]] [[]] [[]]");
	{
		/* type, input, canonical (NULL: refused); each seen from iPXE's Linux build */
		static const struct { const char *type, *in, *canon; } tv[] = {
			{ "int8", "300", "44" },        { "uint8", "300", "0x2c" },
			{ "int8", "-129", "127" },      { "uint16", "070000", "0x7000" },
			{ "int32", "0x10", "16" },      { "int32", "010", "8" },
			{ "uint32", "-1", "0xffffffff" }, { "int16", "0x12345", "9029" },
			{ "int32", "5000000000", "705032704" }, { "uint32", "4294967296", "0x0" },
			{ "int32", "-0x10", "-16" },    { "uint8", "0x", "0x0" },
			{ "int8", "abc", NULL },        { "int32", "12abc", NULL },
			{ "int8", "08", NULL },
			{ "ipv4", "010.0x10.1.1", "8.16.1.1" }, { "ipv4", "0300.0.0.1", "192.0.0.1" },
			{ "ipv4", "10.1", NULL },       { "ipv4", "1.2.3.256", NULL },
			{ "ipv4", "09.1.1.1", NULL },
			{ "base64", "aGk", NULL },      { "base64", "aGk=", "aGk=" },
			{ "base64", "YW Jj", "YWJj" },  { "base64", "YWJjZA", NULL },
			{ "base64", "YWJj=ZA=", NULL }, { "base64", "YWJjZA==", "YWJjZA==" },
			{ "hex", "1:2:3", NULL },       { "hex", "0102", NULL },
			{ "hexraw", "01:02", NULL },    { "hexhyp", "01:02", NULL },
			{ "hexraw", "0a0B", "0a0b" },   { "hex", "0A:0b", "0a:0b" },
			{ "uristring", "a%20b%2Fc", "a%20b%2Fc" }, { "uristring", "a b/c?d=e&f~g", "a%20b%2Fc%3Fd%3De%26f~g" },
			{ "uristring", "a%zzb", "a%25zzb" }, { "uristring", "a%2", "a%02" },
			{ "uristring", "a+b*c", "a%2Bb*c" },
			{ "uuid", "0011223344556677-8899-aabbccddeeff", "00112233-4455-6677-8899-aabbccddeeff" },
			{ "guid", "00112233-4455-6677-8899-aabbccddeeff", "00112233-4455-6677-8899-aabbccddeeff" },
			{ "busdevfn", "0000:01:02.3", NULL },
			{ "ipv6", "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" }, { "ipv6", "::", "::" },
			{ "ipv6", "0:0:0:0:0:0:0:1", "::1" }, { "ipv6", "fe80::1:0:0:0", "fe80::1:0:0:0" },
			{ "ipv6", "1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7" }, { "ipv6", "1:2:3:4:5:6::8", "1:2:3:4:5:6:0:8" },
			{ "ipv6", "1::", "1::" },       { "ipv6", "2001:DB8::12345", NULL },
			{ "ipv6", "1::2::3", NULL },    { "ipv6", "::ffff:1.2.3.4", NULL },
			{ "ipv6", "1:2:3:4:5:6:7::8", NULL }, { "ipv6", "1:2:3:4:5:6:7::", NULL },
			{ "ipv6", "::1:2:3:4:5:6:7", NULL },
		};
		/* from, canonical, shown as, expected ("" = cannot be shown) */
		static const struct { const char *from, *canon, *to, *want; } cv[] = {
			{ "string", "hello", "base64", "aGVsbG8=" }, { "string", "hello", "hexhyp", "68-65-6c-6c-6f" },
			{ "string", "hello", "busdevfn", "656c:6c:0d.7" }, { "string", "hello", "ipv4", "104.101.108.108" },
			{ "string", "hello", "uuid", "" },   { "string", "hello", "ipv6", "" },
			{ "guid", "00112233-4455-6677-8899-aabbccddeeff", "uuid", "33221100-5544-7766-8899-aabbccddeeff" },
			{ "guid", "00112233-4455-6677-8899-aabbccddeeff", "hex", "33:22:11:00:55:44:77:66:88:99:aa:bb:cc:dd:ee:ff" },
			{ "uuid", "00112233-4455-6677-8899-aabbccddeeff", "guid", "33221100-5544-7766-8899-aabbccddeeff" },
			{ "ipv4", "1.2.3.4", "int8", "16909060" }, { "ipv4", "1.2.3.4", "busdevfn", "0102:03:00.4" },
			{ "int8", "-1", "uint32", "0xff" },  { "int8", "-1", "int32", "-1" },
			{ "uristring", "a%20b%2Fc", "hex", "61:20:62:2f:63" },
			{ "hex", "01:02:03:04:05:06:07:08:09", "uint32", "" },
			{ "ipv6", "2001:db8::1", "hex", "20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01" },
		};
		char canon[128];
		int bad = 0;

		for (size_t i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
			int rc = settype_parse(tv[i].type, tv[i].in, canon, sizeof(canon));

			if (tv[i].canon ? rc || strcmp(canon, tv[i].canon) : !rc) {
				printf("    %s \"%s\": rc %d \"%s\"\n", tv[i].type, tv[i].in, rc, rc ? "" : canon);
				bad++;
			}
		}
		for (size_t i = 0; i < sizeof(cv) / sizeof(cv[0]); i++) {
			int rc = settype_convert(cv[i].from, cv[i].canon, cv[i].to, canon, sizeof(canon));

			if (*cv[i].want ? rc || strcmp(canon, cv[i].want) : !rc) {
				printf("    %s %s as %s: rc %d \"%s\"\n", cv[i].from, cv[i].canon, cv[i].to, rc,
				       rc ? "" : canon);
				bad++;
			}
		}
		CHECK("setting types read and show values as iPXE does", !bad);
	}
	{
		/* params/param build a list; "##params" in a URI claims it once */
		char uri[] = "http://h/p.php?x=1##params", uri2[] = "http://h/q##params=inv", uri3[] = "http://h/r##params";
		struct script_params *p;
		char *body = NULL;
		size_t blen;

		CHECK("param without a list fails", run("param a b") == -WB_ENOPARAMS);
		CHECK("params", run("params") == 0);
		CHECK("param key value words", run("param k a b&c=d") == 0 && run("param flag") == 0);
		CHECK("param --header", run("param --header X-H v") == 0);
		CHECK("header name must be a token", run("param --header Bad:Name v") != 0);
		CHECK("params --name; param --params", run("params --name inv") == 0 &&
		      run("param --params inv s 1") == 0);
		CHECK("param to a missing named list fails", run("param --params nosuch a b") == -WB_ENOPARAMS);
		p = script_params_claim(&ctx, uri);
		CHECK_STR("##params cut off the URI", uri, "http://h/p.php?x=1");
		CHECK("default list claimed", p && !p->name);
		CHECK("form built", p && !script_params_form(p, &body, &blen) && body);
		if (body)
			CHECK_STR("form escaped as a uristring, headers left out", body, "k=a%20b%26c%3Dd&flag=");
		plat_free(body);
		script_params_free(p);
		CHECK("claimed once: param fails after", run("param z 1") == -WB_ENOPARAMS);
		p = script_params_claim(&ctx, uri2);
		CHECK("named list claimed", p && p->name && !strcmp(p->name, "inv"));
		script_params_free(p);
		CHECK("a missing list is ignored", script_params_claim(&ctx, uri3) == NULL);
		CHECK_STR("and the suffix still cut", uri3, "http://h/r");
		CHECK("params --delete", run("params --name gone") == 0 && run("params --name gone --delete") == 0 &&
		      run("param --params gone a") == -WB_ENOPARAMS);
		CHECK("a list left at the end is freed by script_fini", run("params --name left") == 0);
	}
	CHECK("iseq true", run("iseq a a") == 0);
	CHECK("iseq false", run("iseq a b") == -WB_EFALSE);
	CHECK("isset of empty is false", run("isset ${nothing}") == -WB_EFALSE);
	CHECK("isset of a value", run("isset ${name}") == 0);
	CHECK("goto outside a script", run("goto x") == -WB_ENOTSCRIPT);
	CHECK("iPXE command not supported", run("imgdecrypt x y") == -WB_ENOTSUPCMD);
	CHECK("imgverify and imgtrust are commands now", !script_ipxe_command("imgverify") &&
	      !script_ipxe_command("imgtrust"));
	CHECK("not supported is catchable", run("reboot || rec caught") == 0);
	CHECK("san commands are no longer in the unsupported list", !script_ipxe_command("sanboot") &&
	      !script_ipxe_command("sanhook") && !script_ipxe_command("sanunhook"));
	CHECK("unknown option refused", run("echo --bogus") == -WB_EUSAGE);
	CHECK("too many operands refused", run("clear a b") == -WB_EUSAGE);
	{
		static const char loop[] = "set i:int32 0\n:top\ninc i\niseq ${i} 5 || goto top\nrec ${i}\n";
		static const char nolabel[] = "goto nowhere\nrec never\n";
		static const char fwd[] = "goto end\nrec skipped\n:end rec on-label\nrec reached\n";
		static const char inl[] = "rec a\n:x rec b\nrec c\n";
		static const char cont[] = "rec one\\\r\ntwo \\\nthree\nrec four\n";
		static const char contend[] = "rec one \\\n";
		static const char fallback[] = "goto host_${name} || goto unknown\nrec no\n:unknown\nrec fallback\n";
		static const char nul[] = "rec a\n\0rec b\n";

		CHECK("goto loop", script_run(&ctx, loop, sizeof(loop) - 1, "loop") == 0);
		CHECK_STR("loop ran 5 times", rec, "[5]");
		CHECK("goto to a missing label fails", script_run(&ctx, nolabel, sizeof(nolabel) - 1, "nl") == -WB_ENOLABEL);
		CHECK("forward goto", script_run(&ctx, fwd, sizeof(fwd) - 1, "fwd") == 0);
		CHECK_STR("skipped to the label", rec, "[reached]");
		calls = 0;
		script_run(&ctx, fwd, sizeof(fwd) - 1, "fwd");
		CHECK("`:label command` runs the command after goto", calls == 2);
		calls = 0;
		CHECK("`:label command` on fall-through", script_run(&ctx, inl, sizeof(inl) - 1, "inl") == 0 &&
		      calls == 3);
		CHECK("backslash continues a line", script_run(&ctx, cont, sizeof(cont) - 1, "cont") == 0);
		CHECK_STR("continued lines joined (CRLF too)", rec, "[four]");
		calls = 0;
		script_run(&ctx, cont, 22, "cont");   /* up to "three\n" */
		CHECK("the joined line is one command", calls == 1 && !strcmp(rec, "[onetwo] [three]"));
		CHECK("backslash on the last line fails",
		      script_run(&ctx, contend, sizeof(contend) - 1, "ce") == -WB_ESYNTAX);
		CHECK("goto to a missing label is catchable", script_run(&ctx, fallback, sizeof(fallback) - 1, "fb") == 0);
		CHECK_STR("|| took the fallback label", rec, "[fallback]");
		CHECK("NUL byte is an error", script_run(&ctx, nul, sizeof(nul) - 1, "nul") == -WB_ESYNTAX);
	}
	/* scripts: a failure ends the script; || catches; exit N */
	{
		static const char s1[] = "#!ipxe\nrec one\nfail\nrec never\n";
		static const char s2[] = "#!ipxe\nfail || rec caught\nrec after\nexit 3\nrec never\n";
		static const char s3[] = "rec crlf\r\n";

		CHECK("failing script stops", script_run(&ctx, s1, sizeof(s1) - 1, "s1") == -WB_ETIMEDOUT);
		CHECK_STR("stopped before the next line", rec, "[one]");
		CHECK("exit status", script_run(&ctx, s2, sizeof(s2) - 1, "s2") == 3);
		CHECK_STR("ran up to exit", rec, "[after]");
		CHECK("CRLF lines", script_run(&ctx, s3, sizeof(s3) - 1, "s3") == 0);
		CHECK_STR("CR stripped", rec, "[crlf]");
	}
	script_fini(&ctx);
	unit_alloc_sweep("allocation failures (script run)", sweep_run, NULL, sweep_ok);
	return unit_done();
}
