#!/bin/bash
# mkmap.sh — `wireboot mkmap [--chunk-size BYTES] [-o FILE] IMAGE` (src/cli/mkmap.c): the
# .wbmap manifest of images of awkward sizes (1, 4095, 4096, 4097, 3*65536+17 bytes, a
# 40 MiB random file) and chunk sizes (4 KiB, 64 KiB default, 1M, 16 MiB), compared byte
# for byte with a manifest made here independently in Python (hashlib, the format of
# docs/dev/wbmap.md); the printed line (path, chunks, chunk size, and a SHA-256 that
# must equal sha256sum of the file); a read-only loop device as IMAGE; the write is
# atomic (an old manifest replaced whole, no temporary file left, a stale temporary
# file of someone else's untouched); errors: no IMAGE, bad --chunk-size, unknown option
# (exit 2 with the usage), a missing file or a directory (exit 2), an empty image, an
# unwritable output, an image too large for the chunk size (exit 1); SIGINT (exit 130,
# nothing left behind).
. "$(dirname "$0")/lib.sh"

[ -x "$WB" ] || { echo "FAIL: mkmap: $WB not built (make build/san/wireboot)"; exit 1; }
rig_init mkmap
D=$RIG_DIR

# the reference: the format as docs/dev/wbmap.md states it, not wireboot's code
ref() {   # ref IMAGE CHUNK OUT
	python3 - "$@" <<'PY'
import hashlib, struct, sys
img, chunk, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(img, 'rb').read()
hashes = b''.join(hashlib.sha256(data[i:i + chunk]).digest() for i in range(0, len(data), chunk))
open(out, 'wb').write(b'WBMAP1\n\0' + struct.pack('<IIQ', chunk, 1, len(data)) + hashes)
PY
}

# mk ID WANT_RC ARGS... — run mkmap; stdout/stderr apart in $D/ID.out/.err
mk() {
	local id=$1 want=$2; shift 2
	timeout -k 5 120 "$WB" mkmap "$@" >"$D/$id.out" 2>"$D/$id.err" </dev/null
	WB_RC=$?
	sed "s/^/    [$id out] /" "$D/$id.out" | head -3
	sed "s/^/    [$id err] /" "$D/$id.err" | head -3
	WB_LOG=$D/$id.err
	wb_check_sane "$id"
	rig_expect_eq "$id: exit $want" "$WB_RC" "$want"
}

# good ID IMAGE CHUNK OUT [ARGS...] — a manifest that must match the reference
good() {
	local id=$1 img=$2 chunk=$3 out=$4 size n sum; shift 4
	mk "$id" 0 "$@"
	size=$(stat -c %s "$img")
	n=$(( (size + chunk - 1) / chunk ))
	ref "$img" "$chunk" "$D/$id.ref"
	rig_check "$id: manifest byte for byte as computed with hashlib ($n chunks)" cmp "$out" "$D/$id.ref"
	rig_expect_eq "$id: size 24 + 32 x $n" "$(stat -c %s "$out")" $((24 + 32 * n))
	sum=$(sha256sum "$out" | cut -d' ' -f1)
	rig_check "$id: one result line: path, chunks, chunk size, sha256sum of the file" \
		grep -qx "wbmap: $out $n chunks of $chunk bytes sha256 $sum" "$D/$id.out"
	rig_expect_eq "$id: exactly one line on stdout" "$(wc -l <"$D/$id.out")" 1
	rig_check "$id: nothing on stderr" test ! -s "$D/$id.err"
	# (KEEP_TMP: a stale temporary file the test made itself)
	rig_check "$id: no temporary file left" \
		bash -c "! ls '$out'.tmp-* 2>/dev/null | grep -vxF '${KEEP_TMP:-none}' | grep -q ."
}

python3 - "$D" <<'PY'
import os, sys
d = sys.argv[1]
for n in (1, 4095, 4096, 4097, 3 * 65536 + 17):
    open(f'{d}/img{n}', 'wb').write(os.urandom(n))
PY
head -c $((40 << 20)) /dev/urandom >"$D/img40m"

for n in 1 4095 4096 4097 $((3 * 65536 + 17)); do
	good "s$n-4k" "$D/img$n" 4096 "$D/img$n.4k" --chunk-size 4096 -o "$D/img$n.4k" "$D/img$n"
	good "s$n-default" "$D/img$n" 65536 "$D/img$n.wbmap" "$D/img$n"
done
good big-default "$D/img40m" 65536 "$D/img40m.wbmap" "$D/img40m"
good big-1M "$D/img40m" 1048576 "$D/big1m" --chunk-size 1M -o "$D/big1m" "$D/img40m"
good big-16M "$D/img40m" 16777216 "$D/big16m" "$D/img40m" -o "$D/big16m" --chunk-size 16777216
good big-64K "$D/img40m" 65536 "$D/big64k" --chunk-size 64K "$D/img40m" -o "$D/big64k"

# a relative path: the default output sits beside the image, named as given
(cd "$D" && timeout -k 5 60 "$WB" mkmap img4097 >"$D/rel.out" 2>"$D/rel.err" </dev/null)
rig_expect_eq "relative IMAGE: exit 0" "$?" 0
rig_check "relative IMAGE: img4097.wbmap named as given" \
	grep -qx "wbmap: img4097.wbmap 1 chunks of 65536 bytes sha256 $(sha256sum "$D/img4097.wbmap" | cut -d' ' -f1)" "$D/rel.out"

# ---- atomic replacement: an old manifest (of another image) is replaced whole; a stale
# temporary file (someone else's, or a crashed run's) is left alone and another name used
cp "$D/img1.wbmap" "$D/atomic.wbmap"
echo "not ours" >"$D/atomic.wbmap.tmp-0"
KEEP_TMP=$D/atomic.wbmap.tmp-0 good atomic "$D/img4096" 65536 "$D/atomic.wbmap" -o "$D/atomic.wbmap" "$D/img4096"
rig_check "atomic: a stale FILE.tmp-0 is untouched" grep -qx "not ours" "$D/atomic.wbmap.tmp-0"
rm -f "$D/atomic.wbmap.tmp-0"

# ---- a read-only loop device as IMAGE: the same manifest as for its file
if [ -e /dev/loop-control ] && command -v losetup >/dev/null; then
	head -c $((1 << 20)) /dev/urandom >"$D/loop.img"
	head -c 12345 /dev/urandom >>"$D/loop.img"
	truncate -s $((2 << 20)) "$D/loop.img"   # loop devices are whole 512-byte sectors
	loop=$(losetup -f --show -r "$D/loop.img")
	RIG_CLEANUP_CMDS+=("losetup -d $loop")
	good loopdev "$D/loop.img" 65536 "$D/loop.wbmap" -o "$D/loop.wbmap" "$loop"
else
	rig_fail "mkmap of a loop device" "this kernel/system offers no loop devices"
fi

# ---- errors
uerr() {   # uerr ID WHAT-PATTERN ARGS...
	local id=$1 what=$2; shift 2
	mk "$id" 2 "$@"
	rig_check "$id: nothing on stdout" test ! -s "$D/$id.out"
	rig_check "$id: first line says what was wrong" grep -Eq "^wireboot mkmap: $what" <(head -1 "$D/$id.err")
	rig_check "$id: then the usage" grep -q '^usage: wireboot mkmap' <(sed -n 2p "$D/$id.err")
}
uerr none     'no IMAGE given'
uerr bogus    "unknown option '--bogus'"           --bogus "$D/img1"
uerr extra    "unexpected argument"                "$D/img1" "$D/img1"
uerr cs-val   '--chunk-size needs a value'         "$D/img1" --chunk-size
uerr o-val    '-o needs a value'                   "$D/img1" -o
for cs in 2048 5000 12288 32M 0 -1 64Q 99999999999999999999 ''; do
	uerr "cs-bad$cs" "bad --chunk-size '$cs'" --chunk-size "$cs" "$D/img1"
done
rig_check "bad chunk sizes: no manifest made" test ! -e "$D/img1.wbmap.tmp-0"

mk missing 2 "$D/nosuch"
rig_check "missing: says cannot open" grep -q "^wireboot mkmap: cannot open $D/nosuch: No such file or directory" "$D/missing.err"
rig_check "missing: nothing written" test ! -e "$D/nosuch.wbmap"
mk dir 2 -o "$D/dir.wbmap" "$D"
rig_check "directory: neither a disk image file nor a block device" grep -q "is neither a disk image file nor a block device" "$D/dir.err"
: >"$D/empty"
mk empty 1 "$D/empty"
rig_check "empty: says nothing to map" grep -q "^wireboot mkmap: $D/empty is empty: nothing to map" "$D/empty.err"
rig_check "empty: nothing written" test ! -e "$D/empty.wbmap"
mk nodir 1 -o "$D/nosuchdir/x.wbmap" "$D/img1"
rig_check "unwritable output: says it cannot create the file" grep -q "^wireboot mkmap: cannot create $D/nosuchdir/x.wbmap.tmp-N" "$D/nodir.err"
# an output that cannot be renamed over (a directory): exit 1, the temporary file removed
mkdir "$D/outdir"
mk outdir 1 -o "$D/outdir" "$D/img4096"
rig_check "output is a directory: says it cannot rename" grep -q "^wireboot mkmap: cannot rename $D/outdir.tmp-0 to $D/outdir" "$D/outdir.err"
rig_check "output is a directory: the temporary file removed" test ! -e "$D/outdir.tmp-0"
rig_check "output is a directory: left as it was" test -d "$D/outdir"

# an image too large for the chunk size (a sparse 64 GiB + 1 file: over 2^20 chunks of
# 64 KiB): exit 1 with the way out; with 128 KiB chunks it would fit (not read here)
truncate -s $(((64 << 30) + 1)) "$D/huge"
mk huge 1 "$D/huge"
rig_check "too large: says to use a larger --chunk-size" grep -q "use a larger --chunk-size" "$D/huge.err"
rig_check "too large: nothing written" bash -c "! ls '$D'/huge.wbmap* >/dev/null 2>&1"

# ---- SIGINT while reading (a sparse 60 GiB file takes minutes): exit 130 soon, and
# neither the manifest nor a temporary file is left
truncate -s 60G "$D/slow"
"$WB" mkmap "$D/slow" >"$D/sigint.out" 2>"$D/sigint.err" </dev/null &
pid=$!
(sleep 60; kill -KILL "$pid" 2>/dev/null) &
watchdog=$!
sleep 1.5
t0=$(date +%s)
kill -INT "$pid"
wait "$pid"
rc=$?
secs=$(($(date +%s) - t0))
kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
sed "s/^/    [sigint] /" "$D/sigint.err"
rig_expect_eq "SIGINT: exit 130" "$rc" 130
rig_check "SIGINT: within 5 s" test "$secs" -le 5
rig_check "SIGINT: says it was interrupted" grep -q "^wireboot mkmap: interrupted; $D/slow.wbmap not written" "$D/sigint.err"
rig_check "SIGINT: no manifest, no temporary file" bash -c "! ls '$D'/slow.wbmap* >/dev/null 2>&1"
rig_check "SIGINT: sanitizers clean" bash -c "! grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$D/sigint.err'"

rig_finish
