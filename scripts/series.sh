# SPDX-License-Identifier: GPL-2.0
# Reading kernel/series. Source, do not run.
#
# kernel/series lists the patches in order, one per line. Lines that
# start with whitespace and '+' name new files (under kernel/files/) that
# belong to the commit of the patch above them; the export step uses that
# to put each new file into the right commit. '#' starts a comment.

SERIES_FILE=${SERIES_FILE:-$TOP/kernel/series}
PATCH_DIR=${PATCH_DIR:-$TOP/kernel/patches}
FILES_DIR=${FILES_DIR:-$TOP/kernel/files}

# series_patches: print the patch names in order.
series_patches() {
	[ -f "$SERIES_FILE" ] || return 0
	sed -e 's/#.*//' "$SERIES_FILE" | awk 'NF && $0 !~ /^[ \t]/ { print $1 }'
}

# series_files_of PATCH: print the new files claimed by PATCH.
series_files_of() {
	[ -f "$SERIES_FILE" ] || return 0
	sed -e 's/#.*//' "$SERIES_FILE" | awk -v p="$1" '
		NF && $0 !~ /^[ \t]/ { cur = $1; next }
		NF && $1 == "+" && cur == p { print $2 }'
}

# patch_has_diff PATCH_FILE: true when the patch changes existing files.
patch_has_diff() {
	grep -q '^--- ' "$1"
}

# tree_files: every new file kept under kernel/files, relative paths.
tree_files() {
	[ -d "$FILES_DIR" ] || return 0
	(cd "$FILES_DIR" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
}
