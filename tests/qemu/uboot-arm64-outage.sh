#!/bin/bash
# uboot-arm64-outage: the diskless Linux of uboot-arm64-diskless.sh survives a 60 s target
# outage (docs/diskless.md).  Its root's /sbin/init (mode "outage", written into the
# test's copy of the image) starts iscsid, which takes over the initramfs's session, then
# runs a write/sync/read-back loop on the ext4 root; when the loop starts, the test
# SIGSTOPs the rig's tgtd for OUTAGE_SECS (60) s and SIGCONTs it.  Checked: the loop ends
# with errors=0 and every file's checksum intact, a round blocked during the outage, no
# I/O or ext4 error in the kernel log, the session failed and iscsid logged in again
# (tgtd lists a new I_T nexus), the seed's timeouts still in force afterwards.
# OUTAGE_CONTROL=1: the control run with open-iscsi's default timeouts in iscsid's node
# record (noop 5/5, replacement_timeout 120): observations printed, nothing judged.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/disk.sh
. tests/rig/sanboot.sh
sanboot_e2e_test uboot-arm64 outage
