#!/bin/bash
# imgextract.sh — compressed images (issue 12): `imgextract` and the automatic inflation
# of a gzip or zlib image at `chain`/`boot`/`imgexec`, on the hosted build (ASan+UBSan;
# LeakSanitizer at exit shows every buffer of a failed extraction was freed).
#
# The images are made here with Python's gzip/zlib modules (the system's zlib, not the one
# wireboot builds): scripts and a fake EFI application ("MZ"...: the hosted build cannot
# start one, so `boot` of it ends in "not supported" — after the inflation, which is what
# is checked: the note and `imgstat`).  Good gzip and zlib over HTTP (nginx, lwIP on the
# TAP device) and file:; every bad case (truncated, bad CRC-32, bad ISIZE, bad Adler-32,
# reserved header flags, FHCRC, FDICT, two members, corrupt deflate data, not compressed);
# decompression bombs against a lowered `imgextract-max` and against the default 256 MiB,
# each refused within a bounded time.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig imgextract
www="$RIG_DIR/www"
mkdir -p "$www"
python3 - "$www" <<'PY'
import gzip, os, struct, sys, zlib
d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)
def gz(data, flg=0, extra=b''):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = c.compress(data) + c.flush()
    return bytes([0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 2, 3]) + extra + raw + struct.pack('<II', zlib.crc32(data), len(data) & 0xffffffff)
script = b'#!ipxe\necho gz-script-ran x=${x}\n'
efi = b'MZ' + bytes(range(256)) * 64 + b'end'          # 16389 bytes
w('s.ipxe.gz', gzip.compress(script, mtime=0))
w('s.ipxe.z', zlib.compress(script, 9))
w('app.efi.gz', gzip.compress(efi, mtime=0))
w('app.efi.zlib', zlib.compress(efi, 9))
w('data.txt.gz', gzip.compress(b'just text\n', mtime=0))
w('plain.txt', b'not compressed\n')
good = gz(efi)
w('trunc.efi.gz', good[:len(good) // 2])
w('badcrc.efi.gz', good[:-8] + struct.pack('<I', zlib.crc32(efi) ^ 1) + good[-4:])
w('badsize.efi.gz', good[:-4] + struct.pack('<I', len(efi) + 1))
w('smallsize.efi.gz', good[:-4] + struct.pack('<I', len(efi) - 1))   # output larger than ISIZE
z = zlib.compress(efi, 9)
w('badadler.efi.zlib', z[:-1] + bytes([z[-1] ^ 1]))
w('reserved.efi.gz', good[:3] + bytes([0x20]) + good[4:])
hdr = bytes([0x1f, 0x8b, 8, 0x02, 0, 0, 0, 0, 2, 3])
w('fhcrc.efi.gz', hdr + struct.pack('<H', (zlib.crc32(hdr) & 0xffff) ^ 1) + good[10:])
w('fdict.efi.zlib', b'\x78\xbb' + b'\0\0\0\1' + z[2:])
w('twomembers.efi.gz', good + good)
w('corrupt.efi.gz', good[:10] + bytes([0xff]) * 16 + good[26:])
# bombs: zeros, far past the cap
w('bomb.zlib', zlib.compress(bytes(64 << 20), 9))                 # 64 MiB
w('bomb.efi.gz', gzip.compress(b'MZ' + bytes(300 << 20), mtime=0))  # 300 MiB, ISIZE true
for n in ('bomb.zlib', 'bomb.efi.gz'):
    print(f"    {n}: {os.path.getsize(os.path.join(d, n))} bytes")
PY
rig_nginx "$www"

# ---- good images over HTTP: automatic at chain/boot, and imgextract
wb_run http 120 <<'SCRIPT'
#!ipxe
dhcp
set x 42
chain http://192.0.2.1/s.ipxe.gz
chain http://192.0.2.1/s.ipxe.z
imgextract http://192.0.2.1/app.efi.gz
imgextract --name z.efi http://192.0.2.1/app.efi.zlib
imgfetch http://192.0.2.1/data.txt.gz
imgextract data.txt.gz
imgstat
echo http: done
SCRIPT
wb_expect_ok "http: gzip and zlib images inflated and run"
wb_expect_out "http: the gzip'd script ran" '^gz-script-ran x=42$'
rig_check "http: the zlib'd script ran too" [ "$(grep -c '^gz-script-ran x=42$' "$WB_LOG")" = 2 ]
wb_expect_out "http: automatic inflation says so in one line" '^s\.ipxe\.gz: gzip image inflated, 5[0-9] bytes -> 33 bytes$'
wb_expect_out "http: zlib too" '^s\.ipxe\.z: zlib image inflated, [0-9]+ bytes -> 33 bytes$'
wb_expect_out "http: imgextract of a URI names the image without .gz" '^app\.efi\.gz: gzip image inflated into app\.efi, [0-9.]+ (bytes|KiB) -> 16\.0 KiB$'
wb_expect_out "http: imgextract --name" '^app\.efi\.zlib: zlib image inflated into z\.efi, '
wb_expect_out "http: extracted EFI image in the store" '^app\.efi : 16389 bytes \[EFI\]$'
wb_expect_out "http: extracted zlib EFI image in the store" '^z\.efi : 16389 bytes \[EFI\]$'
wb_expect_out "http: imgextract of a stored image (data) gives data.txt" '^data\.txt : 10 bytes \[data\]$'
rig_check "http: the compressed originals are discarded" bash -c "! grep -Eq '^(app\\.efi\\.gz|app\\.efi\\.zlib|data\\.txt\\.gz) :' '$WB_LOG'"
for f in s.ipxe.gz s.ipxe.z app.efi.gz app.efi.zlib data.txt.gz; do
	rig_check "http: nginx served /$f" grep -q "status=200 /$f\$" "$RIG_DIR/nginx-access.log"
done

# ---- file:, kernel/boot of a gzip'd EFI application, --keep, status of the store
wb_run file 60 <<SCRIPT
#!ipxe
kernel file:$www/app.efi.gz console=ttyAMA0
imgstat
boot || echo boot-failed-after-inflate
imgstat
imgfetch file:$www/app.efi.zlib
imgextract --keep --name kept.efi app.efi.zlib
imgextract --keep --name app.efi.zlib app.efi.zlib || echo keep-same-name-refused
imgfetch file:$www/plain.txt
imgextract plain.txt || echo plain-refused
imgexec data.txt.gz || echo never
imgfetch file:$www/data.txt.gz
imgexec data.txt.gz || echo data-refused
imgstat
SCRIPT
wb_expect_ok "file: script ran to its end"
wb_expect_out "file: kernel of a .gz: stored compressed" '^app\.efi\.gz : [0-9]+ bytes \[gzip\] \[SELECTED\] "console=ttyAMA0"$'
wb_expect_out "file: boot inflates it first" '^app\.efi\.gz: gzip image inflated, [0-9.]+ (bytes|KiB) -> 16\.0 KiB$'
wb_expect_out "file: then starts it as an EFI application (not on Linux)" 'boot: not supported'
wb_expect_out "file: the image is now the EFI application, name and command line kept" '^app\.efi\.gz : 16389 bytes \[EFI\] \[SELECTED\] "console=ttyAMA0"$'
wb_expect_out "file: imgextract --keep keeps the original" '^app\.efi\.zlib : [0-9]+ bytes \[zlib\]$'
wb_expect_out "file: and adds the extracted one" '^kept\.efi : 16389 bytes \[EFI\]$'
wb_expect_out "file: --keep with the same name refused" 'imgextract: already exists \(app\.efi\.zlib: --keep needs another name'
wb_expect_out "file: imgextract of a plain file refused" 'imgextract: image is not gzip or zlib compressed \(nothing to extract\) \(plain\.txt: 15 bytes \[data\]\)'
wb_expect_out "file: gzip'd data is inflated but not run" 'imgexec: image: not an EFI application or iPXE script the firmware can run \(data\.txt\.gz: gzip image whose 10 inflated bytes are neither #!ipxe nor MZ\)'
wb_expect_out "file: and stays as it was" '^data\.txt\.gz : [0-9]+ bytes \[gzip\]$'

# ---- each bad image fails with its own message, at boot and at imgextract
bad() { # NAME FILE PATTERN
	wb_run "bad-$1" 60 <<SCRIPT
#!ipxe
chain file:$www/$2 || echo chain-failed
imgstat
imgextract --name x file:$www/$2 || echo extract-failed
imgstat
echo end
SCRIPT
	wb_expect_ok "$1: the script goes on (|| catches it)"
	wb_expect_out "$1: chain fails: $3" "chain: $3"
	wb_expect_out "$1: imgextract fails the same way" "imgextract: $3"
	rig_check "$1: the image chain fetched stays, compressed" grep -Eq "^$2 : [0-9]+ bytes \[(gzip|zlib)\]\$" "$WB_LOG"
	# imgextract's fetch replaced chain's image of the same name; failing, it freed it
	rig_check "$1: imgextract's fetched image is gone, nothing extracted" \
		bash -c "[ \$(grep -Ec '^$2 : ' '$WB_LOG') = 1 ] && ! grep -q '^x : ' '$WB_LOG'"
}
bad truncated trunc.efi.gz 'inflate: compressed image truncated \(it ends before its stream does; incomplete download\?\) \(trunc\.efi\.gz\)'
bad crc badcrc.efi.gz 'gzip: CRC-32 of the inflated data does not match the trailer \(corrupt image\) \(badcrc\.efi\.gz\)'
bad isize badsize.efi.gz 'gzip: inflated size differs from the size in the trailer \(ISIZE; corrupt image\) \(badsize\.efi\.gz\)'
bad isize-small smallsize.efi.gz 'gzip: inflated size differs from the size in the trailer \(ISIZE; corrupt image\) \(smallsize\.efi\.gz\)'
bad adler badadler.efi.zlib 'zlib: Adler-32 of the inflated data does not match the trailer \(corrupt image\) \(badadler\.efi\.zlib\)'
bad reserved reserved.efi.gz 'gzip: reserved header flag bits set'
bad fhcrc fhcrc.efi.gz 'gzip: header checksum \(FHCRC\) does not match'
bad fdict fdict.efi.zlib 'zlib: the stream needs a preset dictionary \(FDICT\): not supported'
bad twomembers twomembers.efi.gz 'inflate: bytes between the end of the compressed stream and the trailer'
bad corrupt corrupt.efi.gz 'inflate: corrupt compressed data \(.*\) \(corrupt\.efi\.gz: [a-z ]+\)'

# ---- bombs: refused with their own error, within a bounded time, leaking nothing
wb_run bomb-cap 60 <<SCRIPT
#!ipxe
set imgextract-max 1048576
imgextract file:$www/bomb.zlib || echo bomb-refused
set imgextract-max 1x
imgfetch file:$www/s.ipxe.gz
imgexec s.ipxe.gz || echo bad-max-refused
SCRIPT
wb_expect_ok "bomb (zlib, 64 MiB, cap 1 MiB): the script goes on"
wb_expect_out "bomb (zlib): refused as over the cap" 'imgextract: inflate: output larger than imgextract-max .* \(bomb\.zlib: imgextract-max is 1048576 bytes\)'
wb_expect_out "bomb (zlib): the script saw the failure" '^bomb-refused$'
wb_expect_out "a bad imgextract-max is refused" 'imgexec: invalid value for setting type \(imgextract-max "1x": want a size in bytes, 1 or more\)'
rig_check "bomb (zlib): refused within 10 s" [ "$WB_SECS" -le 10 ]

wb_run bomb-default 120 <<SCRIPT
#!ipxe
kernel file:$www/bomb.efi.gz
boot || echo bomb-refused
imgstat
SCRIPT
wb_expect_ok "bomb (gzip, 300 MiB, default cap): the script goes on"
wb_expect_out "bomb (gzip): refused at the default 256 MiB" 'boot: inflate: output larger than imgextract-max .* \(bomb\.efi\.gz: imgextract-max is 268435456 bytes\)'
wb_expect_out "bomb (gzip): the compressed image is kept as it was" '^bomb\.efi\.gz : [0-9]+ bytes \[gzip\] \[SELECTED\]$'
rig_check "bomb (gzip): refused within 60 s (${WB_SECS}s)" [ "$WB_SECS" -le 60 ]
# the memory it took: the non-sanitizer build's peak RSS (ru_maxrss of the child, KiB)
# while refusing the 300 MiB bomb must stay far below the 256 MiB cap (the output is
# never allocated: pass 1 inflates into a 32 KiB window)
printf '#!ipxe\nkernel file:%s/bomb.efi.gz\nboot || echo bomb-refused\n' "$www" >"$RIG_DIR/bomb-rss.ipxe"
rss=$(python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=120)
ok = b"bomb-refused" in r.stdout and b"imgextract-max is 268435456 bytes" in r.stdout
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if ok else "not-refused")' \
	"$RIG_TOP/build/host/wireboot" run "$RIG_DIR/bomb-rss.ipxe")
echo "    bomb (gzip): build/host/wireboot peak RSS ${rss} KiB"
rig_check "bomb (gzip): refused by build/host/wireboot with a peak RSS under 32 MiB (${rss} KiB)" \
	bash -c "[ '$rss' != not-refused ] && [ '$rss' -lt 32768 ]"
rig_finish
