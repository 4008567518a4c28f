#!/bin/bash
# tests/run-all.sh — what `make check` runs after building.
#
# Order: the layering lint (tests/lint), unit tests (build/test/test_*), golden script
# tests (tests/golden/run.sh: script in, console text out), the differential suite against
# iPXE's recorded outputs (tests/oracle/run.sh), `wireboot check` tests
# (tests/check/run.sh), a fuzz smoke per target (build/fuzz/fuzz_*,
# FUZZ_SMOKE seconds each, default 15, on a temp copy of tests/fuzz/corpus/<name>),
# the rig self-test, hosted integration tests (tests/hosted/*.sh), QEMU end-to-end tests
# (tests/qemu/*.sh except demo.sh and lib.sh).
#
# Every test prints "PASS: x" / "FAIL: x" lines; a test that exits non-zero without a
# FAIL line counts as one failure, and so does each "SKIP: x" line (a check that did not
# run).  Run directly, it first refuses stale or missing binaries (stale_check below).  Output streams as it runs; at the end a list of
# failures and exactly "N passed, M failed".  Exit status 1 if anything failed.
#
# Env: TESTS=regex  run only tests whose id (e.g. unit/test_dhcp, fuzz/fuzz_dhcp,
#                   hosted/dhcp.sh, qemu/boot.sh) matches
#      FUZZ_SMOKE=N seconds per fuzz target;  TEST_TIMEOUT=N per test (default 900)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
FUZZ_SMOKE=${FUZZ_SMOKE:-15}
TEST_TIMEOUT=${TEST_TIMEOUT:-900}
work=$(mktemp -d /tmp/wb-runall.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'echo "run-all: interrupted"; exit 130' INT TERM

passed=0
failed=0
failures=()

selected() { [ -z "${TESTS:-}" ] || echo "$1" | grep -Eq -- "$TESTS"; }

# run_test ID CMD... — run with a timeout, stream output, count PASS/FAIL lines.
run_test() {
	local id=$1 rc p f line; shift
	selected "$id" || return 0
	echo "=== $id"
	local out="$work/out"
	timeout -k 10 "$TEST_TIMEOUT" "$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	passed=$((passed + p))
	failed=$((failed + f))
	while IFS= read -r line; do failures+=("$id: ${line#FAIL: }"); done < <(grep '^FAIL: ' "$out")
	# a skipped check did not happen: each "SKIP: " line counts as a failure
	while IFS= read -r line; do
		failed=$((failed + 1)); f=$((f + 1)); failures+=("$id: skipped: ${line#SKIP: }")
	done < <(grep '^SKIP: ' "$out")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		failed=$((failed + 1))
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			failures+=("$id: timed out after ${TEST_TIMEOUT}s")
			echo "FAIL: $id (timed out after ${TEST_TIMEOUT}s)"
		else
			failures+=("$id: exited $rc without a FAIL line")
			echo "FAIL: $id (exited $rc)"
		fi
	fi
	echo "=== $id: exit $rc, $p passed, $f failed"
}

# fuzz_smoke NAME BIN — a short libFuzzer run on a temp copy of the seed corpus.
fuzz_smoke() {
	local name=$1 bin=$2 d="$work/fuzz-$1" c
	rm -rf "$d"; mkdir -p "$d/corpus" "$d/artifacts"
	for c in "tests/fuzz/corpus/$name" "tests/fuzz/corpus/${name#fuzz_}"; do
		[ -d "$c" ] && cp -r "$c/." "$d/corpus/"
	done
	local dict=()
	[ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
	if "$bin" -max_total_time="$FUZZ_SMOKE" -artifact_prefix="$d/artifacts/" \
		-print_final_stats=0 "${dict[@]}" "$d/corpus" >"$d/log" 2>&1; then
		tail -n 3 "$d/log"
		echo "PASS: fuzz smoke $name (${FUZZ_SMOKE}s)"
	else
		tail -n 40 "$d/log"
		echo "FAIL: fuzz smoke $name (artifacts: $(ls "$d/artifacts" 2>/dev/null | tr '\n' ' '))"
		# keep the crashing input where it can be found after the temp dir is gone
		mkdir -p build/fuzz/crashes && cp "$d/artifacts/"* build/fuzz/crashes/ 2>/dev/null
		return 1
	fi
}

# Stale or missing binaries: what `make check` builds for the selected tests must be up to
# date as `make -q` sees it (-o FORCE: the EMBED=/TRUST= stamps are compared by their
# times, not rewritten), or nothing runs: a test of an old binary proves nothing about
# the sources.  `make check` builds them first, so it never trips this.
stale_check() {
	local want=() t n bad=()
	for t in tests/unit/test_*.c; do n=$(basename "$t" .c); selected "unit/$n" && want+=("build/test/$n"); done
	for t in tests/fuzz/fuzz_*.c; do n=$(basename "$t" .c); selected "fuzz/$n" && want+=("build/fuzz/$n"); done
	for n in golden/run.sh oracle/run.sh check/run.sh rig/selftest.sh tests/hosted/*.sh; do
		n=${n#tests/}
		if selected "$n"; then want+=(build/san/wireboot build/host/wireboot build/test/sanio); break; fi
	done
	for t in tests/qemu/*.sh; do
		if selected "qemu/$(basename "$t")"; then want+=(build/efi-aa64/hello.efi build/efi-x64/hello.efi); break; fi
	done
	[ ${#want[@]} = 0 ] && return 0
	make -q -o FORCE "${want[@]}" >/dev/null 2>&1 && return 0
	for t in "${want[@]}"; do
		if [ ! -e "$t" ]; then bad+=("$t (missing)")
		elif ! make -q -o FORCE "$t" >/dev/null 2>&1; then bad+=("$t (older than its sources)"); fi
	done
	[ ${#bad[@]} = 0 ] && bad=("make -q failed for: ${want[*]}")
	echo "FAIL: run-all: stale or missing binaries, tests not run (make check builds them; or make the ones named):"
	printf '  %s\n' "${bad[@]}"
	echo "0 passed, 1 failed"
	exit 1
}
stale_check

run_test lint/layering.sh bash tests/lint/layering.sh
for t in build/test/test_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	run_test "unit/$(basename "$t")" "$t"
done
run_test golden/run.sh bash tests/golden/run.sh
run_test oracle/run.sh bash tests/oracle/run.sh
run_test check/run.sh bash tests/check/run.sh
for t in build/fuzz/fuzz_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	n=$(basename "$t")
	selected "fuzz/$n" || continue
	echo "=== fuzz/$n"
	out="$work/out"
	timeout -k 10 "$TEST_TIMEOUT" bash -c "$(declare -f fuzz_smoke); work='$work' FUZZ_SMOKE='$FUZZ_SMOKE' fuzz_smoke '$n' '$t'" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	if grep -q '^PASS: ' "$out"; then passed=$((passed + 1))
	else failed=$((failed + 1)); failures+=("fuzz/$n: $(grep '^FAIL: ' "$out" | head -1 | sed 's/^FAIL: //')${rc:+ (exit $rc)}"); fi
done
run_test rig/selftest.sh bash tests/rig/selftest.sh
for t in tests/hosted/*.sh; do
	[ -f "$t" ] || continue
	case "$(basename "$t")" in lib.sh) continue ;; esac
	run_test "hosted/$(basename "$t")" bash "$t"
done
for t in tests/qemu/*.sh; do
	[ -f "$t" ] || continue
	case "$(basename "$t")" in demo.sh|lib.sh) continue ;; esac
	run_test "qemu/$(basename "$t")" bash "$t"
done

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	for f in "${failures[@]}"; do echo "  $f"; done
	echo
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
