#!/bin/bash
# tests/rig/rootdeps.sh [ARCH] — the pieces of the diskless-root test disk (docs/diskless.md)
# that the plain test disk does not need.  ARCH: arm64 (default) | amd64.
#
# Into build/deps/disk/ARCH/root/:
#   iscsi/      iscsistart from Debian's open-iscsi:ARCH and every shared library it needs,
#               found with readelf -d (NEEDED, transitively) and taken from Debian packages
#               with apt-get download (the package of a soname is found with dpkg -S on the
#               host, whose packages have the same names, see pkgof)
#   rootfs/     sbin/iscsid and sbin/iscsiadm from the same package and lib/ with their
#               libraries (found the same way), for the root file system (partition 2)
#   modules/    the kernel modules for iSCSI over TCP, virtio-net, SCSI disks and ext4 from
#               the exact kernel package the test disk uses, with their dependencies
#               (the depends= entry of each module's .modinfo); modules/order lists them in load order;
#               modules/order-ibft the ones /init loads in addition on the iBFT path
#               (iscsi_boot_sysfs, iscsi_ibft: Linux's reader of the iSCSI Boot Firmware
#               Table).  A module the kernel has built in (its modules.builtin) is skipped.
# Idempotent: a stamp names the kernel and open-iscsi versions; a current call is a no-op.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "rootdeps: error: $*" >&2; exit 1; }
a=${1:-arm64}
case $a in arm64 | amd64) ;; *) die "usage: rootdeps.sh [arm64|amd64]" ;; esac
d=$top/build/deps/disk/$a
[ -s "$d/versions" ] || die "$d/versions missing: run scripts/deps.sh first"
kv=$(sed -n 's/^\(linux-image-[^=]*\)=\(.*\)$/\1 \2/p' "$d/versions" | head -1)
[ -n "$kv" ] || die "no linux-image package in $d/versions"
set -- $kv
kpkg=$1 kver=$2 rel=${1#linux-image-}
out=$d/root
stamp=$out/.stamp-$kpkg-$kver-$(sha256sum "$0" | cut -c1-12)   # a new module list refetches
[ -f "$stamp" ] && { echo "rootdeps: $out up to date ($kpkg=$kver)"; exit 0; }
for t in apt-get dpkg-deb readelf; do command -v $t >/dev/null || die "$t missing"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dl() { (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$1" >/dev/null) || die "apt-get download $1 failed"; }

# ---- kernel modules ----------------------------------------------------------------
dl "$kpkg:$a=$kver"
dpkg-deb --fsys-tarfile "$tmp"/${kpkg}_*.deb | tar -x -C "$tmp" "./lib/modules/$rel/kernel" "./lib/modules/$rel/modules.builtin" ||
	die "unpacking the modules of $kpkg failed"
rm -f "$tmp"/${kpkg}_*.deb
mdir=$tmp/lib/modules/$rel/kernel
declare -A where=() done_=() builtin=()
while IFS= read -r f; do b=${f##*/}; b=${b%.ko}; where[${b//-/_}]=$f; done < <(find "$mdir" -name '*.ko')
while IFS= read -r f; do b=${f##*/}; b=${b%.ko}; builtin[${b//-/_}]=1; done <"$tmp/lib/modules/$rel/modules.builtin"
order=()
visit() {
	local m=${1//-/_} dep
	[ -n "${done_[$m]:-}" ] && return 0
	if [ -n "${builtin[$m]:-}" ]; then
		done_[$m]=1
		echo "rootdeps: $m is built into $kpkg"
		return 0
	fi
	[ -n "${where[$m]:-}" ] || die "module $m not in $kpkg"
	done_[$m]=1
	for dep in $(tr '\0' '\n' <"${where[$m]}" | sed -n 's/^depends=//p' | head -1 | tr , ' '); do visit "$dep"; done
	order+=("$m")
}
# virtio-net (on virtio-mmio: QEMU virt + U-Boot; on PCI: OVMF) and the SCSI disk driver, the iSCSI initiator, ext4 (+ its crc32c)
# ---- per architecture (ibftroot: amd64, and the iBFT reader for both) ----
case $a in
amd64) mods="virtio_pci virtio_net sd_mod iscsi_tcp crc32c_generic ext4" ;;   # q35: virtio on PCI only
*) mods="virtio_mmio virtio_pci virtio_net sd_mod iscsi_tcp crc32c_generic ext4" ;;
esac
for m in $mods; do visit "$m"; done
nbase=${#order[@]}
visit iscsi_ibft   # + iscsi_boot_sysfs (its depends=): /sys/firmware/ibft for iscsistart -b
rm -rf "$out.new"
mkdir -p "$out.new/modules" "$out.new/iscsi"
for m in "${order[@]}"; do cp "${where[$m]}" "$out.new/modules/$m.ko"; done
printf '%s\n' "${order[@]:0:nbase}" >"$out.new/modules/order"
printf '%s\n' "${order[@]:nbase}" >"$out.new/modules/order-ibft"
# ---- end per architecture ----

# ---- iscsistart and its libraries ----------------------------------------------------
dl "open-iscsi:$a"
oiver=$(dpkg-deb -f "$tmp"/open-iscsi_*.deb Version)
mkdir -p "$tmp/u"
dpkg-deb -x "$tmp"/open-iscsi_*.deb "$tmp/u"
ist=$(find "$tmp/u" -name iscsistart -type f | head -1)
[ -n "$ist" ] || die "open-iscsi:$a has no iscsistart"
cp "$ist" "$out.new/iscsi/iscsistart"
echo "open-iscsi=$oiver" >"$out.new/versions"
declare -A pkgdone=()
libdir=$out.new/iscsi/lib
mkdir -p "$libdir"
# pkgof SONAME — the Debian package shipping it: the host's own (same package names on
# every architecture), else the few the host may not have installed.
pkgof() {
	case $1 in
	ld-linux-*) echo libc6; return ;;
	libopeniscsiusr.so.*) echo libopeniscsiusr; return ;;
	libisns.so.*) echo libisns0; return ;;   # iscsid, iscsiadm (outage)
	esac
	{ dpkg -S "*/$1" 2>/dev/null || true; } | grep -v '^diversion' | head -1 | cut -d: -f1
}
need() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
# libclosure LIBDIR BIN... — every library BIN needs, transitively, copied into LIBDIR
libclosure() {
	local libdir=$1 f so p deb src todo
	shift
	todo=("$@")
	declare -A have=()
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}; todo=("${todo[@]:1}")
		for so in $(need "$f"); do
			[ -n "${have[$so]:-}" ] && continue
			p=$(pkgof "$so")
			[ -n "$p" ] || die "no package known for $so (no host package ships it: name it in pkgof)"
			if [ -z "${pkgdone[$p]:-}" ]; then
				pkgdone[$p]=1
				dl "$p:$a"
				deb=$(ls "$tmp"/${p}_*_$a.deb | head -1)
				echo "$p=$(dpkg-deb -f "$deb" Version)" >>"$out.new/versions"
				mkdir -p "$tmp/p-$p"
				dpkg-deb -x "$deb" "$tmp/p-$p"
				rm -f "$deb"
			fi
			src=$(find "$tmp/p-$p" -name "$so" | head -1)
			[ -n "$src" ] || die "$p:$a has no $so"
			cp -L "$src" "$libdir/$so"
			have[$so]=1
			todo+=("$libdir/$so")
		done
	done
}
libclosure "$libdir" "$out.new/iscsi/iscsistart"
# ---- iscsid and iscsiadm for the root file system (outage) ----------------------------
# rootfs/sbin/{iscsid,iscsiadm} from the same open-iscsi package and rootfs/lib with the
# libraries they need (their own closure: the initramfs keeps iscsistart's smaller one)
mkdir -p "$out.new/rootfs/sbin" "$out.new/rootfs/lib"
for b in iscsid iscsiadm; do
	f=$(find "$tmp/u" -path "*/sbin/$b" -type f | head -1)   # not /etc/init.d/iscsid
	[ -n "$f" ] || die "open-iscsi:$a has no sbin/$b"
	cp "$f" "$out.new/rootfs/sbin/$b"
done
libclosure "$out.new/rootfs/lib" "$out.new/rootfs/sbin/iscsid" "$out.new/rootfs/sbin/iscsiadm"
# ---- end iscsid and iscsiadm ----------------------------------------------------------
rm -rf "$out"
mv "$out.new" "$out"
touch "$stamp"
echo "rootdeps: $out: ${#order[@]} modules ($((${#order[@]} - nbase)) for the iBFT path) from $kpkg=$kver, iscsistart + $(ls "$out/iscsi/lib" | wc -l) libraries"
echo "rootdeps: $out/rootfs: iscsid, iscsiadm + $(ls "$out/rootfs/lib" | wc -l) libraries"
