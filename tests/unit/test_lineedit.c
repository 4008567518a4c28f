/*
 * test_lineedit.c — the line editor driven by scripted keys.
 *
 * Each case feeds a key list and checks the returned line and what a dumb
 * terminal would show: the output is replayed on a tiny emulator that knows
 * only printable characters, "\b" (cursor left) and "\n", which is all the
 * editor may use, so the visible line must equal prompt + text.
 */
#define UNIT_NAME "lineedit"
#include "core/err.h"
#include "platform/platform.h"
#include "script/lineedit.h"
#include "unit.h"

#define K_END (-100)

struct keys {
	const int *k;
	int i;
	int nones;      /* PLAT_KEY_NONE returned so far (idle calls) */
	int idle_limit; /* idle returns -WB_ETIMEDOUT after this many (0: never) */
};

static char out[8192];
static size_t outlen;

static int t_getkey(void *arg)
{
	struct keys *ks = arg;
	int k = ks->k[ks->i];

	if (k == K_END)
		return PLAT_KEY_EOF;
	ks->i++;
	if (k == PLAT_KEY_NONE)
		ks->nones++;
	return k;
}

static void t_write(void *arg, const char *s, size_t n)
{
	if (outlen + n < sizeof(out)) {
		memcpy(out + outlen, s, n);
		outlen += n;
		out[outlen] = '\0';
	}
}

static int t_idle(void *arg)
{
	struct keys *ks = arg;

	return ks->idle_limit && ks->nones >= ks->idle_limit ? -WB_ETIMEDOUT : 0;
}

/* Replay out[] on a one-line-at-a-time terminal; return the last line
 * that ended with "\n" (or the current one if @current). */
static const char *screen(int current)
{
	static char line[512], last[512];
	size_t col = 0, width = 0;

	memset(line, 0, sizeof(line));
	last[0] = '\0';
	for (size_t i = 0; i < outlen; i++) {
		char c = out[i];

		if (c == '\b') {
			if (col)
				col--;
		} else if (c == '\n') {
			line[width] = '\0';
			memcpy(last, line, sizeof(last));
			memset(line, 0, sizeof(line));
			col = width = 0;
		} else if (col < sizeof(line) - 1) {
			line[col++] = c;
			if (col > width)
				width = col;
		}
	}
	if (current) {
		line[width] = '\0';
		return line;
	}
	/* trailing blanks left by shortening are not visible */
	for (size_t n = strlen(last); n && last[n - 1] == ' '; n--)
		last[n - 1] = '\0';
	return last;
}

static struct le_io io;

static int run(const int *k, const struct le_opts *o, char *buf, size_t cap)
{
	static struct keys ks;

	ks.k = k;
	ks.i = 0;
	ks.nones = 0;
	ks.idle_limit = 0;
	io.getkey = t_getkey;
	io.write = t_write;
	io.idle = t_idle;
	io.arg = &ks;
	outlen = 0;
	out[0] = '\0';
	return le_readline(&io, o, buf, cap);
}

static const char *const names[] = { "echo", "exit", "help", "ifstat", "ifopen", "ifclose",
				     "show", NULL };

static const char *complete_cmds(void *arg, const char *line, size_t ws, size_t we, int i)
{
	if (ws != 0)    /* only the command name */
		return NULL;
	return i < (int)(sizeof(names) / sizeof(names[0])) ? names[i] : NULL;
}

#define L PLAT_KEY_LEFT
#define R PLAT_KEY_RIGHT
#define U PLAT_KEY_UP
#define D PLAT_KEY_DOWN

int main(void)
{
	struct le_opts o = { .prompt = "wb> " };
	struct le_history hist;
	char buf[128];
	int rc;

	{
		static const int k[] = { 'e', 'c', 'h', 'o', ' ', 'h', 'i', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK("plain line: length", rc == 7);
		CHECK_STR("plain line: text", buf, "echo hi");
		CHECK_STR("plain line: screen", screen(0), "wb> echo hi");
	}
	{
		/* type "ecoh", left twice, delete 'o' via backspace... build "echo x" */
		static const int k[] = { 'e', 'c', 'o', L, 'h', PLAT_KEY_END, ' ', 'x', '\n', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("insert in the middle", buf, "echo x");
		CHECK_STR("insert in the middle: screen", screen(0), "wb> echo x");
	}
	{
		static const int k[] = { 'a', 'b', 'c', 'd', L, L, 8, PLAT_KEY_DEL, '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("backspace and delete", buf, "ad");
		CHECK_STR("backspace and delete: screen", screen(0), "wb> ad");
	}
	{
		static const int k[] = { 'w', 'o', 'r', 'l', 'd', PLAT_KEY_HOME, 'h', 'i', ' ',
					 5, '!', 1, PLAT_KEY_DEL, '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("home/end, Ctrl-A/Ctrl-E", buf, "i world!");
		CHECK_STR("home/end: screen", screen(0), "wb> i world!");
	}
	{
		static const int k[] = { 'a', 'b', 'c', 21, 'x', 'y', L, 11, '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("Ctrl-U kills the line, Ctrl-K to the end", buf, "x");
		CHECK_STR("Ctrl-U: screen", screen(0), "wb> x");
	}
	{
		static const int k[] = { 'a', L, L, R, R, R, 127, 127, 127, 'b', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("cursor stays inside the line", buf, "b");
	}
	{
		static const int k[] = { 'a', 'b', PLAT_KEY_CTRL_C, 'z', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK("Ctrl-C abandons the line", rc == -WB_ECANCELED);
		CHECK_STR("Ctrl-C: buffer empty", buf, "");
		CHECK_STR("Ctrl-C: screen shows ^C", screen(0), "wb> ab^C");
	}
	{
		static const int k[] = { K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK("end of input on an empty line", rc == -WB_EEOF);
	}
	{
		static const int k[] = { 'x', 'y', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK("end of input after text returns the text", rc == 2 && !strcmp(buf, "xy"));
	}
	{
		/* Ctrl-D (4) on an empty line ends input, as a terminal's EOF key;
		 * the keys after it are not read */
		static const int k[] = { 4, 'z', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK("Ctrl-D on an empty line: end of input", rc == -WB_EEOF);
		CHECK("Ctrl-D on an empty line: a new line for the next prompt",
		      outlen && out[outlen - 1] == '\n');
	}
	{
		/* within a line it deletes at the cursor (and is no end of input) */
		static const int k[] = { 'a', 'b', 'c', L, L, 4, '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("Ctrl-D in a line deletes at the cursor", buf, "ac");
		CHECK_STR("Ctrl-D in a line: screen", screen(0), "wb> ac");
	}
	{
		/* at the end of a non-empty line: nothing to delete, the line stays */
		static const int k[] = { 'a', 4, 'b', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("Ctrl-D at the end of a line does nothing", buf, "ab");
	}
	{
		/* "\r\n" is one Enter: the '\n' must not end the next line */
		static const int k1[] = { 'a', '\r', '\n', 'b', '\r', K_END };
		rc = run(k1, &o, buf, sizeof(buf));
		CHECK_STR("CR LF: first line", buf, "a");
		{
			struct keys *ks = io.arg;
			static const int *rest;

			rest = k1 + ks->i;
			outlen = 0;
			ks->k = rest;
			ks->i = 0;
			rc = le_readline(&io, &o, buf, sizeof(buf));
			CHECK_STR("CR LF: counts once", buf, "b");
		}
	}
	{
		static const int k[] = { 'a', 'b', 'c', 'd', 'e', 'f', '\r', K_END };
		char small[4];

		rc = run(k, &o, small, sizeof(small));
		CHECK_STR("full buffer: extra keys ignored", small, "abc");
	}
	{
		static const int k[] = { PLAT_KEY_NONE, 'a', PLAT_KEY_NONE, PLAT_KEY_NONE, '\r', K_END };
		struct keys *ks;

		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("idle between keys", buf, "a");
		ks = io.arg;
		ks->k = k;
		ks->i = 0;
		ks->nones = 0;
		ks->idle_limit = 2;
		rc = le_readline(&io, &o, buf, sizeof(buf));
		CHECK("idle callback error ends the line", rc == -WB_ETIMEDOUT);
	}

	{
		/* consoles that pass ANSI sequences byte by byte (U-Boot over serial) */
		static const int k[] = { 'a', 'c', 0x1b, '[', 'D', 'b', 0x1b, '[', '1', '~', 0x1b,
					 '[', '3', '~', 0x1b, 'O', 'F', '!', 0x1b, '[', '9', '9', 'z',
					 '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("split ANSI sequences decoded", buf, "bc!");
		CHECK_STR("split ANSI sequences: screen", screen(0), "wb> bc!");
	}

	/* initial text (read SETTING) */
	{
		struct le_opts oi = { .prompt = "", .initial = "old" };
		static const int k[] = { 8, 'k', '\r', K_END };

		rc = run(k, &oi, buf, sizeof(buf));
		CHECK_STR("initial text is editable", buf, "olk");
		CHECK_STR("initial text: screen", screen(0), "olk");
	}

	/* masked input */
	{
		struct le_opts om = { .prompt = "Password: ", .mask = 1 };
		static const int k[] = { 's', 'e', 'k', 'r', 'i', 't', L, L, 8, '\r', K_END };

		rc = run(k, &om, buf, sizeof(buf));
		CHECK_STR("masked: text", buf, "sekit");
		CHECK_STR("masked: screen shows stars", screen(0), "Password: *****");
		CHECK("masked: secret never written", !strstr(out, "sek") && !strchr(out + 10, 'r'));
	}
	{
		struct le_opts oe = { .prompt = "", .esc_cancels = 1 };
		static const int k[] = { 'a', 0x1b, K_END };

		rc = run(k, &oe, buf, sizeof(buf));
		CHECK("Esc cancels when asked", rc == -WB_ECANCELED);
		rc = run(k, &o, buf, sizeof(buf));
		CHECK("Esc ignored otherwise", rc == 1 && !strcmp(buf, "a"));
	}

	/* history */
	le_history_init(&hist);
	o.history = &hist;
	CHECK("history: add", le_history_add(&hist, "first") == 0);
	le_history_add(&hist, "second");
	le_history_add(&hist, "second");        /* duplicate of the newest: skipped */
	le_history_add(&hist, "   ");           /* blank: skipped */
	CHECK("history: duplicates and blanks skipped", hist.count == 2);
	{
		static const int k[] = { U, '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("history: up recalls the newest", buf, "second");
	}
	{
		static const int k[] = { 'n', 'e', 'w', U, U, U, '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("history: up stops at the oldest", buf, "first");
		CHECK_STR("history: screen after a longer line", screen(0), "wb> first");
	}
	{
		static const int k[] = { 'n', 'e', 'w', U, U, D, D, '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("history: down returns to the line being typed", buf, "new");
	}
	{
		static const int k[] = { U, L, L, 'X', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("history: recalled line is editable", buf, "secoXnd");
		CHECK_STR("history: edit screen", screen(0), "wb> secoXnd");
	}
	for (int i = 0; i < 20; i++) {
		char l[16];

		snprintf(l, sizeof(l), "cmd%d", i);
		le_history_add(&hist, l);
	}
	CHECK("history: ring keeps LE_HISTORY_MAX", hist.count == LE_HISTORY_MAX);
	CHECK_STR("history: newest", le_history_get(&hist, 0), "cmd19");
	CHECK_STR("history: oldest kept", le_history_get(&hist, LE_HISTORY_MAX - 1), "cmd4");
	{
		struct le_opts om = { .prompt = "", .mask = 1, .history = &hist };
		static const int k[] = { U, '\r', K_END };

		rc = run(k, &om, buf, sizeof(buf));
		CHECK_STR("history: not offered in masked mode", buf, "");
	}

	/* completion */
	o.complete = complete_cmds;
	{
		static const int k[] = { 's', '\t', 'n', 'e', 't', '0', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("complete: unique match plus a space", buf, "show net0");
	}
	{
		static const int k[] = { 'i', 'f', 'o', '\t', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("complete: unique after a longer prefix", buf, "ifopen ");
	}
	{
		static const int k[] = { 'i', '\t', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("complete: extends to the common prefix", buf, "if");
		CHECK("complete: no list while extending", !strstr(out, "ifstat"));
	}
	{
		static const int k[] = { 'i', 'f', '\t', 'c', '\t', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK("complete: ambiguous prints the candidates",
		      strstr(out, "\nifstat  ifopen  ifclose\nwb> if") != NULL);
		CHECK_STR("complete: then continues", buf, "ifclose ");
		CHECK_STR("complete: screen", screen(0), "wb> ifclose");
	}
	{
		static const int k[] = { 'e', 'c', 'h', 'o', ' ', 'e', '\t', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("complete: callback refuses later words", buf, "echo e");
	}
	{
		static const int k[] = { 'x', 'x', '\t', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("complete: no match leaves the line", buf, "xx");
	}
	{
		static const int k[] = { 'h', 'x', L, '\t', '\r', K_END };
		rc = run(k, &o, buf, sizeof(buf));
		CHECK_STR("complete: word before the cursor", buf, "help x");
	}
	le_history_fini(&hist);
	return unit_done();
}
