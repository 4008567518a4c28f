/*
 * image.c — the image store and iPXE's image commands (ipxe.org/cmd/imgfetch,
 * /chain, /imgexec, /imgargs, /imgfree, /imgstat, /imgselect).
 *
 * An image is a fetched blob with a name, a command line and flags.  What
 * it is decides how it runs: "#!ipxe" → a script, run in place (it sees the
 * same settings; `exit` in it ends only it, unless it was chained with
 * --replace); "MZ" → an EFI application started by the platform, control
 * returning here when it exits.  Fetching goes through ctx->fetch (the
 * HTTP/HTTPS client once it exists), so this file knows no protocol.
 *
 * A gzip or zlib image (img/gzip.h) is inflated by `imgextract` into a new image,
 * and automatically when it is run: its data is replaced by the inflated bytes
 * (same name, command line and flags) when those are an EFI application or a
 * script, then it runs as one.  Both are bounded by ${imgextract-max}.
 */
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "img/gzip.h"
#include "platform/platform.h"
#include "proto/uri.h"
#include "script/image.h"
#include "script/params.h"
#include "script/script.h"

/* --timeout's bound: one hour */
#define IMAGE_TIMEOUT_MAX_MS 3600000u

/* the largest inflated image unless ${imgextract-max} says otherwise: 256 MiB */
#define IMAGE_EXTRACT_MAX_DEFAULT (256ull << 20)

struct image {
	struct image *next;
	char name[64];
	char *uri;
	uint8_t *data;
	size_t len;
	char *cmdline;
	int selected;
	int autofree;
	int trusted;            /* imgverify succeeded (imgtrust lets it run) */
	int initrd;     /* fetched by `initrd`/`module`: part of a Linux initrd */
};

static void image_free(struct image *img)
{
	plat_free(img->uri);
	plat_free(img->data);
	plat_free(img->cmdline);
	plat_free(img);
}

void script_images_fini(struct script_ctx *ctx)
{
	while (ctx->images) {
		struct image *next = ctx->images->next;

		image_free(ctx->images);
		ctx->images = next;
	}
}

static struct image *image_find(struct script_ctx *ctx, const char *name)
{
	for (struct image *i = ctx->images; i; i = i->next)
		if (!strcmp(i->name, name))
			return i;
	return NULL;
}

static void image_unlink(struct script_ctx *ctx, struct image *img)
{
	for (struct image **pp = &ctx->images; *pp; pp = &(*pp)->next)
		if (*pp == img) {
			*pp = img->next;
			break;
		}
	image_free(img);
}

/* The last path segment of @uri, without query or fragment: iPXE's default name. */
static void image_default_name(const char *uri, char *out, size_t cap)
{
	const char *end = uri + strlen(uri), *start;
	size_t n;

	for (const char *p = uri; *p; p++)
		if (*p == '?' || *p == '#') {
			end = p;
			break;
		}
	start = end;
	while (start > uri && start[-1] != '/')
		start--;
	n = (size_t)(end - start);
	if (!n) {
		wb_strlcpy(out, "image", cap);
		return;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, start, n);
	out[n] = '\0';
}

/* Join operands [from..] with spaces into a new heap string ("" → NULL). */
static int join_cmdline(const struct cmd_args *a, int from, char **out)
{
	size_t n = 0;
	char *s;

	*out = NULL;
	for (int i = from; i < a->argc; i++)
		n += strlen(a->argv[i]) + 1;
	if (!n)
		return 0;
	s = plat_malloc(n);
	if (!s)
		return -WB_ENOMEM;
	s[0] = '\0';
	for (int i = from, off = 0; i < a->argc; i++)
		off += wb_snprintf(s + off, n - (size_t)off, "%s%s", i > from ? " " : "", a->argv[i]);
	*out = s;
	return 0;
}

/*
 * Fetch @uri into a new image named @name (default: from the URI), with the
 * command line from operands [1..].  --replace drops an image of that name.
 */
static int image_fetch_as(struct script_ctx *ctx, const struct cmd *c, const struct cmd_args *a,
			  const char *name, struct image **out)
{
	const char *tmo = cmd_optval(c, a, "timeout");
	unsigned long long timeout_ms = 0;
	struct script_params *params;
	struct image *img;
	char defname[64], *uri;
	int rc;

	/* iPXE: a download progress timeout in milliseconds (0: the defaults) */
	if (tmo && wb_parse_uint(tmo, IMAGE_TIMEOUT_MAX_MS, &timeout_ms)) {
		wb_printf("%s: bad timeout \"%s\" (milliseconds, 0 to %u)\n", a->name, tmo,
			  IMAGE_TIMEOUT_MAX_MS);
		return -WB_EUSAGE_SHOWN;
	}
	if (!ctx->fetch)
		return -WB_ENOFETCH;
	/* "URI##params[=NAME]": the list goes with this one request (params.h) */
	uri = wb_strdup(a->argv[0]);
	if (!uri)
		return -WB_ENOMEM;
	params = script_params_claim(ctx, uri);
	if (!name) {
		image_default_name(uri, defname, sizeof(defname));
		name = defname;
	}
	img = plat_malloc(sizeof(*img));
	if (!img) {
		plat_free(uri);
		script_params_free(params);
		return -WB_ENOMEM;
	}
	memset(img, 0, sizeof(*img));
	wb_strlcpy(img->name, name, sizeof(img->name));
	/* a relative reference is resolved against the running script's URI
	 * (RFC 3986 §5.2) and kept absolute, so scripts it chains resolve too */
	if (ctx->script_uri && !strchr(uri, ':')) {
		rc = uri_resolve_str(ctx->script_uri, uri, &img->uri);
		plat_free(uri);
		if (rc) {
			image_free(img);
			script_params_free(params);
			return rc;
		}
	} else {
		img->uri = uri;
	}
	rc = img->uri ? join_cmdline(a, 1, &img->cmdline) : -WB_ENOMEM;
	if (!rc) {
		ctx->fetch_timeout_ms = (uint32_t)timeout_ms;
		ctx->fetch_params = params;
		rc = ctx->fetch(ctx, img->uri, &img->data, &img->len);
		ctx->fetch_params = NULL;
		ctx->fetch_timeout_ms = 0;
	}
	script_params_free(params);   /* used once, as iPXE */
	if (rc) {
		image_free(img);
		return rc;
	}
	img->autofree = cmd_optval(c, a, "autofree") != NULL;
	img->initrd = !strcmp(a->name, "initrd") || !strcmp(a->name, "module");
	{
		struct image *old = image_find(ctx, img->name);

		if (old)   /* iPXE: a new image of the same name replaces the old */
			image_unlink(ctx, old);
	}
	{
		struct image **pp = &ctx->images;

		while (*pp)
			pp = &(*pp)->next;
		*pp = img;
	}
	*out = img;
	return 0;
}

static int image_fetch(struct script_ctx *ctx, const struct cmd *c, const struct cmd_args *a,
		       struct image **out)
{
	return image_fetch_as(ctx, c, a, cmd_optval(c, a, "name"), out);
}

/*
 * A script's image has no data while it runs (image_exec() detaches it), so
 * every look at the bytes goes through these two, which say "neither" then.
 */
static int image_is_script(const struct image *img)
{
	return img->data && script_has_header((const char *)img->data, img->len);
}

static int image_is_efi(const struct image *img)
{
	return img->data && img->len >= 2 && img->data[0] == 'M' && img->data[1] == 'Z';
}

/* GZ_GZIP / GZ_ZLIB for a compressed image (never a script or an EFI application) */
static enum gz_format image_compressed(const struct image *img)
{
	if (!img->data || image_is_script(img) || image_is_efi(img))
		return GZ_NONE;
	return gz_detect(img->data, img->len);
}

/* ${imgextract-max}: bytes, default IMAGE_EXTRACT_MAX_DEFAULT.  0 or -WB_EBADVAL. */
static int image_extract_max(struct script_ctx *ctx, size_t *cap)
{
	const char *v = settings_get(&ctx->settings, "imgextract-max", NULL);
	unsigned long long n = IMAGE_EXTRACT_MAX_DEFAULT;

	if (v && *v && (wb_parse_uint(v, (size_t)-1, &n) || !n)) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail),
			    "imgextract-max \"%s\": want a size in bytes, 1 or more", v);
		return -WB_EBADVAL;
	}
	*cap = (size_t)n;
	return 0;
}

/*
 * Inflate @img's data into *@out, *@len (plat_malloc'd, the caller's), bounded by
 * ${imgextract-max}; a failure names the image (and zlib's reason) in ctx->detail.
 */
static int image_inflate(struct script_ctx *ctx, const struct image *img, uint8_t **out,
			 size_t *len, enum gz_format *fmt)
{
	struct gz_header h;
	size_t cap;
	int rc = image_extract_max(ctx, &cap);

	if (rc)
		return rc;
	rc = gz_inflate(img->data, img->len, cap, out, len, &h);
	*fmt = h.format;
	if (rc == -WB_EINFCAP)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s: imgextract-max is %zu bytes",
			    img->name, cap);
	else if (rc == -WB_EINFDATA && h.msg)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s: %s", img->name, h.msg);
	else if (rc)
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s", img->name);
	return rc;
}

/* The one-line note an extraction prints ("into NEW" when it made a new image). */
static void image_extract_note(const char *name, const char *into, enum gz_format fmt,
			       size_t from, size_t to)
{
	char a[24], b[24];

	wb_fmt_size(a, sizeof(a), from);
	wb_fmt_size(b, sizeof(b), to);
	wb_printf("%s: %s image inflated%s%s, %s -> %s\n", name, gz_format_name(fmt),
		  into ? " into " : "", into ? into : "", a, b);
}

/*
 * Run-time extraction (iPXE runs a compressed kernel as it is): inflate @img in
 * place when it is compressed and what comes out is an EFI application or a
 * script; anything else leaves it as it was, refused.
 */
static int image_extract_auto(struct script_ctx *ctx, struct image *img)
{
	struct image probe = { 0 };
	enum gz_format fmt;
	uint8_t *data;
	size_t len;
	int rc = image_inflate(ctx, img, &data, &len, &fmt);

	if (rc)
		return rc;
	probe.data = data;
	probe.len = len;
	if (!image_is_efi(&probe) && !image_is_script(&probe)) {
		plat_free(data);
		wb_snprintf(ctx->detail, sizeof(ctx->detail),
			    "%s: %s image whose %zu inflated bytes are neither #!ipxe nor MZ",
			    img->name, gz_format_name(fmt), len);
		return -WB_EBADIMAGE;
	}
	image_extract_note(img->name, NULL, fmt, img->len, len);
	plat_free(img->data);
	img->data = data;
	img->len = len;
	return 0;
}

/*
 * The images an EFI application may read while it runs: all with data (a
 * running script has none), by name, the initrd ones marked (in fetch order,
 * which is the order the initrd is concatenated in).  *@out is plat_malloc'd
 * (NULL when there are none), borrowing the images' names and data.
 */
static int image_files(struct script_ctx *ctx, struct plat_image_file **out, size_t *n)
{
	struct plat_image_file *f;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	for (struct image *i = ctx->images; i; i = i->next)
		count += i->data != NULL;
	if (!count)
		return 0;
	f = plat_malloc(count * sizeof(*f));
	if (!f)
		return -WB_ENOMEM;
	for (struct image *i = ctx->images; i; i = i->next)
		if (i->data)
			f[(*n)++] = (struct plat_image_file){ i->name, i->data, i->len, i->initrd };
	*out = f;
	return 0;
}

/* `set initrd-loadfile2 0` (or false/off/no): offer initrds only by file name */
static unsigned image_start_flags(struct script_ctx *ctx)
{
	const char *v = settings_get(&ctx->settings, "initrd-loadfile2", NULL);

	if (v && (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "no")))
		return PLAT_IMAGE_NO_LOADFILE2;
	return 0;
}

/* Run @img: a script in place, an EFI application through the platform. */
static int image_exec(struct script_ctx *ctx, struct image *img, int replace)
{
	int rc, status = 0;

	if (!img->data) {   /* a running script, by name, from inside itself */
		wb_snprintf(ctx->detail, sizeof(ctx->detail),
			    "%s is running: a script cannot start itself again", img->name);
		return -WB_EBADIMAGE;
	}
	if (ctx->img_trust_required && !img->trusted) {   /* imgtrust (cmds_trust.c) */
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s", img->name);
		return -WB_ENOTTRUSTED;
	}
	if (image_compressed(img)) {   /* after the trust check: the inflated bytes inherit it */
		rc = image_extract_auto(ctx, img);
		if (rc)
			return rc;
	}
	if (image_is_script(img)) {
		const char *saved_uri = ctx->script_uri;
		uint8_t *data = img->data;
		size_t len = img->len;
		char name[64], *uri;

		/* The image may be freed while it runs (imgfree, or a fetch of an image of
		 * the same name, in itself): the running script owns its own copies of the
		 * data and of its URI, the base of its relative references, and restores
		 * its caller's base (the caller's own copy) when it ends. */
		uri = wb_strdup(img->uri);
		if (!uri)
			return -WB_ENOMEM;
		wb_strlcpy(name, img->name, sizeof(name));
		img->data = NULL;
		ctx->script_uri = uri;
		rc = script_run(ctx, (const char *)data, len, name);
		ctx->script_uri = saved_uri;
		plat_free(uri);
		img = image_find(ctx, name);
		if (img && !img->data) {
			img->data = data;
		} else {
			plat_free(data);
		}
		if (replace && !ctx->exit_requested) {   /* the caller ends with it */
			ctx->exit_requested = 1;
			ctx->exit_status = rc > 0 ? rc : rc ? 1 : 0;
		} else if (!replace) {
			ctx->exit_requested = 0;   /* `exit` ended only the chained script */
		}
		return rc;
	}
	if (image_is_efi(img)) {
		struct plat_image_file *files;
		size_t nfiles;

		rc = image_files(ctx, &files, &nfiles);
		if (rc)
			return rc;
		rc = plat_image_start(img->data, img->len, img->cmdline, files, nfiles,
				      image_start_flags(ctx), &status);
		plat_free(files);
		if (rc)
			return rc;
		if (img->autofree)
			image_unlink(ctx, img);
		return status ? -WB_EIMAGEEXIT : 0;
	}
	wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s: %zu bytes, neither #!ipxe nor MZ",
		    img->name, img->len);
	return -WB_EBADIMAGE;
}

static struct image *image_selected(struct script_ctx *ctx)
{
	for (struct image *i = ctx->images; i; i = i->next)
		if (i->selected)
			return i;
	/* iPXE boots the only (or first executable) image when none is selected */
	for (struct image *i = ctx->images; i; i = i->next)
		if (image_is_script(i) || image_is_efi(i) || image_compressed(i))
			return i;
	return NULL;
}

static const struct cmd *image_cmd(const char *name);

/* imgfetch [--name N] [--autofree] URI [ARGS...]   (also module, initrd) */
static int cmd_imgfetch(struct script_ctx *ctx, const struct cmd_args *a)
{
	struct image *img;

	return image_fetch(ctx, image_cmd(a->name), a, &img);
}

/* kernel / imgselect / imgload [--name N] [--autofree] [--replace] URI|IMAGE [ARGS...] */
static int cmd_imgselect(struct script_ctx *ctx, const struct cmd_args *a)
{
	struct image *img = image_find(ctx, a->argv[0]);
	int rc = 0;

	if (!img) {
		rc = image_fetch(ctx, image_cmd(a->name), a, &img);
		if (rc)
			return rc;
	} else if (a->argc > 1) {
		plat_free(img->cmdline);
		rc = join_cmdline(a, 1, &img->cmdline);
	}
	for (struct image *i = ctx->images; i; i = i->next)
		i->selected = i == img;
	return rc;
}

/* imgexec / boot [--autofree] [--replace] [IMAGE [ARGS...]] */
static int cmd_imgexec(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = image_cmd(a->name);
	struct image *img = a->argc ? image_find(ctx, a->argv[0]) : image_selected(ctx);
	int rc;

	if (!img) {
		if (a->argc)
			wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s", a->argv[0]);
		return -WB_ENOIMAGE;
	}
	if (a->argc > 1) {
		plat_free(img->cmdline);
		rc = join_cmdline(a, 1, &img->cmdline);
		if (rc)
			return rc;
	}
	if (cmd_optval(c, a, "autofree"))
		img->autofree = 1;
	return image_exec(ctx, img, cmd_optval(c, a, "replace") != NULL);
}

/* chain [--name N] [--autofree] [--replace] URI [ARGS...]: fetch and run */
static int cmd_chain(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = image_cmd(a->name);
	struct image *img;
	int rc = image_fetch(ctx, c, a, &img);

	if (rc)
		return rc;
	return image_exec(ctx, img, cmd_optval(c, a, "replace") != NULL);
}

/* imgargs IMAGE [ARGS...] */
static int cmd_imgargs(struct script_ctx *ctx, const struct cmd_args *a)
{
	struct image *img = image_find(ctx, a->argv[0]);

	if (!img) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s", a->argv[0]);
		return -WB_ENOIMAGE;
	}
	plat_free(img->cmdline);
	return join_cmdline(a, 1, &img->cmdline);
}

/* imgfree [IMAGE] */
static int cmd_imgfree(struct script_ctx *ctx, const struct cmd_args *a)
{
	if (!a->argc) {
		script_images_fini(ctx);
		return 0;
	}
	for (int i = 0; i < a->argc; i++) {
		struct image *img = image_find(ctx, a->argv[i]);

		if (!img) {
			wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s", a->argv[i]);
			return -WB_ENOIMAGE;
		}
		image_unlink(ctx, img);
	}
	return 0;
}

/* imgstat [IMAGE]: name, size, kind, [SELECTED] [AUTOFREE], "cmdline" */
static int cmd_imgstat(struct script_ctx *ctx, const struct cmd_args *a)
{
	for (struct image *i = ctx->images; i; i = i->next) {
		if (a->argc && strcmp(a->argv[0], i->name))
			continue;
		wb_printf("%s : %zu bytes [%s]%s%s%s%s", i->name, i->len,
			  !i->data ? "script, running" : image_is_script(i) ? "script" :
			  image_is_efi(i) ? "EFI" : gz_format_name(image_compressed(i)), i->trusted ? " [TRUSTED]" : "",
			  i->selected ? " [SELECTED]" : "", i->autofree ? " [AUTOFREE]" : "",
			  i->initrd ? " [INITRD]" : "");
		if (i->cmdline)
			wb_printf(" \"%s\"", i->cmdline);
		wb_puts("\n");
	}
	return 0;
}

/* The name an extracted image gets by default: @name without .gz, .z or .zlib (any case). */
static void image_extract_name(const char *name, char *out, size_t cap)
{
	static const char *const suffixes[] = { ".gz", ".z", ".zlib" };
	size_t n = strlen(name);

	wb_strlcpy(out, name, cap);
	for (size_t i = 0; i < WB_ARRAY_SIZE(suffixes); i++) {
		size_t k = strlen(suffixes[i]);

		if (n > k && n < cap && !strcasecmp(name + n - k, suffixes[i])) {
			out[n - k] = '\0';
			return;
		}
	}
}

/* imgextract [--name N] [--keep] [--timeout MS] URI|IMAGE */
static int cmd_imgextract(struct script_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd *c = image_cmd(a->name);
	const char *want = cmd_optval(c, a, "name");
	int keep = cmd_optval(c, a, "keep") != NULL;
	struct image *src = image_find(ctx, a->argv[0]), *img, *old;
	enum gz_format fmt;
	char name[64];
	int rc, fetched = 0;

	if (!src) {   /* a URI: fetched under its own default name first */
		rc = image_fetch_as(ctx, c, a, NULL, &src);
		if (rc)
			return rc;
		fetched = 1;
	}
	img = NULL;
	if (!src->data) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s is running", src->name);
		rc = -WB_EBADIMAGE;
		goto fail;
	}
	if (!image_compressed(src)) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail), "%s: %zu bytes [%s]", src->name,
			    src->len, image_is_script(src) ? "script" : image_is_efi(src) ? "EFI" : "data");
		rc = -WB_ENOTCOMPRESSED;
		goto fail;
	}
	if (want)
		wb_strlcpy(name, want, sizeof(name));
	else
		image_extract_name(src->name, name, sizeof(name));
	if (keep && !strcmp(name, src->name)) {
		wb_snprintf(ctx->detail, sizeof(ctx->detail),
			    "%s: --keep needs another name for the extracted image (--name)", src->name);
		rc = -WB_EEXIST;
		goto fail;
	}
	rc = -WB_ENOMEM;
	img = plat_malloc(sizeof(*img));
	if (!img)
		goto fail;
	memset(img, 0, sizeof(*img));
	wb_strlcpy(img->name, name, sizeof(img->name));
	img->uri = src->uri ? wb_strdup(src->uri) : NULL;
	img->cmdline = src->cmdline ? wb_strdup(src->cmdline) : NULL;
	if ((src->uri && !img->uri) || (src->cmdline && !img->cmdline))
		goto fail;
	rc = image_inflate(ctx, src, &img->data, &img->len, &fmt);
	if (rc)
		goto fail;
	image_extract_note(src->name, img->name, fmt, src->len, img->len);
	img->autofree = src->autofree;
	img->selected = src->selected;
	img->trusted = src->trusted;   /* imgverify checked the bytes these come from */
	if (!keep)   /* iPXE: the archive is discarded unless --keep */
		image_unlink(ctx, src);
	else
		src->selected = 0;
	old = image_find(ctx, img->name);
	if (old)     /* a new image replaces one of the same name */
		image_unlink(ctx, old);
	{
		struct image **pp = &ctx->images;

		while (*pp)
			pp = &(*pp)->next;
		*pp = img;
	}
	return 0;

fail:
	if (img)
		image_free(img);
	/* an image this command fetched goes too (as it would have on success) */
	if (fetched && !keep)
		image_unlink(ctx, src);
	return rc;
}

static const struct cmd_opt extract_opts[] = {
	{ "name", 'n', 1 }, { "keep", 'k', 0 }, { "timeout", 't', 1 },
};

static const struct cmd_opt fetch_opts[] = {
	{ "name", 'n', 1 }, { "autofree", 'a', 0 }, { "timeout", 't', 1 },
};
static const struct cmd_opt select_opts[] = {
	{ "name", 'n', 1 }, { "autofree", 'a', 0 }, { "replace", 'r', 0 }, { "timeout", 't', 1 },
};
static const struct cmd_opt exec_opts[] = {
	{ "autofree", 'a', 0 }, { "replace", 'r', 0 }, { "timeout", 't', 1 }, { "name", 'n', 1 },
};

#define FETCH_USAGE "[--name NAME] [--autofree] [--timeout MS] URI [ARGS...]"
static const struct cmd image_cmds[] = {
	{ "imgfetch", cmd_imgfetch, "imgfetch " FETCH_USAGE, "fetch an image", fetch_opts, 3, 1, CMD_ARGS_ANY },
	{ "module", cmd_imgfetch, "module " FETCH_USAGE, "same as imgfetch", fetch_opts, 3, 1, CMD_ARGS_ANY },
	{ "initrd", cmd_imgfetch, "initrd " FETCH_USAGE, "same as imgfetch", fetch_opts, 3, 1, CMD_ARGS_ANY },
	{ "imgselect", cmd_imgselect, "imgselect [--name NAME] [--autofree] [--replace] [--timeout MS] IMAGE|URI [ARGS...]",
	  "select the image to boot (fetching it if needed)", select_opts, 4, 1, CMD_ARGS_ANY },
	{ "imgload", cmd_imgselect, "imgload [--name NAME] [--timeout MS] IMAGE|URI [ARGS...]", "same as imgselect",
	  select_opts, 4, 1, CMD_ARGS_ANY },
	{ "kernel", cmd_imgselect, "kernel [--name NAME] [--timeout MS] URI [ARGS...]", "fetch and select an image",
	  select_opts, 4, 1, CMD_ARGS_ANY },
	{ "imgexec", cmd_imgexec, "imgexec [--autofree] [--replace] [IMAGE [ARGS...]]",
	  "run an image (scripts in place, EFI applications started)", exec_opts, 4, 0, CMD_ARGS_ANY },
	{ "boot", cmd_imgexec, "boot [--autofree] [--replace] [IMAGE [ARGS...]]", "same as imgexec",
	  exec_opts, 4, 0, CMD_ARGS_ANY },
	{ "chain", cmd_chain, "chain [--name NAME] [--autofree] [--replace] [--timeout MS] URI [ARGS...]",
	  "fetch an image and run it", select_opts, 4, 1, CMD_ARGS_ANY },
	{ "imgargs", cmd_imgargs, "imgargs IMAGE [ARGS...]", "set an image's command line",
	  NULL, 0, 1, CMD_ARGS_ANY },
	{ "imgfree", cmd_imgfree, "imgfree [IMAGE...]", "free images (all without a name)",
	  NULL, 0, 0, CMD_ARGS_ANY },
	{ "imgstat", cmd_imgstat, "imgstat [IMAGE]", "list images", NULL, 0, 0, 1 },
	{ "imgextract", cmd_imgextract, "imgextract [--name NAME] [--keep] [--timeout MS] URI|IMAGE",
	  "inflate a gzip or zlib image into a new image", extract_opts, 3, 1, 1 },
};

static const struct cmd_table image_table = { image_cmds, WB_ARRAY_SIZE(image_cmds) };

static const struct cmd *image_cmd(const char *name)
{
	for (size_t i = 0; i < WB_ARRAY_SIZE(image_cmds); i++)
		if (!strcmp(image_cmds[i].name, name))
			return &image_cmds[i];
	return &image_cmds[0];
}

void script_register_image(struct script_ctx *ctx)
{
	script_register(ctx, &image_table);
	script_register_trust(ctx);
}

/* ---- image.h: the store for other command files ---- */

int script_image_acquire(struct script_ctx *ctx, const char *name_or_uri, struct image **out)
{
	struct image *img = image_find(ctx, name_or_uri);
	struct cmd_args a;
	char *argv[1];

	if (img) {
		*out = img;
		return 0;
	}
	/* a fetch with no options, as `imgfetch URI` */
	memset(&a, 0, sizeof(a));
	argv[0] = (char *)name_or_uri;
	a.argc = 1;
	a.argv = argv;
	a.name = "imgfetch";
	return image_fetch(ctx, image_cmd("imgfetch"), &a, out);
}

const char *script_image_name(const struct image *img)
{
	return img->name;
}

void script_image_bytes(const struct image *img, const uint8_t **data, size_t *len)
{
	*data = img->data;
	*len = img->len;
}

void script_image_set_trusted(struct image *img)
{
	img->trusted = 1;
}

void script_image_discard(struct script_ctx *ctx, struct image *img)
{
	image_unlink(ctx, img);
}
