#!/bin/bash
# tests/rig/atftpd.sh — atftpd (Debian's `atftpd`, a TFTP server with RFC 7440
# windowsize) unpacked under build/deps/atftpd, not installed: the package conflicts
# with tftpd-hpa, which the tests need too.  Run by scripts/deps.sh; a no-op when the
# binary is there.  Tests use build/deps/atftpd/usr/sbin/atftpd.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$top/build/deps/atftpd
[ -x "$dir/usr/sbin/atftpd" ] && exit 0
mkdir -p "$dir/debs"
(cd "$dir/debs" && apt-get download -q -o APT::Sandbox::User=root atftpd >/dev/null) || {
	echo "atftpd: apt-get download atftpd failed (is the package archive reachable?)" >&2
	exit 1
}
dpkg-deb -x "$dir"/debs/atftpd_*.deb "$dir"
[ -x "$dir/usr/sbin/atftpd" ] || { echo "atftpd: no usr/sbin/atftpd in the package" >&2; exit 1; }
echo "atftpd: unpacked into $dir"
