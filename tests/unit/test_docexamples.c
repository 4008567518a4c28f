/*
 * test_docexamples.c — every iSCSI root path written in README.md, SECURITY.md
 * and the .md files in docs/ parses the way the text means it (issue 15: doc examples as
 * test cases).  Run from the repository's top directory (tests/run-all.sh
 * does).
 *
 * An example is "iscsi:" followed by at least five ':'-separated fields.
 * Placeholder fields are replaced before parsing: SERVER / servername by
 * 192.0.2.1, PROTO / PROTOCOL / PORT by nothing (the defaults), LUN by 1 and
 * TARGET / TARGET-IQN / targetname by a fixed IQN (also when written as
 * <x> or [x]); then the parse must succeed, a LUN placeholder must come out
 * as LUN 1 and a TARGET placeholder as exactly that IQN.  A concrete example
 * must parse, and its target must be an iSCSI name (iqn./eui./naa.).  So
 * "iscsi:SERVER::::LUN:TARGET" (one ':' too many: LUN 0, target "1:iqn…")
 * fails.  Examples with "..." are elided on purpose and skipped.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "proto/iscsi_uri.h"
#define UNIT_NAME "docexamples"
#include "unit.h"
#define DOC_TARGET "iqn.2026-12.test.docs:disk"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

static int is_uri_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr(".:-_[]<>", c) != NULL;
}

/* The placeholder @tok (without <> or []) stands for: returns the value, or NULL. */
static const char *placeholder(const char *tok, int *is_lun, int *is_target)
{
	char t[32];
	size_t n = strlen(tok);

	if ((tok[0] == '<' && n > 1 && tok[n - 1] == '>') || (tok[0] == '[' && n > 1 && tok[n - 1] == ']')) {
		tok++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(t))
		return NULL;
	memcpy(t, tok, n);
	t[n] = 0;
	if (!strcasecmp(t, "server") || !strcasecmp(t, "servername"))
		return "192.0.2.1";
	if (!strcasecmp(t, "proto") || !strcasecmp(t, "protocol") || !strcasecmp(t, "port"))
		return "";
	if (!strcasecmp(t, "lun")) {
		*is_lun = 1;
		return "1";
	}
	if (!strcasecmp(t, "target") || !strcasecmp(t, "target-iqn") || !strcasecmp(t, "targetname")) {
		*is_target = 1;
		return DOC_TARGET;
	}
	return NULL;
}

static int examples;

static void check_example(const char *file, int line, const char *ex)
{
	char sub[600], tok[300], name[700];
	const char *p = ex + strlen("iscsi:");
	size_t o = 0;
	int is_lun = 0, is_target = 0, placeholders = 0, rc;
	struct iscsi_uri u;

	snprintf(sub, sizeof(sub), "iscsi:");
	o = strlen(sub);
	for (;;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *v;

		if (n >= sizeof(tok))
			n = sizeof(tok) - 1;
		memcpy(tok, p, n);
		tok[n] = 0;
		v = placeholder(tok, &is_lun, &is_target);
		if (v)
			placeholders++;
		o += (size_t)snprintf(sub + o, sizeof(sub) - o, "%s%s", v ? v : tok, e ? ":" : "");
		if (!e || o >= sizeof(sub) - 1)
			break;
		p = e + 1;
	}
	examples++;
	snprintf(name, sizeof(name), "%s:%d: %s", file, line, ex);
	rc = iscsi_uri_parse(sub, &u);
	if (rc) {
		CHECK(name, rc == 0);
		return;
	}
	if (is_lun)
		CHECK(name, iscsi_uri_lun_number(u.lun) == 1);
	if (is_target)
		CHECK_STR(name, u.target, DOC_TARGET);
	if (!is_target)
		CHECK(name, !strncmp(u.target, "iqn.", 4) || !strncmp(u.target, "eui.", 4) ||
			    !strncmp(u.target, "naa.", 4));
	(void)placeholders;
}

static void scan_file(const char *path)
{
	char *text = slurp(path);
	int line = 1;

	if (!text) {
		CHECK(path, 0);
		return;
	}
	for (char *p = text; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (strncasecmp(p, "iscsi:", 6) || (p > text && is_uri_char(p[-1])))
			continue;
		size_t n = 6, colons = 1;
		char ex[300];

		while (p[n] && is_uri_char(p[n]) && n < sizeof(ex) - 1)
			colons += p[n++] == ':';
		/* prose punctuation after the example is not part of it */
		while (n > 6 && (p[n - 1] == ':' || p[n - 1] == '.'))
			colons -= p[--n] == ':';
		memcpy(ex, p, n);
		ex[n] = 0;
		if (colons >= 5 && !strstr(ex, "..") && !strstr(ex, "…"))
			check_example(path, line, ex);
		p += n - 1;
	}
	free(text);
}

int main(void)
{
	DIR *d = opendir("docs");
	struct dirent *de;

	CHECK("run from the repository's top directory", d != NULL);
	if (!d)
		return unit_done();
	scan_file("README.md");
	scan_file("SECURITY.md");
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char path[300];

		if (n > 3 && !strcmp(de->d_name + n - 3, ".md")) {
			snprintf(path, sizeof(path), "docs/%s", de->d_name);
			scan_file(path);
		}
	}
	closedir(d);
	/* the docs do hold root-path examples; finding none means the scan broke */
	CHECK("found the root-path examples", examples >= 5);
	return unit_done();
}
