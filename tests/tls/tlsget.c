/*
 * tlsget.c — test driver for src/tls until `wireboot fetch` is wired: a
 * kernel-socket stream (non-blocking, its own tiny back-end), tls_wrap() over
 * it, "GET PATH HTTP/1.0", the response printed.  A refusal prints
 * "REFUSED: <tls_strerror_detail>" and "CODE: <WB_E number>", exit 2.
 *
 *   tlsget [--trust CA.pem]... [--time UNIX|--no-time] [--cert CHAIN.pem --key KEY.pem]
 *          [-v] IP PORT NAME PATH
 *
 * Ends with the project allocator's leak check (exit 3 if anything leaked).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/jitter.h"
#include "core/stream.h"
#include "platform/platform.h"
#include "tls/pem.h"
#include "tls/tls.h"

long host_live_allocs(void);

struct sock_stream {
	struct stream base;
	int fd;
	enum stream_state st;
	int err;
};

static enum stream_state ss_state(const struct stream *s)
{
	struct sock_stream *k = (struct sock_stream *)(void *)s;

	if (k->st == STREAM_CONNECTING) {
		int e = 0;
		socklen_t l = sizeof(e);
		struct sockaddr_in a;
		socklen_t al = sizeof(a);

		getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &e, &l);
		if (e) {
			k->st = STREAM_ERROR;
			k->err = -WB_ECONNREFUSED;
		} else if (!getpeername(k->fd, (struct sockaddr *)&a, &al)) {
			k->st = STREAM_OPEN;
		}
	}
	return k->st;
}
static int ss_error(const struct stream *s) { return ((const struct sock_stream *)(const void *)s)->err; }
static int ss_send(struct stream *s, const void *b, size_t n)
{
	struct sock_stream *k = (struct sock_stream *)(void *)s;
	ssize_t r;

	if (ss_state(s) != STREAM_OPEN)
		return k->st == STREAM_ERROR ? k->err : 0;
	r = send(k->fd, b, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (r < 0)
		return errno == EAGAIN ? 0 : -WB_ECONNRESET;
	return (int)r;
}
static size_t ss_send_space(const struct stream *s) { return 65536; }
static int ss_recv(struct stream *s, void *b, size_t n)
{
	struct sock_stream *k = (struct sock_stream *)(void *)s;
	ssize_t r;

	if (ss_state(s) != STREAM_OPEN)
		return k->st == STREAM_ERROR ? k->err : (k->st == STREAM_EOF ? -WB_ECLOSED : 0);
	r = recv(k->fd, b, n, MSG_DONTWAIT);
	if (r == 0) {
		k->st = STREAM_EOF;
		return -WB_ECLOSED;
	}
	if (r < 0)
		return errno == EAGAIN ? 0 : -WB_ECONNRESET;
	return (int)r;
}
static size_t ss_recv_avail(const struct stream *s) { return 0; }
static void ss_close(struct stream *s)
{
	close(((struct sock_stream *)(void *)s)->fd);
	plat_free(s);
}
static const struct stream_ops ss_ops = { ss_state, ss_error, ss_send, ss_send_space, ss_recv,
					  ss_recv_avail, ss_close };

static int sock_connect(const char *ip, int port, struct stream **out)
{
	struct sock_stream *k = plat_malloc(sizeof(*k));
	struct sockaddr_in a;

	memset(k, 0, sizeof(*k));
	k->base.ops = &ss_ops;
	k->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &a.sin_addr);
	k->st = STREAM_CONNECTING;
	if (connect(k->fd, (struct sockaddr *)&a, sizeof(a)) && errno != EINPROGRESS) {
		k->st = STREAM_ERROR;
		k->err = -WB_ECONNREFUSED;
	}
	*out = &k->base;
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 20];

	if (!f) {
		perror(path);
		exit(1);
	}
	*len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[*len] = 0;
	return buf;
}

static void on_log(void *arg, const char *line)
{
	fprintf(stderr, "log: %s\n", line);
}

static void nap(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	struct tls_anchors ta = { 0 };
	struct tls_config cfg;
	struct stream *sock, *s;
	static br_x509_certificate chain[4];
	static uint8_t certder[4][8192], keyder[8192];
	static br_skey_decoder_context skd;
	size_t nchain = 0, len;
	char req[512], buf[4096], msg[512];
	int i, rc, verbose = 0, status = 0;
	uint64_t t0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.now = time(NULL);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--trust")) {
			const char *t = slurp(argv[++i], &len);

			if ((rc = tls_anchors_from_pem(&ta, t, len)) < 0) {
				printf("trust: %s\n", wb_strerror(rc));
				tls_anchors_free(&ta);
				return 1;
			}
		} else if (!strcmp(argv[i], "--time")) {
			cfg.now = strtoll(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--no-time")) {
			cfg.now = -1;
		} else if (!strcmp(argv[i], "--cert")) {
			const char *t = slurp(argv[++i], &len);
			size_t pos = 0;
			struct pem_block b;

			while (nchain < 4 && pem_next(t, len, &pos, &b, certder[nchain], sizeof(certder[0])) > 0) {
				chain[nchain].data = certder[nchain];
				chain[nchain].data_len = b.der_len;
				nchain++;
			}
		} else if (!strcmp(argv[i], "--key")) {
			const char *t = slurp(argv[++i], &len);
			size_t pos = 0;
			struct pem_block b;

			if (pem_next(t, len, &pos, &b, keyder, sizeof(keyder)) <= 0)
				return 1;
			br_skey_decoder_init(&skd);
			br_skey_decoder_push(&skd, keyder, b.der_len);
			if (br_skey_decoder_last_error(&skd))
				return 1;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = 1;
		}
	}
	if (argc - i != 4) {
		fprintf(stderr, "usage: tlsget [--trust CA.pem]... [--time T|--no-time] [--cert C --key K] [-v] IP PORT NAME PATH\n");
		return 1;
	}
	cfg.anchors = ta.ta;
	cfg.anchor_count = ta.count;
	cfg.log = on_log;
	cfg.verbose = verbose;
	if (nchain) {
		cfg.client_chain = chain;
		cfg.client_chain_len = nchain;
		if (br_skey_decoder_key_type(&skd) == BR_KEYTYPE_RSA)
			cfg.client_rsa = br_skey_decoder_get_rsa(&skd);
		else
			cfg.client_ec = br_skey_decoder_get_ec(&skd);
	}
	fprintf(stderr, "entropy: %s\n", wb_entropy_source());
	sock_connect(argv[i], atoi(argv[i + 1]), &sock);
	rc = tls_wrap(sock, argv[i + 2], &cfg, &s);
	if (rc) {
		printf("WRAP FAILED: %s\n", wb_strerror(rc));
		tls_anchors_free(&ta);
		return 1;
	}
	t0 = plat_ms();
	while (stream_state(s) == STREAM_CONNECTING && plat_ms() - t0 < 10000)
		nap();
	if (stream_state(s) != STREAM_OPEN) {
		printf("REFUSED: %s\n", tls_strerror_detail(s, msg, sizeof(msg)));
		printf("CODE: %d\n", -stream_error(s));
		status = 2;
		goto out;
	}
	printf("CIPHER: %s\n", tls_cipher_name(s));
	len = (size_t)snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", argv[i + 3], argv[i + 2]);
	for (size_t off = 0; off < len;) {
		rc = stream_send(s, req + off, len - off);
		if (rc < 0) {
			printf("SEND FAILED: %s\n", tls_strerror_detail(s, msg, sizeof(msg)));
			status = 2;
			goto out;
		}
		off += (size_t)rc;
		if (!rc)
			nap();
	}
	t0 = plat_ms();
	for (;;) {
		rc = stream_recv(s, buf, sizeof(buf) - 1);
		if (rc > 0) {
			fwrite(buf, 1, (size_t)rc, stdout);
			continue;
		}
		if (rc == -WB_ECLOSED) {
			printf("\nEND: close_notify\n");
			break;
		}
		if (rc == -WB_ETLSTRUNC) {   /* HTTP/1.0 with a length: fine here */
			printf("\nEND: TCP closed without close_notify\n");
			break;
		}
		if (rc < 0) {
			printf("\nRECV FAILED: %s\n", tls_strerror_detail(s, msg, sizeof(msg)));
			status = 2;
			break;
		}
		if (plat_ms() - t0 > 10000) {
			printf("\nTIMEOUT\n");
			status = 2;
			break;
		}
		nap();
	}
out:
	stream_close(s);
	tls_anchors_free(&ta);
	if (host_live_allocs()) {
		printf("LEAK: %ld allocations\n", host_live_allocs());
		return 3;
	}
	return status;
}
