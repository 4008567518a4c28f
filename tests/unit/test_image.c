/*
 * test_image.c — the image store and commands with a fake fetcher: names
 * from URIs, --name/--replace, imgargs, imgstat/imgfree, chain of a script
 * (runs in place, `exit` ends only it, --replace ends the caller too), an
 * unknown format refused, fetch errors passed through, no fetcher at all;
 * a chained script that frees or replaces its own image keeps resolving
 * relative URIs against its own URL (issue 11 item 1: it used freed memory).
 */
#define UNIT_NAME "image"
#include <stdlib.h>

#include "core/err.h"
#include "core/util.h"
#include "script/script.h"
#include "unit.h"

void *plat_malloc(size_t n);

static int fetches;

static int fake_fetch(struct script_ctx *ctx, const char *uri, uint8_t **data, size_t *len)
{
	const char *body;
	size_t n;

	fetches++;
	if (strstr(uri, "missing"))
		return -WB_ENOENT;
	if (strstr(uri, ".ipxe"))
		body = strstr(uri, "exit") ? "#!ipxe\nset ran ${ran}x\nexit 0\nset ran never\n"
					   : "#!ipxe\nset ran ${ran}s\n";
	else if (strstr(uri, ".efi"))
		body = "MZ fake";
	else
		body = "plain data";
	n = strlen(body);
	*data = plat_malloc(n);
	memcpy(*data, body, n);
	*len = n;
	return 0;
}

static struct script_ctx ctx;

/*
 * A site of scripts for the running-script-frees-itself case: every URI asked
 * is recorded (in order) so the test can check what relative references
 * resolved to.  sub/inner.ipxe frees every image (itself included), chains a
 * relative name, fetches an image with its own name (which would replace the
 * running script's image), then fetches a relative name again.
 */
static char asked[16][128];
static int nasked;

static int site_fetch(struct script_ctx *c, const char *uri, uint8_t **data, size_t *len)
{
	const char *body = "plain data";
	size_t n;

	(void)c;
	if (nasked < 16)
		wb_strlcpy(asked[nasked++], uri, sizeof(asked[0]));
	if (strstr(uri, "/sub/inner.ipxe"))
		body = "#!ipxe\n"
		       "imgfree\n"
		       "chain next.ipxe\n"
		       "imgfetch inner.ipxe\n"
		       "imgfetch after-self.txt\n";
	else if (strstr(uri, "/self.ipxe"))
		body = "#!ipxe\n"
		       "imgstat\n"
		       "imgexec self.ipxe || set selfrun refused\n"
		       "boot || set bootrun refused\n";
	else if (strstr(uri, "/next.ipxe"))
		body = "#!ipxe\nimgfetch from-next.txt\n";
	else if (strstr(uri, "/outer.ipxe"))
		body = "#!ipxe\nchain sub/inner.ipxe\nimgfetch after-inner.txt\n";
	n = strlen(body);
	*data = plat_malloc(n);
	if (!*data)
		return -WB_ENOMEM;
	memcpy(*data, body, n);
	*len = n;
	return 0;
}

static int any_rc(int rc)
{
	(void)rc;
	return 1;
}

static int run_self_free(void *arg)
{
	struct script_ctx *c = arg;
	int rc;

	nasked = 0;
	script_init(c);
	script_register_basic(c);
	script_register_image(c);
	c->fetch = site_fetch;
	rc = script_exec_line(c, "chain http://boot.test/a/outer.ipxe");
	script_fini(c);
	return rc;
}

int main(void)
{
	const char *v;

	script_init(&ctx);
	script_register_basic(&ctx);
	script_register_image(&ctx);
	CHECK("no fetcher: imgfetch fails clearly", script_exec_line(&ctx, "imgfetch http://x/a") == -WB_ENOFETCH);
	ctx.fetch = fake_fetch;
	CHECK("imgfetch", script_exec_line(&ctx, "imgfetch http://boot.test/dir/vmlinuz?x=1 console=ttyS0 quiet") == 0);
	CHECK("imgfetch --name", script_exec_line(&ctx, "imgfetch --name init http://boot.test/initrd.img") == 0);
	CHECK("fetch error passed through", script_exec_line(&ctx, "imgfetch http://boot.test/missing") == -WB_ENOENT);
	CHECK("imgargs", script_exec_line(&ctx, "imgargs vmlinuz root=/dev/sda1") == 0);
	CHECK("imgargs unknown image", script_exec_line(&ctx, "imgargs nosuch x") == -WB_ENOIMAGE);
	CHECK("imgstat", script_exec_line(&ctx, "imgstat") == 0);
	CHECK("data image is not runnable", script_exec_line(&ctx, "imgexec vmlinuz") == -WB_EBADIMAGE);
	CHECK("imgfree one", script_exec_line(&ctx, "imgfree init") == 0);
	CHECK("imgfree unknown", script_exec_line(&ctx, "imgfree init") == -WB_ENOIMAGE);
	CHECK("chain a script", script_exec_line(&ctx, "chain http://boot.test/boot.ipxe") == 0);
	v = settings_get(&ctx.settings, "ran", NULL);
	CHECK_STR("the chained script ran in place", v, "s");
	{
		static const char outer[] = "#!ipxe\nchain http://boot.test/exit.ipxe\nset ran ${ran}o\n";
		static const char outer_r[] = "#!ipxe\nchain --replace http://boot.test/exit.ipxe\nset ran ${ran}o\n";

		settings_set(&ctx.settings, "ran", "");
		CHECK("exit in a chained script", script_run(&ctx, outer, sizeof(outer) - 1, "outer") == 0);
		CHECK_STR("exit ended only the chained script", settings_get(&ctx.settings, "ran", NULL), "xo");
		settings_set(&ctx.settings, "ran", "");
		script_run(&ctx, outer_r, sizeof(outer_r) - 1, "outer");
		CHECK_STR("--replace ends the caller too", settings_get(&ctx.settings, "ran", NULL), "x");
		CHECK("and asks the caller to exit", ctx.exit_requested == 1);
		ctx.exit_requested = 0;   /* what the shell does when it regains control */
	}
	CHECK("same name replaces", script_exec_line(&ctx, "imgfetch http://boot.test/boot.ipxe") == 0);
	CHECK("imgselect + boot", script_exec_line(&ctx, "imgselect boot.ipxe") == 0 &&
				   script_exec_line(&ctx, "boot") == 0);
	CHECK("efi image on the host is refused", script_exec_line(&ctx, "chain http://boot.test/app.efi") == -WB_ENOTSUP);
	CHECK("imgfree all", script_exec_line(&ctx, "imgfree") == 0 && !ctx.images);
	CHECK("boot with nothing", script_exec_line(&ctx, "boot") == -WB_ENOIMAGE);
	script_fini(&ctx);

	/* the running script's base URI survives imgfree and a fetch of its own name */
	{
		static const char *const want[] = {
			"http://boot.test/a/outer.ipxe",
			"http://boot.test/a/sub/inner.ipxe",
			"http://boot.test/a/sub/next.ipxe",
			"http://boot.test/a/sub/from-next.txt",
			"http://boot.test/a/sub/inner.ipxe",
			"http://boot.test/a/sub/after-self.txt",
			"http://boot.test/a/after-inner.txt",
		};
		struct script_ctx c2;

		CHECK("self-freeing chained script runs to its end", run_self_free(&c2) == 0);
		CHECK("every fetch made", nasked == (int)(sizeof(want) / sizeof(want[0])));
		for (int i = 0; i < nasked && i < (int)(sizeof(want) / sizeof(want[0])); i++)
			CHECK_STR("relative URI resolved against the running script", asked[i], want[i]);
		unit_alloc_sweep("self-freeing chained script", run_self_free, &c2, any_rc);
	}
	/* a running script's image has no data: looking at it (imgstat, boot's
	 * choice, imgexec by its own name) must not read through NULL (the
	 * fuzzing campaign's fuzz_script_cmds found memcmp(NULL) in image_is_script) */
	{
		struct script_ctx c3;

		script_init(&c3);
		script_register_basic(&c3);
		script_register_image(&c3);
		c3.fetch = site_fetch;
		CHECK("a script looking at its own running image",
		      script_exec_line(&c3, "chain http://boot.test/self.ipxe") == 0);
		CHECK_STR("imgexec of itself refused", settings_get(&c3.settings, "selfrun", NULL), "refused");
		CHECK_STR("boot finds no runnable image", settings_get(&c3.settings, "bootrun", NULL), "refused");
		script_fini(&c3);
	}
	return unit_done();
}
