# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's shell scripts. Source, do not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# shellcheck source=../config.mk
. "$TOP/config.mk"

die() { echo "error: $*" >&2; exit 1; }
# With KT_EPOCH (seconds since 1970, set by run.sh), each step also says
# when it started, as minutes:seconds into the run.
say() {
	local t=
	[ -n "${KT_EPOCH:-}" ] &&
		t=$(( $(date +%s) - KT_EPOCH )) && t=$(printf '[%d:%02d] ' $((t / 60)) $((t % 60)))
	echo "==> $t$*" >&2
}

jobs_n() { nproc 2>/dev/null || echo 2; }

# Kernel builds compile through ccache (build/ccache), with paths taken
# relative to build/ so that copies of a tree at the same relative place
# share objects; KCC holds the make variables that say so.
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_BASEDIR=$BUILD
export CCACHE_COMPILERCHECK=content
KCC=(CC="ccache gcc" HOSTCC="ccache gcc")

# as_root CMD...: run CMD as root, through sudo when we are not root.
as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

# cpio_extend BASE ROOT OUT: OUT is the newc archive BASE followed by one
# of everything under ROOT (the kernel unpacks concatenated archives one
# after the other).
cpio_extend() {
	local base=$1 root=$2 out=$3
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.extra"
	cat "$base" "$out.extra" > "$out.tmp"
	rm -f "$out.extra"
	mv "$out.tmp" "$out"
}

# tree_add_test_kho TREE UPSTREAM: upstream's lib/test_kho.c (unmodified)
# into TREE, and a lib/Makefile line that builds it only when make is
# given KT_TEST_KHO=y: the variants with it share the tree, and so the
# objects, of those without. Not part of the series (no patch touches
# lib/Makefile; a fresh prepare drops both).
tree_add_test_kho() {
	local tree=$1 up=$2
	cmp -s "$up/lib/test_kho.c" "$tree/lib/test_kho.c" ||
		cp "$up/lib/test_kho.c" "$tree/lib/test_kho.c"
	grep -qxF 'obj-$(KT_TEST_KHO) += test_kho.o' "$tree/lib/Makefile" ||
		echo 'obj-$(KT_TEST_KHO) += test_kho.o' >> "$tree/lib/Makefile"
}

# Debian's own configuration of the pinned kernel (package linux-config-6.12).
DEBIAN_CONFIG=${DEBIAN_CONFIG:-/usr/src/linux-config-${DEBIAN_LINUX_SOURCE#linux-source-}/config.amd64_none_amd64.xz}

# debian_config TREE OBJ FRAGMENT...: OBJ/.config is Debian's configuration
# with the fragments merged on top, checked to have kept what they ask for.
debian_config() {
	local tree=$1 obj=$2
	shift 2
	[ -f "$DEBIAN_CONFIG" ] || die "no $DEBIAN_CONFIG (install linux-config-6.12, scripts/install-deps.sh)"
	mkdir -p "$obj"
	xzcat "$DEBIAN_CONFIG" > "$obj/.config.debian"
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config.debian" "$@" >/dev/null
	make -C "$tree" O="$obj" -s "${KCC[@]}" olddefconfig >/dev/null
	"$TOP/scripts/check-config.sh" "$obj/.config" "$@"
}
