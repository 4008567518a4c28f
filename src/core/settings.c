/*
 * settings.c — settings store (see settings.h).
 *
 * A singly linked list in insertion order: boot agents hold a few dozen
 * settings, and `show` output in the order they were set reads naturally.
 */
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/settype.h"
#include "core/util.h"
#include "platform/platform.h"

struct setting {
	struct setting *next;
	char scope[SETTINGS_SCOPE_MAX];
	char name[SETTINGS_NAME_MAX];
	char type[SETTINGS_TYPE_MAX];
	char value[];
};

/* Default types of the names wireboot knows (ipxe.org/cfg). */
static const struct {
	const char *name;
	const char *type;
} settings_types[] = {
	{ "ip", "ipv4" },          { "netmask", "ipv4" },     { "gateway", "ipv4" },
	{ "dns", "ipv4" },         { "next-server", "ipv4" }, { "dhcp-server", "ipv4" },
	{ "ntp", "ipv4" },         { "mac", "hex" },          { "uuid", "uuid" },
	{ "tcp-window", "int32" }, { "unixtime", "uint32" },
};

void settings_init(struct settings_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

void settings_fini(struct settings_ctx *ctx)
{
	struct setting *s = ctx->head;

	while (s) {
		struct setting *next = s->next;

		plat_free(s);
		s = next;
	}
	ctx->head = NULL;
}

const char *settings_type(const char *name)
{
	for (size_t i = 0; i < WB_ARRAY_SIZE(settings_types); i++)
		if (!strcmp(settings_types[i].name, name))
			return settings_types[i].type;
	return "string";
}

int settings_is_secret(const char *name)
{
	return !strcmp(name, "password") || !strcmp(name, "reverse-password");
}

static int settings_name_ok(const char *s, size_t len, size_t max)
{
	if (len >= max)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

int settings_split(const char *full, char *scope, char *name, char *type)
{
	const char *slash = strchr(full, '/');
	size_t slen = slash ? (size_t)(slash - full) : 0;
	const char *n = slash ? slash + 1 : full;
	const char *colon = strchr(n, ':');
	size_t nlen = colon ? (size_t)(colon - n) : strlen(n);

	if (type)
		type[0] = '\0';
	if (colon) {
		if (!type || strlen(colon + 1) >= SETTINGS_TYPE_MAX || !settype_known(colon + 1))
			return -WB_EINVAL;
		memcpy(type, colon + 1, strlen(colon + 1) + 1);
	}
	if (!nlen || memchr(n, '/', nlen))
		return -WB_EINVAL;
	if (!settings_name_ok(full, slen, SETTINGS_SCOPE_MAX) ||
	    !settings_name_ok(n, nlen, SETTINGS_NAME_MAX))
		return -WB_EINVAL;
	memcpy(scope, full, slen);
	scope[slen] = '\0';
	memcpy(name, n, nlen);
	name[nlen] = '\0';
	return 0;
}

static struct setting **settings_find(struct settings_ctx *ctx, const char *scope,
				      const char *name)
{
	struct setting **pp;

	for (pp = &ctx->head; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->scope, scope) && !strcmp((*pp)->name, name))
			return pp;
	return NULL;
}

int settings_set_in(struct settings_ctx *ctx, const char *scope, const char *name,
		    const char *value)
{
	return settings_set_typed(ctx, scope, name, NULL, value);
}

int settings_set_typed(struct settings_ctx *ctx, const char *scope, const char *name,
		       const char *type, const char *value)
{
	char canon[SETTINGS_VALUE_MAX];
	struct setting **pp, *s;
	size_t len;
	int rc;

	if (!settings_name_ok(scope, strlen(scope), SETTINGS_SCOPE_MAX) || !*name ||
	    !settings_name_ok(name, strlen(name), SETTINGS_NAME_MAX))
		return -WB_EINVAL;
	pp = settings_find(ctx, scope, name);
	if (!value || !*value) {
		if (pp) {
			s = *pp;
			*pp = s->next;
			plat_free(s);
		}
		return 0;
	}
	if (!type || !*type)
		type = settings_type(name);
	if (!settype_known(type))
		return -WB_EINVAL;
	rc = settype_parse(type, value, canon, sizeof(canon));
	if (rc)
		return rc;
	/*
	 * A name with a type of its own keeps it: `set net0/ip:hex 0a:00:00:64`
	 * is `set net0/ip 10.0.0.100` (ipxe.org/cmd/set); the given type only
	 * says how to read the value.
	 */
	if (strcmp(settings_type(name), "string") && strcmp(settings_type(name), type)) {
		char conv[SETTINGS_VALUE_MAX];

		rc = settype_convert(type, canon, settings_type(name), conv, sizeof(conv));
		if (rc)
			return rc;
		memcpy(canon, conv, sizeof(canon));
		type = settings_type(name);
	}
	len = strlen(canon);
	s = plat_malloc(sizeof(*s) + len + 1);
	if (!s)
		return -WB_ENOMEM;
	wb_strlcpy(s->scope, scope, sizeof(s->scope));
	wb_strlcpy(s->name, name, sizeof(s->name));
	wb_strlcpy(s->type, type, sizeof(s->type));
	memcpy(s->value, canon, len + 1);
	if (pp) {  /* replace in place, keeping the order */
		s->next = (*pp)->next;
		plat_free(*pp);
		*pp = s;
	} else {
		s->next = NULL;
		for (pp = &ctx->head; *pp; pp = &(*pp)->next)
			;
		*pp = s;
	}
	return 0;
}

int settings_set(struct settings_ctx *ctx, const char *full, const char *value)
{
	char scope[SETTINGS_SCOPE_MAX], name[SETTINGS_NAME_MAX], type[SETTINGS_TYPE_MAX];
	int rc = settings_split(full, scope, name, type);

	return rc ? rc : settings_set_typed(ctx, scope, name, type, value);
}

int settings_clear(struct settings_ctx *ctx, const char *full)
{
	return settings_set(ctx, full, NULL);
}

void settings_clear_scope(struct settings_ctx *ctx, const char *scope)
{
	struct setting **pp = &ctx->head;

	while (*pp) {
		struct setting *s = *pp;

		if (!strcmp(s->scope, scope)) {
			*pp = s->next;
			plat_free(s);
		} else {
			pp = &s->next;
		}
	}
}

static int settings_scope_index(const struct settings_ctx *ctx, const char *scope);

static struct setting *settings_lookup(const struct settings_ctx *ctx, const char *scope,
				       const char *name)
{
	struct settings_ctx *c = (struct settings_ctx *)ctx;
	struct setting **pp = settings_find(c, scope, name);

	if (!pp && !*scope) {
		for (int i = 0; i < ctx->nscopes && !pp; i++)
			if (ctx->scope_open[i])
				pp = settings_find(c, ctx->scopes[i], name);
	}
	/*
	 * Then the scopes a script made (`set myscope/x v`), as iPXE searches
	 * every child scope: in the order each scope's oldest setting was made.
	 */
	if (!pp && !*scope) {
		for (const struct setting *s = ctx->head; s && !pp; s = s->next) {
			const struct setting *t = ctx->head;

			if (!*s->scope || settings_scope_index(ctx, s->scope) >= 0)
				continue;
			while (t != s && strcmp(t->scope, s->scope))
				t = t->next;
			if (t == s)   /* first of its scope */
				pp = settings_find(c, s->scope, name);
		}
	}
	return pp ? *pp : NULL;
}

int settings_fetch(const struct settings_ctx *ctx, const char *full, char *out, size_t cap,
		   const char **found_scope, const char **type)
{
	char scope[SETTINGS_SCOPE_MAX], name[SETTINGS_NAME_MAX], want[SETTINGS_TYPE_MAX];
	struct setting *s;
	int rc;

	if (settings_split(full, scope, name, want))
		return -WB_EINVAL;
	s = settings_lookup(ctx, scope, name);
	if (!s)
		return -WB_ENOSETTING;
	if (found_scope)
		*found_scope = s->scope;
	if (type)
		*type = s->type;
	if (!*want || !strcmp(want, s->type)) {
		if (wb_strlcpy(out, s->value, cap) >= cap)
			return -WB_ETOOBIG;
		return 0;
	}
	rc = settype_convert(s->type, s->value, want, out, cap);
	return rc;
}

const char *settings_get(const struct settings_ctx *ctx, const char *full,
			 const char **found_scope)
{
	char scope[SETTINGS_SCOPE_MAX], name[SETTINGS_NAME_MAX], type[SETTINGS_TYPE_MAX];
	struct setting *s;

	if (settings_split(full, scope, name, type))
		return NULL;
	s = settings_lookup(ctx, scope, name);
	if (!s)
		return NULL;
	if (found_scope)
		*found_scope = s->scope;
	return s->value;
}

static int settings_scope_index(const struct settings_ctx *ctx, const char *scope)
{
	for (int i = 0; i < ctx->nscopes; i++)
		if (!strcmp(ctx->scopes[i], scope))
			return i;
	return -1;
}

int settings_scope_add(struct settings_ctx *ctx, const char *scope)
{
	if (settings_scope_index(ctx, scope) >= 0)
		return -WB_EEXIST;
	if (ctx->nscopes == SETTINGS_MAX_SCOPES)
		return -WB_ETOOBIG;
	if (wb_strlcpy(ctx->scopes[ctx->nscopes], scope, SETTINGS_SCOPE_MAX) >= SETTINGS_SCOPE_MAX)
		return -WB_EINVAL;
	ctx->scope_open[ctx->nscopes++] = 0;
	return 0;
}

void settings_scope_remove(struct settings_ctx *ctx, const char *scope)
{
	int i = settings_scope_index(ctx, scope);

	if (i < 0)
		return;
	settings_clear_scope(ctx, scope);
	for (; i + 1 < ctx->nscopes; i++) {
		memcpy(ctx->scopes[i], ctx->scopes[i + 1], SETTINGS_SCOPE_MAX);
		ctx->scope_open[i] = ctx->scope_open[i + 1];
	}
	ctx->nscopes--;
}

void settings_scope_open(struct settings_ctx *ctx, const char *scope, int open)
{
	int i = settings_scope_index(ctx, scope);

	if (i >= 0)
		ctx->scope_open[i] = open;
}

const char *settings_show_value(const char *name, const char *value, int reveal)
{
	if (settings_is_secret(name) && !reveal)
		return "********";
	return value;
}

void settings_foreach(const struct settings_ctx *ctx, const char *scope,
		      void (*fn)(void *arg, const char *scope, const char *name,
				 const char *type, const char *value),
		      void *arg)
{
	for (const struct setting *s = ctx->head; s; s = s->next)
		if (!scope || !strcmp(scope, s->scope))
			fn(arg, s->scope, s->name, s->type, s->value);
}
