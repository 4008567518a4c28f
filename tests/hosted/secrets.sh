#!/bin/bash
# secrets.sh — no configured secret reaches the console (issue 11 item 7).  tgtd in the
# netns with one-way + mutual CHAP (wb_iscsi_names); wireboot over lwIP:
#   - `set reverse-password WRONG && sanboot ROOT`: the login fails (mutual CHAP), and the
#     "script stopped:" line that echoes it shows ******** for the value;
#   - `set password:hex NOT-HEX` fails to parse: neither set's message nor the echo shows it;
#   - the right secrets: ${password} expanded into an unknown command's name is masked, and
#     `set password X && sanhook ROOT` (login ok, then sanhook is EFI-only) echoed masked;
#   - `wireboot boot --pre CMDS` (the hosted form of the firmware's load options, U-Boot's
#     bootargs): "load options:" shows the commands with the values masked.
# Every run is also checked by wb_exec for every secret this test configured (wb_secrets).
. "$(dirname "$0")/lib.sh"

wb_iscsi_names
WRONG=wrong-reverse-secret-77 NOTHEX=zz-not-hex-secret-88 TWO='two words-secret-99'
WB_SECRETS="$WRONG $NOTHEX words-secret-99"

wb_rig secrets
IMG="$RIG_DIR/disk.img"
truncate -s $((8 * 1024 * 1024)) "$IMG"
rig_tgtd "$IQN" "$IMG" "$USER_" "$SECRET" "$MUSER" "$MSECRET"
root_re=${ROOT//./\\.}

# ---- a failing sanboot after `set reverse-password X &&`
wb_run badmutual 60 <<EOF
#!ipxe
dhcp
set username $USER_
set password $SECRET
set reverse-username $MUSER
set reverse-password $WRONG && sanboot $ROOT
echo never
EOF
wb_expect_fail "failing sanboot: mutual CHAP refused" 'target failed mutual CHAP'
wb_expect_out "failing sanboot: the stopped line is echoed, value masked" \
	"^badmutual\\.ipxe:6: script stopped: set reverse-password \\*{8} && sanboot $root_re\$"

# ---- a value that is not of its type
wb_run badhex 30 <<EOF
#!ipxe
set password:hex $NOTHEX
echo never
EOF
wb_expect_fail "bad typed value: refused" 'invalid value for setting type'
wb_expect_out "bad typed value: set's message masks it" '^badhex\.ipxe:2: set: invalid value for setting type \("\*{8}" is not a valid value for password:hex\)$'
wb_expect_out "bad typed value: the stopped line masks it" '^badhex\.ipxe:2: script stopped: set password:hex \*{8}$'

# ---- the right secrets: login works; what fails later on the line is echoed masked
wb_run good 60 <<EOF
#!ipxe
dhcp
set username $USER_
set reverse-username $MUSER
set reverse-password $MSECRET
set password $SECRET
\${password} || echo unknown-command-caught
set password $SECRET && sanhook $ROOT
echo never
EOF
wb_expect_out "right secrets: mutual CHAP login" 'login ok \(CHAP MD5, mutual\)'
wb_expect_out "right secrets: a secret expanded into a command name is masked" '^good\.ipxe:7: \*{8}: unknown command'
wb_expect_out "right secrets: the line failing after the login is echoed masked" \
	"^good\\.ipxe:8: script stopped: set password \\*{8} && sanhook $root_re\$"

# ---- load options (wireboot boot --pre): shown masked, then run
# (iPXE's rules: `;` is an operator only as a word of its own, quotes are text; a value
# of several words is joined with one space by set)
pre="set password $SECRET ; set net0/reverse-password $TWO && sanboot $ROOT"
wb_exec loadopts 30 "$WB" boot --pre "$pre" </dev/null
wb_expect_out "load options: shown with the values masked" \
	"^load options: set password \\*{8} ; set net0/reverse-password \\*{8} && sanboot $root_re\$"
wb_expect_out "load options: run, and the failing line echoed masked" \
	'^load-options:1: script stopped: set password \*{8} ; set net0/reverse-password \*{8} && sanboot '

rig_finish
