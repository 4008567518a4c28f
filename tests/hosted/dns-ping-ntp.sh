#!/bin/bash
# dns-ping-ntp.sh — nslookup, ping (reply and timeout), ntp (success and timeout).
set -u
. "$(dirname "$0")/lib.sh"
wb_rig dnsping

wb_run ok 90 <<'EOF2'
#!ipxe
dhcp
nslookup bootip boot.test
echo BOOTIP=${bootip}
ping --count 2 192.0.2.1
echo PING=done
ntp 192.0.2.1
echo NTP=done
EOF2
wb_expect_ok "dns-ping-ntp: script succeeds"
rig_expect_eq "nslookup boot.test" "$(wb_val BOOTIP)" 192.0.2.1
rig_expect_eq "ping 192.0.2.1" "$(wb_val PING)" done
rig_expect_eq "ntp 192.0.2.1" "$(wb_val NTP)" done
rig_expect_grep "dnsmasq answered the query" "$RIG_DIR/dnsmasq.log" 'query\[A\] boot\.test'

wb_run nxdomain 90 <<'EOF2'
#!ipxe
dhcp
nslookup x nosuchname.test
EOF2
wb_expect_fail "nslookup unknown name fails" 'DNS: name not found' 40

wb_run pingfail 90 <<'EOF2'
#!ipxe
dhcp
ping --count 2 192.0.2.250
EOF2
wb_expect_fail "ping unused address fails with timeout" 'no echo reply|timed out' 40

wb_run ntpfail 120 <<'EOF2'
#!ipxe
dhcp
ntp 192.0.2.251
EOF2
wb_expect_fail "ntp without server fails with NTP timeout" 'NTP: no reply from server' 60

rig_finish
