#!/bin/bash
# tcp.sh — TCP receive through lwIP from a server at kernel defaults: all bytes arrive,
# crc32 matches (no wedge, no corruption); a closed port gives "connection refused".
set -u
. "$(dirname "$0")/lib.sh"
wb_rig tcp
BYTES=${TCP_TEST_BYTES:-16777216}
rig_bg tcpsend python3 "$RIG_TOP/tests/rig/tcpsend.py" --port 5001 --bytes "$BYTES" --bind 192.0.2.1
rig_wait_file "$RIG_DIR/tcpsend.out" '^listening' 30
want=$(awk '/^crc32/ {print $2}' "$RIG_DIR/tcpsend.out")

wb_run recv 300 <<'EOF2'
#!ipxe
dhcp
tcprecv 192.0.2.1 5001
tcprecv 192.0.2.1 5001
EOF2
wb_expect_ok "tcp: two tcprecv runs succeed"
n=$(grep -cE "^tcprecv: $BYTES bytes in [0-9]+ ms .*crc32 $want" "$WB_LOG")
rig_expect_eq "tcp: $BYTES bytes with crc32 $want, twice" "$n" 2
# (a healthy transfer is never reported as a stalled link: tcp-stall.sh)
rig_check "tcp: no stalled-link report" bash -c "! grep -q '^tcp: nothing received' '$WB_LOG'"

wb_run refused 60 <<'EOF2'
#!ipxe
dhcp
tcprecv 192.0.2.1 5999
EOF2
wb_expect_fail "tcp: closed port -> connection refused" 'connection refused' 30
rig_finish
