#!/bin/bash
# image-lifetime.sh — a chained script that frees or replaces its own image keeps its
# base URI (issue 11 item 1: ctx->script_uri borrowed the image's URI, so `imgfree` in a
# chained script, or fetching an image of the script's own name, left relative fetches
# and the caller's restored base pointing at freed memory; ASan in wb_check_sane catches
# a regression).  Same scripts over http: (nginx, lwIP on the TAP device) and file:.
#
#   a/outer.ipxe      chain sub/inner.ipxe, then imgfetch after-inner.txt (its own base)
#   a/sub/inner.ipxe  imgfree (itself and outer), chain next.ipxe, imgfetch inner.ipxe
#                     (its own name), imgfetch after-self.txt
#   a/sub/next.ipxe   imgfetch from-next.txt
# Each data file exists only at the URI a correct resolution gives, so a wrong base is a
# 404 / missing file and stops the script before its last echo.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig image-lifetime
www="$RIG_DIR/www"
mkdir -p "$www/a/sub"
cat >"$www/a/outer.ipxe" <<'S'
#!ipxe
echo outer: start
chain sub/inner.ipxe || goto failed
imgfetch after-inner.txt || goto failed
imgstat
echo outer: done
exit 0
:failed
echo outer: failed
exit 1
S
cat >"$www/a/sub/inner.ipxe" <<'S'
#!ipxe
imgfree
chain next.ipxe
imgfetch inner.ipxe
imgfetch after-self.txt
echo inner: done
S
printf '#!ipxe\nimgfetch from-next.txt\necho next: done\n' >"$www/a/sub/next.ipxe"
for f in a/sub/from-next.txt a/sub/after-self.txt a/after-inner.txt; do echo "$f" >"$www/$f"; done
rig_nginx "$www"

wb_run lifetime-http 120 <<'SCRIPT'
#!ipxe
dhcp
chain http://192.0.2.1/a/outer.ipxe
SCRIPT
wb_expect_ok "http: chained script that frees and refetches its own image runs to its end"
for m in 'next: done' 'inner: done' 'outer: done'; do
	wb_expect_out "http: $m" "^$m\$"
done
wb_expect_out "http: the caller's base restored (after-inner.txt fetched)" 'after-inner\.txt'
for f in /a/outer.ipxe /a/sub/inner.ipxe /a/sub/next.ipxe /a/sub/from-next.txt /a/sub/after-self.txt /a/after-inner.txt; do
	rig_check "http: nginx served $f" grep -q "status=200 $f\$" "$RIG_DIR/nginx-access.log"
done

wb_run lifetime-file 60 <<SCRIPT
#!ipxe
chain file://$www/a/outer.ipxe
SCRIPT
wb_expect_ok "file: chained script that frees and refetches its own image runs to its end"
for m in 'next: done' 'inner: done' 'outer: done'; do
	wb_expect_out "file: $m" "^$m\$"
done
rig_finish
