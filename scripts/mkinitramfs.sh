#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs.cpio: busybox-static, the static tools of tools/,
# the guest test library and scenarios, upstream's live update selftests
# (if built) and every kernel image in build/images (so scenarios can kexec
# into them). "mkinitramfs.sh arm64": build/initramfs-arm64.cpio, the same
# for arm64: Debian's arm64 busybox (scripts/install-deps.sh arm64), the
# tools cross-built into build/tools-arm64, and the arm64 images
# (build/images/Image-arm64 becomes /kt/images/Image-main.gz).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ARCH=${1:-x86_64}
case $ARCH in
x86_64)
	ROOT=$BUILD/initramfs
	OUT=$BUILD/initramfs.cpio
	BUSYBOX=${BUSYBOX:-/bin/busybox}
	TOOLS=$BUILD/tools
	SELFTESTS=$BUILD/selftests/liveupdate ;;
arm64)
	ROOT=$BUILD/initramfs-arm64
	OUT=$BUILD/initramfs-arm64.cpio
	BUSYBOX=$BUILD/arm64/busybox
	TOOLS=$BUILD/tools-arm64
	SELFTESTS=$BUILD/selftests-arm64/liveupdate
	[ -x "$BUSYBOX" ] || die "no arm64 busybox: run scripts/install-deps.sh arm64"
	make -s -C "$TOP/tools" O="$TOOLS" CC=aarch64-linux-gnu-gcc ;;
*)	die "unknown architecture $ARCH" ;;
esac

file "$BUSYBOX" 2>/dev/null | grep -q "statically linked" ||
	[ -x "$BUSYBOX" ] || die "no static busybox at $BUSYBOX (apt-get install busybox-static)"

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,kt/bin,kt/scenarios,kt/images,proc,sys,dev,tmp}
cp "$BUSYBOX" "$ROOT/bin/busybox"
install -m 755 "$TOP/tests/guest/init" "$ROOT/init"
cp "$TOP/tests/guest/lib.sh" "$ROOT/kt/lib.sh"
cp "$TOP"/tests/guest/scenarios/*.sh "$TOP"/tests/guest/bench/*.sh "$ROOT/kt/scenarios/"
for t in "$TOOLS"/*; do
	[ -x "$t" ] && cp "$t" "$ROOT/kt/bin/"
done
# Upstream's live update selftests, when scripts/build-selftests.sh built them.
if [ -d "$SELFTESTS" ]; then
	mkdir -p "$ROOT/kt/selftests/liveupdate"
	find "$SELFTESTS" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$ROOT/kt/selftests/liveupdate/" \;
fi
if [ "$ARCH" = arm64 ]; then
	for img in "$BUILD"/images/Image-arm64*; do
		[ -f "$img" ] || continue
		v=${img##*/Image-arm64}
		v=${v#-}
		# Gzipped: tests/guest/lib.sh (kt_image) unpacks them.
		gzip -n -c "$img" > "$ROOT/kt/images/Image-${v:-main}.gz"
	done
else
	# The KASAN image and the Debian packages' image are for campaigns only
	# (scripts/mkinitramfs-with.sh: build/initramfs-kasan.cpio, -deb.cpio),
	# 7.3 with the restore timer for the bench (scripts/bench.sh).
	for img in "$BUILD"/images/bzImage-*; do
		case "${img##*/}" in bzImage-kasan|bzImage-deb|bzImage-linux73bench) continue ;; esac
		[ -f "$img" ] && cp "$img" "$ROOT/kt/images/"
	done
fi

(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
say "initramfs: $OUT ($(du -h "$OUT" | cut -f1))"
