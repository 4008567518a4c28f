#!/bin/bash
# nfs.sh — `wireboot fetch nfs://…` (proto/nfs_client.c) and the image commands over NFSv3:
#
#   1. a scripted hostile RPC peer (tests/rig/nfspeer.py, PORTMAP+MOUNT+NFS on port 111 of
#      192.0.2.1): READ replies out of order and short (reordered by XID, rest re-asked),
#      garbage, a truncated record then close, an oversized record, a reply with an unknown
#      XID, eof before the size, more bytes than asked, AUTH_ERROR on MNT, and a stall
#      bounded by --timeout — over kernel sockets;
#   2. the real peer: nfs-ganesha + rpcbind (tests/rig/nfsrig.sh), over kernel sockets and
#      over lwIP on a TAP device: files of several sizes (0 B to 64 MiB by default) checked
#      by SHA-256, a path through a directory symlink and a file symlink, a symlink loop
#      (bounded), a missing file (NFS3ERR_NOENT), a directory, a path that is not exported
#      (MNT3ERR_ACCES), an export that wants reserved source ports (root vs an unprivileged
#      user); `imgfetch nfs://…` from a script (ctx->fetch), and autoboot chaining a DHCP
#      boot filename nfs://…/boot.ipxe that chains a relative second script.
set -u
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/nfsrig.sh"
BIG_MB=${NFS_TEST_MB:-64}
# autoboot: DHCP's boot filename is an nfs:// URL (root-path not iscsi:, so it is chained);
# its directory must be known before dnsmasq starts, so it lives outside RIG_DIR
bootdir=$(mktemp -d /tmp/wb-nfsboot.XXXXXX) || exit 1
RIG_ROOT_PATH=none RIG_BOOTFILE="nfs://192.0.2.1$bootdir/boot.ipxe" wb_rig nfs
RIG_CLEANUP_CMDS+=("rm -rf '$bootdir'")
out="$RIG_DIR/out"
mkdir -p "$out"

# fetch ID TIMEOUT MODE ARGS... — MODE sock (kernel sockets in the netns) or tap (lwIP)
fetch() {
	local id=$1 t=$2 mode=$3; shift 3
	if [ "$mode" = tap ]; then
		wb_exec "$id" "$t" "$WB" fetch --progress --tap "$WB_TAP" "$@" </dev/null
	else
		wb_exec "$id" "$t" "$WB" fetch --progress "$@" </dev/null
	fi
}

# ---- 1. the scripted peer ------------------------------------------------------------
head -c 300000 /dev/urandom >"$RIG_DIR/peer.bin"
peer_sum=$(sha256sum "$RIG_DIR/peer.bin" | cut -d' ' -f1)
peer() {
	[ -n "${RIG_PID[nfspeer]:-}" ] && rig_stop nfspeer
	: >"$RIG_DIR/nfspeer.out"
	rig_bg nfspeer python3 "$RIG_TOP/tests/rig/nfspeer.py" --bind 192.0.2.1 --port 111 \
		--file "$RIG_DIR/peer.bin" --mode "$1"
	rig_wait_file "$RIG_DIR/nfspeer.out" '^listening' 10 || rig_die "nfspeer did not start"
}
url=nfs://192.0.2.1/export/file

peer ok
fetch peer-ok 60 sock "$url" -o "$out/peer-ok"
wb_expect_ok "peer: out-of-order and short READ replies: file fetched"
wb_expect_out "peer: content sha256" "^sha256 $peer_sum\$"
wb_expect_out "peer: replies reordered by XID and short ones re-asked" \
	'READs \([1-9][0-9]* early, [1-9][0-9]* re-asked\)'
for m in "garbage|not an RPC reply" "short|connection closed" \
	"oversized|reply larger than the client accepts" "badxid|unknown XID" \
	"eofearly|end of file at 150000, size 300000: NFS: the file ended before" \
	"bigcount|READ reply inconsistent" "auth|AUTH_TOOWEAK: RPC: server rejected our AUTH_SYS"; do
	peer "${m%%|*}"
	fetch "peer-${m%%|*}" 60 sock "$url" -o "$out/peer-${m%%|*}"
	wb_expect_fail "peer: ${m%%|*} reply -> clear error" "${m#*|}" 20
	rig_check "peer: ${m%%|*}: no file left" test ! -e "$out/peer-${m%%|*}"
done
peer stall
fetch peer-stall 60 sock --timeout 3 "$url" -o "$out/peer-stall"
wb_expect_fail "peer: stalled READ bounded by --timeout 3" 'stopped answering .*see --timeout' 10
rig_check "peer: stall took at least the timeout" test "$WB_SECS" -ge 3
# the same over lwIP, and the image commands' --timeout (ctx->fetch)
wb_run peer-stall-script 60 <<EOF
#!ipxe
dhcp
imgfetch --timeout 2000 $url || echo STALL=failed
EOF
rig_expect_eq "peer: imgfetch --timeout 2000 ends a stalled NFS READ" "$(wb_val STALL)" failed
wb_expect_out "peer: imgfetch: the error says the server stopped answering" 'imgfetch: NFS: the server stopped answering'
peer ok
fetch peer-ok-tap 60 tap "$url" -o "$out/peer-ok-tap"
wb_expect_ok "peer over lwIP: out-of-order and short READ replies: file fetched"
wb_expect_out "peer over lwIP: content sha256" "^sha256 $peer_sum\$"
wb_expect_out "peer over lwIP: reordered and re-asked" 'READs \([1-9][0-9]* early, [1-9][0-9]* re-asked\)'
rig_stop nfspeer

# ---- 2. nfs-ganesha ------------------------------------------------------------------
exp="$RIG_DIR/export"
priv="$RIG_DIR/private"
mkdir -p "$exp/sub/deeper" "$priv"
: >"$exp/empty.bin"
echo "hello from ganesha" >"$exp/small.txt"
head -c 1000 /dev/urandom >"$exp/sub/deeper/odd.bin"          # not a multiple of 4
head -c $((3 * 1048576 + 5)) /dev/urandom >"$exp/sub/mid.bin"    # several READs, a short last one
head -c $((BIG_MB * 1048576)) /dev/urandom >"$exp/big.bin"
echo secret >"$priv/file"
ln -s sub "$exp/dlink"                  # directory symlink (relative)
ln -s "$exp/sub/mid.bin" "$exp/abslink" # absolute, inside the export
ln -s ../small.txt "$exp/sub/up"        # relative with ..
ln -s loop2 "$exp/loop1"
ln -s loop1 "$exp/loop2"
secure="$RIG_DIR/secure"
mkdir -p "$secure"
head -c 100000 /dev/urandom >"$secure/file"
printf '#!ipxe\necho AUTOBOOT=first\nchain second.ipxe\n' >"$bootdir/boot.ipxe"
printf '#!ipxe\necho AUTOBOOT=second\n' >"$bootdir/second.ipxe"
rig_ganesha "$exp" "$secure|PrivilegedPort = true;" "$bootdir"
base="nfs://192.0.2.1$exp"
chmod 777 "$out"

for mode in sock tap; do
	for f in empty.bin small.txt sub/deeper/odd.bin sub/mid.bin big.bin; do
		id="$mode-$(basename "$f")"
		fetch "$id" 180 $mode "$base/$f" -o "$out/$id"
		wb_expect_ok "$mode: $f fetched"
		wb_expect_out "$mode: $f sha256" "^sha256 $(sha256sum "$exp/$f" | cut -d' ' -f1)\$"
	done
	wb_expect_out "$mode: big file: progress shown" '^nfs: .* of .* \(100%\) at .*, done'
	wb_expect_out "$mode: big file: several READs in flight" 'READs'

	fetch "$mode-dlink" 60 $mode "$base/dlink/deeper/odd.bin" -o "$out/$mode-dlink"
	wb_expect_ok "$mode: path through a directory symlink"
	rig_check "$mode: directory symlink: content" cmp -s "$exp/sub/deeper/odd.bin" "$out/$mode-dlink"
	fetch "$mode-abslink" 60 $mode "$base/abslink" -o "$out/$mode-abslink"
	wb_expect_ok "$mode: absolute symlink inside the export"
	rig_check "$mode: absolute symlink: content" cmp -s "$exp/sub/mid.bin" "$out/$mode-abslink"
	fetch "$mode-up" 60 $mode "$base/sub/up" -o "$out/$mode-up"
	wb_expect_ok "$mode: relative symlink with .."
	rig_check "$mode: .. symlink: content" cmp -s "$exp/small.txt" "$out/$mode-up"

	fetch "$mode-loop" 60 $mode "$base/loop1" -o "$out/$mode-loop"
	wb_expect_fail "$mode: symlink loop refused after 8 links" 'more than 8 symbolic links' 20
	fetch "$mode-missing" 60 $mode "$base/sub/missing.bin" -o "$out/$mode-missing"
	wb_expect_fail "$mode: missing file: NFS3ERR_NOENT named" 'NFS3ERR_NOENT looking up "missing.bin"' 20
	rig_check "$mode: missing file: no file left" test ! -e "$out/$mode-missing"
	fetch "$mode-dir" 60 $mode "$base/sub" -o "$out/$mode-dir"
	wb_expect_fail "$mode: a directory is not a file" 'names a directory' 20
	fetch "$mode-private" 60 $mode "nfs://192.0.2.1$priv/file" -o "$out/$mode-private"
	wb_expect_fail "$mode: path not exported: MOUNT error named" 'MNT3ERR_(ACCES|NOENT|PERM) for ' 20
	rig_check "$mode: not exported: nothing fetched" test ! -e "$out/$mode-private"
done

# reserved source ports: the PrivilegedPort export answers root (reserved ports) and refuses
# an unprivileged user (ordinary ports) with AUTH_TOOWEAK, named with its likely cause
secure_sum=$(sha256sum "$secure/file" | cut -d' ' -f1)
fetch resv-sock 60 sock "nfs://192.0.2.1$secure/file" -o "$out/resv-sock"
wb_expect_ok "PrivilegedPort export: root over sockets fetches it"
wb_expect_out "PrivilegedPort export: sockets: from a reserved port, content" "reserved source port"
wb_expect_out "PrivilegedPort export: sockets: content" "^sha256 $secure_sum\$"
fetch resv-tap 60 tap "nfs://192.0.2.1$secure/file" -o "$out/resv-tap"
wb_expect_ok "PrivilegedPort export: lwIP fetches it (bound to a reserved port)"
wb_expect_out "PrivilegedPort export: lwIP: content" "^sha256 $secure_sum\$"
wb_exec resv-user 60 setpriv --reuid 65534 --regid 65534 --clear-groups "$WB" fetch --progress \
	"nfs://192.0.2.1$secure/file" -o "$out/resv-user" </dev/null
wb_expect_fail "PrivilegedPort export: unprivileged user refused, cause named" \
	'AUTH_TOOWEAK from an ordinary source port' 20
wb_exec user-plain 60 setpriv --reuid 65534 --regid 65534 --clear-groups "$WB" fetch --progress \
	"$base/small.txt" -o "$out/user-plain" </dev/null
wb_expect_ok "ordinary export: unprivileged user (ordinary port) fetches"
wb_expect_out "ordinary export: unprivileged: ordinary source port" "ordinary source port"

# autoboot (`wireboot boot`, no script): DHCP filename nfs://…/boot.ipxe chained, and a
# relative `chain second.ipxe` in it resolved against its nfs:// URI
wb_exec autoboot 120 "$WB" boot --tap "$WB_TAP" </dev/null
wb_expect_out "autoboot: chains the nfs:// boot filename" 'autoboot: chain \$\{net0/filename\}'
wb_expect_out "autoboot: the NFS script ran" '^AUTOBOOT=first'
wb_expect_out "autoboot: relative chain resolved against nfs://" '^AUTOBOOT=second'
if grep -q 'script stopped' "$WB_LOG"; then rig_fail "autoboot: the chained scripts succeed"
else rig_pass "autoboot: the chained scripts succeed"; fi

# the image commands (ctx->fetch over lwIP): imgfetch + a wrong path in one script
wb_run script 120 <<EOF
#!ipxe
dhcp
imgfetch --name big $base/big.bin && echo FETCHED=ok
imgstat
imgfetch $base/nope.bin || echo MISSING=failed
EOF
rig_expect_eq "script: imgfetch nfs:// works" "$(wb_val FETCHED)" ok
wb_expect_out "script: image size as on the server" "^big : $((BIG_MB * 1048576)) bytes"
rig_expect_eq "script: missing file fails the command" "$(wb_val MISSING)" failed
wb_expect_out "script: the error names NFS3ERR_NOENT" 'NFS3ERR_NOENT looking up "nope.bin"'
rig_finish
