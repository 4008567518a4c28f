#!/bin/bash
# menu.sh — the interactive commands on the hosted build, keys piped into stdin:
# menu/item/choose (arrows, hot keys, gaps, default, timeout, Esc, --keep, --delete),
# prompt (--key, --timeout, Ctrl-C), login (masked password), read, shell (nested,
# history, completion).  No network: `wireboot run SCRIPT` without --tap.
set -u
. "$(dirname "$0")/lib.sh"
rig_init menu

# ui_run ID KEYS [DELAY] — run the script on stdin with KEYS (printf format) as console
# input, sent after DELAY seconds when given (Ctrl-C typed ahead of a command would be
# taken by the interpreter's own Ctrl-C check between lines, as on a real console).
ui_run() {
	local id=$1 keys=$2 delay=${3:-} t0 t1
	cat >"$RIG_DIR/$id.ipxe"
	WB_LOG="$RIG_DIR/$id.log"
	# shellcheck disable=SC2059
	printf "$keys" >"$RIG_DIR/$id.in"
	t0=$(date +%s)
	if [ -n "$delay" ]; then
		(sleep "$delay"; cat "$RIG_DIR/$id.in") |
			timeout -k 5 30 "$WB" run "$RIG_DIR/$id.ipxe" >"$WB_LOG" 2>&1
		WB_RC=${PIPESTATUS[1]}
	else
		timeout -k 5 30 "$WB" run "$RIG_DIR/$id.ipxe" <"$RIG_DIR/$id.in" >"$WB_LOG" 2>&1
		WB_RC=$?
	fi
	t1=$(date +%s)
	WB_SECS=$((t1 - t0))
	sed "s/^/    [$id] /" "$WB_LOG" | cat -v
	echo "    [$id] exit $WB_RC after ${WB_SECS}s"
	wb_check_sane "$id"
}
expect_val() { rig_expect_eq "$1" "$(wb_val "$2")" "$3"; }

MENU='#!ipxe
menu Boot menu
item --gap Systems:
item --key l linux Boot Linux
item --default win Windows
item
item --key s shell Shell
item --key x exit Exit'

# arrows: the default is "win"; Down skips the blank separator to "shell"; Up, Up goes
# to "linux" (the gap at the top cannot be selected, so a third Up stays there)
ui_run arrows '\033[B\033[A\033[A\033[A\r' <<EOF
$MENU
choose target
echo TARGET=\${target}
EOF
expect_val "menu: arrows skip gaps, Enter chooses" TARGET linux
rig_expect_grep "menu: title and separator text drawn" "$WB_LOG" '^Systems:|    Systems:'
rig_expect_grep "menu: selection marked" "$WB_LOG" '> Windows'

ui_run hotkey 'S' <<EOF
$MENU
choose target
echo TARGET=\${target}
EOF
expect_val "menu: hot key chooses at once (case-insensitive)" TARGET shell

ui_run endkey '\033[F\r' <<EOF
$MENU
choose target
echo TARGET=\${target}
EOF
expect_val "menu: End selects the last item" TARGET exit

ui_run timeout '' <<EOF
$MENU
choose --timeout 300 target
echo TARGET=\${target}
EOF
expect_val "menu: timeout takes the default item" TARGET win

ui_run default-opt '' <<EOF
$MENU
choose --default shell --timeout 200 target
echo TARGET=\${target}
EOF
expect_val "menu: --default overrides the item default" TARGET shell

ui_run esc '\033' <<EOF
$MENU
choose target || echo CHOOSE=failed
echo TARGET=\${target}
EOF
expect_val "menu: Esc makes choose fail" CHOOSE failed
expect_val "menu: nothing stored on Esc" TARGET ""

ui_run ctrlc '\003' 1 <<EOF
$MENU
choose target || echo CHOOSE=failed
EOF
expect_val "menu: Ctrl-C makes choose fail" CHOOSE failed

ui_run eof '' <<EOF
$MENU
choose target || echo CHOOSE=failed
EOF
expect_val "menu: end of input without a timeout fails" CHOOSE failed
rig_expect_grep "menu: end of input reported" "$WB_LOG" 'end of input'

ui_run keep 'l\r\r' <<'EOF'
#!ipxe
menu --name m Named
item --menu m a Alpha
item --menu m b Beta
choose --menu m --keep first
choose --menu m second
echo FIRST=${first} SECOND=${second}
choose --menu m third || echo THIRD=gone
EOF
rig_expect_grep "menu: --keep keeps the menu, choose deletes it otherwise" "$WB_LOG" \
	'FIRST=a SECOND=a'
expect_val "menu: deleted after choose" THIRD gone
rig_expect_grep "menu: no such menu message" "$WB_LOG" 'no such menu'

ui_run errors '' <<'EOF'
#!ipxe
item orphan Orphan || echo NOMENU=ok
menu --name gone
menu --name gone --delete
menu --name gone --delete || echo DELETED=ok
menu
item --gap Only a gap
item
choose target || echo EMPTY=ok
menu
item --key 0xzz a A || echo BADKEY=ok
choose --timeout soon target || echo BADTIMEOUT=ok
choose --frobnicate target || echo BADOPT=ok
EOF
expect_val "menu: item without a menu fails" NOMENU ok
expect_val "menu: --delete of a missing menu fails" DELETED ok
expect_val "menu: choose from gaps only fails" EMPTY ok
rig_expect_grep "menu: empty menu message" "$WB_LOG" 'no selectable items'
expect_val "menu: bad --key refused" BADKEY ok
expect_val "menu: bad --timeout refused" BADTIMEOUT ok
expect_val "menu: unknown option refused" BADOPT ok

# ---- prompt
ui_run prompt 'xz' <<'EOF'
#!ipxe
prompt && echo ANY=ok
prompt --key q Press q && echo Q=ok || echo Q=fail
EOF
expect_val "prompt: any key succeeds" ANY ok
expect_val "prompt: another key than --key fails" Q fail
rig_expect_grep "prompt: default text" "$WB_LOG" 'Press any key to continue'

ui_run prompt-key 'q' <<'EOF'
#!ipxe
prompt --key q Press q && echo Q=ok || echo Q=fail
EOF
expect_val "prompt: --key matches" Q ok

ui_run prompt-ctrlb '\002' <<'EOF'
#!ipxe
prompt --key 0x02 --timeout 2000 Press Ctrl-B && echo CTRLB=ok || echo CTRLB=fail
EOF
expect_val "prompt: --key as a code (0x02)" CTRLB ok

ui_run prompt-timeout '' <<'EOF'
#!ipxe
prompt --timeout 300 Waiting || echo TIMEOUT=ok
EOF
expect_val "prompt: timeout fails" TIMEOUT ok
# a timeout is an answer, not an error: no message (as iPXE; tests/oracle prompt_timeout)
rig_check "prompt: timeout prints no error" bash -c "! grep -q 'timed out' '$WB_LOG'"

ui_run prompt-ctrlc '\003' 1 <<'EOF'
#!ipxe
prompt || echo CANCEL=ok
EOF
expect_val "prompt: Ctrl-C fails" CANCEL ok

# ---- login, read
ui_run login 'alice\rs3cr\033[Det\r' <<'EOF'
#!ipxe
login
echo USER=${username}
show password
show --reveal password
EOF
expect_val "login: username stored" USER alice
rig_expect_grep "login: password edited and stored (revealed on request)" "$WB_LOG" \
	'password.* = s3cetr$'
rig_expect_grep "login: password echoed as stars" "$WB_LOG" 'Password: \*\*\*\*'
if grep -a '^Password:' "$WB_LOG" | grep -q 's3c'; then
	rig_fail "login: password never echoed" "clear text on the console"
else
	rig_pass "login: password never echoed"
fi

ui_run login-cancel 'bob\r\003' 1 <<'EOF'
#!ipxe
login || echo LOGIN=cancelled
echo USER=${username}.
EOF
expect_val "login: Ctrl-C fails" LOGIN cancelled
expect_val "login: nothing stored when cancelled" USER .

ui_run read 'world\r\177\177\177\177\177earth\r\025new\r' <<'EOF'
#!ipxe
read a
echo A=${a}
read a
echo A2=${a}
set b old
read b
echo B=${b}
EOF
expect_val "read: line into the setting" A world
expect_val "read: the current value is the initial text" A2 earth
expect_val "read: Ctrl-U replaces the initial text" B new

ui_run read-timeout '' <<'EOF'
#!ipxe
read --timeout 200 a || echo READ=failed
EOF
expect_val "read: end of input fails" READ failed

# ---- shell (nested), history, completion
ui_run shell 'echo inside\rech\t one\r\033[A\033[D\033[D\033[Dx\rexit\r' <<'EOF'
#!ipxe
echo before
shell && echo SHELL=ok
echo AFTER=yes
EOF
rig_expect_grep "shell: runs commands" "$WB_LOG" '^inside'
rig_expect_grep "shell: tab completes the command name" "$WB_LOG" '^one$'
rig_expect_grep "shell: history recalls and edits the last line" "$WB_LOG" '^xone$'
expect_val "shell: exit returns to the script, status ok" SHELL ok
expect_val "shell: script goes on after the shell" AFTER yes

rig_finish
