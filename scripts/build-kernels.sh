#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kernels.sh LANE...: build kernel variants (scripts/kernel-build.sh),
# the lanes at the same time, the variants of one lane one after the other.
# A lane is a comma-separated list, e.g. "main,upstream,nokho": a variant
# that starts from another's objects (upstream and nokho from main's,
# arm64-upstream from arm64's) goes after it in the same lane. Two lanes
# keep two CPUs busy while one of them configures or links, which a
# single build does on one CPU. Exits non-zero when any variant failed,
# after the other lanes are done.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# lane VARIANT...: build them in order; stop at the first failure.
lane() {
	local v
	for v in "$@"; do
		if ! "$TOP/scripts/kernel-build.sh" "$v"; then
			echo "error: the $v kernel did not build" >&2
			return 1
		fi
	done
}

# The variants with upstream's test_kho.c change the tree they share with
# the others: before any lane starts.
up=$BUILD/upstream/${UPSTREAM_LINUX_SOURCE:-linux-source-7.3}
[ -f "$up/lib/test_kho.c" ] && tree_add_test_kho "$BUILD/src/linux" "$up"

pids=()
for l in "$@"; do
	IFS=, read -r -a variants <<< "$l"
	[ ${#variants[@]} -gt 0 ] || continue
	lane "${variants[@]}" &
	pids+=($!)
done
rc=0
for p in "${pids[@]}"; do
	wait "$p" || rc=1
done
exit $rc
