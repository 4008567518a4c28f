#!/bin/bash
# tests/golden/run.sh — golden tests of the script language: script in, console text out.
#
# For each tests/golden/NAME.ipxe: run `build/san/wireboot run tests/golden/NAME.ipxe`
# (no --tap: no network interfaces; stdin from NAME.in if present, else /dev/null;
# timeout 30 s), drop the start-up banner lines ("wireboot ...", "entropy: ...",
# "network: no interfaces found", "tcp-window: ..." — only at the very start), append
# "exit N" (the status), and compare with NAME.out.  One "PASS: golden NAME" /
# "FAIL: golden NAME" line each, a unified diff on failure.  Any ASan/UBSan/LSan
# report, crash signal or timeout is a FAIL whatever the .out says.
#
# tests/golden/pending/ holds goldens for features not built yet; they are not run
# (GOLDEN_DIR=tests/golden/pending bash tests/golden/run.sh runs them by hand).
#
# Env: GOLDEN_UPDATE=1   rewrite NAME.out from the actual output (review every change
#                        against iPXE's documentation before committing it)
#      GOLDEN=regex      run only goldens whose NAME matches
#      WB=path           binary (default build/san/wireboot)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
WB=${WB:-build/san/wireboot}
dir=${GOLDEN_DIR:-tests/golden}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ ! -x "$WB" ]; then
	echo "FAIL: golden: $WB not built (make build/san/wireboot)"
	exit 1
fi
work=$(mktemp -d /tmp/wb-golden.XXXXXX)
trap 'rm -rf "$work"' EXIT

pass=0
fail=0
for script in "$dir"/*.ipxe; do
	[ -f "$script" ] || continue
	name=$(basename "$script" .ipxe)
	if [ -n "${GOLDEN:-}" ] && ! echo "$name" | grep -Eq -- "$GOLDEN"; then
		continue
	fi
	input=/dev/null
	[ -f "$dir/$name.in" ] && input="$dir/$name.in"
	raw="$work/$name.raw"
	got="$work/$name.got"
	timeout -k 5 30 "$WB" run "$script" <"$input" >"$raw" 2>&1
	rc=$?
	# banner lines only while they lead the output; an unterminated last line is
	# ended and marked, as diff does
	perl -ne 'BEGIN { $lead = 1 }
		next if $lead && /^(wireboot |entropy: |network: no interfaces found$|tcp-window: )/;
		$lead = 0; print;
		END { print "\n\\ no newline at end of output\n" if defined $_ && !/\n\z/ }' \
		"$raw" >"$got"
	echo "exit $rc" >>"$got"
	why=""
	if grep -aEq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer' "$raw"; then
		why="sanitizer report"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		why="timed out after 30 s"
	elif [ "$rc" -gt 128 ]; then
		why="killed by signal $((rc - 128))"
	fi
	expected="$dir/$name.out"
	if [ "${GOLDEN_UPDATE:-}" = 1 ] && [ -z "$why" ]; then
		if [ ! -f "$expected" ] || ! cmp -s "$got" "$expected"; then
			cp "$got" "$expected"
			echo "    [golden $name] updated $expected — review it"
		fi
	fi
	if [ -n "$why" ]; then
		sed 's/^/    | /' "$raw" | head -60
		echo "FAIL: golden $name ($why)"
		fail=$((fail + 1))
	elif [ ! -f "$expected" ]; then
		sed 's/^/    | /' "$got"
		echo "FAIL: golden $name (no $expected; GOLDEN_UPDATE=1 writes it for review)"
		fail=$((fail + 1))
	elif diff -a -u --label "$expected" --label "actual" "$expected" "$got" >"$work/$name.diff"; then
		echo "PASS: golden $name"
		pass=$((pass + 1))
	else
		sed 's/^/    /' "$work/$name.diff"
		echo "FAIL: golden $name"
		fail=$((fail + 1))
	fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
