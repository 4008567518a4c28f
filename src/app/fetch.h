/* fetch.h — the application's URI fetcher for the image commands (fetch.c). */
#ifndef WB_APP_FETCH_H
#define WB_APP_FETCH_H

#include "script/script.h"

/** Set ctx->fetch (file:, http:, https:).  Call after ctx->net is set. */
int app_fetch_init(struct script_ctx *ctx);
void app_fetch_fini(void);
/**
 * Trust the CERTIFICATE blocks of @pem too (on top of the built-in anchors):
 * the hosted `--trust` option.  @return the number added, or an error.
 */
int app_fetch_add_trust(const char *pem, size_t len);

#endif
