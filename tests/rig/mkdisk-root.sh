# tests/rig/mkdisk-root.sh — sourced by tests/rig/mkdisk.sh --root (docs/diskless.md):
# writes $work/initrd.img (the iSCSI-root initramfs) and $work/root.ext4 (partition 2).
# Uses mkdisk.sh's $work, $busybox, $rootdeps, $top, die.

# elf_interp BIN LIBDIR — BIN's ELF interpreter (readelf -l) without the leading "/",
# checked: its file is in LIBDIR, and it is /DIR/NAME (the callers put NAME in /lib and,
# for another DIR, a DIR/NAME -> ../lib/NAME link)
elf_interp() {
	local i
	i=$(readelf -l "$1" | sed -n 's/.*program interpreter: \/\(.*\)\]$/\1/p')
	[ -n "$i" ] && [ -f "$2/${i##*/}" ] || die "$1's ELF interpreter '/$i' not in $2"
	case $i in */*/*) die "$1's ELF interpreter /$i: only /DIR/NAME is handled" ;; esac
	echo "$i"
}

# ---- the initramfs: /init ------------------------------------------------------------------
# Command line (docs/diskless.md): wireboot.iscsi=iscsi:SERVER:[PROTO]:[PORT]:[LUN]:TARGET-IQN
# wireboot.initiator=IQN [wireboot.chap=USER:SECRET [wireboot.rchap=USER:SECRET]]
# root=PARTUUID=UUID.  Without wireboot.iscsi=: the iBFT path (iscsistart -b).  Secrets
# are never echoed.
cat >"$work/init" <<'INIT'
#!/bin/busybox sh
# wireboot diskless root: log in to the iSCSI target named on the kernel command line
# or, when it names none, in the firmware's iSCSI Boot Firmware Table (iBFT), find the
# root partition by its GPT PARTUUID, mount it, switch_root.
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
up() { $bb cut -d' ' -f1 /proc/uptime; }
say() { echo "wireboot-initrd: $*"; }
fail() { echo "WIREBOOT-ROOT failed: $*"; $bb sleep 1; $bb poweroff -f; }
say "started at $(up) s"

iscsi="" ini="" chap="" rchap="" partuuid=""
for w in $($bb cat /proc/cmdline); do
	case $w in
	wireboot.iscsi=*) iscsi=${w#*=} ;;
	wireboot.initiator=*) ini=${w#*=} ;;
	wireboot.chap=*) chap=${w#*=} ;;
	wireboot.rchap=*) rchap=${w#*=} ;;
	root=PARTUUID=*) partuuid=$(echo "${w#root=PARTUUID=}" | $bb tr A-F a-f) ;;
	esac
done
[ -n "$partuuid" ] || fail "no root=PARTUUID= on the kernel command line"
if [ -n "$iscsi" ]; then
	from=cmdline
	[ -n "$ini" ] || fail "no wireboot.initiator= on the kernel command line"
	# iscsi:SERVER:PROTO:PORT:LUN:TARGET (RFC 4173; the IQN itself holds colons)
	r=${iscsi#iscsi:}
	server=${r%%:*}; r=${r#*:}
	r=${r#*:}                       # protocol: TCP (6) only
	port=${r%%:*}; r=${r#*:}
	r=${r#*:}                       # LUN: the root is found by PARTUUID on any LUN
	target=$r
	[ -n "$port" ] || port=3260
	case $target in iqn.* | eui.* | naa.*) ;; *) fail "wireboot.iscsi=$iscsi: no target name" ;; esac
else
	from=ibft
fi

# modules in the order tests/rig/rootdeps.sh computed (+ Linux's iBFT reader on that path)
mods=$($bb cat /lib/modules/order)
[ $from = cmdline ] || mods="$mods $($bb cat /lib/modules/order-ibft)"
for m in $mods; do
	$bb insmod /lib/modules/$m.ko || fail "insmod $m failed"
done
say "modules loaded at $(up) s"
$bb ip link set lo up

# ---- the iBFT path (no wireboot.iscsi= on the command line) --------------------------------
# /sys/firmware/ibft/ (iscsi_ibft): the target (its nic-assoc names the NIC structure), the
# initiator name, the NIC's MAC and address origin.  The NIC is the netdev with that MAC.
# Address: the iBFT's origin 3 (DHCP; what wireboot writes after dhcp) means a lease, so
# the OS asks DHCP again (udhcpc) instead of reusing a lease it does not hold; any other
# origin (a static address) is configured as the table says by `iscsistart -N`.
# chap-secret / rev-chap-name-secret are never read here; `iscsistart -f` would print them.
if [ $from = ibft ]; then
	fw=/sys/firmware/ibft
	[ -d $fw/target0 ] || fail "no wireboot.iscsi= on the kernel command line and no iBFT target in $fw (firmware without ACPI, or sanboot --no-describe?)"
	target=$($bb cat $fw/target0/target-name) server=$($bb cat $fw/target0/ip-addr)
	port=$($bb cat $fw/target0/port) ini=$($bb cat $fw/initiator/initiator-name)
	eth=$fw/ethernet$($bb cat $fw/target0/nic-assoc 2>/dev/null || echo 0)
	mac=$($bb cat $eth/mac 2>/dev/null | $bb tr A-F a-f)
	origin=$($bb cat $eth/origin 2>/dev/null)
	[ -n "$mac" ] || fail "the iBFT names no NIC MAC ($eth)"
	say "target from the iBFT: $target at $server:$port as $ini (NIC $mac, origin $origin)"
	say "kernel command line: $($bb sed 's/\(wireboot\.r\{0,1\}chap=\)[^ ]*/\1<secret>/g' /proc/cmdline)"
	nic=""
	i=0
	while [ $i -lt 100 ]; do
		for n in /sys/class/net/*; do
			[ "$($bb cat $n/address 2>/dev/null)" = "$mac" ] && nic=${n##*/}
		done
		[ -n "$nic" ] && break
		$bb sleep 0.1
		i=$((i + 1))
	done
	[ -n "$nic" ] || fail "no network interface with the iBFT's MAC $mac appeared (virtio-net?)"
	$bb ip link set "$nic" up
	if [ "$origin" = 3 ]; then
		$bb udhcpc -i "$nic" -s /etc/udhcpc.script -q -f -n -t 10 -T 2 >/tmp/udhcpc.log 2>&1 ||
			fail "DHCP on $nic failed: $($bb tail -n 2 /tmp/udhcpc.log)"
		how="DHCP (the iBFT had $($bb cat $eth/ip-addr 2>/dev/null))"
	else
		/sbin/iscsistart -N >/tmp/iscsistart-n.log 2>&1 || {
			$bb sed 's/^/iscsistart: /' /tmp/iscsistart-n.log
			fail "iscsistart -N could not configure $nic from the iBFT"
		}
		how="the iBFT's static address (iscsistart -N)"
	fi
	say "$nic: $($bb ip -4 -o addr show dev "$nic" | $bb awk '{print $4}') by $how at $(up) s"
	set -- -b
# ---- end of the iBFT path ------------------------------------------------------------------
else
	say "target from the kernel command line: $target at $server:$port as $ini"
	# the NIC: the first ethN that appears
	nic=""
	i=0
	while [ $i -lt 100 ]; do
		nic=$($bb ls /sys/class/net 2>/dev/null | $bb grep '^eth' | $bb head -1)
		[ -n "$nic" ] && break
		$bb sleep 0.1
		i=$((i + 1))
	done
	[ -n "$nic" ] || fail "no network interface appeared (virtio-net?)"
	$bb ip link set "$nic" up
	$bb udhcpc -i "$nic" -s /etc/udhcpc.script -q -f -n -t 10 -T 2 >/tmp/udhcpc.log 2>&1 ||
		fail "DHCP on $nic failed: $($bb tail -n 2 /tmp/udhcpc.log)"
	say "$nic: $($bb ip -4 -o addr show dev "$nic" | $bb awk '{print $4}') at $(up) s"
	# one session, mutual CHAP when both are given
	set -- -i "$ini" -t "$target" -g 1 -a "$server" -p "$port"
	[ -z "$chap" ] || set -- "$@" -u "${chap%%:*}" -w "${chap#*:}"
	[ -z "$rchap" ] || set -- "$@" -U "${rchap%%:*}" -W "${rchap#*:}"
fi
chap=x rchap=x
# the seed's timeouts (iscsistart applies -P to the -b path's records too)
set -- "$@" -P node.conn[0].timeo.noop_out_interval=0 \
	-P node.conn[0].timeo.noop_out_timeout=0 \
	-P node.session.timeo.replacement_timeout=86400
say "logging in to $target at $server:$port as $ini"
/sbin/iscsistart "$@" >/tmp/iscsistart.log 2>&1 || {
	$bb sed 's/^/iscsistart: /' /tmp/iscsistart.log
	fail "iscsistart could not log in to $target at $server:$port"
}
set --
$bb sed 's/^/iscsistart: /' /tmp/iscsistart.log
say "session up at $(up) s: $($bb ls -d /sys/class/iscsi_session/session* 2>/dev/null | $bb wc -l) session(s)"
# what the kernel took from the -P settings: replacement_timeout is the session's
# recovery_tmo, noop_out_interval/timeout the connection's recv_tmo/ping_tmo
sess=$($bb ls -d /sys/class/iscsi_session/session* 2>/dev/null | $bb head -1)
conn=$($bb ls -d /sys/class/iscsi_connection/connection* 2>/dev/null | $bb head -1)
say "timeouts: recovery_tmo=$($bb cat "$sess/recovery_tmo" 2>/dev/null) recv_tmo=$($bb cat "$conn/recv_tmo" 2>/dev/null) ping_tmo=$($bb cat "$conn/ping_tmo" 2>/dev/null)"

# find the partition: the GPT of every disk on an iSCSI session (no udev here, so no
# /dev/disk/by-partuuid): header at LBA 1, entries' LBA at +72, count at +80, size at +84;
# an entry's unique GUID at +16 (first three fields little-endian)
u32() { echo $(($($bb od -An -tu4 -j "$2" -N4 "$1"))); }
guid() {
	set -- $($bb od -An -tx1 -j "$2" -N16 "$1")
	echo "$4$3$2$1-$6$5-$8$7-$9${10}-${11}${12}${13}${14}${15}${16}"
}
findpart() {
	local s d bs lba n sz k
	for s in /sys/class/block/*; do
		[ -e "$s/partition" ] && continue
		case $($bb readlink -f "$s") in */session[0-9]*) ;; *) continue ;; esac
		d=/dev/${s##*/}
		[ -b "$d" ] || continue
		bs=$($bb cat "$s/queue/logical_block_size")
		[ "$($bb dd if="$d" bs=1 skip="$bs" count=8 2>/dev/null)" = "EFI PART" ] || continue
		lba=$(u32 "$d" $((bs + 72))) n=$(u32 "$d" $((bs + 80))) sz=$(u32 "$d" $((bs + 84)))
		k=0
		while [ $k -lt "$n" ] && [ $k -lt 128 ]; do
			if [ "$(guid "$d" $((lba * bs + k * sz + 16)))" = "$partuuid" ]; then
				echo "$d$((k + 1))"
				return 0
			fi
			k=$((k + 1))
		done
	done
	return 1
}
dev=""
i=0
while [ $i -lt 100 ]; do
	dev=$(findpart) && [ -b "$dev" ] && break
	dev=""
	$bb sleep 0.2
	i=$((i + 1))
done
[ -n "$dev" ] || fail "no partition with PARTUUID $partuuid on the iSCSI disks"
say "root PARTUUID=$partuuid is $dev at $(up) s"
$bb mkdir -p /newroot
$bb mount -t ext4 "$dev" /newroot || fail "mount -t ext4 $dev failed"
[ -x /newroot/sbin/init ] || fail "$dev has no /sbin/init"
$bb mount --move /dev /newroot/dev
$bb mount --move /proc /newroot/proc
$bb mount --move /sys /newroot/sys
exec $bb switch_root /newroot /sbin/init
INIT

cat >"$work/udhcpc.script" <<'DHCP'
#!/bin/busybox sh
# udhcpc's hook: configure the lease (address, netmask, first router)
bb=/bin/busybox
case $1 in
bound | renew)
	$bb ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
	if [ -n "$router" ]; then
		$bb route del default 2>/dev/null
		$bb route add default gw "${router%% *}" dev "$interface"
	fi
	;;
deconfig) $bb ifconfig "$interface" 0.0.0.0 ;;
esac
exit 0
DHCP

ents=(dir:bin:755 dir:sbin:755 dir:dev:755 dir:proc:755 dir:sys:755 dir:tmp:1777 dir:etc:755
	dir:run:755 dir:var:755 dir:var/lock:755 dir:etc/iscsi:755 dir:lib:755 dir:lib/modules:755
	chr:dev/console:600:5:1 chr:dev/null:666:1:3
	"file:bin/busybox:755:$busybox" sym:bin/sh:busybox
	"file:init:755:$work/init" "file:etc/udhcpc.script:755:$work/udhcpc.script"
	"file:sbin/iscsistart:755:$rootdeps/iscsi/iscsistart"
	"file:lib/modules/order:644:$rootdeps/modules/order"
	"file:lib/modules/order-ibft:644:$rootdeps/modules/order-ibft")
for f in "$rootdeps"/iscsi/lib/*; do ents+=("file:lib/${f##*/}:755:$f"); done
# the ELF interpreter where iscsistart asks for it (amd64's is /lib64/ld-linux-x86-64.so.2;
# arm64's /lib/ld-linux-aarch64.so.1 is in /lib already)
interp=$(elf_interp "$rootdeps/iscsi/iscsistart" "$rootdeps/iscsi/lib") || exit 1
case $interp in lib/*) ;; *) ents+=("dir:${interp%/*}:755" "sym:$interp:../lib/${interp##*/}") ;; esac
for f in "$rootdeps"/modules/*.ko; do ents+=("file:lib/modules/${f##*/}:644:$f"); done
python3 "$top/tests/rig/newc.py" "$work/initrd.img" "${ents[@]}"

# ---- partition 2: the root file system ---------------------------------------------------
# (outage: iscsid + iscsiadm, the modes of /sbin/init; docs/diskless.md)
[ -x "$rootdeps/rootfs/sbin/iscsid" ] && [ -x "$rootdeps/rootfs/sbin/iscsiadm" ] ||
	die "$rootdeps/rootfs has no iscsid/iscsiadm: run tests/rig/rootdeps.sh (again)"
rf=$work/rootfs
mkdir -p "$rf"/{bin,sbin,lib,dev,proc,sys,tmp,run,etc/iscsi,etc/wireboot,root,var/lib/wireboot}
chmod 1777 "$rf/tmp"
cp "$busybox" "$rf/bin/busybox"
for a in sh ash cat echo ls mkdir mount umount awk sed grep cut tail head wc readlink sync \
	poweroff sleep dd od uname df dmesg ps vi cp mv rm ln touch find tr sort uniq date \
	sha256sum cmp kill setsid cttyhack stty clear free uptime hostname id env less more \
	printf test true false ip ifconfig route top du stat basename dirname tee xargs seq; do
	ln -s busybox "$rf/bin/$a"
done
cp "$rootdeps"/rootfs/sbin/iscsid "$rootdeps"/rootfs/sbin/iscsiadm "$rf/sbin/"
cp "$rootdeps"/rootfs/lib/* "$rf/lib/"
# their ELF interpreter where they ask for it, as for the initramfs above
interp=$(elf_interp "$rf/sbin/iscsid" "$rf/lib") || exit 1
case $interp in lib/*) ;; *) mkdir -p "$rf/${interp%/*}" && ln -s "../lib/${interp##*/}" "$rf/$interp" ;; esac
# iscsid's state is rebuilt at every boot on the tmpfs /run: the node record (with the
# CHAP secrets, from /proc/cmdline) and the initiator name are never written to the
# iSCSI disk, and iscsid reads nothing from it while the target is away
ln -s /run/iscsi/initiatorname.iscsi "$rf/etc/iscsi/initiatorname.iscsi"
ln -s /run/iscsi/nodes "$rf/etc/iscsi/nodes"
ln -s /run/iscsi/send_targets "$rf/etc/iscsi/send_targets"
ln -s /run/iscsi/ifaces "$rf/etc/iscsi/ifaces"
# iscsid's management socket admits only the user named root (getpwuid)
echo "root:x:0:0:root:/root:/bin/sh" >"$rf/etc/passwd"
echo "root:x:0:" >"$rf/etc/group"
cat >"$rf/etc/iscsi/iscsid.conf" <<'CONF'
# wireboot diskless root (tests/rig/mkdisk-root.sh, docs/diskless.md): the settings new
# node records get.  The root is on the target: no NOP-Out pings, and I/O is queued for
# a day (not failed after open-iscsi's default 120 s) while a connection is down.
node.startup = manual
node.session.timeo.replacement_timeout = 86400
node.conn[0].timeo.noop_out_interval = 0
node.conn[0].timeo.noop_out_timeout = 0
node.conn[0].timeo.login_timeout = 15
node.session.err_timeo.abort_timeout = 15
node.session.err_timeo.lu_reset_timeout = 30
node.session.err_timeo.tgt_reset_timeout = 30
node.session.reopen_max = 0
CONF
cat >"$rf/sbin/init" <<'RINIT'
#!/bin/busybox sh
# wireboot diskless root's init (docs/diskless.md): say where / is, start iscsid so that
# it manages the iSCSI session the initramfs opened, count the boots on /, then do what
# /etc/wireboot/mode says (tests/rig/disk.sh disk_root_put writes it into a test's copy):
#   count   (no file) remount / read-only and power off
#   outage  a read/write loop on / (tests/qemu/uboot-arm64-outage.sh stops the target
#           meanwhile), a summary, then as count
#   shell   a shell on the console (make demo); leaving it powers off
# /etc/wireboot/iscsi.settings (NAME=VALUE lines), when present, overrides node record
# settings (the outage test's control run).  CHAP secrets are never printed.
PATH=/bin:/sbin
export PATH
[ -e /proc/mounts ] || mount -t proc proc /proc
[ -d /sys/class ] || mount -t sysfs sysfs /sys
exec </dev/console >/dev/console 2>&1
up() { cut -d' ' -f1 /proc/uptime; }
secs() { cut -d. -f1 /proc/uptime; }
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock /run/iscsi/nodes /run/iscsi/send_targets /run/iscsi/ifaces
mode=count
[ -s /etc/wireboot/mode ] && mode=$(head -n 1 /etc/wireboot/mode)
set -- $(awk '$2 == "/" { d = $1; t = $3 } END { print d, t }' /proc/mounts)
dev=$1 fs=$2
case $(readlink -f "/sys/class/block/${dev#/dev/}") in */session[0-9]*) from=iscsi ;; *) from=other ;; esac
echo "WIREBOOT-ROOT marker root=$dev fstype=$fs from=$from"

# ---- iscsid takes over the session ----
# The session's target, portal and initiator name from sysfs (what the initramfs logged
# in to), the CHAP accounts from the kernel command line (or, on the iBFT path, from
# /sys/firmware/ibft), into a node record; iscsid
# finds the session in sysfs at start and syncs it with that record (it logs in again:
# the initramfs's TCP connection belongs to the kernel, not to iscsid).
iscsid_start() {
	local sess conn w chap="" rchap="" n v i st ib
	sess=$(ls -d /sys/class/iscsi_session/session* 2>/dev/null | head -n 1)
	conn=$(ls -d /sys/class/iscsi_connection/connection* 2>/dev/null | head -n 1)
	[ -n "$sess" ] && [ -n "$conn" ] || { echo "WIREBOOT-ROOT iscsid: no iSCSI session in sysfs"; return 1; }
	sid=${sess##*/session}
	target=$(cat "$sess/targetname") portal=$(cat "$conn/persistent_address"):$(cat "$conn/persistent_port"),$(cat "$sess/tpgt")
	echo "InitiatorName=$(cat "$sess/initiatorname")" >/run/iscsi/initiatorname.iscsi
	for w in $(cat /proc/cmdline); do
		case $w in
		wireboot.chap=*) chap=${w#*=} ;;
		wireboot.rchap=*) rchap=${w#*=} ;;
		esac
	done
	# the iBFT path names no CHAP on the command line: the firmware table's accounts
	# (/sys/firmware/ibft, Linux's iscsi_ibft, loaded by the initramfs on that path)
	ib=/sys/firmware/ibft/target0
	if [ -z "$chap" ] && [ -s "$ib/chap-name" ]; then
		chap="$(cat "$ib/chap-name"):$(cat "$ib/chap-secret")"
		[ -s "$ib/rev-chap-name" ] && rchap="$(cat "$ib/rev-chap-name"):$(cat "$ib/rev-chap-name-secret")"
		echo "WIREBOOT-ROOT iscsid: CHAP accounts from the iBFT"
	fi
	# (without a running iscsid, iscsiadm gives a new record the built-in defaults, not
	# iscsid.conf's: its node.* lines are applied to the record one by one)
	iscsiadm -m node -o new -T "$target" -p "$portal" >/run/iscsiadm.log 2>&1 ||
		{ echo "WIREBOOT-ROOT iscsid: iscsiadm -o new failed: $(tail -n 2 /run/iscsiadm.log)"; return 1; }
	upd() {
		iscsiadm -m node -T "$target" -p "$portal" -o update -n "$1" -v "$2" >>/run/iscsiadm.log 2>&1 ||
			echo "WIREBOOT-ROOT iscsid: iscsiadm could not set $1"
	}
	sed -n 's/^\(node\.[^ =]*\)[[:space:]]*=[[:space:]]*\(.*\)$/\1 \2/p' /etc/iscsi/iscsid.conf >/run/conf.nv
	while read -r n v; do upd "$n" "$v"; done </run/conf.nv
	if [ -n "$chap" ]; then
		upd node.session.auth.authmethod CHAP
		upd node.session.auth.username "${chap%%:*}"
		upd node.session.auth.password "${chap#*:}"
		if [ -n "$rchap" ]; then
			upd node.session.auth.username_in "${rchap%%:*}"
			upd node.session.auth.password_in "${rchap#*:}"
		fi
	fi
	chap=x rchap=x
	if [ -s /etc/wireboot/iscsi.settings ]; then
		while IFS='=' read -r n v; do
			case $n in '' | '#'*) continue ;; esac
			upd "$n" "$v"
			echo "WIREBOOT-ROOT iscsid: record setting $n=$v (/etc/wireboot/iscsi.settings)"
		done </etc/wireboot/iscsi.settings
	fi
	iscsid -f >/run/iscsid.log 2>&1 &
	iscsid_pid=$!
	# managed: iscsid reports its internal state of the session (no daemon, or a session
	# it does not know: "Unknown"); its sync logs in again (REOPEN), then NO CHANGE
	i=0
	while [ $i -lt 300 ]; do
		st=$(iscsiadm -m session -r "$sid" -P 3 2>/dev/null |
			sed -n 's/^[[:space:]]*Internal iscsid Session State: //p; s/^[[:space:]]*iSCSI Session State: //p' | tr '\n' /)
		[ "$st" = "LOGGED_IN/NO CHANGE/" ] && break
		sleep 0.2
		i=$((i + 1))
	done
	echo "WIREBOOT-ROOT iscsid pid=$iscsid_pid session=$sid state=${st%/} at $(up) s"
	iscsi_state
}
# iscsi_state — the session as iscsiadm and the kernel show it (no CHAP lines: -P 3
# masks the secrets, but nothing of the CHAP section is printed anyway)
iscsi_state() {
	iscsiadm -m session -r "$sid" -P 3 2>&1 |
		grep -E 'State:|Timeout:|Recovery|Current Portal|Persistent Portal' | sed 's/^[[:space:]]*/iscsiadm: /'
	echo "WIREBOOT-ROOT session timeouts: recovery_tmo=$(cat /sys/class/iscsi_session/session$sid/recovery_tmo) recv_tmo=$(cat /sys/class/iscsi_connection/connection$sid:0/recv_tmo) ping_tmo=$(cat /sys/class/iscsi_connection/connection$sid:0/ping_tmo) state=$(cat /sys/class/iscsi_session/session$sid/state)"
}
[ "$from" = iscsi ] && iscsid_start

# ---- boot counter ----
f=/var/lib/wireboot/boots
last=$(tail -n 1 "$f" 2>/dev/null)
[ -n "$last" ] || last=none
n=$(($(cat "$f" 2>/dev/null | wc -l) + 1))
echo "boot $n on $dev at $(up) s" >>"$f" || echo "WIREBOOT-ROOT write-failed"
sync
echo "WIREBOOT-ROOT boots=$n last=$last"

# kmsg — the kernel log without its command line (it holds the CHAP secrets)
kmsg() { dmesg | grep -v 'Kernel command line'; }

# ---- outage: write, sync, drop the page cache, read back, for at least OUTAGE_SECS
# (second word of the mode file, default 90) and until 3 rounds after the last stall
outage_loop() {
	local min=${1:-90} d=/var/lib/wireboot/outage t0 ts te dt k s r n=0 errors=0 stalls=0 after=0 longest=0 check wd
	mkdir -p "$d" && rm -f "$d"/f*
	: >/run/sums
	disk=${dev#/dev/}
	disk=${disk%%[0-9]*}
	echo "WIREBOOT-OUTAGE loop start at $(up) s: $disk SCSI command timeout $(cat /sys/block/$disk/device/timeout) s, min $min s"
	t0=$(secs)
	# if the loop hangs, say what the kernel said
	( sleep $((min + 420)); echo "WIREBOOT-OUTAGE watchdog: loop still running after $((min + 420)) s"
	  kmsg | tail -n 40 | sed 's/^/dmesg: /'; tail -n 20 /run/iscsid.log | sed 's/^/iscsid: /' ) &
	wd=$!
	while :; do
		n=$((n + 1))
		k=$((n % 8))
		ts=$(secs)
		dd if=/dev/urandom of=/run/blk bs=64k count=8 2>/dev/null
		s=$(sha256sum /run/blk | cut -c1-64)
		if dd if=/run/blk of="$d/f$k" bs=64k conv=fsync 2>/run/dd.err; then
			grep -v " f$k\$" /run/sums >/run/sums.new
			echo "$s  f$k" >>/run/sums.new
			mv /run/sums.new /run/sums
		else
			errors=$((errors + 1))
			echo "WIREBOOT-OUTAGE round $n: write failed: $(tail -n 1 /run/dd.err)"
		fi
		sync
		echo 3 >/proc/sys/vm/drop_caches
		r=$(sha256sum "$d/f$k" 2>/dev/null | cut -c1-64)
		[ "$r" = "$s" ] || { errors=$((errors + 1)); echo "WIREBOOT-OUTAGE round $n: f$k read back differs"; }
		te=$(secs)
		dt=$((te - ts))
		if [ $dt -ge 10 ]; then
			stalls=$((stalls + 1)) after=0
			echo "WIREBOOT-OUTAGE round $n took $dt s (stalled) at $(up) s"
		else
			after=$((after + 1))
		fi
		[ $dt -gt $longest ] && longest=$dt
		[ $((te - t0)) -ge "$min" ] && [ $after -ge 3 ] && break
	done
	sync
	echo 3 >/proc/sys/vm/drop_caches
	if (cd "$d" && sha256sum -c -s /run/sums); then check=OK; else check=BAD; errors=$((errors + 1)); fi
	kill "$wd" 2>/dev/null
	iscsi_state
	kmsg | grep -E 'connection[0-9]|session[0-9]|I/O error|EXT4-fs|blk_update|Buffer I/O|sd [0-9]|scsi' | tail -n 40 | sed 's/^/dmesg: /'
	tail -n 20 /run/iscsid.log | sed 's/^/iscsid: /'
	echo "WIREBOOT-OUTAGE loop done rounds=$n errors=$errors check=$check stalls=$stalls longest=${longest}s in $(($(secs) - t0)) s"
}

set -- $mode
case $1 in
outage) outage_loop "${2:-90}" ;;
shell)
	cat /etc/motd
	echo "WIREBOOT-ROOT shell: root $dev on iSCSI; 'poweroff -f' (or Ctrl-A X) ends it"
	HOME=/root PS1='wireboot-diskless:$PWD# ' setsid cttyhack sh
	;;
esac
mount -o remount,ro / || echo "WIREBOOT-ROOT remount-ro-failed"
sync
poweroff -f
RINIT
chmod 755 "$rf/sbin/init"
echo "wireboot diskless root (tests/rig/mkdisk.sh --root): / is partition 2 of the iSCSI disk" >"$rf/etc/motd"
truncate -s $((DISK_ROOT_MIB * 1048576)) "$work/root.ext4"
mkfs.ext4 -q -F -L wbroot -U "$root_fsuuid" -E root_owner=0:0 -d "$rf" "$work/root.ext4" \
	>"$work/mkfs.ext4.log" 2>&1 || die "mkfs.ext4 -d failed: $(cat "$work/mkfs.ext4.log")"
