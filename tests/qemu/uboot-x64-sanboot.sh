#!/bin/bash
# uboot-x64-sanboot: the whole chain on U-Boot qemu-x86_64 (QEMU i440fx, TCG): dhcp → chain
# https://boot.test/boot.ipxe → sanboot (mutual CHAP) → GRUB → Linux prints the payload
# marker, every read over iSCSI (see sanboot_e2e_test in tests/rig/sanboot.sh for what
# is checked; the disk's kernel command line carries disable_mtrr_trim efi=noruntime,
# which this firmware needs with any disk: docs/iscsi.md "U-Boot x86_64").
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_e2e_test uboot-x64
