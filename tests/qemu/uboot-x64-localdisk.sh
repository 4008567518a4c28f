#!/bin/bash
# U-Boot 2023.01 qemu-x86_64 (i440fx, TCG) boots the test disk image attached locally as
# virtio-blk: bootefi starts \EFI\BOOT\BOOTX64.EFI = GRUB, Debian's amd64 kernel, the
# initramfs checks the payload and prints the marker, the kernel halts (no ACPI S5 on
# this machine).  The image carries disable_mtrr_trim efi=noruntime on its kernel
# command line (tests/rig/disk.sh DISK_UBOOT_X64_CMDLINE, docs/iscsi.md "U-Boot
# x86_64"): without them Linux dies on this firmware with or without wireboot.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
disk_localdisk_test uboot-x64
