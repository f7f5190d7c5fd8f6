#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One entry point for a fresh Debian 12 machine: installs what is needed
# (apt-get, as root or through sudo), builds, and runs.
#
#   ./run.sh demo              the whole story in QEMU, console on screen
#   ./run.sh test [NAME...]    all scenarios, or the named ones
#   ./run.sh shell             boot the kernel to a shell (exit: Ctrl-A X)
set -euo pipefail
cd "$(dirname "$0")"
export KT_EPOCH=${KT_EPOCH:-$(date +%s)}
scripts/install-deps.sh
cmd=${1:-test}
[ $# -gt 0 ] && shift
case "$cmd" in
test)	exec make -s test T="$*" ;;
demo)	exec make -s demo ;;
shell)	exec make -s shell ;;
*)	echo "usage: ./run.sh demo | test [SCENARIO...] | shell" >&2; exit 2 ;;
esac
