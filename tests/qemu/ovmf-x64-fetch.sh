#!/bin/bash
# ovmf-x64-fetch: uboot-arm64-fetch.sh's download schemes (tftp://, ftp://, nfs:// from
# dnsmasq, vsftpd and nfs-ganesha) on OVMF x86_64.
exec env FETCH_FW=ovmf-x64 bash "$(dirname "$0")/uboot-arm64-fetch.sh"
