#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs-kasan.cpio for campaigns run on the KASAN variant
# (KT_INITRD=kasan): the test initramfs plus bzImage-kasan, which the
# default initramfs leaves out to stay small.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASE=$BUILD/initramfs.cpio
OUT=$BUILD/initramfs-kasan.cpio
ROOT=$BUILD/initramfs-kasan
IMG=$BUILD/images/bzImage-kasan

[ -f "$BASE" ] || die "no $BASE: run scripts/mkinitramfs.sh first"
[ -f "$IMG" ] || die "no $IMG: run scripts/kernel-build.sh kasan first"
rm -rf "$ROOT"
mkdir -p "$ROOT/kt/images"
cp "$IMG" "$ROOT/kt/images/"
cpio_extend "$BASE" "$ROOT" "$OUT"
say "initramfs with the KASAN kernel: $OUT ($(du -h "$OUT" | cut -f1))"
