#!/bin/bash
# san-write.sh — san_write()/san_flush() against tgtd: tests/san/sanio.c (built by
# `make build/test/sanio` under ASan+UBSan) writes a seeded random pattern at several LBAs
# (sizes unaligned to MaxBurstLength, several commands and R2Ts each), flushes, reads each
# range back and compares, checks read-after-write inside the read-ahead window, and
# applies the same writes with pwrite() to a copy of the original image.  Then, from the
# host side, the target's backing file must equal that copy (cmp and sha256sum), and the
# untouched parts must be unchanged.  With and without CRC32C digests.
. "$(dirname "$0")/lib.sh"
top=$RIG_TOP
DRV=$top/build/test/sanio
[ -x "$DRV" ] || { echo "FAIL: san-write: $DRV not built (make build/test/sanio)"; exit 1; }

wb_iscsi_names
SIZE=$((16 * 1024 * 1024))

wb_rig sanwrite nodhcp
IMG="$RIG_DIR/disk.img"
head -c "$SIZE" /dev/urandom >"$IMG"
cp "$IMG" "$RIG_DIR/orig.img"
rig_tgtd "$IQN" "$IMG" "$USER_" "$SECRET" "$MUSER" "$MSECRET"

# sanio ID SEED [args] — the driver in the namespace; the mirror is a copy of the image
# as it is before this run
sanio() {
	local id=$1 seed=$2; shift 2
	cp "$IMG" "$RIG_DIR/$id.mirror"
	wb_exec "$id" 120 env WIREBOOT_SECRET="$SECRET" WIREBOOT_REVERSE_SECRET="$MSECRET" \
		"$DRV" "$ROOT" --user "$USER_" --reverse-user "$MUSER" --seed "$seed" --mirror "$RIG_DIR/$id.mirror" "$@" \
		</dev/null
	wb_expect_no_secret "$id"
}

sanio plain 12345 --depth 8
wb_expect_ok "writes: written, flushed, read back equal"
wb_expect_out "writes: no digests" 'digests header None data None$'
wb_expect_out "writes: a range of two bursts + 77 blocks verified" '^sanio: verified 1101 blocks at LBA 3001$'
wb_expect_out "writes: read after write inside the read-ahead window" 'read-ahead window ok'
if cmp -s "$IMG" "$RIG_DIR/plain.mirror"; then rig_pass "writes: the target's backing file equals the host-side mirror"
else rig_fail "writes: the target's backing file equals the host-side mirror" "$(cmp "$IMG" "$RIG_DIR/plain.mirror" | head -1)"; fi
rig_expect_eq "writes: sha256 of the backing file" "$(sha256sum <"$IMG")" "$(sha256sum <"$RIG_DIR/plain.mirror")"
if cmp -s "$IMG" "$RIG_DIR/orig.img"; then rig_fail "writes: the backing file really changed"
else rig_pass "writes: the backing file really changed"; fi
# bytes outside the written ranges: the first block and a block between ranges
rig_expect_eq "writes: block 0 untouched" "$(dd if="$IMG" bs=512 count=1 2>/dev/null | sha256sum)" \
	"$(dd if="$RIG_DIR/orig.img" bs=512 count=1 2>/dev/null | sha256sum)"
rig_expect_eq "writes: block 2000 untouched" "$(dd if="$IMG" bs=512 skip=2000 count=1 2>/dev/null | sha256sum)" \
	"$(dd if="$RIG_DIR/orig.img" bs=512 skip=2000 count=1 2>/dev/null | sha256sum)"

rig_tgtadm --op update --mode target --tid 1 -n HeaderDigest -v CRC32C,None
rig_tgtadm --op update --mode target --tid 1 -n DataDigest -v CRC32C,None
sanio digests 777 --depth 4 --digests
wb_expect_ok "digests: written, flushed, read back equal"
wb_expect_out "digests: CRC32C negotiated" 'digests header CRC32C data CRC32C$'

if cmp -s "$IMG" "$RIG_DIR/digests.mirror"; then rig_pass "digests: the backing file equals the mirror"
else rig_fail "digests: the backing file equals the mirror"; fi

# a read-only LUN (tgt's readonly=1 sets MODE SENSE's WP bit): writes refused up front,
# nothing reaches the backing file
rig_tgtadm --op update --mode logicalunit --tid 1 --lun 1 --params readonly=1
before=$(sha256sum <"$IMG")
sanio readonly 99
wb_expect_fail "read-only LUN: write refused" 'write at 1: SAN: LUN 1 of iqn.2026-11.test:disk is write-protected'
wb_expect_out "read-only LUN: WP bit seen at open" 'read-only 1,'
rig_expect_eq "read-only LUN: backing file unchanged" "$(sha256sum <"$IMG")" "$before"

rig_finish
