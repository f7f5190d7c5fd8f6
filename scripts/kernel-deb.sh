#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build installable Debian packages (linux-image, linux-headers, linux-libc-dev)
# of the patched kernel with Debian's own configuration plus
# kernel/configs/deb.config ("make deb"), and keep its image as
# build/images/bzImage-deb for the deb-kernel scenario (DEB_IMAGE_ONLY=1:
# stop after the image, before the modules and the packages).
#
# The build runs on a copy of the patched tree (build/deb/src), so that
# editing and rebuilding the test kernels meanwhile cannot mix versions
# into the packages; the packages land in build/deb/. It compiles all of
# Debian's modules: hours on two cores, see README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC=$BUILD/src/linux
DEB=$BUILD/deb
TREE=$DEB/src/linux
OBJ=$DEB/obj
[ -d "$SRC" ] || die "no kernel tree; run scripts/kernel-prepare.sh"
command -v dpkg-buildpackage >/dev/null || die "dpkg-buildpackage missing (scripts/install-deps.sh)"

start=$SECONDS
mkdir -p "$DEB/src" "$BUILD/images"
# Only files that changed get copied (and a new mtime): a rebuild after
# a one-file change recompiles what depends on it.
rsync -a --delete "$SRC/" "$TREE/"

stamp=$(cat "$DEBIAN_CONFIG" "$TOP/kernel/configs/deb.config" "$TOP/config.mk" | sha256sum | cut -c1-16)
if [ "$(cat "$OBJ/.config.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$OBJ/.config" ]; then
	say "configuring the Debian kernel"
	debian_config "$TREE" "$OBJ" "$TOP/kernel/configs/deb.config"
	echo "$stamp" > "$OBJ/.config.stamp"
fi

# A cache of its own: Debian's thousands of objects must not push the
# test kernels' objects out of build/ccache.
export CCACHE_DIR=${CCACHE_DEB_DIR:-$DEB/ccache}
export CCACHE_BASEDIR=$DEB
export CCACHE_COMPILERCHECK=content
# Depend mode: a miss runs the compiler once and hashes the headers it
# names in its dependency file, where the default runs the preprocessor
# first to hash its output. With a cold cache (the usual case here) that
# saved 20-32% of the compile CPU time, measured on five of Debian's
# largest objects (amdgpu, i915, btrfs, tcp, ALSA PCM) in two runs.
export CCACHE_DEPEND=1
ccache -M 20G >/dev/null
KMAKE=(make -C "$TREE" O="$OBJ" -j"$(jobs_n)" CC="ccache gcc" HOSTCC="ccache gcc"
       KBUILD_BUILD_USER=kho KBUILD_BUILD_HOST=qemu
       KDEB_PKGVERSION="${DEBIAN_LINUX_VERSION}+kho1")

# The kernel image first (the built-in part, a fraction of the work):
# the deb-kernel scenario can boot it while the modules still compile.
# bindeb-pkg then packages this same vmlinux.
say "building the kernel image (log: $DEB/build.log)"
if ! "${KMAKE[@]}" bzImage > "$DEB/build.log" 2>&1; then
	tail -30 "$DEB/build.log" >&2
	die "make bzImage failed (see $DEB/build.log)"
fi
cp "$OBJ/arch/x86/boot/bzImage" "$BUILD/images/bzImage-deb"
say "kernel image: $BUILD/images/bzImage-deb after $(((SECONDS - start) / 60)) min"
[ -n "${DEB_IMAGE_ONLY:-}" ] && exit 0

rm -f "$DEB"/*.deb "$DEB"/*.buildinfo "$DEB"/*.changes
say "building Debian packages (log: $DEB/build.log)"
if ! "${KMAKE[@]}" bindeb-pkg >> "$DEB/build.log" 2>&1; then
	tail -30 "$DEB/build.log" >&2
	die "make bindeb-pkg failed (see $DEB/build.log)"
fi

img=$(ls "$DEB"/linux-image-*-kho_*.deb | grep -v -- -dbg_ | head -1)
[ -f "$img" ] || die "no linux-image package in $DEB"
rm -rf "$DEB/image"
dpkg-deb -x "$img" "$DEB/image"
cp "$(ls "$DEB"/image/boot/vmlinuz-* | head -1)" "$BUILD/images/bzImage-deb"
elapsed=$((SECONDS - start))
say "packages in $DEB ($((elapsed / 60)) min $((elapsed % 60)) s):"
ls -l "$DEB"/*.deb >&2
