#!/bin/bash
# chap.sh — the CHAP rules of RFC 7143 §12.1.3 and the CHAP_A offer, against
# tests/rig/faketarget.py, through `wireboot preflight iscsi` and through a script's
# settings (`sanhook` in the hosted build logs in, then says it cannot publish):
#   - the offer is 7,6,5 (SHA-256 first, MD5 last) and a target that has SHA-256 gets it;
#     chap-algorithms / --chap-alg pin one or an order; a bad list is refused;
#   - a target proving itself with our own secret (its answer is the one our password gives:
#     reflection across directions) is refused with its own line, for MD5, SHA-1, SHA-256;
#   - password equal to reverse-password is refused before connecting, unless
#     chap-allow-same-secret / --allow-same-secret;
#   - a secret under 12 bytes (either direction) is refused before connecting, unless
#     chap-allow-short-secret / --allow-short-secret (then warned about);
#   - a target numbering CHAP_A as tgt and IET do (7 = SHA-1): the login is made again
#     without 7 and goes through with MD5; pinned to 7 it fails with a line that says what
#     to do; no second try after an authentication failure (status 0x0201).
# No secret may appear in any output.
. "$(dirname "$0")/lib.sh"
. "$RIG_TOP/tests/rig/faketarget.sh"

wb_iscsi_names "$FT_IQN"
SAME=same-secret-both-ways
SHORT=short9
SHORTR=short-rev
SIZE=$((1024 * 1024))

wb_rig chap
IMG="$RIG_DIR/disk.img"
head -c "$SIZE" /dev/urandom >"$IMG"
WANT=$(sha256sum "$IMG" | cut -d' ' -f1)

M=(--user "$USER_" --reverse-user "$MUSER")
FT_SECRET=$SECRET FT_RSECRET=$MSECRET
ft_start good 3270 "$IMG" "${M[@]}"
ft_start mirror 3271 "$IMG" "${M[@]}" --mode mutual-forward
ft_start tgtlike 3272 "$IMG" "${M[@]}" --mode sha1-as-7
ft_start fail7 3275 "$IMG" "${M[@]}" --mode chap-alg=7,auth-fail
FT_SECRET=$SAME FT_RSECRET=$SAME
ft_start same 3273 "$IMG" "${M[@]}"
FT_SECRET=$SHORT FT_RSECRET=$SHORTR
ft_start short 3274 "$IMG" "${M[@]}"
FT_SECRET='' FT_RSECRET=''

root() { echo "iscsi:192.0.2.1::$1:1:$IQN"; }
pf() { wb_preflight "$1" "$2" --no-disk "${@:3}"; }
# refused NAME LINE — exit status exactly 1 and LINE exactly as a line of the output
refused() {
	if [ "$WB_RC" != 1 ]; then rig_fail "$1" "exit $WB_RC, want 1"
	elif ! grep -Fxq -- "$2" "$WB_LOG"; then rig_fail "$1" "no line '$2'"
	else rig_pass "$1"; fi
}
# ft_count NAME PATTERN — lines of the fake target's log matching PATTERN (ERE)
ft_count() { grep -Ec -- "$2" "$RIG_DIR/ft-$1.out"; }

MIRROR_LINE='wireboot preflight: iSCSI login: target failed mutual CHAP: its answer to our challenge is what password (not reverse-password) gives, a reflection (RFC 7143 section 12.1.3)'
SAME_LINE='wireboot preflight: iSCSI CHAP: password and reverse-password are equal; RFC 7143 section 12.1.3 forbids one secret for both directions (use two, or set chap-allow-same-secret)'
SHORT_LINE='wireboot preflight: iSCSI CHAP: password is shorter than 12 bytes; RFC 7143 section 12.1.3 allows under 96 bits only with IPsec (lengthen it, or set chap-allow-short-secret)'
SHORTR_LINE='wireboot preflight: iSCSI CHAP: reverse-password is shorter than 12 bytes; RFC 7143 section 12.1.3 allows under 96 bits only with IPsec (lengthen it, or set chap-allow-short-secret)'

# ---- the offer ------------------------------------------------------------------------
PF_SECRET=$SECRET PF_RSECRET=$MSECRET
pf default 60 "$(root 3270)" "${M[@]}" --read-all
wb_expect_ok "default offer: login, whole LUN read"
wb_expect_out "default offer: SHA-256 chosen, mutual" 'auth CHAP-SHA256 mutual'
wb_expect_out "default offer: data right" "^sha256 $WANT\$"
rig_expect_grep "default offer: the target saw CHAP_A=7,6,5" "$RIG_DIR/ft-good.out" 'initiator offers CHAP_A=7,6,5$'

PF_SECRET=$SECRET PF_RSECRET=''
pf oneway 60 "$(root 3270)" --user "$USER_"
wb_expect_out "default offer, one-way: SHA-256" 'auth CHAP-SHA256, '

PF_SECRET=$SECRET PF_RSECRET=$MSECRET
pf pin5 60 "$(root 3270)" "${M[@]}" --chap-alg 5
wb_expect_out "--chap-alg 5: MD5" 'auth CHAP-MD5 mutual'
rig_expect_grep "--chap-alg 5: only 5 offered" "$RIG_DIR/ft-good.out" 'initiator offers CHAP_A=5$'
pf pin6 60 "$(root 3270)" "${M[@]}" --chap-alg 6
wb_expect_out "--chap-alg 6: SHA-1" 'auth CHAP-SHA1 mutual'
pf pin75 60 "$(root 3270)" "${M[@]}" --chap-alg 7,5
wb_expect_out "--chap-alg 7,5: SHA-256" 'auth CHAP-SHA256 mutual'
rig_expect_grep "--chap-alg 7,5: offered as given" "$RIG_DIR/ft-good.out" 'initiator offers CHAP_A=7,5$'
for bad in 8 5,5 md5 ''; do
	pf "badlist$bad" 10 "$(root 3270)" "${M[@]}" --chap-alg "$bad"
	if [ "$WB_RC" = 2 ] && grep -q 'bad chap-algorithms' "$WB_LOG"; then rig_pass "--chap-alg '$bad': refused (exit 2)"
	else rig_fail "--chap-alg '$bad': refused (exit 2)" "exit $WB_RC"; fi
done

# ---- reflection across directions ---------------------------------------------------------
for a in 5 6 7; do
	pf "mirror$a" 30 "$(root 3271)" "${M[@]}" --chap-alg "$a"
	refused "mirror, CHAP_A $a: proof made with our own secret refused" "$MIRROR_LINE"
done
[ "$(ft_count mirror "mutual-forward: proving ourselves with the initiator's secret")" = 3 ] &&
	rig_pass "mirror: the target did send the mirrored proof each time" ||
	rig_fail "mirror: the target did send the mirrored proof each time"

# ---- one secret both ways -----------------------------------------------------------------
PF_SECRET=$SAME PF_RSECRET=$SAME
pf same 30 "$(root 3273)" "${M[@]}"
refused "same secret both ways: refused" "$SAME_LINE"
[ "$(ft_count same 'connection from')" = 0 ] && rig_pass "same secret: refused before connecting" ||
	rig_fail "same secret: refused before connecting" "the target saw a connection"
pf sameok 60 "$(root 3273)" "${M[@]}" --allow-same-secret --read-all
wb_expect_ok "same secret, --allow-same-secret: login, whole LUN read"
wb_expect_out "same secret, --allow-same-secret: mutual" 'auth CHAP-SHA256 mutual'
wb_expect_out "same secret, --allow-same-secret: warned" 'warning: the CHAP secret and the reverse secret are the same'

# ---- short secrets ------------------------------------------------------------------------
PF_SECRET=$SHORT PF_RSECRET=$SHORTR
pf short 30 "$(root 3274)" "${M[@]}"
refused "short password: refused" "$SHORT_LINE"
[ "$(ft_count short 'connection from')" = 0 ] && rig_pass "short password: refused before connecting" ||
	rig_fail "short password: refused before connecting" "the target saw a connection"
PF_SECRET=$SECRET PF_RSECRET=$SHORTR
pf shortr 30 "$(root 3270)" "${M[@]}"
refused "short reverse-password: refused" "$SHORTR_LINE"
PF_SECRET=$SHORT PF_RSECRET=$SHORTR
pf shortok 60 "$(root 3274)" "${M[@]}" --allow-short-secret --read-all
wb_expect_ok "short secrets, --allow-short-secret: login, whole LUN read"
wb_expect_out "short secrets, --allow-short-secret: warned (password)" 'warning: the CHAP secret is shorter than 12 bytes'
wb_expect_out "short secrets, --allow-short-secret: warned (reverse-password)" 'warning: the reverse CHAP secret is shorter than 12 bytes'

# ---- tgt/IET numbering (CHAP_A 7 = SHA-1) ---------------------------------------------------
PF_SECRET=$SECRET PF_RSECRET=$MSECRET
pf tgtlike 60 "$(root 3272)" "${M[@]}" --read-all
wb_expect_ok "tgt-like target: login (again without 7), whole LUN read"
wb_expect_out "tgt-like target: MD5 in the end, mutual" 'auth CHAP-MD5 mutual'
wb_expect_out "tgt-like target: says why it logs in again" 'as tgt and IET do \(their 7 is SHA-1\): logging in again without 7'
rig_expect_grep "tgt-like target: first offer 7,6,5, 7 picked" "$RIG_DIR/ft-tgtlike.out" 'sha1-as-7: initiator offered 7,6,5, picking 7$'
rig_expect_grep "tgt-like target: second offer 6,5, 5 picked" "$RIG_DIR/ft-tgtlike.out" 'sha1-as-7: initiator offered 6,5, picking 5$'
pf tgtlike7 30 "$(root 3272)" "${M[@]}" --chap-alg 7
refused "tgt-like target, pinned to 7: refused, names the way out" \
	'wireboot preflight: iSCSI login: target refused our CHAP response (status 0x0200) after picking CHAP_A=7: check username/password, or set chap-algorithms 5 (MD5)'
n0=$(ft_count fail7 'initiator offers CHAP_A')
pf fail7 30 "$(root 3275)" "${M[@]}"
refused "CHAP_A 7 then status 0x0201: refused" 'wireboot preflight: iSCSI login: target refused our CHAP response: check username/password'
[ "$(ft_count fail7 'initiator offers CHAP_A')" = $((n0 + 1)) ] &&
	rig_pass "CHAP_A 7 then status 0x0201: no second login" ||
	rig_fail "CHAP_A 7 then status 0x0201: no second login" "$(ft_count fail7 'initiator offers CHAP_A') offers seen"

# ---- the same rules from a script's settings (sanhook logs in, then cannot publish) -----------
sh_hook() {   # ID PORT PASSWORD REVERSE-PASSWORD [set lines...]
	local id=$1 port=$2 pw=$3 rpw=$4 s; shift 4
	s=$(printf '%s\n' '#!ipxe' 'dhcp net0' "set username $USER_" "set password $pw" \
		"set reverse-username $MUSER" "set reverse-password $rpw" "$@" \
		"sanhook $(root "$port") || echo HOOK=done")
	wb_run "$id" 60 <<<"$s"
}
sh_hook sdefault 3270 "$SECRET" "$MSECRET"
wb_expect_out "script, defaults: SHA-256" 'login ok \(CHAP SHA-256, mutual\)'
sh_hook spin5 3270 "$SECRET" "$MSECRET" 'set chap-algorithms 5'
wb_expect_out "script, chap-algorithms 5: MD5" 'login ok \(CHAP MD5, mutual\)'
sh_hook spin6 3270 "$SECRET" "$MSECRET" 'set chap-algorithms 6,5'
wb_expect_out "script, chap-algorithms 6,5: SHA-1" 'login ok \(CHAP SHA-1, mutual\)'
sh_hook sbadlist 3270 "$SECRET" "$MSECRET" 'set chap-algorithms 5,9'
wb_expect_out "script, chap-algorithms 5,9: refused" '^sanhook: iSCSI CHAP: bad chap-algorithms'
sh_hook smirror 3271 "$SECRET" "$MSECRET"
wb_expect_out "script, mirrored proof: refused" 'target failed mutual CHAP: its answer to our challenge is what password \(not reverse-password\) gives'
sh_hook ssame 3273 "$SAME" "$SAME"
wb_expect_out "script, same secret: refused" 'password and reverse-password are equal'
sh_hook ssameok 3273 "$SAME" "$SAME" 'set chap-allow-same-secret 1'
wb_expect_out "script, chap-allow-same-secret 1: login" 'login ok \(CHAP SHA-256, mutual\)'
sh_hook sshort 3274 "$SHORT" "$SHORTR"
wb_expect_out "script, short secret: refused" 'password is shorter than 12 bytes'
sh_hook sshort0 3274 "$SHORT" "$SHORTR" 'set chap-allow-short-secret 0'
wb_expect_out "script, chap-allow-short-secret 0: still refused" 'password is shorter than 12 bytes'
sh_hook sshortok 3274 "$SHORT" "$SHORTR" 'set chap-allow-short-secret 1'
wb_expect_out "script, chap-allow-short-secret 1: login" 'login ok \(CHAP SHA-256, mutual\)'
sh_hook stgt 3272 "$SECRET" "$MSECRET"
wb_expect_out "script, tgt-like target: MD5 after logging in again" 'login ok \(CHAP MD5, mutual\)'

# no secret anywhere in what wireboot printed (the script lines set them; never echoed)
leak=$(grep -lF -e "$SECRET" -e "$MSECRET" -e "$SAME" -e "$SHORT" -e "$SHORTR" "$RIG_DIR"/*.log 2>/dev/null)
if [ -n "$leak" ]; then rig_fail "no secret in any wireboot output" "$leak"
else rig_pass "no secret in any wireboot output ($(ls "$RIG_DIR"/*.log | wc -l) runs)"; fi

rig_finish
