#!/bin/bash
# ovmf-x64: the image commands (file: URIs, a chained script, an EFI application with
# load options) on this firmware (see qemu_image_test in tests/qemu/lib.sh).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_image_test ovmf-x64
