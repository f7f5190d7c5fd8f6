#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs.cpio: busybox-static, the static tools of tools/,
# the guest test library and scenarios, upstream's live update selftests
# (if built) and every kernel image in build/images (so scenarios can kexec
# into them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT=$BUILD/initramfs
OUT=$BUILD/initramfs.cpio
BUSYBOX=${BUSYBOX:-/bin/busybox}

file "$BUSYBOX" 2>/dev/null | grep -q "statically linked" ||
	[ -x "$BUSYBOX" ] || die "no static busybox at $BUSYBOX (apt-get install busybox-static)"

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,kt/bin,kt/scenarios,kt/images,proc,sys,dev,tmp}
cp "$BUSYBOX" "$ROOT/bin/busybox"
install -m 755 "$TOP/tests/guest/init" "$ROOT/init"
cp "$TOP/tests/guest/lib.sh" "$ROOT/kt/lib.sh"
cp "$TOP"/tests/guest/scenarios/*.sh "$TOP"/tests/guest/bench/*.sh "$ROOT/kt/scenarios/"
for t in "$BUILD"/tools/*; do
	[ -x "$t" ] && cp "$t" "$ROOT/kt/bin/"
done
# Upstream's live update selftests, when scripts/build-selftests.sh built them.
if [ -d "$BUILD/selftests/liveupdate" ]; then
	mkdir -p "$ROOT/kt/selftests/liveupdate"
	find "$BUILD/selftests/liveupdate" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$ROOT/kt/selftests/liveupdate/" \;
fi
# The KASAN image and the Debian packages' image are for campaigns only
# (scripts/mkinitramfs-with.sh: build/initramfs-kasan.cpio, -deb.cpio),
# 7.3 with the restore timer for the bench (scripts/bench.sh).
for img in "$BUILD"/images/bzImage-*; do
	case "${img##*/}" in bzImage-kasan|bzImage-deb|bzImage-linux73bench) continue ;; esac
	[ -f "$img" ] && cp "$img" "$ROOT/kt/images/"
done

(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
say "initramfs: $OUT ($(du -h "$OUT" | cut -f1))"
