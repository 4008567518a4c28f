#!/bin/bash
# make demo — the whole SAN boot chain, console shown as it runs: U-Boot 2023.01 arm64 in
# QEMU (TCG), in a private network namespace with dnsmasq (DHCP, DNS), nginx (HTTPS, a
# test PKI made now) and tgtd (iSCSI, mutual CHAP, LUN 1 = the test disk of
# tests/rig/mkdisk.sh: GPT, ESP with GRUB, Debian's arm64 kernel, a busybox initramfs).
# wireboot.efi, built with the test CA as its trust anchor, runs dhcp, chains
# https://boot.test/boot.ipxe, which sets the CHAP credentials and sanboots the LUN;
# wireboot publishes it as EFI Block IO, U-Boot binds the partition and FAT, GRUB
# starts from \EFI\BOOT\BOOTAA64.EFI and boots Linux, every read over iSCSI; Linux checks
# a 32 MiB payload it read through wireboot and prints WIREBOOT-MARKER, then powers off.
# The same checks as tests/qemu/uboot-arm64-sanboot.sh follow.  Everything is cleaned up
# afterwards (namespace, daemons, QEMU).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
echo "demo: U-Boot arm64 → wireboot → DHCP → HTTPS boot script → iSCSI (mutual CHAP) → GRUB → Linux"
echo "demo: under QEMU without KVM this takes a minute or two; the console follows."
DISK_SHOW=1 sanboot_e2e_test uboot-arm64
