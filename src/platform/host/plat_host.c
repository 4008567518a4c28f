/*
 * plat_host.c — the platform on Linux: console on stdin/stdout, clocks from
 * clock_gettime, entropy from getrandom(2), malloc, and links over TAP
 * devices (tap.c).
 *
 * Allocation is counted so tests can check that nothing leaks
 * (host_live_allocs()).
 */
#include <errno.h>
#include <fcntl.h>
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

/* ---- console ---- */

static struct termios host_saved_tio;
static int host_tio_saved;
static volatile sig_atomic_t host_sigint;
static int host_stdin_eof;

static void host_on_sigint(int sig)
{
	(void)sig;
	host_sigint = 1;
}

void host_console_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = host_on_sigint;
	sigaction(SIGINT, &sa, NULL);
	if (isatty(0) && !tcgetattr(0, &host_saved_tio)) {
		struct termios t = host_saved_tio;

		t.c_lflag &= (tcflag_t)~(ICANON | ECHO);
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		tcsetattr(0, TCSANOW, &t);
		host_tio_saved = 1;
	}
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	setvbuf(stdout, NULL, _IONBF, 0);
}

void host_console_restore(void)
{
	if (host_tio_saved)
		tcsetattr(0, TCSANOW, &host_saved_tio);
	host_tio_saved = 0;
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) & ~O_NONBLOCK);
}

void plat_write(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(1, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				continue;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

int plat_getkey(void)
{
	unsigned char c;
	ssize_t r;

	if (host_sigint) {
		host_sigint = 0;
		return PLAT_KEY_CTRL_C;
	}
	if (host_stdin_eof)
		return PLAT_KEY_EOF;
	r = read(0, &c, 1);
	if (r == 0) {
		host_stdin_eof = 1;
		return PLAT_KEY_EOF;
	}
	if (r < 0)
		return PLAT_KEY_NONE;
	/* ANSI escape sequences arrive as plain bytes, as they do from a firmware
	 * serial console: the line editor (script/lineedit.c) decodes both */
	return c;
}

/* ---- time ---- */

uint64_t plat_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
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

const char *plat_entropy_source(void) { return "getrandom"; }

/* ---- memory ---- */

static long host_allocs;
static long host_alloc_seq;    /* plat_malloc calls so far */
static long host_fail_seq;     /* the call that must fail (tests), 0: none */

void *plat_malloc(size_t n)
{
	void *p;

	if (++host_alloc_seq == host_fail_seq)
		return NULL;
	p = malloc(n ? n : 1);
	if (p)
		host_allocs++;
	return p;
}

void plat_free(void *p)
{
	if (p) {
		host_allocs--;
		free(p);
	}
}

long host_live_allocs(void) { return host_allocs; }
long host_alloc_calls(void) { return host_alloc_seq; }
/* allocation-failure injection for the unit tests: the k-th plat_malloc from now
 * returns NULL (k >= 1); 0 turns it off */
void host_fail_alloc(long k) { host_fail_seq = k > 0 ? host_alloc_seq + k : 0; }

/* ---- misc ---- */

uint32_t plat_tcp_window_default(void)
{
	return 256 * 1024;  /* the kernel's TAP queue absorbs far more than this */
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

int plat_image_start(const void *data, size_t len, const char *cmdline, int *exit_status)
{
	(void)data;
	(void)len;
	(void)cmdline;
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
