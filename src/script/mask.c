/*
 * mask.c — secrets masked in echoed script text (see mask.h).
 *
 * How script_mask_secrets() reads the text: the same boundaries as the
 * interpreter (script_split_line, script_parse_line) — blanks end a word
 * (quotes and backslashes are ordinary characters, as in iPXE); a newline
 * or a word that is exactly `&&`, `||` or `;` ends a command; a word
 * starting with `#` starts a comment.  Per command:
 *
 *   word 1        "set"?  (literal, no ${…})
 *   words 2..     options (a word starting with '-') are skipped; the first
 *                 other word is the setting name: its literal text, scope
 *                 (before '/') and type (after ':') cut off, is looked up
 *                 with settings_is_secret(); a name holding ${…} is taken
 *                 as secret (it cannot be known here)
 *   later words   of a secret: all of them (and the blanks between them)
 *                 become one SCRIPT_MASK — cmd_set joins them into the value
 *
 * Nothing is ever written from a masked word, so a result cut short by
 * @cap holds no part of a secret either.
 */
#include <string.h>

#include "core/fmt.h"
#include "core/settings.h"
#include "core/util.h"
#include "platform/platform.h"
#include "script/mask.h"
#include "script/script.h"

struct mask_out {
	char *p;
	size_t len, cap;
};

static void mo_put(struct mask_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->cap && o->len + 1 < o->cap)
			o->p[o->len] = s[i];
}

static size_t mo_end(struct mask_out *o)
{
	if (o->cap)
		o->p[o->len < o->cap ? o->len : o->cap - 1] = '\0';
	return o->len;
}

#define MASK_LIT_MAX (SETTINGS_SCOPE_MAX + SETTINGS_NAME_MAX + SETTINGS_TYPE_MAX + 4)

struct mask_cmd {
	int nword;           /* words started in this command */
	int in_word;
	int is_set;          /* word 1 is "set" */
	int name_seen;       /* the setting name word has ended */
	int mask_rest;       /* the words from here on are a secret value */
	int masked;          /* SCRIPT_MASK written for this command */
	int suppress;        /* the current word is not written */
	int dash;            /* the current word starts with '-' */
	char lit[MASK_LIT_MAX];
	size_t lit_len;
	int lit_dyn;         /* the current word holds ${…} (or is too long to judge) */
	const char *blank;   /* blanks held back after a masked word */
	size_t nblank;
};

static void lit_add(struct mask_cmd *m, char c)
{
	if (m->lit_len + 1 < sizeof(m->lit))
		m->lit[m->lit_len++] = c;
	else
		m->lit_dyn = 1;
}

/* The unqualified, untyped part of a setting name written @lit. */
static int mask_name_secret(const char *lit)
{
	char name[MASK_LIT_MAX];
	const char *slash = strrchr(lit, '/');
	char *colon;

	wb_strlcpy(name, slash ? slash + 1 : lit, sizeof(name));
	colon = strchr(name, ':');
	if (colon)
		*colon = '\0';
	return settings_is_secret(name);
}

static void word_end(struct mask_cmd *m)
{
	if (!m->in_word)
		return;
	m->in_word = 0;
	m->lit[m->lit_len] = '\0';
	if (m->nword == 1) {
		m->is_set = !m->lit_dyn && !strcmp(m->lit, "set");
	} else if (m->is_set && !m->name_seen && !m->dash) {
		m->name_seen = 1;
		m->mask_rest = m->lit_dyn || mask_name_secret(m->lit);
	}
}

/* Part of a word: @n raw bytes at @s. */
static void word_put(struct mask_cmd *m, struct mask_out *o, const char *s, size_t n)
{
	if (!m->in_word) {
		m->in_word = 1;
		m->nword++;
		m->lit_len = 0;
		m->lit_dyn = 0;
		m->dash = s[0] == '-';
		m->suppress = m->mask_rest;
		if (m->mask_rest) {
			if (!m->masked)
				mo_put(o, SCRIPT_MASK, sizeof(SCRIPT_MASK) - 1);
			m->masked = 1;
			m->nblank = 0;   /* blanks between value words go with them */
		}
	}
	if (!m->suppress)
		mo_put(o, s, n);
}

static void blank_put(struct mask_cmd *m, struct mask_out *o, const char *s)
{
	word_end(m);
	if (m->masked) {
		if (!m->nblank)
			m->blank = s;
		m->nblank++;
	} else {
		mo_put(o, s, 1);
	}
}

static void cmd_end(struct mask_cmd *m, struct mask_out *o)
{
	word_end(m);
	if (m->nblank)
		mo_put(o, m->blank, m->nblank);
	memset(m, 0, sizeof(*m));
}

static int mask_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

size_t script_mask_secrets(const char *in, char *out, size_t cap)
{
	struct mask_out o = { out, 0, cap };
	struct mask_cmd m;
	const char *p = in;

	memset(&m, 0, sizeof(m));
	while (*p) {
		const char *e = p;
		size_t n;

		if (*p == '\n') {   /* a new line: a new command */
			cmd_end(&m, &o);
			mo_put(&o, p++, 1);
			continue;
		}
		if (mask_blank(*p)) {
			blank_put(&m, &o, p++);
			continue;
		}
		while (*e && *e != '\n' && !mask_blank(*e))
			e++;
		n = (size_t)(e - p);
		if ((n == 2 && (!memcmp(p, "||", 2) || !memcmp(p, "&&", 2))) ||
		    (n == 1 && *p == ';')) {   /* an operator: a whole word */
			cmd_end(&m, &o);
			mo_put(&o, p, n);
		} else if (*p == '#') {   /* a comment, to the end of the line */
			const char *nl = strchr(p, '\n');

			n = nl ? (size_t)(nl - p) : strlen(p);
			cmd_end(&m, &o);
			mo_put(&o, p, n);
		} else {
			word_put(&m, &o, p, n);
			for (size_t i = 0; i < n; i++) {
				if (p[i] == '$' && i + 1 < n && p[i + 1] == '{')
					m.lit_dyn = 1;
				/* judged without quotes and backslashes: `set "password" x`
				 * names another setting, but is masked all the same */
				if (p[i] != '"' && p[i] != '\'' && p[i] != '\\')
					lit_add(&m, p[i]);
			}
			word_end(&m);
		}
		p += n;
	}
	cmd_end(&m, &o);
	return mo_end(&o);
}

size_t script_mask_values(const char *in, const char *const *secrets, int n, char *out,
			  size_t cap)
{
	struct mask_out o = { out, 0, cap };

	while (*in) {
		size_t best = 0;

		for (int i = 0; i < n; i++) {
			size_t l = secrets[i] ? strlen(secrets[i]) : 0;

			if (l > best && !strncmp(in, secrets[i], l))
				best = l;
		}
		if (best) {
			mo_put(&o, SCRIPT_MASK, sizeof(SCRIPT_MASK) - 1);
			in += best;
		} else {
			mo_put(&o, in++, 1);
		}
	}
	return mo_end(&o);
}

/* ---- printing with a context's secrets ---------------------------------- */

#define MASK_MAX_VALUES 16

struct mask_values {
	const char *v[MASK_MAX_VALUES];
	int n, overflow;
};

static void mask_collect(void *arg, const char *scope, const char *name, const char *type,
			 const char *value)
{
	struct mask_values *mv = arg;

	(void)scope;
	(void)type;
	if (!settings_is_secret(name) || !*value)
		return;
	if (mv->n == MASK_MAX_VALUES)
		mv->overflow = 1;
	else
		mv->v[mv->n++] = value;
}

void script_print_masked(const struct script_ctx *ctx, const char *s)
{
	struct mask_values mv = { { 0 }, 0, 0 };
	size_t n1 = script_mask_secrets(s, NULL, 0), n2;
	char *a = NULL, *b = NULL;

	settings_foreach(&ctx->settings, NULL, mask_collect, &mv);
	if (mv.overflow)
		goto out;
	a = plat_malloc(n1 + 1);
	if (!a)
		goto out;
	script_mask_secrets(s, a, n1 + 1);
	n2 = script_mask_values(a, mv.v, mv.n, NULL, 0);
	b = plat_malloc(n2 + 1);
	if (!b)
		goto out;
	script_mask_values(a, mv.v, mv.n, b, n2 + 1);
	script_redact_userinfo(b);
	script_print_safe(b);
out:
	if (!b)
		wb_puts("(not shown: no memory to mask secrets)");
	plat_free(a);
	plat_free(b);
}
