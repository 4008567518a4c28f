/*
 * params.h — request parameter lists (ipxe.org/cmd/params, ipxe.org/cmd/param).
 *
 * `params [--name N]` makes an empty list (replacing one of that name),
 * `param [--params N] [--header] KEY [VALUE...]` appends to it.  A URI given
 * to imgfetch/chain/kernel … that contains "##params" (the default list) or
 * "##params=N" has that suffix cut off and *claims* the list: it leaves the
 * context, is used by that one request and freed after it (as iPXE does; a
 * later `param` needs a new `params`).  A suffix naming no list is ignored.
 *
 * Over HTTP(S), form parameters become an application/x-www-form-urlencoded
 * POST body (key=value joined by '&', both escaped as a uristring), header
 * parameters become request headers; with no form parameters the request
 * stays a GET.  Other schemes ignore the list.
 */
#ifndef WB_SCRIPT_PARAMS_H
#define WB_SCRIPT_PARAMS_H

#include <stddef.h>

struct script_ctx;

struct script_param {
	struct script_param *next;
	int header;             /* 1: an HTTP header, 0: a form field */
	char *key;
	char *value;            /* "" when none was given */
};

struct script_params {
	struct script_params *next;
	char *name;             /* NULL: the default (unnamed) list */
	struct script_param *head;
};

/** Register the params and param commands. */
void script_register_params(struct script_ctx *ctx);

/** Free every list the context holds (script_fini calls it). */
void script_params_fini(struct script_ctx *ctx);

/**
 * Cut "##params[=NAME]..." off @uri (in place) and take the list it names
 * out of @ctx.  @return the list (the caller frees it with
 * script_params_free()) or NULL (no suffix, or no such list).
 */
struct script_params *script_params_claim(struct script_ctx *ctx, char *uri);

void script_params_free(struct script_params *p);

/**
 * The form body of @p: "k1=v1&k2=v2" with keys and values escaped as
 * uristring does.  @body is plat_malloc'd (caller frees), NUL-terminated,
 * NULL with *len 0 when @p has no form parameters.
 * @return 0 or -WB_ENOMEM.
 */
int script_params_form(const struct script_params *p, char **body, size_t *len);

#endif
