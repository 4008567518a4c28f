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
# a line whose ${...} could build another ${...} (iPXE expands again, wireboot does not)
reexp=$(mktemp /tmp/wb-check-reexp.XXXXXX.ipxe)
printf '#!ipxe\nset d $\necho $${x}\necho ${d}{name}\necho ${a}${b} ${net${i}/ip} {${x}}\n' >"$reexp"
out=$("$WB" check "$reexp" 2>&1); rc=$?
rm -f "$reexp"
if [ $rc = 0 ] && [ "$(echo "$out" | grep -c ': warning: a ${...} here could build another')" = 2 ] &&
	echo "$out" | grep -q ':3: warning: a ${' && echo "$out" | grep -q ':4: warning: a ${'; then
	ok "re-expansion warned on lines 3 and 4 only"
else echo "$out"; ko "re-expansion warning (exit $rc)"; fi
# --strict turns 'not supported' warnings into errors
strict=$(mktemp /tmp/wb-check-strict.XXXXXX.ipxe)
printf '#!ipxe\nimgdecrypt x y || echo no-decrypt\n' >"$strict"
out=$("$WB" check --strict "$strict" 2>&1); rc=$?
rm -f "$strict"
if [ $rc = 1 ] && echo "$out" | grep -q 'error: imgdecrypt: iPXE command not supported'; then ok "--strict"
else echo "$out"; ko "--strict (exit $rc)"; fi
# a script without "#!ipxe" + blank: iPXE does not run it, wireboot fetched neither: warned
nohdr=$(mktemp /tmp/wb-check-nohdr.XXXXXX.ipxe)
printf '#!ipxeecho x\necho y\n' >"$nohdr"
out=$("$WB" check "$nohdr" 2>&1); rc=$?
printf '#!gpxe\necho y\n' >"$nohdr"
out2=$("$WB" check "$nohdr" 2>&1)
rm -f "$nohdr"
if [ $rc = 0 ] && echo "$out" | grep -q ':1: warning: no #!ipxe header' && ! echo "$out2" | grep -q ": warning: "; then
	ok "header warning"
else echo "$out"; echo "$out2"; ko "header warning (exit $rc)"; fi
# show without a name (wireboot only): warned; show NAME is not
shw=$(mktemp /tmp/wb-check-show.XXXXXX.ipxe)
printf '#!ipxe\nshow\nshow net0/\nshow ip\n' >"$shw"
out=$("$WB" check "$shw" 2>&1); rc=$?
rm -f "$shw"
if [ $rc = 0 ] && [ "$(echo "$out" | grep -c 'warning: show without a setting name')" = 2 ] &&
	! echo "$out" | grep -q ':4: '; then ok "show without a name warned"
else echo "$out"; ko "show without a name warned (exit $rc)"; fi
# sanboot is a command now: `sanboot --drive 0x80 URI` in menu.ipxe draws no finding
out=$("$WB" check --strict tests/check/valid/menu.ipxe 2>&1)
if echo "$out" | grep -q 'reboot: iPXE command not supported' && ! echo "$out" | grep -q 'sanboot'; then
	ok "--strict accepts sanboot --drive"
else echo "$out"; ko "--strict menu.ipxe: sanboot reported"; fi
# doc examples as test cases: every fenced block in README.md and docs/*.md that starts
# with #!ipxe is a script a reader will copy; it must check without errors
docdir=$(mktemp -d /tmp/wb-check-docs.XXXXXX)
awk -v dir="$docdir" '
	FNR == 1 { inblock = 0 }
	/^```/ { if (inblock) { inblock = 0; if (out) close(out); out = "" } else { inblock = 1; first = 1 }; next }
	inblock && first { first = 0; if ($0 ~ /^#!ipxe/) { n++; f = FILENAME; gsub(/[\/]/, "_", f); out = dir "/" f "_" FNR ".ipxe" } }
	inblock && out { print > out }
' README.md docs/*.md
ndoc=0
for f in "$docdir"/*.ipxe; do
	[ -e "$f" ] || continue
	ndoc=$((ndoc + 1))
	out=$("$WB" check "$f" 2>&1); rc=$?
	if [ $rc = 0 ] && ! echo "$out" | grep -q ': error: '; then ok "doc example $(basename "$f" .ipxe)"
	else echo "$out"; ko "doc example $(basename "$f" .ipxe) (exit $rc)"; fi
done
rm -rf "$docdir"
if [ $ndoc -ge 1 ]; then ok "doc examples found ($ndoc)"; else ko "no #!ipxe block found in the docs (extraction broke?)"; fi
# kernel + initrd + boot (Linux direct boot) is supported: not even a warning with --strict
out=$("$WB" check --strict tests/check/valid/linuxboot.ipxe 2>&1); rc=$?
if [ $rc = 0 ] && echo "$out" | grep -q ': 0 errors, 0 warnings$'; then ok "--strict linuxboot.ipxe: no warning"
else echo "$out"; ko "--strict linuxboot.ipxe (exit $rc)"; fi
echo "check: $pass passed, $fail failed"
[ $fail = 0 ]
