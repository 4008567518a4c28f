#!/bin/bash
# kea.sh — the Kea client classes of docs/pxe.md (the JSON block after the
# "kea-client-classes" marker, taken from the doc itself) in kea-dhcp4 on br0: wireboot
# (user class "wireboot") gets an address and the script URL; a client that looks like
# firmware PXE (option 60 PXEClient:…, no user class; tests/rig/dhcpclient.py) gets
# wireboot.efi with next-server 192.0.2.1.
set -u
. "$(dirname "$0")/lib.sh"
command -v kea-dhcp4 >/dev/null || { echo "FAIL: kea: kea-dhcp4 missing (scripts/deps.sh)"; exit 1; }
wb_rig kea nodhcp

classes=$(sed -n '/<!-- kea-client-classes/,/^```$/p' "$RIG_TOP/docs/pxe.md" | sed '1,2d;$d')
[ -n "$classes" ] || rig_die "no kea-client-classes block in docs/pxe.md"
mkdir -p "$RIG_DIR/kea-run"
cat >"$RIG_DIR/kea.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "br0" ], "dhcp-socket-type": "raw" },
  "lease-database": { "type": "memfile", "persist": false },
  "valid-lifetime": 3600,
  "client-classes": $classes,
  "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24",
    "pools": [ { "pool": "192.0.2.100 - 192.0.2.199" } ],
    "option-data": [ { "name": "routers", "data": "192.0.2.1" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
    "output_options": [ { "output": "$RIG_DIR/kea.log" } ] } ]
} }
JSON
rig_bg kea env KEA_LOCKFILE_DIR="$RIG_DIR/kea-run" KEA_PIDFILE_DIR="$RIG_DIR/kea-run" \
	kea-dhcp4 -c "$RIG_DIR/kea.json"
rig_wait_file "$RIG_DIR/kea.log" 'DHCP4_STARTED' 15 ||
	{ cat "$RIG_DIR/kea.out" "$RIG_DIR/kea.log" >&2; rig_die "kea-dhcp4 did not start"; }

wb_run wireboot 60 <<'EOF2'
#!ipxe
dhcp net0
echo IP=${net0/ip}
echo FILE=${net0/filename}
echo SRV=${net0/dhcp-server}
EOF2
wb_expect_ok "kea: dhcp net0 succeeds"
case "$(wb_val IP)" in 192.0.2.1[0-9][0-9]) rig_pass "kea: address from Kea's pool" ;;
	*) rig_fail "kea: address from Kea's pool" "'$(wb_val IP)'" ;; esac
rig_expect_eq "kea: wireboot (user class) gets the script" "$(wb_val FILE)" http://boot.test/boot.ipxe
rig_expect_eq "kea: from Kea" "$(wb_val SRV)" 192.0.2.1
rig_expect_grep "kea: Kea put wireboot in class wireboot" "$RIG_DIR/kea.log" 'EVAL_RESULT Expression wireboot evaluated to (1|true)'

rig_client fw 192.0.2.250/24
out=$(ip netns exec "$RIG_CLIENT" timeout 20 python3 "$RIG_TOP/tests/rig/dhcpclient.py" eth0 \
	--vendor-class PXEClient:Arch:00011:UNDI:003016 2>&1)
echo "    [fw] $out"
case "$out" in
	*"file=wireboot.efi"*) rig_pass "kea: firmware PXE gets wireboot.efi" ;;
	*) rig_fail "kea: firmware PXE gets wireboot.efi" "$out" ;;
esac
rig_finish
