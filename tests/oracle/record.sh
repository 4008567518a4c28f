#!/bin/bash
# tests/oracle/record.sh [NAME-regex] — regenerate tests/oracle/NAME.expected from real iPXE.
#
# Needs an oracle runner: ORACLE (default /work/ipxe-oracle/run.sh), a program that takes
# a script path, builds iPXE's Linux userspace binary (bin-x86_64-linux/ipxe.linux) with
# that script embedded (EMBED=), runs it with stdin from /dev/null in an empty network
# namespace and exits with iPXE's status (see README.md).  Not run by CI (it needs
# iPXE's source tree and a build of it).  Review every changed .expected with git diff.
set -u
here=$(cd "$(dirname "$0")" && pwd)
ORACLE=${ORACLE:-/work/ipxe-oracle/run.sh}
tmp=$(mktemp -d /tmp/wb-oracle-rec.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
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
