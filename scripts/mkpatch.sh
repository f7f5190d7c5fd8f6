#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkpatch.sh NAME FILE...: (re)write kernel/patches/NAME from the edits made
# to FILEs in build/src/linux, diffed against the pristine Debian source.
# An existing header (From:/Subject:/description up to the '---' line) is
# kept; a new patch gets a template header to fill in. Add NAME to
# kernel/series yourself.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

name=$1; shift
[ $# -gt 0 ] || die "usage: mkpatch.sh NAME FILE..."
TREE=$BUILD/src/linux
TARBALL=/usr/src/$DEBIAN_LINUX_SOURCE.tar.xz
out=$PATCH_DIR/$name
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Earlier patches of the series that touch the same files form the base.
earlier=()
for p in $(series_patches); do
	[ "$p" = "$name" ] && break
	for f in "$@"; do
		if grep -q "^+++ b/$f\$" "$PATCH_DIR/$p"; then
			earlier+=("$p")
			break
		fi
	done
done
files=("$@")
for p in "${earlier[@]}"; do
	mapfile -t -O "${#files[@]}" files < <(sed -n 's|^+++ b/||p' "$PATCH_DIR/$p" | sed 's/\t.*//')
done
mapfile -t files < <(printf '%s\n' "${files[@]}" | sort -u)

top=$DEBIAN_LINUX_SOURCE
tar -C "$tmp" -xf "$TARBALL" $(printf "$top/%s " "${files[@]}")
for p in "${earlier[@]}"; do
	patch -d "$tmp/$top" -p1 -F0 -s --no-backup-if-mismatch < "$PATCH_DIR/$p" ||
		die "earlier patch $p does not apply"
done
: > "$tmp/diff"
for f in "$@"; do
	(cd "$tmp" && mkdir -p "b/$(dirname "$f")" && cp "$TREE/$f" "b/$f" &&
	 mkdir -p "a/$(dirname "$f")" && cp "$top/$f" "a/$f" &&
	 { diff -up --label "a/$f" --label "b/$f" "a/$f" "b/$f" || true; } |
	 sed "1i diff --git a/$f b/$f") >> "$tmp/diff"
done

if [ -f "$out" ]; then
	sed -n '1,/^---$/p' "$out" > "$tmp/head"
else
	cat > "$tmp/head" <<HDR
From: KHO 6.12 maintainers <kho@localhost>
Subject: [PATCH] subsystem: one line summary

Describe what changes and why.

Signed-off-by: KHO 6.12 maintainers <kho@localhost>
---
HDR
fi
cat "$tmp/head" "$tmp/diff" > "$out"
echo "wrote $out"
