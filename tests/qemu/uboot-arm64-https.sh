#!/bin/bash
# uboot-arm64: `chain https://…` of a script and an EFI application on this firmware
# (see qemu_https_test in tests/qemu/lib.sh for what is checked).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_https_test uboot-arm64
