/*
 * image.h — the image store as other command files see it (imgverify in
 * cmds_trust.c): find or fetch an image, read its bytes, mark it trusted,
 * discard it.  struct image stays private to image.c.
 */
#ifndef WB_SCRIPT_IMAGE_H
#define WB_SCRIPT_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "script/script.h"

/**
 * The image named @name_or_uri, or else a new image fetched from it (as
 * `imgfetch URI` would, named after the URI's last segment), so that
 * iPXE's "uri|image" operands work.  @return 0 with *@out set, or the
 * fetch's error (-WB_ENOFETCH, …).
 */
int script_image_acquire(struct script_ctx *ctx, const char *name_or_uri, struct image **out);

/** @img's name. */
const char *script_image_name(const struct image *img);

/** @img's bytes; *@data is NULL while it runs as a script. */
void script_image_bytes(const struct image *img, const uint8_t **data, size_t *len);

/** Mark @img trusted (imgverify succeeded): imgtrust then lets it run. */
void script_image_set_trusted(struct image *img);

/** Unregister and free @img (the caller's pointer is dead afterwards). */
void script_image_discard(struct script_ctx *ctx, struct image *img);

#endif
