# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's shell scripts. Source, do not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# shellcheck source=../config.mk
. "$TOP/config.mk"

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*" >&2; }

jobs_n() { nproc 2>/dev/null || echo 2; }

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
