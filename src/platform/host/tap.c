/*
 * tap.c — links over Linux TAP devices (IFF_TAP | IFF_NO_PI): each read()
 * is one Ethernet frame, exactly what SNP gives us in firmware.  The device
 * must exist (ip tuntap add mode tap name NAME); we only attach to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/util.h"
#include "platform/host/host.h"
#include "platform/platform.h"

#define HOST_MAX_LINKS 8

struct plat_link {
	char ifname[IFNAMSIZ];
	uint8_t mac[6];
	int fd;
};

static struct plat_link host_links[HOST_MAX_LINKS];
static int host_nlinks;

int host_tap_add(const char *ifname, const uint8_t *mac)
{
	struct plat_link *l;

	if (host_nlinks == HOST_MAX_LINKS || strlen(ifname) >= IFNAMSIZ)
		return -WB_EINVAL;
	l = &host_links[host_nlinks];
	memset(l, 0, sizeof(*l));
	wb_strlcpy(l->ifname, ifname, sizeof(l->ifname));
	l->fd = -1;
	if (mac) {
		memcpy(l->mac, mac, 6);
	} else {
		/* locally administered, stable per TAP name */
		uint32_t h = wb_crc32(0, ifname, strlen(ifname));

		l->mac[0] = 0x02;
		l->mac[1] = 0x57;
		wb_put32(l->mac + 2, h);
	}
	host_nlinks++;
	return 0;
}

int plat_link_count(void) { return host_nlinks; }

struct plat_link *plat_link_get(int i)
{
	return i >= 0 && i < host_nlinks ? &host_links[i] : NULL;
}

/* 1 when a network device @ifname exists in this namespace (SIOCGIFINDEX) */
static int tap_exists(const char *ifname)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ok;

	if (s < 0)
		return 1;   /* cannot tell: let TUNSETIFF say */
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ok = ioctl(s, SIOCGIFINDEX, &ifr) == 0;
	close(s);
	return ok;
}

int plat_link_open(struct plat_link *l)
{
	struct ifreq ifr;

	if (l->fd >= 0)
		return 0;
	/* TUNSETIFF on a name that does not exist would create a new device:
	 * attach only to one that is there (the CLI checks this up front too) */
	if (!tap_exists(l->ifname)) {
		wb_printf("%s: no such TAP device (wireboot never creates one)\n", l->ifname);
		return -WB_ELINK;
	}
	l->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (l->fd < 0) {
		wb_printf("%s: cannot open /dev/net/tun: %s\n", l->ifname, strerror(errno));
		return -WB_ELINK;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, l->ifname, strlen(l->ifname));
	if (ioctl(l->fd, TUNSETIFF, &ifr) < 0) {
		wb_printf("%s: cannot attach to TAP device: %s (does it exist in this "
			  "namespace?)\n", l->ifname, strerror(errno));
		close(l->fd);
		l->fd = -1;
		return -WB_ELINK;
	}
	return 0;
}

void plat_link_close(struct plat_link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

void host_links_close(void)
{
	for (int i = 0; i < host_nlinks; i++)
		plat_link_close(&host_links[i]);
}

/*
 * Link state as the kernel sees the TAP device: administratively up
 * (IFF_UP) and carrier on (/sys/class/net/NAME/carrier).  IFF_RUNNING is
 * not used: it follows the operational state, which the kernel updates
 * asynchronously up to a second after we attach.
 */
static int tap_carrier(const struct plat_link *l)
{
	struct ifreq ifr;
	char path[64], c = '1';
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), up = -1, fd;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, l->ifname, strlen(l->ifname));
	if (!ioctl(s, SIOCGIFFLAGS, &ifr))
		up = (ifr.ifr_flags & IFF_UP) ? 1 : 0;
	close(s);
	if (up != 1)
		return up;
	wb_snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", l->ifname);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '1';
		close(fd);
	}
	return c == '0' ? 0 : 1;
}

void plat_link_info(struct plat_link *l, struct plat_link_info *out)
{
	memset(out, 0, sizeof(*out));
	wb_strlcpy(out->name, l->ifname, sizeof(out->name));
	memcpy(out->mac, l->mac, 6);
	out->mtu = 1500;
	out->media_present = l->fd >= 0 ? tap_carrier(l) : -1;
}

int plat_link_tx(struct plat_link *l, const void *frame, size_t len)
{
	ssize_t w;

	if (l->fd < 0)
		return -WB_ELINK;
	w = write(l->fd, frame, len);
	if (w < 0 && (errno == EAGAIN || errno == ENOBUFS))
		return -WB_EAGAIN;
	if (w < 0 && errno == EIO)
		return -WB_ELINKDOWN;   /* the device is administratively down */
	return w == (ssize_t)len ? 0 : -WB_ELINK;
}

int plat_link_rx(struct plat_link *l, void *buf, size_t cap)
{
	ssize_t r;

	if (l->fd < 0)
		return -WB_ELINK;
	r = read(l->fd, buf, cap);
	if (r < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -WB_ELINK;
	return (int)r;
}
