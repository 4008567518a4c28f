#!/bin/bash
# san-poll.sh — the SAN layer while another program (GRUB) owns the machine (issue 11,
# item 5), against tests/rig/faketarget.py over kernel sockets with tests/san/sanio.c:
#   - san_poll(), what the firmware timer calls every 50 ms, never waits: the target is
#     killed (the connection drops, connects are refused), then started again but stopped
#     with SIGSTOP (TCP connects complete in the kernel, the login is never answered),
#     then continued.  The longest single san_poll() call must stay under 100 ms (a
#     blocking reconnect takes the whole login timeout, 3 s here); the session comes back
#     on its own and reads return the backing file's data;
#   - Ctrl-C for a stalled request (env.stall_cancel, here a 0x03 byte on stdin): a READ
#     the target never answers ends about 1 s later with "cancelled (Ctrl-C)", not after
#     the I/O timeout; a read that is answered never looks at the keyboard.
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/faketarget.sh"

DRV=${SANIO:-$RIG_TOP/build/test/sanio}
[ -x "$DRV" ] || { echo "FAIL: san-poll: $DRV not built (make build/test/sanio)"; exit 1; }

IQN=$FT_IQN
wb_rig sanpoll nodhcp
IMG="$RIG_DIR/disk.img"
head -c $((4 * 1024 * 1024)) /dev/urandom >"$IMG"
sha_of() { dd if="$IMG" bs=512 skip="$1" count="$2" 2>/dev/null | sha256sum | cut -d' ' -f1; }
root() { echo "iscsi:192.0.2.1::$1:1:$IQN"; }

# ---- san_poll() while the target is gone, then hung, then back ------------------------
ft_start a 3360 "$IMG"
rig_bg sanio-poll timeout 60 "$DRV" "$(root 3360)" --poll 16 --login-timeout 3000 --read 100 8 --read 3000 8
SP=$(rig_pid sanio-poll)
OUT="$RIG_DIR/sanio-poll.out"
rig_wait_file "$OUT" '^sanio: polling' 20 || { cat "$OUT"; rig_die "sanio did not start polling"; }
sleep 1
ft_stop a                                   # connection dropped, connects refused
sleep 1
ft_start b 3360 "$IMG"
kill -STOP "$(rig_pid ft-b)"                # accepts (the kernel does), never answers
echo "    target b stopped (SIGSTOP) at $(date +%T)"
sleep 8
kill -CONT "$(rig_pid ft-b)"
echo "    target b continued at $(date +%T)"
rc=0
wait "$SP" || rc=$?
sed 's/^/    [sanio-poll] /' "$OUT"
rig_expect_eq "poll: sanio exits 0" "$rc" 0
line=$(grep -E '^sanio: poll: [0-9]+ calls, longest [0-9]+ ms, [0-9]+ reconnects$' "$OUT")
longest=$(echo "$line" | sed -E 's/.*longest ([0-9]+) ms.*/\1/')
recon=$(echo "$line" | sed -E 's/.* ([0-9]+) reconnects$/\1/')
if [ -n "$longest" ] && [ "$longest" -lt 100 ]; then
	rig_pass "poll: no san_poll() call took 100 ms (longest ${longest} ms) while the target was gone and hung"
else
	rig_fail "poll: no san_poll() call took 100 ms" "longest '${longest}' ms"
fi
if [ -n "$recon" ] && [ "$recon" -ge 1 ]; then rig_pass "poll: reconnected from san_poll() alone ($recon)"
else rig_fail "poll: reconnected from san_poll() alone" "'$recon'"; fi
n=$(grep -c ': connection from ' "$RIG_DIR/ft-b.out")
if [ "$n" -ge 2 ]; then rig_pass "poll: login attempts were made on the hung target and retried ($n connections)"
else rig_fail "poll: login attempts on the hung target" "$n connections"; fi
rig_expect_grep "poll: the read afterwards returns the backing file's blocks 100+8" "$OUT" \
	"^sanio: read 8 blocks at LBA 100 sha256 $(sha_of 100 8)\$"
rig_expect_grep "poll: ... and 3000+8" "$OUT" "^sanio: read 8 blocks at LBA 3000 sha256 $(sha_of 3000 8)\$"

# ---- Ctrl-C for a READ never answered -------------------------------------------------
ft_start c 3361 "$IMG" --mode stall-on-read=4096
printf '\003' >"$RIG_DIR/ctrl-c"
wb_exec cancel 60 "$DRV" "$(root 3361)" --cancel-stdin --read 100 8 --read 4096 8 <"$RIG_DIR/ctrl-c"
wb_expect_out "Ctrl-C: the answered read is right" "^sanio: read 8 blocks at LBA 100 sha256 $(sha_of 100 8)\$"
rig_expect_eq "Ctrl-C: never asked while the target answers" \
	"$(grep -m1 -Eo 'Ctrl-C asked [0-9]+ times' "$WB_LOG")" "Ctrl-C asked 0 times"
wb_expect_fail "Ctrl-C: the READ never answered ends cancelled after about 1 s, not the 15 s I/O timeout" \
	"^sanio: read 8 blocks at LBA 4096: SAN: I/O on $IQN cancelled \\(Ctrl-C\\) after 1[0-9]{3} ms waiting for the target\$" 10
rig_expect_eq "Ctrl-C: the target got the READ once (no reissue after the cancel)" \
	"$(grep -c 'stall-on: READ' "$RIG_DIR/ft-c.out")" 1

rig_finish
