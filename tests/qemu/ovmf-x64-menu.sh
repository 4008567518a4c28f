#!/bin/bash
# ovmf-x64: menu, line editing, history and completion over the serial console (see
# qemu_menu_test in tests/qemu/lib.sh for what is checked).
set -u
cd "$(dirname "$0")/../.."
. tests/qemu/lib.sh
qemu_menu_test ovmf-x64
