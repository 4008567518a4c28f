/*
 * mask.h — keep secrets off the console when script text is echoed.
 *
 * Two ways a secret can reach an echoed line:
 *   - literally, in the raw text: `set password X && sanboot …` printed as
 *     "script stopped: …", or in the load options (U-Boot's bootargs) that
 *     are shown before they run.  script_mask_secrets() finds every
 *     `set NAME[:TYPE] VALUE…` whose NAME is a secret setting
 *     (settings_is_secret(), scope prefix ignored) and writes "********" for
 *     its value — the same masking as `show`.
 *   - expanded, in words printed after ${…} expansion (an unknown command's
 *     name, a bad option).  script_mask_values() replaces every occurrence
 *     of the secret values currently set.
 * script_print_masked() does both (and hides URL user info) before printing.
 */
#ifndef WB_SCRIPT_MASK_H
#define WB_SCRIPT_MASK_H

#include <stddef.h>

struct script_ctx;

/** What a masked value is shown as (as `show` does). */
#define SCRIPT_MASK "********"

/**
 * Copy script text @in (one or more lines; `&&`, `||`, `;` and newlines
 * separate commands; quoting and ${…} as the interpreter reads them) to
 * @out with the value words of every `set` of a secret setting replaced by
 * SCRIPT_MASK.  When the setting name cannot be known without expansion
 * (`set ${n} X`), the value is masked too.  Everything else is copied as is.
 * @out may be NULL when @cap is 0; the result is cut to fit @cap (always
 * NUL-terminated when @cap > 0; a cut result never holds part of a secret).
 * @return the length of the whole result (without the NUL), as snprintf.
 */
size_t script_mask_secrets(const char *in, char *out, size_t cap);

/**
 * Copy @in to @out with every occurrence of each of the @n strings
 * @secrets (NULL or empty entries ignored; the longest match wins)
 * replaced by SCRIPT_MASK.  @out, @cap and the return value as
 * script_mask_secrets().
 */
size_t script_mask_values(const char *in, const char *const *secrets, int n, char *out,
			  size_t cap);

/**
 * Print @s (a script line or words from one) with the secrets of @ctx
 * masked both ways, URL user info hidden (script_redact_userinfo) and
 * control bytes escaped (script_print_safe).  Out of memory: a short note
 * instead of the text, never the raw text.
 */
void script_print_masked(const struct script_ctx *ctx, const char *s);

#endif
