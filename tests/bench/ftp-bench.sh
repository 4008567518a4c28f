#!/bin/bash
# tests/bench/ftp-bench.sh — `make bench`: FTP download of a 64 MiB file from vsftpd
# (anonymous, passive mode) in the rig, three ways in the same run: wireboot over lwIP on
# a TAP device, wireboot over kernel sockets, and curl ftp:// (kernel sockets), median of
# RUNS each.  Every tool is timed the same way: one outer clock from process start to
# exit (file complete), for the 64 MiB file and for a 1-byte file; the table gives the
# whole-process rate and the marginal rate 64 MiB / (t_big - t_tiny), which takes out
# what does not depend on the file (process start, wireboot's DHCP on the TAP device,
# login).  Ratios against curl.  Replaces the "FTP download" section of docs/benchmarks.md.
set -u
cd "$(dirname "$0")/../.."
. tests/rig/rig.sh
WB=${WB:-$RIG_TOP/build/host/wireboot}
DOC=${BENCH_DOC:-$RIG_TOP/docs/benchmarks.md}
RUNS=${RUNS:-5}
BYTES=67108864
command -v curl >/dev/null || rig_die "curl is not installed (scripts/deps.sh)"
command -v vsftpd >/dev/null || rig_die "vsftpd is not installed (scripts/deps.sh)"

rig_init fbench
rig_bridge
rig_tap tap0
rig_dnsmasq
rig_client cl 192.0.2.50/24
pub=$RIG_DIR/pub
mkdir -p "$pub" "$RIG_DIR/empty"
chmod 755 "$pub" "$RIG_DIR/empty"
head -c $BYTES /dev/urandom >"$pub/big.bin"
head -c 1 /dev/urandom >"$pub/tiny.bin"
chmod 644 "$pub"/*.bin
cat >"$RIG_DIR/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=192.0.2.1
background=NO
anonymous_enable=YES
anon_root=$pub
no_anon_password=YES
local_enable=NO
write_enable=NO
pasv_enable=YES
pasv_min_port=40000
pasv_max_port=40100
secure_chroot_dir=$RIG_DIR/empty
seccomp_sandbox=NO
CONF
rig_bg vsftpd vsftpd "$RIG_DIR/vsftpd.conf"
rig_wait_listen tcp 21 10 || { cat "$RIG_DIR/vsftpd.out"; rig_die "vsftpd did not start"; }
want=$(sha256sum "$pub/big.bin" | cut -d' ' -f1)
results=$RIG_DIR/results
: >"$results"

# timed WHO FILE OUT CMD... — seconds from process start to exit; "WHO-FILE secs ok"
timed() {
	local who=$1 f=$2 o=$3 t0 t1 ok=1; shift 3
	rm -f "$o"
	t0=$(date +%s.%N)
	timeout -k 5 300 "$@" >"$RIG_DIR/$who.log" 2>&1 || ok=0
	t1=$(date +%s.%N)
	if [ "$f" = big ]; then
		[ "$(sha256sum "$o" 2>/dev/null | cut -d' ' -f1)" = "$want" ] || ok=0
	fi
	echo "$who-$f $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $ok" >>"$results"
}
for i in $(seq "$RUNS"); do
	for f in tiny big; do
		# --no-hash: the file is hashed afterwards, as curl's is
		timed wireboot-lwip $f "$RIG_DIR/o1" ip netns exec "$RIG_NS" "$WB" fetch --progress --no-hash --tap tap0 \
			"ftp://boot.test/$f.bin" -o "$RIG_DIR/o1"
		timed wireboot-sockets $f "$RIG_DIR/o2" ip netns exec "$RIG_CLIENT" "$WB" fetch --progress --no-hash \
			"ftp://192.0.2.1/$f.bin" -o "$RIG_DIR/o2"
		timed curl $f "$RIG_DIR/o3" ip netns exec "$RIG_CLIENT" curl -s -S -o "$RIG_DIR/o3" \
			"ftp://192.0.2.1/$f.bin"
	done
	tail -6 "$results" | sed 's/^/bench: /'
done
grep -q 'EPSV refused' "$RIG_DIR"/wireboot-*.log && rig_die "wireboot did not use EPSV with vsftpd"

mkdir -p "$(dirname "$DOC")"
RIG_TOP="$RIG_TOP" python3 - "$results" "$BYTES" "$DOC" <<'PY'
import os, statistics, sys
sys.path.insert(0, os.path.join(os.environ.get('RIG_TOP', '.'), 'tests', 'bench'))
import benchdoc
res, nbytes, doc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs, allok = {}, True
for l in open(res):
    who, v, ok = l.split()
    runs.setdefault(who, []).append(float(v))
    allok &= ok == "1"
mib = nbytes / 1048576
med = {k: statistics.median(v) for k, v in runs.items()}
whole = {w: mib / med[w + '-big'] for w in ('wireboot-lwip', 'wireboot-sockets', 'curl')}
marg = {w: mib / max(med[w + '-big'] - med[w + '-tiny'], 1e-3) for w in whole}
r = lambda d, k: d[k] / d['curl']
machine, date = benchdoc.machine(), benchdoc.now()
fmt = lambda k: " / ".join(f"{x:.2f}" for x in runs.get(k, []))
section = f"""## FTP download (tests/bench/ftp-bench.sh)

A {nbytes // 1048576} MiB file from vsftpd (anonymous, passive mode: EPSV) on a Linux bridge in a
network namespace: `wireboot fetch ftp://…` over lwIP on a TAP device, `wireboot fetch` over
kernel sockets, and `curl ftp://…` from a veth-attached namespace, in the same run. Every tool
is timed by the same outer clock, process start to exit (file complete); median of
{len(runs.get('curl-big', []))} runs. "Whole" is {nbytes // 1048576} MiB / t(64 MiB); "marginal" is
{nbytes // 1048576} MiB / (t(64 MiB) - t(1 byte)), which takes out what does not depend on the file
(process start, login, and wireboot's DHCP on the TAP device). The transfers take tenths of a
second, so single runs are noisy (a shared 2-CPU machine): read the medians. Every file is checked
with sha256sum afterwards (wireboot with `--no-hash`). Over lwIP the bound is lwIP's TCP receive
path on a TAP device, not FTP (compare the TCP receive and HTTPS sections: same ratio to the
kernel). Overwritten by every `make bench`.

| date | machine | wireboot lwIP MiB/s whole / marginal | wireboot sockets MiB/s whole / marginal | curl MiB/s whole / marginal | lwIP / curl (marginal) | sockets / curl (whole) | sockets / curl (marginal) | SHA-256 matched |
|---|---|---|---|---|---|---|---|---|
| {date} | {machine} | {whole['wireboot-lwip']:.1f} / {marg['wireboot-lwip']:.1f} | {whole['wireboot-sockets']:.1f} / {marg['wireboot-sockets']:.1f} | {whole['curl']:.1f} / {marg['curl']:.1f} | {r(marg, 'wireboot-lwip'):.2f} | {r(whole, 'wireboot-sockets'):.2f} | {r(marg, 'wireboot-sockets'):.2f} | {'yes' if allok else 'NO'} |

Individual runs (s): wireboot lwIP 64 MiB {fmt('wireboot-lwip-big')}, 1 byte {fmt('wireboot-lwip-tiny')};
wireboot sockets 64 MiB {fmt('wireboot-sockets-big')}, 1 byte {fmt('wireboot-sockets-tiny')};
curl 64 MiB {fmt('curl-big')}, 1 byte {fmt('curl-tiny')}.
"""
benchdoc.replace_section(doc, "FTP download", section)
print(section)
PY
rig_finish
