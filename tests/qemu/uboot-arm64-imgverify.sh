#!/bin/bash
# uboot-arm64: signed images on firmware (issue 12).  wireboot built with
# CODESIGN_TRUST=<a code-signing root made now by tests/rig/codesign.sh> and
# EMBED=imgverify.ipxe: under `imgtrust --permanent` it verifies hello.efi against its
# detached signature (openssl cms -sign -binary -noattr … -outform DER, RSA signer under an
# intermediate) and starts it through LoadImage/StartImage; a copy of hello.efi with one
# byte changed, offered with the same signature, is refused by imgverify and by imgexec and
# never started; `imgtrust --allow` afterwards fails.
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_test_begin uboot-arm64 imgverify openssl
bash tests/rig/codesign.sh "$RIG_DIR/cs" >"$RIG_DIR/codesign.log" 2>&1 || { cat "$RIG_DIR/codesign.log"; rig_die "codesign.sh failed"; }
CODESIGN_TRUST="$RIG_DIR/cs/root.pem" qemu_test_build tests/qemu/imgverify.ipxe "build/efi-$QEMU_ARCH/hello.efi"
# the test CA must not stay in later builds
make -s CODESIGN_TRUST= "build/efi-$QEMU_ARCH/wireboot.efi" >/dev/null 2>&1 || true
CODESIGN_DIR=$RIG_DIR/cs
. tests/rig/codesign.sh
esp=$RIG_DIR/esp
cp "build/efi-$QEMU_ARCH/hello.efi" "$esp/hello.efi"
codesign_sign cs-rsa "$esp/hello.efi" "$esp/hello.efi.sig" || rig_die "signing failed"
cp "$esp/hello.efi" "$esp/hello-mod.efi"
# change one byte well inside the image (the last byte of the first 1 KiB: PE headers' padding)
printf '\x5a' | dd of="$esp/hello-mod.efi" bs=1 seek=1023 conv=notrunc status=none
cmp -s "$esp/hello.efi" "$esp/hello-mod.efi" && rig_die "hello-mod.efi is not modified"
qemu_test_boot
qemu_drive "$QEMU_LOG" "${QEMU_PRE[@]}" \
	"expect@$QEMU_FIRST:imgverify-test-start" \
	"expect@60:imgverify-test-done" \
	"expect@30:wireboot> " \
	"line:exit" \
	"$QEMU_EXIT_STEP"
rc=$?
qemu_check_out verified 'imgverify: hello: SHA-256 signature by CN=wireboot rsa signer \(issuer CN=wireboot Code Signing Intermediate\) verified'
qemu_check_out imgstat-trusted '^hello : [0-9]+ bytes \[EFI\] \[TRUSTED\]'
qemu_check_out signed-efi-started '^hello-efi-args: signed-args$'
qemu_check_out signed-efi-returned '^after-signed-efi$'
qemu_check_out modified-digest-message "imgverify: signature: the image's digest does not match the signature"
qemu_check_out modified-refused '^modified-refused$'
qemu_check_out modified-not-trusted 'imgexec: image: not trusted, and imgtrust requires trusted images .*\(bad\)'
qemu_check_out modified-not-started '^modified-not-started$'
qemu_expect_absent modified-never-ran '^imgverify-test-done$' 'hello-efi-args: tampered-args'
qemu_check_out permanent-stays '^permanent-stays$'
qemu_test_end $rc
