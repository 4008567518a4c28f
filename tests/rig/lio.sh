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
# network: it can reach only the rig's bridge) serves target LIO_IQN (default
# iqn.2003-01.org.linux-iscsi.test:lio), TPG 1, portal LIO_IP:3260, LUN 0 = an iblock
# backstore over /dev/vda (LIO_BACKSTORE=fileio: a fileio backstore over the same
# device), one ACL per name in LIO_ACLS with CHAP LIO_USER/LIO_SECRET and, when
# LIO_MUSER is set, mutual CHAP LIO_MUSER/LIO_MSECRET; authentication=1, no demo mode.
# The settings reach /init as /lio.conf in a second cpio archive appended to the
# initramfs (the kernel unpacks both): the secrets are never on the kernel command line,
# which the kernel prints on the console.  After the TPG is enabled /init prints the
# TPG's login parameters (tpgt_1/param/*) as "LIO-PARAM NAME=VALUE" lines and
# "LIO-READY", then waits; `lio_info` makes it print the ACLs' session info.
# QEMU's PID is in the rig's list (rig_bg), so rig_cleanup stops it on every exit path.
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
. /lio.conf
for m in $($bb cat /lib/lio/order); do
	$bb insmod /lib/lio/$m.ko || fail "insmod $m"
done
$bb grep -q configfs /proc/filesystems || fail "no configfs"
$bb mount -t configfs configfs /sys/kernel/config || fail "mount configfs"
C=/sys/kernel/config/target
[ -d $C/core ] || fail "no $C/core (target_core_mod)"
for i in $($bb seq 50); do [ -b /dev/vda ] && break; $bb sleep 0.1; done
[ -b /dev/vda ] || fail "no /dev/vda"
# the backstore (targetcli: /backstores/block create name=disk0 dev=/dev/vda)
case $BACKSTORE in
fileio)
	B=$C/core/fileio_0/disk0
	$bb mkdir -p $B || fail "mkdir $B"
	echo "fd_dev_name=/dev/vda,fd_dev_size=$($bb blockdev --getsize64 /dev/vda)" >$B/control || fail "fileio control"
	;;
*)
	B=$C/core/iblock_0/disk0
	$bb mkdir -p $B || fail "mkdir $B"
	echo "udev_path=/dev/vda" >$B/control || fail "iblock control"
	;;
esac
echo 1 >$B/enable || fail "enable $B"
# the target, TPG 1, its portal, LUN 0 (targetcli: /iscsi create IQN; .../luns create)
$bb mkdir -p $C/iscsi || fail "mkdir $C/iscsi (iscsi_target_mod)"
T=$C/iscsi/$IQN/tpgt_1
$bb mkdir -p $T || fail "mkdir $T"
$bb mkdir $T/np/$IP:3260 || fail "portal $IP:3260"
$bb mkdir $T/lun/lun_0 || fail "mkdir lun_0"
$bb ln -s $B $T/lun/lun_0/disk0 || fail "link lun_0"
# one ACL per initiator, LUN 0 mapped, CHAP and mutual CHAP (targetcli: acls create IQN;
# set auth userid= password= mutual_userid= mutual_password=)
for ini in $ACLS; do
	A=$T/acls/$ini
	$bb mkdir -p $A/lun_0 || fail "mkdir acl $ini"
	$bb ln -s $T/lun/lun_0 $A/lun_0/disk0 || fail "map lun_0 for $ini"
	echo -n "$USERID" >$A/auth/userid || fail "userid"
	echo -n "$PASSWORD" >$A/auth/password || fail "password"
	if [ -n "$MUTUAL_USERID" ]; then
		echo -n "$MUTUAL_USERID" >$A/auth/userid_mutual || fail "userid_mutual"
		echo -n "$MUTUAL_PASSWORD" >$A/auth/password_mutual || fail "password_mutual"
	fi
	echo "LIO-ACL $ini"
done
echo 0 >$T/attrib/generate_node_acls
echo 0 >$T/attrib/demo_mode_write_protect 2>/dev/null
echo 1 >$T/attrib/authentication || fail "authentication=1"
echo 1 >$T/enable || fail "enable TPG"
# the network last: nothing can log in before the TPG is complete
$bb ip link set lo up
$bb ip addr add $IP/24 dev eth0 || fail "address on eth0"
$bb ip link set eth0 up || fail "eth0 up"
for p in AuthMethod HeaderDigest DataDigest MaxConnections InitialR2T ImmediateData \
	MaxRecvDataSegmentLength MaxXmitDataSegmentLength MaxBurstLength FirstBurstLength \
	DefaultTime2Wait DefaultTime2Retain MaxOutstandingR2T DataPDUInOrder \
	DataSequenceInOrder ErrorRecoveryLevel; do
	echo "LIO-PARAM $p=$($bb cat $T/param/$p 2>/dev/null)"
done
echo "LIO-READY target=$IQN portal=$IP:3260 lun0=$B kernel=$($bb uname -r)"
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
		{
			echo "IP='$LIO_IP'"
			echo "IQN='$LIO_IQN'"
			echo "BACKSTORE='${LIO_BACKSTORE:-iblock}'"
			echo "ACLS='${LIO_ACLS:?LIO_ACLS: the initiator names to allow}'"
			echo "USERID='${LIO_USER:?}'"
			echo "PASSWORD='${LIO_SECRET:?}'"
			echo "MUTUAL_USERID='${LIO_MUSER:-}'"
			echo "MUTUAL_PASSWORD='${LIO_MSECRET:-}'"
		} >"$RIG_DIR/lio.conf"
		python3 "$LIO_TOP/tests/rig/newc.py" "$RIG_DIR/lio-conf.cpio" "file:lio.conf:600:$RIG_DIR/lio.conf"
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
