#!/bin/bash
# ntp-forged.sh — what `ntp` believes (issue 11 item 8).  tests/rig/ntpforge.py is the NTP
# server at 192.0.2.2: before relaying chronyd's real reply (chronyd serves the host's clock)
# it sends forged replies saying 2040-01-01 — from another port, from another address
# (192.0.2.3), with a wrong originate timestamp, truncated, and the previous real reply
# again.  wireboot must ignore every forgery (and say how many), keep waiting after one,
# take three real replies and set the host's time; each kind alone too.  Then a server
# whose well-formed replies say 2020-01-01 (before this build): refused, with the reason.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig ntpforge
rig_ns ip addr add 192.0.2.2/24 dev br0
rig_ns ip addr add 192.0.2.3/24 dev br0

for kinds in port addr origin port,addr,origin,short,replay; do
	id=${kinds//,/-}
	[ "$kinds" = port,addr,origin,short,replay ] && id=all
	wb_ntpforge "$id" 192.0.2.1 --forge "$kinds"
	wb_run "ntp-$id" 60 <<'EOF'
#!ipxe
dhcp
ntp 192.0.2.2
echo T=${unixtime}
EOF
	wb_expect_ok "$id: ntp succeeds despite the forged replies"
	wb_expect_clock_now "$id"
	got=$(sed -n 's/^ntp: .* (median of 3 replies, \([0-9]*\) ignored)$/\1/p' "$WB_LOG" | tail -1)
	sent=$(sed -n 's/^forged-total //p' "$RIG_DIR/forge-$id.out" | tail -1)
	rig_expect_eq "$id: every forged datagram was ignored (wireboot's count = ntpforge's)" "${got:-none}" "${sent:-0}"
	rig_expect_grep "$id: three real replies relayed" "$RIG_DIR/forge-$id.out" '^request 3: forged [0-9]+, relayed$'
done

# a well-formed answer, from the right address and port, before the build date
wb_ntpforge past 192.0.2.1 --past 1577836800    # 2020-01-01 00:00:00 UTC
wb_run ntp-past 60 <<'EOF'
#!ipxe
dhcp
ntp 192.0.2.2
EOF
wb_expect_fail "past: a time before the build date is refused" \
	"ntp: NTP: the server's time is before this build's date: refused .*\\(192\\.0\\.2\\.2 says 2020-01-01 00:00:00 UTC; built 20[0-9-]+ [0-9:]+ UTC\\)"
if grep -q '^ntp: 2020' "$WB_LOG"; then rig_fail "past: the clock was not set to 2020"
else rig_pass "past: the clock was not set to 2020"; fi

# nothing valid: only forgeries (ntpforge relays from a chronyd that is not there)
wb_ntpforge none 192.0.2.250 --forge port,origin
wb_run ntp-forged-only 60 <<'EOF'
#!ipxe
dhcp
ntp 192.0.2.2
EOF
wb_expect_fail "only forgeries: no time, says how many were ignored" \
	'ntp: NTP: fewer than 3 valid replies before the timeout .*\(0 valid, [1-9][0-9]* ignored; the last: NTP: '
if grep -q '^ntp: 2040' "$WB_LOG"; then rig_fail "only forgeries: the clock was not set to 2040"
else rig_pass "only forgeries: the clock was not set to 2040"; fi

[ -z "$WB_FORGE_PID" ] || rig_stop "$WB_FORGE_PID"
rig_finish
