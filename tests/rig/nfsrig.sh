# tests/rig/nfsrig.sh — nfs-ganesha + rpcbind in the rig's namespace (sourced after rig.sh).
#
#   rig_ganesha DIR[|OPTIONS] ...   # NFSv3/TCP on 192.0.2.1, each DIR exported read-only
#                                   # (OPTIONS: more EXPORT settings, e.g. PrivilegedPort = true;)
#
# rpcbind keeps its socket and lock under /run, which every network namespace shares:
# both daemons run in a mount namespace of their own (unshare -m) with a private tmpfs on
# /run, so a rig never talks to (or breaks) another rpcbind on the machine.  The wrapper
# starts rpcbind, waits for its socket, then execs ganesha.nfsd (so RIG_PID[ganesha] is
# ganesha's PID; rpcbind is stopped by rig_cleanup with everything else in the netns).
# Ganesha needs: NFS_CORE_PARAM Protocols = 3 (no NFSv4 grace/recovery to set up), NLM and
# RQUOTA off (they need statd), a writable RecoveryRoot, Graceless; EXPORT with FSAL VFS,
# Transports TCP, Access_Type RO, Squash No_root_squash.  Its dbus and Kerberos complaints
# in the log are harmless.  PrivilegedPort is false unless OPTIONS say otherwise.

rig_ganesha() {
	local conf="$RIG_DIR/ganesha.conf" run="$RIG_DIR/ganesha-run.sh" id=1 d opts
	command -v ganesha.nfsd >/dev/null || rig_die "ganesha.nfsd missing: run scripts/deps.sh"
	command -v rpcbind >/dev/null || rig_die "rpcbind missing: run scripts/deps.sh"
	mkdir -p "$RIG_DIR/ganesha-recovery"
	{
		echo "NFS_CORE_PARAM { Protocols = 3; NFS_Port = 2049; Bind_Addr = $RIG_BR_IP;"
		echo "    Enable_NLM = false; Enable_RQUOTA = false; }"
		echo "NFSV4 { Graceless = true; RecoveryRoot = \"$RIG_DIR/ganesha-recovery\"; }"
		for d in "$@"; do
			opts=""
			[ "${d#*|}" != "$d" ] && opts=${d#*|} && d=${d%%|*}
			echo "EXPORT { Export_Id = $id; Path = \"$d\"; Pseudo = \"$d\"; Protocols = 3;"
			echo "    Transports = TCP; Access_Type = RO; Squash = No_root_squash; $opts"
			echo "    FSAL { Name = VFS; } }"
			id=$((id + 1))
		done
	} >"$conf"
	cat >"$run" <<EOS
mount -t tmpfs -o mode=755 rig-run /run || exit 1
mkdir -p /run/rpcbind
rpcbind -f &
for i in \$(seq 50); do [ -S /run/rpcbind.sock ] && break; sleep 0.1; done
exec ganesha.nfsd -F -f "$conf" -L "$RIG_DIR/ganesha.log" -p "$RIG_DIR/ganesha.pid" -N NIV_EVENT
EOS
	rig_bg ganesha unshare -m --propagation private sh "$run"
	rig_wait_listen tcp 2049 20 || { cat "$RIG_DIR/ganesha.out" "$RIG_DIR/ganesha.log" >&2; rig_die "ganesha did not listen on 2049"; }
	rig_wait_file "$RIG_DIR/ganesha.log" 'NFS SERVER INITIALIZED' 20 || rig_die "ganesha did not finish starting"
}
