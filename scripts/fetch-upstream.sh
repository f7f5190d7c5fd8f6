#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source-7.3 (upstream Linux, from trixie-backports)
# into build/upstream/linux-source-7.3, without touching the system's apt
# configuration. Used to build upstream's own tests (lib/test_kho.c,
# selftests) against this project's headers and kernels; nothing from it
# is committed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKG=${UPSTREAM_LINUX_SOURCE:-linux-source-7.3}
DEST=$BUILD/upstream
APT=$BUILD/upstream/apt
[ -d "$DEST/$PKG" ] && exit 0

mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$DEST"
cat > "$APT/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
SRC
APTOPTS=(-o Dir::Etc::SourceList="$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null
	 -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache"
	 -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
say "fetching $PKG from trixie-backports"
apt-get "${APTOPTS[@]}" -qq update
(cd "$APT" && apt-get "${APTOPTS[@]}" -qq download "$PKG")
rm -rf "$APT/x"
dpkg-deb -x "$APT"/"$PKG"_*.deb "$APT/x"
tar -C "$DEST" -xf "$APT"/x/usr/src/"$PKG".tar.xz
say "upstream source in $DEST/$PKG"
