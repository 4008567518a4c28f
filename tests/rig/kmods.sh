#!/bin/bash
# tests/rig/kmods.sh [ARCH] — optional: fetch Linux's own iBFT reader for the test disk.
# ARCH: amd64 (default; the iBFT exists only where the firmware has ACPI: OVMF x86_64).
#
# Downloads the exact kernel package the test disk uses (from build/deps/disk/ARCH/
# versions, with apt-get download: Debian's registry only) and keeps two modules,
# iscsi_boot_sysfs.ko and iscsi_ibft.ko, in build/deps/disk/ARCH/kmods/.  When that
# folder exists, tests/rig/mkdisk.sh puts them into the initramfs and /init loads them
# and prints what the kernel's iscsi_ibft driver parsed from the table
# (/sys/firmware/ibft/...: "WIREBOOT-KIBFT name=value" lines, never the secrets);
# tests/rig/sanboot.sh then checks those too.  Without it the test checks the raw ACPI
# table only.  ~70 MB download, once per kernel version.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "kmods: error: $*" >&2; exit 1; }
a=${1:-amd64}
d=$top/build/deps/disk/$a
[ -s "$d/versions" ] || die "$d/versions missing: run scripts/deps.sh first"
kv=$(sed -n 's/^\(linux-image-[^=]*\)=\(.*\)$/\1 \2/p' "$d/versions" | head -1)
[ -n "$kv" ] || die "no linux-image package in $d/versions"
set -- $kv
pkg=$1 ver=$2 rel=${1#linux-image-}
out=$d/kmods
[ -f "$out/.stamp-$pkg-$ver" ] && { echo "kmods: $out up to date ($pkg=$ver)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg:$a=$ver" >/dev/null) ||
	die "apt-get download $pkg:$a=$ver failed"
deb=$(ls "$tmp"/*.deb | head -1)
m=./lib/modules/$rel/kernel/drivers
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "$m/scsi/iscsi_boot_sysfs.ko" "$m/firmware/iscsi_ibft.ko" ||
	die "$deb has no iscsi_ibft.ko / iscsi_boot_sysfs.ko (compressed modules?)"
rm -rf "$out"
mkdir -p "$out"
cp "$tmp/$m/scsi/iscsi_boot_sysfs.ko" "$tmp/$m/firmware/iscsi_ibft.ko" "$out/"
touch "$out/.stamp-$pkg-$ver"
echo "kmods: $out: iscsi_boot_sysfs.ko iscsi_ibft.ko from $pkg=$ver"
