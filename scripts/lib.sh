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
