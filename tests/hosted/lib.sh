# tests/hosted/lib.sh — helpers for the hosted integration tests (sourced, not a test).
#
#   . "$(dirname "$0")/lib.sh"        # also sources tests/rig/rig.sh
#   wb_rig NAME [nodhcp]              # netns + br0 + tap0 (+ dnsmasq, chronyd)
#   wb_run ID TIMEOUT <<'EOF'         # run an iPXE script with `wireboot run --tap tap0`
#   #!ipxe
#   dhcp
#   echo IP=${net0/ip}
#   EOF
#   wb_val IP                         # value printed as "IP=..." by the last run
#
# After each run: WB_RC (exit status; 124 = killed by timeout), WB_SECS (elapsed, whole
# seconds), WB_LOG (file with stdout+stderr).  Every run also checks, as its own
# PASS/FAIL line, that the sanitizers reported nothing and the process did not hang.

. "$(dirname "${BASH_SOURCE[0]}")/../rig/rig.sh"

WB=${WB:-$RIG_TOP/build/san/wireboot}
WB_TAP=tap0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# wb_rig NAME [nodhcp] — the usual rig for a hosted test.
wb_rig() {
	if [ ! -x "$WB" ]; then
		echo "FAIL: $1: $WB not built (make build/san/wireboot)"
		exit 1
	fi
	rig_init "$1"
	rig_bridge
	rig_tap "$WB_TAP"
	if [ "${2:-}" != nodhcp ]; then
		rig_dnsmasq
		rig_ntp
	fi
}

# wb_iscsi_names [IQN] — the iSCSI tests' target (default iqn.2026-11.test:disk), its
# root path ROOT, and the CHAP accounts the target is set up with: USER_/SECRET (the
# initiator's) and MUSER/MSECRET (the target's, for mutual CHAP).
wb_iscsi_names() {
	IQN=${1:-iqn.2026-11.test:disk}
	ROOT="iscsi:192.0.2.1:::1:$IQN"
	USER_=wbinit SECRET=initsecret-0123
	MUSER=wbtarget MSECRET=targetsecret-4567
}

# wb_exec ID TIMEOUT CMD... — CMD in the namespace (stdin as the caller gives it), bounded
# by TIMEOUT seconds: sets WB_LOG (its output), WB_RC, WB_SECS; prints the output and
# checks it with wb_check_sane.  wb_run, wb_shell and wb_preflight use it.
wb_exec() {
	local id=$1 t=$2 t0; shift 2
	WB_LOG="$RIG_DIR/$id.log"
	t0=$(date +%s)
	timeout -k 5 "$t" ip netns exec "$RIG_NS" "$@" >"$WB_LOG" 2>&1
	WB_RC=$?
	WB_SECS=$(($(date +%s) - t0))
	sed "s/^/    [$id] /" "$WB_LOG"
	echo "    [$id] exit $WB_RC after ${WB_SECS}s"
	wb_check_sane "$id"
	wb_check_no_secret "$id" "$@"
	return 0
}

# wb_run ID TIMEOUT [extra wireboot args] — script text on stdin.
wb_run() {
	local id=$1 t=$2; shift 2
	cat >"$RIG_DIR/$id.ipxe"
	wb_exec "$id" "$t" "$WB" run --tap "$WB_TAP" "$@" "$RIG_DIR/$id.ipxe" </dev/null
}

# wb_shell ID TIMEOUT — interactive shell, its input read from this function's stdin
# (saved to a file first; call as `wb_shell id 60 <<EOF`, not in a pipeline, so that
# WB_RC etc. are set in the caller's shell).
wb_shell() {
	cat >"$RIG_DIR/$1.in"
	wb_exec "$1" "$2" "$WB" shell --tap "$WB_TAP" <"$RIG_DIR/$1.in"
}

# wb_check_sane ID — no sanitizer report, no crash signal, no hang.
wb_check_sane() {
	local id=$1
	if grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$WB_LOG"; then
		rig_fail "$id: sanitizers clean" "see output above"
	elif [ "$WB_RC" = 124 ] || [ "$WB_RC" = 137 ]; then
		rig_fail "$id: finished in time" "killed by timeout"
	elif [ "$WB_RC" -gt 128 ] && ! [ "$WB_RC" = 130 -a -n "${WB_SIGINT_EXPECTED:-}" ]; then
		# (130: the CLI's exit status after a SIGINT it handled, when the test sent one
		# and sets WB_SIGINT_EXPECTED; its other checks tell an orderly end from a death)
		rig_fail "$id: no crash" "exit $WB_RC (signal $((WB_RC - 128)))"
	else
		rig_pass "$id: ran cleanly"
	fi
}

# wb_val KEY — the value of the last "KEY=value" line of the last run (trailing CR cut).
wb_val() {
	sed -n "s/^.*\\b$1=//p" "$WB_LOG" | tail -1 | tr -d '\r'
}

# wb_mac — lower-case MAC printed as MAC=... by the last run.
wb_mac() { wb_val "${1:-MAC}" | tr 'A-F' 'a-f'; }

# wb_preflight ID TIMEOUT ARGS... — `wireboot preflight iscsi ARGS` in the namespace over
# kernel sockets, the CHAP secrets from PF_SECRET / PF_RSECRET passed through the
# environment (never on the command line).  Sets WB_RC, WB_SECS, WB_LOG (wb_exec).
wb_preflight() {
	local id=$1 t=$2; shift 2
	wb_exec "$id" "$t" env WIREBOOT_SECRET="${PF_SECRET:-}" WIREBOOT_REVERSE_SECRET="${PF_RSECRET:-}" \
		"$WB" preflight iscsi "$@" </dev/null
}

# wb_expect_no_secret ID — no secret this test configured (wb_secrets) in the last run's
# output (WB_LOG); wb_exec already checks every run, this is for other runners.
wb_expect_no_secret() {
	local list
	list=$(wb_secrets)
	if [ -n "$list" ] && grep -Faq -f <(echo "$list") "$WB_LOG"; then
		rig_fail "$1: no secret in the output" "one on output line $(grep -Fan -f <(echo "$list") "$WB_LOG" | head -1 | cut -d: -f1)"
	else rig_pass "$1: no secret in the output"; fi
}

# wb_secrets [CMD-WORD...] — the secrets the running test configured, one per line: the
# CHAP secrets of wb_iscsi_names (SECRET, MSECRET), those given to wb_preflight (PF_SECRET,
# PF_RSECRET), a test's own (WB_SECRETS, blank-separated), and the values of every
# `set [SCOPE/]password` / `set [SCOPE/]reverse-password` in the scripts under RIG_DIR
# (wb_run's, those served by the rig) and in the CMD-WORDs (wireboot's --pre CMDS).  Values
# shorter than 8 bytes are left out: they occur in ordinary text ("short" is in a
# warning).  What is typed into wb_shell's input is not looked for: the line editor echoes
# typing, as any terminal does (`login` and `read` of a secret echo stars).
wb_secrets() {
	local v
	{
		for v in "${SECRET:-}" "${MSECRET:-}" "${PF_SECRET:-}" "${PF_RSECRET:-}" ${WB_SECRETS:-}; do
			echo "$v"
		done
		{ [ -z "${RIG_DIR:-}" ] || find "$RIG_DIR" -name '*.ipxe' -type f -exec cat {} + 2>/dev/null
		  printf '%s\n' "$@"; } | perl "$RIG_TOP/tests/rig/script-secrets.pl"
	} | awk 'length($0) >= 8' | sort -u
}

# wb_check_no_secret ID [CMD-WORD...] — after each wb_exec run: when the test configured
# secrets (wb_secrets), none of them may be in the run's output.
wb_check_no_secret() {
	local id=$1 list; shift
	list=$(wb_secrets "$@")
	[ -n "$list" ] || return 0
	if grep -Faq -f <(echo "$list") "$WB_LOG"; then
		rig_fail "$id: no configured secret in the output" "one on output line $(grep -Fan -f <(echo "$list") "$WB_LOG" | head -1 | cut -d: -f1)"
	else
		rig_pass "$id: no configured secret in the output ($(echo "$list" | wc -l) looked for)"
	fi
}

# wb_expect_ok NAME / wb_expect_fail NAME PATTERN [MAXSECS] — status (and message, time)
wb_expect_ok() {
	if [ "$WB_RC" = 0 ]; then rig_pass "$1"; else rig_fail "$1" "exit $WB_RC"; fi
}
wb_expect_fail() {
	local name=$1 pat=$2 max=${3:-}
	if [ "$WB_RC" = 0 ]; then
		rig_fail "$name" "exit 0, expected failure"
	elif ! grep -Eq -- "$pat" "$WB_LOG"; then
		rig_fail "$name" "exit $WB_RC but no message matching /$pat/"
	elif [ -n "$max" ] && [ "$WB_SECS" -gt "$max" ]; then
		rig_fail "$name" "took ${WB_SECS}s, bound ${max}s"
	else
		rig_pass "$name"
	fi
}
# wb_expect_out NAME PATTERN — output of the last run matches PATTERN (ERE)
wb_expect_out() {
	if grep -Eq -- "$2" "$WB_LOG"; then rig_pass "$1"; else rig_fail "$1" "no /$2/ in output"; fi
}

# wb_ntpforge ID UPSTREAM ARGS... — start tests/rig/ntpforge.py as the NTP server at
# 192.0.2.2 (forging from 192.0.2.3 too; both must be on br0), relaying chronyd's replies
# from UPSTREAM, with ARGS (--forge KINDS, --past UNIX); the one started before is stopped.
WB_FORGE_PID=
wb_ntpforge() {
	local id=$1 up=$2; shift 2
	[ -z "$WB_FORGE_PID" ] || rig_stop "$WB_FORGE_PID"
	rig_bg "forge-$id" python3 "$RIG_TOP/tests/rig/ntpforge.py" --listen 192.0.2.2 --other 192.0.2.3 \
		--upstream "$up" "$@"
	WB_FORGE_PID=$RIG_LAST_PID
	rig_wait_file "$RIG_DIR/forge-$id.out" '^listening' 10 || rig_die "ntpforge.py did not start"
}

# wb_expect_clock_now NAME — the clock the last run printed as T= is the host's (chronyd's,
# within 10 s), not a forged one
wb_expect_clock_now() {
	local t now
	t=$(wb_val T) now=$(date +%s)
	if [ -n "$t" ] && [ $((t > now ? t - now : now - t)) -le 10 ]; then rig_pass "$1: the clock is chronyd's ($t, host $now)"
	else rig_fail "$1: the clock is chronyd's" "wireboot ${t:-none}, host $now"; fi
}

# wb_build_tlsget ID — build tests/tls/tlsget.c (a driver of the TLS layer alone) against
# the sanitized library into build/test/tlsget and set TLSGET; "FAIL: ID: build tlsget" and
# exit when it does not build
wb_build_tlsget() {
	TLSGET=$RIG_TOP/build/test/tlsget
	mkdir -p "$RIG_TOP/build/test"
	clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined -I"$RIG_TOP/src" \
		-I"$RIG_TOP/build/deps/bearssl/inc" -Wall -Wextra -Werror -Wno-unused-parameter -o "$TLSGET" \
		"$RIG_TOP/tests/tls/tlsget.c" "$RIG_TOP/build/san/libwb.a" "$RIG_TOP/build/san/libbearssl.a" ||
		{ echo "FAIL: $1: build tlsget"; exit 1; }
}
