#!/bin/bash
# pty.sh — wireboot at a real terminal: `wireboot shell` and `wireboot run` in a
# pseudo-terminal, played by tests/rig/ptydrive.py as a person would (keys typed one by
# one, output read as the terminal shows it).  Checks: the prompt waits for keys; typed
# commands run; cursor keys, Backspace, Delete edit; history recalls; Tab completes a
# command and a setting name; Ctrl-C abandons a line and interrupts `sleep` (and is not
# a signal to the parent shell); menus are drawn, arrows move, Enter chooses; `prompt
# --timeout`, `prompt --key`, `read`, `login` at a terminal; Ctrl-D on an empty line
# leaves; started in the background it leaves the terminal alone until `fg`; the
# terminal settings (termios, what `stty -g` prints) are the same after exit, after
# SIGTERM, SIGHUP, Ctrl-\ (SIGQUIT) and a crash signal.  No network but in the one
# case that interrupts `dhcp` (a TAP device on the rig's bridge, nothing answering).
set -u
. "$(dirname "$0")/lib.sh"
rig_init pty

DRIVE="$RIG_TOP/tests/rig/ptydrive.py"
WB_PLAIN=${WB_PLAIN:-$RIG_TOP/build/host/wireboot}   # no sanitizers: for the crash case

# pty_run ID WHAT PROGRAM ARGS... — the steps (ptydrive.py's language) on stdin; one
# PASS/FAIL named "pty: WHAT", plus the sanitizer / crash check of the output.
# PTY_ONLY='term|hup' runs only those cases (debugging).
pty_run() {
	local id=$1 what=$2; shift 2
	cat >"$RIG_DIR/$id.steps"
	pty_wanted "$id" || return 0
	WB_LOG="$RIG_DIR/$id.log"
	timeout -k 5 120 python3 "$DRIVE" --log "$RIG_DIR/$id.screen" "$RIG_DIR/$id.steps" -- "$@" \
		>"$WB_LOG" 2>&1
	WB_RC=$?
	{ cat "$RIG_DIR/$id.screen"; echo; } >>"$WB_LOG" 2>/dev/null
	sed "s/^/    [$id] /" "$WB_LOG" | cat -v
	if [ "$WB_RC" = 0 ]; then rig_pass "pty: $what"
	else rig_fail "pty: $what" "driver status $WB_RC, see [$id] above"; fi
	if grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$WB_LOG"; then
		rig_fail "pty: $id: sanitizers clean" "see output above"
	fi
}

pty_wanted() { [ -z "${PTY_ONLY:-}" ] || [[ $1 =~ ^($PTY_ONLY)$ ]]; }

P='wireboot> '

# the prompt waits for a person; a command runs; Ctrl-D on an empty line leaves with
# status 0 and the terminal is as it was
pty_run wait "prompt waits, a typed command runs, Ctrl-D leaves, terminal restored" \
	"$WB" shell <<EOF
expect $P
pause 2
alive
termios-raw
type echo hello\r
expect \r\nhello\r\n
expect $P
send \x04
exit 0
termios-same
EOF

# Left/Right/Home/End/Backspace/Delete fix typos before Enter
pty_run edit "cursor keys, Backspace and Delete edit the line" "$WB" shell <<'EOF'
expect wireboot> 
type echo abx
type \x7fd
type \x1b[D
type c
type \x1b[H
type \x1b[C\x1b[C\x1b[C\x1b[C\x1b[C
type \x1b[3~
type Z
type \x1b[F!\r
expect \r\nZbcd!\r\n
expect wireboot> 
type echo one two\x01\x1b[3~\x1b[3~\x1b[3~\x1b[3~\x1b[3~exit 7 \x0b\r
exit 7
termios-same
EOF

# history: Up recalls (and may be edited), Down goes back to the new line
pty_run history "Up recalls earlier lines, Down returns, recalled lines edit" \
	"$WB" shell <<'EOF'
expect wireboot> 
type echo first\r
expect \r\nfirst\r\n
expect wireboot> 
type echo second\r
expect \r\nsecond\r\n
expect wireboot> 
type \x1b[A\x1b[A\r
expect \r\nfirst\r\n
expect wireboot> 
type \x1b[A\x1b[A\x1b[B\x7f\x7f\x7f\x7f\x7fthird\r
expect \r\nthird\r\n
expect wireboot> 
type \x1b[A\x1b[B\x1b[B\r
expect \r\nwireboot> 
type exit\r
exit 0
termios-same
EOF

# Tab: a command name (one match completes with a space; several are listed), and a
# setting name after `show` (also after its options)
pty_run complete "Tab completes a command name and a setting name" "$WB" shell <<'EOF'
expect wireboot> 
type set username alice\r
expect wireboot> 
type set password pw-secret\r
expect wireboot> 
type ech\t
expect echo $
type tabbed\r
expect \r\ntabbed\r\n
expect wireboot> 
type if\t
expect ifclose.*\r\nwireboot> if
type \x15sho\tuser\t\r
expect show username \r\n
expect username.* = alice
expect wireboot> 
type show --reveal pass\t\r
expect show --reveal password \r\n
type exit\r
exit 0
EOF

# Ctrl-C: abandons a line; interrupts `sleep 30` at once; the shell goes on; the parent
# shell (sh -c) is not interrupted (Ctrl-C is a key to wireboot, not a SIGINT to the
# terminal's process group); stty -g before and after are the same
cat >"$RIG_DIR/sh-wrap.sh" <<EOF
stty -g >"$RIG_DIR/stty.before"
"$WB" shell
echo "SH-AFTER=\$?"
stty -g >"$RIG_DIR/stty.after"
EOF
pty_run ctrlc "Ctrl-C abandons a line, interrupts sleep, is no signal to the parent shell" \
	sh "$RIG_DIR/sh-wrap.sh" <<'EOF'
expect wireboot> 
type echo not this one
send \x03
expect \^C\r\nwireboot> 
alive
type sleep 30\r
pause 1
send \x03
expect -t 2 wireboot> 
type echo after\r
expect \r\nafter\r\n
expect wireboot> 
type exit 0\r
expect SH-AFTER=0
exit 0
termios-same
EOF
if ! pty_wanted ctrlc; then :
elif [ -s "$RIG_DIR/stty.before" ] && cmp -s "$RIG_DIR/stty.before" "$RIG_DIR/stty.after"; then
	rig_pass "pty: stty -g the same before and after wireboot shell"
else
	rig_fail "pty: stty -g the same before and after wireboot shell" \
		"$(cat "$RIG_DIR/stty.before" 2>&1) vs $(cat "$RIG_DIR/stty.after" 2>&1)"
fi
if ! pty_wanted ctrlc; then :
elif grep -a 'sleep' "$RIG_DIR/ctrlc.screen" | grep -q 'cancelled'; then
	rig_pass "pty: sleep says it was cancelled"
else
	rig_fail "pty: sleep says it was cancelled"
fi

# Ctrl-C while the network is polled: `dhcp` on a link where no server answers (a TAP
# device on the rig's bridge, no dnsmasq) gives up at once on Ctrl-C
if pty_wanted netwait; then
	rig_bridge
	rig_tap "$WB_TAP"
fi
pty_run netwait "Ctrl-C interrupts dhcp waiting for a server, with --tap" \
	ip netns exec "$RIG_NS" "$WB" shell --tap "$WB_TAP" <<'EOF'
expect wireboot> 
type dhcp\r
pause 1.5
alive
send \x03
expect -t 3 cancelled.*\r\nwireboot> 
type exit 0\r
exit 0
termios-same
EOF

# a menu: drawn, Down/Up move (the gap is skipped), Enter chooses
cat >"$RIG_DIR/menu.ipxe" <<'EOF'
#!ipxe
menu Pick one
item --gap Systems:
item alpha Alpha system
item beta Beta system
item
item gamma Gamma system
choose --keep target || echo CHOOSE=failed
echo TARGET=${target}
choose --default beta --timeout 800 again || echo AGAIN=failed
echo AGAIN=${again}
EOF
pty_run menu "a menu is drawn, arrows move, Enter chooses, the timeout takes the default" \
	"$WB" run "$RIG_DIR/menu.ipxe" <<'EOF'
expect Pick one
expect Gamma system
pause 1
alive
type \x1b[B
type \x1b[B
type \x1b[A
type \x1b[B
send \r
expect \r\nTARGET=gamma\r\n
expect Pick one
absent 0.5 AGAIN=
expect -t 3 AGAIN=beta\r\n
exit 0
termios-same
EOF

# prompt and read as in iPXE: prompt waits for a key, --key wants that key, --timeout
# fails after the time; read edits a setting (its value as the initial text); login
# shows the password as stars
cat >"$RIG_DIR/ask.ipxe" <<'EOF'
#!ipxe
prompt && echo ANY=ok
prompt --key y Press y && echo KEY=ok || echo KEY=wrong
prompt --timeout 1000 Waiting one second || echo TIMEOUT=failed
read name && echo NAME=${name}
set colour red
read colour
echo COLOUR=${colour}
login
echo USER=${username} PASS=${password}
exit 3
EOF
pty_run ask "prompt, prompt --key, prompt --timeout, read, login in a terminal" \
	"$WB" run "$RIG_DIR/ask.ipxe" <<'EOF'
expect Press any key to continue
pause 1.5
alive
type x
expect ANY=ok
expect Press y
type n
expect KEY=wrong
expect Waiting one second
absent 0.7 TIMEOUT=
expect -t 3 TIMEOUT=failed
pause 0.2
type world\r
expect \r\nNAME=world\r\n
expect red
type \x7f\x7f\x7fblue\r
expect \r\nCOLOUR=blue\r\n
expect Username: 
type alice\r
expect Password: 
type pw1\r
expect \*\*\*\r\n
expect USER=alice PASS=pw1
exit 3
termios-same
EOF
if ! pty_wanted ask; then :
elif ! grep -aq 'Password: \*\*\*' "$RIG_DIR/ask.screen" 2>/dev/null; then
	rig_fail "pty: login shows the password as stars" "no 'Password: ***' on the screen"
elif grep -a 'Password:' "$RIG_DIR/ask.screen" | grep -q 'pw1'; then
	rig_fail "pty: login shows the password as stars" "clear text after Password:"
else
	rig_pass "pty: login shows the password as stars"
fi

# job control: started in the background (bash with set -m gives it its own process
# group) a script that asks nothing runs to its end instead of being stopped by SIGTTOU
# for touching the terminal; a shell started in the background takes the terminal when
# `fg` brings it to the front
cat >"$RIG_DIR/bg.ipxe" <<'EOF'
#!ipxe
sleep 1
echo BG-DONE
EOF
pty_run bg "started in the background, a script runs to its end, terminal untouched" \
	bash -c 'set -m; "$0" run "$1" & wait $!; echo BG-RC=$?' "$WB" "$RIG_DIR/bg.ipxe" <<'EOF'
expect BG-DONE
expect BG-RC=0
exit 0
termios-same
EOF
pty_run fg "a shell started in the background works after fg" \
	bash -c 'set -m; "$0" shell & sleep 1; fg; echo FG-RC=$?' "$WB" <<'EOF'
pause 1.5
type echo typed\r
expect \r\ntyped\r\n
expect wireboot> 
termios-raw
send \x04
expect FG-RC=0
exit 0
termios-same
EOF

# the terminal comes back after a signal: SIGTERM and SIGHUP (handler), Ctrl-\ (the
# terminal sends SIGQUIT), and a crash signal (the plain build: the sanitized one would
# report it as an error first)
pty_run term "terminal restored after SIGTERM" "$WB" shell <<'EOF'
expect wireboot> 
termios-raw
signal TERM
exit SIGTERM
termios-same
EOF
pty_run hup "terminal restored after SIGHUP" "$WB" shell <<'EOF'
expect wireboot> 
termios-raw
signal HUP
exit SIGHUP
termios-same
EOF
pty_run quit "Ctrl-\\ quits, terminal restored" "$WB" shell <<'EOF'
expect wireboot> 
type echo x
send \x1c
exit SIGQUIT
termios-same
EOF
if [ -x "$WB_PLAIN" ]; then
	pty_run crash "terminal restored after a crash signal (SIGSEGV)" "$WB_PLAIN" shell <<'EOF'
expect wireboot> 
termios-raw
signal SEGV
exit SIGSEGV
termios-same
EOF
else
	rig_fail "pty: crash case" "$WB_PLAIN not built (make build/host/wireboot)"
fi

rig_finish
