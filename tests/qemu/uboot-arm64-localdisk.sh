#!/bin/bash
# U-Boot 2023.01 arm64 (QEMU virt, TCG) boots the test disk image (tests/rig/mkdisk.sh)
# attached locally as virtio-blk: distro boot finds \EFI\BOOT\BOOTAA64.EFI, GRUB loads
# Debian's kernel and the initramfs, /init checks the 32 MiB payload and prints the
# marker, the machine powers off.  The time to the marker is the local baseline for the
# SAN boot (docs/dev/testdisk.md).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
disk_localdisk_test uboot-arm64
