#!/bin/bash
# uboot-arm64: bulk TCP receive must not wedge the NIC (see qemu_tcp_test in
# tests/qemu/lib.sh for what is checked).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_tcp_test uboot-arm64
