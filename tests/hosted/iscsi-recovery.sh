#!/bin/bash
# iscsi-recovery.sh — `wireboot preflight iscsi --read-all` against tests/rig/faketarget.py
# behaving the way real targets do when things go wrong: login redirects (temporary,
# permanent, chained twice, a loop), NOT READY until the LUN spins up, UNIT ATTENTION,
# an Async Message asking for logout in the middle of a read, the connection dropped in
# the middle of a read, target-initiated NOP-In pings during a long read.  Every read
# that completes must give exactly the backing file's SHA-256.
#
# The cases of the SAN layer (src/san: redirects followed, NOT READY waited out,
# re-login after an async logout or a dropped connection) always run: there is no knob
# to leave them out (a skip would not be counted as a failure).
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/faketarget.sh"

wb_iscsi_names "$FT_IQN"
SIZE=$((8 * 1024 * 1024))

wb_rig iscsirecov nodhcp
IMG="$RIG_DIR/disk.img"
head -c "$SIZE" /dev/urandom >"$IMG"
WANT=$(sha256sum "$IMG" | cut -d' ' -f1)
echo "    image: $SIZE bytes of random data, sha256 $WANT"
FT_SECRET=$SECRET FT_RSECRET=$MSECRET
A=(--user "$USER_" --reverse-user "$MUSER")
M=(--user "$USER_" --reverse-user "$MUSER")

root() { echo "iscsi:192.0.2.1::$1:1:$IQN"; }
pf() {
	PF_SECRET=$SECRET PF_RSECRET=$MSECRET wb_preflight "$1" "$2" --no-disk "${@:3}"
}
readall() {
	wb_expect_ok "$1: the whole LUN read, logged out"
	wb_expect_out "$1: SHA-256 equals sha256sum of the backing file" "^sha256 $WANT\$"
}
# conns NAME — how many connections the fake target NAME accepted
conns() { grep -c ': connection from ' "$RIG_DIR/ft-$1.out"; }
# logins NAME — how many logins it completed
logins() { grep -c ': login complete' "$RIG_DIR/ft-$1.out"; }

# ---- works with the session layer alone -----------------------------------------------
ft_start ua 3270 "$IMG" "${A[@]}" --mode ua-once
pf ua 60 "$(root 3270)" "${M[@]}" --read-all
readall "UNIT ATTENTION on the first command: retried"
rig_expect_grep "UNIT ATTENTION: the target did send it" "$RIG_DIR/ft-ua.out" 'ua-once: UNIT ATTENTION'

ft_start nop 3271 "$IMG" "${A[@]}" --mode nop-in-every=0.05,read-delay=25
pf nop 120 "$(root 3271)" "${M[@]}" --read-all --depth 4
readall "NOP-In pings during a long read"
sent=$(sed -n 's/.*stats: .*nop_in_sent=\([0-9]*\).*/\1/p' "$RIG_DIR/ft-nop.out" | tail -1)
answered=$(sed -n 's/.*stats: .*nop_in_answered=\([0-9]*\).*/\1/p' "$RIG_DIR/ft-nop.out" | tail -1)
echo "    NOP-In pings: sent ${sent:-?}, answered ${answered:-?}"
if [ "${sent:-0}" -ge 3 ]; then rig_pass "NOP-In: the target pinged during the read (${sent}x)"
else rig_fail "NOP-In: the target pinged during the read" "sent ${sent:-0}"; fi
# a ping sent just before the logout may be left unanswered; every other one is answered
if [ -n "$answered" ] && [ "$answered" -ge $((sent - 1)) ] && [ "$answered" -ge 2 ]; then
	rig_pass "NOP-In: wireboot answered the pings ($answered of $sent)"
else rig_fail "NOP-In: wireboot answered the pings" "$answered of $sent"; fi

# ---- the san layer -------------------------------------------------------------------
# redirects (temporary, permanent, chained twice, loop limit)
ft_start good 3260 "$IMG" "${A[@]}"
ft_start rtemp 3261 "$IMG" "${A[@]}" --mode redirect-temp=192.0.2.1:3260
ft_start rperm 3262 "$IMG" "${A[@]}" --mode redirect-perm=192.0.2.1:3260
ft_start chain 3263 "$IMG" "${A[@]}" --mode redirect-temp=192.0.2.1:3262
ft_start loopa 3264 "$IMG" "${A[@]}" --mode redirect-temp=192.0.2.1:3265
ft_start loopb 3265 "$IMG" "${A[@]}" --mode redirect-perm=192.0.2.1:3264
pf rtemp 60 "$(root 3261)" "${M[@]}" --read-all
readall "temporary redirect (0x0101) followed"
rig_expect_grep "temporary redirect: TargetAddress sent" "$RIG_DIR/ft-rtemp.out" 'status 0x0101 \(redirect-temp'
pf rperm 60 "$(root 3262)" "${M[@]}" --read-all
readall "permanent redirect (0x0102) followed"
pf chain 60 "$(root 3263)" "${M[@]}" --read-all
readall "redirect chained twice (temporary, then permanent) followed"
rig_expect_eq "chain: each redirecting target saw one login attempt" "$(conns chain)/$(conns rperm)" "1/2"
before=$(logins good)
pf loop 60 "$(root 3264)" "${M[@]}" --read-all
wb_expect_fail "redirect loop: given up with an error naming the redirect" '[Rr]edirect' 30
n=$(( $(conns loopa) + $(conns loopb) ))
if [ "$n" -ge 2 ] && [ "$n" -le 16 ]; then rig_pass "redirect loop: bounded ($n connections)"
else rig_fail "redirect loop: bounded" "$n connections"; fi
rig_expect_eq "redirect loop: never reached a serving target" "$(logins good)" "$before"

# NOT READY waited out
ft_start notready 3272 "$IMG" "${A[@]}" --mode not-ready=5
pf notready 90 "$(root 3272)" "${M[@]}" --read-all
readall "NOT READY (02/04/01) five times, then ready: waited out"
rig_expect_eq "NOT READY: the target answered NOT READY five times" \
	"$(grep -c 'not-ready: becoming ready' "$RIG_DIR/ft-notready.out")" 5

# async logout request -> re-login
ft_start async 3273 "$IMG" "${A[@]}" --mode async-logout-after=5
pf async 90 "$(root 3273)" "${M[@]}" --read-all
readall "Async Message 'logout requested' mid-read: logged out, back in, read completed"
rig_expect_grep "async: the target sent AsyncEvent 1" "$RIG_DIR/ft-async.out" 'AsyncEvent=1'
if [ "$(logins async)" -ge 2 ]; then rig_pass "async: a second login after the logout"
else rig_fail "async: a second login after the logout" "$(logins async) logins"; fi
if [ "$(grep -c 'Logout (reason' "$RIG_DIR/ft-async.out")" -ge 2 ]; then rig_pass "async: logged out as asked, then at the end"
else rig_fail "async: logged out as asked, then at the end"; fi

# dropped connection mid-read -> reconnect
ft_start drop 3274 "$IMG" "${A[@]}" --mode drop-after=40
pf drop 90 "$(root 3274)" "${M[@]}" --read-all
readall "connection dropped mid-read: reconnected, read completed"
rig_expect_grep "drop: the target did drop the connection" "$RIG_DIR/ft-drop.out" 'drop-after=40: closing'
if [ "$(logins drop)" -ge 2 ]; then rig_pass "drop: logged in again"
else rig_fail "drop: logged in again" "$(logins drop) logins"; fi
ft_start dropd 3275 "$IMG" "${A[@]}" --digests --mode drop-after=10
pf dropd 120 "$(root 3275)" "${M[@]}" --digests --read-all
readall "connection dropped mid-read with digests: read completed"
# after a temporary redirect the original portal is used again (RFC 7143 §11.13.5)
ft_start dropgood 3276 "$IMG" "${A[@]}" --mode drop-after=10
ft_start droptemp 3277 "$IMG" "${A[@]}" --mode redirect-temp=192.0.2.1:3276
pf droptemp 90 "$(root 3277)" "${M[@]}" --read-all
readall "drop after a temporary redirect: read completed"
rig_expect_eq "drop after a temporary redirect: reconnect goes back to the original portal" "$(conns droptemp)" 2
ft_start dropgood2 3278 "$IMG" "${A[@]}" --mode drop-after=10
ft_start dropperm 3279 "$IMG" "${A[@]}" --mode redirect-perm=192.0.2.1:3278
pf dropperm 90 "$(root 3279)" "${M[@]}" --read-all
readall "drop after a permanent redirect: read completed"
rig_expect_eq "drop after a permanent redirect: reconnect goes to the new portal" "$(conns dropperm)" 1
# the reconnect's login is opened with the challenge we issued in the first one: a
# fresh challenge makes that harmless (a reused one must be refused as reflection)
ft_start dropref 3280 "$IMG" "${A[@]}" --mode reflect-earlier,drop-after=10
pf dropref 90 "$(root 3280)" "${M[@]}" --read-all
readall "drop, then a login opened with our earlier challenge: read completed"
rig_expect_grep "drop + reflect-earlier: our challenge on the reconnect is fresh" "$RIG_DIR/ft-dropref.out" \
	"initiator's new challenge differs from the reflected one"

# wireboot's sequence numbers as the targets saw them, across reconnects (RFC 7143 §4.2.2)
v=$(grep -h 'VIOLATION' "$RIG_DIR"/ft-*.out | head -3)
if [ -z "$v" ]; then rig_pass "CmdSN/ExpStatSN: no violation seen by any fake target"
else rig_fail "CmdSN/ExpStatSN: no violation seen by any fake target" "$v"; fi

rig_finish
