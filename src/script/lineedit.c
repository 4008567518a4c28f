/*
 * lineedit.c — the line editor (see lineedit.h).
 *
 * How this works: the line is a buffer and a cursor index.  The terminal
 * shows the prompt followed by the buffer, with the terminal's cursor at
 * the same index.  Every edit rewrites the tail of the line from the first
 * changed position (padding with spaces where the line got shorter) and
 * walks back with "\b": no ANSI sequence is needed, so any console that
 * implements backspace as "cursor left" shows the right thing.  In mask
 * mode the buffer is drawn as '*'.
 */
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "platform/platform.h"
#include "script/lineedit.h"

/* ---- history ---------------------------------------------------------- */

void le_history_init(struct le_history *h)
{
	memset(h, 0, sizeof(*h));
}

void le_history_fini(struct le_history *h)
{
	for (int i = 0; i < LE_HISTORY_MAX; i++) {
		plat_free(h->lines[i]);
		h->lines[i] = NULL;
	}
	h->first = h->count = 0;
}

const char *le_history_get(const struct le_history *h, int i)
{
	if (i < 0 || i >= h->count)
		return NULL;
	return h->lines[(h->first + h->count - 1 - i) % LE_HISTORY_MAX];
}

int le_history_add(struct le_history *h, const char *line)
{
	const char *p = line, *newest = le_history_get(h, 0);
	char *copy;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || (newest && !strcmp(newest, line)))
		return 0;
	copy = wb_strdup(line);
	if (!copy)
		return -WB_ENOMEM;
	if (h->count == LE_HISTORY_MAX) {
		plat_free(h->lines[h->first]);
		h->lines[h->first] = NULL;
		h->first = (h->first + 1) % LE_HISTORY_MAX;
		h->count--;
	}
	h->lines[(h->first + h->count) % LE_HISTORY_MAX] = copy;
	h->count++;
	return 0;
}

/* ---- editing ---------------------------------------------------------- */

struct le_state {
	struct le_io *io;
	const struct le_opts *o;
	char *buf;
	size_t cap, len, pos;   /* pos: cursor index, <= len */
};

static void le_out(struct le_state *s, const char *p, size_t n)
{
	if (n)
		s->io->write(s->io->arg, p, n);
}

static void le_outs(struct le_state *s, const char *p)
{
	le_out(s, p, strlen(p));
}

static void le_repeat(struct le_state *s, char c, size_t n)
{
	char chunk[32];

	memset(chunk, c, sizeof(chunk));
	while (n) {
		size_t k = n < sizeof(chunk) ? n : sizeof(chunk);

		le_out(s, chunk, k);
		n -= k;
	}
}

/* Draw buffer bytes [from, to) as they appear on screen. */
static void le_draw(struct le_state *s, size_t from, size_t to)
{
	if (to <= from)
		return;
	if (s->o->mask)
		le_repeat(s, '*', to - from);
	else
		le_out(s, s->buf + from, to - from);
}

/*
 * The screen shows the buffer correctly up to @from, the terminal cursor is
 * at @from, and the old line was @old_len long: redraw from @from, blank
 * what is left of the old line, and put the cursor back at s->pos.
 */
static void le_refresh(struct le_state *s, size_t from, size_t old_len)
{
	size_t end = s->len;

	le_draw(s, from, s->len);
	if (old_len > s->len) {
		le_repeat(s, ' ', old_len - s->len);
		end = old_len;
	}
	le_repeat(s, '\b', end - s->pos);
}

/* Move the terminal cursor (and s->pos) to @to. */
static void le_move(struct le_state *s, size_t to)
{
	if (to < s->pos)
		le_repeat(s, '\b', s->pos - to);
	else
		le_draw(s, s->pos, to);
	s->pos = to;
}

/* Replace the whole buffer with @text (history recall, kill line). */
static void le_set(struct le_state *s, const char *text)
{
	size_t old = s->len;

	le_move(s, 0);
	s->len = wb_strlcpy(s->buf, text, s->cap);
	if (s->len >= s->cap)
		s->len = s->cap - 1;
	s->pos = s->len;
	le_refresh(s, 0, old);
}

static int le_insert(struct le_state *s, const char *text, size_t n)
{
	size_t at = s->pos;

	if (s->len + n + 1 > s->cap)
		return -1;
	memmove(s->buf + at + n, s->buf + at, s->len - at);
	memcpy(s->buf + at, text, n);
	s->len += n;
	s->buf[s->len] = '\0';
	s->pos = at + n;
	/* the terminal cursor is still at @at */
	le_draw(s, at, s->len);
	le_repeat(s, '\b', s->len - s->pos);
	return 0;
}

/* Delete @n bytes at @at (cursor ends at @at). */
static void le_delete(struct le_state *s, size_t at, size_t n)
{
	size_t old = s->len;

	le_move(s, at);
	memmove(s->buf + at, s->buf + at + n, s->len - at - n);
	s->len -= n;
	s->buf[s->len] = '\0';
	le_refresh(s, at, old);
}

/* Prompt and whole line, cursor placed (after a candidate list). */
static void le_redraw_all(struct le_state *s)
{
	if (s->o->prompt)
		le_outs(s, s->o->prompt);
	le_draw(s, 0, s->len);
	le_repeat(s, '\b', s->len - s->pos);
}

static void le_complete(struct le_state *s)
{
	const struct le_opts *o = s->o;
	size_t start = s->pos, wlen, common = 0;
	const char *first = NULL, *c;
	int matches = 0;

	while (start > 0 && s->buf[start - 1] != ' ' && s->buf[start - 1] != '\t')
		start--;
	wlen = s->pos - start;
	for (int i = 0; (c = o->complete(o->complete_arg, s->buf, start, s->pos, i)); i++) {
		size_t k = 0;

		if (strncmp(c, s->buf + start, wlen))
			continue;
		if (!first) {
			first = c;
			common = strlen(c);
		} else {
			while (k < common && c[k] == first[k])
				k++;
			common = k;
		}
		matches++;
	}
	if (!matches)
		return;
	if (common > wlen)
		le_insert(s, first + wlen, common - wlen);
	if (matches == 1) {
		if (s->pos == s->len || s->buf[s->pos] != ' ')
			le_insert(s, " ", 1);
		return;
	}
	if (common > wlen)
		return;
	/* ambiguous and nothing to add: list the candidates, redraw the line */
	le_move(s, s->len);
	le_outs(s, "\n");
	matches = 0;
	for (int i = 0; (c = o->complete(o->complete_arg, s->buf, start, start + wlen, i)); i++) {
		if (strncmp(c, s->buf + start, wlen))
			continue;
		if (matches++)
			le_outs(s, "  ");
		le_outs(s, c);
	}
	le_outs(s, "\n");
	s->pos = s->len;
	le_redraw_all(s);
}

int le_getkey(struct le_io *io)
{
	int k = io->getkey(io->arg);

	if (io->esc_state == 0) {
		if (k != 0x1b)
			return k;
		io->esc_state = 1;
		io->esc_ms = plat_ms();
		return PLAT_KEY_NONE;
	}
	if (k == PLAT_KEY_NONE) {
		if (plat_ms() - io->esc_ms < LE_ESC_MS)
			return PLAT_KEY_NONE;
		io->esc_state = 0;
		return 0x1b;                    /* a lone Esc */
	}
	if (io->esc_state == 1) {
		if (k == '[' || k == 'O') {
			io->esc_state = 2;
			io->esc_num = 0;
			return PLAT_KEY_NONE;
		}
		/* Esc then another key: the key is lost (rare: typed within LE_ESC_MS) */
		io->esc_state = k == 0x1b ? 1 : 0;
		io->esc_ms = plat_ms();
		return 0x1b;
	}
	if (k >= '0' && k <= '9' && io->esc_num < 1000) {
		io->esc_num = io->esc_num * 10 + (k - '0');
		return PLAT_KEY_NONE;
	}
	io->esc_state = 0;
	switch (k) {
	case 'A': return PLAT_KEY_UP;
	case 'B': return PLAT_KEY_DOWN;
	case 'C': return PLAT_KEY_RIGHT;
	case 'D': return PLAT_KEY_LEFT;
	case 'H': return PLAT_KEY_HOME;
	case 'F': return PLAT_KEY_END;
	case '~':
		switch (io->esc_num) {
		case 1: case 7: return PLAT_KEY_HOME;
		case 4: case 8: return PLAT_KEY_END;
		case 3: return PLAT_KEY_DEL;
		}
		return PLAT_KEY_NONE;
	default:
		return k == PLAT_KEY_EOF ? k : PLAT_KEY_NONE;  /* unknown sequence: dropped */
	}
}

int le_readline(struct le_io *io, const struct le_opts *o, char *buf, size_t cap)
{
	struct le_state s = { io, o, buf, cap, 0, 0 };
	struct le_history *h = o->mask ? NULL : o->history;
	char *saved = NULL;     /* the line being edited while browsing history */
	int hidx = -1;          /* -1: editing the new line; else history index */
	int rc;

	if (!cap)
		return -WB_EINVAL;
	buf[0] = '\0';
	if (o->prompt)
		le_outs(&s, o->prompt);
	if (o->initial) {
		s.len = wb_strlcpy(buf, o->initial, cap);
		if (s.len >= cap)
			s.len = cap - 1;
		buf[s.len] = '\0';
		s.pos = s.len;
		le_draw(&s, 0, s.len);
	}
	for (;;) {
		int k = le_getkey(io);

		if (k == PLAT_KEY_NONE) {
			if (io->idle && (rc = io->idle(io->arg)) < 0)
				goto out_nl;
			continue;
		}
		if (k == '\n' && io->skip_lf) {
			io->skip_lf = 0;
			continue;
		}
		io->skip_lf = 0;
		switch (k) {
		case PLAT_KEY_EOF:
			if (!s.len) {
				rc = -WB_EEOF;
				goto out;
			}
			rc = (int)s.len;
			goto out_nl;
		case '\r':
			io->skip_lf = 1;
			/* fall through */
		case '\n':
			rc = (int)s.len;
			goto out_nl;
		case PLAT_KEY_CTRL_C:
			le_move(&s, s.len);
			le_outs(&s, "^C");
			rc = -WB_ECANCELED;
			goto out_nl;
		case 0x1b:
			if (o->esc_cancels) {
				le_move(&s, s.len);
				rc = -WB_ECANCELED;
				goto out_nl;
			}
			break;
		case PLAT_KEY_LEFT:
		case 2:
			if (s.pos)
				le_move(&s, s.pos - 1);
			break;
		case PLAT_KEY_RIGHT:
		case 6:
			if (s.pos < s.len)
				le_move(&s, s.pos + 1);
			break;
		case PLAT_KEY_HOME:
		case 1:
			le_move(&s, 0);
			break;
		case PLAT_KEY_END:
		case 5:
			le_move(&s, s.len);
			break;
		case 8:
		case 127:
			if (s.pos)
				le_delete(&s, s.pos - 1, 1);
			break;
		case 4:   /* Ctrl-D: end of input on an empty line, as in a terminal */
			if (!s.len) {
				rc = -WB_EEOF;
				goto out_nl;
			}
			/* fall through */
		case PLAT_KEY_DEL:
			if (s.pos < s.len)
				le_delete(&s, s.pos, 1);
			break;
		case 21: /* Ctrl-U */
			le_set(&s, "");
			break;
		case 11: /* Ctrl-K */
			if (s.pos < s.len)
				le_delete(&s, s.pos, s.len - s.pos);
			break;
		case '\t':
			if (o->complete && !o->mask)
				le_complete(&s);
			break;
		case PLAT_KEY_UP:
		case 16:
			if (!h || hidx + 1 >= h->count)
				break;
			if (hidx < 0) {
				saved = wb_strdup(buf);
				if (!saved) {
					rc = -WB_ENOMEM;
					goto out_nl;
				}
			}
			le_set(&s, le_history_get(h, ++hidx));
			break;
		case PLAT_KEY_DOWN:
		case 14:
			if (!h || hidx < 0)
				break;
			hidx--;
			le_set(&s, hidx >= 0 ? le_history_get(h, hidx) : saved);
			if (hidx < 0) {
				plat_free(saved);
				saved = NULL;
			}
			break;
		default:
			if (k >= 32 && k < 127) {
				char c = (char)k;

				le_insert(&s, &c, 1);
			}
			break;
		}
	}
out_nl:
	le_move(&s, s.len);
	le_outs(&s, "\n");
out:
	plat_free(saved);
	if (rc < 0)
		buf[0] = '\0';
	return rc;
}
