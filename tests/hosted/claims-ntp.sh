#!/bin/bash
# claims-ntp.sh — SECURITY.md, SNTP replies: "mode 4, version 3–4, stratum 1–15, leap
# indicator ≠ 3 ... anything else is counted and ignored and the exchange goes on" (issue
# 20).  tests/rig/ntpforge.py at 192.0.2.2 sends replies that are right in source address,
# port and originate timestamp, but say 2040-01-01 with a bad header: mode 3, mode 5,
# version 2, version 5, stratum 16, stratum 0 (kiss-o'-death), leap indicator 3.
#   - all of them before each real reply (relayed from chronyd): ntp succeeds with the
#     host's time and counts exactly the forged datagrams as ignored;
#   - each alone (no real reply): ntp fails, names that refusal as the last reason, and
#     never sets 2040.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig claimsntp
rig_ns ip addr add 192.0.2.2/24 dev br0
rig_ns ip addr add 192.0.2.3/24 dev br0

all=mode,mode5,version,version5,stratum16,stratum0,leap3
wb_ntpforge all 192.0.2.1 --forge "$all"
wb_run ntp-hdr-all 60 <<'EOF2'
#!ipxe
dhcp
ntp 192.0.2.2
echo T=${unixtime}
EOF2
wb_expect_ok "all header forgeries: ntp succeeds"
wb_expect_clock_now "all header forgeries"
got=$(sed -n 's/^ntp: .* (median of 3 replies, \([0-9]*\) ignored)$/\1/p' "$WB_LOG" | tail -1)
sent=$(sed -n 's/^forged-total //p' "$RIG_DIR/forge-all.out" | tail -1)
rig_expect_eq "all header forgeries: every one ignored (wireboot's count = ntpforge's)" "${got:-none}" "${sent:-0}"
if [ "${sent:-0}" -ge 21 ]; then rig_pass "all header forgeries: 7 per request were sent ($sent)"
else rig_fail "all header forgeries: 7 per request were sent" "${sent:-0}"; fi

for kind in ${all//,/ }; do
	case $kind in
	mode|mode5) why='reply is not from a server \(mode is not 4; ignored\)' ;;
	version|version5) why='reply has an unsupported version \(only 3 and 4; ignored\)' ;;
	stratum16|stratum0) why='server is unsynchronised or refuses service \(stratum 0 or 16 and above; ignored\)' ;;
	leap3) why='server says its clock is unsynchronised \(leap indicator 3; ignored\)' ;;
	esac
	wb_ntpforge "$kind" 192.0.2.250 --forge "$kind"     # nobody there: no real reply
	wb_run "ntp-$kind" 60 <<'EOF2'
#!ipxe
dhcp
ntp 192.0.2.2
EOF2
	rig_expect_grep "$kind: the forgery was sent" "$RIG_DIR/forge-$kind.out" '^request 1: forged 1,'
	wb_expect_fail "$kind: refused, with its reason" \
		"ntp: NTP: fewer than 3 valid replies .*\\(0 valid, [1-9][0-9]* ignored; the last: NTP: $why\\)"
	if grep -q '^ntp: 2040' "$WB_LOG"; then rig_fail "$kind: the clock was not set to 2040"
	else rig_pass "$kind: the clock was not set to 2040"; fi
done

[ -z "$WB_FORGE_PID" ] || rig_stop "$WB_FORGE_PID"
rig_finish
