# SPDX-License-Identifier: GPL-2.0
# The exported format-patch series has a cover letter, applies with
# "git am" to the pristine Debian files, and reproduces the tree we build.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/host-lib.sh"
. "$TOP/config.mk"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
if ! bash "$TOP/scripts/export-patches.sh" "$W/out" > "$W/log" 2>&1; then
	cat "$W/log"
	kt_fail export "export-patches.sh failed"
	kt_end
fi
kt_pass export
kt_check cover-letter sh -c "grep -q '^Subject: \[PATCH 0*0/' $W/out/0000-cover-letter.patch && ! grep -q '\*\*\* .* HERE \*\*\*' $W/out/0000-cover-letter.patch"

n=$(sed -e 's/#.*//' "$TOP/kernel/series" | awk 'NF && $0 !~ /^[ \t]/' | wc -l)
kt_check one-patch-per-entry test "$(ls "$W/out" | grep -vc '^0000-')" = "$n"

touched=$(ls "$W"/out/*.patch | grep -v /0000- | xargs cat | sed -n 's|^--- a/||p' | sort -u)
mkdir "$W/git"
git -C "$W/git" init -q
if [ -n "$touched" ]; then
	tar -C "$W/git" -xf "/usr/src/$DEBIAN_LINUX_SOURCE.tar.xz" --strip-components=1 \
		$(printf "$DEBIAN_LINUX_SOURCE/%s " $touched)
fi
git -C "$W/git" add -A
git -C "$W/git" -c user.name=t -c user.email=t@t commit -q --allow-empty -m base
kt_check git-am git -C "$W/git" -c user.name=t -c user.email=t@t am -q $(ls "$W"/out/*.patch | grep -v /0000-)

# Same content as the tree the kernel is built from.
same=1
for f in $(cd "$W/git" && git ls-files); do
	cmp -s "$W/git/$f" "$TOP/build/src/linux/$f" || { echo "differs: $f"; same=0; }
done
kt_check matches-build-tree test $same = 1
kt_end
