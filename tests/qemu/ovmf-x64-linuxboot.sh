#!/bin/bash
# ovmf-x64: `kernel https://…/vmlinuz … initrd=initrd.img` + `initrd https://…` + `boot` of
# Debian's kernel: the initrd by LoadFile2, two initrds concatenated, and by name from
# the file system (initrd=) with LoadFile2 off (see qemu_linuxboot_test in tests/qemu/lib.sh).
# LINUXBOOT_CASES="lf2 two sfs" (the default) picks cases.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_linuxboot_test ovmf-x64 "${LINUXBOOT_CASES:-lf2 two sfs}"
