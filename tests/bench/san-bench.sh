#!/bin/bash
# tests/bench/san-bench.sh — `make bench`: SAN read throughput of the hosted wireboot
# (`wireboot preflight iscsi --read-all`, kernel sockets, build/host/wireboot) against
# libiscsi reading the same LUN from the same tgtd.
#
# In a netns: tgtd on 192.0.2.1:3260, LUN 1 a BENCH_SAN_BYTES image of random data (no
# CHAP: the bench measures the read path).  Both readers are measured the same way: 8
# commands of 256 KiB in flight, the bytes read and dropped (wireboot `--read-all
# --no-hash`; iscsi-perf never keeps them), the rate over the reads alone (after the
# login, by each tool's own clock), and the image is read once with cat before every run
# of either tool so tgtd serves both from the page cache (iscsi-perf reads the LUN over
# and over for BENCH_SAN_SECS seconds; wireboot reads it once: each pass of either is the
# same cached bytes).  A separate wireboot run per round hashes what it reads and must
# give the image's SHA-256 (a wrong read is a failed run); its rate is shown apart.
# RUNS rounds (default 3), medians compared; the "SAN read" section of
# docs/benchmarks.md is replaced.
#
# Env: BENCH_SAN_BYTES (default 256 MiB), BENCH_SAN_SECS (5), RUNS (3), WB, BENCH_DOC.
set -u
. "$(dirname "$0")/../rig/rig.sh"
WB=${WB:-$RIG_TOP/build/host/wireboot}
BYTES=${BENCH_SAN_BYTES:-268435456}
SECS=${BENCH_SAN_SECS:-5}
RUNS=${RUNS:-3}
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
IQN=iqn.2026-11.test:disk
[ -x "$WB" ] || rig_die "$WB not built (make build/host/wireboot)"
command -v iscsi-perf >/dev/null || rig_die "iscsi-perf missing: run scripts/deps.sh (libiscsi-bin)"

rig_init sanbench
rig_bridge
IMG="$RIG_DIR/disk.img"
head -c "$BYTES" /dev/urandom >"$IMG"
want=$(sha256sum "$IMG" | cut -d' ' -f1)
rig_tgtd "$IQN" "$IMG" "" ""
echo "bench: LUN 1 = $BYTES bytes of random data, sha256 $want"

results="$RIG_DIR/results"
: >"$results"
ok=1
warm() { cat "$IMG" >/dev/null; }
for i in $(seq "$RUNS"); do
	# the verifying run: every byte hashed, the image's SHA-256 required
	warm
	out=$(timeout -k 5 300 ip netns exec "$RIG_NS" "$WB" preflight iscsi --no-disk "iscsi:192.0.2.1:::1:$IQN" \
		--read-all --depth 8 2>&1)
	rc=$?
	rate=$(echo "$out" | sed -n 's/^rate: \([0-9.]*\) MiB\/s.*with SHA-256.*/\1/p' | tail -1)
	sha=$(echo "$out" | sed -n 's/^sha256 //p' | tail -1)
	echo "bench: wireboot (SHA-256) run $i (exit $rc): ${rate:-?} MiB/s, sha256 ${sha:-none}"
	if [ "$rc" = 0 ] && [ -n "$rate" ] && [ "$sha" = "$want" ]; then echo "wireboot-sha $rate" >>"$results"
	else echo "$out" | tail -5; echo "wireboot-sha 0" >>"$results"; ok=0; fi
	# the measured run: read and drop, as iscsi-perf does
	warm
	out=$(timeout -k 5 300 ip netns exec "$RIG_NS" "$WB" preflight iscsi --no-disk "iscsi:192.0.2.1:::1:$IQN" \
		--read-all --no-hash --depth 8 2>&1)
	rc=$?
	rate=$(echo "$out" | sed -n 's/^rate: \([0-9.]*\) MiB\/s.*no hash.*/\1/p' | tail -1)
	echo "bench: wireboot (no hash) run $i (exit $rc): ${rate:-?} MiB/s"
	if [ "$rc" = 0 ] && [ -n "$rate" ]; then echo "wireboot $rate" >>"$results"
	else echo "$out" | tail -5; echo "wireboot 0" >>"$results"; ok=0; fi
	# iscsi-perf reads until stopped; its last line has the average since the start
	warm
	out=$(timeout -s INT -k 5 "$SECS" ip netns exec "$RIG_NS" iscsi-perf -m 8 -b 512 \
		"iscsi://192.0.2.1/$IQN/1" 2>&1 | tr '\r' '\n')
	rate=$(echo "$out" | sed -n 's/.*iops average [0-9]* (\([0-9.]*\) MB\/s).*/\1/p' | tail -1)
	echo "bench: iscsi-perf run $i: ${rate:-?} MiB/s"
	if [ -n "$rate" ]; then echo "iscsi-perf $rate" >>"$results"
	else echo "$out" | tail -5; echo "iscsi-perf 0" >>"$results"; ok=0; fi
done

mkdir -p "$(dirname "$DOC")"
RIG_TOP="$RIG_TOP" python3 - "$results" "$want" "$BYTES" "$SECS" "$DOC" <<'PY'
import os, statistics, sys
sys.path.insert(0, os.path.join(os.environ.get('RIG_TOP', '.'), 'tests', 'bench'))
import benchdoc
res, want, nbytes, secs, doc = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
runs = {"wireboot": [], "wireboot-sha": [], "iscsi-perf": []}
for l in open(res):
    who, rate = l.split()
    runs[who].append(float(rate))
med = {k: statistics.median(v) if v else 0.0 for k, v in runs.items()}
ratio = med["wireboot"] / med["iscsi-perf"] if med["iscsi-perf"] else 0.0
good = all(x > 0 for v in runs.values() for x in v)
fmt = lambda v: " / ".join(f"{x:.1f}" for x in v)
section = f"""## SAN read (tests/bench/san-bench.sh)

Hosted `build/host/wireboot preflight iscsi --read-all --no-hash --depth 8` (kernel
sockets) against libiscsi's `iscsi-perf -m 8 -b 512` (Debian's libiscsi-bin has no
`iscsi-dd`), both reading LUN 1 ({nbytes} bytes of random data) of the same tgtd on a
Linux bridge in a network namespace, no CHAP.

Method: both sides the same way: 8 READ commands of 256 KiB in flight, the bytes read and
dropped, the rate over the reads alone (each tool's own clock, after the login; wireboot
reads the LUN once, iscsi-perf sequentially for {secs} s, wrapping at the end), the image
read with cat before every run of either tool so tgtd serves both from the page cache.
wireboot's one pass is the shorter run, so its start-up (the first commands filling the
pipe) weighs more in its figure.
Apart from these, one wireboot run per round hashes every byte with SHA-256 (same
thread) and must give the image's hash: **with SHA-256**, not comparable with iscsi-perf.
Median of {len(runs['wireboot'])} rounds.  Overwritten by every `make bench`.

| date | machine | LUN bytes | wireboot MiB/s | iscsi-perf MiB/s | ratio | wireboot with SHA-256 MiB/s | sha256 matched |
|---|---|---|---|---|---|---|---|
| {benchdoc.now()} | {benchdoc.machine()} | {nbytes} | {med['wireboot']:.1f} | {med['iscsi-perf']:.1f} | {ratio:.2f} | {med['wireboot-sha']:.1f} | {'yes' if all(runs['wireboot-sha']) else 'NO'} |

Individual runs (MiB/s): wireboot {fmt(runs['wireboot'])}; iscsi-perf {fmt(runs['iscsi-perf'])}; wireboot with SHA-256 {fmt(runs['wireboot-sha'])}.
"""
benchdoc.replace_section(doc, "SAN read", section)
print(section)
sys.exit(0 if good else 1)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a run failed or the SHA-256 did not match)"
exit 1
