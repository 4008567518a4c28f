#!/bin/bash
# claims-pty.sh — SECURITY.md, console input: "fixed-size line buffer; escape sequences
# decoded with a timeout; typed passwords echoed as `*`", and docs: `read` of a secret
# never shows its value as the initial text (issue 20).  wireboot in a real pty, played
# by tests/rig/ptydrive.py.
#   - read password / read reverse-password with values set: nothing of them (neither
#     the text nor a star per byte) is drawn before typing; the typed value replaces the
#     old one (not appended to it) and is echoed as stars; read of an ordinary setting
#     shows its value (the control: initial text does work)
#   - a lone Esc: after the timeout (LE_ESC_MS, 150 ms) it is a key of its own: `[D`
#     typed after it is text, not a cursor key, and login's Esc cancels with no further
#     key; Esc `[D` arriving at once is the Left key (the control)
#   - a line longer than the buffer (4096 bytes with its NUL): the excess keys are
#     dropped, the first 4095 bytes run, the shell goes on (sanitizers watching)
set -u
. "$(dirname "$0")/lib.sh"
rig_init claimspty
DRIVE="$RIG_TOP/tests/rig/ptydrive.py"

pty_run() {   # pty_run ID WHAT PROGRAM ARGS... — steps on stdin
	local id=$1 what=$2; shift 2
	cat >"$RIG_DIR/$id.steps"
	WB_LOG="$RIG_DIR/$id.log"
	timeout -k 5 120 python3 "$DRIVE" --log "$RIG_DIR/$id.screen" "$RIG_DIR/$id.steps" -- "$@" \
		>"$WB_LOG" 2>&1
	WB_RC=$?
	sed "s/^/    [$id] /" "$WB_LOG" | cut -c1-200 | cat -v
	if [ "$WB_RC" = 0 ]; then rig_pass "$what"
	else rig_fail "$what" "driver status $WB_RC, see [$id] above"; fi
	if grep -aEq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)' \
		"$WB_LOG" "$RIG_DIR/$id.screen"; then
		rig_fail "$id: sanitizers clean" "see $id.screen"
	else rig_pass "$id: sanitizers clean"; fi
}

# ---- read of a secret
OLDPW=old-Pw-SeCrEt-4321 OLDRPW=old-Rpw-SeCrEt-8765
cat >"$RIG_DIR/readsecret.ipxe" <<EOF
#!ipxe
set password $OLDPW
set reverse-password $OLDRPW
set colour red
echo READ-PW
read password
iseq \${password} new-pw-1 && echo PW-REPLACED=yes || echo PW-REPLACED=no
echo READ-RPW
read reverse-password
iseq \${reverse-password} new-rpw-2 && echo RPW-REPLACED=yes || echo RPW-REPLACED=no
echo READ-COLOUR
read colour
echo COLOUR=\${colour}
EOF
pty_run readsecret "read of a secret: no initial text, typed value replaces it, echoed as stars" \
	"$WB" run "$RIG_DIR/readsecret.ipxe" <<'EOF'
expect READ-PW\r\n
absent 1 [*]|old-
alive
type new-pw-1\r
expect ^\*{8}\r\n
expect PW-REPLACED=yes
expect READ-RPW\r\n
absent 1 [*]|old-
type new-rpw-2\r
expect ^\*{9}\r\n
expect RPW-REPLACED=yes
expect READ-COLOUR\r\n
expect red
type \x7f\x7f\x7fblue\r
expect COLOUR=blue
exit 0
EOF
for s in "$OLDPW" "$OLDRPW" new-pw-1 new-rpw-2; do
	if grep -aFq -- "$s" "$RIG_DIR/readsecret.screen"; then rig_fail "read of a secret: '$s' never on the screen"
	else rig_pass "read of a secret: '$s' never on the screen"; fi
done

# ---- escape sequences and their timeout
cat >"$RIG_DIR/esclogin.ipxe" <<'EOF'
#!ipxe
echo LOGIN
login || echo CANCELLED
EOF
pty_run esc-alone "a lone Esc after its timeout is a key: [D after it is text" "$WB" shell <<'EOF'
expect wireboot> 
type echo ab
send \x1b
pause 0.6
type [D
type c\r
expect \r\nab\[Dc\r\n
expect wireboot> 
send \x04
exit 0
EOF
pty_run esc-seq "Esc [ D arriving together is the Left key (the control)" "$WB" shell <<'EOF'
expect wireboot> 
type echo ab
send \x1b
send [D
type c\r
expect \r\nacb\r\n
expect wireboot> 
send \x04
exit 0
EOF
pty_run esc-login "login: a lone Esc cancels after the timeout, with no further key" \
	"$WB" run "$RIG_DIR/esclogin.ipxe" <<'EOF'
expect LOGIN\r\n
expect Username: 
send \x1b
expect -t 1 CANCELLED
exit 0
EOF

# ---- a line longer than the buffer
{
	echo 'expect wireboot> '
	echo 'type echo\x20'
	for _ in 1 2 3 4 5; do echo "send $(head -c 1000 /dev/zero | tr '\0' x)"; echo 'pause 0.3'; done
	echo 'type Z\r'
	echo 'expect -t 20 \r\nx{4090}\r\n'
	echo 'expect wireboot> '
	echo 'type echo after\r'
	echo 'expect \r\nafter\r\n'
	echo 'send \x04'
	echo 'exit 0'
} >"$RIG_DIR/long.in"
pty_run long "a 5000-key line: 4095 bytes kept, the rest dropped, the shell goes on" "$WB" shell <"$RIG_DIR/long.in"
if grep -aq 'xZ' "$RIG_DIR/long.screen"; then rig_fail "long line: the key past the buffer was dropped"
else rig_pass "long line: the key past the buffer was dropped"; fi
rig_finish
