#!/bin/bash
# claims-random.sh — SECURITY.md, "Randomness": DHCP transaction ids, SNTP nonces and
# lwIP's first TCP port are random per run (issue 20).  Two runs of the same script
# (dhcp; ntp; one TCP connection), captured on the tap by tests/rig/wirecap.py: no xid,
# no NTP nonce and not the first TCP source port of the second run repeats the first
# run's; within a run the NTP nonces differ too.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig claimsrandom
PORT=5003
rig_bg tcpsend python3 "$RIG_TOP/tests/rig/tcpsend.py" --port $PORT --bytes 1000 --bind 192.0.2.1
rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 30 || rig_die "tcpsend.py did not start"
rig_bg wirecap python3 "$RIG_TOP/tests/rig/wirecap.py" "$WB_TAP"
rig_wait_file "$RIG_DIR/wirecap.out" '^listening' 30 || rig_die "wirecap.py did not start"

cap=$RIG_DIR/wirecap.out
for run in 1 2; do
	from=$(wc -l <"$cap")
	wb_run "run$run" 90 <<EOF2
#!ipxe
dhcp
ntp 192.0.2.1
tcprecv 192.0.2.1 $PORT
EOF2
	wb_expect_ok "run $run: dhcp, ntp and a TCP connection succeed"
	sleep 0.5   # every frame of the run has been printed (lines are flushed)
	tail -n +"$((from + 1))" "$cap" >"$RIG_DIR/cap$run"
	xids[run]=$(awk '$1 == "dhcp" { print $2 }' "$RIG_DIR/cap$run" | sort -u)
	nonces[run]=$(awk '$1 == "ntp" { print $3 }' "$RIG_DIR/cap$run")
	ports[run]=$(awk '$1 == "syn" { print $2; exit }' "$RIG_DIR/cap$run")
	echo "    run $run: xids $(echo ${xids[run]}); first TCP port ${ports[run]}; NTP nonces $(echo ${nonces[run]})"
	if [ -n "${xids[run]}" ] && [ "$(echo "${nonces[run]}" | grep -c .)" -ge 3 ] && [ -n "${ports[run]}" ]; then
		rig_pass "run $run: its xid(s), 3+ NTP nonces and a SYN were captured"
	else rig_fail "run $run: its xid(s), 3+ NTP nonces and a SYN were captured"; fi
	n=$(echo "${nonces[run]}" | grep -c .) u=$(echo "${nonces[run]}" | sort -u | grep -c .)
	rig_expect_eq "run $run: its NTP nonces all differ" "$u" "$n"
done

common() { comm -12 <(echo "$1" | sort -u) <(echo "$2" | sort -u) | grep -c .; }
rig_expect_eq "the two runs share no DHCP xid" "$(common "${xids[1]}" "${xids[2]}")" 0
rig_expect_eq "the two runs share no NTP nonce" "$(common "${nonces[1]}" "${nonces[2]}")" 0
if [ -n "${ports[1]}" ] && [ "${ports[1]}" != "${ports[2]}" ]; then
	rig_pass "the first TCP source port differs between runs (${ports[1]}, ${ports[2]})"
else rig_fail "the first TCP source port differs between runs" "${ports[1]:-none}, ${ports[2]:-none}"; fi
rig_stop wirecap
rig_finish
