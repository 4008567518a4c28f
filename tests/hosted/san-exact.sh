#!/bin/bash
# san-exact.sh — block I/O through the SAN layer is exact (issue 11, item 2): a READ or
# WRITE that tests/rig/faketarget.py answers with status GOOD but not exactly (an
# underflow residual with no data or half the data, an overflow residual, Data-In
# short of the transfer length without any residual, a WRITE with an underflow
# residual) never completes with bytes the target did not send.  Answered so once,
# the command is retried and the whole read/write comes out right (SHA-256 of the LUN,
# the backing file equals the host-side mirror); answered so every time, it fails
# with one line naming the command, its LBA range and the byte counts.  READ(10) via
# `wireboot preflight iscsi --read-all`; READ(16) on a LUN of 2^32 + 4096 blocks
# (faketarget virtual-blocks) and the writes via tests/san/sanio.c.
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/faketarget.sh"

DRV=${SANIO:-$RIG_TOP/build/test/sanio}
[ -x "$DRV" ] || { echo "FAIL: san-exact: $DRV not built (make build/test/sanio)"; exit 1; }

wb_iscsi_names "$FT_IQN"
wb_rig sanexact nodhcp
IMG="$RIG_DIR/disk.img"
head -c $((4 * 1024 * 1024)) /dev/urandom >"$IMG"
WANT=$(sha256sum "$IMG" | cut -d' ' -f1)
echo "    image: 4 MiB of random data, sha256 $WANT"
FT_SECRET=$SECRET FT_RSECRET=$MSECRET
A=(--user "$USER_" --reverse-user "$MUSER")

root() { echo "iscsi:192.0.2.1::$1:1:$IQN"; }
pf() {
	PF_SECRET=$SECRET PF_RSECRET=$MSECRET wb_preflight "$1" "$2" --no-disk "${@:3}"
	wb_expect_no_secret "$1"
}
# inexact NAME — how many inexact answers the fake target NAME gave
inexact() { grep -c ': inexact: ' "$RIG_DIR/ft-$1.out"; }
# sanio ID TIMEOUT ARGS... — the SAN driver in the namespace
sanio() {
	local id=$1 t=$2; shift 2
	wb_exec "$id" "$t" env WIREBOOT_SECRET="$SECRET" WIREBOOT_REVERSE_SECRET="$MSECRET" \
		"$DRV" "$@" --user "$USER_" --reverse-user "$MUSER" </dev/null
	wb_expect_no_secret "$id"
}

# ---- READ(10): once → retried, the LUN reads right; always → a clear error -----------
port=3300
for kind in underflow=full underflow=partial overflow short-data; do
	id=$(echo "$kind" | tr '=' '-')
	ft_start "$id-1" $port "$IMG" "${A[@]}" --mode "$kind,inexact-count=1"
	pf "$id-1" 60 "$(root $port)" "${A[@]}" --read-all
	wb_expect_ok "$kind once: the whole LUN read"
	wb_expect_out "$kind once: SHA-256 equals sha256sum of the backing file" "^sha256 $WANT\$"
	wb_expect_out "$kind once: the inexact READ(10) was retried" \
		'san: iSCSI READ\(10\) LBA [0-9]+\+[0-9]+: target returned [0-9]+ of [0-9]+ bytes .*; retrying once'
	rig_expect_eq "$kind once: the target answered one READ inexactly" "$(inexact "$id-1")" 1
	port=$((port + 1))

	ft_start "$id" $port "$IMG" "${A[@]}" --mode "$kind"
	pf "$id" 60 "$(root $port)" "${A[@]}" --read-all
	case $kind in
	underflow=full) want='target returned 0 of [0-9]+ bytes \(underflow residual [0-9]+\)' ;;
	underflow=partial) want='target returned [1-9][0-9]* of [0-9]+ bytes \(underflow residual [1-9][0-9]*\)' ;;
	overflow) want='target returned ([0-9]+) of \1 bytes \(overflow residual 512\)' ;;
	short-data) want='target returned [1-9][0-9]* of [0-9]+ bytes \(no residual reported\)' ;;
	esac
	wb_expect_fail "$kind always: the read fails naming READ(10), the LBA range and the bytes" \
		"read-all: iSCSI READ\\(10\\) LBA [0-9]+\\+[0-9]+: $want, again after a retry; check the target's LUN size/backing store" 30
	if grep -q '^sha256 ' "$WB_LOG"; then rig_fail "$kind always: no SHA-256 of a LUN read wrong"
	else rig_pass "$kind always: no SHA-256 of a LUN read wrong"; fi
	# the command named in the error was sent twice and answered inexactly both times
	at=$(grep -Eo 'read-all: iSCSI READ\(10\) LBA [0-9]+\+[0-9]+' "$WB_LOG" | grep -Eo '[0-9]+\+[0-9]+$')
	n=$(grep -c "inexact: READ(10) LBA $at answered" "$RIG_DIR/ft-$id.out")
	rig_expect_eq "$kind always: READ(10) LBA $at was answered inexactly twice (the retry)" "$n" 2
	port=$((port + 1))
done

# ---- READ(16) above 2^32 blocks --------------------------------------------------------
BIG=$((4294967296 + 4096))
LBA=$((4294967296 + 100))         # file block 100 (2^32 is a multiple of the file's 8192)
WANT16=$(dd if="$IMG" bs=512 skip=100 count=64 2>/dev/null | sha256sum | cut -d' ' -f1)
ft_start r16-1 3320 "$IMG" "${A[@]}" --mode "virtual-blocks=$BIG,underflow=partial,inexact-count=1"
sanio r16-1 60 "$(root 3320)" --read $LBA 64
wb_expect_ok "READ(16) partial underflow once: retried, read"
wb_expect_out "READ(16): the LUN has 2^32 + 4096 blocks" "^sanio: $BIG blocks of 512\$"
wb_expect_out "READ(16) partial underflow once: the data is the backing file's" "^sanio: read 64 blocks at LBA $LBA sha256 $WANT16\$"
rig_expect_grep "READ(16) partial underflow once: the target did answer READ(16) inexactly" "$RIG_DIR/ft-r16-1.out" \
	"inexact: READ\\(16\\) LBA $LBA\\+64 answered with underflow-partial"
ft_start r16 3321 "$IMG" "${A[@]}" --mode "virtual-blocks=$BIG,underflow=full"
sanio r16 60 "$(root 3321)" --read $LBA 64
wb_expect_fail "READ(16) full underflow always: an error naming READ(16) and the LBA range" \
	"iSCSI READ\\(16\\) LBA $LBA\\+64: target returned 0 of 32768 bytes \\(underflow residual 32768\\), again after a retry" 30
if grep -q 'sha256' "$WB_LOG"; then rig_fail "READ(16) full underflow always: no data handed out"
else rig_pass "READ(16) full underflow always: no data handed out"; fi

# ---- WRITE with an underflow residual -------------------------------------------------
WIMG="$RIG_DIR/wdisk.img"
head -c $((16 * 1024 * 1024)) /dev/urandom >"$WIMG"
ft_start wres-1 3330 "$WIMG" "${A[@]}" --mode writable,write-residual,inexact-count=1
cp "$WIMG" "$RIG_DIR/wres-1.mirror"
sanio wres-1 120 "$(root 3330)" --seed 4242 --mirror "$RIG_DIR/wres-1.mirror"
wb_expect_ok "WRITE residual once: retried; written, flushed, read back equal"
wb_expect_out "WRITE residual once: the retry was logged" \
	'san: iSCSI WRITE\(10\) LBA 1\+1: target reported an underflow residual of 256 bytes of 512 written; retrying once'
rig_expect_eq "WRITE residual once: the target answered one WRITE inexactly" "$(inexact wres-1)" 1
if cmp -s "$WIMG" "$RIG_DIR/wres-1.mirror"; then rig_pass "WRITE residual once: the backing file equals the host-side mirror"
else rig_fail "WRITE residual once: the backing file equals the host-side mirror" "$(cmp "$WIMG" "$RIG_DIR/wres-1.mirror" | head -1)"; fi

ft_start wres 3331 "$WIMG" "${A[@]}" --mode writable,write-residual
cp "$WIMG" "$RIG_DIR/wres.mirror"
sanio wres 60 "$(root 3331)" --seed 4243 --mirror "$RIG_DIR/wres.mirror"
wb_expect_fail "WRITE residual always: the write fails naming WRITE(10), the LBA range and the residual" \
	'sanio: write at 1: iSCSI WRITE\(10\) LBA 1\+1: target reported an underflow residual of 256 bytes of 512 written, again after a retry' 30
rig_expect_eq "WRITE residual always: sent twice, answered inexactly twice, then no more writes" "$(inexact wres)" 2

rig_finish
