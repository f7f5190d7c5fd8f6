#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs-vm.cpio for the scenarios that run a virtual
# machine inside the test VM (KT_INITRD=vm): the test initramfs plus
# Debian's own QEMU (qemu-system-x86_64, the libraries ldd names, its TCG
# accelerator module), Debian's kexec-tools with its libraries, and the
# guest: a flat -bios image built from tests/vm-guest/guest-bios.S. Only
# those scenarios pay for the extra ~50 MB.
#
# "mkinitramfs-vm.sh arm64": build/initramfs-vm-arm64.cpio, the arm64 test
# initramfs plus Debian's arm64 kexec-tools and the libraries it loads
# (unpacked into build/arm64/root by scripts/install-deps.sh arm64).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = arm64 ]; then
	BASE=$BUILD/initramfs-arm64.cpio
	OUT=$BUILD/initramfs-vm-arm64.cpio
	ROOT=$BUILD/initramfs-vm-arm64
	SRC=$BUILD/arm64/root
	[ -f "$BASE" ] || die "no $BASE: run scripts/mkinitramfs.sh arm64 first"
	[ -x "$SRC/sbin/kexec" ] || die "no arm64 kexec-tools: run scripts/install-deps.sh arm64"
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	# Each file and, by name (readelf: no ldd for arm64 here), the
	# libraries it needs, found in the unpacked packages; the dynamic
	# loader at the path the binary names.
	todo=(sbin/kexec)
	seen=" "
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		(cd "$SRC" && cp -a --parents "$f" "$ROOT/")
		for lib in $(aarch64-linux-gnu-readelf -d "$SRC/$f" |
			     sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
			case $seen in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			p=$(cd "$SRC" && find lib usr/lib -name "$lib" 2>/dev/null | head -1)
			[ -n "$p" ] || die "$lib (needed by $f) is not in $SRC"
			todo+=("$(cd "$SRC" && readlink -f "$p" | sed "s|^$SRC/||")")
			(cd "$SRC" && cp -a --parents "$p" "$ROOT/")
		done
	done
	interp=$(aarch64-linux-gnu-readelf -l "$SRC/sbin/kexec" |
		 sed -n 's/.*interpreter: \(.*\)\]/\1/p')
	(cd "$SRC" && cp -a --parents "${interp#/}" "$ROOT/")
	cpio_extend "$BASE" "$ROOT" "$OUT"
	say "initramfs with kexec-tools: $OUT ($(du -h "$OUT" | cut -f1))"
	exit 0
fi

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
