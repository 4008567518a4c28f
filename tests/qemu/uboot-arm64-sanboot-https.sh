#!/bin/bash
# uboot-arm64-sanboot-https: encrypted SAN boot on U-Boot arm64 (QEMU virt, TCG): dhcp →
# chain https://boot.test/boot.ipxe → `sanboot --verify --map-sha256 HEX
# https://boot.test/disk.img` (nginx over TLS, range requests, every chunk checked
# against the manifest `wireboot mkmap` made) → GRUB → Linux prints the payload marker;
# then the image with one byte changed after mkmap: refused with the chunk's message
# before GRUB (see sanboot_https_test in tests/rig/sanboot.sh).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_https_test uboot-arm64 verify
