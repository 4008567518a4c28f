#!/bin/bash
# tests/fuzz/run.sh — the fuzzing campaign (`make fuzz`): each libFuzzer target under
# ASan+UBSan until it has run FUZZ_RUNS executions (default 1,000,000) or FUZZ_SECONDS
# (default 1800) have passed, whichever comes first; then its corpus is minimized
# (-merge=1; seeds with a hand-given name are kept) back into tests/fuzz/corpus/<target>, and its row in tests/fuzz/results.tsv
# (executions, rate, edges and features of the minimized corpus, when coverage last grew,
# crashes) is replaced.  docs/dev/fuzzing.md is then written from results.tsv by
# tests/fuzz/fuzzdoc.py.  A crash stops that target's run; its input is kept under
# build/fuzz/crashes/ and listed in the row (it must become a unit test).
#
# Env: FUZZ_RUNS, FUZZ_SECONDS, FUZZ_TARGETS=regex (a subset, e.g. 'http|script'),
#      FUZZ_NICE (default 10).  Exit status 1 if any target crashed or did not build.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
RUNS=${FUZZ_RUNS:-1000000}
SECS=${FUZZ_SECONDS:-1800}
NICE=${FUZZ_NICE:-10}
results=tests/fuzz/results.tsv
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src tests/fuzz/*.c 2>/dev/null || commit="$commit+dirty"
work=$(mktemp -d /tmp/wb-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'echo "fuzz: interrupted"; exit 130' INT TERM
mkdir -p build/fuzz/crashes
[ -f "$results" ] || printf 'target\tcommit\tdate\texecutions\texec_per_s\tseconds\tedges\tfeatures\tcorpus_files\tlast_new_at\tcrashes\n' >"$results"
bad=0

for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	name=$(basename "$bin")
	[ -n "${FUZZ_TARGETS:-}" ] && ! echo "$name" | grep -Eq -- "$FUZZ_TARGETS" && continue
	corpus=tests/fuzz/corpus/$name
	d=$work/$name
	mkdir -p "$d/run" "$d/min" "$d/art" "$corpus"
	cp -r "$corpus/." "$d/run/"
	dict=()
	[ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
	echo "=== $name: up to $RUNS executions or ${SECS}s"
	t0=$(date +%s)
	nice -n "$NICE" "$bin" -runs="$RUNS" -max_total_time="$SECS" -print_final_stats=1 \
		-artifact_prefix="$d/art/" -close_fd_mask=1 "${dict[@]}" "$d/run" >"$d/log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - t0 ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$d/log" | tail -1)
	# execution count of the last input that grew coverage (NEW) — a plateau shows as
	# a last_new_at far below the total
	last_new=$(grep -E '^#[0-9]+[[:space:]]+NEW' "$d/log" | tail -1 | sed -E 's/^#([0-9]+).*/\1/')
	# crash-, leak-, timeout-, oom- inputs; a slow-unit- file is only reported
	crashes=$(ls "$d/art" 2>/dev/null | grep -Evc '^slow-unit-')
	ls "$d/art" 2>/dev/null | grep '^slow-unit-' | sed "s/^/    $name: slowest input kept: /"
	ls "$d/art" 2>/dev/null | grep -q '^slow-unit-' && cp "$d/art/"slow-unit-* build/fuzz/crashes/
	if [ "$crashes" -gt 0 ]; then
		cp "$d/art/"* build/fuzz/crashes/
		tail -n 40 "$d/log"
		echo "FAIL: $name crashed: $(ls "$d/art" | tr '\n' ' ') (kept in build/fuzz/crashes/)"
		bad=1
	elif [ "$rc" != 0 ]; then
		tail -n 20 "$d/log"
		echo "FAIL: $name exited $rc"
		bad=1
	fi
	# minimize: hand-named seeds (not a 40-hex-digit name) are kept as they are, then
	# the fewest inputs that add the rest of the features
	for f in "$corpus"/*; do
		[ -f "$f" ] || continue
		basename "$f" | grep -Eqx '[0-9a-f]{40}' || cp "$f" "$d/min/"
	done
	nice -n "$NICE" "$bin" -merge=1 -close_fd_mask=1 "$d/min" "$d/run" >"$d/merge.log" 2>&1 || {
		tail -n 20 "$d/merge.log"; echo "FAIL: $name: corpus minimization failed"; bad=1; continue; }
	rm -rf "$corpus"
	mkdir -p "$corpus"
	cp "$d/min/"* "$corpus/" 2>/dev/null
	files=$(ls "$corpus" | wc -l)
	# coverage of the minimized corpus, as a fresh run loads it
	nice -n "$NICE" "$bin" -runs=0 -close_fd_mask=1 "${dict[@]}" "$corpus" >"$d/cov.log" 2>&1
	cov=$(grep -E 'INITED|DONE' "$d/cov.log" | tail -1)
	edges=$(echo "$cov" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	feats=$(echo "$cov" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
	grep -v "^$name	" "$results" >"$d/results" || true
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$commit" "$(date -u +%Y-%m-%d)" \
		"${execs:-0}" "${rate:-0}" "$secs" "${edges:-?}" "${feats:-?}" "$files" "${last_new:-0}" "$crashes" >>"$d/results"
	{ head -1 "$d/results"; tail -n +2 "$d/results" | sort; } >"$results"
	echo "    $name: ${execs:-0} executions in ${secs}s (${rate:-0}/s), cov ${edges:-?} ft ${feats:-?}, $files corpus files, last new coverage at #${last_new:-0}, crashes $crashes"
done
python3 tests/fuzz/fuzzdoc.py "$results" >docs/dev/fuzzing.md.tmp && mv docs/dev/fuzzing.md.tmp docs/dev/fuzzing.md
echo "fuzz: docs/dev/fuzzing.md written"
exit $bad
