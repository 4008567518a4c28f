#!/bin/bash
# tests/rig/lio.sh — a Linux LIO iSCSI target (the kernel's own: target_core_mod +
# iscsi_target_mod) in a QEMU x86_64 guest on the rig's bridge.  The machine running the
# tests has no LIO or configfs in its kernel, so the target runs on Debian's amd64
# kernel (the one scripts/deps.sh fetched for the x86_64 test disk) with a busybox /init
# that configures LIO through configfs directly, as targetcli does (docs/deploy.md,
# "iSCSI target: LIO").
#
#   bash tests/rig/lio.sh deps     # the modules, once (cached: a current call is a no-op)
#
#   . tests/rig/lio.sh              # after rig.sh / tests/hosted/lib.sh, rig_init, rig_bridge
#   lio_deps                        # the same as `lio.sh deps`
#   LIO_ACLS="IQN..." LIO_USER=.. LIO_SECRET=.. LIO_MUSER=.. LIO_MSECRET=.. \
#     lio_start IMG                 # QEMU on tap "lio0" in br0, IMG as /dev/vda (virtio-blk)
#   lio_wait_ready 120              # until /init printed LIO-READY (or fail)
#
# The guest (192.0.2.3/24 unless LIO_IP is set; no gateway, no other NIC, no user-mode
# network: it can reach only the rig's bridge) is set up by targetcli commands — the file
# LIO_TARGETCLI (e.g. docs/deploy.md's recipe), else lio_default_targetcli's: target
# LIO_IQN (default iqn.2003-01.org.linux-iscsi.test:lio), TPG 1, portal 0.0.0.0:3260,
# LUN 0 = an iblock backstore over /dev/vda (LIO_BACKSTORE=fileio: fileio over it), one
# ACL per name in LIO_ACLS with CHAP LIO_USER/LIO_SECRET and, when LIO_MUSER is set,
# mutual CHAP LIO_MUSER/LIO_MSECRET; authentication=1, generate_node_acls=0 (no demo
# mode).  targetcli itself is not in the guest: lio_targetcli turns each command into the
# configfs writes targetcli makes, run by /init.
# The settings reach /init as /lio.conf and /lio-setup.sh in a second cpio archive appended to the
# initramfs (the kernel unpacks both): the secrets are never on the kernel command line,
# which the kernel prints on the console.  After the TPG is enabled /init prints the
# TPG's login parameters (tpgt_1/param/*) as "LIO-PARAM NAME=VALUE" lines and
# "LIO-READY", then waits; `lio_info` makes it print the ACLs' session info.
# QEMU's PID goes into the rig's list (RIG_PIDS), so rig_cleanup stops it on every exit path.
# TCG (no KVM), -m 512; the guest is up in ~10-30 s.

LIO_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LIO_IQN=${LIO_IQN:-iqn.2003-01.org.linux-iscsi.test:lio}
LIO_IP=${LIO_IP:-192.0.2.3}
LIO_ARCH=amd64
# the modules: configfs and LIO (core, both backstores, the iSCSI fabric), the guest's
# virtio NIC and disk, and the digests CHAP and header/data digests may ask for that the
# kernel has as modules (MD5 and SHA-256 are built in: CONFIG_CRYPTO_MD5=y, _SHA256=y)
LIO_MODS="configfs target_core_mod target_core_iblock target_core_file iscsi_target_mod
	virtio_pci virtio_net virtio_blk sha1_generic sha3_generic crc32c_generic"
LIO_DIR=$LIO_TOP/build/deps/disk/$LIO_ARCH/lio

lio_die() { echo "lio: error: $*" >&2; exit 1; }

# lio_deps — LIO_DIR/modules/*.ko and modules/order (load order, dependencies first),
# taken from the exact kernel package scripts/deps.sh unpacked (its versions file), the
# dependencies from each module's .modinfo depends= (as tests/rig/rootdeps.sh does); a
# module the kernel has built in (modules.builtin) is skipped.  Cached: a stamp names the
# kernel package, its version and the module list.
lio_deps() {
	local d=$LIO_TOP/build/deps/disk/$LIO_ARCH kv kpkg kver rel stamp tmp mdir f b m
	[ -s "$d/versions" ] || lio_die "$d/versions missing: run scripts/deps.sh first"
	kv=$(sed -n 's/^\(linux-image-[^=]*\)=\(.*\)$/\1 \2/p' "$d/versions" | head -1)
	[ -n "$kv" ] || lio_die "no linux-image package in $d/versions"
	kpkg=${kv% *} kver=${kv#* } rel=${kpkg#linux-image-}
	stamp=$LIO_DIR/.stamp-$kpkg-$kver-$(echo $LIO_MODS | sha256sum | cut -c1-12)
	[ -f "$stamp" ] && return 0
	for f in apt-get dpkg-deb; do command -v $f >/dev/null || lio_die "$f missing"; done
	tmp=$(mktemp -d)
	(
		trap 'rm -rf "$tmp"' EXIT
		cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$kpkg:$LIO_ARCH=$kver" >/dev/null ||
			lio_die "apt-get download $kpkg:$LIO_ARCH=$kver failed"
		dpkg-deb --fsys-tarfile "$tmp"/${kpkg}_*.deb | tar -x -C "$tmp" "./lib/modules/$rel/kernel" \
			"./lib/modules/$rel/modules.builtin" || lio_die "unpacking the modules of $kpkg failed"
		mdir=$tmp/lib/modules/$rel/kernel
		declare -A where=() done_=() builtin=()
		while IFS= read -r f; do b=${f##*/}; b=${b%.ko}; where[${b//-/_}]=$f; done < <(find "$mdir" -name '*.ko')
		while IFS= read -r f; do b=${f##*/}; b=${b%.ko}; builtin[${b//-/_}]=1; done <"$tmp/lib/modules/$rel/modules.builtin"
		order=()
		visit() {
			local m=${1//-/_} dep
			[ -n "${done_[$m]:-}" ] && return 0
			done_[$m]=1
			if [ -n "${builtin[$m]:-}" ]; then echo "lio: $m is built into $kpkg"; return 0; fi
			[ -n "${where[$m]:-}" ] || lio_die "module $m not in $kpkg"
			for dep in $(tr '\0' '\n' <"${where[$m]}" | sed -n 's/^depends=//p' | head -1 | tr , ' '); do visit "$dep"; done
			order+=("$m")
		}
		for m in $LIO_MODS; do visit "$m"; done
		rm -rf "$LIO_DIR.new"
		mkdir -p "$LIO_DIR.new/modules"
		for m in "${order[@]}"; do cp "${where[$m]}" "$LIO_DIR.new/modules/$m.ko"; done
		printf '%s\n' "${order[@]}" >"$LIO_DIR.new/modules/order"
		echo "$kpkg=$kver" >"$LIO_DIR.new/versions"
		rm -rf "$LIO_DIR"
		mv "$LIO_DIR.new" "$LIO_DIR"
		touch "$stamp"
		echo "lio: $LIO_DIR: ${#order[@]} modules from $kpkg=$kver: ${order[*]}"
	) || exit 1
}

# lio_init_script — the guest's /init (busybox sh), on stdout
lio_init_script() {
	cat <<'INIT'
#!/bin/busybox sh
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev 2>/dev/null
export PATH=/bin
bb() { $bb "$@"; }
fail() { echo "LIO-FAILED $*"; $bb poweroff -f; }
for m in $($bb cat /lib/lio/order); do
	$bb insmod /lib/lio/$m.ko || fail "insmod $m"
done
$bb grep -q configfs /proc/filesystems || fail "no configfs"
$bb mount -t configfs configfs /sys/kernel/config || fail "mount configfs"
C=/sys/kernel/config/target
[ -d $C/core ] || fail "no $C/core (target_core_mod)"
$bb mkdir -p $C/iscsi || fail "mkdir $C/iscsi (iscsi_target_mod)"
for i in $($bb seq 50); do [ -b /dev/vda ] && break; $bb sleep 0.1; done
[ -b /dev/vda ] || fail "no /dev/vda"
. /lio.conf
# the network first: a portal on a given address needs that address
$bb ip link set lo up
$bb ip addr add $IP/24 dev eth0 || fail "address on eth0"
$bb ip link set eth0 up || fail "eth0 up"
# the configfs writes lio_targetcli made from targetcli's commands (sets IQN, T, ACLS)
. /lio-setup.sh
for p in AuthMethod HeaderDigest DataDigest MaxConnections InitialR2T ImmediateData \
	MaxRecvDataSegmentLength MaxXmitDataSegmentLength MaxBurstLength FirstBurstLength \
	DefaultTime2Wait DefaultTime2Retain MaxOutstandingR2T DataPDUInOrder \
	DataSequenceInOrder ErrorRecoveryLevel; do
	echo "LIO-PARAM $p=$($bb cat $T/param/$p 2>/dev/null)"
done
echo "LIO-READY target=$IQN portals=$($bb ls $T/np | $bb tr '\n' ' ')luns=$($bb ls $T/lun | $bb tr '\n' ' ')acls=$($bb ls $T/acls | $bb tr '\n' ' ')kernel=$($bb uname -r)"
# on a line "info" on the console (lio_info): the sessions the ACLs hold
while read -r cmd; do
	case $cmd in
	info)
		for ini in $ACLS; do
			$bb cat $T/acls/$ini/info | $bb sed "s|^|LIO-INFO |"
		done
		echo "LIO-INFO-END"
		;;
	esac
done
$bb sleep 100000
INIT
}

# lio_targetcli — targetcli commands on stdin (one per line: `targetcli PATH COMMAND
# ARGS...`; the subset docs/deploy.md uses), the configfs writes targetcli (rtslib) makes
# for them on stdout, as sh for the guest's /init.  Every backstore is the guest's disk,
# /dev/vda, whatever dev= / file_or_dev= names.  As targetcli does: `/iscsi create`
# makes TPG 1, enables it and adds the portal 0.0.0.0:3260; `luns create` takes the next
# free LUN number (from 0) and maps it into the existing ACLs; `acls create` maps every
# LUN (auto_add_mapped_luns); `set auth` writes the ACL's auth/ files (mutual_userid →
# userid_mutual, mutual_password → password_mutual); `set attribute` the TPG's attrib/
# files.  A line it does not know fails (return 1, naming it).
lio_targetcli() {
	local line w path cmd kv k v iqn="" tpg="" name lun n=0 ini
	declare -A bs=() luns=()
	local acls=()
	echo 'C=/sys/kernel/config/target'
	while IFS= read -r line; do
		line=${line%%#*}
		read -r -a w <<<"$line"
		[ ${#w[@]} = 0 ] && continue
		[ "${w[0]}" = targetcli ] || { echo "lio_targetcli: not a targetcli line: $line" >&2; return 1; }
		case $line in *"'"*) echo "lio_targetcli: a quote in: $line" >&2; return 1 ;; esac
		path=${w[1]:-} cmd=${w[2]:-}
		case "$path $cmd" in
		"saveconfig ")
			;;
		"/backstores/block create" | "/backstores/fileio create")
			name="" 
			for kv in "${w[@]:3}"; do [ "${kv%%=*}" = name ] && name=${kv#name=}; done
			[ -n "$name" ] || { echo "lio_targetcli: no name= in: $line" >&2; return 1; }
			if [ "$path" = /backstores/block ]; then
				bs[$name]="\$C/core/iblock_0/$name"
				echo "bb mkdir -p ${bs[$name]} && echo udev_path=/dev/vda >${bs[$name]}/control || fail '$line'"
			else
				bs[$name]="\$C/core/fileio_0/$name"
				echo "bb mkdir -p ${bs[$name]} && echo fd_dev_name=/dev/vda,fd_dev_size=\$(bb blockdev --getsize64 /dev/vda) >${bs[$name]}/control || fail '$line'"
			fi
			echo "echo 1 >${bs[$name]}/enable || fail '$line (enable)'"
			;;
		"/iscsi create")
			iqn=${w[3]:?} tpg="\$C/iscsi/$iqn/tpgt_1"
			echo "IQN='$iqn' T=$tpg"
			echo "bb mkdir -p \$T/np/0.0.0.0:3260 && echo 1 >\$T/enable || fail '$line'"
			;;
		"/iscsi/$iqn/tpg1/portals create")
			echo "bb mkdir \$T/np/${w[3]:?}:${w[4]:-3260} || fail '$line'" ;;
		"/iscsi/$iqn/tpg1/portals delete")
			echo "bb rmdir \$T/np/${w[3]:?}:${w[4]:?} || fail '$line'" ;;
		"/iscsi/$iqn/tpg1/luns create")
			name=${w[3]##*/}
			[ -n "${bs[$name]:-}" ] || { echo "lio_targetcli: no backstore ${w[3]}" >&2; return 1; }
			lun=$n n=$((n + 1)) luns[$lun]=$name
			echo "bb mkdir \$T/lun/lun_$lun && bb ln -s ${bs[$name]} \$T/lun/lun_$lun/$name || fail '$line'"
			for ini in "${acls[@]}"; do
				echo "bb mkdir \$T/acls/$ini/lun_$lun && bb ln -s \$T/lun/lun_$lun \$T/acls/$ini/lun_$lun/$name || fail '$line (map)'"
			done
			;;
		"/iscsi/$iqn/tpg1/acls create")
			ini=${w[3]:?}
			acls+=("$ini")
			echo "ACLS=\"\${ACLS:-}$ini \""
			echo "bb mkdir \$T/acls/$ini || fail '$line'"
			for lun in "${!luns[@]}"; do
				echo "bb mkdir \$T/acls/$ini/lun_$lun && bb ln -s \$T/lun/lun_$lun \$T/acls/$ini/lun_$lun/${luns[$lun]} || fail '$line (map)'"
			done
			;;
		"/iscsi/$iqn/tpg1 set")
			[ "${w[3]:-}" = attribute ] || { echo "lio_targetcli: unsupported: $line" >&2; return 1; }
			for kv in "${w[@]:4}"; do
				echo "echo '${kv#*=}' >\$T/attrib/${kv%%=*} || fail 'attribute ${kv%%=*}'"
			done
			;;
		*)
			if [[ $path == "/iscsi/$iqn/tpg1/acls/"* ]] && [ "$cmd" = set ] && [ "${w[3]:-}" = auth ]; then
				ini=${path#/iscsi/$iqn/tpg1/acls/}
				for kv in "${w[@]:4}"; do
					k=${kv%%=*} v=${kv#*=}
					case $k in
					userid | password) ;;
					mutual_userid) k=userid_mutual ;;
					mutual_password) k=password_mutual ;;
					*) echo "lio_targetcli: unsupported auth key $k" >&2; return 1 ;;
					esac
					echo "echo -n '$v' >\$T/acls/$ini/auth/$k || fail 'auth $k for $ini'"
				done
			else
				echo "lio_targetcli: unsupported: $line" >&2
				return 1
			fi
			;;
		esac
	done
	[ -n "$iqn" ] || { echo "lio_targetcli: no /iscsi create" >&2; return 1; }
}

# lio_default_targetcli — the targetcli commands lio_start uses without LIO_TARGETCLI:
# LUN 0 on an iblock (LIO_BACKSTORE=fileio: fileio) backstore, an ACL per LIO_ACLS name
# with CHAP LIO_USER/LIO_SECRET (+ mutual LIO_MUSER/LIO_MSECRET), authentication=1
lio_default_targetcli() {
	local ini t=/iscsi/$LIO_IQN/tpg1
	if [ "${LIO_BACKSTORE:-iblock}" = fileio ]; then
		echo "targetcli /backstores/fileio create name=disk0 file_or_dev=/dev/vda"
		echo "targetcli $t/luns create /backstores/fileio/disk0" >"$RIG_DIR/lio-lun"
	else
		echo "targetcli /backstores/block create name=disk0 dev=/dev/vda"
		echo "targetcli $t/luns create /backstores/block/disk0" >"$RIG_DIR/lio-lun"
	fi
	echo "targetcli /iscsi create $LIO_IQN"
	cat "$RIG_DIR/lio-lun"
	for ini in ${LIO_ACLS:?LIO_ACLS: the initiator names to allow}; do
		echo "targetcli $t/acls create $ini"
		echo "targetcli $t/acls/$ini set auth userid=${LIO_USER:?} password=${LIO_SECRET:?}" \
			"${LIO_MUSER:+mutual_userid=$LIO_MUSER mutual_password=${LIO_MSECRET:?}}"
	done
	echo "targetcli $t set attribute authentication=1 generate_node_acls=0"
}

# lio_start IMG — build the initramfs (in RIG_DIR) and start QEMU in the rig's namespace.
# Sets LIO_LOG (the console), LIO_PID.  Needs rig_init + rig_bridge.
lio_start() {
	local img=$1 kdir kernel bb ents=() m
	[ -n "${RIG_DIR:-}" ] && [ -n "${RIG_NS:-}" ] || lio_die "lio_start needs the rig (rig_init, rig_bridge)"
	[ -f "$img" ] || lio_die "no image $img"
	command -v qemu-system-x86_64 >/dev/null || lio_die "qemu-system-x86_64 missing (scripts/deps.sh)"
	kdir=$LIO_TOP/build/deps/disk/$LIO_ARCH
	kernel=$(ls "$kdir"/kernel/boot/vmlinuz-* 2>/dev/null | head -1)
	bb=$kdir/busybox/bin/busybox
	[ -f "$kernel" ] || lio_die "no amd64 kernel in $kdir/kernel/boot (scripts/deps.sh)"
	[ -x "$bb" ] || lio_die "no static busybox $bb (scripts/deps.sh)"
	[ -s "$LIO_DIR/modules/order" ] || lio_die "no LIO modules: bash tests/rig/lio.sh deps"
	lio_init_script >"$RIG_DIR/lio-init"
	ents=(dir:bin:755 dir:dev:755 dir:proc:755 dir:sys:755 dir:tmp:1777 dir:lib:755 dir:lib/lio:755
		chr:dev/console:600:5:1 chr:dev/null:666:1:3
		"file:bin/busybox:755:$bb" sym:bin/sh:busybox "file:init:755:$RIG_DIR/lio-init"
		"file:lib/lio/order:644:$LIO_DIR/modules/order")
	for m in $(cat "$LIO_DIR/modules/order"); do ents+=("file:lib/lio/$m.ko:644:$LIO_DIR/modules/$m.ko"); done
	python3 "$LIO_TOP/tests/rig/newc.py" "$RIG_DIR/lio-base.cpio" "${ents[@]}" || lio_die "newc.py failed"
	# the settings: a second archive (0600 on the host, never on the command line)
	(
		umask 077
		echo "IP='$LIO_IP'" >"$RIG_DIR/lio.conf"
		if [ -n "${LIO_TARGETCLI:-}" ]; then cat "$LIO_TARGETCLI"; else lio_default_targetcli; fi >"$RIG_DIR/lio-targetcli"
		lio_targetcli <"$RIG_DIR/lio-targetcli" >"$RIG_DIR/lio-setup.sh" || exit 1
		python3 "$LIO_TOP/tests/rig/newc.py" "$RIG_DIR/lio-conf.cpio" "file:lio.conf:600:$RIG_DIR/lio.conf" \
			"file:lio-setup.sh:600:$RIG_DIR/lio-setup.sh"
		cat "$RIG_DIR/lio-base.cpio" "$RIG_DIR/lio-conf.cpio" >"$RIG_DIR/lio-initrd.cpio"
	) || lio_die "building the initramfs failed"
	rm -f "$RIG_DIR/lio-base.cpio" "$RIG_DIR/lio-conf.cpio"
	rig_tap lio0
	LIO_LOG=$RIG_DIR/lio-console.log
	mkfifo "$RIG_DIR/lio-in"
	# the console: serial on stdio, input from a FIFO kept open by an fd of this shell
	exec {LIO_IN_FD}<>"$RIG_DIR/lio-in"
	ip netns exec "$RIG_NS" qemu-system-x86_64 -M q35 -m 512 -smp 1 -nodefaults -no-user-config \
		-display none -serial stdio -monitor none -no-reboot \
		-kernel "$kernel" -initrd "$RIG_DIR/lio-initrd.cpio" \
		-append "console=ttyS0 panic=-1 loglevel=4" \
		-drive "file=$img,format=raw,if=none,id=d0,cache=unsafe" -device virtio-blk-pci,drive=d0 \
		-netdev "tap,id=n0,ifname=lio0,script=no,downscript=no" \
		-device virtio-net-pci,netdev=n0,mac=52:54:00:00:11:03,romfile= \
		<&$LIO_IN_FD >"$LIO_LOG" 2>&1 &
	LIO_PID=$!
	RIG_PIDS+=("$LIO_PID")
	RIG_PID[lio]=$LIO_PID
	LIO_T0=$(date +%s.%N)
}

# lio_wait_ready TIMEOUT — wait for LIO-READY; on LIO-FAILED, QEMU's end or the timeout:
# print the console and return 1.  Prints the boot time and the TPG's parameters.
lio_wait_ready() {
	local t=${1:-120} i
	for i in $(seq $((t * 5))); do
		if tr -d '\r' <"$LIO_LOG" | grep -aq '^LIO-READY'; then
			echo "lio: target up $(echo "$(date +%s.%N) - $LIO_T0" | bc | cut -c1-5) s after QEMU's start:" \
				"$(tr -d '\r' <"$LIO_LOG" | grep -a '^LIO-READY')"
			tr -d '\r' <"$LIO_LOG" | grep -a '^LIO-PARAM' | sed 's/^/lio: /'
			return 0
		fi
		tr -d '\r' <"$LIO_LOG" | grep -aq '^LIO-FAILED' && break
		kill -0 "$LIO_PID" 2>/dev/null || break
		sleep 0.2
	done
	echo "lio: the target did not come up; its console:" >&2
	tr -d '\r' <"$LIO_LOG" | tail -40 | sed 's/^/lio-console: /' >&2
	return 1
}

# lio_info — the ACLs' session info (configfs acls/IQN/info) as the guest prints it,
# without the LIO-INFO prefix, on stdout
lio_info() {
	local n i
	n=$(tr -d '\r' <"$LIO_LOG" | grep -ac '^LIO-INFO-END')
	echo info >&$LIO_IN_FD
	for i in $(seq 50); do
		[ "$(tr -d '\r' <"$LIO_LOG" | grep -ac '^LIO-INFO-END')" -gt "$n" ] && break
		sleep 0.2
	done
	tr -d '\r' <"$LIO_LOG" | awk -v n="$n" '/^LIO-INFO-END/ { c++; next } c == n && /^LIO-INFO / { sub(/^LIO-INFO /, ""); print }'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case ${1:-} in
	deps) lio_deps ;;
	*) lio_die "usage: lio.sh deps (or source it: see its header)" ;;
	esac
fi
