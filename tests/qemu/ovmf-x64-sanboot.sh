#!/bin/bash
# ovmf-x64-sanboot: the whole chain on OVMF x86_64 (QEMU q35, TCG): dhcp → chain https://boot.test/boot.ipxe
# → sanboot (mutual CHAP) → GRUB → Linux prints the payload marker, every read over
# iSCSI (see sanboot_e2e_test in tests/rig/sanboot.sh for what is checked).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_e2e_test ovmf-x64
