#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Export the kernel changes as a "git format-patch" series with a cover
# letter, in build/export/ (or $1). Each entry of kernel/series becomes one
# commit: its diff plus the new files listed under it. Every file under
# kernel/files must belong to exactly one commit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

OUT=${1:-$BUILD/export}
REPO=$BUILD/export-git
TARBALL=${TARBALL:-/usr/src/$DEBIAN_LINUX_SOURCE.tar.xz}
COVER=$TOP/kernel/cover-letter.txt
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
export GIT_COMMITTER_NAME="KHO 6.12 maintainers" GIT_COMMITTER_EMAIL="kho@localhost"

mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "kernel/series is empty"

# Every new file claimed once.
declare -A owner=()
for p in "${patches[@]}"; do
	[ -f "$PATCH_DIR/$p" ] || die "kernel/patches/$p is missing"
	while read -r f; do
		[ -n "$f" ] || continue
		[ -f "$FILES_DIR/$f" ] || die "kernel/series: $p claims $f, which is not in kernel/files"
		[ -z "${owner[$f]:-}" ] || die "$f is claimed by both ${owner[$f]} and $p"
		owner[$f]=$p
	done < <(series_files_of "$p")
done
while read -r f; do
	[ -n "$f" ] || continue
	[ -n "${owner[$f]:-}" ] || die "kernel/files/$f belongs to no patch; list it as '	+ $f' in kernel/series"
done < <(tree_files)

# A repository holding the pristine versions of the touched files.
touched=$(cat "${patches[@]/#/$PATCH_DIR/}" | sed -n 's|^--- a/||p' | sed 's/\t.*//' | sort -u)
rm -rf "$REPO"
mkdir -p "$REPO"
git -C "$REPO" init -q -b export
if [ -n "$touched" ]; then
	tar -C "$REPO" -xf "$TARBALL" --strip-components=1 \
		$(printf "$DEBIAN_LINUX_SOURCE/%s " $touched)
fi
git -C "$REPO" add -A
git -C "$REPO" -c user.name="$GIT_COMMITTER_NAME" -c user.email="$GIT_COMMITTER_EMAIL" \
	commit -q --allow-empty -m "Debian $DEBIAN_LINUX_SOURCE $DEBIAN_LINUX_VERSION (touched files only)"
git -C "$REPO" tag base

for p in "${patches[@]}"; do
	file=$PATCH_DIR/$p
	author=$(sed -n 's/^From: //p;/^$/q' "$file" | head -1)
	subject=$(sed -n 's/^Subject: \(\[PATCH[^]]*\] \)\?//p;/^$/q' "$file" | head -1)
	[ -n "$author" ] && [ -n "$subject" ] || die "$p needs From: and Subject: headers"
	{
		echo "$subject"
		echo
		sed -n '/^$/,/^---$/p' "$file" | sed '1d;$d'
	} > "$REPO/.git/msg"
	if patch_has_diff "$file"; then
		sed -n '/^---$/,$p' "$file" | sed '1d' | git -C "$REPO" apply --index - ||
			die "$p does not apply to the pristine files"
	fi
	while read -r f; do
		[ -n "$f" ] || continue
		mkdir -p "$REPO/$(dirname "$f")"
		cp "$FILES_DIR/$f" "$REPO/$f"
		git -C "$REPO" add "$f"
	done < <(series_files_of "$p")
	git -C "$REPO" -c user.name="$GIT_COMMITTER_NAME" -c user.email="$GIT_COMMITTER_EMAIL" \
		commit -q --author="$author" -F .git/msg
done

rm -rf "$OUT"
mkdir -p "$OUT"
git -C "$REPO" format-patch -q --cover-letter -o "$OUT" base..HEAD
cover=$(ls "$OUT"/0000-*.patch)
if [ -f "$COVER" ]; then
	python3 - "$cover" "$COVER" <<'PY'
import sys
cover, text = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
subject, _, blurb = text.partition("\n")
s = open(cover).read()
s = s.replace("*** SUBJECT HERE ***", subject.strip())
s = s.replace("*** BLURB HERE ***", blurb.strip("\n"))
open(cover, "w").write(s)
PY
fi
say "exported $(ls "$OUT" | wc -l) files to $OUT"
