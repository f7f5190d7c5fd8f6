#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs-with.sh VARIANT [BASE]: build/initramfs-VARIANT.cpio, the
# test initramfs (or build/initramfs-BASE.cpio, e.g. "vm", the one with
# QEMU and Debian's kexec-tools) plus build/images/bzImage-VARIANT, for
# scenarios that boot a kernel the default initramfs leaves out to stay
# small (KT_INITRD=VARIANT): kasan (make mutate) and deb, the kernel of
# the Debian packages (make deb). Whatever build/VARIANT/initramfs-extra
# holds goes in too (for deb: modules of the package, scripts/deb-check.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VARIANT=${1:?usage: mkinitramfs-with.sh VARIANT [BASE]}
BASE=$BUILD/initramfs${2:+-$2}.cpio
OUT=$BUILD/initramfs-$VARIANT.cpio
ROOT=$BUILD/initramfs-$VARIANT
IMG=$BUILD/images/bzImage-$VARIANT

[ -f "$BASE" ] || die "no $BASE: run scripts/mkinitramfs.sh first"
[ -f "$IMG" ] || die "no $IMG: build the $VARIANT kernel first"
rm -rf "$ROOT"
mkdir -p "$ROOT/kt/images"
cp "$IMG" "$ROOT/kt/images/"
EXTRA=$BUILD/$VARIANT/initramfs-extra
[ -d "$EXTRA" ] && cp -a "$EXTRA/." "$ROOT/"
cpio_extend "$BASE" "$ROOT" "$OUT"
say "initramfs with the $VARIANT kernel: $OUT ($(du -h "$OUT" | cut -f1))"
