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

enum setting_type {
	SETTING_STRING,
	SETTING_IPV4,
	SETTING_MAC,
	SETTING_UINT,
	SETTING_SECRET,
};

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

/** Type of a setting name (unqualified part), e.g. "ip" → SETTING_IPV4. */
enum setting_type settings_type(const char *name);

/**
 * Split "scope/name" into its parts.  @scope gets "" when unqualified.
 * @return 0, or -WB_EINVAL for an empty name, a name or scope too long, or
 * characters outside [A-Za-z0-9._:-].
 */
int settings_split(const char *full, char *scope, char *name);

/**
 * Set @full ("net0/ip" or "ip") to @value after checking it against the
 * name's type.  An empty value clears the setting.
 * @return 0, -WB_EBADVAL (wrong form for the type), -WB_EINVAL, -WB_ENOMEM.
 */
int settings_set(struct settings_ctx *ctx, const char *full, const char *value);
/** Same with the scope given separately (the network layer's publisher). */
int settings_set_in(struct settings_ctx *ctx, const char *scope, const char *name,
		    const char *value);
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
				 const char *value),
		      void *arg);

#endif
