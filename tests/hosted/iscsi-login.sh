#!/bin/bash
# iscsi-login.sh — `wireboot preflight iscsi` against tests/rig/faketarget.py, a scripted
# target for what tgtd cannot be made to do: reflecting our mutual challenge, answering
# CHAP_A with an algorithm we did not offer, proving itself with a wrong secret or not
# at all, refusing a correct response.  Each refusal is checked by its exact line and
# exit status 1; no secret may appear in any output.  The positive paths (one-way,
# mutual, CHAP_A 7 (the default offer's first)/6/5, no CHAP, digests on/off) read the whole LUN and compare the
# SHA-256 with the backing file's, which also validates the fake target itself; so does
# libiscsi (another initiator) logging in, discovering, inquiring and reading.
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/faketarget.sh"

wb_iscsi_names "$FT_IQN"
SHORT=short9
SIZE=$((4 * 1024 * 1024))

wb_rig iscsilogin nodhcp
IMG="$RIG_DIR/disk.img"
head -c "$SIZE" /dev/urandom >"$IMG"
WANT=$(sha256sum "$IMG" | cut -d' ' -f1)
echo "    image: $SIZE bytes of random data, sha256 $WANT"

# one target per behaviour, each on its own port
FT_SECRET=$SECRET FT_RSECRET=$MSECRET
ft_start good 3260 "$IMG" --user "$USER_" --reverse-user "$MUSER" --digests
ft_start reflect 3261 "$IMG" --user "$USER_" --reverse-user "$MUSER" --mode reflect
ft_start alg7 3262 "$IMG" --user "$USER_" --reverse-user "$MUSER" --mode chap-alg=7
ft_start alg8 3263 "$IMG" --user "$USER_" --reverse-user "$MUSER" --mode chap-alg=8
ft_start mwrong 3264 "$IMG" --user "$USER_" --reverse-user "$MUSER" --mode mutual-wrong
ft_start mskip 3265 "$IMG" --user "$USER_" --reverse-user "$MUSER" --mode mutual-skip
ft_start authfail 3266 "$IMG" --user "$USER_" --reverse-user "$MUSER" --mode auth-fail
ft_start nodigest 3267 "$IMG" --user "$USER_" --reverse-user "$MUSER"
FT_SECRET=$SHORT FT_RSECRET=$SHORT-rev
ft_start short 3268 "$IMG" --user "$USER_" --reverse-user "$MUSER"
FT_SECRET='' FT_RSECRET=''
ft_start nochap 3269 "$IMG"
FT_SECRET=$SECRET FT_RSECRET=$MSECRET
ft_start reflearly 3259 "$IMG" --user "$USER_" --reverse-user "$MUSER" --mode reflect-earlier

root() { echo "iscsi:192.0.2.1::$1:1:$IQN"; }

# pf ID TIMEOUT ARGS... — preflight in the namespace, secrets via the environment
pf() {
	wb_preflight "$1" "$2" --no-disk "${@:3}"
}

# refused NAME LINE — exit status exactly 1 and LINE exactly as a line of the output
refused() {
	if [ "$WB_RC" != 1 ]; then rig_fail "$1" "exit $WB_RC, want 1"
	elif ! grep -Fxq -- "$2" "$WB_LOG"; then rig_fail "$1" "no line '$2'"
	else rig_pass "$1"; fi
}
# readall NAME — exit 0, whole LUN read, SHA-256 equals the image's
readall() {
	wb_expect_ok "$1: login, read the whole LUN, logout"
	wb_expect_out "$1: SHA-256 of the LUN equals sha256sum of the backing file" "^sha256 $WANT\$"
	wb_expect_out "$1: capacity equals the file size" "= $SIZE bytes"
	wb_expect_out "$1: logout" '^logout ok$'
}
M=(--user "$USER_" --reverse-user "$MUSER")

# ---- positive paths -----------------------------------------------------------------
PF_SECRET=$SECRET PF_RSECRET=''
pf oneway 60 "$(root 3260)" --user "$USER_" --read-all
readall "one-way CHAP"
wb_expect_out "one-way CHAP: SHA-256 (offered first), not mutual" 'auth CHAP-SHA256, digests header None data None'
wb_expect_out "one-way CHAP: vendor/product of the fake target" 'vendor "WBFAKE" product "FAKETARGET"'

PF_SECRET=$SECRET PF_RSECRET=$MSECRET
pf mutual 60 "$(root 3260)" "${M[@]}" --read-all --depth 4
readall "mutual CHAP"
wb_expect_out "mutual CHAP: the target proved itself" 'auth CHAP-SHA256 mutual, digests header None data None'

pf digests 120 "$(root 3260)" "${M[@]}" --digests --read-all
readall "digests on"
wb_expect_out "digests on: CRC32C both ways" 'auth CHAP-SHA256 mutual, digests header CRC32C data CRC32C'

pf digestsrefused 60 "$(root 3267)" "${M[@]}" --digests --read-all
readall "digests asked, target says None"
wb_expect_out "digests asked, target says None: None negotiated" 'digests header None data None'

pf sha256 60 "$(root 3260)" "${M[@]}" --chap-alg 7 --read-all
readall "CHAP_A 7 (SHA-256)"
wb_expect_out "CHAP_A 7: SHA-256 used, mutual" 'auth CHAP-SHA256 mutual'

pf sha1 60 "$(root 3260)" "${M[@]}" --chap-alg 6,5 --read-all
readall "CHAP_A 6 (SHA-1)"
wb_expect_out "CHAP_A 6: SHA-1 used, mutual" 'auth CHAP-SHA1 mutual'

PF_SECRET='' PF_RSECRET=''
pf nochap 60 "$(root 3269)" --read-all
readall "no CHAP"
wb_expect_out "no CHAP: AuthMethod None" 'auth none,'

# ---- refusals -----------------------------------------------------------------------
PF_SECRET=$SECRET PF_RSECRET=$MSECRET

pf reflect 30 "$(root 3261)" "${M[@]}"
refused "reflection: target answers our challenge with our own challenge: refused as no proof" \
	'wireboot preflight: iSCSI login: target did not prove itself (no CHAP_N/CHAP_R) although mutual CHAP is configured'
rig_expect_grep "reflection: the target saw the re-challenge sent" "$RIG_DIR/ft-reflect.out" 'sending the initiator.s own CHAP_I'
if grep -q 'reflect: initiator sent\|INITIATOR ANSWERED' "$RIG_DIR/ft-reflect.out"; then
	rig_fail "reflection: wireboot sent nothing after the reflected challenge"
else rig_pass "reflection: wireboot sent nothing after the reflected challenge"; fi
# a second login: the target now opens with the challenge we issued in the first one
pf reflect2 30 "$(root 3261)" "${M[@]}"
rig_expect_grep "reflection across logins: our challenge is fresh each login" "$RIG_DIR/ft-reflect.out" \
	"initiator's new challenge differs from the reflected one"
if grep -q 'new challenge EQUALS' "$RIG_DIR/ft-reflect.out"; then
	rig_fail "reflection across logins: a challenge is never reused"
else rig_pass "reflection across logins: a challenge is never reused"; fi
[ "$WB_RC" = 1 ] && rig_pass "reflection across logins: still refused (exit 1)" || rig_fail "reflection across logins: still refused" "exit $WB_RC"

# a target that opens each login with the challenge we issued in the previous one: our
# challenge is fresh, so answering it is harmless, and the login goes through
pf reflearly1 30 "$(root 3259)" "${M[@]}"
wb_expect_ok "reflect-earlier: first login"
pf reflearly2 30 "$(root 3259)" "${M[@]}" --read-all
readall "reflect-earlier: second login, opened with our earlier challenge"
rig_expect_grep "reflect-earlier: the target did reflect the earlier challenge" "$RIG_DIR/ft-reflearly.out" \
	"sending the initiator's challenge from an earlier login as ours"
rig_expect_grep "reflect-earlier: our new challenge differs from the reflected one" "$RIG_DIR/ft-reflearly.out" \
	"initiator's new challenge differs from the reflected one"

pf alg7 30 "$(root 3262)" "${M[@]}" --chap-alg 5
refused "CHAP_A 7 answered to an MD5-only offer: refused" \
	'wireboot preflight: iSCSI CHAP: target asks for CHAP_A=7, which we did not offer'
rig_expect_grep "CHAP_A 7: the fake target was offered only 5" "$RIG_DIR/ft-alg7.out" 'answering CHAP_A=7 \(initiator offered 5\)'

pf alg8 30 "$(root 3263)" "${M[@]}"
refused "CHAP_A 8 (never offered) answered: refused" \
	'wireboot preflight: iSCSI CHAP: target asks for CHAP_A=8, which we did not offer'

pf mwrong 30 "$(root 3264)" "${M[@]}"
refused "mutual CHAP proved with a wrong secret: refused" \
	'wireboot preflight: iSCSI login: target failed mutual CHAP: check reverse-username/reverse-password'

pf mskip 30 "$(root 3265)" "${M[@]}"
refused "mutual CHAP not proved at all: refused" \
	'wireboot preflight: iSCSI login: target did not prove itself (no CHAP_N/CHAP_R) although mutual CHAP is configured'

pf authfail 30 "$(root 3266)" "${M[@]}"
refused "status 0x0201 after our response: refused" \
	'wireboot preflight: iSCSI login: target refused our CHAP response: check username/password'

PF_SECRET=wrong-secret-000 PF_RSECRET=$MSECRET
pf badsecret 30 "$(root 3260)" "${M[@]}"
refused "wrong secret on our side: the target refuses" \
	'wireboot preflight: iSCSI login: target refused our CHAP response: check username/password'
rig_expect_grep "wrong secret: the fake target saw a wrong response" "$RIG_DIR/ft-good.out" "response for user 'wbinit': WRONG"

PF_SECRET=$SECRET PF_RSECRET=wrong-reverse-000
pf badreverse 30 "$(root 3260)" "${M[@]}"
refused "wrong reverse secret on our side: the target's proof fails" \
	'wireboot preflight: iSCSI login: target failed mutual CHAP: check reverse-username/reverse-password'

PF_SECRET='' PF_RSECRET=''
pf nocreds 30 "$(root 3260)"
refused "no credentials, target demands CHAP" \
	'wireboot preflight: iSCSI login: target demands CHAP but no credentials are set (set username and password)'

PF_SECRET=$SECRET PF_RSECRET=$MSECRET
pf nochapmutual 30 "$(root 3269)" "${M[@]}"
refused "mutual configured, target without CHAP: refused" \
	'wireboot preflight: iSCSI login: target chose AuthMethod=None, so it cannot prove itself although mutual CHAP (reverse-username) is configured'

# short secrets: refused (RFC 7143 section 12.1.3; tests/hosted/chap.sh), or with
# --allow-short-secret warned about and used (the target knows them too)
PF_SECRET=$SHORT PF_RSECRET=$SHORT-rev
pf shortrefused 30 "$(root 3268)" "${M[@]}"
refused "short secrets: refused" \
	'wireboot preflight: iSCSI CHAP: password is shorter than 12 bytes; RFC 7143 section 12.1.3 allows under 96 bits only with IPsec (lengthen it, or set chap-allow-short-secret)'
pf short 60 "$(root 3268)" "${M[@]}" --allow-short-secret --read-all
readall "short secrets"
wb_expect_out "short secret: warned" 'warning: the CHAP secret is shorter than 12 bytes'
wb_expect_out "short reverse secret: warned" 'warning: the reverse CHAP secret is shorter than 12 bytes'

# wireboot's sequence numbers as the targets saw them (RFC 7143 §4.2.2)
v=$(grep -h 'VIOLATION' "$RIG_DIR"/ft-*.out | head -3)
if [ -z "$v" ]; then rig_pass "CmdSN/ExpStatSN: no violation seen by any fake target"
else rig_fail "CmdSN/ExpStatSN: no violation seen by any fake target" "$v"; fi

# ---- the fake target as seen by an independent initiator (libiscsi, libiscsi-bin) -------
if command -v iscsi-inq >/dev/null; then
	LU="iscsi://192.0.2.1:3269/$IQN/1"
	out=$(rig_ns iscsi-inq "$LU" 2>&1); rc=$?
	if [ $rc = 0 ] && echo "$out" | grep -q '^Vendor:WBFAKE' && echo "$out" | grep -q '^Peripheral Device Type:DIRECT_ACCESS'; then
		rig_pass "libiscsi: INQUIRY of the fake target (login without the security stage)"
	else rig_fail "libiscsi: INQUIRY of the fake target" "rc $rc: $(echo "$out" | head -3 | tr '\n' ' ')"; fi
	out=$(rig_ns iscsi-inq -e 1 "$LU" 2>&1)
	if echo "$out" | grep -q 'Page:0x83'; then rig_pass "libiscsi: VPD page list of the fake target"
	else rig_fail "libiscsi: VPD page list" "$(echo "$out" | head -2 | tr '\n' ' ')"; fi
	out=$(rig_ns iscsi-readcapacity16 "$LU" 2>&1)
	if echo "$out" | grep -qx "Total size:$SIZE"; then rig_pass "libiscsi: READ CAPACITY(16) equals the file size"
	else rig_fail "libiscsi: READ CAPACITY(16)" "$(echo "$out" | tail -1)"; fi
	out=$(rig_ns iscsi-ls -s "iscsi://192.0.2.1:3269" 2>&1)
	if echo "$out" | grep -q "^Target:$IQN Portal:192.0.2.1:3269,1" && echo "$out" | grep -q '^Lun:1 .*DIRECT_ACCESS'; then
		rig_pass "libiscsi: discovery (SendTargets) and REPORT LUNS"
	else rig_fail "libiscsi: discovery and REPORT LUNS" "$(echo "$out" | head -3 | tr '\n' ' ')"; fi
	out=$(rig_ns env LIBISCSI_CHAP_USERNAME="$USER_" LIBISCSI_CHAP_PASSWORD="$SECRET" iscsi-inq "iscsi://192.0.2.1:3260/$IQN/1" 2>&1)
	if echo "$out" | grep -q '^Vendor:WBFAKE'; then rig_pass "libiscsi: CHAP login to the fake target"
	else rig_fail "libiscsi: CHAP login" "$(echo "$out" | head -2 | tr '\n' ' ')"; fi
	out=$(rig_ns env LIBISCSI_CHAP_USERNAME="$USER_" LIBISCSI_CHAP_PASSWORD=wrong-secret-000 iscsi-inq "iscsi://192.0.2.1:3260/$IQN/1" 2>&1)
	if echo "$out" | grep -q 'Authentication failure'; then rig_pass "libiscsi: wrong CHAP secret refused by the fake target"
	else rig_fail "libiscsi: wrong CHAP secret refused" "$(echo "$out" | head -2 | tr '\n' ' ')"; fi
	out=$(rig_ns timeout -s INT 2 iscsi-perf -m 4 -b 256 "$LU" 2>&1 | tr '\r' '\n')
	if echo "$out" | grep -q '^finished' && ! grep -q 'internal error' "$RIG_DIR"/ft-*.out; then
		rig_pass "libiscsi: 2 s of pipelined READs from the fake target"
	else rig_fail "libiscsi: pipelined reads" "$(echo "$out" | tail -2 | tr '\n' ' ')"; fi
else
	rig_fail "libiscsi-bin installed (scripts/deps.sh)"
fi

# no secret anywhere in what wireboot printed (every run above)
leak=$(grep -lF -e "$SECRET" -e "$MSECRET" -e "$SHORT" -e wrong-secret-000 -e wrong-reverse-000 "$RIG_DIR"/*.log 2>/dev/null)
if [ -n "$leak" ]; then rig_fail "no secret in any wireboot output" "$leak"
else rig_pass "no secret in any wireboot output ($(ls "$RIG_DIR"/*.log | wc -l) runs)"; fi

rig_finish
