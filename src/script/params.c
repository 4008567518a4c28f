/*
 * params.c — request parameter lists and the params/param commands (see
 * params.h).  Behaviour checked against iPXE's own Linux build: messages
 * and statuses of the error cases, the one-use claim of a list by a URI.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/settype.h"
#include "core/util.h"
#include "platform/platform.h"
#include "script/params.h"
#include "script/script.h"

static void params_free_entries(struct script_param *e)
{
	while (e) {
		struct script_param *next = e->next;

		plat_free(e->key);
		plat_free(e->value);
		plat_free(e);
		e = next;
	}
}

void script_params_free(struct script_params *p)
{
	if (!p)
		return;
	params_free_entries(p->head);
	plat_free(p->name);
	plat_free(p);
}

void script_params_fini(struct script_ctx *ctx)
{
	while (ctx->params) {
		struct script_params *next = ctx->params->next;

		script_params_free(ctx->params);
		ctx->params = next;
	}
}

/* the list called @name (NULL: the default one), and the link pointing at it */
static struct script_params **params_find(struct script_ctx *ctx, const char *name)
{
	struct script_params **pp;

	for (pp = &ctx->params; *pp; pp = &(*pp)->next)
		if ((!name && !(*pp)->name) || (name && (*pp)->name && !strcmp(name, (*pp)->name)))
			return pp;
	return NULL;
}

struct script_params *script_params_claim(struct script_ctx *ctx, char *uri)
{
	char *at = strstr(uri, "##params");
	struct script_params **pp, *p;

	if (!at)
		return NULL;
	*at = '\0';
	at += 8;
	pp = params_find(ctx, *at == '=' ? at + 1 : NULL);
	if (!pp)
		return NULL;   /* iPXE ignores a list that does not exist */
	p = *pp;
	*pp = p->next;
	p->next = NULL;
	return p;
}

/* append @s escaped as a uristring value is shown */
static size_t params_escape(const char *s, char *out)
{
	size_t n = 0;

	for (; *s; s++) {
		uint8_t c = (uint8_t)*s;

		if (c > ' ' && c < 0x7f && !strchr("%/#:@?=&+", c)) {
			if (out)
				out[n] = (char)c;
			n++;
		} else {
			if (out)
				wb_snprintf(out + n, 4, "%%%02X", c);
			n += 3;
		}
	}
	return n;
}

int script_params_form(const struct script_params *p, char **body, size_t *len)
{
	size_t n = 0;
	char *b;

	*body = NULL;
	*len = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t at = 0;

		for (const struct script_param *e = p->head; e; e = e->next) {
			if (e->header)
				continue;
			if (at) {
				if (pass)
					b[at] = '&';
				at++;
			}
			at += params_escape(e->key, pass ? b + at : NULL);
			if (pass)
				b[at] = '=';
			at++;
			at += params_escape(e->value, pass ? b + at : NULL);
		}
		if (!at)
			return 0;   /* no form parameters: a GET */
		if (!pass) {
			n = at;
			b = plat_malloc(n + 1);
			if (!b)
				return -WB_ENOMEM;
		}
	}
	b[n] = '\0';
	*body = b;
	*len = n;
	return 0;
}

/* params [--name N] [--delete] */
static int cmd_params(struct script_ctx *ctx, const struct cmd_args *a)
{
	const char *name = a->given[0] ? a->val[0] : NULL;
	struct script_params **pp = params_find(ctx, name), *p;

	if (pp) {   /* a new list replaces one of the same name */
		p = *pp;
		*pp = p->next;
		script_params_free(p);
	}
	if (a->given[1])
		return 0;   /* --delete */
	p = plat_malloc(sizeof(*p));
	if (!p)
		return -WB_ENOMEM;
	memset(p, 0, sizeof(*p));
	if (name && !(p->name = wb_strdup(name))) {
		plat_free(p);
		return -WB_ENOMEM;
	}
	p->next = ctx->params;
	ctx->params = p;
	return 0;
}

/* param [--params N] [--header] KEY [VALUE...] (the value words joined by spaces) */
static int cmd_param(struct script_ctx *ctx, const struct cmd_args *a)
{
	const char *name = a->given[0] ? a->val[0] : NULL;
	struct script_params **pp = params_find(ctx, name);
	struct script_param *e, **tail;
	size_t vlen = 0;

	if (!pp) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s%s%s", name ? "\"" : "",
			    name ? name : "the default list", name ? "\"" : "");
		return -WB_ENOPARAMS;
	}
	if (a->given[1]) {
		/* a header must stay one header line with a token for a name (RFC 9110 §5.1) */
		for (const char *k = a->argv[0]; *k; k++)
			if ((unsigned char)*k <= ' ' || *k >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", *k)) {
				wb_printf("param: \"%s\" is not a valid HTTP header name\n", a->argv[0]);
				return -WB_EUSAGE_SHOWN;
			}
	}
	for (int i = 1; i < a->argc; i++)
		vlen += strlen(a->argv[i]) + 1;
	e = plat_malloc(sizeof(*e));
	if (!e)
		return -WB_ENOMEM;
	memset(e, 0, sizeof(*e));
	e->header = a->given[1];
	e->key = wb_strdup(a->argv[0]);
	e->value = plat_malloc(vlen + 1);
	if (!e->key || !e->value) {
		params_free_entries(e);
		return -WB_ENOMEM;
	}
	vlen = 0;
	for (int i = 1; i < a->argc; i++) {
		size_t l = strlen(a->argv[i]);

		if (i > 1)
			e->value[vlen++] = ' ';
		memcpy(e->value + vlen, a->argv[i], l);
		vlen += l;
	}
	e->value[vlen] = '\0';
	if (e->header && (strchr(e->value, '\r') || strchr(e->value, '\n'))) {
		/* a value from a setting must not add header lines (deliberately stricter than iPXE) */
		wb_printf("param: a header value may not contain a line break\n");
		params_free_entries(e);
		return -WB_EUSAGE_SHOWN;
	}
	for (tail = &(*pp)->head; *tail; tail = &(*tail)->next)
		;
	*tail = e;
	return 0;
}

static const struct cmd_opt params_opts[] = { { "name", 'n', 1 }, { "delete", 'd', 0 } };
static const struct cmd_opt param_opts[] = { { "params", 'p', 1 }, { "header", 'H', 0 } };

static const struct cmd params_cmds[] = {
	{ "params", cmd_params, "params [--name NAME] [--delete]",
	  "start a request parameter list (a URI ending ##params sends it)", params_opts, 2, 0, 0 },
	{ "param", cmd_param, "param [--params NAME] [--header] KEY [VALUE]",
	  "add a form field (or --header: an HTTP header) to a parameter list", param_opts, 2, 1,
	  CMD_ARGS_ANY },
};

static const struct cmd_table params_table = { params_cmds, WB_ARRAY_SIZE(params_cmds) };

void script_register_params(struct script_ctx *ctx)
{
	script_register(ctx, &params_table);
}
