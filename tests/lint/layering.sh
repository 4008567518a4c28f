#!/bin/bash
# layering.sh — the portable core (src/core, src/net, src/proto, src/disk, src/san, src/img, src/script, src/app) must
# not include UEFI or Linux headers: only src/platform/{efi,host} know them.  The hosted
# CLI (src/cli) may use ISO C's stdio/stdlib but no Linux/POSIX or UEFI header.
set -u
cd "$(dirname "$0")/../.."
bad=$(grep -nE '^\s*#\s*include\s*[<"](efi|platform/efi/|platform/host/|linux/|sys/|unistd\.h|fcntl\.h|termios\.h|signal\.h|stdio\.h|stdlib\.h|errno\.h|time\.h)' \
	src/core src/net src/proto src/disk src/san src/img src/script src/app -r --include='*.c' --include='*.h')
if [ -z "$bad" ]; then
	echo "PASS: lint: core includes no platform headers"
else
	echo "FAIL: lint: core includes platform headers:"
	echo "$bad"
	exit 1
fi
# the hosted CLI's subcommands (src/cli) are ISO C programs: stdio/stdlib/string are
# fine, Linux/POSIX headers and the UEFI platform are not; what they need from Linux
# is behind src/platform/host/hostcli.h (and host.h).
bad=$(grep -nE '^\s*#\s*include\s*(<(linux/|sys/|asm/|net/|netinet/|arpa/|unistd\.h|fcntl\.h|signal\.h|netdb\.h|termios\.h|poll\.h|pthread\.h|dirent\.h|ifaddrs\.h)|[<"](efi|platform/efi/))' \
	src/cli -r --include='*.c' --include='*.h')
if [ -z "$bad" ]; then
	echo "PASS: lint: src/cli includes no Linux or UEFI headers"
else
	echo "FAIL: lint: src/cli includes Linux or UEFI headers (put the call behind src/platform/host/hostcli.h):"
	echo "$bad"
	exit 1
fi
# wire parsers each have a fuzz target: one that exists, is a libFuzzer entry point
# (LLVMFuzzerTestOneInput), calls the parser in code (comments stripped, not just its
# name mentioned), has a non-empty seed corpus (tests/fuzz/corpus/<target>) and is built
# (build/fuzz/<target>, exporting the entry point; `make check` builds every target first).
# fuzz_code FILE — FILE without its comments (cpp -fpreprocessed expands nothing else)
fuzz_code() { cpp -fpreprocessed -P "$1" 2>/dev/null; }
command -v cpp >/dev/null || echo "FAIL: lint: cpp (the C preprocessor) missing: cannot read the fuzz targets"
# fuzz_target_ok TARGET — prints why TARGET is not a usable fuzz target, or nothing
fuzz_target_ok() {
	local t=$1 src="tests/fuzz/$1.c" bin="${FUZZ_BUILD:-build/fuzz}/$1"
	if [ ! -f "$src" ]; then echo "$src missing"; return; fi
	if ! fuzz_code "$src" | grep -Eq '\bLLVMFuzzerTestOneInput[[:space:]]*\('; then
		echo "$src defines no LLVMFuzzerTestOneInput"; return
	fi
	if ! find "tests/fuzz/corpus/$t" -type f 2>/dev/null | grep -q .; then
		echo "no seed corpus in tests/fuzz/corpus/$t"; return
	fi
	if [ ! -x "$bin" ]; then echo "$bin not built (make $bin)"; return; fi
	if ! nm "$bin" 2>/dev/null | grep -Eq ' T LLVMFuzzerTestOneInput$'; then
		echo "$bin has no LLVMFuzzerTestOneInput"; return
	fi
}
for p in dhcp_msg_parse:fuzz_dhcp ackq_parse:fuzz_ackq ackq_offer:fuzz_ackq ntp_msg_parse:fuzz_ntp script_run:fuzz_script smbios_parse_sysinfo:fuzz_smbios uri_parse:fuzz_uri http_parser_feed:fuzz_http iscsi_rx_feed:fuzz_iscsi_pdu iscsi_text_next:fuzz_iscsi_text chap_decode_value:fuzz_chap iscsi_uri_parse:fuzz_iscsi_uri iscsi_login_step:fuzz_iscsi_login iscsi_sess_input:fuzz_iscsi_session scsi_parse_report_luns:fuzz_scsi scsi_parse_mode_sense6_wp:fuzz_scsi scsi_parse_sense:fuzz_scsi san_iscsi_target_address:fuzz_san_addr gpt_parse_header:fuzz_gpt gpt_parse_entries:fuzz_gpt mbr_parse:fuzz_mbr gpt_check_pmbr:fuzz_mbr fat_mount:fuzz_fat fat_lookup:fuzz_fat fat_read:fuzz_fat disk_inspect:fuzz_fat pe_parse:fuzz_pe ibft_parse:fuzz_ibft rpc_rec_feed:fuzz_nfs rpc_reply_parse:fuzz_nfs mnt_res:fuzz_nfs nfs3_lookup_res:fuzz_nfs nfs3_read_res:fuzz_nfs nfs3_readlink_res:fuzz_nfs nfs_get:fuzz_nfs_client tftp_parse:fuzz_tftp tftp_client_get:fuzz_tftp cms_parse:fuzz_cms cms_cert_ids:fuzz_cms cms_verify:fuzz_cms settype_parse:fuzz_settype settype_convert:fuzz_settype gz_parse_header:fuzz_gzip gz_inflate:fuzz_gzip wbmap_parse:fuzz_wbmap wbmap_check:fuzz_wbmap; do
	fn=${p%%:*}; t=${p##*:}
	why=$(fuzz_target_ok "$t")
	if [ -z "$why" ] && ! fuzz_code "tests/fuzz/$t.c" | grep -Eq "\\b$fn[[:space:]]*\\("; then
		why="tests/fuzz/$t.c never calls $fn"
	fi
	if [ -z "$why" ]; then
		echo "PASS: lint: $fn has fuzz target $t"
	else
		echo "FAIL: lint: $fn has no working fuzz target $t: $why"
	fi
done
