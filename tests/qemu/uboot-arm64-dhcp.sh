#!/bin/bash
# uboot-arm64: DHCP over the firmware's SNP, then `exit` back to the firmware (see qemu_dhcp_test
# in tests/qemu/lib.sh for what is checked).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_dhcp_test uboot-arm64
