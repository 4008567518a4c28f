#!/bin/bash
# tcp-stall.sh — a receiving connection whose link goes dead (every frame dropped both
# ways in the middle of a transfer, an nftables drop of everything) is reported in one plain line within
# seconds ("tcp: nothing received from … not even answers to 3 keep-alive probes"),
# not only by the read timeout 30 s later.  This is what a wedged firmware NIC looks
# like from inside (docs/dev/uboot-virtio-wedge.md).  tcp.sh checks the converse: a
# healthy transfer never prints it.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig tcp-stall
rig_bg tcpsend python3 "$RIG_TOP/tests/rig/tcpsend.py" --port 5001 --bytes 1073741824 --bind 192.0.2.1
rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 60 || rig_die "tcpsend did not start"

# the blackout: a second after DHCP is done (the transfer is running by then)
(
	for _ in $(seq 300); do
		if grep -q '^net0: ' "$RIG_DIR/stall.log" 2>/dev/null; then
			sleep 1
			rig_ns nft -f - <<NFT || exit 1
table bridge wbstall {
	chain in { type filter hook input priority 0; policy accept; ip saddr 192.0.2.0/24 ip saddr != $RIG_BR_IP drop; }
	chain out { type filter hook output priority 0; policy accept; ip daddr 192.0.2.0/24 ip daddr != $RIG_BR_IP drop; }
}
NFT
			echo blackout >"$RIG_DIR/blackout"
			exit 0
		fi
		sleep 0.1
	done
) &
cut=$!

wb_run stall 90 <<'EOF2'
#!ipxe
dhcp
tcprecv 192.0.2.1 5001
EOF2
wait "$cut"
rig_check "tcp-stall: the link was cut during the transfer" test -f "$RIG_DIR/blackout"
wb_expect_fail "tcp-stall: the transfer fails" 'tcprecv: timed out'
rig_check "tcp-stall: the dead link is named in one line" \
	grep -Eq '^tcp: nothing received from 192\.0\.2\.1:5001 for [0-9]+ s, not even answers to 3 keep-alive probes' "$WB_LOG"
n=$(grep -c '^tcp: nothing received from' "$WB_LOG")
rig_expect_eq "tcp-stall: said once" "$n" 1
# …and early: before the read timeout's "so far" notes reach 10 s of silence
rig_check "tcp-stall: said before the timeout" \
	awk '/^tcp: nothing received/ { ok = (so_far < 2) } /^tcprecv: [0-9]+ bytes so far/ { so_far++ } END { exit !ok }' "$WB_LOG"
rig_ns nft delete table bridge wbstall 2>/dev/null
rig_finish
