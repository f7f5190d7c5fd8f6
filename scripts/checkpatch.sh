#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the tree's checkpatch.pl --no-tree over every new kernel file and
# every patch of the series.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"
CP="$BUILD/src/linux/scripts/checkpatch.pl"
[ -x "$CP" ] || die "run 'make prepare' first"
OPTS=(--no-tree --quiet --show-types)
rc=0
while read -r f; do
	[ -n "$f" ] || continue
	case "$f" in *.c|*.h) ;; *) continue ;; esac
	"$CP" "${OPTS[@]}" -f "$FILES_DIR/$f" || rc=1
done < <(tree_files)
for p in $(series_patches); do
	# A commit of new files only has no diff to check.
	patch_has_diff "$PATCH_DIR/$p" || continue
	"$CP" "${OPTS[@]}" --ignore FILE_PATH_CHANGES "$PATCH_DIR/$p" || rc=1
done
[ $rc = 0 ] && echo "checkpatch: clean"
exit $rc
