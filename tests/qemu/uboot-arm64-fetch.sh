#!/bin/bash
# uboot-arm64 (ovmf-x64-fetch.sh: OVMF x86_64, FETCH_FW=ovmf-x64): the download schemes on firmware.  wireboot.efi (embedded script made
# here) runs dhcp, then for each entry of FETCH_URLS: `chain BASE/LABEL.ipxe` (a script
# that prints fetch-marker-LABEL), `imgfetch BASE/big.bin` (3 MiB + 5 bytes of random
# data; imgstat must show its exact size) and `chain BASE/hello.efi from-LABEL`
# (tests/efi/hello.c: LoadImage from memory runs it only if every byte of the PE arrived,
# and it prints its load options).  Every server serves the same directory, $SRV.
#
# To add a scheme: start its server on $SRV in the "servers" block and add a
# "LABEL BASE-URL" line to FETCH_URLS.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
. tests/rig/nfsrig.sh
qemu_test_begin "${FETCH_FW:-uboot-arm64}" fetch dnsmasq vsftpd ganesha.nfsd rpcbind
SRV=$RIG_DIR/srv

FETCH_URLS=(
	"tftp tftp://192.0.2.1"
	"ftp ftp://192.0.2.1"
	"nfs nfs://192.0.2.1$RIG_DIR/srv"
)

mkdir -p "$SRV"
big=$((3 * 1024 * 1024 + 5))
head -c "$big" /dev/urandom >"$SRV/big.bin"
script=$RIG_DIR/fetch.ipxe
{
	echo '#!ipxe'
	echo 'dhcp'
	echo 'echo fetch-test-start'
	for e in "${FETCH_URLS[@]}"; do
		label=${e%% *} base=${e#* }
		printf '#!ipxe\necho fetch-marker-%s\n' "$label" >"$SRV/$label.ipxe"
		echo "chain $base/$label.ipxe || echo fetch-failed-$label-script"
		echo "imgfetch --name big-$label $base/big.bin || echo fetch-failed-$label-big"
		echo "imgstat big-$label"
		echo "imgfree big-$label"
		echo "chain $base/hello.efi from-$label || echo fetch-failed-$label-efi"
	done
	echo 'echo fetch-test-done'
} >"$script"
qemu_test_build "$script" "build/efi-$QEMU_ARCH/hello.efi"
cp "build/efi-$QEMU_ARCH/hello.efi" "$SRV/hello.efi"
chmod -R a+rX "$SRV"

# ---- servers (all serve $SRV)
rig_dnsmasq --enable-tftp --tftp-root="$SRV"
# vsftpd, anonymous and read-only, passive ports 40000-40100 (tests/hosted/ftp.sh has the
# full set of cases)
mkdir -p "$RIG_DIR/empty"
cat >"$RIG_DIR/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=192.0.2.1
background=NO
anonymous_enable=YES
anon_root=$SRV
no_anon_password=YES
local_enable=NO
write_enable=NO
pasv_enable=YES
pasv_min_port=40000
pasv_max_port=40100
secure_chroot_dir=$RIG_DIR/empty
seccomp_sandbox=NO
CONF
rig_bg vsftpd vsftpd "$RIG_DIR/vsftpd.conf"
rig_wait_listen tcp 21 10 || { cat "$RIG_DIR/vsftpd.out"; rig_die "vsftpd did not start"; }
# nfs-ganesha + rpcbind exporting $SRV (tests/rig/nfsrig.sh)
rig_ganesha "$SRV"

qemu_test_boot
qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
	"expect@$QEMU_FIRST:fetch-test-start" \
	"expect@300:fetch-test-done" \
	"expect@30:wireboot> " \
	"line:exit" \
	"$QEMU_EXIT_STEP"
rc=$?
for e in "${FETCH_URLS[@]}"; do
	label=${e%% *}
	qemu_check_out "$label-script-chained" "^fetch-marker-$label\$"
	qemu_check_out "$label-image-size" "^big-$label : $big bytes"
	qemu_check_out "$label-efi-ran" "^hello-efi-args: from-$label\$"
	qemu_expect_absent "$label-no-failure" '^fetch-test-done$' "fetch-failed-$label"
done
qemu_test_end $rc
