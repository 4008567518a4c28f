# tests/rig/faketarget.sh — start tests/rig/faketarget.py in the rig's namespace
# (sourced after rig.sh; not a test).
#
#   ft_start NAME PORT IMG [faketarget args...]   # listens on 192.0.2.1:PORT
#   FT_SECRET / FT_RSECRET (environment of the caller) become the target's
#   FAKETARGET_SECRET / FAKETARGET_REVERSE_SECRET, so they are not in argv.
#   Log: $RIG_DIR/ft-NAME.out; ft_stop NAME stops it (rig cleanup does too).

FT_IQN=${FT_IQN:-iqn.2026-11.test:fake}

ft_start() {
	local name=${1:?ft_start NAME PORT IMG [args]} port=${2:?} img=${3:?}
	shift 3
	command -v python3 >/dev/null || rig_die "python3 missing"
	export FAKETARGET_SECRET=${FT_SECRET:-} FAKETARGET_REVERSE_SECRET=${FT_RSECRET:-}
	rig_bg "ft-$name" python3 -u "$RIG_TOP/tests/rig/faketarget.py" \
		--listen "$RIG_BR_IP:$port" --target "$FT_IQN" --lun "$img" "$@"
	unset FAKETARGET_SECRET FAKETARGET_REVERSE_SECRET
	rig_wait_file "$RIG_DIR/ft-$name.out" '^faketarget: listening' 10 || {
		cat "$RIG_DIR/ft-$name.out" >&2
		rig_die "faketarget $name did not start"
	}
}

ft_stop() { rig_stop "ft-$1"; }

# ft_log NAME — the target's log so far
ft_log() { cat "$RIG_DIR/ft-$1.out"; }
