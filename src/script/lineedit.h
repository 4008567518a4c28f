/*
 * lineedit.h — a line editor over an abstract key source and text sink.
 *
 * The editor knows nothing about the console: keys come from le_io.getkey
 * (printable characters and control codes as themselves, arrows etc. as
 * PLAT_KEY_* from platform/platform.h), text goes to le_io.write.  The
 * shell, `read` and `login` pass script_getkey() and plat_write(); unit
 * tests pass a scripted key list and a capture buffer.
 *
 * Redraw uses only printable ASCII, spaces and "\b" (cursor left), so it
 * works on U-Boot's serial console, EDK2's console and a Linux terminal
 * alike.  A line longer than the terminal is wide still edits correctly,
 * but its display may be garbled (no terminal width is known).
 *
 * Keys:
 *   printable            insert at the cursor
 *   Left / Ctrl-B        cursor left          Right / Ctrl-F   cursor right
 *   Home / Ctrl-A        start of line        End / Ctrl-E     end of line
 *   Backspace (8, 127)   delete before cursor Delete / Ctrl-D  delete at cursor
 *   Ctrl-D on an empty line   end of input (-WB_EEOF), as at a terminal
 *   Ctrl-U               kill the whole line  Ctrl-K           kill to end
 *   Up / Ctrl-P, Down / Ctrl-N   history (when a history ring is given)
 *   Tab                  complete the word at the cursor (when a completer is given)
 *   Enter ('\r' or '\n'; "\r\n" counts once)   accept
 *   Ctrl-C               abandon the line (and Esc when le_opts.esc_cancels)
 */
#ifndef WB_LINEEDIT_H
#define WB_LINEEDIT_H

#include <stddef.h>

/* Where keys come from and text goes.  Persistent across calls (it also
 * remembers a pending "\r\n" pair), owned by the caller. */
struct le_io {
	/** Next key, or PLAT_KEY_NONE when none is waiting (never blocks). */
	int (*getkey)(void *arg);
	/** Write @n bytes of text. */
	void (*write)(void *arg, const char *s, size_t n);
	/**
	 * Called when no key is waiting (poll the network, check a deadline).
	 * Return 0 to keep waiting, or a negative WB_E* to abandon the line
	 * with that error (e.g. -WB_ETIMEDOUT).  May be NULL.
	 */
	int (*idle)(void *arg);
	void *arg;
	int skip_lf;            /* internal: the last Enter was '\r' */
	int esc_state, esc_num; /* internal: ANSI sequence being decoded */
	unsigned long long esc_ms;
};

/* A lone Esc is told from the start of a sequence by this pause (ms). */
#define LE_ESC_MS 150

/**
 * Next key from @io with ANSI sequences decoded: consoles that hand the
 * bytes of ESC [ A (arrows, ESC [ H / F, ESC [ n ~ for Home/End/Delete,
 * also ESC O x) one by one get PLAT_KEY_UP etc.  A lone Esc (nothing
 * within LE_ESC_MS) is returned as 0x1b.  PLAT_KEY_NONE when no key yet.
 * le_readline() reads through it; menus use it too.
 */
int le_getkey(struct le_io *io);

#define LE_HISTORY_MAX 16

/*
 * History ring: the last LE_HISTORY_MAX distinct lines, oldest dropped.
 * Caller-allocated; entries are plat_malloc'd copies freed by
 * le_history_fini().  Zero-initialise (or le_history_init) before use.
 */
struct le_history {
	char *lines[LE_HISTORY_MAX];    /* lines[(first + i) % MAX], i < count */
	int first, count;
};

void le_history_init(struct le_history *h);
/** Free every entry (safe on an empty ring, safe twice). */
void le_history_fini(struct le_history *h);
/**
 * Append @line (skipped when empty, all blanks, or equal to the newest
 * entry).  @return 0 or -WB_ENOMEM (the ring is unchanged then).
 */
int le_history_add(struct le_history *h, const char *line);
/** Entry @i counted from the newest (0 = newest), or NULL. */
const char *le_history_get(const struct le_history *h, int i);

/*
 * Completion: called with the whole line and the start/end of the word
 * before the cursor; returns candidate @i (0, 1, …) or NULL after the last.
 * Candidates that do not start with the word are ignored by the editor, so
 * a completer may simply list everything.  One match completes it (plus a
 * space); several extend the word to their common prefix, and when there is
 * nothing to extend, print the matches below the line and redraw it.
 */
typedef const char *(*le_complete_fn)(void *arg, const char *line, size_t word_start,
				      size_t word_end, int i);

struct le_opts {
	const char *prompt;         /* printed first and on redraws (may be NULL) */
	const char *initial;        /* initial text, cursor at its end (may be NULL) */
	int mask;                   /* echo '*' for each character (passwords) */
	int esc_cancels;            /* Esc abandons the line like Ctrl-C */
	struct le_history *history; /* may be NULL; never used when @mask */
	le_complete_fn complete;    /* may be NULL */
	void *complete_arg;
};

/**
 * Read one line into @buf (capacity @cap >= 1, always NUL-terminated).
 * The line is echoed and ended with "\n" on the output.  It is not added to
 * the history: the caller decides (le_history_add).
 * @return the line's length (>= 0) on Enter (or at end of input after some
 * text), -WB_ECANCELED on Ctrl-C (prints "^C\n"), -WB_EEOF at end of input
 * with an empty line (Ctrl-D on an empty line too; it prints "\n"),
 * -WB_ENOMEM, or the idle callback's error.
 */
int le_readline(struct le_io *io, const struct le_opts *opts, char *buf, size_t cap);

#endif
