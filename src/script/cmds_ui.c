/*
 * cmds_ui.c — the interactive commands, after ipxe.org/cmd: prompt, menu,
 * item, choose, login, read, shell.
 *
 * Menus: `menu` creates a menu (named, or the unnamed default one; an
 * existing menu of that name is replaced), `item` appends to it, `choose`
 * shows it, stores the chosen label in a setting and deletes the menu
 * unless --keep.  An item without a label, or with --gap, is a separator.
 *
 * Drawing: the menu is printed as plain lines ("  > " marks the selection)
 * so a serial log shows every state of it; where the console understands
 * ANSI (a Linux terminal, U-Boot's console, which passes escapes through to
 * the serial line) the selection is also in reverse video and each redraw
 * first moves the cursor back to the menu's first line (ESC[nA), so the
 * menu is redrawn in place.  EDK2's console would print escapes literally,
 * so there the menu is simply printed again on each change.
 *
 * Waiting: every wait polls the network (net_poll) and reads keys through
 * script_getkey() (type-ahead first).  At end of input (hosted, stdin
 * closed) a wait with a timeout runs into its timeout; one without fails.
 */
#include <ctype.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "net/net.h"
#include "platform/platform.h"
#include "script/script.h"
#include "script/ui.h"

#define UI_TEXT_COLS 72     /* item text is cut here so a line never wraps */

struct ui_item {
	struct ui_item *next;
	char *label;            /* NULL: a separator */
	char *text;
	int key;                /* 0: no shortcut */
	int is_default;
};

struct ui_menu {
	struct ui_menu *next;
	char *name;             /* "" for the default menu */
	char *title;
	struct ui_item *items, **tail;
};

/* ---- state ------------------------------------------------------------ */

static int ui_getkey(void *arg)
{
	(void)arg;
	return script_getkey();
}

static void ui_write(void *arg, const char *s, size_t n)
{
	(void)arg;
	plat_write(s, n);
}

static int ui_idle(void *arg)
{
	struct ui_state *ui = arg;

	if (ui->ctx->net)
		net_poll(ui->ctx->net);
	if (ui->deadline && plat_ms() >= ui->deadline)
		return -WB_ETIMEDOUT;
	return 0;
}

struct ui_state *script_ui(struct script_ctx *ctx)
{
	struct ui_state *ui = ctx->ui;

	if (ui)
		return ui;
	ui = plat_malloc(sizeof(*ui));
	if (!ui)
		return NULL;
	memset(ui, 0, sizeof(*ui));
	le_history_init(&ui->history);
	ui->io.getkey = ui_getkey;
	ui->io.write = ui_write;
	ui->io.idle = ui_idle;
	ui->io.arg = ui;
	ui->ctx = ctx;
	ctx->ui = ui;
	return ui;
}

static void menu_free(struct ui_menu *m)
{
	while (m->items) {
		struct ui_item *it = m->items;

		m->items = it->next;
		plat_free(it->label);
		plat_free(it->text);
		plat_free(it);
	}
	plat_free(m->name);
	plat_free(m->title);
	plat_free(m);
}

void script_ui_fini(struct script_ctx *ctx)
{
	struct ui_state *ui = ctx->ui;

	if (!ui)
		return;
	while (ui->menus) {
		struct ui_menu *m = ui->menus;

		ui->menus = m->next;
		menu_free(m);
	}
	le_history_fini(&ui->history);
	plat_free(ui);
	ctx->ui = NULL;
}

int script_ui_readline(struct script_ctx *ctx, const struct le_opts *o, char *buf, size_t cap,
		       unsigned long timeout_ms)
{
	struct ui_state *ui = script_ui(ctx);
	int rc;

	if (!ui)
		return -WB_ENOMEM;
	ui->deadline = timeout_ms ? plat_ms() + timeout_ms : 0;
	rc = le_readline(&ui->io, o, buf, cap);
	ui->deadline = 0;
	return rc;
}

/* Poll the network once; 1 when @deadline (0 = none) has passed. */
static int ui_wait_tick(struct script_ctx *ctx, uint64_t deadline)
{
	if (ctx->net)
		net_poll(ctx->net);
	return deadline && plat_ms() >= deadline;
}

static int ui_ansi(void)
{
	return strcmp(plat_firmware(), "EDK II") != 0;
}

/* @argv[0..argc) joined by single spaces, in a new string (caller frees). */
static char *ui_join(int argc, char **argv)
{
	size_t n = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = plat_malloc(n);
	if (!s)
		return NULL;
	n = 0;
	for (int i = 0; i < argc; i++) {
		size_t k = strlen(argv[i]);

		if (i)
			s[n++] = ' ';
		memcpy(s + n, argv[i], k);
		n += k;
	}
	s[n] = '\0';
	return s;
}

/*
 * --key values: a character literal ("q", "@") or a number ("0x02"), with
 * iPXE's documented codes for special keys (KEY_ANSI(n, c) = 0x100*(n+1)+c:
 * arrows 0x141-0x144, Home 0x148, End 0x146, Delete 0x47e) mapped to ours.
 */
static int ui_parse_key(const char *cmd, const char *s, int *key)
{
	static const struct { unsigned code; int key; } special[] = {
		{ 0x141, PLAT_KEY_UP }, { 0x142, PLAT_KEY_DOWN }, { 0x143, PLAT_KEY_RIGHT },
		{ 0x144, PLAT_KEY_LEFT }, { 0x148, PLAT_KEY_HOME }, { 0x146, PLAT_KEY_END },
		{ 0x47e, PLAT_KEY_DEL },
	};
	unsigned long long v;

	if (s[0] && !s[1]) {
		*key = (unsigned char)s[0];
		return 0;
	}
	if (wb_parse_uint(s, 0xffff, &v) || !v) {
		wb_printf("%s: bad key \"%s\" (a character or a key code such as 0x02)\n", cmd, s);
		return -WB_EUSAGE_SHOWN;
	}
	*key = (int)v;
	for (size_t i = 0; i < WB_ARRAY_SIZE(special); i++)
		if (special[i].code == v)
			*key = special[i].key;
	return 0;
}

static int ui_parse_ms(const char *cmd, const char *s, unsigned long *ms)
{
	unsigned long long v = 0;

	if (s && wb_parse_uint(s, 86400000ull, &v)) {
		wb_printf("%s: bad timeout \"%s\" (milliseconds)\n", cmd, s);
		return -WB_EUSAGE_SHOWN;
	}
	*ms = (unsigned long)v;
	return 0;
}

static struct ui_menu *menu_find(struct ui_state *ui, const char *name)
{
	for (struct ui_menu *m = ui->menus; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static void menu_delete(struct ui_state *ui, struct ui_menu *m)
{
	for (struct ui_menu **pp = &ui->menus; *pp; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			menu_free(m);
			return;
		}
}

/* ---- prompt ----------------------------------------------------------- */

/* prompt [--key K] [--timeout MS] [TEXT...] */
static int cmd_prompt(struct script_ctx *ctx, const struct cmd_args *a)
{
	struct ui_state *ui = script_ui(ctx);
	const char *keyarg = a->given[0] ? a->val[0] : NULL;
	unsigned long ms;
	uint64_t deadline;
	char *text = NULL;
	size_t tlen;
	int key = 0, rc;

	if (!ui)
		return -WB_ENOMEM;
	if (keyarg && (rc = ui_parse_key(a->name, keyarg, &key)))
		return rc;
	if ((rc = ui_parse_ms(a->name, a->given[1] ? a->val[1] : NULL, &ms)))
		return rc;
	if (a->argc) {
		text = ui_join(a->argc, a->argv);
		if (!text)
			return -WB_ENOMEM;
	}
	wb_puts(text ? text : "Press any key to continue");
	tlen = strlen(text ? text : "Press any key to continue");
	plat_free(text);
	deadline = ms ? plat_ms() + ms : 0;
	for (;;) {
		int k = le_getkey(&ui->io);

		if (k == PLAT_KEY_NONE || (k == PLAT_KEY_EOF && deadline)) {
			if (ui_wait_tick(ctx, deadline)) {
				/* a timeout is an answer, not an error: it fails
				 * silently, as in iPXE (`prompt ... || goto x`) */
				rc = -WB_EFALSE;
				break;
			}
			continue;
		}
		if (k == PLAT_KEY_EOF)
			rc = -WB_EEOF;
		else if (keyarg)
			rc = k == key ? 0 : k == PLAT_KEY_CTRL_C ? -WB_ECANCELED : -WB_EWRONGKEY;
		else
			rc = k == PLAT_KEY_CTRL_C ? -WB_ECANCELED : 0;
		break;
	}
	/* the text is cleared (iPXE does so); in a log it stays readable */
	wb_puts("\r");
	for (size_t i = 0; i < tlen; i++)
		wb_puts(" ");
	wb_puts("\r");
	return rc;
}

/* ---- menu / item ------------------------------------------------------ */

/* menu [--name NAME] [--delete] [TITLE...] */
static int cmd_menu(struct script_ctx *ctx, const struct cmd_args *a)
{
	struct ui_state *ui = script_ui(ctx);
	const char *name = a->given[0] ? a->val[0] : "";
	struct ui_menu *m;

	if (!ui)
		return -WB_ENOMEM;
	m = menu_find(ui, name);
	if (a->given[1]) {
		if (!m)
			return -WB_ENOMENU;
		menu_delete(ui, m);
		return 0;
	}
	if (m)
		menu_delete(ui, m);   /* a new menu of the same name replaces it */
	m = plat_malloc(sizeof(*m));
	if (!m)
		return -WB_ENOMEM;
	memset(m, 0, sizeof(*m));
	m->tail = &m->items;
	m->name = wb_strdup(name);
	m->title = ui_join(a->argc, a->argv);
	if (!m->name || !m->title) {
		menu_free(m);
		return -WB_ENOMEM;
	}
	m->next = ui->menus;
	ui->menus = m;
	return 0;
}

/* item [--menu NAME] [--key K] [--default] [--gap] [LABEL [TEXT...]] */
static int cmd_item(struct script_ctx *ctx, const struct cmd_args *a)
{
	struct ui_state *ui = script_ui(ctx);
	struct ui_menu *m;
	struct ui_item *it;
	int gap = a->given[3] || a->argc == 0;
	int key = 0, rc;

	if (!ui)
		return -WB_ENOMEM;
	m = menu_find(ui, a->given[0] ? a->val[0] : "");
	if (!m)
		return -WB_ENOMENU;
	if (a->given[1] && (rc = ui_parse_key(a->name, a->val[1], &key)))
		return rc;
	it = plat_malloc(sizeof(*it));
	if (!it)
		return -WB_ENOMEM;
	memset(it, 0, sizeof(*it));
	it->key = gap ? 0 : key;
	it->is_default = !gap && a->given[2];
	if (gap) {
		it->text = ui_join(a->argc, a->argv);     /* --gap: every word is text */
	} else {
		it->label = wb_strdup(a->argv[0]);
		it->text = ui_join(a->argc - 1, a->argv + 1);
	}
	if (!it->text || (!gap && !it->label)) {
		plat_free(it->label);
		plat_free(it->text);
		plat_free(it);
		return -WB_ENOMEM;
	}
	if (it->is_default)
		for (struct ui_item *o = m->items; o; o = o->next)
			o->is_default = 0;
	*m->tail = it;
	m->tail = &it->next;
	return 0;
}

/* ---- choose ----------------------------------------------------------- */

/* Print the menu; on a redraw with ANSI, first go back to its first line. */
static int menu_draw(const struct ui_menu *m, const struct ui_item *sel, int ansi, int lines)
{
	int n = 0;

	if (lines) {
		if (ansi)
			wb_printf("\x1b[%dA\r", lines);
		else
			wb_puts("\n");
	}
	if (m->title[0]) {
		wb_printf("%.*s%s\n", UI_TEXT_COLS, m->title, ansi ? "\x1b[K" : "");
		n++;
	}
	for (const struct ui_item *it = m->items; it; it = it->next, n++) {
		const char *text = it->label && !it->text[0] ? it->label : it->text;

		if (it == sel)
			wb_printf("  %s> %.*s%s\n", ansi ? "\x1b[7m" : "", UI_TEXT_COLS, text,
				  ansi ? "\x1b[0m\x1b[K" : "");
		else
			wb_printf("    %.*s%s\n", UI_TEXT_COLS, text, ansi ? "\x1b[K" : "");
	}
	return n;
}

static struct ui_item *menu_step(const struct ui_menu *m, struct ui_item *sel, int dir)
{
	struct ui_item *prev = NULL, *it;

	if (dir > 0) {
		for (it = sel->next; it; it = it->next)
			if (it->label)
				return it;
		return sel;
	}
	for (it = m->items; it != sel; it = it->next)
		if (it->label)
			prev = it;
	return prev ? prev : sel;
}

static struct ui_item *menu_first(const struct ui_menu *m, int last)
{
	struct ui_item *found = NULL;

	for (struct ui_item *it = m->items; it; it = it->next)
		if (it->label) {
			found = it;
			if (!last)
				break;
		}
	return found;
}

static struct ui_item *menu_hotkey(const struct ui_menu *m, int k)
{
	struct ui_item *it;

	for (it = m->items; it; it = it->next)
		if (it->label && it->key && it->key == k)
			return it;
	if (k > 0 && k < 0x100 && isalpha(k))
		for (it = m->items; it; it = it->next)
			if (it->label && it->key > 0 && it->key < 0x100 &&
			    tolower(it->key) == tolower(k))
				return it;
	return NULL;
}

/* choose [--menu NAME] [--default LABEL] [--timeout MS] [--retimeout MS] [--keep] SETTING */
static int cmd_choose(struct script_ctx *ctx, const struct cmd_args *a)
{
	struct ui_state *ui = script_ui(ctx);
	const char *deflabel = a->given[1] ? a->val[1] : NULL;
	unsigned long ms, rems;
	struct ui_item *sel = NULL, *chosen = NULL;
	struct ui_menu *m;
	uint64_t deadline;
	int ansi = ui_ansi(), lines, rc;

	if (!ui)
		return -WB_ENOMEM;
	if ((rc = ui_parse_ms(a->name, a->given[2] ? a->val[2] : NULL, &ms)) ||
	    (rc = ui_parse_ms(a->name, a->given[3] ? a->val[3] : NULL, &rems)))
		return rc;
	m = menu_find(ui, a->given[0] ? a->val[0] : "");
	if (!m)
		return -WB_ENOMENU;
	for (struct ui_item *it = m->items; it; it = it->next)
		if (it->label && deflabel && !strcmp(it->label, deflabel))
			sel = it;
	for (struct ui_item *it = m->items; it && !sel; it = it->next)
		if (it->label && it->is_default)
			sel = it;
	if (!sel)
		sel = menu_first(m, 0);
	if (!sel) {
		rc = -WB_EMENUEMPTY;
		goto out;
	}
	lines = menu_draw(m, sel, ansi, 0);
	deadline = ms ? plat_ms() + ms : 0;
	while (!chosen) {
		int k = le_getkey(&ui->io);
		struct ui_item *next = sel;

		if (k == PLAT_KEY_NONE || (k == PLAT_KEY_EOF && deadline)) {
			if (ui_wait_tick(ctx, deadline))
				chosen = sel;   /* timeout: the default item */
			continue;
		}
		deadline = rems ? plat_ms() + rems : 0;
		switch (k) {
		case PLAT_KEY_EOF:
			rc = -WB_EEOF;
			goto out;
		case PLAT_KEY_CTRL_C:
		case 0x1b:
			rc = -WB_ECANCELED;
			goto out;
		case '\r':
		case '\n':
			chosen = sel;
			break;
		case PLAT_KEY_UP:
			next = menu_step(m, sel, -1);
			break;
		case PLAT_KEY_DOWN:
			next = menu_step(m, sel, 1);
			break;
		case PLAT_KEY_HOME:
			next = menu_first(m, 0);
			break;
		case PLAT_KEY_END:
			next = menu_first(m, 1);
			break;
		default:
			chosen = menu_hotkey(m, k);
			if (chosen)
				next = chosen;
			break;
		}
		if (next != sel) {
			sel = next;
			lines = menu_draw(m, sel, ansi, lines);
		}
	}
	rc = settings_set(&ctx->settings, a->argv[0], chosen->label);
	if (rc == -WB_EBADVAL)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "\"%s\" is not a valid value for %s",
			    chosen->label, a->argv[0]);
out:
	if (!a->given[4])
		menu_delete(ui, m);
	return rc;
}

/* ---- login / read ----------------------------------------------------- */

static int cmd_login(struct script_ctx *ctx, const struct cmd_args *a)
{
	char user[SETTINGS_VALUE_MAX], pass[SETTINGS_VALUE_MAX];
	struct le_opts ou = { .prompt = "Username: ", .esc_cancels = 1,
			      .initial = settings_get(&ctx->settings, "username", NULL) };
	struct le_opts op = { .prompt = "Password: ", .esc_cancels = 1, .mask = 1 };
	int rc;

	rc = script_ui_readline(ctx, &ou, user, sizeof(user), 0);
	if (rc >= 0)
		rc = script_ui_readline(ctx, &op, pass, sizeof(pass), 0);
	if (rc >= 0) {
		rc = settings_set(&ctx->settings, "username", user);
		if (!rc)
			rc = settings_set(&ctx->settings, "password", pass);
	}
	memset(pass, 0, sizeof(pass));
	return rc < 0 ? rc : 0;
}

/* read [--timeout MS] SETTING — the current value is the initial text */
static int cmd_read(struct script_ctx *ctx, const struct cmd_args *a)
{
	const char *name = a->argv[0], *slash = strchr(name, '/');
	int secret = settings_is_secret(slash ? slash + 1 : name);
	struct le_opts o = { .prompt = "", .mask = secret };
	char *buf;
	unsigned long ms;
	int rc;

	if ((rc = ui_parse_ms(a->name, a->given[0] ? a->val[0] : NULL, &ms)))
		return rc;
	if (!secret)   /* a secret is never shown, not even to be edited */
		o.initial = settings_get(&ctx->settings, name, NULL);
	buf = plat_malloc(SETTINGS_VALUE_MAX);
	if (!buf)
		return -WB_ENOMEM;
	rc = script_ui_readline(ctx, &o, buf, SETTINGS_VALUE_MAX, ms);
	if (rc >= 0) {
		rc = settings_set(&ctx->settings, name, buf);
		if (rc == -WB_EBADVAL)
			wb_snprintf(ctx->detail, sizeof(ctx->detail),
				    "\"%s\" is not a valid value for %s",
				    secret ? "********" : buf, name);
	}
	memset(buf, 0, SETTINGS_VALUE_MAX);
	plat_free(buf);
	return rc < 0 ? rc : 0;
}

/* ---- shell ------------------------------------------------------------ */

/* shell — a nested interactive shell; `exit` returns to the caller. */
static int cmd_shell(struct script_ctx *ctx, const struct cmd_args *a)
{
	int rc = script_shell(ctx);

	if (ctx->exit_requested) {
		rc = ctx->exit_status ? -WB_EEXIT : 0;
		ctx->exit_requested = 0;
		ctx->exit_status = 0;
	}
	return rc;
}

/* ---- table ------------------------------------------------------------ */

static const struct cmd_opt prompt_opts[] = { { "key", 'k', 1 }, { "timeout", 't', 1 } };
static const struct cmd_opt menu_opts[] = { { "name", 'n', 1 }, { "delete", 'd', 0 } };
static const struct cmd_opt item_opts[] = {
	{ "menu", 'm', 1 }, { "key", 'k', 1 }, { "default", 'd', 0 }, { "gap", 'g', 0 },
};
static const struct cmd_opt choose_opts[] = {
	{ "menu", 'm', 1 }, { "default", 'd', 1 }, { "timeout", 't', 1 },
	{ "retimeout", 'r', 1 }, { "keep", 'k', 0 },
};
static const struct cmd_opt read_opts[] = { { "timeout", 't', 1 } };

static const struct cmd ui_cmds[] = {
	{ "prompt", cmd_prompt, "prompt [--key KEY] [--timeout MS] [TEXT...]",
	  "wait for a key (any, or KEY); fails on timeout or Ctrl-C", prompt_opts, 2, 0,
	  CMD_ARGS_ANY },
	{ "menu", cmd_menu, "menu [--name NAME] [--delete] [TITLE...]", "create (or delete) a menu",
	  menu_opts, 2, 0, CMD_ARGS_ANY },
	{ "item", cmd_item, "item [--menu NAME] [--key KEY] [--default] [--gap] [LABEL [TEXT...]]",
	  "add a menu item (no LABEL or --gap: a separator)", item_opts, 4, 0, CMD_ARGS_ANY },
	{ "choose", cmd_choose,
	  "choose [--menu NAME] [--default LABEL] [--timeout MS] [--retimeout MS] [--keep] SETTING",
	  "show a menu, store the chosen label in SETTING", choose_opts, 5, 1, 1 },
	{ "login", cmd_login, "login", "ask for username and password (settings)", NULL, 0, 0, 0 },
	{ "read", cmd_read, "read [--timeout MS] SETTING", "edit a setting's value on the console",
	  read_opts, 1, 1, 1 },
	{ "shell", cmd_shell, "shell", "interactive shell ('exit' returns to the script)", NULL, 0,
	  0, 0 },
};

static const struct cmd_table ui_table = { ui_cmds, WB_ARRAY_SIZE(ui_cmds) };

void script_register_ui(struct script_ctx *ctx)
{
	script_register(ctx, &ui_table);
}
