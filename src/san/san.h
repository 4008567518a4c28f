/*
 * san.h — block devices over the network (the `san` layer): what sanhook /
 * sanboot publish as EFI Block IO and what `wireboot preflight` inspects.
 *
 * Two device types behind the same calls: iSCSI (san_iscsi.c over
 * proto/iscsi_*) and HTTP(S) range requests (san_http.c, san_http.h).  Portable: no EFI or Linux
 * headers; connections come from the caller's environment (struct san_env),
 * exactly as the HTTP client gets its own (proto/http_client.h).
 *
 * Blocking model: san_read()/san_write()/san_flush() return when the I/O is
 * done or has failed for good, pumping env->poller meanwhile (the firmware's
 * Block IO calls are synchronous).  Inside, a request is split into commands
 * of at most MaxBurstLength, up to cfg.depth of them in flight within the
 * CmdSN window, and sequential reads are served from a read-ahead window.
 *
 * Recovery (ErrorRecoveryLevel 0): a dropped connection, a target restart, an
 * Async "logout requested" or a timed-out command (io_timeout_ms without any
 * answer to our commands: a target that only sends NOP-In pings, or keeps
 * the CmdSN window closed, times out too) → close, reconnect with back-off
 * (cfg.retry_ms in total), log in again (a new session, same ISID), and
 * reissue every command that was outstanding.  Bounded per command: at most
 * cfg.max_reissues reissues (-WB_ESANREISSUES) and cfg.cmd_timeout_ms in all
 * (-WB_ESANCMDTIMEOUT), each failing the request with a message naming the
 * command.  A read returns exactly
 * the target's data or an error, never data of another block.  A READ or
 * WRITE answered with a residual or short Data-In (even with status GOOD)
 * is reissued once, then fails with -WB_EISCSIRESIDUAL and a message naming
 * its LBA range.
 *
 * Secrets (cfg.secret, cfg.reverse_secret) are never logged or copied into
 * messages.
 */
#ifndef WB_SAN_H
#define WB_SAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/stream.h"

#define SAN_MSG_MAX 320

/** What a device needs from the machine around it. */
struct san_env {
	/**
	 * Open a TCP connection to @host:@port (a name or dotted quad).
	 * @return 0 and *out (may still be STREAM_CONNECTING; the caller closes
	 * it), or a negative WB_E*.  May block for name resolution.
	 */
	int (*connect)(void *arg, const char *host, uint16_t port, struct stream **out);
	void *arg;
	/*
	 * HTTP(S) devices only (san_http.c): a TLS connection to @host:@port,
	 * the server checked against the trust anchors for name @host, as
	 * struct http_env's connect with is_https = 1.  NULL: https:// devices
	 * are refused with -WB_ENOTLS.  Same arg and return rules as connect().
	 */
	int (*connect_tls)(void *arg, const char *host, uint16_t port, struct stream **out);
	struct stream_poller poller;   /* poll() steps the loop; cancel() → Ctrl-C */
	uint64_t (*now_ms)(void);      /* monotonic milliseconds */
	/** Cryptographic randomness (ISID, CHAP challenges): 0 or a negative error. */
	int (*rng)(void *arg, void *buf, size_t len);
	void *rng_arg;
	/** One line of progress or a warning (never a secret); NULL = quiet. */
	void (*log)(void *arg, const char *line);
	void *log_arg;
	/*
	 * Ctrl-C for a stalled request (NULL = none): asked, like
	 * poller.cancel, while san_read()/san_write()/san_flush() wait, but
	 * only once the request has had no answer from the target (or no
	 * connection) for SAN_STALL_MS; non-zero ends it with -WB_ECANCELED.
	 * For firmware callers (GRUB's ReadBlocks), whose Ctrl-C is otherwise
	 * disarmed: it may read the console, so it must not run while the
	 * target answers.  Never called from san_poll().
	 */
	int (*stall_cancel)(void *arg);
	void *stall_arg;
};

#define SAN_STALL_MS 1000u

/** One line (printf-style, cut at 255 bytes) through env->log; nothing when it is NULL. */
void san_env_log(const struct san_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct san_iscsi_cfg {
	const char *root_path;          /* iscsi:SERVER:PROTO:PORT:LUN:TARGET (RFC 4173) */
	const char *initiator;          /* our IQN (required) */
	const char *user, *secret;      /* one-way CHAP (NULL/"" = none) */
	const char *reverse_user, *reverse_secret;  /* mutual CHAP */
	uint8_t chap_algs[3];           /* CHAP_A preference, 0-terminated; all 0 = 7,6,5 */
	unsigned chap_flags;            /* ISCSI_CHAP_ALLOW_* (proto/iscsi_login.h) */
	int header_digest, data_digest; /* 1: offer CRC32C */
	uint32_t depth;                 /* commands in flight; 0 = 8 */
	uint32_t readahead;             /* read-ahead window in bytes; 0 = default, 1 = off */
	uint32_t io_timeout_ms;         /* a command with no answer this long → reconnect; 0 = 15000 */
	uint32_t retry_ms;              /* give up reconnecting after this long; 0 = 120000 */
	uint32_t login_timeout_ms;      /* connect + login; 0 = 15000 */
	/*
	 * Bounds on one command (setting san-retries): how many times it may be
	 * reissued after connections lost while it was outstanding at the
	 * target; 0 = SAN_REISSUES_DEFAULT, SAN_NO_REISSUE = never.
	 */
	uint32_t max_reissues;
	/* (setting san-command-timeout) one request's total time, reconnects and
	   NOT READY waits included; 0 = SAN_CMD_TIMEOUT_DEFAULT ms */
	uint32_t cmd_timeout_ms;
};

#define SAN_REISSUES_DEFAULT    3
#define SAN_NO_REISSUE          0xffffffffu
#define SAN_CMD_TIMEOUT_DEFAULT 180000u

/** What the device is, valid after san_iscsi_open(). */
#define SAN_KIND_ISCSI 0
#define SAN_KIND_HTTP  1

struct san_info {
	int kind;                       /* SAN_KIND_*; the iSCSI fields below are empty for HTTP */
	uint64_t blocks;                /* number of logical blocks */
	uint32_t block_size;            /* bytes */
	int read_only;                  /* write-protected (MODE SENSE WP bit) */
	int removable;
	char vendor[9], product[17], revision[5];   /* INQUIRY, trimmed */
	char target[224];               /* TargetName */
	char host[64];                  /* portal actually used (after redirects) */
	uint16_t port;
	uint8_t ip[4];                  /* portal address when it was a dotted quad / resolved */
	uint8_t lun[8];
	uint16_t tpgt;
	uint8_t isid[6];
	uint16_t tsih;
	int header_digest, data_digest; /* negotiated */
	uint8_t chap_alg;               /* 0 = no CHAP */
	int mutual;                     /* the target proved itself */
	uint8_t peripheral_type;        /* INQUIRY; 0 (disk) after a successful open */
	uint32_t max_recv_dsl, max_send_dsl;  /* MaxRecvDataSegmentLength ours / the target's */
	uint32_t max_burst;             /* negotiated MaxBurstLength: bytes per read command */
};

struct san_stats {
	uint64_t reads, writes, read_bytes, write_bytes;
	uint64_t readahead_hits;        /* requests served from the read-ahead window */
	uint32_t commands;              /* SCSI commands sent */
	uint32_t reconnects;            /* successful re-logins after a failure */
	uint32_t retries;               /* commands reissued */
	uint32_t nops_sent, nops_answered;  /* our NOP-Out pings and the NOP-Ins that answered them */
	uint32_t ua_retries;            /* commands repeated after UNIT ATTENTION */
	uint32_t target_nops;           /* the target's pings we answered */
	uint32_t readahead_fills;       /* read-ahead windows fetched */
};

/*
 * Every device type (san_iscsi.c, san_http.c) begins its own structure with
 * a struct san_dev whose ops carry its calls; the functions below dispatch.
 */
struct san_dev;
struct san_ops {
	int (*read)(struct san_dev *d, uint64_t lba, uint32_t nblocks, void *buf);
	int (*write)(struct san_dev *d, uint64_t lba, uint32_t nblocks, const void *buf);
	int (*flush)(struct san_dev *d);
	void (*poll)(struct san_dev *d);
	int (*close)(struct san_dev *d, uint32_t timeout_ms);   /* frees d */
	const struct san_info *(*info)(const struct san_dev *d);
	const struct san_stats *(*stats)(const struct san_dev *d);
	const char *(*error)(const struct san_dev *d);
};
struct san_dev {
	const struct san_ops *ops;
};

/**
 * Connect, log in (following login redirects, at most 4), INQUIRY (first, so
 * that a wrong LUN is named), TEST UNIT READY (waiting up to 30 s while NOT
 * READY, retrying UNIT ATTENTION), READ CAPACITY (10, then 16 when it
 * overflows), MODE SENSE for write protection.  Blocks (pumping
 * env->poller) for at most login_timeout_ms per login plus the probe.
 * On success *out owns copies of the cfg strings (secrets wiped on close).
 * @return 0 and *out, or a negative WB_E* with one line in @msg saying what
 * failed and what to check (e.g. which CHAP direction).
 */
int san_iscsi_open(const struct san_env *env, const struct san_iscsi_cfg *cfg,
		   struct san_dev **out, char *msg, size_t msgcap);

const struct san_info *san_info(const struct san_dev *d);
const struct san_stats *san_stats(const struct san_dev *d);

/** Read @nblocks blocks at @lba into @buf.  0 or a negative WB_E* (see san_error()). */
int san_read(struct san_dev *d, uint64_t lba, uint32_t nblocks, void *buf);
/** Write @nblocks blocks at @lba.  -WB_EROFS when the device is read-only. */
int san_write(struct san_dev *d, uint64_t lba, uint32_t nblocks, const void *buf);
/** SYNCHRONIZE CACHE. */
int san_flush(struct san_dev *d);
/**
 * Non-blocking service: read what the target sent (NOP-In answered, Async
 * handled), send our own NOP-Out ping when idle, reconnect if needed.  For a
 * firmware timer while another program (GRUB) owns the machine.  Never
 * waits and never pumps env->poller: a reconnect (connect, login, redirects)
 * or an Async logout advances one step per call, with back-off between
 * attempts; only env->connect itself may block (DNS for a portal given by
 * name).  Never call it from inside san_read()/san_write() (the EFI layer
 * guards re-entry).
 */
void san_poll(struct san_dev *d);
/** The last failure, one line (never a secret); "" when none. */
const char *san_error(const struct san_dev *d);
/**
 * Parse an iSCSI TargetAddress value (RFC 7143 §13.8, what a login redirect
 * carries): "host", "host:port" or "[IPv6]:port", each optionally followed
 * by ",tpgt" (ignored).  The host goes to @host (@hostcap bytes, without
 * brackets), the port (3260 when absent) to *@port.  Pure; for untrusted
 * input.  0 or -WB_ESANREDIRADDR.
 */
int san_iscsi_target_address(const char *a, char *host, size_t hostcap, uint16_t *port);

/**
 * Log out (bounded wait of @timeout_ms), close the connection and free @d.
 * @return 0 or the logout's error (the device is freed either way).
 */
int san_close(struct san_dev *d, uint32_t timeout_ms);

#endif
