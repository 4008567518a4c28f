#!/bin/bash
# OVMF x86_64 (QEMU, TCG), serial console through EDK2's terminal driver (which turns
# the ANSI key sequences into scan codes): the same script and keys as
# uboot-arm64-menu.sh.  wireboot.efi built with
# EMBED=menu.ipxe shows a menu (3 items, a separator, a default, a long timeout).  Over
# the serial line: Down, Up, Up and Enter choose the first item (the separator is
# skipped); the same menu again is answered by its hot key.  Then the shell: a command
# typed with Left, Right and inserts; Up recalls it for a second run; Tab
# completes a command name and lists the candidates of an ambiguous prefix; `exit`
# returns to the firmware.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
NAME=ovmf-x64-menu
UP='\x1b[A'
DOWN='\x1b[B'
RIGHT='\x1b[C'
LEFT='\x1b[D'

qemu_need qemu-system-x86_64 "$OVMF_FD"
rig_init ovmf-menu
t0=$(date +%s.%N)
if ! qemu_build x64 tests/qemu/menu.ipxe "$RIG_DIR/wireboot.efi"; then
	rig_fail "$NAME-build"
	rig_finish
fi
rig_pass "$NAME-build"
rig_bridge
rig_tap tap0
qemu_esp "$RIG_DIR/esp" "$RIG_DIR/wireboot.efi" x64
qemu_ovmf_x64 tap0 "$RIG_DIR/esp"
log=$RIG_DIR/console.log
t1=$(date +%s.%N)
# (expect.py's regexes run on the raw console stream: "\r\n" line ends, ANSI escapes)
qemu_drive "$log" \
	"expect@300:menu-test-start" \
	"expect@30:> Second item" \
	"send:$DOWN" \
	"expect@10:> Third item" \
	"send:$UP" \
	"expect@10:> Second item" \
	"send:$UP" \
	"expect@10:> First item" \
	"send:$UP" \
	"sleep:1" \
	"send:\\r" \
	"expect@10:chosen1=alpha" \
	"expect@30:> Second item" \
	"send:g" \
	"expect@10:chosen2=gamma" \
	"expect@30:wireboot> " \
	"line:eho edit-k${LEFT}o${LEFT}${LEFT}${LEFT}${LEFT}${LEFT}${LEFT}${LEFT}${LEFT}${LEFT}${LEFT}${RIGHT}c" \
	"expect@10:\\nedit-ok\\r*\\n" \
	"expect@10:wireboot> " \
	"line:${UP}2" \
	"expect@10:\\nedit-ok2\\r*\\n" \
	"expect@10:wireboot> " \
	"send:if\\t" \
	"expect@10:ifconf +ifopen +ifclose +ifstat" \
	"expect@10:wireboot> if" \
	"send:\\x15" \
	"line:ech\\ttab-ok" \
	"expect@10:\\ntab-ok\\r*\\n" \
	"expect@10:wireboot> " \
	"line:exit" \
	"expect@60:BdsDxe: (loading|starting)|Boot Manager"
rc=$?
echo "info: $NAME: QEMU run ${rc:+rc=$rc }took $(qemu_elapsed "$t1") s (total with build $(qemu_elapsed "$t0") s)"
clean=$(tr -d '\r' <"$log")
check_out() {  # NAME REGEX — on the console log, ANSI escapes removed
	if sed 's/\x1b\[[0-9;]*[A-Za-z]//g' <<<"$clean" | grep -Eq -- "$2"; then rig_pass "$NAME-$1"
	else rig_fail "$NAME-$1" "no /$2/ on the console"; fi
}
check_out menu-drawn '^Wireboot test menu$'
check_out menu-separator '^    ---- separator ----$'
check_out arrows-skip-gap-choose-first '^chosen1=alpha$'
check_out hotkey-chooses '^chosen2=gamma$'
check_out line-editing '^edit-ok$'
check_out history-recall '^edit-ok2$'
check_out completion-lists-candidates 'ifconf +ifopen +ifclose +ifstat'
check_out completion-completes '^tab-ok$'
if [ $rc = 0 ]; then
	rig_pass "$NAME-exit-to-firmware"
else
	rig_fail "$NAME-exit-to-firmware" "expect.py rc=$rc"
fi
qemu_keep_log "$log"
rig_finish
