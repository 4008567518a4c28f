#!/bin/bash
# iscsi-write.sh — writes through proto/iscsi_session.c against tgtd in the netns, driven
# by build/test/tool_iscsi_io (tests/unit/tool_iscsi_io.c): TEST UNIT READY, REPORT LUNS,
# MODE SENSE (write protect), WRITE with immediate data / unsolicited Data-Out / R2T in
# the combinations the target and we negotiate, SYNCHRONIZE CACHE, read back, ping,
# logout; the backing file must then hold exactly the written pattern (and nothing else
# changed).  Last, a connection dropped in the middle of the writes: new login,
# iscsi_sess_restart(), every unfinished command sent again, data still exact; and a
# read-only LUN: write protect reported, WRITE refused with DATA PROTECT.
. "$(dirname "$0")/lib.sh"

wb_iscsi_names iqn.2026-11.test:wdisk
TOOL=$RIG_TOP/build/test/tool_iscsi_io

if ! make -s -C "$RIG_TOP" build/test/tool_iscsi_io >/dev/null 2>&1 || [ ! -x "$TOOL" ]; then
	echo "FAIL: iscsi-write: cannot build build/test/tool_iscsi_io"
	exit 1
fi
wb_rig iscsiwrite nodhcp
IMG="$RIG_DIR/disk.img"
truncate -s $((16 * 1024 * 1024)) "$IMG"
rig_tgtd "$IQN" "$IMG" "$USER_" "$SECRET" "$MUSER" "$MSECRET"

# io ID LBA NBLOCKS SEED [tool options] — run the tool in the namespace, then compare
# the backing file's blocks with the pattern it wrote (and the blocks around with zeros)
io() {
	local id=$1 lba=$2 n=$3 seed=$4; shift 4
	local log="$RIG_DIR/$id.log" dump="$RIG_DIR/$id.pattern"
	timeout -k 5 120 ip netns exec "$RIG_NS" env WIREBOOT_SECRET="$SECRET" WIREBOOT_REVERSE_SECRET="$MSECRET" \
		"$TOOL" "$RIG_BR_IP" 3260 "$IQN" 1 "$lba" "$n" "$seed" --user "$USER_" --reverse-user "$MUSER" \
		--dump "$dump" "$@" >"$log" 2>&1 </dev/null
	IO_RC=$?
	IO_LOG=$log
	sed "s/^/    [$id] /" "$log"
	echo "    [$id] exit $IO_RC"
	if [ "$IO_RC" = 0 ] && grep -q '^verify: read back equals' "$log" && grep -q '^logout: ok' "$log"; then
		rig_pass "$id: write, sync, read back equal, ping, logout"
	else
		rig_fail "$id: write, sync, read back equal, ping, logout"
	fi
	if grep -qE 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error:' "$log"; then
		rig_fail "$id: sanitizers quiet"
	fi
	if cmp -s <(dd if="$IMG" bs=512 skip="$lba" count="$n" 2>/dev/null) "$dump"; then
		rig_pass "$id: the target's file holds exactly the pattern at LBA $lba"
	else
		rig_fail "$id: the target's file holds exactly the pattern at LBA $lba"
	fi
	if cmp -s <(dd if="$IMG" bs=512 skip=$((lba - 8)) count=8 2>/dev/null) <(head -c 4096 /dev/zero) &&
		cmp -s <(dd if="$IMG" bs=512 skip=$((lba + n)) count=8 2>/dev/null) <(head -c 4096 /dev/zero); then
		rig_pass "$id: blocks next to the range untouched"
	else
		rig_fail "$id: blocks next to the range untouched"
	fi
}

# tgt defaults: ImmediateData=Yes, InitialR2T=Yes, FirstBurstLength 65536, its
# MaxRecvDataSegmentLength 8192: 8 KiB immediate, the rest of each 128 KiB command on R2T
io defaults 1000 4096 7 --chunk 256
rig_expect_grep "defaults: negotiated ImmediateData=Yes InitialR2T=Yes" "$IO_LOG" 'ImmediateData Yes InitialR2T Yes'
rig_expect_grep "defaults: TEST UNIT READY, LUNs 0 and 1, not write-protected" "$IO_LOG" '^report luns: 2: 0 1$'
rig_expect_grep "defaults: write protect 0" "$IO_LOG" '^write protect: 0$'
if grep -qE '^write: 4096 blocks at LBA 1000, [1-9][0-9]* R2Ts' "$IO_LOG"; then rig_pass "defaults: R2Ts served"
else rig_fail "defaults: R2Ts served"; fi

# the target takes 4 KiB segments and allows unsolicited data: immediate 4 KiB, unsolicited
# Data-Out up to FirstBurstLength 16 KiB, the rest on R2T in 4 KiB Data-Out; CRC32C digests
rig_tgtadm --op update --mode target --tid 1 -n MaxRecvDataSegmentLength -v 4096
rig_tgtadm --op update --mode target --tid 1 -n InitialR2T -v No
rig_tgtadm --op update --mode target --tid 1 -n FirstBurstLength -v 16384
rig_tgtadm --op update --mode target --tid 1 -n HeaderDigest -v CRC32C,None
rig_tgtadm --op update --mode target --tid 1 -n DataDigest -v CRC32C,None
io unsolicited 9000 3000 11 --initial-r2t 0 --first-burst 16384 --digests --chunk 200
rig_expect_grep "unsolicited: InitialR2T=No, FirstBurstLength 16384, 4 KiB segments, CRC32C" "$IO_LOG" \
	'ImmediateData Yes InitialR2T No FirstBurstLength 16384 MaxBurstLength [0-9]* MaxSendDSL 4096 digests CRC32C'

# no immediate data: all of it unsolicited then R2T, small MaxBurstLength (many commands)
io noimmediate 20000 2000 13 --immediate 0 --initial-r2t 0 --first-burst 8192 --max-burst 32768 --chunk 128 --depth 4
rig_expect_grep "noimmediate: ImmediateData=No negotiated" "$IO_LOG" 'ImmediateData No InitialR2T No FirstBurstLength 8192 MaxBurstLength 32768'

# back to R2T only, then drop the connection in the middle of the writes
rig_tgtadm --op update --mode target --tid 1 -n InitialR2T -v Yes
io restart 24000 6000 17 --immediate 0 --chunk 256 --depth 8 --drop-after 60
rig_expect_grep "restart: the connection was dropped mid-write" "$IO_LOG" '^dropped the connection after 60 PDUs'
if grep -qE '^restart: [1-9][0-9]* tasks queued again' "$IO_LOG"; then rig_pass "restart: unfinished writes queued again"
else rig_fail "restart: unfinished writes queued again"; fi

# a read-only LUN: MODE SENSE says write-protected, a WRITE fails with DATA PROTECT
rig_tgtadm --op update --mode logicalunit --tid 1 --lun 1 --params readonly=1
log="$RIG_DIR/readonly.log"
timeout -k 5 60 ip netns exec "$RIG_NS" env WIREBOOT_SECRET="$SECRET" WIREBOOT_REVERSE_SECRET="$MSECRET" \
	"$TOOL" "$RIG_BR_IP" 3260 "$IQN" 1 30000 8 19 --user "$USER_" --reverse-user "$MUSER" >"$log" 2>&1 </dev/null
rc=$?
sed "s/^/    [readonly] /" "$log"
rig_expect_grep "readonly: MODE SENSE reports write protect" "$log" '^write protect: 1$'
if [ "$rc" = 1 ] && grep -q '^failed: .*sense 7/27/00' "$log"; then
	rig_pass "readonly: WRITE refused with DATA PROTECT / WRITE PROTECTED (7/27/00)"
else
	rig_fail "readonly: WRITE refused with DATA PROTECT / WRITE PROTECTED (7/27/00)"
fi
if cmp -s <(dd if="$IMG" bs=512 skip=30000 count=8 2>/dev/null) <(head -c 4096 /dev/zero); then
	rig_pass "readonly: nothing written"
else
	rig_fail "readonly: nothing written"
fi

# no secret in what the tool printed (its runs do not go through wb_exec's check)
cat "$RIG_DIR"/*.log >"$RIG_DIR/all-runs.out"
WB_LOG=$RIG_DIR/all-runs.out wb_expect_no_secret "every run of the tool"

rig_finish
