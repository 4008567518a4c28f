#!/bin/bash
# uboot-arm64-diskless: a diskless Linux on U-Boot arm64 (QEMU virt, TCG), docs/diskless.md:
# wireboot sanboots the iSCSI disk (mutual CHAP) → GRUB → Linux, whose initramfs logs in
# to the same target itself (iscsistart, the seed's timeouts) and switch_roots to the ext4
# partition 2 found by PARTUUID; its init prints the root marker and counts boots there.
# Booted twice on the same LUN: boot 2 reads what boot 1 wrote (see sanboot_e2e_test).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_e2e_test uboot-arm64 diskless
