# tests/rig/rig.sh — network-namespace test rig, sourced by bash test scripts.
#
#   . tests/rig/rig.sh
#   rig_init dhcp            # netns wb-dhcp-$$, RIG_DIR, cleanup trap
#   rig_bridge               # br0 192.0.2.1/24
#   rig_tap tap0             # persistent tap on br0 (QEMU / wireboot --tap open it)
#   rig_dnsmasq              # DHCP + DNS on br0
#   rig_ntp                  # chronyd serving its local clock on 192.0.2.1
#   rig_vlan 10              # br0.10 198.51.100.1/24 + its own dnsmasq
#   rig_ns CMD...            # run CMD inside the namespace
#   rig_bg NAME CMD...       # start CMD in the namespace in the background
#   rig_tgtd IQN IMG U S [MU MS]  # tgtd on 192.0.2.1:3260, LUN 1 = IMG, CHAP (+ mutual)
#
# Everything lives in a namespace of its own: the documentation ranges 192.0.2.0/24 and
# 198.51.100.0/24 never reach the host's network, daemons never touch the host's clock
# or resolver, and rig_cleanup (run by the EXIT/INT/TERM trap) kills only the PIDs the
# rig started, deletes the namespaces and removes RIG_DIR (kept if RIG_KEEP=1).
#
# Result helpers for test scripts: rig_pass NAME, rig_fail NAME [detail], rig_check NAME
# CMD..., rig_finish (exit status: 0 if nothing failed).

RIG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RIG_NS=""
RIG_DIR=""
RIG_NAME=""
RIG_PIDS=()
RIG_CLIENT_NS=()
RIG_FAILS=0
RIG_PASSES=0
RIG_CLEANED=0
RIG_CLEANUP_CMDS=()
declare -gA RIG_PID=()

RIG_BR_IP=192.0.2.1
RIG_VLAN_NET=198.51.100
RIG_ROOT_PATH=${RIG_ROOT_PATH-iscsi:192.0.2.1:::1:iqn.2026-11.test:disk}   # set empty: none
RIG_BOOTFILE=${RIG_BOOTFILE-http://boot.test/boot.ipxe}   # set empty: no boot file

rig_log() { echo "rig: $*" >&2; }
rig_die() { echo "rig: error: $*" >&2; exit 1; }

# rig_init NAME — create the namespace and the temp dir, install the cleanup trap.
rig_init() {
	[ "$(id -u)" = 0 ] || rig_die "the rig needs root (network namespaces)"
	command -v ip >/dev/null || rig_die "ip (iproute2) missing: run scripts/deps.sh"
	RIG_NAME=${1:-test}
	RIG_NS="wb-$RIG_NAME-$$"
	RIG_DIR=$(mktemp -d "/tmp/wb-$RIG_NAME.XXXXXX") || rig_die "mktemp failed"
	chmod 755 "$RIG_DIR"
	RIG_CLEANED=0
	trap rig_cleanup EXIT
	trap 'rig_cleanup; exit 130' INT
	trap 'rig_cleanup; exit 143' TERM
	ip netns add "$RIG_NS" || rig_die "ip netns add $RIG_NS failed"
	ip -n "$RIG_NS" link set lo up
	# no IPv6 chatter (router solicitations, DAD) on the test links
	ip netns exec "$RIG_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
	ip netns exec "$RIG_NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
}

# rig_ns CMD... — run CMD inside the namespace.
rig_ns() { ip netns exec "$RIG_NS" "$@"; }

# rig_bg NAME CMD... — start CMD in the namespace in the background; stdout+stderr go to
# $RIG_DIR/NAME.out.  `ip netns exec` execs the program, so $! is the program itself.
# The PID is in RIG_PID[NAME] and in RIG_LAST_PID.
rig_bg() {
	local name=$1; shift
	ip netns exec "$RIG_NS" "$@" >"$RIG_DIR/$name.out" 2>&1 </dev/null &
	RIG_LAST_PID=$!
	RIG_PIDS+=("$RIG_LAST_PID")
	RIG_PID[$name]=$RIG_LAST_PID
}

# rig_pid NAME — PID of a process started by rig_bg.
rig_pid() { echo "${RIG_PID[$1]:-}"; }

# rig_stop NAME_OR_PID — stop one process started by the rig (TERM, then KILL after 3 s).
rig_stop() {
	local pid=${RIG_PID[$1]:-$1} i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# rig_cleanup — kill what the rig started, delete namespaces, remove RIG_DIR. Idempotent.
rig_cleanup() {
	local rc=$? pid i alive ns
	[ "$RIG_CLEANED" = 1 ] && return "$rc"
	RIG_CLEANED=1
	# registered stop commands first (daemons that ignore SIGTERM, e.g. tgtd)
	for i in "${RIG_CLEANUP_CMDS[@]}"; do eval "$i" >/dev/null 2>&1 || true; done
	for pid in "${RIG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for i in $(seq 30); do
		alive=0
		for pid in "${RIG_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.1
	done
	for pid in "${RIG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
	for pid in "${RIG_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	# Anything else still running inside our own namespaces was started by this test
	# (e.g. a command run with rig_ns in the background): stop it by PID.
	# Every client namespace is named "$RIG_NS-NAME" (rig_client): take them all, also one
	# made in a subshell (e.g. inside $(...)), whose RIG_CLIENT_NS entry was lost.
	local all_ns=("${RIG_CLIENT_NS[@]}")
	[ -z "$RIG_NS" ] || all_ns+=($(ip netns list 2>/dev/null | awk -v p="$RIG_NS-" 'index($1, p) == 1 {print $1}'))
	for ns in "${all_ns[@]}" $RIG_NS; do
		[ -n "$ns" ] || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
	done
	if [ -n "$RIG_NS" ]; then
		# persistent taps go away with the namespace, but delete them explicitly anyway
		for i in $(ip -n "$RIG_NS" -o link show type tun 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
			ip -n "$RIG_NS" tuntap del mode tap name "$i" 2>/dev/null || true
		done
	fi
	for ns in "${all_ns[@]}" $RIG_NS; do
		[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null || true
	done
	if [ -n "$RIG_DIR" ] && [ -d "$RIG_DIR" ]; then
		if [ "${RIG_KEEP:-0}" = 1 ]; then
			rig_log "kept $RIG_DIR"
		else
			rm -rf "$RIG_DIR"
		fi
	fi
	return "$rc"
}

# rig_bridge — br0 192.0.2.1/24 up (no STP, no forwarding delay, no VLAN filtering).
rig_bridge() {
	# (no vlan_filtering knob: it is off by default and some kernels lack it entirely)
	rig_ns ip link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0 ||
		rig_die "cannot create br0"
	rig_ns ip addr add "$RIG_BR_IP/24" dev br0
	rig_ns ip link set br0 up
	rig_ns ip link set lo up
}

# rig_tap TAP — persistent tap device on br0.
rig_tap() {
	local tap=${1:?rig_tap TAP}
	rig_ns ip tuntap add mode tap name "$tap" || rig_die "cannot create tap $tap"
	rig_ns ip link set "$tap" master br0
	rig_ns ip link set "$tap" up
}

# rig_client NAME IP/PREFIX — a second namespace "$RIG_NS-NAME" joined to br0 by a veth
# pair (bridge side vb-NAME, client side eth0 with IP).  Sets RIG_CLIENT to its name.
rig_client() {
	local name=${1:?rig_client NAME IP/PREFIX} addr=${2:?rig_client NAME IP/PREFIX}
	RIG_CLIENT="$RIG_NS-$name"
	ip netns add "$RIG_CLIENT" || rig_die "ip netns add $RIG_CLIENT failed"
	RIG_CLIENT_NS+=("$RIG_CLIENT")
	ip -n "$RIG_CLIENT" link set lo up
	rig_ns ip link add "vb-$name" type veth peer name eth0 netns "$RIG_CLIENT" ||
		rig_die "cannot create veth vb-$name"
	rig_ns ip link set "vb-$name" master br0
	rig_ns ip link set "vb-$name" up
	ip -n "$RIG_CLIENT" addr add "$addr" dev eth0
	ip -n "$RIG_CLIENT" link set eth0 up
}

# rig_dnsmasq [extra dnsmasq args] — DHCP + DNS on br0.
#   leases $RIG_DIR/dnsmasq.leases, log $RIG_DIR/dnsmasq.log (with --log-dhcp: the
#   options each client sent, its vendor class and tags "wireboot" / "arch").
rig_dnsmasq() {
	_rig_dnsmasq main br0 "$RIG_BR_IP" 192.0.2 "$RIG_DIR/dnsmasq" "$@"
}

# _rig_dnsmasq NAME IFACE SERVERIP NET24 FILEBASE [extra args]
_rig_dnsmasq() {
	local name=$1 ifc=$2 sip=$3 net=$4 base=$5; shift 5
	: >"$base.leases"
	: >"$base.log"
	rig_bg "dnsmasq-$name" dnsmasq -k --conf-file=/dev/null \
		--user=root --group=root \
		--interface="$ifc" --except-interface=lo --bind-interfaces \
		--pid-file="$base.pid" \
		--dhcp-leasefile="$base.leases" \
		--log-facility="$base.log" --log-dhcp --log-queries \
		--no-resolv --no-hosts --no-ping \
		--dhcp-authoritative \
		--dhcp-range="$net.100,$net.199,255.255.255.0,1h" \
		--dhcp-option=option:router,"$sip" \
		--dhcp-option=option:dns-server,"$sip" \
		--dhcp-option=option:ntp-server,"$sip" \
		--domain=test \
		--dhcp-option=option:domain-name,test \
		--host-record=boot.test,"$RIG_BR_IP" \
		--host-record=ntp.test,"$RIG_BR_IP" \
		${RIG_ROOT_PATH:+"--dhcp-option=option:root-path,$RIG_ROOT_PATH"} \
		${RIG_BOOTFILE:+"--dhcp-boot=$RIG_BOOTFILE"} \
		--dhcp-vendorclass=set:wireboot,wireboot \
		--dhcp-userclass=set:wbuser,wireboot \
		--dhcp-vendorclass=set:pxeclient,PXEClient \
		--dhcp-match=set:arch,option:client-arch \
		"$@"
	rig_wait_file "$base.log" 'DHCP, IP range' 10 && rig_wait_file "$base.pid" '[0-9]' 5 || {
		cat "$RIG_DIR/dnsmasq-$name.out" "$base.log" >&2
		rig_die "dnsmasq ($name) did not start"
	}
}

# rig_vlan TAG — the VLAN TAG on br0: interface br0.TAG with 198.51.100.1/24 and its own
# dnsmasq serving 198.51.100.100-199 (leases $RIG_DIR/dnsmasq-vlanTAG.leases, log
# $RIG_DIR/dnsmasq-vlanTAG.log).  Uses a kernel 802.1Q device when the kernel has one;
# otherwise br0.TAG is a tap fed by tests/rig/vlanbridge.py from a veth trunk port on
# br0 (same frames on the wire: clients on tap ports send/receive 802.1Q-tagged frames).
# The bridge has no VLAN filtering, so tagged frames pass through it untouched.
rig_vlan() {
	local tag=${1:?rig_vlan TAG} dev="br0.$1"
	if rig_ns ip link add link br0 name "$dev" type vlan id "$tag" 2>/dev/null; then
		RIG_VLAN_MODE=kernel
	else
		RIG_VLAN_MODE=user
		rig_ns ip link add "vt$tag" type veth peer name "vtr$tag" || rig_die "cannot create veth for vlan $tag"
		rig_ns ip link set "vt$tag" master br0
		rig_ns ip link set "vt$tag" up
		rig_ns ip link set "vtr$tag" up
		rig_ns ip tuntap add mode tap name "$dev" || rig_die "cannot create $dev"
		rig_bg "vlanbridge$tag" python3 "$RIG_TOP/tests/rig/vlanbridge.py" "vtr$tag" "$dev" "$tag"
		rig_wait_file "$RIG_DIR/vlanbridge$tag.out" '^vlanbridge:' 10 ||
			{ cat "$RIG_DIR/vlanbridge$tag.out" >&2; rig_die "vlanbridge $tag did not start"; }
	fi
	rig_ns ip addr add "$RIG_VLAN_NET.1/24" dev "$dev"
	rig_ns ip link set "$dev" up
	_rig_dnsmasq "vlan$tag" "$dev" "$RIG_VLAN_NET.1" "$RIG_VLAN_NET" "$RIG_DIR/dnsmasq-vlan$tag"
}

# rig_ntp — chronyd serving its local clock (stratum 8) on 192.0.2.1 / 198.51.100.1.
# -x: never touches the host clock; no outside servers; cmdport 0, no command socket.
rig_ntp() {
	local conf="$RIG_DIR/chrony.conf"
	cat >"$conf" <<EOF
local stratum 8
allow 192.0.2.0/24
allow 198.51.100.0/24
cmdport 0
bindcmdaddress /
pidfile $RIG_DIR/chronyd.pid
EOF
	rig_bg chronyd chronyd -f "$conf" -x -d -u root
	rig_wait_listen udp 123 10 || {
		cat "$RIG_DIR/chronyd.out" >&2
		rig_die "chronyd did not start"
	}
}

# rig_wait_listen udp|tcp PORT TIMEOUT — wait until something in the netns listens.
rig_wait_listen() {
	local proto=$1 port=$2 t=${3:-10} flag i
	[ "$proto" = udp ] && flag=-lnu || flag=-lnt
	for i in $(seq $((t * 10))); do
		rig_ns ss -H $flag "sport = :$port" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# rig_wait_file FILE PATTERN TIMEOUT — wait until FILE has a line matching PATTERN (ERE).
rig_wait_file() {
	local f=$1 pat=$2 t=${3:-10} i
	for i in $(seq $((t * 10))); do
		grep -Eq -- "$pat" "$f" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# rig_wait_pid PID TIMEOUT — wait until PID exits; returns 1 if still running.
rig_wait_pid() {
	local pid=$1 t=${2:-10} i
	for i in $(seq $((t * 10))); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# rig_lease_ip MAC [LEASEFILE] — the address dnsmasq leased to MAC (empty if none).
rig_lease_ip() {
	local mac=${1,,} f=${2:-$RIG_DIR/dnsmasq.leases}
	awk -v m="$mac" 'tolower($2) == m { print $3 }' "$f" 2>/dev/null | tail -1
}

# rig_tap_mac TAP — (the netns side's MAC of the tap is *not* the guest's; use the
# app's ifstat / ${net0/mac} for the client MAC).
rig_tap_mac() { rig_ns cat "/sys/class/net/$1/address"; }

# ---- result helpers ------------------------------------------------------------------
rig_pass() { echo "PASS: $1"; RIG_PASSES=$((RIG_PASSES + 1)); }
rig_fail() {
	echo "FAIL: $1${2:+ ($2)}"
	RIG_FAILS=$((RIG_FAILS + 1))
}
# rig_check NAME CMD... — PASS if CMD succeeds.
rig_check() {
	local name=$1; shift
	if "$@"; then rig_pass "$name"; else rig_fail "$name"; fi
}
# rig_expect_eq NAME GOT WANT
rig_expect_eq() {
	if [ "$2" = "$3" ]; then rig_pass "$1"; else rig_fail "$1" "got '$2', want '$3'"; fi
}
# rig_expect_grep NAME FILE PATTERN (ERE)
rig_expect_grep() {
	if grep -Eq -- "$3" "$2" 2>/dev/null; then rig_pass "$1"
	else rig_fail "$1" "no /$3/ in $(basename "$2")"; fi
}
# rig_finish — exit 0 if nothing failed (cleanup runs from the EXIT trap).
rig_finish() {
	[ "$RIG_FAILS" = 0 ] && exit 0
	exit 1
}

# rig_nginx_tls NAME SPEC... — one nginx in the namespace serving HTTPS, one server
# block per SPEC "PORT|CHAIN.pem|KEY[|extra nginx directives]" on 192.0.2.1:PORT
# (TLS 1.2 and 1.3, security level 0 so that the deliberately weak test certificates
# load; the client decides what to refuse).  Document root $RIG_DIR/NAME-www with
# index.html "hello from NAME".  Config, logs and temp files under $RIG_DIR/NAME-*.
rig_nginx_tls() {
	local name=${1:?rig_nginx_tls NAME SPEC...} spec port chain key extra conf www
	shift
	conf="$RIG_DIR/$name-nginx.conf"
	www="$RIG_DIR/$name-www"
	mkdir -p "$www" "$RIG_DIR/$name-tmp"
	echo "hello from $name" >"$www/index.html"
	{
		echo "daemon off; master_process off; worker_processes 1; user root;"
		echo "pid $RIG_DIR/$name-nginx.pid; error_log $RIG_DIR/$name-error.log info;"
		echo "events { worker_connections 64; }"
		echo "http { access_log $RIG_DIR/$name-access.log;"
		echo "  client_body_temp_path $RIG_DIR/$name-tmp; proxy_temp_path $RIG_DIR/$name-tmp;"
		echo "  fastcgi_temp_path $RIG_DIR/$name-tmp; uwsgi_temp_path $RIG_DIR/$name-tmp; scgi_temp_path $RIG_DIR/$name-tmp;"
		for spec in "$@"; do
			IFS='|' read -r port chain key extra <<<"$spec"
			echo "  server { listen $RIG_BR_IP:$port ssl; server_name _; root $www;"
			echo "    ssl_certificate $chain; ssl_certificate_key $key;"
			echo "    ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers DEFAULT:@SECLEVEL=0; $extra }"
		done
		echo "}"
	} >"$conf"
	rig_bg "nginx-$name" nginx -c "$conf" -p "$RIG_DIR"
	for spec in "$@"; do
		IFS='|' read -r port _ <<<"$spec"
		rig_wait_listen tcp "$port" 10 || {
			cat "$RIG_DIR/nginx-$name.out" "$RIG_DIR/$name-error.log" >&2
			rig_die "nginx ($name) did not listen on $port"
		}
	done
}

# rig_nginx DOCROOT [extra server-block directives] — plain-HTTP nginx on 192.0.2.1:80
# serving DOCROOT.  Config $RIG_DIR/nginx.conf; pid, logs and temp files in $RIG_DIR;
# the access log $RIG_DIR/nginx-access.log has "conn=$connection req=$connection_requests
# status=$status uri" per request (keep-alive checks count distinct connections).
rig_nginx() {
	local root=${1:?rig_nginx DOCROOT [extra conf]} extra=${2:-} conf="$RIG_DIR/nginx.conf"
	mkdir -p "$RIG_DIR/nginx-tmp"
	cat >"$conf" <<EOF
daemon off; master_process off; worker_processes 1; user root;
pid $RIG_DIR/nginx.pid;
error_log $RIG_DIR/nginx-error.log info;
events { worker_connections 64; }
http {
	log_format wb 'conn=\$connection req=\$connection_requests status=\$status \$request_uri';
	access_log $RIG_DIR/nginx-access.log wb;
	client_body_temp_path $RIG_DIR/nginx-tmp; proxy_temp_path $RIG_DIR/nginx-tmp;
	fastcgi_temp_path $RIG_DIR/nginx-tmp; uwsgi_temp_path $RIG_DIR/nginx-tmp;
	scgi_temp_path $RIG_DIR/nginx-tmp;
	default_type application/octet-stream;
	keepalive_timeout 30s;
	server {
		listen $RIG_BR_IP:80;
		server_name _;
		root $root;
		$extra
	}
}
EOF
	rig_bg nginx nginx -c "$conf" -p "$RIG_DIR"
	rig_wait_listen tcp 80 10 || {
		cat "$RIG_DIR/nginx.out" "$RIG_DIR/nginx-error.log" >&2
		rig_die "nginx did not listen on $RIG_BR_IP:80"
	}
}

# rig_tgtd TARGET_IQN IMAGE USER SECRET [MUTUAL_USER MUTUAL_SECRET] — tgtd in the
# namespace listening on 192.0.2.1:3260 with one target (tid 1), LUN 1 backed by IMAGE
# (tgt's LUN 0 is its controller), bound to every initiator.  USER/SECRET is the
# incoming account (the target authenticates us; empty USER: no CHAP required);
# MUTUAL_USER/MUTUAL_SECRET, when given, the outgoing account (mutual CHAP).
# tgtd's management socket lives under /var/run/tgtd and is shared by every namespace
# on the machine: this tgtd gets its own control port RIG_TGT_PORT (20000 + $$ % 1000),
# every tgtadm call says -C, and cleanup stops it with `--op delete --mode system`
# (tgtd ignores SIGTERM).  rig_tgtadm ARGS... runs tgtadm against it.
rig_tgtadm() { rig_ns tgtadm -C "$RIG_TGT_PORT" --lld iscsi "$@"; }
# rig_tgtd_start — tgtd alone, no target yet (rig_tgtd, or tgt-admin with a config file,
# set the targets up): its own control port, stopped by the rig's cleanup.
rig_tgtd_start() {
	local i
	command -v tgtd >/dev/null || rig_die "tgtd missing: run scripts/deps.sh"
	RIG_TGT_PORT=${RIG_TGT_PORT:-$((20000 + $$ % 1000))}
	rig_bg tgtd tgtd -f -C "$RIG_TGT_PORT" --iscsi portal="$RIG_BR_IP:3260"
	RIG_CLEANUP_CMDS+=("tgtadm -C $RIG_TGT_PORT --op delete --mode system; sleep 0.3; rm -f /var/run/tgtd/socket.$RIG_TGT_PORT /var/run/tgtd/socket.$RIG_TGT_PORT.lock")
	for i in $(seq 50); do
		rig_ns tgtadm -C "$RIG_TGT_PORT" --op show --mode system >/dev/null 2>&1 && break
		sleep 0.1
	done
	rig_wait_listen tcp 3260 10 || { cat "$RIG_DIR/tgtd.out" >&2; rig_die "tgtd did not listen on $RIG_BR_IP:3260"; }
}
rig_tgtd() {
	local iqn=${1:?rig_tgtd IQN IMAGE USER SECRET [MUSER MSECRET]} img=${2:?} user=${3:-} secret=${4:-}
	local muser=${5:-} msecret=${6:-}
	[ -f "$img" ] || rig_die "rig_tgtd: no image $img"
	rig_tgtd_start
	rig_tgtadm --op new --mode target --tid 1 -T "$iqn" || rig_die "tgtadm: new target failed"
	rig_tgtadm --op new --mode logicalunit --tid 1 --lun 1 -b "$img" || rig_die "tgtadm: new LUN failed"
	rig_tgtadm --op bind --mode target --tid 1 -I ALL || rig_die "tgtadm: bind ALL failed"
	if [ -n "$user" ]; then
		rig_tgtadm --op new --mode account --user "$user" --password "$secret" || rig_die "tgtadm: account failed"
		rig_tgtadm --op bind --mode account --tid 1 --user "$user" || rig_die "tgtadm: bind account failed"
	fi
	if [ -n "$muser" ]; then
		rig_tgtadm --op new --mode account --user "$muser" --password "$msecret" || rig_die "tgtadm: outgoing account failed"
		rig_tgtadm --op bind --mode account --tid 1 --user "$muser" --outgoing || rig_die "tgtadm: bind outgoing failed"
	fi
}

# rig_loss PCT [PREFIXES] — drop PCT % (0.1 steps) of the packets at random in each
# direction between the rig's own addresses (192.0.2.1, the VLAN gateway) and every other
# host in PREFIXES (default 192.0.2.0/24, 198.51.100.0/24): nftables in the namespace,
# `numgen random mod 1000 < N drop`; this kernel has no netem.  The rules sit in the
# bridge family (br0's local-in and local-out hooks): a drop on the inet output hook is
# reported back to the sending TCP, which then just sends again, so it would not be a
# loss at all.  gso_max_segs 1 on the links makes each drop one wire packet (the
# servers' TCP would otherwise pass 64 KiB GSO super-packets through the hook).
# Counters: rig_loss_counts.  rig_loss 0 removes the rules.
rig_loss() {
	local pct=${1:?rig_loss PCT} nets=${2:-"192.0.2.0/24, $RIG_VLAN_NET.0/24"} pm dev
	pm=$(awk -v p="$pct" 'BEGIN { printf "%d", p * 10 + 0.5 }')   # per mille
	command -v nft >/dev/null || rig_die "nft missing: run scripts/deps.sh (nftables)"
	rig_ns nft delete table bridge wbloss 2>/dev/null
	[ "$pm" -gt 0 ] || return 0
	for dev in $(rig_ns ls /sys/class/net); do
		[ "$dev" = lo ] || rig_ns ip link set dev "$dev" gso_max_segs 1 ||
			rig_die "ip link: cannot set gso_max_segs 1 on $dev"
	done
	rig_ns nft -f - <<NFT || rig_die "nft: cannot install the loss rules"
table bridge wbloss {
	chain in {
		type filter hook input priority 0; policy accept;
		ip saddr { $nets } ip saddr != { $RIG_BR_IP, $RIG_VLAN_NET.1 } numgen random mod 1000 < $pm counter drop
	}
	chain out {
		type filter hook output priority 0; policy accept;
		ip daddr { $nets } ip daddr != { $RIG_BR_IP, $RIG_VLAN_NET.1 } numgen random mod 1000 < $pm counter drop
	}
}
NFT
}

# rig_loss_counts — "IN OUT": packets dropped so far guest→servers and servers→guest.
rig_loss_counts() {
	rig_ns nft list table bridge wbloss 2>/dev/null |
		awk '/counter packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") n[++k] = $(i + 1) }
		     END { printf "%d %d\n", n[1], n[2] }'
}
# rig_proxydhcp NAME IP TFTPROOT [extra dnsmasq args] — a proxyDHCP server (dnsmasq
# `dhcp-range=NET,proxy`, no addresses) with its TFTP server on TFTPROOT, in a namespace
# of its own joined to br0 (rig_client NAME IP/24): it answers PXE clients (option 60
# "PXEClient…") on port 67 and 4011 beside the rig's DHCP server.  Pass pxe-service /
# dhcp-boot options as extra args.  Log $RIG_DIR/dnsmasq-NAME.log, PID RIG_PID[dnsmasq-NAME].
rig_proxydhcp() {
	local name=${1:?rig_proxydhcp NAME IP TFTPROOT [args]} ip=${2:?} root=${3:?} base
	shift 3
	base="$RIG_DIR/dnsmasq-$name"
	rig_client "$name" "$ip/24"
	: >"$base.log"
	ip netns exec "$RIG_CLIENT" dnsmasq -k --conf-file=/dev/null --user=root --group=root \
		--port=0 --interface=eth0 --bind-interfaces --pid-file="$base.pid" \
		--log-facility="$base.log" --log-dhcp \
		--dhcp-range="${ip%.*}.0,proxy" \
		--enable-tftp --tftp-root="$root" \
		"$@" >"$RIG_DIR/dnsmasq-$name.out" 2>&1 </dev/null &
	RIG_LAST_PID=$!
	RIG_PIDS+=("$RIG_LAST_PID")
	RIG_PID[dnsmasq-$name]=$RIG_LAST_PID
	rig_wait_file "$base.log" 'DHCP, proxy on subnet' 10 || {
		cat "$RIG_DIR/dnsmasq-$name.out" "$base.log" >&2
		rig_die "dnsmasq proxyDHCP ($name) did not start"
	}
}
