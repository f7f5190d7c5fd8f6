#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build one kernel variant out of tree: build/obj/VARIANT from
# build/src/linux, config = tinyconfig + kernel/configs/base.config +
# the variant's fragments; the image lands in build/images/bzImage-VARIANT.
#
# Variants:  main     - the project's kernel (base + kho.config when present)
#            upstream - main plus upstream Linux's own lib/test_kho.c built
#                       in (from build/upstream, scripts/fetch-upstream.sh;
#                       skipped without it), without pkernfs and with
#                       version 2 of the KSTATE self test (upstream.config):
#                       a 6.12 built differently for handovers to meet
#            nokho    - main without the handover options (nokho.config)
#            nothp    - the upstream variant without transparent huge
#                       pages, nor ACPI, EFI, PCI and NUMA (nothp.config,
#                       platform-min.config); built for the full run only
#            kasan    - main with KASAN (kasan.config), for campaigns that
#                       feed damaged handovers to the kernel (make mutate);
#                       not built by default, not in the test initramfs
#            linux73  - upstream Linux 7.3 itself (build/upstream, unmodified)
#                       with KHO and its KHO test, for handovers between
#                       the two kernels, without ACPI, EFI, PCI and NUMA
#                       (platform-min.config: it boots under SeaBIOS only);
#                       skipped when the upstream source is not there
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
#
# upstream and nokho start from a copy of main's object directory, and
# arm64-upstream from arm64's, the first time (seed_from): kbuild then
# compiles only what their few different options touch.
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

# Upstream's lib/test_kho.c built in: the file sits in the tree next to
# an inert lib/Makefile line (tree_add_test_kho, scripts/lib.sh) that
# builds it only when make is given KT_TEST_KHO=y.
with_test_kho() {
	need_upstream
	tree_add_test_kho "$TREE" "$UP"
	EXTRA+=(KT_TEST_KHO=y)
}

# seed_from VARIANT: a variant that differs from VARIANT in a few options
# starts, the first time, from a copy of VARIANT's built object directory:
# kbuild then compiles again only what the changed options touch (a
# fifth of the objects for nokho) instead of everything.
seed_from() {
	local seed=$BUILD/obj/$1
	[ -f "$OBJ/.config" ] && return 0
	[ -f "$seed/vmlinux" ] || return 0
	say "$VARIANT starts from the objects of $1"
	rm -rf "$OBJ"
	cp -a "$seed" "$OBJ"
	rm -f "$OBJ/.config.stamp" "$OBJ/.config.frags"
}

EXTRA=()
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
		# The arm64 kernel itself plus test_kho.
		FRAGS=("$CFG/base-arm64.config" "$CFG/kho.config")
		with_test_kho
		seed_from arm64 ;;
	arm64-linux73)
		FRAGS=("$CFG/base-arm64.config" "$CFG/linux73.config")
		need_upstream
		TREE=$UP ;;
	*)	die "unknown kernel variant '$VARIANT'" ;;
	esac ;;
main)	FRAGS=("$CFG/base.config")
	[ -f "$CFG/kho.config" ] && FRAGS+=("$CFG/kho.config") ;;
nokho)	FRAGS=("$CFG/base.config" "$CFG/kho.config" "$CFG/nokho.config")
	seed_from main ;;
nothp)	FRAGS=("$CFG/base.config" "$CFG/kho.config" "$CFG/upstream.config"
	       "$CFG/nothp.config" "$CFG/platform-min.config") ;;
kasan)	FRAGS=("$CFG/base.config" "$CFG/kho.config" "$CFG/kasan.config") ;;
upstream)
	FRAGS=("$CFG/base.config" "$CFG/kho.config" "$CFG/upstream.config")
	with_test_kho
	seed_from main ;;
linux73)
	FRAGS=("$CFG/base.config" "$CFG/linux73.config" "$CFG/platform-min.config")
	need_upstream
	TREE=$UP ;;
linux73bench)
	# 7.3 plus tests/bench/kho_restore_time.c (inert until its debugfs
	# file is written), for make bench only; a hard-linked copy at the
	# same relative path from its object directory as 7.3's, so that
	# ccache finds what the linux73 build made.
	FRAGS=("$CFG/base.config" "$CFG/linux73.config" "$CFG/platform-min.config")
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

KMAKE=(make -C "$TREE" O="$OBJ" -j"$(jobs_n)" -s "${KCC[@]}"
       KBUILD_BUILD_USER=kho KBUILD_BUILD_HOST=qemu "${CROSS[@]}" "${EXTRA[@]}")

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
