#!/bin/sh
# scripts/deps.sh [--build]
#
# --build (what `make` and every build target run): the build set only — the compiler,
# linker and archiver, dpkg-dev and python3 — and the pinned lwIP, BearSSL and zlib sources
# fetched with apt-get source into build/deps/.  Run as root it installs what is missing
# with apt; otherwise it prints the one apt-get command to run and stops.
#
# Without --build (`make check`, `make demo`, `make bench`, `make deps`): also the test
# and demo set (QEMU, U-Boot, OVMF, the servers the tests run, ...), and the Debian
# packages the test disk image is made of (apt-get download, unpacked with dpkg-deb)
# into build/deps/disk/ (tests/rig/mkdisk.sh, docs/dev/testdisk.md).
# Idempotent: a stamp file per step skips work already done.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"
mkdir -p "$deps"

mode=all
case ${1:-} in
--build) mode=build ;;
"") ;;
*) echo "usage: scripts/deps.sh [--build]" >&2; exit 2 ;;
esac

LWIP_VER=2.1.3+dfsg1-2
BEARSSL_VER=0.6+dfsg.1-3
# zlib: only its inflate side is built (src/img/gzip.c, docs/commands.md "Compressed images")
ZLIB_VER=1:1.2.13.dfsg-1

BUILD_PKGS="make clang lld llvm dpkg-dev python3"
TEST_PKGS="libclang-rt-14-dev
      qemu-system-arm qemu-system-x86 qemu-utils u-boot-qemu ovmf
      dnsmasq chrony iproute2 iputils-ping python3-pexpect
      ca-certificates procps psmisc openssl nginx-light curl tgt
      gdisk dosfstools mtools cpio grub-common libiscsi-bin fdisk
      nftables tftpd-hpa vsftpd nfs-ganesha nfs-ganesha-vfs rpcbind libnfs-utils kea-dhcp4-server
      sbsigntool man-db groff-base"
if [ "$mode" = build ]; then PKGS=$BUILD_PKGS; else PKGS="$BUILD_PKGS $TEST_PKGS"; fi
root=0
[ "$(id -u)" = 0 ] && root=1

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] && [ $root = 0 ]; then
    echo "deps: missing Debian packages; as root, run:" >&2
    echo "    apt-get install --no-install-recommends$missing" >&2
    exit 1
fi
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # The test peers (tftpd-hpa, vsftpd, nfs-ganesha, rpcbind, kea, chrony) are started
    # by the tests inside their own namespaces; their packages must not start system
    # daemons. A policy-rc.d that refuses every start is put in place for the install
    # when the machine has none.
    own_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
        own_policy=1
    fi
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
fi
# chrony is only a test peer: never let its package start a system daemon that
# talks to the outside.
if [ "$mode" = all ] && command -v systemctl >/dev/null 2>&1; then systemctl disable --now chrony >/dev/null 2>&1 || true; fi

# deb-src entry for apt-get source: derived from this machine's own deb entries for its
# release (deb822 stanzas in sources.list.d, one-line entries in sources.list), so the
# source packages come from the same archive as its binary packages.
APT_DIR=${APT_DIR:-/etc/apt}
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
deb822_src() { # the deb stanzas of $1 that carry suite $codename, as deb-src
    awk -v rel="$codename" 'BEGIN { RS = ""; ORS = "\n\n" }
        /(^|\n)Types:[^\n]*deb([ \t\n]|$)/ && $0 ~ ("(^|\n)Suites:[^\n]*[ \t]" rel "([ \t\n]|$)") {
            sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$1"
}
oneline_src() { # the "deb URI SUITE ..." lines of $1 with suite $codename, as deb-src
    awk -v rel="$codename" '$1 == "deb" { n = 2; if ($2 ~ /^\[/) while (n <= NF && $n !~ /\]$/) n++;
        if ($2 ~ /^\[/) n++; if ($(n + 1) == rel) { sub(/^deb/, "deb-src"); print } }' "$1"
}
if ! grep -rqs -e '^Types:.*deb-src' -e '^deb-src' "$APT_DIR/sources.list.d/" && ! grep -qs '^deb-src' "$APT_DIR/sources.list"; then
    [ $root = 1 ] || { echo "deps: apt-get source needs a deb-src entry in $APT_DIR; run scripts/deps.sh --build once as root to add one derived from the machine's deb entries" >&2; exit 1; }
    [ -n "$codename" ] || { echo "deps: no VERSION_CODENAME in /etc/os-release: cannot add a deb-src entry" >&2; exit 1; }
    stanzas=$(for f in "$APT_DIR"/sources.list.d/*.sources; do [ -f "$f" ] || continue; deb822_src "$f"; done)
    lines=$(for f in "$APT_DIR"/sources.list "$APT_DIR"/sources.list.d/*.list; do [ -f "$f" ] || continue; oneline_src "$f"; done)
    if [ -z "$stanzas$lines" ]; then
        echo "deps: no deb entry for $codename in $APT_DIR to derive a deb-src entry from; add one for lwip, bearssl and zlib" >&2
        exit 1
    fi
    echo "deps: adding deb-src entries for $codename, derived from the machine's deb entries"
    if [ -n "$stanzas" ]; then printf '%s\n' "$stanzas" > "$APT_DIR/sources.list.d/wireboot-src.sources"; fi
    if [ -n "$lines" ]; then printf '%s\n' "$lines" > "$APT_DIR/sources.list.d/wireboot-src.list"; fi
    apt-get update -qq
fi

fetch() { # name version dir  (the stamp's name has the version's epoch colon as '_': make reads it)
    stamp=".stamp-$(printf '%s' "$2" | tr ':' '_')"
    [ -f "$deps/$3/$stamp" ] && return 0
    echo "deps: apt-get source $1=$2"
    rm -rf "$deps/src-$1" "$deps/$3"
    mkdir -p "$deps/src-$1"
    (cd "$deps/src-$1" && apt-get source -qq "$1=$2" >/dev/null 2>&1) || {
        echo "deps: apt-get source $1=$2 failed (is the package archive reachable? deb-src entry present?)" >&2
        exit 1
    }
    d=$(find "$deps/src-$1" -mindepth 1 -maxdepth 1 -type d | head -1)
    mv "$d" "$deps/$3"
    rm -rf "$deps/src-$1"
    touch "$deps/$3/$stamp"
}
fetch lwip "$LWIP_VER" lwip
fetch bearssl "$BEARSSL_VER" bearssl
fetch zlib "$ZLIB_VER" zlib
if [ "$mode" = build ]; then
    echo "deps: build set ok (tests and the demo need scripts/deps.sh without --build: make deps)"
    exit 0
fi

# --- Test disk image ingredients (tests/rig/mkdisk.sh) --------------------------------
# Per architecture: GRUB's EFI modules, Debian's kernel, a static busybox.  Each .deb is
# fetched with apt-get download into build/deps/disk/debs and unpacked with dpkg-deb
# into build/deps/disk/ARCH/PART; build/deps/disk/ARCH/versions lists package=version
# (mkdisk.sh keys its cache on it).  A failed download stops here, loudly.
diskdir="$deps/disk"
mkdir -p "$diskdir/debs"

# Fast path: nothing to do while every part is unpacked and apt's package lists have
# not changed since the versions were resolved (apt-cache is slow: seconds per call).
disk_current() {
    [ -f "$diskdir/.stamp-resolved" ] || return 1
    for a in arm64 amd64; do
        [ -s "$diskdir/$a/versions" ] || return 1
        for part in grub kernel busybox; do
            ls "$diskdir/$a/$part"/.stamp-* >/dev/null 2>&1 || return 1
        done
    done
    [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -newer "$diskdir/.stamp-resolved" 2>/dev/null | head -1)" ]
}

disk_fetch() {
    rm -f "$diskdir/.stamp-resolved"
    # The arm64 packages need arm64 in dpkg's architecture list (and its package lists).
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "deps: dpkg --add-architecture arm64"
        dpkg --add-architecture arm64
        apt-get update -qq
    fi
    if [ -z "$(apt-cache policy grub-efi-arm64-bin:arm64 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]; then
        echo "deps: no arm64 package lists yet: apt-get update"
        apt-get update -qq
    fi

    candidate() { # pkg[:arch] -> version apt would download
        apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2; exit}'
    }
    kernel_pkg() { # arch -> versioned kernel package the linux-image-ARCH metapackage depends on
        apt-cache depends "linux-image-$1:$1" 2>/dev/null |
            awk -v a="$1" '$1 == "Depends:" && $2 ~ "^linux-image-[0-9.]+-[0-9]+-" a "(:" a ")?$" {sub(":.*", "", $2); print $2; exit}'
    }
    # diskpkg DEBARCH PKG PART [WHAT] — download PKG:DEBARCH and unpack it (only the paths
    # WHAT, e.g. ./boot, when given) into $diskdir/DEBARCH/PART.
    diskpkg() {
        a=$1 p=$2 part=$3 what=${4:-}
        v=$(candidate "$p:$a")
        if [ -z "$v" ]; then
            echo "deps: no candidate for $p:$a (apt-get update? arm64 architecture added?)" >&2
            exit 1
        fi
        out="$diskdir/$a/$part"
        echo "$p=$v" >>"$diskdir/$a/versions.new"
        [ -f "$out/.stamp-$p-$v" ] && return 0
        echo "deps: apt-get download $p:$a=$v"
        rm -f "$diskdir/debs/${p}_"*"_$a.deb"
        (cd "$diskdir/debs" && apt-get download -q -o APT::Sandbox::User=root "$p:$a=$v" >/dev/null) || {
            echo "deps: apt-get download $p:$a=$v failed (is the package archive reachable?)" >&2
            exit 1
        }
        deb=$(ls "$diskdir/debs/${p}_"*"_$a.deb" 2>/dev/null | head -1)
        [ -n "$deb" ] || { echo "deps: $p:$a downloaded but no .deb found in $diskdir/debs" >&2; exit 1; }
        rm -rf "$out"
        mkdir -p "$out"
        if [ -n "$what" ]; then
            # only part of a large package (the kernel's modules are not needed)
            dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$out" "$what" || {
                echo "deps: unpacking $what from $deb failed" >&2; exit 1; }
        else
            dpkg-deb -x "$deb" "$out" || { echo "deps: dpkg-deb -x $deb failed" >&2; exit 1; }
        fi
        rm -f "$deb"
        touch "$out/.stamp-$p-$v"
    }
    for a in arm64 amd64; do
        mkdir -p "$diskdir/$a"
        rm -f "$diskdir/$a/versions.new"
        grub="grub-efi-$a-bin"
        kp=$(kernel_pkg "$a")
        [ -n "$kp" ] || { echo "deps: cannot resolve linux-image-$a to a versioned kernel package" >&2; exit 1; }
        diskpkg "$a" "$grub" grub
        diskpkg "$a" "$kp" kernel ./boot
        diskpkg "$a" busybox-static busybox
        if ! cmp -s "$diskdir/$a/versions.new" "$diskdir/$a/versions"; then
            mv "$diskdir/$a/versions.new" "$diskdir/$a/versions"
        else
            rm -f "$diskdir/$a/versions.new"
        fi
    done
    touch "$diskdir/.stamp-resolved"
}
disk_current || disk_fetch
# iscsistart, its libraries and the iSCSI/ext4 modules for the diskless-root test disk
# (tests/rig/rootdeps.sh, docs/diskless.md; a no-op when current)
bash "$(dirname "$0")/../tests/rig/rootdeps.sh" arm64
bash "$(dirname "$0")/../tests/rig/rootdeps.sh" amd64
# LIO and configfs modules from the same amd64 kernel for the LIO target guest (tests/rig/lio.sh)
bash "$(dirname "$0")/../tests/rig/lio.sh" deps
# atftpd (RFC 7440 windowsize) for the TFTP tests, unpacked, not installed (tests/rig/atftpd.sh)
bash "$(dirname "$0")/../tests/rig/atftpd.sh"
echo "deps: ok"
