#!/bin/bash
# OVMF x86_64 (QEMU q35, TCG) boots the test disk image (tests/rig/mkdisk.sh x86_64)
# attached locally as virtio-blk: \EFI\BOOT\BOOTX64.EFI = GRUB, Debian's amd64 kernel,
# the initramfs's /init checks the payload and prints the marker, the machine powers off.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
disk_localdisk_test ovmf-x64
