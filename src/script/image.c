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
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/platform.h"
#include "proto/uri.h"
#include "script/script.h"

/* --timeout's bound: one hour */
#define IMAGE_TIMEOUT_MAX_MS 3600000u

struct image {
	struct image *next;
	char name[64];
	char *uri;
	uint8_t *data;
	size_t len;
	char *cmdline;
	int selected;
	int autofree;
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
static int image_fetch(struct script_ctx *ctx, const struct cmd *c, const struct cmd_args *a,
		       struct image **out)
{
	const char *uri = a->argv[0], *name = cmd_optval(c, a, "name");
	const char *tmo = cmd_optval(c, a, "timeout");
	unsigned long long timeout_ms = 0;
	struct image *img;
	char defname[64];
	int rc;

	/* iPXE: a download progress timeout in milliseconds (0: the defaults) */
	if (tmo && wb_parse_uint(tmo, IMAGE_TIMEOUT_MAX_MS, &timeout_ms)) {
		wb_printf("%s: bad timeout \"%s\" (milliseconds, 0 to %u)\n", a->name, tmo,
			  IMAGE_TIMEOUT_MAX_MS);
		return -WB_EUSAGE_SHOWN;
	}
	if (!ctx->fetch)
		return -WB_ENOFETCH;
	if (!name) {
		image_default_name(uri, defname, sizeof(defname));
		name = defname;
	}
	img = plat_malloc(sizeof(*img));
	if (!img)
		return -WB_ENOMEM;
	memset(img, 0, sizeof(*img));
	wb_strlcpy(img->name, name, sizeof(img->name));
	/* a relative reference is resolved against the running script's URI
	 * (RFC 3986 §5.2) and kept absolute, so scripts it chains resolve too */
	if (ctx->script_uri && !strchr(uri, ':')) {
		rc = uri_resolve_str(ctx->script_uri, uri, &img->uri);
		if (rc) {
			image_free(img);
			return rc;
		}
	} else {
		img->uri = wb_strdup(uri);
	}
	rc = img->uri ? join_cmdline(a, 1, &img->cmdline) : -WB_ENOMEM;
	if (!rc) {
		ctx->fetch_timeout_ms = (uint32_t)timeout_ms;
		rc = ctx->fetch(ctx, img->uri, &img->data, &img->len);
		ctx->fetch_timeout_ms = 0;
	}
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

/*
 * A script's image has no data while it runs (image_exec() detaches it), so
 * every look at the bytes goes through these two, which say "neither" then.
 */
static int image_is_script(const struct image *img)
{
	return img->data && img->len >= 6 &&
	       (!memcmp(img->data, "#!ipxe", 6) || !memcmp(img->data, "#!gpxe", 6));
}

static int image_is_efi(const struct image *img)
{
	return img->data && img->len >= 2 && img->data[0] == 'M' && img->data[1] == 'Z';
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
		if (image_is_script(i) || image_is_efi(i))
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
		wb_printf("%s : %zu bytes [%s]%s%s%s", i->name, i->len,
			  !i->data ? "script, running" : image_is_script(i) ? "script" :
			  image_is_efi(i) ? "EFI" : "data",
			  i->selected ? " [SELECTED]" : "", i->autofree ? " [AUTOFREE]" : "",
			  i->initrd ? " [INITRD]" : "");
		if (i->cmdline)
			wb_printf(" \"%s\"", i->cmdline);
		wb_puts("\n");
	}
	return 0;
}

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
}
