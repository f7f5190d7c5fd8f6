# SPDX-License-Identifier: GPL-2.0
# kernel-prepare.sh on a synthetic source tarball: patches apply in order,
# a patch that needs fuzz stops the build naming it and leaves the tree as
# it was, edits re-apply incrementally, new files cannot shadow upstream.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/host-lib.sh"
set -u

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/pkg/linux-source-test" "$W/kernel/patches" "$W/kernel/files/lib"
seq 1 40 > "$W/pkg/linux-source-test/a.txt"
seq 100 140 > "$W/pkg/linux-source-test/b.txt"
tar -C "$W/pkg" -cJf "$W/src.tar.xz" linux-source-test

mkdiff() { # FILE SEDEXPR > patch
	cp "$W/pkg/linux-source-test/$1" "$W/x"
	sed "$2" "$W/x" > "$W/y"
	printf 'From: t <t@t>\nSubject: [PATCH] t\n\nt\n---\n'
	diff -u --label "a/$1" --label "b/$1" "$W/x" "$W/y"
}
mkdiff a.txt 's/^10$/ten/' > "$W/kernel/patches/p1.patch"
mkdiff b.txt 's/^120$/one-twenty/' > "$W/kernel/patches/p2.patch"
echo "new file" > "$W/kernel/files/lib/new.c"
printf 'p1.patch\n\t+ lib/new.c\np2.patch\n' > "$W/kernel/series"

prep() {
	BUILD=$W/build SRC_ROOT=$W/build/src TARBALL=$W/src.tar.xz \
	SERIES_FILE=$W/kernel/series PATCH_DIR=$W/kernel/patches \
	FILES_DIR=$W/kernel/files SKIP_VERSION_CHECK=1 \
	DEBIAN_LINUX_SOURCE=linux-source-test \
	bash "$TOP/scripts/kernel-prepare.sh" > "$W/out" 2>&1
}
T=$W/build/src/linux

kt_check first-prepare prep
kt_check patch1-applied grep -qx ten "$T/a.txt"
kt_check patch2-applied grep -qx one-twenty "$T/b.txt"
kt_check new-file-copied cmp -s "$W/kernel/files/lib/new.c" "$T/lib/new.c"

# Re-running with nothing changed touches nothing.
touch -d '2000-01-01' "$T/a.txt" "$T/b.txt" "$T/lib/new.c"
kt_check second-prepare prep
kt_check unchanged-untouched test -z "$(find "$T" -newermt 2001-01-01 -type f)"

# Changing p2 only re-applies p2: a.txt keeps its mtime.
mkdiff b.txt 's/^121$/one-twenty-one/' > "$W/kernel/patches/p2.patch"
kt_check changed-patch prep
kt_check changed-patch-old-hunk-reverted grep -qx 120 "$T/b.txt"
kt_check changed-patch-new-hunk grep -qx one-twenty-one "$T/b.txt"
kt_check earlier-patch-untouched test ! "$T/a.txt" -nt "$W/src.tar.xz"

# A patch whose context does not match exactly (would need fuzz) fails,
# names the patch, and leaves the tree as it was.
cat > "$W/kernel/patches/p3.patch" <<'P'
From: t <t@t>
Subject: [PATCH] fuzzy

---
--- a/a.txt
+++ b/a.txt
@@ -29,7 +29,7 @@
 29
 30
 31
-32
+thirty-two
 33
 34
 NOT-THERE
P
echo p3.patch >> "$W/kernel/series"
cp -a "$T" "$W/before"
if prep; then
	kt_fail fuzzy-patch-refused "prepare succeeded"
else
	kt_check fuzzy-patch-named grep -q "patch p3.patch does not apply" "$W/out"
fi
kt_check fuzzy-patch-tree-intact diff -r "$W/before" "$T"

# Dropping a patch from the series reverts it.
sed -i '/p3.patch/d;/p2.patch/d' "$W/kernel/series"
kt_check dropped-patch prep
kt_check dropped-patch-reverted grep -qx 121 "$T/b.txt"

# Removing a new file removes it from the tree.
rm "$W/kernel/files/lib/new.c"
kt_check removed-file prep
kt_check removed-file-gone test ! -e "$T/lib/new.c"

# A new file may not replace an upstream one.
cp "$W/pkg/linux-source-test/b.txt" "$W/kernel/files/b.txt"
echo changed >> "$W/kernel/files/b.txt"
if prep; then
	kt_fail shadow-refused "prepare succeeded"
else
	kt_check shadow-refused grep -q "would replace an upstream file" "$W/out"
fi
kt_end
