#!/bin/bash
# tests/oracle/record.sh [NAME-regex] — regenerate tests/oracle/NAME.expected from real iPXE.
#
# Needs an oracle runner: ORACLE (default /work/ipxe-oracle/run.sh), a program that takes
# a script path, builds iPXE's Linux userspace binary (bin-x86_64-linux/ipxe.linux) with
# that script embedded (EMBED=), runs it with stdin from $IPXE_STDIN (set here: a pipe
# that never delivers a key) in an empty network namespace and exits with iPXE's status
# (see README.md).  Not run by CI (it needs
# iPXE's source tree and a build of it).  Review every changed .expected with git diff.
set -u
here=$(cd "$(dirname "$0")" && pwd)
ORACLE=${ORACLE:-/work/ipxe-oracle/run.sh}
tmp=$(mktemp -d /tmp/wb-oracle-rec.XXXXXX)
# stdin: a pipe that stays open and never delivers a key (iPXE's Linux console reads
# end-of-file on /dev/null as endless key presses, so a menu would never time out)
mkfifo "$tmp/keys"
sleep 100000 >"$tmp/keys" &
holder=$!
trap 'kill $holder 2>/dev/null; rm -rf "$tmp"' EXIT
export IPXE_STDIN="$tmp/keys"
for s in "$here"/*.ipxe; do
	name=$(basename "$s" .ipxe)
	if [ -n "${1:-}" ] && ! echo "$name" | grep -Eq -- "$1"; then continue; fi
	"$ORACLE" "$s" >"$tmp/raw" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 125 ]; then echo "record: $name: oracle build failed"; cat "$tmp/err"; continue; fi
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then echo "record: $name: iPXE timed out, not recorded"; continue; fi
	perl "$here/normalise.pl" ipxe "$name" "$rc" <"$tmp/raw" >"$here/$name.expected"
	echo "recorded $name (status $rc)"
done
