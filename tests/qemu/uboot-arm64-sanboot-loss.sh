#!/bin/bash
# uboot-arm64-sanboot-loss: uboot-arm64-sanboot with 2 % of the packets dropped at random
# in each direction for the whole boot (tests/rig/rig.sh rig_loss: nftables in the test
# namespace): DHCP, the HTTPS script, CHAP login, GRUB's reads and Linux still get every
# byte right — the payload marker carries the SHA-256 Linux computed over iSCSI.
# How long it takes against the loss-free boot is measured by `make bench`
# (tests/bench/loss-bench.sh), not here.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
SANBOOT_LOSS=${SANBOOT_LOSS:-2} sanboot_e2e_test uboot-arm64
