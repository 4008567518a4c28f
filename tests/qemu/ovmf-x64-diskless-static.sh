#!/bin/bash
# ovmf-x64-diskless-static: ovmf-x64-diskless with a static address: after the chain,
# boot.ipxe gives wireboot 192.0.2.77 by hand, so the iBFT's NIC says origin manual and
# the initramfs configures that address with `iscsistart -N` (no DHCP in Linux) before
# `iscsistart -b` (see sanboot_e2e_test in tests/rig/sanboot.sh).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_e2e_test ovmf-x64 diskless static
