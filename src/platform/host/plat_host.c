/*
 * plat_host.c — the platform on Linux: console on stdin/stdout, clocks from
 * clock_gettime, entropy from getrandom(2), malloc, and links over TAP
 * devices (tap.c).
 *
 * Allocation is counted so tests can check that nothing leaks
 * (host_live_allocs()).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "platform/host/host.h"
#include "platform/platform.h"

const char *plat_name(void) { return "host"; }

const char *plat_arch(void)
{
#if defined(__aarch64__)
	return "arm64";
#else
	return "x86_64";
#endif
}

const char *plat_firmware(void) { return "linux"; }

uint16_t plat_dhcp_arch(void)
{
#if defined(__aarch64__)
	return 0x000b;
#else
	return 0x0007;
#endif
}

/* ---- console ----
 *
 * Keys come from stdin, text goes to stdout.  On a terminal the line
 * discipline is put in non-canonical mode without echo (the line editor,
 * script/lineedit.c, draws what is typed), one byte at a time:
 *   - ICANON, ECHO off; VMIN=1, VTIME=0.  stdin stays blocking (O_NONBLOCK
 *     would be set on the open file the parent shell shares with us, and
 *     left there if we died); plat_getkey() asks poll() first, so read()
 *     never waits and a 0-byte read means only a real end of input: a
 *     closed pipe or FIFO, the end of a file, a hung-up terminal.  On a
 *     terminal a person ends input with Ctrl-D on an empty line, which
 *     arrives as byte 4 and is the line editor's business.
 *   - Ctrl-C (VINTR) and Ctrl-Z (VSUSP) are plain keys, so Ctrl-C reaches
 *     wireboot as a key (it interrupts `sleep`, a download, a menu) and is
 *     never sent as SIGINT to the parent shell's process group; Ctrl-\
 *     (VQUIT) still kills the program, as an escape hatch.  IXON and IEXTEN
 *     are off so Ctrl-S, Ctrl-Q, Ctrl-V, Ctrl-O reach the editor too.
 *   - A SIGINT sent from outside (kill -INT, or Ctrl-C when stdin is not a
 *     terminal) is the Ctrl-C key.
 *   - Started in the background, it leaves the terminal alone until it is
 *     brought to the foreground (host_tty_claim()).
 * The saved settings are put back by host_console_restore(), by atexit(),
 * by handlers of SIGTERM, SIGHUP, SIGQUIT and of the crash signals (which
 * then hand the signal on to what was there before — the default action,
 * or the sanitizers' report — and the program dies of it as it would
 * have), and by the sanitizers' death callback in the ASan+UBSan build.
 */

static struct termios host_saved_tio;
static volatile sig_atomic_t host_tio_saved;
static volatile sig_atomic_t host_sigint;
static int host_stdin_eof;
static int host_tty;            /* stdin is a terminal (between init and restore) */

static const int host_fatal_sigs[] = { SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE,
				       SIGILL, SIGABRT };
#define HOST_NFATAL (sizeof(host_fatal_sigs) / sizeof(host_fatal_sigs[0]))
static struct sigaction host_old_sa[HOST_NFATAL];

static volatile sig_atomic_t host_sigint_seen;   /* a SIGINT arrived (exit 130) */
static int host_out_fd = 1;                      /* plat_write(): stdout, or stderr */

static void host_on_sigint(int sig)
{
	(void)sig;
	host_sigint = 1;
	host_sigint_seen = 1;
}

int host_interrupted(void)
{
	return host_sigint_seen;
}

void host_console_output(int fd)
{
	host_out_fd = fd;
}

/* Async-signal-safe: only tcsetattr. */
static void host_tty_put_back(void)
{
	if (host_tio_saved) {
		host_tio_saved = 0;
		tcsetattr(0, TCSANOW, &host_saved_tio);
	}
}

static void host_on_fatal(int sig, siginfo_t *si, void *uc)
{
	size_t i;

	(void)uc;
	host_tty_put_back();
	for (i = 0; i < HOST_NFATAL && host_fatal_sigs[i] != sig; i++)
		;
	if (i < HOST_NFATAL)
		sigaction(sig, &host_old_sa[i], NULL);
	else
		signal(sig, SIG_DFL);
	/* a fault the kernel raised (si_code > 0) happens again when we return,
	 * now under the old action, which sees the real faulting context; any
	 * other signal is sent again and arrives as soon as this handler ends */
	if ((sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL) && si &&
	    si->si_code > 0)
		return;
	raise(sig);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define HOST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HOST_SANITIZED 1
#endif
#ifdef HOST_SANITIZED
void __sanitizer_set_death_callback(void (*callback)(void));
#endif

static void host_console_atexit(void)
{
	host_tty_put_back();
}

/* Take the terminal when we are in its foreground process group: save its
 * settings and switch to key-at-a-time mode.  1 when done.  A program
 * started in the background (`wireboot run x.ipxe &`) leaves the terminal
 * alone (tcsetattr would stop it with SIGTTOU) and reads no keys until a
 * `fg` brings it to the front; plat_getkey() asks again each time. */
static int host_tty_claim(void)
{
	struct termios t;

	if (tcgetpgrp(0) != getpgrp() || tcgetattr(0, &host_saved_tio))
		return 0;
	t = host_saved_tio;
	t.c_lflag &= (tcflag_t)~(ICANON | ECHO | IEXTEN);
	t.c_iflag &= (tcflag_t)~(IXON);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	t.c_cc[VINTR] = _POSIX_VDISABLE;
	t.c_cc[VSUSP] = _POSIX_VDISABLE;
	host_tio_saved = 1;
	tcsetattr(0, TCSANOW, &t);
	return 1;
}

void host_console_init(void)
{
	static int once;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = host_on_sigint;
	sigaction(SIGINT, &sa, NULL);
	host_tty = isatty(0);
	if (host_tty && !once) {
		once = 1;
		atexit(host_console_atexit);
#ifdef HOST_SANITIZED
		__sanitizer_set_death_callback(host_console_atexit);
#endif
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = host_on_fatal;
		sa.sa_flags = SA_SIGINFO;
		sigfillset(&sa.sa_mask);
		for (size_t i = 0; i < HOST_NFATAL; i++) {
			sigaction(host_fatal_sigs[i], NULL, &host_old_sa[i]);
			/* a signal the parent told us to ignore stays ignored */
			if (host_old_sa[i].sa_handler != SIG_IGN)
				sigaction(host_fatal_sigs[i], &sa, NULL);
		}
	}
	if (host_tty)
		host_tty_claim();
	setvbuf(stdout, NULL, _IONBF, 0);
}

void host_console_restore(void)
{
	host_tty = 0;
	if (host_tio_saved) {
		host_tio_saved = 0;
		tcsetattr(0, TCSADRAIN, &host_saved_tio);
	}
}

void plat_write(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(host_out_fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {   /* stdout non-blocking (the caller's choice) */
				struct pollfd p = { .fd = host_out_fd, .events = POLLOUT };

				poll(&p, 1, 100);
				continue;
			}
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

int plat_getkey(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	unsigned char c;
	ssize_t r;

	if (host_sigint) {
		host_sigint = 0;
		return PLAT_KEY_CTRL_C;
	}
	if (host_stdin_eof)
		return PLAT_KEY_EOF;
	if (host_tty && !host_tio_saved && !host_tty_claim())
		return PLAT_KEY_NONE;    /* in the background: the terminal is not ours */
	/* nothing waiting: no key yet (poll also reports a closed pipe or a
	 * hung-up terminal as readable, so the read below sees the end) */
	if (poll(&p, 1, 0) <= 0)
		return PLAT_KEY_NONE;
	if (p.revents & POLLNVAL) {     /* no stdin at all */
		host_stdin_eof = 1;
		return PLAT_KEY_EOF;
	}
	r = read(0, &c, 1);
	if (r == 1)
		/* ANSI escape sequences arrive as plain bytes, as they do from a
		 * firmware serial console: the line editor decodes both */
		return c;
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return PLAT_KEY_NONE;
	/* 0: end of a pipe, FIFO or file, or a terminal hung up; an error
	 * (EIO: the terminal's other side is gone) ends input too */
	host_stdin_eof = 1;
	return PLAT_KEY_EOF;
}

/* ---- time ---- */

/*
 * WB_HOST_ENTROPY plays a firmware without EFI_RNG_PROTOCOL (tests/hosted/
 * claims-entropy.sh): "timer" — no platform RNG, so wb_entropy() falls back to
 * the timer-jitter source (core/jitter.c) on the real clock; "stuck-timer" — the
 * same, and the millisecond clock moves on at every 1000th read only, as a timer
 * with no jitter at all would: every jitter sample is the same count, which the
 * SP 800-90B health tests must refuse.  Unset (the default): getrandom.
 */
enum { HOST_ENT_GETRANDOM, HOST_ENT_TIMER, HOST_ENT_STUCK };

static int host_entropy_mode(void)
{
	static int mode = -1;

	if (mode < 0) {
		const char *e = getenv("WB_HOST_ENTROPY");

		mode = !e ? HOST_ENT_GETRANDOM : !strcmp(e, "timer") ? HOST_ENT_TIMER
			 : !strcmp(e, "stuck-timer") ? HOST_ENT_STUCK : HOST_ENT_GETRANDOM;
	}
	return mode;
}

uint64_t plat_ticks(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t plat_ticks_hz(void) { return 1000000000u; }

uint64_t plat_ms(void)
{
	static uint64_t stuck_base, stuck_reads;
	struct timespec ts;
	uint64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	if (host_entropy_mode() != HOST_ENT_STUCK)
		return ms;
	if (!stuck_base)
		stuck_base = ms;
	return stuck_base + ++stuck_reads / 1000;
}

int plat_rtc(int64_t *unix_secs)
{
	struct timespec ts;

	/* WB_HOST_NO_RTC=1 plays a board without a clock (U-Boot without an RTC) */
	if (getenv("WB_HOST_NO_RTC"))
		return -WB_ENOCLOCK;
	if (clock_gettime(CLOCK_REALTIME, &ts))
		return -WB_ENOCLOCK;
	*unix_secs = ts.tv_sec;
	return 0;
}

/* ---- entropy ---- */

int plat_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;

	if (host_entropy_mode() != HOST_ENT_GETRANDOM)
		return -WB_ENOENTROPY;   /* no platform RNG (WB_HOST_ENTROPY) */

	while (len) {
		ssize_t r = getrandom(p, len, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -WB_ENOENTROPY;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

const char *plat_entropy_source(void)
{
	return host_entropy_mode() == HOST_ENT_GETRANDOM ? "getrandom" : NULL;
}

/* ---- memory ---- */

static long host_allocs;
static long host_alloc_seq;    /* plat_malloc calls so far */
static long host_fail_seq;     /* the call that must fail (tests), 0: none */
static size_t host_alloc_max;  /* the largest request since host_alloc_largest() */

void *plat_malloc(size_t n)
{
	void *p;

	if (++host_alloc_seq == host_fail_seq)
		return NULL;
	if (n > host_alloc_max)
		host_alloc_max = n;
	p = malloc(n ? n : 1);
	if (p)
		host_allocs++;
	return p;
}

static void (*host_free_fn)(void *p);

void plat_free(void *p)
{
	if (p) {
		if (host_free_fn)
			host_free_fn(p);   /* the unit tests look at what is freed */
		host_allocs--;
		free(p);
	}
}

long host_live_allocs(void) { return host_allocs; }
long host_alloc_calls(void) { return host_alloc_seq; }
/* allocation-failure injection for the unit tests: the k-th plat_malloc from now
 * returns NULL (k >= 1); 0 turns it off */
void host_fail_alloc(long k) { host_fail_seq = k > 0 ? host_alloc_seq + k : 0; }
/* for the unit tests: the largest plat_malloc request since the last call (e.g. to show
   that a decompression bomb is refused without allocating its output) */
size_t host_alloc_largest(void) { size_t n = host_alloc_max; host_alloc_max = 0; return n; }
/* for the unit tests: @fn sees every block plat_free() is given, before it is freed
   (e.g. to check that a buffer which held secrets was wiped); NULL turns it off */
void host_free_hook(void (*fn)(void *p)) { host_free_fn = fn; }

/* ---- misc ---- */

uint32_t plat_tcp_window_default(void)
{
	return 256 * 1024;  /* the kernel's TAP queue absorbs far more than this */
}

const char *plat_link_stall_hint(void)
{
	return "";
}

static const char *host_load_opts = "";

void host_set_load_options(const char *s) { host_load_opts = s ? s : ""; }
const char *plat_load_options(void) { return host_load_opts; }

/* ---- firmware tables ---- */

/* The kernel exports the raw structure table (root only). */
int plat_smbios(const uint8_t **table, size_t *len)
{
	static uint8_t *dmi;
	static size_t dmi_len;
	static int tried;

	if (!tried) {
		FILE *f = fopen("/sys/firmware/dmi/tables/DMI", "rb");

		tried = 1;
		if (f) {
			dmi = malloc(65536);   /* process lifetime; not counted */
			if (dmi)
				dmi_len = fread(dmi, 1, 65536, f);
			fclose(f);
		}
	}
	if (!dmi || !dmi_len)
		return -WB_ENOENT;
	*table = dmi;
	*len = dmi_len;
	return 0;
}

/* ---- images ---- */

int plat_image_start(const void *data, size_t len, const char *cmdline,
		     const struct plat_image_file *files, size_t nfiles, unsigned flags,
		     int *exit_status)
{
	(void)data;
	(void)len;
	(void)cmdline;
	(void)files;
	(void)nfiles;
	(void)flags;
	(void)exit_status;
	return -WB_ENOTSUP;   /* EFI applications run only on firmware */
}

/* ---- SAN disks: only firmware can publish one ---- */

#define HOST_SAN_WHY "SAN disks are published only by the EFI build; on Linux, " \
	"`wireboot preflight iscsi:...` logs in and inspects the target"

int plat_san_publish(const struct plat_san_desc *d, const struct plat_disk_ops *ops, void *arg,
		     struct plat_san **out, char *msg, size_t msgcap)
{
	(void)d;
	(void)ops;
	(void)arg;
	*out = NULL;
	if (msg && msgcap)
		snprintf(msg, msgcap, "%s", HOST_SAN_WHY);
	return -WB_ENOTSUP;
}

int plat_san_boot(struct plat_san *h, const char *filename, int *exit_status, char *msg,
		  size_t msgcap)
{
	(void)h;
	(void)filename;
	(void)exit_status;
	if (msg && msgcap)
		snprintf(msg, msgcap, "%s", HOST_SAN_WHY);
	return -WB_ENOTSUP;
}

int plat_san_describe(struct plat_san *h, const struct plat_san_desc *d, char *msg, size_t msgcap)
{
	(void)h;
	(void)d;
	if (msg && msgcap)
		snprintf(msg, msgcap, "%s", HOST_SAN_WHY);
	return -WB_ENOTSUP;
}

void plat_san_unpublish(struct plat_san *h)
{
	(void)h;
}

int plat_file_read(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return -WB_ENOENT;
	for (;;) {
		size_t r;

		if (n == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 65536;
			nb = plat_malloc(cap);
			if (!nb) {
				plat_free(buf);
				fclose(f);
				return -WB_ENOMEM;
			}
			if (buf)
				memcpy(nb, buf, n);
			plat_free(buf);
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
}
