#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build one kernel variant out of tree: build/obj/VARIANT from
# build/src/linux, config = tinyconfig + kernel/configs/base.config +
# the variant's fragments; the image lands in build/images/bzImage-VARIANT.
#
# Variants:  main     - the project's kernel (base + kho.config when present)
#            nokho    - the same tree without the handover options
#            upstream - main plus upstream Linux's own lib/test_kho.c built
#                       in, from build/upstream (scripts/fetch-upstream.sh),
#                       in a hard-linked copy of the tree (build/up), and
#                       without THP and pkernfs (upstream.config), so that
#                       the tests cover a 6.12 built differently; skipped
#                       when the upstream source is not there
#            kasan    - main with KASAN (kasan.config), for campaigns that
#                       feed damaged handovers to the kernel (make mutate);
#                       not built by default, not in the test initramfs
#            linux73  - upstream Linux 7.3 itself (build/upstream, unmodified)
#                       with KHO and its KHO test, for handovers between
#                       the two kernels; skipped when the
#                       upstream source is not there
#            linux73bench - linux73 plus a restore timer
#                       (tests/bench/kho_restore_time.c), for make bench
#            arm64    - the project's kernel for arm64 (QEMU virt),
#                       cross-built: tinyconfig (ARCH=arm64) +
#                       base-arm64.config + kho.config; the image is
#                       build/images/Image-arm64 (kexec_file_load on arm64
#                       takes an uncompressed Image)
#            arm64-upstream - the arm64 kernel plus test_kho (as upstream),
#                       build/images/Image-arm64-upstream
#            arm64-linux73 - upstream Linux 7.3 for arm64: base-arm64.config +
#                       linux73.config, build/images/Image-arm64-linux73
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VARIANT=${1:-main}
TREE=$BUILD/src/linux
OBJ=$BUILD/obj/$VARIANT
CFG=$TOP/kernel/configs

[ -d "$TREE" ] || die "no kernel tree; run scripts/kernel-prepare.sh"
UP=$BUILD/upstream/${UPSTREAM_LINUX_SOURCE:-linux-source-7.3}

# Variants built from the fetched upstream source are skipped without it.
need_upstream() {
	[ -f "$UP/lib/test_kho.c" ] && return 0
	say "no upstream source in $UP: not building the $VARIANT variant"
	rm -f "$BUILD/images/bzImage-$VARIANT" "$BUILD/images/Image-$VARIANT"
	exit 0
}

# The tree plus upstream's lib/test_kho.c built in: the same sources (hard
# links, same timestamps) at the same relative path from the object
# directory as the main tree, so that ccache finds the objects a build of
# the same configuration from the main tree made.
with_test_kho() {
	need_upstream
	rm -rf "$BUILD/up/src"
	mkdir -p "$BUILD/up/src" "$BUILD/up/obj"
	cp -al "$TREE" "$BUILD/up/src/linux"
	TREE=$BUILD/up/src/linux
	OBJ=$BUILD/up/obj/$VARIANT
	cp --remove-destination "$UP/lib/test_kho.c" "$TREE/lib/test_kho.c"
	cp --remove-destination "$BUILD/src/linux/lib/Makefile" "$TREE/lib/Makefile"
	echo 'obj-y += test_kho.o' >> "$TREE/lib/Makefile"
}

KTARGET=bzImage
KIMAGE=arch/x86/boot/bzImage
IMAGE=bzImage-$VARIANT
CROSS=()
case "$VARIANT" in
arm64*)
	KTARGET=Image
	KIMAGE=arch/arm64/boot/Image
	IMAGE=Image-$VARIANT
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		die "no aarch64-linux-gnu-gcc: run scripts/install-deps.sh arm64"
	CROSS=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	       CC="ccache aarch64-linux-gnu-gcc")
	case $VARIANT in
	arm64)	FRAGS=("$CFG/base-arm64.config" "$CFG/kho.config") ;;
	arm64-upstream)
		# The arm64 kernel itself plus test_kho: ccache has the rest.
		FRAGS=("$CFG/base-arm64.config" "$CFG/kho.config")
		with_test_kho ;;
	arm64-linux73)
		FRAGS=("$CFG/base-arm64.config" "$CFG/linux73.config")
		need_upstream
		TREE=$UP ;;
	*)	die "unknown kernel variant '$VARIANT'" ;;
	esac ;;
main)	FRAGS=("$CFG/base.config")
	[ -f "$CFG/kho.config" ] && FRAGS+=("$CFG/kho.config") ;;
nokho)	FRAGS=("$CFG/base.config" "$CFG/nokho.config") ;;
kasan)	FRAGS=("$CFG/base.config" "$CFG/kho.config" "$CFG/kasan.config") ;;
upstream)
	FRAGS=("$CFG/base.config" "$CFG/kho.config" "$CFG/upstream.config")
	with_test_kho ;;
linux73)
	FRAGS=("$CFG/base.config" "$CFG/linux73.config")
	need_upstream
	TREE=$UP ;;
linux73bench)
	# 7.3 plus tests/bench/kho_restore_time.c (inert until its debugfs
	# file is written), for make bench only; a hard-linked copy at the
	# same relative path from its object directory as 7.3's, so that
	# ccache finds what the linux73 build made.
	FRAGS=("$CFG/base.config" "$CFG/linux73.config")
	need_upstream
	rm -rf "$BUILD/up73/upstream"
	mkdir -p "$BUILD/up73/upstream" "$BUILD/up73/obj"
	cp -al "$UP" "$BUILD/up73/upstream/"
	TREE=$BUILD/up73/upstream/${UP##*/}
	OBJ=$BUILD/up73/obj/linux73
	cp --remove-destination "$TOP/tests/bench/kho_restore_time.c" "$TREE/lib/"
	cp --remove-destination "$UP/lib/Makefile" "$TREE/lib/Makefile"
	echo 'obj-y += kho_restore_time.o' >> "$TREE/lib/Makefile" ;;
*)	die "unknown kernel variant '$VARIANT'" ;;
esac
mkdir -p "$OBJ"
mkdir -p "$BUILD/images"

export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_BASEDIR=$BUILD
export CCACHE_COMPILERCHECK=content
KMAKE=(make -C "$TREE" O="$OBJ" -j"$(jobs_n)" -s CC="ccache gcc" HOSTCC="ccache gcc"
       KBUILD_BUILD_USER=kho KBUILD_BUILD_HOST=qemu "${CROSS[@]}")

# Regenerate .config only when a fragment (or the Kconfig it meets) changed.
stamp=$(cat "${FRAGS[@]}" "$TOP/config.mk" | sha256sum | cut -c1-16)
if [ "$(cat "$OBJ/.config.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$OBJ/.config" ]; then
	say "configuring $VARIANT"
	"${KMAKE[@]}" tinyconfig >/dev/null
	"$TREE/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" "${FRAGS[@]}" >/dev/null
	"${KMAKE[@]}" olddefconfig >/dev/null
	"$TOP/scripts/check-config.sh" "$OBJ/.config" "${FRAGS[@]}"
	printf '%s\n' "${FRAGS[@]}" > "$OBJ/.config.frags"
	echo "$stamp" > "$OBJ/.config.stamp"
fi

say "building $VARIANT kernel"
"${KMAKE[@]}" "$KTARGET"
cp "$OBJ/$KIMAGE" "$BUILD/images/$IMAGE.tmp"
mv "$BUILD/images/$IMAGE.tmp" "$BUILD/images/$IMAGE"
