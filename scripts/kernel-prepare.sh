#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make build/src/linux the pinned Debian 6.12 source plus the project's
# changes: the patches of kernel/series applied in order with no fuzz, and
# the new files of kernel/files copied to their in-tree paths.
#
# Incremental: patches already applied and unchanged stay applied; only
# files whose content changed get a new mtime, so the kernel build after a
# one-file edit recompiles one file.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

SRC_ROOT=${SRC_ROOT:-$BUILD/src}
TREE=$SRC_ROOT/linux
STATE=$SRC_ROOT/state
TARBALL=${TARBALL:-/usr/src/$DEBIAN_LINUX_SOURCE.tar.xz}

check_version() {
	local have
	[ -n "${SKIP_VERSION_CHECK:-}" ] && return 0
	have=$(dpkg-query -W -f='${Version}' "$DEBIAN_LINUX_SOURCE" 2>/dev/null) ||
		die "$DEBIAN_LINUX_SOURCE is not installed (run scripts/install-deps.sh)"
	[ "$have" = "$DEBIAN_LINUX_VERSION" ] ||
		die "$DEBIAN_LINUX_SOURCE $have is installed but config.mk pins $DEBIAN_LINUX_VERSION"
	[ -f "$TARBALL" ] || die "missing $TARBALL"
}

extract() {
	say "unpacking $TARBALL"
	rm -rf "$TREE" "$STATE" "$SRC_ROOT/unpack"
	mkdir -p "$SRC_ROOT/unpack" "$STATE/applied"
	tar -C "$SRC_ROOT/unpack" -xf "$TARBALL"
	mv "$SRC_ROOT/unpack"/* "$TREE"
	rmdir "$SRC_ROOT/unpack"
	echo "$DEBIAN_LINUX_VERSION" > "$STATE/version"
	: > "$STATE/files.manifest"
	# Unpacked files keep the archive's old timestamps: objects built from
	# an edited version would look up to date. Start the builds afresh.
	rm -rf "$BUILD/obj" "$BUILD/up"
}

# apply_patch FILE NAME [-R]: dry-run first so a failing patch leaves the
# tree untouched, then apply for real. No fuzz is accepted.
apply_patch() {
	local file=$1 name=$2 rev=${3:-} out
	patch_has_diff "$file" || return 0
	if ! out=$(patch -d "$TREE" -p1 -F0 -N $rev --dry-run --no-backup-if-mismatch -s < "$file" 2>&1); then
		[ -n "$rev" ] && return 1
		echo "$out" >&2
		die "patch $name does not apply to $DEBIAN_LINUX_SOURCE $DEBIAN_LINUX_VERSION (see above); refresh it"
	fi
	patch -d "$TREE" -p1 -F0 -N $rev --no-backup-if-mismatch -s < "$file" >/dev/null
}

sync_patches() {
	local -a want applied
	local i first n name
	mapfile -t want < <(series_patches)
	mapfile -t applied < <(cd "$STATE/applied" && ls | LC_ALL=C sort)

	for name in "${want[@]}"; do
		[ -f "$PATCH_DIR/$name" ] || die "kernel/series names $name but kernel/patches/$name is missing"
	done

	# First position where what is applied differs from what is wanted.
	first=0
	while [ $first -lt ${#applied[@]} ] && [ $first -lt ${#want[@]} ] &&
	      [ "${applied[$first]#*-}" = "${want[$first]}" ] &&
	      cmp -s "$STATE/applied/${applied[$first]}" "$PATCH_DIR/${want[$first]}"; do
		first=$((first + 1))
	done

	for ((i = ${#applied[@]} - 1; i >= first; i--)); do
		name=${applied[$i]}
		if ! apply_patch "$STATE/applied/$name" "$name" -R; then
			say "cannot revert ${name#*-} cleanly; starting from a fresh tree"
			extract
			sync_patches
			return
		fi
		rm -f "$STATE/applied/$name"
	done

	for ((i = first; i < ${#want[@]}; i++)); do
		name=${want[$i]}
		apply_patch "$PATCH_DIR/$name" "$name"
		n=$(printf '%04d' $((i + 1)))
		cp "$PATCH_DIR/$name" "$STATE/applied/$n-$name"
		say "applied $name"
	done
}

sync_files() {
	local f
	local -A now=()
	while read -r f; do
		[ -n "$f" ] || continue
		now[$f]=1
		if [ -e "$TREE/$f" ] && ! grep -qxF "$f" "$STATE/files.manifest"; then
			die "kernel/files/$f would replace an upstream file; change it with a patch instead"
		fi
		if ! cmp -s "$FILES_DIR/$f" "$TREE/$f"; then
			mkdir -p "$(dirname "$TREE/$f")"
			cp "$FILES_DIR/$f" "$TREE/$f"
		fi
		grep -qxF "$f" "$STATE/files.manifest" || echo "$f" >> "$STATE/files.manifest"
	done < <(tree_files)

	# Files that left kernel/files leave the tree too.
	while read -r f; do
		[ -n "$f" ] || continue
		[ -n "${now[$f]:-}" ] || rm -f "$TREE/$f"
	done < "$STATE/files.manifest"
	tree_files > "$STATE/files.manifest"
}

check_version
if [ ! -d "$TREE" ] || [ "$(cat "$STATE/version" 2>/dev/null)" != "$DEBIAN_LINUX_VERSION" ]; then
	extract
fi
sync_patches
sync_files
