#!/bin/bash
# autoboot.sh — no embedded script (`wireboot boot`): DHCP on net0, the iscsi:
# root-path from dnsmasq is handed to sanboot (no target listens in this rig: sanboot
# tries to log in and says why it cannot), then the prompt.  Without a root-path, the filename is chained.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig autoboot

wb_boot() {   # wb_boot ID TIMEOUT: `wireboot boot`, stdin from the caller
	cat >"$RIG_DIR/$1.in"
	wb_exec "$1" "$2" "$WB" boot --tap "$WB_TAP" <"$RIG_DIR/$1.in"
}

wb_boot iscsi 60 <<'IN'
show net0/root-path
exit 7
IN
wb_expect_out "autoboot: DHCP on net0" 'DHCP \(net0 .*ok'
wb_expect_out "autoboot: iscsi root-path goes to sanboot" 'autoboot: sanboot \$\{net0/root-path\}'
wb_expect_out "autoboot: sanboot tried the target, said why it failed" 'sanboot: iscsi:192\.0\.2\.1:::1:.*connection refused'
wb_expect_out "autoboot: then the prompt" 'wireboot> '
rig_expect_eq "autoboot: exit status from the prompt" "$WB_RC" 7

# --pre (load options) run first, ';' separated; through wb_exec like every run (its
# sanitizer/crash/timeout check), and `exit 0` there must be the exit status
wb_exec pre 60 "$WB" boot --tap "$WB_TAP" --pre 'echo pre-one ; echo pre-two ; exit 0' </dev/null
rig_expect_eq "autoboot: exit status from the load options" "$WB_RC" 0
wb_expect_out "autoboot: load options run" 'pre-one'
wb_expect_out "autoboot: ; runs the next load option" 'pre-two'
if grep -q 'DHCP (net0' "$WB_LOG"; then rig_fail "autoboot: exit in load options ends before autoboot"
else rig_pass "autoboot: exit in load options ends before autoboot"; fi
rig_finish
