/*
 * settings.h — the run-time settings store, with iPXE's names and scopes.
 *
 * A setting lives in a scope: "" (global, what `set name v` writes) or an
 * interface scope "net0", "net0-10" …  Names may be written qualified
 * ("net0/ip") or unqualified ("ip").  An unqualified read looks in the global
 * scope first, then in each *open* interface scope in the order the network
 * layer registered them, so ${ip} is the first open interface's address.
 *
 * Values are kept as canonical strings; the type (from the name) decides
 * what is accepted on write and how `show` prints it.  Secrets (password,
 * reverse-password) are masked by settings_show_value().
 *
 * The store is caller-allocated (struct settings_ctx) and owns its entries.
 */
#ifndef WB_SETTINGS_H
#define WB_SETTINGS_H

#include <stddef.h>

#define SETTINGS_TYPE_MAX 12

#define SETTINGS_SCOPE_MAX 24
#define SETTINGS_NAME_MAX 48
#define SETTINGS_MAX_SCOPES 16
#define SETTINGS_VALUE_MAX 1024

struct setting;

struct settings_ctx {
	struct setting *head;
	/* interface scopes in registration order, and whether each is open */
	char scopes[SETTINGS_MAX_SCOPES][SETTINGS_SCOPE_MAX];
	int scope_open[SETTINGS_MAX_SCOPES];
	int nscopes;
};

void settings_init(struct settings_ctx *ctx);
/** Free every entry. */
void settings_fini(struct settings_ctx *ctx);

/** Default type of a setting name (unqualified part): "ip" → "ipv4", else "string". */
const char *settings_type(const char *name);
/** 1 for names whose values are secrets (password, reverse-password). */
int settings_is_secret(const char *name);

/**
 * Split "scope/name[:type]" into its parts.  @scope gets "" when
 * unqualified; @type (SETTINGS_TYPE_MAX bytes, may be NULL) gets the type or
 * "".  @return 0, or -WB_EINVAL for an empty name, a name or scope too long,
 * characters outside [A-Za-z0-9._-], or an unknown type.
 */
int settings_split(const char *full, char *scope, char *name, char *type);

/**
 * Set @full ("net0/ip" or "ip") to @value after checking it against the
 * name's type.  An empty value clears the setting.
 * @return 0, -WB_EBADVAL (wrong form for the type), -WB_EINVAL, -WB_ENOMEM.
 */
int settings_set(struct settings_ctx *ctx, const char *full, const char *value);
/** Same with the scope given separately (the network layer's publisher). */
int settings_set_in(struct settings_ctx *ctx, const char *scope, const char *name,
		    const char *value);
/** Same with an explicit type ("uint8", "hex" …; NULL or "" = the name's default). */
int settings_set_typed(struct settings_ctx *ctx, const char *scope, const char *name,
		       const char *type, const char *value);
/** Remove @full.  Removing a setting that is not there is not an error. */
int settings_clear(struct settings_ctx *ctx, const char *full);
/** Remove every setting in @scope (e.g. on ifclose or a new DHCP lease). */
void settings_clear_scope(struct settings_ctx *ctx, const char *scope);

/**
 * Look @full up.  Returns the value (owned by the store, valid until the next
 * write to that name) or NULL when unset.  If @found_scope is not NULL it
 * receives the scope the value came from.
 */
const char *settings_get(const struct settings_ctx *ctx, const char *full,
			 const char **found_scope);

/**
 * Look @full ("name", "scope/name", optionally ":type") up and format it
 * as the requested type (or its own) into @out.
 * @return 0, -WB_ENOSETTING when unset, -WB_EBADVAL when the value cannot be
 * shown as that type, -WB_ETOOBIG.  On success *found_scope and *type (may be
 * NULL) name where it came from and its stored type.
 */
int settings_fetch(const struct settings_ctx *ctx, const char *full, char *out, size_t cap,
		   const char **found_scope, const char **type);

/** Register an interface scope (appended to the search order). */
int settings_scope_add(struct settings_ctx *ctx, const char *scope);
void settings_scope_remove(struct settings_ctx *ctx, const char *scope);
/** Mark an interface scope open (searched for unqualified names) or closed. */
void settings_scope_open(struct settings_ctx *ctx, const char *scope, int open);

/** What `show` prints for a value: secrets as "********" unless @reveal. */
const char *settings_show_value(const char *name, const char *value, int reveal);

/** Call @fn for each setting in @scope (NULL = all), in insertion order. */
void settings_foreach(const struct settings_ctx *ctx, const char *scope,
		      void (*fn)(void *arg, const char *scope, const char *name,
				 const char *type, const char *value),
		      void *arg);

#endif
