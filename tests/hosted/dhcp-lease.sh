#!/bin/bash
# dhcp-lease.sh — nothing of a DHCP lease outlives it: initiator-iqn (option 203), root-path,
# ip … are removed from the interface's scope on ifclose and when `dhcp` runs again,
# whether that finds a server without option 203 or no server at all; an initiator-iqn the
# script set itself (global scope) stays.  Against dnsmasq in the netns.
set -u
. "$(dirname "$0")/lib.sh"
DHCP_IQN=iqn.2026-11.test:from-dhcp
wb_rig dhcplease nodhcp
rig_dnsmasq --dhcp-option=203,"$DHCP_IQN"

# ---- ifclose ends the lease ------------------------------------------------------------
wb_run close 60 <<'EOF'
#!ipxe
dhcp net0
echo IQN1=${net0/initiator-iqn}
echo UIQN1=${initiator-iqn}
ifclose net0
ifopen net0
echo IQN2=${net0/initiator-iqn}
echo UIQN2=${initiator-iqn}
echo IP2=${net0/ip}
echo RP2=${net0/root-path}
echo FN2=${net0/filename}
set initiator-iqn iqn.2026-11.test:set-by-hand
dhcp net0
ifclose net0
echo UIQN3=${initiator-iqn}
EOF
wb_expect_ok "ifclose: script ran"
rig_expect_eq "lease: option 203 published as net0/initiator-iqn" "$(wb_val IQN1)" "$DHCP_IQN"
rig_expect_eq "lease: \${initiator-iqn} reads it" "$(wb_val UIQN1)" "$DHCP_IQN"
rig_expect_eq "ifclose: net0/initiator-iqn removed" "$(wb_val IQN2)" ""
rig_expect_eq "ifclose: \${initiator-iqn} no longer the lease's" "$(wb_val UIQN2)" ""
rig_expect_eq "ifclose: net0/ip removed (ifopen does not take the old lease as static)" "$(wb_val IP2)" ""
rig_expect_eq "ifclose: net0/root-path removed" "$(wb_val RP2)" ""
rig_expect_eq "ifclose: net0/filename removed" "$(wb_val FN2)" ""
rig_expect_eq "ifclose: an initiator-iqn set by the script stays" "$(wb_val UIQN3)" iqn.2026-11.test:set-by-hand

# ---- dhcp again: no server at all, then a server without option 203 ---------------------
# the script announces when to stop dnsmasq and when to start it again (without 203)
cat >"$RIG_DIR/again.ipxe" <<'EOF'
#!ipxe
dhcp net0
echo IQN1=${net0/initiator-iqn}
echo STOP-SERVER-NOW
sleep 4
dhcp net0 || echo DHCP2=failed
echo IQN2=${net0/initiator-iqn}
echo UIQN2=${initiator-iqn}
echo IP2=${net0/ip}
echo RP2=${net0/root-path}
echo START-SERVER-NOW
sleep 6
dhcp net0 && echo DHCP3=ok
echo IQN3=${net0/initiator-iqn}
echo UIQN3=${initiator-iqn}
echo RP3=${net0/root-path}
EOF
WB_LOG="$RIG_DIR/again.log"
: >"$WB_LOG"
timeout -k 5 90 ip netns exec "$RIG_NS" "$WB" run --tap "$WB_TAP" "$RIG_DIR/again.ipxe" </dev/null >"$WB_LOG" 2>&1 &
wbpid=$!
if rig_wait_file "$WB_LOG" 'STOP-SERVER-NOW' 30; then
	rig_stop dnsmasq-main
	if rig_wait_file "$WB_LOG" 'START-SERVER-NOW' 40; then
		rig_dnsmasq
	fi
fi
wait "$wbpid"
WB_RC=$?
sed 's/^/    [again] /' "$WB_LOG"
wb_check_sane again
wb_expect_ok "again: script ran"
rig_expect_eq "again: first lease had option 203" "$(wb_val IQN1)" "$DHCP_IQN"
rig_expect_eq "again: dhcp without a server failed" "$(wb_val DHCP2)" failed
rig_expect_eq "again, failed: net0/initiator-iqn removed" "$(wb_val IQN2)" ""
rig_expect_eq "again, failed: \${initiator-iqn} no longer the old lease's" "$(wb_val UIQN2)" ""
rig_expect_eq "again, failed: net0/ip removed" "$(wb_val IP2)" ""
rig_expect_eq "again, failed: net0/root-path removed" "$(wb_val RP2)" ""
rig_expect_eq "again: a server without option 203 gave a lease" "$(wb_val DHCP3)" ok
rig_expect_eq "again, new lease without 203: no initiator-iqn" "$(wb_val IQN3)" ""
rig_expect_eq "again, new lease without 203: \${initiator-iqn} unset" "$(wb_val UIQN3)" ""
rig_expect_eq "again, new lease: its own root-path" "$(wb_val RP3)" "$RIG_ROOT_PATH"
rig_finish
