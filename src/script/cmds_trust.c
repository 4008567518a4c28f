/*
 * cmds_trust.c — iPXE's image trust commands (ipxe.org/cmd/imgverify,
 * ipxe.org/cmd/imgtrust).
 *
 *   imgverify [--signer NAME] [--keep] IMAGE|URI SIGNATURE|URI
 *     verifies a detached CMS signature (tls/cms.h) against the code-signing
 *     anchors built in (CODESIGN_TRUST=, else TRUST=) and marks IMAGE
 *     trusted; the signature image is freed afterwards unless --keep.
 *   imgtrust [--allow] [--permanent]
 *     requires (or, --allow, no longer requires) trusted images: image.c's
 *     image_exec() refuses an image imgverify did not mark.  --permanent
 *     fixes the requirement: a later imgtrust that would change it fails.
 *
 * The commands parse arguments; the work is cms_verify() and the image store
 * (script/image.h).
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "core/wallclock.h"
#include "script/image.h"
#include "script/script.h"
#include "tls/cms.h"
#include "tls/trust.h"

static const struct cmd_opt verify_opts[] = { { "signer", 's', 1 }, { "keep", 'k', 0 } };
static const struct cmd_opt trust_opts[] = { { "allow", 'a', 0 }, { "permanent", 'p', 0 } };

static const struct cmd trust_cmds[];

/* imgverify [--signer NAME] [--keep] IMAGE SIGNATURE */
static int cmd_imgverify(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = &trust_cmds[0];
	const char *signer = cmd_optval(c, a, "signer");
	struct cms_verify_opts o;
	struct cms_result r;
	struct image *img, *sig;
	const uint8_t *data, *sdata;
	size_t len, slen;
	char iname[64];
	int rc;

	rc = script_image_acquire(ctx, a->argv[0], &img);
	if (rc)
		return rc;
	wb_strlcpy(iname, script_image_name(img), sizeof(iname));
	rc = script_image_acquire(ctx, a->argv[1], &sig);
	if (rc)
		return rc;
	/* fetching the signature may have replaced an image of the same name (then
	 * both are the signature, and it is checked as a signature of itself) */
	rc = script_image_acquire(ctx, iname, &img);
	if (rc)
		return rc;
	script_image_bytes(img, &data, &len);
	script_image_bytes(sig, &sdata, &slen);
	if (!data || !sdata) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s is running: it cannot be verified now",
			    !data ? iname : script_image_name(sig));
		return -WB_EBADIMAGE;
	}
	memset(&o, 0, sizeof(o));
	if (codesign_builtin_anchor_count) {
		o.anchors = codesign_builtin_anchors;
		o.anchor_count = codesign_builtin_anchor_count;
	} else {
		o.anchors = tls_builtin_anchors;
		o.anchor_count = tls_builtin_anchor_count;
	}
	if (wallclock_now(&ctx->clock, &o.now))
		o.now = -1;
	o.signer = signer;
	rc = cms_verify(data, len, sdata, slen, &o, &r);
	if (!rc) {
		script_image_set_trusted(img);   /* (never @sig itself: no signature covers itself) */
		wb_printf("imgverify: %s: %s signature by CN=%s (issuer CN=%s) verified%s\n", iname,
			  cms_hash_name(r.hash_id), r.signer_cn, r.issuer_cn,
			  r.dates_checked ? "" : "; certificate dates not checked (no clock: see ntp)");
	} else if (r.detail[0]) {
		wb_printf("imgverify: %s: %s\n", iname, r.detail);
	}
	if (!cmd_optval(c, a, "keep"))
		script_image_discard(ctx, sig);
	return rc;
}

/* imgtrust [--allow] [--permanent] */
static int cmd_imgtrust(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = &trust_cmds[1];
	int require = !cmd_optval(c, a, "allow");

	if (ctx->img_trust_permanent && require != ctx->img_trust_required) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "trusted images stay %s",
			    ctx->img_trust_required ? "required" : "optional");
		return -WB_ETRUSTPERM;
	}
	ctx->img_trust_required = require;
	if (cmd_optval(c, a, "permanent"))
		ctx->img_trust_permanent = 1;
	return 0;
}

static const struct cmd trust_cmds[] = {
	{ "imgverify", cmd_imgverify, "imgverify [--signer NAME] [--keep] IMAGE|URI SIGNATURE|URI",
	  "verify an image's detached signature and mark it trusted", verify_opts, 2, 2, 2 },
	{ "imgtrust", cmd_imgtrust, "imgtrust [--allow] [--permanent]",
	  "require trusted (verified) images to run", trust_opts, 2, 0, 0 },
};

static const struct cmd_table trust_table = { trust_cmds, WB_ARRAY_SIZE(trust_cmds) };

void script_register_trust(struct script_ctx *ctx)
{
	script_register(ctx, &trust_table);
}
