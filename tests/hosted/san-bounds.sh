#!/bin/bash
# san-bounds.sh — the SAN layer's recovery is bounded per command (issue 11, item 5),
# against tests/rig/faketarget.py:
#   - a READ that makes the target drop the connection every time: reissued san-retries
#     (default 3) times, then an error naming the command — not reconnecting forever;
#   - a READ never answered (connection kept): the I/O timeout, then the same bound;
#   - a READ never answered while the target keeps pinging (NOP-In) and closes the CmdSN
#     window: the pings do not count as answers, the I/O timeout still trips;
#   - the settings through a script (`wireboot run`): `set san-retries 1` with a READ
#     CAPACITY that drops the connection, `set san-command-timeout 3` with a READ
#     CAPACITY never answered, and a bad value refused.
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/faketarget.sh"

IQN=$FT_IQN
wb_rig sanbounds
IMG="$RIG_DIR/disk.img"
head -c $((4 * 1024 * 1024)) /dev/urandom >"$IMG"

root() { echo "iscsi:192.0.2.1::$1:1:$IQN"; }
conns() { grep -c ': connection from ' "$RIG_DIR/ft-$1.out"; }
hits() { grep -c "$2" "$RIG_DIR/ft-$1.out"; }
# the LBA range of the command a SAN error names covers LBA 4096
names_4096() {
	local r
	r=$(grep -Eo 'READ\(10\) LBA [0-9]+\+[0-9]+ on' "$WB_LOG" | head -1 | grep -Eo '[0-9]+\+[0-9]+')
	[ -n "$r" ] && [ "${r%+*}" -le 4096 ] && [ $((${r%+*} + ${r#*+})) -gt 4096 ]
}

# ---- a READ that drops the connection every time --------------------------------------
ft_start drop 3340 "$IMG" --mode drop-on-read=4096
wb_preflight drop 90 "$(root 3340)" --no-disk --timeout 5 --read-all
wb_expect_fail "drop always: the read fails after 3 reissues, naming the command and the setting" \
	"read-all: SAN: READ\\(10\\) LBA [0-9]+\\+[0-9]+ on $IQN: the connection was lost 4 times while it was outstanding \\(last: target closed the connection\\); not reissued again \\(san-retries 3\\)" 60
if names_4096; then rig_pass "drop always: the command named is the one covering LBA 4096"
else rig_fail "drop always: the command named is the one covering LBA 4096"; fi
rig_expect_eq "drop always: the target dropped 4 connections at it (1 + 3 reissues), no more" \
	"$(hits drop 'drop-on: READ')/$(conns drop)" "4/4"
if grep -q '^sha256 ' "$WB_LOG"; then rig_fail "drop always: no SHA-256"; else rig_pass "drop always: no SHA-256"; fi

# ---- a READ never answered, nothing else from the target ------------------------------
ft_start mute 3341 "$IMG" --mode stall-on-read=4096
wb_preflight mute 90 "$(root 3341)" --no-disk --timeout 2 --read-all
wb_expect_fail "never answered: the I/O timeout each time, then the reissue bound" \
	"read-all: SAN: READ\\(10\\) LBA [0-9]+\\+[0-9]+ on $IQN: the connection was lost 4 times while it was outstanding \\(last: no answer (from the target|to our commands) for 2000 ms" 60
if names_4096; then rig_pass "never answered: the command named is the one covering LBA 4096"
else rig_fail "never answered: the command named is the one covering LBA 4096"; fi
rig_expect_eq "never answered: the target swallowed it 4 times" "$(hits mute 'stall-on: READ')" 4

# ---- a READ never answered, the window closed, the target pinging every 0.3 s ----------
ft_start ping 3342 "$IMG" --mode stall-on-read=4096,nop-in-every=0.3
wb_preflight ping 90 "$(root 3342)" --no-disk --timeout 2 --read-all
wb_expect_fail "pings: the target's NOP-In do not keep an unanswered command alive" \
	"read-all: SAN: READ\\(10\\) LBA [0-9]+\\+[0-9]+ on $IQN: the connection was lost 4 times while it was outstanding \\(last: no answer to our commands for 2000 ms, only other PDUs \\(NOP-In\\)" 60
rig_expect_eq "pings: the target swallowed it 4 times" "$(hits ping 'stall-on: READ')" 4
n=$(hits ping 'NOP-Out answers our NOP-In')
if [ "$n" -ge 4 ]; then rig_pass "pings: wireboot answered the target's pings meanwhile ($n)"
else rig_fail "pings: wireboot answered the target's pings meanwhile" "$n"; fi

# ---- the settings, from a script ------------------------------------------------------
ft_start rc 3343 "$IMG" --mode drop-on-op=0x25
wb_run set-retries 60 <<EOF
#!ipxe
dhcp
set san-retries 1
sanhook $(root 3343) || echo SANHOOK-FAILED
EOF
wb_expect_out "set san-retries 1: sanhook fails naming READ CAPACITY(10) and the setting" \
	"sanhook: $(root 3343): SAN: READ CAPACITY\\(10\\) on $IQN: the connection was lost 2 times while it was outstanding \\(last: target closed the connection\\); not reissued again \\(san-retries 1\\)"
wb_expect_out "set san-retries 1: the script goes on" '^SANHOOK-FAILED$'
rig_expect_eq "set san-retries 1: two connections, one reissue" "$(conns rc)" 2

ft_start rcstall 3344 "$IMG" --mode stall-on-op=0x25
wb_run set-timeout 60 <<EOF
#!ipxe
dhcp
set san-command-timeout 3
sanhook $(root 3344) || echo SANHOOK-FAILED
EOF
wb_expect_out "set san-command-timeout 3: sanhook fails after 3 s naming READ CAPACITY(10)" \
	"sanhook: $(root 3344): SAN: READ CAPACITY\\(10\\) on $IQN did not complete within 3 s; giving up \\(san-command-timeout\\)"
if [ "$WB_SECS" -lt 14 ]; then rig_pass "set san-command-timeout 3: before the 15 s I/O timeout (${WB_SECS}s)"
else rig_fail "set san-command-timeout 3: before the 15 s I/O timeout" "${WB_SECS}s"; fi

wb_run set-bad 60 <<EOF
#!ipxe
set san-retries many
sanhook $(root 3343) || echo SANHOOK-FAILED
set san-retries 2
set san-command-timeout 0
sanhook $(root 3343) || echo SANHOOK-FAILED-2
EOF
wb_expect_out "bad san-retries refused with what is allowed" 'sanhook: san-retries must be 0 to 100 \(reissues of one command\), not "many"'
wb_expect_out "bad san-command-timeout refused with what is allowed" 'sanhook: san-command-timeout must be 1 to 86400 seconds, not "0"'
wb_expect_out "bad values: the script goes on" '^SANHOOK-FAILED-2$'

rig_finish
