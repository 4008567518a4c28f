#!/bin/bash
# ovmf-x64-sanboot-https: encrypted SAN boot on OVMF x86_64 (QEMU q35, TCG): dhcp →
# chain https://boot.test/boot.ipxe → `sanboot https://boot.test/disk.img` (nginx over
# TLS, range requests; no iSCSI target runs) → GRUB → Linux prints the payload marker
# (see sanboot_https_test in tests/rig/sanboot.sh).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_https_test ovmf-x64
