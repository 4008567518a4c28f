#!/bin/sh
# Install what wireboot's build and tests need on Debian 12, and fetch the pinned
# lwIP and BearSSL sources with apt-get source into build/deps/.
# Idempotent: a stamp file per step skips work already done.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"
mkdir -p "$deps"

LWIP_VER=2.1.3+dfsg1-2
BEARSSL_VER=0.6+dfsg.1-3

PKGS="make clang lld llvm libclang-rt-14-dev dpkg-dev
      qemu-system-arm qemu-system-x86 qemu-utils u-boot-qemu ovmf
      dnsmasq chrony iproute2 iputils-ping python3 python3-pexpect
      ca-certificates procps psmisc openssl nginx-light curl tgt
      gdisk fdisk dosfstools mtools"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# chrony is only a test peer: never let its package start a system daemon that
# talks to the outside.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now chrony >/dev/null 2>&1 || true; fi

# deb-src entry for apt-get source
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    echo "deps: adding a deb-src entry"
    cat > /etc/apt/sources.list.d/wireboot-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
fi

fetch() { # name version dir
    [ -f "$deps/$3/.stamp-$2" ] && return 0
    echo "deps: apt-get source $1=$2"
    rm -rf "$deps/src-$1" "$deps/$3"
    mkdir -p "$deps/src-$1"
    (cd "$deps/src-$1" && apt-get source -qq "$1=$2" >/dev/null 2>&1) || {
        echo "deps: apt-get source $1=$2 failed (is deb.debian.org reachable? deb-src entry present?)" >&2
        exit 1
    }
    d=$(find "$deps/src-$1" -mindepth 1 -maxdepth 1 -type d | head -1)
    mv "$d" "$deps/$3"
    rm -rf "$deps/src-$1"
    touch "$deps/$3/.stamp-$2"
}
fetch lwip "$LWIP_VER" lwip
fetch bearssl "$BEARSSL_VER" bearssl
echo "deps: ok"
