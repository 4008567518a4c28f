#!/bin/bash
# lio.sh — `wireboot preflight iscsi` against Linux's own iSCSI target, LIO
# (target_core_mod + iscsi_target_mod), the most used target on Linux servers and one
# that negotiates differently from tgt: LUN 0 is the disk, per-initiator ACLs, CHAP
# algorithms up to SHA-256.  This machine's kernel has no LIO, so it runs in a QEMU
# x86_64 guest on the rig's bridge (tests/rig/lio.sh: Debian's amd64 kernel, busybox
# /init, LIO configured through configfs with the writes targetcli makes).  The target
# is set up from docs/deploy.md's LIO recipe (its targetcli block: LUN 0 an iblock
# backstore, here over a virtio disk holding a copy of the arm64 test disk, mkdisk.sh),
# and the page's preflight command is run as written.  Over kernel sockets from the
# rig's namespace:
#   - login with mutual CHAP as the ACL's initiator; INQUIRY (LIO-ORG), READ CAPACITY;
#     the disk check says it boots on arm64; --read-all's SHA-256 equals sha256sum of
#     the image; the CHAP algorithm wireboot reports is the one LIO answered on the wire
#     (CHAP_A in its Login Response, captured by tests/rig/loginkeys.py on the guest's
#     tap), and read-all's command size is the MaxBurstLength LIO answered;
#   - --chap-alg 5 (MD5 only, what older targets offer): LIO takes MD5 too;
#   - while a session is held (--idle), LIO's ACL info names our initiator, logged in;
#   - a wrong secret is refused by LIO (our direction), a wrong reverse secret by
#     wireboot (the target's direction), an initiator name not in an ACL is refused;
#   - tests/rig/lio.sh's own commands with a fileio backstore and the portal moved from
#     0.0.0.0 to the server's address: login, boots, SHA-256.
# Prints what LIO negotiated (its Login Response keys: CHAP_A, ImmediateData, InitialR2T,
# MaxBurstLength, FirstBurstLength, MaxRecvDataSegmentLength, ...), recorded in
# docs/deploy.md.
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/lio.sh"

# the recipe of docs/deploy.md, "iSCSI target: LIO (targetcli)": its targetcli block
# (the backstore's dev= becomes the guest's disk) and its preflight command, as written
DOC=$RIG_TOP/docs/deploy.md
block() { # the fenced block after the marker, without its fences
	awk -v m="<!-- deploy: $1 -->" '$0 == m { st = 1; next }
		st == 1 && /^```/ { st = 2; next } st == 2 && /^```/ { exit } st == 2' "$DOC"
}
[ -n "$(block lio)" ] || { echo "FAIL: lio: no 'lio' block in docs/deploy.md"; exit 1; }
read -r -a words <<<"$(block lio-preflight | sed 's/\\$//' | tr '\n' ' ')"
envs=() args=() ROOT="" INI="" USER_="" MUSER="" SECRET="" MSECRET=""
for i in "${!words[@]}"; do
	w=${words[$i]} nx=${words[$((i + 1))]:-}
	case $w in
	WIREBOOT_SECRET=*) SECRET=${w#*=}; envs+=("$w") ;;
	WIREBOOT_REVERSE_SECRET=*) MSECRET=${w#*=}; envs+=("$w") ;;
	wireboot) ;;
	*) args+=("$w") ;;
	esac
	case $w in
	iscsi:*) ROOT=$w ;;
	--initiator) INI=$nx ;;
	--user) USER_=$nx ;;
	--reverse-user) MUSER=$nx ;;
	esac
done
[ -n "$ROOT" ] && [ -n "$INI" ] && [ -n "$USER_" ] && [ -n "$MUSER" ] && [ -n "$SECRET" ] && [ -n "$MSECRET" ] ||
	{ echo "FAIL: lio: docs/deploy.md's lio-preflight block lacks the root path, --initiator, a user or a secret"; exit 1; }
LIO_IP=$(echo "$ROOT" | cut -d: -f2)          # the guest takes the page's server address
LIO_IQN=$(echo "$ROOT" | cut -d: -f6-)

bash "$RIG_TOP/tests/rig/mkdisk.sh" arm64 "$RIG_TOP/build/disk/test-arm64.img" >/dev/null ||
	{ echo "FAIL: lio: tests/rig/mkdisk.sh arm64 failed"; exit 1; }
( lio_deps ) || { echo "FAIL: lio: tests/rig/lio.sh deps failed"; exit 1; }
wb_rig lio nodhcp
IMG=$RIG_DIR/disk.img
cp "$RIG_TOP/build/disk/test-arm64.img" "$IMG"
want=$(sha256sum "$IMG" | cut -d' ' -f1)

pf() {
	local id=$1 t=$2; shift 2
	PF_SECRET=${S:-$SECRET} PF_RSECRET=${MS:-$MSECRET} wb_preflight "$id" "$t" "$ROOT" \
		--initiator "${I:-$INI}" --user "$USER_" --reverse-user "$MUSER" "$@"
}

# start BACKSTORE [TARGETCLI-FILE] — the target in a new guest (the one before stopped):
# the file's targetcli commands, else tests/rig/lio.sh's own for BACKSTORE
start() {
	[ -z "${LIO_PID:-}" ] || rig_stop "$LIO_PID"
	[ -z "${LIO_PID:-}" ] || { rig_ns ip link del lio0; exec {LIO_IN_FD}>&-; rm -f "$RIG_DIR/lio-in"; }
	LIO_TARGETCLI=${2:-} LIO_BACKSTORE=$1 LIO_ACLS=$INI LIO_USER=$USER_ LIO_SECRET=$SECRET LIO_MUSER=$MUSER LIO_MSECRET=$MSECRET \
		lio_start "$IMG"
	if lio_wait_ready 240; then rig_pass "LIO target up ($1 backstore)"
	else rig_fail "LIO target up ($1 backstore)"; rig_finish; fi
}

# check_disk ID — the disk checks of a successful run with --read-all
check_disk() {
	wb_expect_ok "$1: login, disk check and read-all (exit 0)"
	wb_expect_out "$1: LIO's LUN 0 is a disk (INQUIRY)" '^LUN 0: type 0x00 vendor "LIO-ORG"'
	wb_expect_out "$1: READ CAPACITY: the image's size" "^capacity [0-9]+ blocks x 512 bytes = $(stat -c %s "$IMG") bytes$"
	wb_expect_out "$1: verdict OK for arm64" '^verdict \(arm64\): OK'
	if grep -qx "sha256 $want" "$WB_LOG"; then rig_pass "$1: read-all SHA-256 = sha256sum of the image"
	else rig_fail "$1: read-all SHA-256 = sha256sum of the image" "want $want"; fi
	wb_expect_out "$1: logout" '^logout ok$'
}

block lio >"$RIG_DIR/page-targetcli"
start "docs/deploy.md's targetcli block: iblock" "$RIG_DIR/page-targetcli"

# the page's command as written first, then the same with --read-all
wb_exec page 120 env "${envs[@]}" "$WB" "${args[@]}" </dev/null
wb_expect_ok "the page's preflight command: login, disk check (exit 0)"
wb_expect_out "the page's preflight command: the disk would boot on arm64" '^verdict \(arm64\): OK'
rig_bg loginkeys python3 "$RIG_TOP/tests/rig/loginkeys.py" lio0
rig_wait_file "$RIG_DIR/loginkeys.out" '^listening' 30 || rig_die "loginkeys.py did not start"
K=$RIG_DIR/loginkeys.out
pf mutual 180 --arch arm64 --read-all
check_disk mutual
wb_expect_out "mutual: CHAP with mutual authentication" '^login ok: auth CHAP-[A-Z0-9]+ mutual,'
alg=$(sed -n 's/^login ok: auth CHAP-\([A-Z0-9]*\) mutual.*/\1/p' "$WB_LOG")
burst=$(sed -n 's/^read-all: .* commands of up to \([0-9]*\) bytes.*/\1/p' "$WB_LOG")
sleep 1
conn=$(awk '$1 == "rsp" { print $2; exit }' "$K")
rsp() { awk -v c="$conn" -v k="$1" '$1 == "rsp" && $2 == c { split($4, a, "="); if (a[1] == k) v = substr($4, length(k) + 2) } END { print v }' "$K"; }
req() { awk -v c="$conn" -v k="$1" '$1 == "req" && $2 == c { split($4, a, "="); if (a[1] == k) v = substr($4, length(k) + 2) } END { print v }' "$K"; }
echo "info: wireboot offered CHAP_A=$(req CHAP_A); LIO chose CHAP_A=$(rsp CHAP_A) (wireboot: CHAP-$alg)"
for k in HeaderDigest DataDigest InitialR2T ImmediateData MaxBurstLength FirstBurstLength \
	MaxRecvDataSegmentLength MaxConnections MaxOutstandingR2T ErrorRecoveryLevel DefaultTime2Wait DefaultTime2Retain; do
	echo "info: $k: wireboot offered '$(req $k)', LIO answered '$(rsp $k)'"
done
case "$(rsp CHAP_A):$alg" in
5:MD5 | 6:SHA1 | 7:SHA256 | 8:SHA3-256) rig_pass "the CHAP algorithm wireboot reports is LIO's choice on the wire (CHAP_A=$(rsp CHAP_A), $alg)" ;;
*) rig_fail "the CHAP algorithm wireboot reports is LIO's choice on the wire" "wire CHAP_A='$(rsp CHAP_A)', wireboot '$alg'" ;;
esac
if [ -n "$burst" ] && [ "$burst" = "$(rsp MaxBurstLength)" ]; then
	rig_pass "read-all commands are LIO's MaxBurstLength ($burst bytes)"
else rig_fail "read-all commands are LIO's MaxBurstLength" "read-all: '$burst', LIO answered '$(rsp MaxBurstLength)'"; fi
rig_stop loginkeys

pf md5 120 --arch arm64 --no-disk --chap-alg 5
wb_expect_ok "--chap-alg 5: login (exit 0)"
wb_expect_out "--chap-alg 5: LIO takes CHAP-MD5, mutual" '^login ok: auth CHAP-MD5 mutual,'

# a held session, as LIO sees it (its ACL's info file, printed by the guest's /init)
( sleep 8; lio_info >"$RIG_DIR/lio-info.txt" ) &
infopid=$!
pf idle 120 --no-disk --idle 14
wait "$infopid"
wb_expect_ok "--idle 14: the session stays up (exit 0)"
sed 's/^/    [lio-info] /' "$RIG_DIR/lio-info.txt"
if grep -q "InitiatorName: $INI" "$RIG_DIR/lio-info.txt" &&
	grep -q 'Session State: TARG_SESS_STATE_LOGGED_IN' "$RIG_DIR/lio-info.txt"; then
	rig_pass "LIO's ACL shows our session logged in as $INI"
else rig_fail "LIO's ACL shows our session logged in as $INI"; fi

S=wrong-secret-000 pf badsecret 60 --no-disk
wb_expect_fail "wrong secret: LIO refused our CHAP response" 'target refused our CHAP response: check username/password' 30
MS=wrong-reverse-000 pf badreverse 60 --no-disk
wb_expect_fail "wrong reverse secret: LIO failed mutual CHAP" 'target failed mutual CHAP: check reverse-username/reverse-password' 30
I=iqn.2026-12.example.boot:other pf noacl 60 --no-disk
wb_expect_fail "initiator without an ACL: refused" 'initiator not allowed to access this target' 30

# tests/rig/lio.sh's own commands, fileio, and the portal moved to the server's address
{ RIG_DIR=$RIG_DIR LIO_BACKSTORE=fileio LIO_ACLS=$INI LIO_USER=$USER_ LIO_SECRET=$SECRET LIO_MUSER=$MUSER \
	LIO_MSECRET=$MSECRET lio_default_targetcli
  echo "targetcli /iscsi/$LIO_IQN/tpg1/portals delete 0.0.0.0 3260"
  echo "targetcli /iscsi/$LIO_IQN/tpg1/portals create $LIO_IP 3260"; } >"$RIG_DIR/own-targetcli"
start fileio "$RIG_DIR/own-targetcli"
if tr -d '\r' <"$LIO_LOG" | grep -aq "^LIO-READY .* portals=$LIO_IP:3260 luns"; then rig_pass "fileio: the portal on $LIO_IP only"
else rig_fail "fileio: the portal on $LIO_IP only"; fi
pf fileio 180 --arch arm64 --read-all
check_disk fileio
wb_expect_out "fileio: LIO's FILEIO backstore" '^LUN 0: type 0x00 vendor "LIO-ORG" product "FILEIO"'

if grep -qE -- "$SECRET|$MSECRET" "$LIO_LOG" "$RIG_DIR"/*.log "$K"; then rig_fail "no secret in any output or on the target's console"
else rig_pass "no secret in any output or on the target's console"; fi

rig_finish
