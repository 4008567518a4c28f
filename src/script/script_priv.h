/* script_priv.h — the interpreter's internals shared by script.c and check.c. */
#ifndef WB_SCRIPT_PRIV_H
#define WB_SCRIPT_PRIV_H

#include <stddef.h>

#include "script/script.h"

enum { OP_NONE, OP_AND, OP_OR, OP_SEQ };

struct parsed_line {
	char buf[SCRIPT_LINE_MAX * 2];
	char *argv[SCRIPT_ARGS_MAX + 1];
	int argc;
	/* command k uses argv[start[k] .. start[k+1]); op[k] joins k and k+1 */
	int start[SCRIPT_ARGS_MAX + 1];
	int op[SCRIPT_ARGS_MAX];
	int ncmds;
	const char *why;
};

/*
 * Split a line into commands at the words `||`, `&&` and `;` (words are
 * separated by blanks only; quotes and backslashes are ordinary characters,
 * as in iPXE, so `a&&b` is one word); a word starting with `#` ends the line.  Each command is
 * expanded only when it runs, so `inc i && echo ${i}` sees the new value and
 * `dhcp && isset ${filename}` sees what DHCP set.
 */
struct line_seg {
	const char *start;
	size_t len;
	int op;        /* operator after this command (OP_NONE for the last) */
};

#define SCRIPT_MAX_SEGS 32


/** Tokenize and expand one command (no operators) into @pl.  -WB_E* + pl->why. */
int script_parse_line(const struct script_ctx *ctx, const char *line, struct parsed_line *pl);
/** Split a line at the operator words ||, && and ; (see above).  -WB_E* + *why. */
int script_split_line(const char *line, struct line_seg *segs, int *nsegs, const char **why);
/** 1 when a segment holds no command (blank or comment): an empty command, which succeeds. */
int script_seg_blank(const struct line_seg *sg);
/** 1 for the blanks that separate words (iPXE's isspace: space, \t, \n, \v, \f, \r). */
int script_is_blank(char c);
/** The text after a leading ":label" of @line, or NULL when the line has no label. */
const char *script_skip_label(const char *line);
/**
 * Read the logical line at *pos of @text (@len bytes) into @line (SCRIPT_LINE_MAX
 * bytes): one line, or several joined where a line ends in a backslash (removed with
 * its line end, nothing in their place); the \r of a \r\n is dropped.  On success
 * *pos moves past it and *nlines says how many lines it took.  -WB_ESYNTAX (a NUL
 * byte, or a backslash on the last line), -WB_ETOOBIG (too long), with *why.
 */
int script_read_line(const char *text, size_t len, size_t *pos, char *line, int *nlines,
		     const char **why);
/** Find ":label" in @text; *pos = the start of its line, *lineno = its number. */
int script_find_label(const char *text, size_t len, const char *label, size_t *pos, int *lineno);

#endif
