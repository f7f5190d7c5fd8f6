#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check the packages "make deb" built (scripts/kernel-deb.sh) before the
# deb-kernel scenario boots them:
# - the linux-image package holds one kernel release: its vmlinuz and its
#   modules, and a linux-headers package of the same release is there;
# - every module's symbols resolve, at the versions the kernel and the
#   other modules export (depmod -e against the Module.symvers of the
#   linux-headers package, which lists the kernel's exports and their
#   CRCs);
# - every module carries a signature (that the kernel accepts the key is
#   checked in the guest: the scenario's modules load without the
#   unsigned-module taint).
# Then it puts the modules the scenario loads (loop, vfat and what they
# need, as the package ships them: signed and xz-compressed) and the
# package's module index into build/deb/initramfs-extra, which
# scripts/mkinitramfs-with.sh adds to the deb initramfs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DEB=$BUILD/deb
IMG=$DEB/image
HDR=$DEB/headers
EXTRA=$DEB/initramfs-extra
# What the scenario loads; modprobe adds what they depend on.
MODULES=(loop vfat nls_cp437 nls_ascii)

[ -d "$IMG/lib/modules" ] || die "no unpacked linux-image package in $IMG (scripts/kernel-deb.sh)"
command -v depmod >/dev/null || die "depmod missing (scripts/install-deps.sh installs kmod)"
mapfile -t rels < <(ls "$IMG/lib/modules")
[ ${#rels[@]} -eq 1 ] || die "expected one kernel release in the linux-image package, found: ${rels[*]:-none}"
rel=${rels[0]}
MOD=$IMG/lib/modules/$rel
[ -f "$IMG/boot/vmlinuz-$rel" ] || die "the linux-image package has no boot/vmlinuz-$rel"

hdr=$(ls "$DEB"/linux-headers-"$rel"_*.deb 2>/dev/null | head -1)
[ -n "$hdr" ] || die "no linux-headers package for $rel in $DEB"
rm -rf "$HDR"
dpkg-deb -x "$hdr" "$HDR"
symvers=$HDR/usr/src/linux-headers-$rel/Module.symvers
[ -f "$symvers" ] || die "the linux-headers package has no Module.symvers"

nmod=$(find "$MOD/kernel" -name '*.ko*' | wc -l)
[ "$nmod" -gt 0 ] || die "the linux-image package holds no modules"

# depmod -e names each unresolved symbol (and, with -E, each version
# that disagrees with the one exported) on stderr.
depmod -b "$IMG" -e -E "$symvers" "$rel" 2> "$DEB/depmod.log" ||
	die "depmod failed: $(head -5 "$DEB/depmod.log")"
if grep -q . "$DEB/depmod.log"; then
	head -20 "$DEB/depmod.log" >&2
	die "$(wc -l < "$DEB/depmod.log") depmod findings (all in $DEB/depmod.log)"
fi
say "$nmod modules of $rel: every symbol resolves, at the version exported (depmod -e -E Module.symvers)"

# Signed at build time (CONFIG_MODULE_SIG_ALL), then xz-compressed
# (CONFIG_MODULE_COMPRESS_XZ): unpacked, each module ends with the
# signature's marker. This checks that a signature is there, not whose.
unsigned=0
while IFS= read -r -d '' ko; do
	if ! xz -dc "$ko" | tail -c 28 | grep -qax '~Module signature appended~'; then
		echo "unsigned: ${ko#"$MOD"/}" >&2
		unsigned=$((unsigned + 1))
	fi
done < <(find "$MOD/kernel" -name '*.ko*' -print0)
[ "$unsigned" -eq 0 ] || die "$unsigned of $nmod modules carry no signature (or are not xz-compressed)"
say "every module is xz-compressed and carries a signature"

rm -rf "$EXTRA"
mkdir -p "$EXTRA/lib/modules/$rel"
cp "$MOD"/modules.* "$EXTRA/lib/modules/$rel/"
files=
for m in "${MODULES[@]}"; do
	deps=$(modprobe -d "$IMG" -S "$rel" --show-depends "$m" | awk '$1 == "insmod" { print $2 }') ||
		die "modprobe finds no module $m in the package"
	[ -n "$deps" ] || die "module $m is built in or missing: the scenario loads it"
	files="$files $deps"
done
files=$(echo $files | tr ' ' '\n' | sort -u)
for f in $files; do
	(cd "$IMG" && cp --parents "${f#"$IMG"/}" "$EXTRA/")
done
say "for the deb-kernel scenario: $(echo "$files" | wc -l) modules in $EXTRA"
