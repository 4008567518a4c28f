#!/bin/bash
# ftp.sh — `wireboot fetch ftp://…` (proto/ftp_client.c) against vsftpd and a scripted
# hostile peer (tests/rig/ftppeer.py) in the test namespace, over kernel sockets and over
# lwIP on a TAP device: anonymous and password downloads of several sizes (SHA-256
# checked) behind vsftpd's multi-line greeting, EPSV (vsftpd) and the PASV fallback, a missing file (550 with its text), a
# wrong password (530; the password never shown), a PASV reply naming another host
# (refused: no FTP bounce), multi-line replies, a data connection closed early with no
# 226 or with 426, a SIZE mismatch, and a stalled server bounded by --timeout; then the
# image commands (imgfetch) over ftp://.
#
# vsftpd's local user (the password case) lives only in a private mount namespace:
# /etc/passwd, /etc/shadow and /etc/pam.d/vsftpd are bind-mounted copies there, so the
# host's user database is never touched.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig ftp
command -v vsftpd >/dev/null || rig_die "vsftpd missing: run scripts/deps.sh"
FTP_USER=wbftp
FTP_PASS=ftp-secret-pass-7
WB_SECRETS="$FTP_PASS"
pub="$RIG_DIR/pub"           # anonymous root
home="$RIG_DIR/home"         # the local user's home
out="$RIG_DIR/out"
mkdir -p "$pub" "$home" "$out" "$RIG_DIR/empty" "$RIG_DIR/etc"
chmod 755 "$pub" "$home" "$RIG_DIR/empty"
echo "hello from vsftpd" >"$pub/small.txt"
head -c 1 /dev/urandom >"$pub/one.bin"
: >"$pub/empty.bin"
head -c 100000 /dev/urandom >"$pub/mid.bin"
head -c $(( ${FTP_TEST_MB:-16} * 1024 * 1024 )) /dev/urandom >"$pub/big.bin"
mkdir -p "$pub/dir with space"
head -c 70000 /dev/urandom >"$pub/dir with space/f.bin"
head -c 300000 /dev/urandom >"$home/private.bin"
head -c 1 /dev/urandom >"$home/one.bin"
ln "$pub/big.bin" "$home/big.bin"
chmod 644 "$pub"/*.bin "$pub/small.txt" "$pub/dir with space/f.bin" "$home"/*.bin
# a multi-line greeting from the real server (RFC 959 4.2: "220-" lines, then "220 ")
printf 'wireboot test server\n220 this line is not the end\nlast banner line\n' >"$RIG_DIR/banner"

# the local user, in copies of the user database for vsftpd's mount namespace only
uid=4242
cp /etc/passwd "$RIG_DIR/etc/passwd"
cp /etc/shadow "$RIG_DIR/etc/shadow"
chmod 640 "$RIG_DIR/etc/shadow"
echo "$FTP_USER:x:$uid:$uid:wireboot test:$home:/bin/sh" >>"$RIG_DIR/etc/passwd"
echo "$FTP_USER:$(openssl passwd -6 "$FTP_PASS"):20000:0:99999:7:::" >>"$RIG_DIR/etc/shadow"
printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_permit.so\n' \
	>"$RIG_DIR/etc/pam-vsftpd"
cat >"$RIG_DIR/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=192.0.2.1
listen_port=21
background=NO
anonymous_enable=YES
anon_root=$pub
no_anon_password=YES
local_enable=YES
write_enable=NO
chroot_local_user=NO
pam_service_name=vsftpd
pasv_enable=YES
pasv_min_port=40000
pasv_max_port=40100
secure_chroot_dir=$RIG_DIR/empty
seccomp_sandbox=NO
xferlog_enable=YES
vsftpd_log_file=$RIG_DIR/vsftpd.log
dual_log_enable=YES
xferlog_file=$RIG_DIR/xfer.log
log_ftp_protocol=YES
banner_file=$RIG_DIR/banner
CONF
rig_bg vsftpd unshare -m sh -c "mount --bind '$RIG_DIR/etc/passwd' /etc/passwd &&
	mount --bind '$RIG_DIR/etc/shadow' /etc/shadow &&
	mount --bind '$RIG_DIR/etc/pam-vsftpd' /etc/pam.d/vsftpd &&
	exec vsftpd '$RIG_DIR/vsftpd.conf'"
rig_wait_listen tcp 21 10 || { cat "$RIG_DIR/vsftpd.out"; rig_die "vsftpd did not start"; }

# fetch ID TIMEOUT MODE ARGS... — MODE sock (kernel sockets in the netns) or tap (lwIP)
fetch() {
	local id=$1 t=$2 mode=$3; shift 3
	if [ "$mode" = tap ]; then
		wb_exec "$id" "$t" "$WB" fetch --progress --tap "$WB_TAP" "$@" </dev/null
	else
		wb_exec "$id" "$t" "$WB" fetch --progress "$@" </dev/null
	fi
}
sum() { sha256sum "$1" | cut -d' ' -f1; }

for mode in sock tap; do
	host=192.0.2.1
	[ "$mode" = tap ] && host=boot.test   # the name through lwIP's DNS (dnsmasq)

	for f in small.txt one.bin empty.bin mid.bin big.bin; do
		fetch "$mode-anon-$f" 120 $mode "ftp://$host/$f" -o "$out/$mode-$f"
		wb_expect_ok "$mode: anonymous $f fetched"
		wb_expect_out "$mode: anonymous $f: sha256" "^sha256 $(sum "$pub/$f")\$"
		rig_check "$mode: anonymous $f: same bytes" cmp -s "$pub/$f" "$out/$mode-$f"
	done
	wb_expect_out "$mode: progress shown for the big file" '^ftp: [0-9.]+ MiB of [0-9.]+ MiB \(100%\) at .*done'
	grep -q '^ftp: EPSV refused' "$WB_LOG" && rig_fail "$mode: vsftpd: EPSV used" || rig_pass "$mode: vsftpd: EPSV used"

	fetch "$mode-space" 60 $mode "ftp://$host/dir%20with%20space/f.bin" -o "$out/$mode-space"
	rig_check "$mode: percent-encoded path" cmp -s "$pub/dir with space/f.bin" "$out/$mode-space"

	for f in one.bin private.bin big.bin; do
		fetch "$mode-user-$f" 120 $mode "ftp://$FTP_USER:$FTP_PASS@$host/$f" -o "$out/$mode-user-$f"
		wb_expect_ok "$mode: password login: $f fetched"
		wb_expect_out "$mode: password login: $f: sha256" "^sha256 $(sum "$home/$f")\$"
	done

	fetch "$mode-missing" 60 $mode "ftp://$host/missing.bin" -o "$out/$mode-missing"
	wb_expect_fail "$mode: missing file: 550 with its text" \
		"ftp://$host/missing.bin: server answered 550 [A-Za-z].*: FTP: file not available" 30
	rig_check "$mode: no file left after a failure" test ! -e "$out/$mode-missing"

	fetch "$mode-badpass" 60 $mode "ftp://$FTP_USER:wrong-$FTP_PASS@$host/private.bin" -o "$out/$mode-badpass"
	wb_expect_fail "$mode: wrong password: 530" 'server answered 530 Login incorrect.*: FTP: login refused' 30
	if grep -Fq "wrong-$FTP_PASS" "$WB_LOG" || grep -Fq "$FTP_USER:" "$WB_LOG"; then
		rig_fail "$mode: wrong password not shown"
	else rig_pass "$mode: wrong password not shown"; fi
	wb_expect_out "$mode: URL shown without user info" "ftp://$host/private.bin: server answered"
done

rig_expect_grep "vsftpd sent a multi-line greeting" "$RIG_DIR/vsftpd.log" '"220-wireboot test server'
rig_expect_grep "vsftpd: EPSV used" "$RIG_DIR/vsftpd.log" '"EPSV"'

# ---- the scripted peer (kernel sockets; lwIP for two of them) --------------------------
port=2100
peer() {
	local m=$1
	port=$((port + 1))
	rig_bg "ftppeer-$m" python3 "$RIG_TOP/tests/rig/ftppeer.py" --bind 192.0.2.1 --port $port \
		--mode "$m" --file "$pub/mid.bin"
	rig_wait_file "$RIG_DIR/ftppeer-$m.out" '^listening' 10 || rig_die "ftppeer.py did not start"
}

peer pasv
for mode in sock tap; do
	fetch "$mode-pasv" 60 $mode "ftp://192.0.2.1:$port/mid.bin" -o "$out/$mode-pasv"
	wb_expect_ok "$mode: EPSV refused -> PASV used"
	rig_check "$mode: PASV: same bytes" cmp -s "$pub/mid.bin" "$out/$mode-pasv"
	wb_expect_out "$mode: PASV fallback reported" '^ftp: EPSV refused \(500 Unknown command.\), trying PASV'
done
rig_expect_grep "peer: the password is anonymous's, never a user's" "$RIG_DIR/ftppeer-pasv.out" '^cmd USER anonymous'

peer multiline
for mode in sock tap; do
	fetch "$mode-multiline" 60 $mode "ftp://192.0.2.1:$port/mid.bin" -o "$out/$mode-multiline"
	wb_expect_ok "$mode: multi-line replies"
	rig_check "$mode: multi-line: same bytes" cmp -s "$pub/mid.bin" "$out/$mode-multiline"
done

peer bounce
for mode in sock tap; do
	fetch "$mode-bounce" 60 $mode "ftp://192.0.2.1:$port/mid.bin" -o "$out/$mode-bounce"
	wb_expect_fail "$mode: PASV to another host refused" \
		'server answered 227 Entering Passive Mode \(192,0,2,99,.*FTP bounce' 30
done
if grep -q '^cmd RETR' "$RIG_DIR/ftppeer-bounce.out"; then
	rig_fail "bounce: no RETR after a bad PASV"; else rig_pass "bounce: no RETR after a bad PASV"; fi

peer earlyclose
fetch early 60 sock "ftp://192.0.2.1:$port/mid.bin" -o "$out/early"
wb_expect_fail "data closed early, control closed without 226: an error" \
	'FTP: the data connection ended without the server confirming' 30
rig_check "early close: no file left" test ! -e "$out/early"

peer abort
fetch abort 60 sock "ftp://192.0.2.1:$port/mid.bin" -o "$out/abort"
wb_expect_fail "data closed early, 426: an error with the reply" \
	'server answered 426 Connection closed; transfer aborted.: FTP: the data connection ended' 30

peer badsize
fetch badsize 60 sock "ftp://192.0.2.1:$port/mid.bin" -o "$out/badsize"
wb_expect_fail "fewer bytes than SIZE announced: an error" 'FTP: bad SIZE reply, or the file received is not the size' 30

peer stall
for mode in sock tap; do
	fetch "$mode-stall" 60 $mode --timeout 3 "ftp://192.0.2.1:$port/mid.bin" -o "$out/$mode-stall"
	wb_expect_fail "$mode: stalled server: --timeout 3 bounds it" 'FTP: the server stopped answering' 15
	[ "$WB_SECS" -ge 2 ] && rig_pass "$mode: stall: waited the timeout (${WB_SECS}s)" ||
		rig_fail "$mode: stall: waited the timeout" "${WB_SECS}s"
done

# ---- the image commands over ftp:// (ctx->fetch), lwIP ------------------------------------
wb_run img 120 <<SCRIPT
#!ipxe
dhcp
imgfetch --name a ftp://boot.test/mid.bin || goto fail
imgstat
set password $FTP_PASS
imgfetch --name b ftp://$FTP_USER@boot.test/private.bin || goto fail
imgstat
imgfetch ftp://boot.test/missing.bin || echo MISSING-FAILED
imgfetch --timeout 3000 ftp://192.0.2.1:$port/mid.bin || echo STALL-FAILED
echo DONE
exit 0
:fail
echo FAILED
exit 1
SCRIPT
wb_expect_ok "imgfetch ftp://: runs"
wb_expect_out "imgfetch ftp://: anonymous image size" '\ba\b.*100000'
wb_expect_out "imgfetch ftp://user@: password from the setting" '\bb\b.*300000'
wb_expect_out "imgfetch ftp://: 550 in the error line" 'imgfetch: FTP: file not available .*\(550 [A-Za-z]'
wb_expect_out "imgfetch ftp://: missing file fails" '^MISSING-FAILED'
wb_expect_out "imgfetch --timeout: a stalled FTP server fails" '^STALL-FAILED'
rig_finish
