#!/bin/bash
# chain-https.sh — the image commands over HTTPS on the hosted build (lwIP on a
# TAP device), with the machine playing a board without a clock
# (WB_HOST_NO_RTC=1): before the first https fetch wireboot must ask the NTP
# server DHCP named (option 42, chronyd in the rig) on its own; the chained
# script then chains a second one by a relative URI (RFC 3986 against the
# first script's URL); imgfetch/imgstat of an https image; without any NTP
# server the fetch is refused with a message saying to run `ntp`.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig chainhttps
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
rig_nginx_tls web "443|$P/good-rsa.chain.pem|$P/good-rsa.key"
mkdir -p "$RIG_DIR/web-www/dir"
printf '#!ipxe\necho first-script from ${net0/ip}\nchain next.ipxe\necho first-script-end\n' >"$RIG_DIR/web-www/dir/boot.ipxe"
printf '#!ipxe\necho second-script via relative URI\n' >"$RIG_DIR/web-www/dir/next.ipxe"
printf 'payload\n' >"$RIG_DIR/web-www/dir/data.bin"

export WB_HOST_NO_RTC=1
wb_run chain 90 --trust "$P/root.pem" <<'SCRIPT'
#!ipxe
dhcp
chain https://boot.test/dir/boot.ipxe
imgfetch https://boot.test/dir/data.bin
imgstat data.bin
SCRIPT
wb_expect_ok "chain-https: script succeeds"
wb_expect_out "chain-https: no clock → asks DHCP's NTP server" 'https: the clock is unknown; asking NTP server 192\.0\.2\.1'
wb_expect_out "chain-https: first script over https" '^first-script from 192\.0\.2\.'
wb_expect_out "chain-https: relative chain" '^second-script via relative URI'
wb_expect_out "chain-https: back in the first script" '^first-script-end'
wb_expect_out "chain-https: imgfetch over https" '^data\.bin : 8 bytes \[data\]'
rig_expect_grep "chain-https: nginx served the relative URL" "$RIG_DIR/web-access.log" 'GET /dir/next\.ipxe'

# the same with the NTP server gone: refused, and the message says what to do
rig_stop chronyd
wb_run nontp 90 --trust "$P/root.pem" <<'SCRIPT'
#!ipxe
dhcp
chain https://boot.test/dir/boot.ipxe
SCRIPT
wb_expect_fail "chain-https: no time at all → refused, says run ntp" "current time unknown.*run 'ntp"
rig_finish
