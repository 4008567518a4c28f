#!/bin/bash
# errors.sh — bad input: no DHCP server, unknown interface/command, link down, `||`,
# hostile DHCP replies (tests/rig/baddhcp.py).  The app must print a clear error,
# exit non-zero, and never crash or hang.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig errors nodhcp

wb_run nodhcp 90 <<'EOF2'
#!ipxe
dhcp
EOF2
wb_expect_fail "errors: no DHCP server -> DHCP timeout message" 'DHCP: no offer' 60

wb_run net9 30 <<'EOF2'
#!ipxe
dhcp net9
EOF2
wb_expect_fail "errors: dhcp net9 -> no such interface" 'no such interface' 15

wb_run badcmd 30 <<'EOF2'
#!ipxe
frobnicate --now
echo NOTREACHED=yes
EOF2
wb_expect_fail "errors: unknown command" 'unknown command' 15
rig_expect_eq "errors: script stops at failing command" "$(wb_val NOTREACHED)" ""

wb_run caught 30 <<'EOF2'
#!ipxe
dhcp net9 || echo caught
echo AFTER=yes
EOF2
wb_expect_ok "errors: || catches failure (exit 0)"
wb_expect_out "errors: || handler ran" '^caught'
rig_expect_eq "errors: script continues after ||" "$(wb_val AFTER)" yes

wb_run exit3 30 <<'EOF2'
#!ipxe
exit 3
EOF2
rig_expect_eq "errors: exit 3 gives status 3" "$WB_RC" 3

# link down on the namespace side of the tap
rig_ns ip link set "$WB_TAP" down
wb_run linkdown 90 <<'EOF2'
#!ipxe
dhcp
EOF2
wb_expect_fail "errors: tap down -> dhcp fails cleanly" 'link|DHCP' 60
rig_ns ip link set "$WB_TAP" up

# hostile / unusual DHCP servers: every reply is malformed, so each must be dropped
# (SECURITY.md: "Malformed replies are dropped and reported"): dhcp fails, says which
# check the last reply failed, and no address from it is ever applied or printed.
for mode in truncated overlong bad-overload; do
	case $mode in
	truncated) why='option 3 \(length 40\) runs past the end of the options field' ;;
	overlong) why='option 1 has length 255' ;;
	bad-overload) why='option overload \(52\) inside an overloaded field' ;;
	esac
	rig_bg "baddhcp-$mode" python3 "$RIG_TOP/tests/rig/baddhcp.py" br0 "$mode"
	rig_wait_file "$RIG_DIR/baddhcp-$mode.out" '^baddhcp:' 10
	wb_run "$mode" 90 <<'EOF2'
#!ipxe
dhcp
echo IP=${net0/ip}
echo GW=${net0/gateway}
echo HOST=${net0/hostname}
echo ROOT=${net0/root-path}
EOF2
	if grep -q 'sent OFFER' "$RIG_DIR/baddhcp-$mode.out"; then rig_pass "errors: $mode: offer was sent"
	else rig_fail "errors: $mode: offer was sent"; fi
	wb_expect_fail "errors: $mode: offer dropped, dhcp fails" 'DHCP: no offer' 60
	wb_expect_out "errors: $mode: the drop is reported with its reason" \
		"^DHCP: ignored [0-9]+ malformed repl(y|ies); last: $why\$"
	if grep -q '192\.0\.2\.150' "$WB_LOG"; then rig_fail "errors: $mode: no address from the dropped offer" "$(grep -m1 '192\.0\.2\.150' "$WB_LOG")"
	else rig_pass "errors: $mode: no address from the dropped offer"; fi
	if grep -qP '[\x00-\x08\x0b-\x1f]' "$WB_LOG"; then rig_fail "errors: $mode: no control bytes printed"
	else rig_pass "errors: $mode: no control bytes printed"; fi
	rig_stop "baddhcp-$mode"
done

for mode in overload ok-overload; do
	rig_bg "baddhcp-$mode" python3 "$RIG_TOP/tests/rig/baddhcp.py" br0 "$mode"
	rig_wait_file "$RIG_DIR/baddhcp-$mode.out" '^baddhcp:' 10
	wb_run "$mode" 90 <<'EOF2'
#!ipxe
dhcp
echo IP=${net0/ip}
echo GW=${net0/gateway}
echo DNS=${net0/dns}
echo HOST=${net0/hostname}
echo DOMAIN=${net0/domain}
EOF2
	wb_expect_ok "errors: $mode: dhcp succeeds"
	rig_expect_eq "errors: $mode: ip" "$(wb_val IP)" 192.0.2.150
	rig_expect_eq "errors: $mode: gateway from overloaded field" "$(wb_val GW)" 192.0.2.1
	rig_expect_eq "errors: $mode: dns from overloaded field" "$(wb_val DNS)" 192.0.2.1
	rig_expect_eq "errors: $mode: hostname from overloaded field" "$(wb_val HOST)" overloaded
	[ "$mode" = overload ] && rig_expect_eq "errors: overload: domain from sname" "$(wb_val DOMAIN)" test
	rig_stop "baddhcp-$mode"
done

rig_finish
