#!/bin/bash
# deploy.sh — the recipes of docs/deploy.md, taken from the page itself (the block after
# each "<!-- deploy: NAME -->" marker) and run against the real servers: only the
# interface name (eth0 → br0) and file locations are changed.
#   dnsmasq: wireboot's autoboot (`wireboot boot`, no embedded script) gets an address,
#     the script URL, NTP and DNS, chains https://boot.test/boot.ipxe (checked against
#     the test CA) and the script runs; the machine of the dhcp-host line also gets its
#     initiator name (option 203) and root path; firmware PXE (option 60 PXEClient, arch
#     11, no user class) gets wireboot.efi and next-server; iPXE (user class iPXE) does
#     not get wireboot.efi.
#   kea: the same with kea-dhcp4 (option-def for 203, a reservation).
#   tgt: tgtd configured by `tgt-admin --update ALL` with the page's target block
#     (LUN 1 on the test disk, address ACL, mutual CHAP): preflight with the page's
#     command succeeds and the disk would boot; a wrong secret is refused.
set -u
. "$(dirname "$0")/lib.sh"
DOC=$RIG_TOP/docs/deploy.md
block() { # the fenced block after the marker, without its fences
	awk -v m="<!-- deploy: $1 -->" '$0 == m { st = 1; next }
		st == 1 && /^```/ { st = 2; next } st == 2 && /^```/ { exit } st == 2' "$DOC"
}
for b in dnsmasq kea tgt; do
	[ -n "$(block $b)" ] || { echo "FAIL: deploy: no '$b' block in docs/deploy.md"; exit 1; }
done
command -v kea-dhcp4 >/dev/null || { echo "FAIL: deploy: kea-dhcp4 missing (scripts/deps.sh)"; exit 1; }
command -v tgt-admin >/dev/null || { echo "FAIL: deploy: tgt-admin missing (scripts/deps.sh)"; exit 1; }

wb_rig deploy nodhcp
rig_ntp
P=$RIG_DIR/pki
bash "$RIG_TOP/tests/rig/pki.sh" "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
rig_nginx_tls web "443|$P/good-rsa.chain.pem|$P/good-rsa.key"
printf '#!ipxe\necho DEPLOY-SCRIPT ran on ${net0/ip}\nexit 0\n' >"$RIG_DIR/web-www/boot.ipxe"
NODE_MAC=52:54:00:12:34:56

# autoboot ID [--mac MAC]: the firmware flow, no embedded script; the prompt gets `exit 3`
autoboot() {
	local id=$1; shift
	echo "exit 3" >"$RIG_DIR/$id.in"
	wb_exec "$id" 90 "$WB" boot --tap "$WB_TAP" "$@" --trust "$P/root.pem" <"$RIG_DIR/$id.in"
}
# dhcpvals ID [--mac MAC]: the values DHCP gave
dhcpvals() {
	local id=$1; shift
	wb_run "$id" 60 "$@" <<'SCRIPT'
#!ipxe
dhcp net0
echo IP=${net0/ip}
echo FILE=${net0/filename}
echo ROOT=${net0/root-path}
echo IQN=${net0/initiator-iqn}
echo NTP=${net0/ntp}
echo DNS=${net0/dns}
SCRIPT
}
# client NAME IP/PREFIX ARGS...: tests/rig/dhcpclient.py from another namespace, its
# output in CLIENT_OUT.  Not called in $(...): rig_client records the namespace for the
# rig's cleanup, which a subshell would forget (it was left behind).
client() {
	rig_client "$1" "$2"
	CLIENT_OUT=$(ip netns exec "$RIG_CLIENT" timeout 20 python3 "$RIG_TOP/tests/rig/dhcpclient.py" eth0 "${@:3}" 2>&1)
}
check_server() { # NAME: what every DHCP recipe must give
	local s=$1 out
	autoboot "$s-boot"
	wb_expect_out "$s: autoboot chains the script URL" 'DEPLOY-SCRIPT ran on 192\.0\.2\.1[0-9][0-9]'
	dhcpvals "$s-any"
	wb_expect_ok "$s: dhcp succeeds"
	rig_expect_eq "$s: script URL" "$(wb_val FILE)" https://boot.test/boot.ipxe
	rig_expect_eq "$s: NTP server (option 42)" "$(wb_val NTP)" 192.0.2.1
	rig_expect_eq "$s: DNS server" "$(wb_val DNS)" 192.0.2.1
	rig_expect_eq "$s: no initiator name for other machines" "$(wb_val IQN)" ""
	dhcpvals "$s-node1" --mac "$NODE_MAC"
	rig_expect_eq "$s: node1's reserved address" "$(wb_val IP)" 192.0.2.101
	rig_expect_eq "$s: node1's initiator name (option 203)" "$(wb_val IQN)" iqn.2026-12.example.boot:node1
	rig_expect_eq "$s: node1's root path" "$(wb_val ROOT)" iscsi:192.0.2.1:::1:iqn.2026-12.example.boot:disk1
	client "$s-fw" 192.0.2.250/24 --vendor-class PXEClient:Arch:00011:UNDI:003016; out=$CLIENT_OUT
	echo "    [$s-fw] $out"
	case "$out" in
	*"file=wireboot/aa64/wireboot.efi"*) rig_pass "$s: firmware PXE (arm64) gets wireboot.efi" ;;
	*) rig_fail "$s: firmware PXE (arm64) gets wireboot.efi" "$out" ;;
	esac
	client "$s-ipxe" 192.0.2.251/24 --vendor-class PXEClient:Arch:00011:UNDI:003016 --user-class iPXE; out=$CLIENT_OUT
	echo "    [$s-ipxe] $out"
	case "$out" in
	*"wireboot.efi"*) rig_fail "$s: iPXE does not get wireboot.efi" "$out" ;;
	"ack "*) rig_pass "$s: iPXE does not get wireboot.efi" ;;
	*) rig_fail "$s: iPXE gets an offer" "$out" ;;
	esac
}

# ---- dnsmasq
mkdir -p "$RIG_DIR/tftp"
block dnsmasq | sed -e 's/^interface=eth0$/interface=br0/' -e "s|^tftp-root=.*|tftp-root=$RIG_DIR/tftp|" >"$RIG_DIR/dnsmasq-deploy.conf"
: >"$RIG_DIR/dnsmasq-deploy.log"
rig_bg dnsmasq-deploy dnsmasq -k --conf-file="$RIG_DIR/dnsmasq-deploy.conf" --user=root --group=root \
	--bind-interfaces --except-interface=lo --no-resolv --no-hosts \
	--pid-file="$RIG_DIR/dnsmasq-deploy.pid" --dhcp-leasefile="$RIG_DIR/dnsmasq-deploy.leases" \
	--log-facility="$RIG_DIR/dnsmasq-deploy.log" --log-dhcp
rig_wait_file "$RIG_DIR/dnsmasq-deploy.log" 'DHCP, IP range' 10 ||
	{ cat "$RIG_DIR/dnsmasq-deploy.out" "$RIG_DIR/dnsmasq-deploy.log" >&2; rig_die "dnsmasq with the page's config did not start"; }
check_server dnsmasq
rig_stop dnsmasq-deploy

# ---- Kea (DNS for boot.test from a DNS-only dnsmasq: Kea serves no DNS)
rig_bg dnsmasq-dns dnsmasq -k --conf-file=/dev/null --user=root --group=root \
	--interface=br0 --bind-interfaces --except-interface=lo --no-resolv --no-hosts --port=53 \
	--no-dhcp-interface=br0 --host-record=boot.test,192.0.2.1
rig_wait_listen udp 53 10 || rig_die "dnsmasq (DNS) did not start"
mkdir -p "$RIG_DIR/kea-run"
block kea | sed 's/"interfaces": \[ "eth0" \]/"interfaces": [ "br0" ]/' >"$RIG_DIR/kea-deploy.json"
rig_bg kea env KEA_LOCKFILE_DIR="$RIG_DIR/kea-run" KEA_PIDFILE_DIR="$RIG_DIR/kea-run" \
	kea-dhcp4 -c "$RIG_DIR/kea-deploy.json"
rig_wait_file "$RIG_DIR/kea.out" 'DHCP4_STARTED' 15 ||
	{ cat "$RIG_DIR/kea.out" >&2; rig_die "kea-dhcp4 with the page's config did not start"; }
check_server kea
rig_stop kea

# ---- tgt
IMG=$RIG_DIR/node1.img
bash "$RIG_TOP/tests/rig/mkdisk.sh" arm64 "$RIG_TOP/build/disk/test-arm64.img" >/dev/null ||
	rig_die "tests/rig/mkdisk.sh arm64 failed"
cp "$RIG_TOP/build/disk/test-arm64.img" "$IMG"
block tgt | sed "s|backing-store /srv/iscsi/node1.img|backing-store $IMG|" >"$RIG_DIR/tgt-deploy.conf"
rig_tgtd_start
rig_ns tgt-admin -C "$RIG_TGT_PORT" -c "$RIG_DIR/tgt-deploy.conf" --update ALL >"$RIG_DIR/tgt-admin.out" 2>&1 ||
	{ cat "$RIG_DIR/tgt-admin.out"; rig_die "tgt-admin --update ALL with the page's block failed"; }
# the page's preflight command, as written (continuation lines joined)
cmd=$(sed -n '/^    WIREBOOT_SECRET=/,/^$/p' "$DOC" | sed 's/^ *//; s/\\$//' | tr '\n' ' ')
[ -n "$cmd" ] || rig_die "no preflight command in docs/deploy.md"
echo "    page: $cmd"
read -r -a words <<<"$cmd"
envs=() args=()
for w in "${words[@]}"; do
	case $w in WIREBOOT_*=*) envs+=("$w") ;; wireboot) ;; *) args+=("$w") ;; esac
done
SECRET=initsecret-0123 MSECRET=targetsecret-4567   # wb_exec checks no output shows them
wb_exec tgt-ok 90 env "${envs[@]}" "$WB" "${args[@]}" </dev/null
wb_expect_ok "tgt: the page's preflight logs in with mutual CHAP"
wb_expect_out "tgt: LUN 1 would boot on arm64" '^verdict \(arm64\): OK'
envs_bad=("${envs[@]}")
envs_bad[0]=WIREBOOT_SECRET=wrong-secret-0000
wb_exec tgt-chap 60 env "${envs_bad[@]}" "$WB" "${args[@]}" --no-disk </dev/null
wb_expect_fail "tgt: a wrong secret is refused by the target's CHAP" 'target refused our CHAP response'
rig_finish
