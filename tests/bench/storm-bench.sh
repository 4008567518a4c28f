#!/bin/bash
# tests/bench/storm-bench.sh — `make bench`: a fleet boot storm (issue 14, item 6).  N
# clients read the same LUN of one tgtd at once, N = STORM_NS (default "1 4 16 32"):
#   wireboot  N hosted `wireboot preflight iscsi --tap tapK --read-all --no-hash --depth 8`,
#             each on its own TAP device with its own MAC, DHCP lease and initiator name
#             (lwIP, as on firmware), all started together; each reports its read phase's
#             MiB/s (login done → last byte).  One more round with SHA-256 on (every byte
#             hashed) must give the image's hash in every client.
#   libiscsi  N `iscsi-perf -m 8 -b 512` (libiscsi, kernel sockets, a veth namespace),
#             each with its own initiator name, all started together and stopped after
#             STORM_SECS; each reports its average MiB/s.
# Aggregate = the sum of the clients' rates (their read phases overlap: all start
# together and read the same amount); per-client min / median / max; failures = clients
# that exited non-zero or gave no rate.  The image is read with cat before every round
# so tgtd serves it from the page cache.  RUNS rounds (default 1), medians per N.  The
# "Boot storm" section of docs/benchmarks.md is replaced.
# Env: STORM_NS, STORM_BYTES (LUN size, default 32 MiB), STORM_SECS (default 5), RUNS, WB,
# BENCH_DOC.  Goal (issue 14): wireboot's aggregate ≥ 0.8 of libiscsi's, min ≥ 0.5 of the
# median (no client starved), no failure.
set -u
. "$(dirname "$0")/../rig/rig.sh"
WB=${WB:-$RIG_TOP/build/host/wireboot}
NS_LIST=${STORM_NS:-1 4 16 32}
BYTES=${STORM_BYTES:-33554432}
SECS=${STORM_SECS:-5}
RUNS=${RUNS:-1}
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
IQN=iqn.2026-11.test:disk
[ -x "$WB" ] || rig_die "$WB not built (make build/host/wireboot)"
command -v iscsi-perf >/dev/null || rig_die "iscsi-perf missing: run scripts/deps.sh (libiscsi-bin)"
maxn=0
for n in $NS_LIST; do [ "$n" -gt "$maxn" ] && maxn=$n; done
[ "$maxn" -le 90 ] || rig_die "at most 90 clients (the DHCP range has 100 addresses)"

rig_init storm
rig_bridge
for k in $(seq 0 $((maxn - 1))); do rig_tap "tap$k"; done
rig_dnsmasq
rig_client perf 192.0.2.50/24
PERF_NS=$RIG_CLIENT
IMG=$RIG_DIR/disk.img
head -c "$BYTES" /dev/urandom >"$IMG"
want=$(sha256sum "$IMG" | cut -d' ' -f1)
rig_tgtd "$IQN" "$IMG" "" ""
echo "bench: LUN 1 = $BYTES bytes of random data, sha256 $want; clients: $NS_LIST"
results=$(mktemp)
trap 'rm -f "$results"; rig_cleanup' EXIT
ok=1
warm() { cat "$IMG" >/dev/null; }

# storm_wireboot N HASH ROUND — N preflights at once; one line per client into $results:
# "wireboot|wireboot-sha N ROUND rate ok"
storm_wireboot() {
	local n=$1 hash=$2 round=$3 k pids=() who=wireboot flag=--no-hash
	[ "$hash" = 1 ] && who=wireboot-sha flag=
	warm
	for k in $(seq 0 $((n - 1))); do
		timeout -k 5 600 ip netns exec "$RIG_NS" "$WB" preflight iscsi --no-disk --tap "tap$k" \
			--mac "$(printf '02:57:42:00:%02x:%02x' $((k / 256)) $((k % 256)))" \
			--initiator-iqn "iqn.2026-11.test:storm-c$k" --timeout 120 \
			"iscsi:192.0.2.1:::1:$IQN" --read-all $flag --depth 8 >"$RIG_DIR/c$k.out" 2>&1 &
		pids+=($!)
	done
	for k in $(seq 0 $((n - 1))); do
		local rc=0 rate sha good=1
		wait "${pids[$k]}" || rc=$?
		rate=$(sed -n 's/^rate: \([0-9.]*\) MiB\/s.*/\1/p' "$RIG_DIR/c$k.out" | tail -1)
		[ "$rc" = 0 ] && [ -n "$rate" ] || good=0
		if [ "$hash" = 1 ]; then
			sha=$(sed -n 's/^sha256 //p' "$RIG_DIR/c$k.out" | tail -1)
			[ "$sha" = "$want" ] || good=0
		fi
		if [ $good = 0 ]; then
			echo "bench: $who client $k of $n failed (exit $rc):"; tail -3 "$RIG_DIR/c$k.out"
			ok=0
		fi
		echo "$who $n $round ${rate:-0} $good" >>"$results"
	done
}

# storm_libiscsi N ROUND — N iscsi-perf at once for $SECS s
storm_libiscsi() {
	local n=$1 round=$2 k pids=()
	warm
	for k in $(seq 0 $((n - 1))); do
		timeout -s INT -k 5 "$SECS" ip netns exec "$PERF_NS" iscsi-perf -m 8 -b 512 \
			-i "iqn.2026-11.test:perf-c$k" "iscsi://192.0.2.1/$IQN/1" >"$RIG_DIR/p$k.out" 2>&1 &
		pids+=($!)
	done
	for k in $(seq 0 $((n - 1))); do
		local rate good=1
		wait "${pids[$k]}"
		rate=$(tr '\r' '\n' <"$RIG_DIR/p$k.out" | sed -n 's/.*iops average [0-9]* (\([0-9.]*\) MB\/s).*/\1/p' | tail -1)
		if [ -z "$rate" ]; then
			good=0 ok=0
			echo "bench: iscsi-perf client $k of $n gave no rate:"; tr '\r' '\n' <"$RIG_DIR/p$k.out" | tail -3
		fi
		echo "libiscsi $n $round ${rate:-0} $good" >>"$results"
	done
}

for r in $(seq "$RUNS"); do
	for n in $NS_LIST; do
		storm_wireboot "$n" 0 "$r"
		storm_libiscsi "$n" "$r"
		echo "bench: round $r, $n clients: $(awk -v n="$n" -v r="$r" '$2 == n && $3 == r { s[$1] += $4 } END { for (w in s) printf "%s %.1f MiB/s  ", w, s[w] }' "$results")"
	done
	storm_wireboot "$maxn" 1 "$r"
done
rig_cleanup

mkdir -p "$(dirname "$DOC")"
RIG_TOP="$RIG_TOP" python3 - "$results" "$BYTES" "$SECS" "$DOC" "$NS_LIST" <<'PY'
import os, statistics, sys
sys.path.insert(0, os.path.join(os.environ.get('RIG_TOP', '.'), 'tests', 'bench'))
import benchdoc
res, nbytes, secs, doc, ns = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], [int(x) for x in sys.argv[5].split()]
rows = {}   # (who, n) -> list of rounds, each a list of (rate, ok)
for l in open(res):
    who, n, rnd, rate, good = l.split()
    rows.setdefault((who, int(n)), {}).setdefault(rnd, []).append((float(rate), good == "1"))
def summary(who, n):
    rounds = rows.get((who, n), {})
    aggs = [sum(r for r, _ in c) for c in rounds.values()]
    rates = [r for c in rounds.values() for r, _ in c]
    fails = sum(1 for c in rounds.values() for _, g in c if not g)
    return (statistics.median(aggs) if aggs else 0.0, rates, fails, len(rounds))
lines, indiv, good = [], [], True
for n in ns:
    wa, wr, wf, nr = summary("wireboot", n)
    la, lr, lf, _ = summary("libiscsi", n)
    med = statistics.median(wr) if wr else 0.0
    lmed = statistics.median(lr) if lr else 0.0
    ratio = wa / la if la else 0.0
    starve = min(wr) / med if wr and med else 0.0
    lines.append(f"| {n} | {wa:.1f} | {min(wr) if wr else 0:.1f} / {med:.1f} / {max(wr) if wr else 0:.1f} | {wf} | "
                 f"{la:.1f} | {min(lr) if lr else 0:.1f} / {lmed:.1f} / {max(lr) if lr else 0:.1f} | {lf} | {ratio:.2f} | {starve:.2f} |")
    good = good and wf == 0 and lf == 0
sha = [g for (who, n), rs in rows.items() if who == "wireboot-sha" for c in rs.values() for _, g in c]
section = f"""## Boot storm (tests/bench/storm-bench.sh)

N clients read the same LUN ({nbytes} bytes of random data) of one tgtd at once, on a Linux
bridge in a network namespace, no CHAP.  **wireboot**: N hosted `wireboot preflight iscsi
--tap tapK --read-all --no-hash --depth 8`, each on its own TAP device (lwIP, as on
firmware) with its own MAC, DHCP lease and initiator name, all started together, each
reading the whole LUN once.  **libiscsi**: N `iscsi-perf -m 8 -b 512` (kernel sockets), each
with its own initiator name, all started together and stopped after {secs} s.  The machine
has 2 CPUs shared by tgtd and every client: the figures are what one small server gives a
fleet, not a network limit.  Overwritten by every `make bench`.

Method: each client's rate by its own clock over its read phase (wireboot: login done →
last byte; iscsi-perf: its running average); aggregate = sum of the clients' rates (the
read phases overlap: all start together); "starved" = slowest client / median client;
failures = clients that exited non-zero or gave no rate.  Median over {nr} round(s).  In
every round a further run of the largest N hashes every byte with SHA-256 in every client:
image's hash in all {len(sha)} client runs: {'yes' if sha and all(sha) else 'NO'}.  Goal
(issue 14): aggregate ≥ 0.8 of libiscsi's, slowest ≥ 0.5 of the median, no failure.

| clients | wireboot aggregate MiB/s | wireboot per client min / median / max | wireboot failures | libiscsi aggregate MiB/s | libiscsi per client min / median / max | libiscsi failures | aggregate wireboot / libiscsi | wireboot slowest / median |
|---|---|---|---|---|---|---|---|---|
""" + "\n".join(lines) + f"""

Run at {benchdoc.now()} on {benchdoc.machine()}.
"""
benchdoc.replace_section(doc, "Boot storm", section)
print(section)
sys.exit(0 if good and sha and all(sha) else 1)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a client failed or a SHA-256 did not match)"
exit 1
