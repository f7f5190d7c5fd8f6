#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs-vm.cpio for the scenarios that run a virtual
# machine inside the test VM (KT_INITRD=vm): the test initramfs plus
# Debian's own QEMU (qemu-system-x86_64, the libraries ldd names, its TCG
# accelerator module), Debian's kexec-tools with its libraries, and the
# guest: a flat -bios image built from tests/vm-guest/guest-bios.S. Only
# those scenarios pay for the extra ~50 MB.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASE=$BUILD/initramfs.cpio
OUT=$BUILD/initramfs-vm.cpio
ROOT=$BUILD/initramfs-vm
QEMU=/usr/bin/qemu-system-x86_64
TCG=/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
KEXEC=/usr/sbin/kexec

[ -f "$BASE" ] || die "no $BASE: run scripts/mkinitramfs.sh first"
for f in "$QEMU" "$TCG" "$KEXEC"; do
	[ -e "$f" ] || die "missing $f (apt-get install qemu-system-x86 kexec-tools)"
done

rm -rf "$ROOT"
mkdir -p "$ROOT/kt/vm"
gcc -c -m32 -o "$BUILD/guest-bios.o" "$TOP/tests/vm-guest/guest-bios.S"
ld -m elf_i386 -Ttext 0 --oformat binary -o "$ROOT/kt/vm/guest.bin" "$BUILD/guest-bios.o"
[ "$(stat -c %s "$ROOT/kt/vm/guest.bin")" = 65536 ] || die "guest image is not 64 KiB"

# copy_with_libs FILE...: each file and the shared libraries it needs, at
# their paths (the dynamic loader included).
copy_with_libs() {
	local f lib
	for f in "$@"; do
		cp --parents -L "$f" "$ROOT/"
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			[ -e "$ROOT$lib" ] || cp --parents -L "$lib" "$ROOT/"
		done
	done
}
copy_with_libs "$QEMU" "$TCG" "$KEXEC"

cpio_extend "$BASE" "$ROOT" "$OUT"
say "initramfs with QEMU: $OUT ($(du -h "$OUT" | cut -f1))"
