/*
 * platform.h — everything the portable core asks of the machine it runs on.
 *
 * Two implementations: src/platform/efi (UEFI boot services, SNP links) and
 * src/platform/host (Linux, TAP links).  Nothing outside src/platform/ may
 * include a UEFI or Linux header; the core sees only this file.
 *
 * All functions are non-blocking unless stated.  Errors are negative WB_E*
 * codes from core/err.h.
 */
#ifndef WB_PLATFORM_H
#define WB_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* ---- identity --------------------------------------------------------- */

/** "efi" or "host" (the value of ${builtin/platform}). */
const char *plat_name(void);
/** "arm64" or "x86_64" (${builtin/buildarch}). */
const char *plat_arch(void);
/** Firmware vendor, e.g. "U-Boot", "EDK II", or "linux" on the host. */
const char *plat_firmware(void);
/** DHCP option 93 client architecture: 0x000b arm64 UEFI, 0x0007 x64 UEFI. */
uint16_t plat_dhcp_arch(void);

/* ---- console ---------------------------------------------------------- */

/** Write @n bytes of UTF-8/ASCII text to the console ('\n' becomes CRLF on EFI). */
void plat_write(const char *s, size_t n);

/* Key codes above 0xff returned by plat_getkey() */
#define PLAT_KEY_NONE   (-1)
#define PLAT_KEY_EOF    (-2)   /* input closed (host stdin at EOF) */
#define PLAT_KEY_CTRL_C 3
#define PLAT_KEY_UP     0x101
#define PLAT_KEY_DOWN   0x102
#define PLAT_KEY_RIGHT  0x103
#define PLAT_KEY_LEFT   0x104
#define PLAT_KEY_HOME   0x105
#define PLAT_KEY_END    0x106
#define PLAT_KEY_DEL    0x107
/** Next key if one is waiting, else PLAT_KEY_NONE.  Never blocks. */
int plat_getkey(void);

/* ---- time ------------------------------------------------------------- */

/** Monotonic milliseconds since an arbitrary origin.  Never goes back. */
uint64_t plat_ms(void);
/**
 * A fine, cheap counter for profiling (net_prof): EFI arm64 CNTVCT_EL0,
 * x86_64 the TSC, host nanoseconds.  plat_ticks_hz(): its rate (0 before
 * the platform calibrated it).
 */
uint64_t plat_ticks(void);
uint64_t plat_ticks_hz(void);
/**
 * Wall-clock time from the machine's clock (EFI GetTime / host time()).
 * @return 0 and *unix_secs, or -WB_ENOCLOCK when the firmware has no clock.
 */
int plat_rtc(int64_t *unix_secs);

/* ---- entropy ---------------------------------------------------------- */

/** Fill @buf with @len bytes from the platform RNG.  -WB_ENOENTROPY if none. */
int plat_entropy(void *buf, size_t len);
/** Name of the entropy source in use ("EFI_RNG_PROTOCOL", "getrandom"), or NULL. */
const char *plat_entropy_source(void);

/* ---- memory ----------------------------------------------------------- */

/** Allocate @n bytes (suitably aligned for any type); NULL when out of memory. */
void *plat_malloc(size_t n);
/** Free memory from plat_malloc(); NULL is ignored. */
void plat_free(void *p);

/* ---- links (raw Ethernet) -------------------------------------------- */

struct plat_link;

struct plat_link_info {
	char name[32];      /* firmware/host description, e.g. "tap0" or a device path */
	uint8_t mac[6];
	uint16_t mtu;       /* payload MTU, normally 1500 */
	int media_present;  /* 1 up, 0 down, -1 unknown */
};

/** Number of links the platform found (SNP handles / --tap devices). */
int plat_link_count(void);
/** Link @i (0-based) or NULL. */
struct plat_link *plat_link_get(int i);
/** Bring the link up (SNP Start/Initialize, filters).  Idempotent. */
int plat_link_open(struct plat_link *l);
/** Bring it down (SNP Shutdown/Stop).  Idempotent. */
void plat_link_close(struct plat_link *l);
/** Describe the link. */
void plat_link_info(struct plat_link *l, struct plat_link_info *out);
/**
 * Send one complete Ethernet frame (14-byte header included, no FCS).
 * The frame is copied; the caller keeps ownership.
 * @return 0, -WB_EAGAIN when the transmit ring is full, -WB_ELINK on error.
 */
int plat_link_tx(struct plat_link *l, const void *frame, size_t len);
/**
 * Receive one frame into @buf.
 * @return frame length, 0 when nothing is waiting, or -WB_ELINK.
 */
int plat_link_rx(struct plat_link *l, void *buf, size_t cap);

/**
 * Default TCP receive window (bytes) for links on this platform: what a burst
 * in flight may hold without overrunning the firmware's receive ring between
 * two polls.  Small on U-Boot, large on EDK2 and the host.
 */
uint32_t plat_tcp_window_default(void);

/**
 * What to tell the user when a connection that is owed data receives nothing
 * at all, not even the answers to keep-alive probes (tcpstream.c): a known
 * firmware receive-path fault if this firmware has one, else "".  Never NULL.
 */
const char *plat_link_stall_hint(void);

/* ---- firmware tables -------------------------------------------------- */

/**
 * The SMBIOS structure table (not the entry point), or -WB_ENOENT when the
 * machine has none.  The memory stays valid while wireboot runs.
 */
int plat_smbios(const uint8_t **table, size_t *len);

/* ---- images ------------------------------------------------------------ */

/**
 * Read the whole file @path (EFI: on the volume wireboot was loaded from,
 * '/' or '\\' separators; host: the path as given).  @data is plat_malloc'd,
 * the caller frees it.  -WB_ENOENT, -WB_ENODEV (no file system), -WB_ETOOBIG.
 */
int plat_file_read(const char *path, uint8_t **data, size_t *len);

/**
 * One fetched image the started program may read (see plat_image_start).
 * @initrd: part of the initrd handed to a Linux EFI stub (in list order).
 */
struct plat_image_file {
	const char *name;
	const void *data;
	size_t len;
	int initrd;
};

/* plat_image_start @flags */
#define PLAT_IMAGE_NO_LOADFILE2 0x1u   /* do not offer the initrd by LoadFile2 */

/**
 * Start the EFI application in @data[0..len) with @cmdline as its load
 * options, and return when it exits (its status in *exit_status: 0 success).
 * While it runs, @files[0..nfiles) (borrowed; may be NULL/0) are offered to
 * it: every one by name on a read-only file system on its device handle
 * (EFI: EFI_SIMPLE_FILE_SYSTEM_PROTOCOL, for `initrd=NAME` loaders), and the
 * ones marked initrd, concatenated in order, through the Linux initrd
 * LoadFile2 device path (unless @flags has PLAT_IMAGE_NO_LOADFILE2).  Both
 * are withdrawn before this returns.
 * @return 0 (it ran), -WB_EBADPE (the firmware refused it as a PE image),
 * -WB_ESECUREBOOT, -WB_EIMAGESTART, -WB_EINITRDLF2 (the LoadFile2 handle could
 * not be installed), -WB_ENOMEM, -WB_ENOTSUP (the hosted build cannot start
 * EFI images).
 */
int plat_image_start(const void *data, size_t len, const char *cmdline,
		     const struct plat_image_file *files, size_t nfiles, unsigned flags,
		     int *exit_status);

/* ---- SAN disks (sanhook / sanboot) ------------------------------------- */

/**
 * How the platform reaches a published disk.  Every call comes from the
 * platform while firmware or a booted program (GRUB, an OS loader) uses the
 * disk; the core implements them over the SAN layer (san/san.h).
 *   read/write  @n blocks at @lba; 0 or a negative WB_E*.  Blocking.
 *   flush       write back the target's cache; 0 or a negative WB_E*.
 *   poll        non-blocking service (keep the session and the network
 *               alive while another program owns the machine).  Called from
 *               a firmware timer, never while any other op is running and
 *               never while wireboot's own code runs.
 *   shutdown    the OS is taking over (ExitBootServices): log out with a
 *               short bounded wait.  No memory may be allocated or freed
 *               (plat_malloc returns NULL, plat_free does nothing then).
 *               No op is called afterwards.
 */
struct plat_disk_ops {
	int (*read)(void *arg, uint64_t lba, uint32_t n, void *buf);
	int (*write)(void *arg, uint64_t lba, uint32_t n, const void *buf);
	int (*flush)(void *arg);
	void (*poll)(void *arg);
	void (*shutdown)(void *arg);
};

/** What the platform needs to describe a network disk (EFI: device path nodes). */
#define PLAT_SAN_ISCSI 0
#define PLAT_SAN_HTTP  1

struct plat_san_desc {
	int kind;                    /* PLAT_SAN_ISCSI or PLAT_SAN_HTTP */
	/*
	 * PLAT_SAN_HTTP: the image's URL for the device path (EFI: a URI
	 * node after the NIC's; no iSCSI node): scheme://host[:port]/path,
	 * never user info or a query (no secrets in a device path).  The
	 * iSCSI fields below (lun … mutual) are unused then.
	 */
	const char *uri;
	unsigned drive;              /* iPXE drive number (0x80 …), for messages */
	uint32_t block_size;         /* bytes */
	uint64_t blocks;             /* number of blocks */
	int read_only;
	int link;                    /* plat_link index of the NIC carrying it, -1 unknown */
	unsigned vlan;               /* 802.1Q tag of the interface, 0 none */
	uint8_t mac[6];              /* that NIC's address (when the firmware gives no path) */
	uint8_t local_ip[4], netmask[4], gateway[4];
	int static_ip;               /* 1 configured by hand, 0 by DHCP */
	uint8_t target_ip[4];
	uint16_t target_port;
	uint8_t lun[8];              /* SAM LUN as on the wire */
	uint16_t tpgt;               /* target portal group tag */
	const char *target_name;     /* IQN */
	int header_digest, data_digest, chap, mutual;  /* login options, for the path */
	/* for plat_san_describe() (iBFT) only; plat_san_publish() ignores them */
	const char *initiator;       /* our IQN */
	const char *hostname;        /* NULL when unknown */
	uint8_t dns[2][4];           /* 0.0.0.0 = none */
	uint8_t dhcp_server[4];      /* the server that configured local_ip; 0.0.0.0 = none */
	const char *chap_user, *chap_secret;     /* as logged in (NULL when no CHAP) */
	const char *rchap_user, *rchap_secret;   /* mutual CHAP (NULL when one-way) */
};

struct plat_san;

/**
 * Publish a disk to the firmware (EFI: Block IO + device path on a new
 * handle, then ConnectController so partition and file system drivers
 * bind).  @ops/@arg stay in use until plat_san_unpublish() (or an OS takes
 * over).  @return 0 and *out, or a negative WB_E* with one line in @msg:
 * -WB_ENOTSUP on the host build (use `wireboot preflight`), -WB_ESANPUBLISH
 * when the firmware refuses.
 */
int plat_san_publish(const struct plat_san_desc *d, const struct plat_disk_ops *ops, void *arg,
		     struct plat_san **out, char *msg, size_t msgcap);

/**
 * Find @filename ('/' or '\\') on a file system of the published disk,
 * LoadImage it with its full device path and StartImage it; return when it
 * exits (*exit_status 0 = success).  @return 0 (it ran), -WB_ESANNOFS (no
 * file system bound on the disk), -WB_ESANNOFILE, -WB_EBADIMAGE,
 * -WB_EIMAGESTART, -WB_ENOTSUP (host), with one line in @msg.
 */
int plat_san_boot(struct plat_san *h, const char *filename, int *exit_status, char *msg,
		  size_t msgcap);

/**
 * Describe the disk @h, published from @d, to the OS: EFI installs an iSCSI
 * Boot Firmware Table (san/ibft.h) with EFI_ACPI_TABLE_PROTOCOL; it is
 * withdrawn again by plat_san_unpublish().  The table carries @d's CHAP
 * secrets for the OS (that is its purpose); @msg never does.  @d's strings
 * need only live during the call.  @return 0 with "described to the OS by
 * an iBFT (N bytes)" in @msg, or -WB_ENOTSUP with the reason in @msg (no
 * EFI_ACPI_TABLE_PROTOCOL, as on U-Boot; the host build), -WB_EINVAL (a
 * name too long for the table), -WB_ENOMEM, -WB_EIBFTINSTALL.
 */
int plat_san_describe(struct plat_san *h, const struct plat_san_desc *d, char *msg, size_t msgcap);

/**
 * Withdraw the disk: no op is called after this returns.  Where the firmware
 * keeps children bound (U-Boot), the Block IO stays installed but reports
 * no media, and its memory is never freed.
 */
void plat_san_unpublish(struct plat_san *h);

/* ---- application ------------------------------------------------------ */

/**
 * Commands the firmware passed in the image's load options (U-Boot bootargs),
 * as one string of ';'- or newline-separated commands, or "" when none.
 */
const char *plat_load_options(void);

#endif
