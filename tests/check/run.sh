#!/bin/bash
# tests/check/run.sh — `wireboot check`: valid iPXE scripts (ours, the goldens that are
# meant to run, the QEMU test scripts, tests/check/valid) have no errors; each script in
# tests/check/invalid gives exactly the findings in its .expected file (and status 1).
set -u
cd "$(dirname "$0")/../.."
WB=${WB:-build/san/wireboot}
pass=0 fail=0
ok() { echo "PASS: check: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: check: $1"; fail=$((fail + 1)); }

for f in tests/check/valid/*.ipxe tests/qemu/*.ipxe; do
	out=$("$WB" check "$f" 2>&1); rc=$?
	if [ $rc = 0 ] && ! echo "$out" | grep -q ': error: '; then ok "valid $(basename "$f")"
	else echo "$out"; ko "valid $(basename "$f") (exit $rc)"; fi
done
# goldens that run to the end without a syntax or usage error must pass too
for f in tests/golden/*.ipxe; do
	case $(basename "$f") in bad_*|*usage*|goto_missing*|goto_colon*|unknown_cmd*|typed_bad*|exit_bad*|exit_toomany*|help_unknown*|sleep_bad*|iseq_usage*|inc_bad*|set_typed_bad*) continue ;; esac
	out=$("$WB" check "$f" 2>&1); rc=$?
	if [ $rc = 0 ]; then ok "golden $(basename "$f")"; else echo "$out"; ko "golden $(basename "$f") (exit $rc)"; fi
done
for f in tests/check/invalid/*.ipxe; do
	exp=${f%.ipxe}.expected
	out=$(cd "$(dirname "$f")" && "$OLDPWD/$WB" check "$(basename "$f")" 2>&1); rc=$?
	if [ $rc = 1 ] && [ "$out" = "$(cat "$exp")" ]; then ok "invalid $(basename "$f")"
	else diff <(echo "$out") "$exp"; ko "invalid $(basename "$f") (exit $rc)"; fi
done
# --strict turns 'not supported' warnings into errors
strict=$(mktemp /tmp/wb-check-strict.XXXXXX.ipxe)
printf '#!ipxe\nimgtrust || echo no-trust\n' >"$strict"
out=$("$WB" check --strict "$strict" 2>&1); rc=$?
rm -f "$strict"
if [ $rc = 1 ] && echo "$out" | grep -q 'error: imgtrust: iPXE command not supported'; then ok "--strict"
else echo "$out"; ko "--strict (exit $rc)"; fi
# sanboot is a command now: `sanboot --drive 0x80 URI` in menu.ipxe draws no finding
out=$("$WB" check --strict tests/check/valid/menu.ipxe 2>&1)
if echo "$out" | grep -q 'reboot: iPXE command not supported' && ! echo "$out" | grep -q 'sanboot'; then
	ok "--strict accepts sanboot --drive"
else echo "$out"; ko "--strict menu.ipxe: sanboot reported"; fi
# kernel + initrd + boot (Linux direct boot) is supported: not even a warning with --strict
out=$("$WB" check --strict tests/check/valid/linuxboot.ipxe 2>&1); rc=$?
if [ $rc = 0 ] && echo "$out" | grep -q ': 0 errors, 0 warnings$'; then ok "--strict linuxboot.ipxe: no warning"
else echo "$out"; ko "--strict linuxboot.ipxe (exit $rc)"; fi
echo "check: $pass passed, $fail failed"
[ $fail = 0 ]
