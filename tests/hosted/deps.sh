#!/bin/bash
# deps.sh — scripts/deps.sh --build (what a plain `make` runs) asks only for the build
# set (compiler, linker, dpkg-dev, python3) and never for the test lab (QEMU, servers);
# not root, it prints the one apt-get command and stops without running apt; as root it
# installs exactly the missing build packages.  dpkg-query and apt-get are replaced on
# PATH by stand-ins (nothing is installed; the stand-in dpkg-query reports every package
# missing), so the test runs the real script on any machine.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0
ok() { echo "PASS: deps: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: deps: $1"; fail=$((fail + 1)); }
tmp=$(mktemp -d /tmp/wb-deps.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir "$tmp/bin"
printf '#!/bin/sh\nexit 1\n' >"$tmp/bin/dpkg-query"
printf '#!/bin/sh\necho "apt-get $*" >>%s/apt.log\n' "$tmp" >"$tmp/bin/apt-get"
chmod 755 "$tmp/bin/dpkg-query" "$tmp/bin/apt-get"
touch "$tmp/apt.log"; chmod 666 "$tmp/apt.log"

# not root: the one command, exit 1, apt never run
out=$(cd "$top" && setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$tmp/bin:$PATH" sh scripts/deps.sh --build 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
if [ $rc = 1 ] && echo "$out" | grep -qx '    apt-get install --no-install-recommends make clang lld llvm dpkg-dev python3'; then
	ok "not root: prints the apt-get command for the build set"
else ko "not root: prints the apt-get command for the build set (exit $rc)"; fi
if [ ! -s "$tmp/apt.log" ]; then ok "not root: apt-get not run"; else ko "not root: apt-get not run"; cat "$tmp/apt.log"; fi

# root, --build: installs the build set only
: >"$tmp/apt.log"
out=$(cd "$top" && env PATH="$tmp/bin:$PATH" sh scripts/deps.sh --build 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
inst=$(grep ' install ' "$tmp/apt.log")
if [ $rc = 0 ] && echo "$inst" | grep -q ' make clang lld llvm dpkg-dev python3$'; then
	ok "root --build: installs the build set"
else ko "root --build: installs the build set (exit $rc: $inst)"; fi
if echo "$inst" | grep -Eq 'qemu|nginx|tgt|dnsmasq|ovmf|u-boot'; then ko "root --build: no test packages"
else ok "root --build: no test packages"; fi
# the full set (what make check runs) does list them: the check above can tell
if grep -q 'TEST_PKGS=.*qemu-system-arm\|^      qemu-system-arm' "$top/scripts/deps.sh"; then ok "full set lists QEMU"; else ko "full set lists QEMU"; fi
# plain `make` runs the build set
if grep -q '^	./scripts/deps.sh --build$' "$top/Makefile"; then ok "Makefile: the build stamp runs deps.sh --build"
else ko "Makefile: the build stamp runs deps.sh --build"; fi
echo "deps: $pass passed, $fail failed"
[ $fail = 0 ]
