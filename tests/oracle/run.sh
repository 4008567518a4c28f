#!/bin/bash
# tests/oracle/run.sh — the differential suite: wireboot against iPXE's recorded outputs.
#
# For each tests/oracle/NAME.ipxe: run `build/san/wireboot run NAME.ipxe` (no network,
# stdin /dev/null, 30 s timeout), normalise its output with normalise.pl and compare
# with NAME.expected (iPXE's output, recorded by record.sh).  Error lines ("! " lines)
# are compared only as "an error was reported here": each run of consecutive "! " lines
# becomes one "! error" line on both sides, since the wording is each program's own.
# Everything else — echoed text, show output, which lines ran, the exit status — must be
# identical.
#
# differences.txt lists scripts where wireboot deliberately behaves differently (one
# line: NAME and the reason); those compare with NAME.wireboot instead, and still need a
# NAME.expected.  pending.txt lists scripts waiting for work on another branch (NAME and
# the issue item): a mismatch prints "PENDING: ..." (not counted), a match is a FAIL
# asking to remove the entry.  One "PASS: oracle NAME" / "FAIL: oracle NAME" each.
#
# Env: ORACLE=regex  run only scripts whose NAME matches;  WB=path (default build/san/wireboot)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
WB=${WB:-build/san/wireboot}
dir=tests/oracle
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ ! -x "$WB" ]; then
	echo "FAIL: oracle: $WB not built (make build/san/wireboot)"
	exit 1
fi
work=$(mktemp -d /tmp/wb-oracle.XXXXXX)
trap 'rm -rf "$work"' EXIT

listed() {   # listed FILE NAME -> the rest of NAME's line, status 0 if listed
	[ -f "$1" ] && awk -v n="$2" '$1 == n { $1 = ""; sub(/^ +/, ""); print; f = 1 } END { exit !f }' "$1"
}
collapse() { awk '/^! / { if (!e) print "! error"; e = 1; next } { e = 0; print }' "$1"; }

pass=0 fail=0 pend=0
for script in "$dir"/*.ipxe; do
	name=$(basename "$script" .ipxe)
	if [ -n "${ORACLE:-}" ] && ! echo "$name" | grep -Eq -- "$ORACLE"; then continue; fi
	raw="$work/$name.raw"
	timeout -k 5 30 "$WB" run "$script" </dev/null >"$raw" 2>&1
	rc=$?
	why=""
	if grep -aEq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer' "$raw"; then
		why="sanitizer report"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		why="timed out after 30 s"
	elif [ "$rc" -gt 128 ]; then
		why="killed by signal $((rc - 128))"
	fi
	perl "$dir/normalise.pl" wireboot "$name" "$rc" <"$raw" >"$work/$name.got"
	expected="$dir/$name.expected"
	if reason=$(listed "$dir/differences.txt" "$name"); then
		expected="$dir/$name.wireboot"
		[ -f "$dir/$name.expected" ] || why="no $dir/$name.expected (record.sh writes it)"
	fi
	if [ -z "$why" ] && [ ! -f "$expected" ]; then why="no $expected"; fi
	if [ -z "$why" ]; then
		collapse "$expected" >"$work/$name.want"
		collapse "$work/$name.got" >"$work/$name.have"
		diff -a -u --label "$expected" --label "wireboot" "$work/$name.want" "$work/$name.have" >"$work/$name.diff" || why="differs"
	fi
	if item=$(listed "$dir/pending.txt" "$name"); then
		if [ -z "$why" ]; then
			echo "FAIL: oracle $name (matches now: remove it from $dir/pending.txt)"
			fail=$((fail + 1))
		else
			echo "PENDING: oracle $name ($item)"
			pend=$((pend + 1))
		fi
		continue
	fi
	if [ -z "$why" ]; then
		echo "PASS: oracle $name"
		pass=$((pass + 1))
	else
		[ -s "$work/$name.diff" ] && sed 's/^/    /' "$work/$name.diff"
		[ "$why" != differs ] && sed 's/^/    | /' "$raw" | head -40
		echo "FAIL: oracle $name ($why)"
		fail=$((fail + 1))
	fi
done
echo "oracle: $pass passed, $fail failed, $pend pending"
[ "$fail" = 0 ]
