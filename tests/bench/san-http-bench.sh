#!/bin/bash
# tests/bench/san-http-bench.sh — `make bench`: read throughput of the HTTP(S) range
# block device (san/san_http.c) of the hosted wireboot (`wireboot preflight http
# --read-all --no-hash`, kernel sockets, build/host/wireboot) against curl reading the
# same image from the same nginx over TLS (ECDSA P-256, test PKI made now), in a netns.
#
# Three readers, each timed by one outside clock (date +%s.%N here) from process start
# to exit, so connect, TLS handshake and wireboot's size probe are in every figure:
#   wireboot        preflight http --read-all --no-hash (defaults: 2 connections, 4 range
#                   requests of 256 KiB in flight), every answer checked (206, exact
#                   Content-Range, ETag), the bytes dropped
#   curl ranges     the same 256 KiB ranges, one at a time over one kept-alive connection
#                   (one curl, a config of url/range/output entries joined by `next`) —
#                   what a reader without pipelining does
#   curl whole      one GET of the whole file to /dev/null: the server's and TLS's ceiling
# A separate wireboot run per round hashes every byte and must give the image's SHA-256.
# RUNS rounds (default 3), medians; replaces the "HTTP SAN read" section of
# docs/benchmarks.md.  Env: BENCH_SANHTTP_BYTES (default 256 MiB), RUNS, WB, BENCH_DOC.
set -u
cd "$(dirname "$0")/../.."
. tests/rig/rig.sh
WB=${WB:-$RIG_TOP/build/host/wireboot}
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
RUNS=${RUNS:-3}
BYTES=${BENCH_SANHTTP_BYTES:-268435456}
REQ=262144
[ -x "$WB" ] || rig_die "$WB not built (make build/host/wireboot)"
command -v curl >/dev/null || rig_die "curl is not installed (scripts/deps.sh)"

rig_init shbench
rig_bridge
P=$RIG_DIR/pki
bash tests/rig/pki.sh "$P" >"$RIG_DIR/pki.log" 2>&1 || { cat "$RIG_DIR/pki.log"; rig_die "pki.sh failed"; }
rig_nginx_tls web "443|$P/good-ec.chain.pem|$P/good-ec.key|keepalive_requests 100000;"
IMG=$RIG_DIR/web-www/disk.img
head -c "$BYTES" /dev/urandom >"$IMG"
want=$(sha256sum "$IMG" | cut -d' ' -f1)
URL=https://192.0.2.1/disk.img
# curl's config: the same ranges wireboot asks, in order
cfg=$RIG_DIR/curl-ranges.cfg
: >"$cfg"
for ((a = 0; a < BYTES; a += REQ)); do
	b=$((a + REQ - 1))
	[ $b -ge "$BYTES" ] && b=$((BYTES - 1))
	[ $a -gt 0 ] && echo next >>"$cfg"
	printf 'url = "%s"\nrange = "%d-%d"\noutput = "/dev/null"\ncacert = "%s"\nfail\n' "$URL" "$a" "$b" "$P/root.pem" >>"$cfg"
done
results=$RIG_DIR/results
: >"$results"
wall_rate() { awk -v a="$1" -v b="$2" -v n="$BYTES" 'BEGIN { printf "%.1f", (b > a) ? n / 1048576 / (b - a) : 0 }'; }
warm() { cat "$IMG" >/dev/null; }
ok=1
for i in $(seq "$RUNS"); do
	warm
	out=$(timeout -k 5 300 ip netns exec "$RIG_NS" "$WB" preflight http --no-disk --read-all --trust "$P/root.pem" "$URL" 2>&1)
	rc=$?
	sha=$(echo "$out" | sed -n 's/^sha256 //p' | tail -1)
	echo "bench: wireboot (SHA-256) run $i (exit $rc): sha256 ${sha:-none}"
	if [ "$rc" = 0 ] && [ "$sha" = "$want" ]; then echo "sha-ok 1" >>"$results"
	else echo "$out" | tail -5; echo "sha-ok 0" >>"$results"; ok=0; fi

	warm
	t0=$(date +%s.%N)
	out=$(timeout -k 5 300 ip netns exec "$RIG_NS" "$WB" preflight http --no-disk --read-all --no-hash ${BENCH_SANHTTP_ARGS:-} \
		--trust "$P/root.pem" "$URL" 2>&1)
	rc=$?
	t1=$(date +%s.%N)
	r=$(wall_rate "$t0" "$t1")
	echo "bench: wireboot run $i (exit $rc): $r MiB/s ($(echo "$out" | grep '^rate:'))"
	if [ "$rc" = 0 ]; then echo "wireboot $r" >>"$results"; else echo "$out" | tail -5; echo "wireboot 0" >>"$results"; ok=0; fi

	warm
	t0=$(date +%s.%N)
	timeout -k 5 300 ip netns exec "$RIG_NS" curl -sS -K "$cfg" 2>"$RIG_DIR/curl.err"
	rc=$?
	t1=$(date +%s.%N)
	r=$(wall_rate "$t0" "$t1")
	echo "bench: curl ranges run $i (exit $rc): $r MiB/s"
	if [ "$rc" = 0 ]; then echo "curl-ranges $r" >>"$results"; else tail -3 "$RIG_DIR/curl.err"; echo "curl-ranges 0" >>"$results"; ok=0; fi

	warm
	t0=$(date +%s.%N)
	timeout -k 5 300 ip netns exec "$RIG_NS" curl -sS --fail --cacert "$P/root.pem" -o /dev/null "$URL" 2>"$RIG_DIR/curl.err"
	rc=$?
	t1=$(date +%s.%N)
	r=$(wall_rate "$t0" "$t1")
	echo "bench: curl whole run $i (exit $rc): $r MiB/s"
	if [ "$rc" = 0 ]; then echo "curl-whole $r" >>"$results"; else tail -3 "$RIG_DIR/curl.err"; echo "curl-whole 0" >>"$results"; ok=0; fi
done

mkdir -p "$(dirname "$DOC")"
RIG_TOP="$RIG_TOP" python3 - "$results" "$BYTES" "$DOC" <<'PY'
import os, statistics, sys
sys.path.insert(0, os.path.join(os.environ.get('RIG_TOP', '.'), 'tests', 'bench'))
import benchdoc
res, nbytes, doc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs = {"wireboot": [], "curl-ranges": [], "curl-whole": [], "sha-ok": []}
for l in open(res):
    who, v = l.split()
    runs[who].append(float(v))
med = {k: statistics.median(v) if v else 0.0 for k, v in runs.items()}
ratio = lambda a, b: med[a] / med[b] if med[b] else 0.0
good = all(x > 0 for v in runs.values() for x in v)
fmt = lambda v: " / ".join(f"{x:.1f}" for x in v)
section = f"""## HTTP SAN read (tests/bench/san-http-bench.sh)

Hosted `build/host/wireboot preflight http --read-all --no-hash` (kernel sockets; the
HTTP(S) range block device with its defaults: 2 connections, 4 range requests of 256 KiB
in flight, every answer checked for 206, the exact Content-Range and the ETag) against
curl on the same image ({nbytes} bytes of random data) from the same nginx over TLS
(ECDSA P-256), in a network namespace: **curl ranges** asks the same 256 KiB ranges one
at a time over one kept-alive connection (what a reader without pipelining does);
**curl whole** is one GET of the file (the ceiling of nginx and TLS here).

Method: one outside clock per run, process start to exit (connect, handshake and
wireboot's size probe included), the bytes dropped by every reader, the image read with
cat before each run; one more wireboot run per round hashes every byte and must give the
image's SHA-256.  Median of {len(runs['wireboot'])} rounds.  Overwritten by every `make bench`.

| date | machine | image bytes | wireboot MiB/s | curl ranges MiB/s | curl whole MiB/s | wireboot / curl ranges | wireboot / curl whole | sha256 matched |
|---|---|---|---|---|---|---|---|---|
| {benchdoc.now()} | {benchdoc.machine()} | {nbytes} | {med['wireboot']:.1f} | {med['curl-ranges']:.1f} | {med['curl-whole']:.1f} | {ratio('wireboot', 'curl-ranges'):.2f} | {ratio('wireboot', 'curl-whole'):.2f} | {'yes' if all(runs['sha-ok']) else 'NO'} |

Individual runs (MiB/s): wireboot {fmt(runs['wireboot'])}; curl ranges {fmt(runs['curl-ranges'])}; curl whole {fmt(runs['curl-whole'])}.
"""
benchdoc.replace_section(doc, "HTTP SAN read", section)
print(section)
sys.exit(0 if good else 1)
PY
rc=$?
[ "$ok" = 1 ] && [ "$rc" = 0 ] && echo "bench: ok" && exit 0
echo "bench: FAILED (a run failed or the SHA-256 did not match)"
exit 1
