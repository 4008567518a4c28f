#!/bin/bash
# ovmf-x64-diskless: a diskless Linux on OVMF x86_64 (QEMU q35, TCG), docs/diskless.md:
# wireboot sanboots the iSCSI disk (mutual CHAP) and describes it in an iBFT → GRUB →
# Linux, whose kernel command line names no target: the initramfs loads iscsi_ibft,
# brings up the iBFT's NIC, logs in with `iscsistart -b` (target, initiator and CHAP
# from the table; the seed's timeouts) and switch_roots to the ext4 partition 2 found by
# PARTUUID; its init prints the root marker and counts boots there.  Booted twice on
# the same LUN: boot 2 reads what boot 1 wrote (see sanboot_e2e_test).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_e2e_test ovmf-x64 diskless
