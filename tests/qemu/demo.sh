#!/bin/bash
# make demo — the whole SAN boot chain to a shell on a diskless Linux whose root file
# system is on the iSCSI target (docs/diskless.md), console shown as it runs: U-Boot
# 2023.01 arm64 in QEMU (TCG), in a private network namespace with dnsmasq (DHCP, DNS),
# nginx (HTTPS, a test PKI made now) and tgtd (iSCSI, mutual CHAP, LUN 1 = a copy of the
# --root test disk of tests/rig/mkdisk.sh: GPT, ESP with GRUB, Debian's arm64 kernel and
# an initramfs with iscsistart, partition 2 an ext4 root).  wireboot.efi, built with the
# test CA as its trust anchor, runs dhcp, chains https://boot.test/boot.ipxe, which sets
# the CHAP credentials and sanboots the LUN; wireboot publishes it as EFI Block IO, GRUB
# starts from \EFI\BOOT\BOOTAA64.EFI and loads Linux over it; wireboot logs out at
# ExitBootServices.  Linux's initramfs logs in to the same target itself, mounts
# partition 2 and switch_roots; the root's init starts iscsid (which takes the session
# over) and opens a shell on the console ("shell" mode, written into the copy).
#
# stdin and stdout a terminal: the console is yours at the prompt (leave with
# `poweroff -f`, or Ctrl-A X to stop QEMU).  Otherwise (CI, `make demo </dev/null`):
# a few commands are typed at the prompt (the root mount, the iSCSI session's target,
# iscsiadm -m session, df), their output is shown and checked, then poweroff -f.  The
# SAN boot checks of tests/qemu/uboot-arm64-diskless.sh follow.  Everything is cleaned up
# afterwards (namespace, daemons, QEMU).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
echo "demo: U-Boot arm64 → wireboot → DHCP → HTTPS boot script → iSCSI (mutual CHAP) → GRUB → Linux → root on iSCSI → shell"
echo "demo: under QEMU without KVM this takes a minute or two; the console follows."
if [ -t 0 ] && [ -t 1 ]; then
	echo "demo: at the 'wireboot-diskless:/#' prompt the console is yours; 'poweroff -f' (or Ctrl-A X) ends it."
fi
DISK_SHOW=1 sanboot_e2e_test uboot-arm64 shell
