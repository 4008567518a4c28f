#!/bin/bash
# cli.sh — the hosted CLI's conventions (src/cli/cli.c, main.c, man page
# docs/wireboot.1), against the built binary and the rig's real peers:
#   --help/-h and CMD --help: usage on stdout, exit 0; --version: exit 0;
#   usage errors: one line "wireboot CMD: ..." then the usage, on stderr, exit 2;
#   SIGINT ends `run` of a sleeping script with 130; --tap naming a missing device or
#   a non-TAP device: exit 2, and no device is created;
#   fetch -o - (nginx): stdout is the file byte for byte, the result lines on stderr;
#   progress only with --progress when stderr is no terminal; -q;
#   preflight --secret-file / --reverse-secret-file / --initiator-iqn against tgtd
#   (mutual CHAP), a world-readable secret file refused, the secret never printed;
#   inspect on a block device (a read-only loop device: BLKGETSIZE64);
#   make install DESTDIR=... PREFIX=/usr: the installed binary, man page, completion.
. "$(dirname "$0")/lib.sh"

wb_rig cli nodhcp
D=$RIG_DIR

# cli ID ARGS... — the binary outside the namespace; stdout/stderr apart in $D/ID.out/.err
cli() {
	local id=$1; shift
	timeout -k 5 60 "$WB" "$@" >"$D/$id.out" 2>"$D/$id.err" </dev/null
	WB_RC=$?
	sed "s/^/    [$id out] /" "$D/$id.out" | head -5
	sed "s/^/    [$id err] /" "$D/$id.err" | head -5
	WB_LOG=$D/$id.err
	wb_check_sane "$id"
}

# ---- help and version
cli version --version
rig_expect_eq "--version: exit 0" "$WB_RC" 0
rig_check "--version: 'wireboot VERSION' on stdout" grep -Eqx 'wireboot [0-9A-Za-z._+-]+' "$D/version.out"
rig_check "--version: nothing on stderr" test ! -s "$D/version.err"
# a release number first: the firmware tests and the banner read 'wireboot N.N.N' (a bare
# git hash there made every firmware banner check fail on a clean clone)
rig_check "--version: a release number first (N.N.N[+gHASH])" \
	grep -Eqx 'wireboot [0-9]+\.[0-9]+\.[0-9]+([+-][0-9A-Za-z.+-]+)?' "$D/version.out"
if git -C "$RIG_TOP" rev-parse --git-dir >/dev/null 2>&1; then
	vhash=$(sed -n 's/^wireboot //p' "$D/version.out" | grep -oE '[0-9a-f]{7,}' | tail -1)
	rig_check "--version: a git describe of this checkout ($vhash)" \
		git -C "$RIG_TOP" cat-file -e "${vhash:-none}^{commit}"
fi
for h in --help -h; do
	cli "help$h" $h
	rig_expect_eq "$h: exit 0" "$WB_RC" 0
	rig_check "$h: the usage on stdout" grep -q '^usage: wireboot run' "$D/help$h.out"
	rig_check "$h: nothing on stderr" test ! -s "$D/help$h.err"
done
for c in run shell boot check fetch preflight inspect ibft mkmap; do
	cli "help-$c" $c --help
	rig_expect_eq "$c --help: exit 0" "$WB_RC" 0
	rig_check "$c --help: its usage on stdout" grep -q "^usage: wireboot $c" "$D/help-$c.out"
	rig_check "$c --help: nothing on stderr" test ! -s "$D/help-$c.err"
done

# ---- usage errors: exit 2, "wireboot CMD: what" then "usage:", nothing on stdout
uerr() {   # uerr ID PREFIX WHAT-PATTERN ARGS...
	local id=$1 pre=$2 what=$3; shift 3
	cli "$id" "$@"
	rig_expect_eq "usage error $id: exit 2" "$WB_RC" 2
	rig_check "usage error $id: nothing on stdout" test ! -s "$D/$id.out"
	rig_check "usage error $id: first line says what was wrong" \
		grep -Eq "^$pre: $what" <(head -1 "$D/$id.err")
	rig_check "usage error $id: then the usage" grep -q '^usage: wireboot' <(sed -n 2p "$D/$id.err")
}
uerr none      'wireboot'           'no command given'
uerr unknown   'wireboot'           "unknown command 'frob'"        frob
uerr run-opt   'wireboot run'       "unknown option '--bogus'"      run --bogus x.ipxe
uerr run-none  'wireboot run'       'no SCRIPT given'               run
uerr run-extra 'wireboot run'       "unexpected argument 'b'"       run a b
uerr fetch-mac 'wireboot fetch'     'bad MAC address zz'            fetch --mac zz http://x/y -o -
uerr fetch-o   'wireboot fetch'     'http://x/y: no -o FILE'        fetch http://x/y
uerr fetch-to  'wireboot fetch'     '--timeout wants'               fetch --timeout 0 http://x/y -o -
uerr fetch-val 'wireboot fetch'     '--trust needs a value'         fetch http://x/y -o - --trust
uerr pf-kind   'wireboot preflight' "unknown target kind 'nfs'"     preflight nfs x
uerr pf-root   'wireboot preflight' 'no ROOT-PATH given'            preflight iscsi
uerr pf-val    'wireboot preflight' '--user needs a value'          preflight iscsi iscsi:h::::t --user
uerr insp-none 'wireboot inspect'   'no IMAGE given'                inspect
uerr check-0   'wireboot check'     'no SCRIPT given'               check
uerr ibft-0    'wireboot ibft'      'no FILE given'                 ibft
uerr mkmap-0   'wireboot mkmap'     'no IMAGE given'                mkmap

# ---- --tap: the device must exist (in the namespace: tap0 and br0 exist, wbnosuch0 not)
for c in run fetch preflight; do
	case $c in
	run) args=(run --tap wbnosuch0 "$D/x.ipxe") ;;
	fetch) args=(fetch --tap wbnosuch0 http://192.0.2.1/x -o "$D/x") ;;
	preflight) args=(preflight iscsi iscsi:192.0.2.1:::1:iqn.x:y --tap wbnosuch0) ;;
	esac
	timeout -k 5 30 ip netns exec "$RIG_NS" "$WB" "${args[@]}" >"$D/tap-$c.out" 2>"$D/tap-$c.err" </dev/null
	rc=$?
	sed "s/^/    [tap-$c] /" "$D/tap-$c.err"
	rig_expect_eq "$c --tap missing device: exit 2" "$rc" 2
	rig_check "$c --tap missing device: says so" grep -q "^wireboot $c: --tap wbnosuch0: no such network device" "$D/tap-$c.err"
	rig_check "$c --tap missing device: none was created" bash -c "! ip netns exec $RIG_NS ip link show wbnosuch0 >/dev/null 2>&1"
done
timeout -k 5 30 ip netns exec "$RIG_NS" "$WB" run --tap br0 "$D/x.ipxe" >"$D/tap-br.out" 2>"$D/tap-br.err" </dev/null
rc=$?
rig_expect_eq "run --tap a bridge: exit 2" "$rc" 2
rig_check "run --tap a bridge: not a TAP device" grep -q '^wireboot run: --tap br0: exists but is not a TAP device' "$D/tap-br.err"

# ---- SIGINT: `run` of a script that sleeps exits 130, soon
printf '#!ipxe\necho sleeping\nsleep 60\necho never\n' >"$D/sleep.ipxe"
"$WB" run "$D/sleep.ipxe" >"$D/sigint.out" 2>"$D/sigint.err" </dev/null &
pid=$!
(sleep 40; kill -KILL "$pid" 2>/dev/null) &
watchdog=$!
rig_wait_file "$D/sigint.out" '^sleeping' 10
sleep 0.5
t0=$(date +%s)
kill -INT "$pid"
wait "$pid"
rc=$?
secs=$(($(date +%s) - t0))
kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
sed "s/^/    [sigint] /" "$D/sigint.out" "$D/sigint.err"
rig_expect_eq "run interrupted by SIGINT: exit 130" "$rc" 130
rig_check "run interrupted by SIGINT: within 5 s" test "$secs" -le 5
rig_check "run interrupted by SIGINT: the script did not go on" bash -c "! grep -q never '$D/sigint.out'"
rig_check "run interrupted by SIGINT: an orderly end (sleep cancelled, not a death by the signal)" \
	grep -q 'sleep: cancelled by user' "$D/sigint.out"
rig_check "run interrupted by SIGINT: sanitizers clean" \
	bash -c "! grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$D/sigint.out' '$D/sigint.err'"
rig_check "the banner's version is --version's" grep -q "^$(sed -n 1p "$D/version.out") (" "$D/sigint.out"

# ---- fetch -o -, progress, -q (nginx in the namespace, kernel sockets)
mkdir -p "$D/www"
head -c 3145728 /dev/urandom >"$D/www/big.bin"
printf 'hello\n' >"$D/www/small.txt"
rig_nginx "$D/www"
sum=$(sha256sum "$D/www/big.bin" | cut -d' ' -f1)
nsf() {   # nsf ID ARGS... — fetch in the namespace, stdout/stderr apart
	local id=$1; shift
	timeout -k 5 60 ip netns exec "$RIG_NS" "$WB" fetch "$@" >"$D/$id.out" 2>"$D/$id.err" </dev/null
	WB_RC=$?
	sed "s/^/    [$id err] /" "$D/$id.err" | head -8
	WB_LOG=$D/$id.err
	wb_check_sane "$id"
}
nsf stdout http://192.0.2.1/big.bin -o -
rig_expect_eq "fetch -o -: exit 0" "$WB_RC" 0
rig_check "fetch -o -: stdout is the file, byte for byte" cmp "$D/www/big.bin" "$D/stdout.out"
rig_check "fetch -o -: the sha256 line on stderr" grep -qx "sha256 $sum" "$D/stdout.err"
rig_check "fetch -o -: no progress when stderr is no terminal" bash -c "! grep -q '^http: .*done' '$D/stdout.err'"
nsf progress --progress http://192.0.2.1/big.bin -o -
rig_check "fetch --progress -o -: stdout still the file alone" cmp "$D/www/big.bin" "$D/progress.out"
rig_check "fetch --progress: the final progress line on stderr" grep -Eq '^http: .* \(100%\) at .*, done$' "$D/progress.err"
nsf file http://192.0.2.1/small.txt -o "$D/small"
rig_check "fetch -o FILE: result lines on stdout" grep -q '^fetch: 6 bytes to ' "$D/file.out"
rig_check "fetch -o FILE: the sha256 on stdout" grep -qx "sha256 $(sha256sum "$D/www/small.txt" | cut -d' ' -f1)" "$D/file.out"
nsf quiet -q http://192.0.2.1/small.txt -o "$D/small"
rig_check "fetch -q: only the sha256 line on stdout" test "$(wc -l <"$D/quiet.out")" = 1 -a "$(grep -c '^sha256 ' "$D/quiet.out")" = 1
rig_check "fetch -q: nothing on stderr" test ! -s "$D/quiet.err"

# ---- preflight with secrets from files, mutual CHAP, --initiator-iqn (tgtd)
wb_iscsi_names
truncate -s 8M "$D/lun.img"
rig_tgtd "$IQN" "$D/lun.img" "$USER_" "$SECRET" "$MUSER" "$MSECRET"
umask 077
printf '%s\n' "$SECRET" >"$D/secret"
printf '%s' "$MSECRET" >"$D/rsecret"        # no line end: fine too
printf 'wrong-secret-000\n' >"$D/wrong"
cp "$D/secret" "$D/open-secret"; chmod 644 "$D/open-secret"
umask 022
pf() {   # pf ID ARGS...
	local id=$1; shift
	timeout -k 5 60 ip netns exec "$RIG_NS" "$WB" preflight iscsi "$ROOT" --no-disk "$@" \
		>"$D/$id.out" 2>"$D/$id.err" </dev/null
	WB_RC=$?
	sed "s/^/    [$id out] /" "$D/$id.out"; sed "s/^/    [$id err] /" "$D/$id.err" | tail -3
	WB_LOG=$D/$id.err
	wb_check_sane "$id"
	rig_check "$id: no secret printed" bash -c "! grep -Fq -e '$SECRET' -e '$MSECRET' '$D/$id.out' '$D/$id.err'"
}
pf pf-file --initiator-iqn iqn.2026-12.test:cli --user "$USER_" --secret-file "$D/secret" \
	--reverse-user "$MUSER" --reverse-secret-file "$D/rsecret"
rig_expect_eq "preflight --secret-file + --reverse-secret-file: exit 0" "$WB_RC" 0
rig_check "preflight --secret-file: mutual CHAP login" grep -q '^login ok: auth CHAP-[A-Z0-9]* mutual' "$D/pf-file.out"
pf pf-wrong --user "$USER_" --secret-file "$D/wrong"
rig_expect_eq "preflight --secret-file with the wrong secret: exit 1" "$WB_RC" 1
pf pf-open --user "$USER_" --secret-file "$D/open-secret"
rig_expect_eq "preflight: a world-readable secret file is refused: exit 2" "$WB_RC" 2
rig_check "preflight: the refusal names the file and what to do" \
	grep -q "^wireboot preflight: --secret-file $D/open-secret: readable or writable by others (mode 644): refused" "$D/pf-open.err"
pf pf-quiet -q --user "$USER_" --secret-file "$D/secret"
rig_expect_eq "preflight -q: exit 0" "$WB_RC" 0
rig_check "preflight -q: no login trace on stderr" test ! -s "$D/pf-quiet.err"

# a preflight holding its session (--idle) ends on SIGINT, logs out, exits 130
ip netns exec "$RIG_NS" "$WB" preflight iscsi "$ROOT" --no-disk --idle 60 --user "$USER_" \
	--secret-file "$D/secret" >"$D/pf-int.out" 2>"$D/pf-int.err" </dev/null &
pid=$!
(sleep 60; kill -KILL "$pid" 2>/dev/null) &
watchdog=$!
rig_wait_file "$D/pf-int.out" '^capacity ' 20
sleep 1
t0=$(date +%s)
kill -INT "$pid"
wait "$pid"
rc=$?
secs=$(($(date +%s) - t0))
kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
sed "s/^/    [pf-int] /" "$D/pf-int.out"
rig_expect_eq "preflight interrupted by SIGINT: exit 130" "$rc" 130
rig_check "preflight interrupted by SIGINT: within 5 s" test "$secs" -le 5
rig_check "preflight interrupted by SIGINT: it still logged out" grep -qx 'logout ok' "$D/pf-int.out"

# ---- inspect a block device: a read-only loop device over a bootable GPT image
if [ -e /dev/loop-control ] && command -v losetup >/dev/null && command -v sgdisk >/dev/null; then
	AA64=$RIG_TOP/build/efi-aa64/wireboot.efi
	export MTOOLS_SKIP_CHECK=1
	truncate -s 64M "$D/disk.img"
	sgdisk -n 1:2048:+40M -t 1:EF00 -n 2:0:0 -t 2:8300 "$D/disk.img" >/dev/null
	mkfs.vfat -F 32 --offset 2048 "$D/disk.img" $((40 * 1024)) >/dev/null 2>&1
	mmd -i "$D/disk.img@@1M" ::/EFI ::/EFI/BOOT
	mcopy -i "$D/disk.img@@1M" "$AA64" ::/EFI/BOOT/BOOTAA64.EFI
	loop=$(losetup -f --show -r "$D/disk.img")
	RIG_CLEANUP_CMDS+=("losetup -d $loop")
	cli insp-file inspect "$D/disk.img"
	cli insp-blk inspect "$loop"
	rig_expect_eq "inspect a loop device: exit 0 (bootable)" "$WB_RC" 0
	rig_check "inspect a loop device: its size from the kernel" grep -qx "image: $loop (block device, 67108864 bytes)" "$D/insp-blk.out"
	rig_check "inspect a loop device: the same report as for the image file" \
		cmp <(sed 1d "$D/insp-file.out") <(sed 1d "$D/insp-blk.out")
else
	echo "    (no /dev/loop-control, losetup or sgdisk here: inspect on a block device not tested)"
	rig_fail "inspect a loop device" "this kernel/system offers no loop devices"
fi

# ---- make install into a DESTDIR
inst=$D/inst
if make -C "$RIG_TOP" --no-print-directory -s install DESTDIR="$inst" PREFIX=/usr >"$D/install.log" 2>&1; then
	rig_pass "make install DESTDIR=... PREFIX=/usr"
else
	sed 's/^/    [install] /' "$D/install.log" | tail -20
	rig_fail "make install DESTDIR=... PREFIX=/usr"
fi
for f in bin/wireboot share/wireboot/aa64/wireboot.efi share/wireboot/x64/wireboot.efi \
	share/man/man1/wireboot.1 share/bash-completion/completions/wireboot; do
	rig_check "installed: /usr/$f" test -s "$inst/usr/$f"
done
rig_check "installed wireboot --version" grep -Eqx 'wireboot [0-9A-Za-z._+-]+' <("$inst/usr/bin/wireboot" --version)
rig_check "installed wireboot --help" grep -q '^usage: wireboot fetch' <("$inst/usr/bin/wireboot" --help)
rig_check "installed EFI applications are PE images" bash -c "head -c 2 '$inst/usr/share/wireboot/x64/wireboot.efi' | grep -q MZ"
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$inst/usr/share/man/man1/wireboot.1" >"$D/man.txt" 2>"$D/man.err" </dev/null
	rig_check "man -l renders wireboot(1)" grep -q '^WIREBOOT(1)' "$D/man.txt"
	rig_check "wireboot(1): exit status section" grep -q '^EXIT STATUS' "$D/man.txt"
	rig_check "wireboot(1): renders without warnings" test ! -s "$D/man.err"
elif command -v groff >/dev/null; then
	groff -man -Tutf8 -ww "$inst/usr/share/man/man1/wireboot.1" >"$D/man.txt" 2>"$D/man.err"
	rig_check "groff renders wireboot(1) (man is not installed)" grep -q 'EXIT STATUS' "$D/man.txt"
	rig_check "wireboot(1): renders without warnings" test ! -s "$D/man.err"
else
	rig_fail "man -l renders wireboot(1)" "neither man (man-db) nor groff is installed"
fi
comp=$(bash -c '. "$1"; COMP_WORDS=(wireboot pre); COMP_CWORD=1; _wireboot; echo "${COMPREPLY[*]}"' _ \
	"$inst/usr/share/bash-completion/completions/wireboot")
rig_expect_eq "bash completion: wireboot pre<TAB> → preflight" "$comp" preflight
comp=$(bash -c '. "$1"; COMP_WORDS=(wireboot preflight iscsi R --secret-f); COMP_CWORD=4; _wireboot; echo "${COMPREPLY[*]}"' _ \
	"$inst/usr/share/bash-completion/completions/wireboot")
rig_expect_eq "bash completion: preflight --secret-f<TAB> → --secret-file" "$comp" --secret-file
comp=$(bash -c '. "$1"; COMP_WORDS=(wireboot mk); COMP_CWORD=1; _wireboot; echo "${COMPREPLY[*]}"' _ \
	"$inst/usr/share/bash-completion/completions/wireboot")
rig_expect_eq "bash completion: wireboot mk<TAB> → mkmap" "$comp" mkmap
comp=$(bash -c '. "$1"; COMP_WORDS=(wireboot mkmap --chunk); COMP_CWORD=2; _wireboot; echo "${COMPREPLY[*]}"' _ \
	"$inst/usr/share/bash-completion/completions/wireboot")
rig_expect_eq "bash completion: mkmap --chunk<TAB> → --chunk-size" "$comp" --chunk-size

rig_finish
