#!/bin/bash
# params.sh — `params`/`param` and URIs ending "##params[=NAME]" (ipxe.org/cmd/param):
# a script in the test namespace posts forms to tests/rig/httppeer.py, which prints
# each request it received (method, path, headers, body); the checks read what the
# peer actually got: a POST with an application/x-www-form-urlencoded body escaped
# as iPXE escapes a uristring, header parameters as headers, "##params" never sent,
# a list used once (a second use is a plain GET), a header-only list is a GET, and
# `chain` posts too.
set -u
. "$(dirname "$0")/lib.sh"
wb_rig params
rig_bg httppeer python3 "$RIG_TOP/tests/rig/httppeer.py" --bind 192.0.2.1 --port 8080
rig_wait_file "$RIG_DIR/httppeer.out" '^listening' 10 || rig_die "httppeer did not start"
peer="$RIG_DIR/httppeer.out"

wb_run params 90 <<'EOF'
#!ipxe
dhcp
echo MAC=${net0/mac}
params
param mac ${net0/mac}
param text a b&c=d/e+f~g*h%
param empty
param --header X-Asset tag 42
imgfetch --name f1 http://192.0.2.1:8080/form1?q=1##params
params --name inv
param --params inv serial ABC 123
imgfetch --name f2 http://192.0.2.1:8080/form2##params=inv
imgfetch --name f3 http://192.0.2.1:8080/form3##params=inv
param --params inv late || echo CLAIMED
params --name h
param --params h --header X-Only yes
imgfetch --name f4 http://192.0.2.1:8080/form4##params=h
params
param last 1
chain http://192.0.2.1:8080/form5##params
EOF
if [ "$WB_RC" = 0 ]; then rig_pass "script ran to the end"; else rig_fail "script ran to the end" "exit $WB_RC"; fi
mac=$(wb_mac)
sed 's/^/    [peer] /' "$peer"

# req PATH — the peer's record of the request for PATH (REQ line to END)
req() { awk -v p="$1" '$1 == "REQ" { on = ($3 == p) } on { print } $1 == "END" { on = 0 }' "$peer"; }
has() { # has PATH REGEX DESCRIPTION
	if req "$1" | grep -Eq -- "$2"; then rig_pass "$3"; else rig_fail "$3" "no line matching $2 for $1"; fi
}
hasnt() {
	if req "$1" | grep -Eq -- "$2"; then rig_fail "$3" "a line matches $2 for $1"; else rig_pass "$3"; fi
}
macenc=$(echo "$mac" | sed 's/:/%3A/g')
has /form1?q=1 '^REQ POST /form1\?q=1$' "form1: POST, query kept, ##params not sent"
has /form1?q=1 '^HDR Content-Type: application/x-www-form-urlencoded$' "form1: form content type"
has /form1?q=1 "^BODY b'mac=$macenc&text=a%20b%26c%3Dd%2Fe%2Bf~g\\*h%25&empty='\$" \
	"form1: body is the form, escaped as iPXE does"
has /form1?q=1 '^HDR Content-Length: ' "form1: Content-Length sent"
has /form1?q=1 '^HDR X-Asset: tag 42$' "form1: header parameter sent as a header"
hasnt /form1?q=1 '^BODY .*X-Asset' "form1: header parameter not in the body"
has /form2 "^BODY b'serial=ABC%20123'\$" "form2: named list (##params=inv) posted"
has /form3 '^REQ GET /form3$' "form3: the list was used once: a plain GET"
has /form3 "^BODY b''\$" "form3: no body"
if grep -q '^CLAIMED' "$WB_LOG"; then rig_pass "param on a used list fails (as iPXE)"; else rig_fail "param on a used list fails (as iPXE)"; fi
has /form4 '^REQ GET /form4$' "form4: header-only list is a GET"
has /form4 '^HDR X-Only: yes$' "form4: its header sent"
has /form5 '^REQ POST /form5$' "form5: chain posts too"
has /form5 "^BODY b'last=1'\$" "form5: chain's body"
if grep -q '^FORM-OK POST' "$WB_LOG"; then rig_pass "chain ran the script the POST returned"; else rig_fail "chain ran the script the POST returned"; fi
rig_finish
