#!/bin/bash
# shell.sh — interactive shell on stdin: dhcp, show net0/ip, exit.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig shell

wb_shell shell 90 <<'EOF'
dhcp
show net0/ip
echo MAC=${net0/mac}
exit
EOF
if [ "$WB_RC" = 0 ]; then rig_pass "shell: exit status 0"; else rig_fail "shell: exit status 0" "exit $WB_RC"; fi
lease=$(rig_lease_ip "$(wb_mac)")
if [ -z "$lease" ]; then rig_fail "shell: dnsmasq leased an address" "no lease for '$(wb_mac)'"
else
	rig_pass "shell: dnsmasq leased an address"
	rig_expect_grep "shell: show net0/ip prints the lease" "$WB_LOG" "${lease//./\\.}([^0-9]|$)"
fi
rig_expect_grep "shell: prompt shown" "$WB_LOG" 'wireboot> '

# end of input without 'exit' ends the shell too
wb_shell eof 30 <<<'echo hello-from-stdin'
rig_expect_grep "shell: runs a command from stdin" "$WB_LOG" 'hello-from-stdin'
if [ "$WB_RC" != 124 ]; then rig_pass "shell: ends at end of input"; else rig_fail "shell: ends at end of input"; fi
rig_finish
