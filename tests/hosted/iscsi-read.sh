#!/bin/bash
# iscsi-read.sh — `wireboot preflight iscsi ... --read-all`: the whole LUN read through the
# full-feature-phase session (proto/iscsi_session.c) with several commands in flight,
# against tgtd in the netns; the SHA-256 printed must equal sha256sum of the image.
# Depth 1 and depth 8 (rates reported), mutual CHAP, and with CRC32C digests.
. "$(dirname "$0")/lib.sh"

wb_iscsi_names
SIZE=$((24 * 1024 * 1024))

wb_rig iscsiread nodhcp
IMG="$RIG_DIR/disk.img"
head -c "$SIZE" /dev/urandom >"$IMG"
WANT=$(sha256sum "$IMG" | cut -d' ' -f1)
echo "    image: $SIZE bytes of random data, sha256 $WANT"
rig_tgtd "$IQN" "$IMG" "$USER_" "$SECRET" "$MUSER" "$MSECRET"

# pf ID TIMEOUT ARGS... — run preflight in the namespace (secrets via the environment)
pf() {
	PF_SECRET=$SECRET PF_RSECRET=$MSECRET wb_preflight "$1" "$2" --no-disk "${@:3}"
}

for d in 1 8; do
	pf depth$d 120 "$ROOT" --user "$USER_" --reverse-user "$MUSER" --read-all --depth "$d"
	wb_expect_ok "depth $d: login, read the whole LUN, logout"
	wb_expect_out "depth $d: SHA-256 of the LUN equals sha256sum of the image" "^sha256 $WANT\$"
	wb_expect_out "depth $d: 96 commands of 256 KiB" "depth $d, 96 commands of up to 262144 bytes"
	wb_expect_out "depth $d: logout after the reads" '^logout ok$'
	echo "    RATE depth $d: $(grep -o 'rate: .*' "$WB_LOG")"
done

pf default 120 "$ROOT" --user "$USER_" --reverse-user "$MUSER" --read-all
wb_expect_ok "default depth: read the whole LUN"
wb_expect_out "default depth is 8" 'read-all: .* depth 8,'
wb_expect_out "default depth: SHA-256 matches" "^sha256 $WANT\$"

rig_tgtadm --op update --mode target --tid 1 -n HeaderDigest -v CRC32C,None
rig_tgtadm --op update --mode target --tid 1 -n DataDigest -v CRC32C,None
pf digests 120 "$ROOT" --user "$USER_" --reverse-user "$MUSER" --digests --read-all --depth 8
wb_expect_ok "digests: read the whole LUN with CRC32C header and data digests"
wb_expect_out "digests: CRC32C negotiated" 'digests header CRC32C data CRC32C'
wb_expect_out "digests: SHA-256 matches" "^sha256 $WANT\$"

pf baddepth 10 "$ROOT" --read-all --depth 0
if [ "$WB_RC" = 2 ] && grep -q -- '--depth takes 1 to 32' "$WB_LOG"; then rig_pass "--depth 0 refused"
else rig_fail "--depth 0 refused"; fi

rig_finish
