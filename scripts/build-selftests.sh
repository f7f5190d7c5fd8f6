#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build upstream's live update selftests (tools/testing/selftests/liveupdate
# of Debian's linux-source-7.3, fetched by fetch-upstream.sh) against this
# project's 6.12 uAPI headers, statically, into build/selftests/liveupdate
# for the initramfs. Nothing of them is kept in this repository.
# "build-selftests.sh arm64": the same for arm64, cross-built against the
# arm64 kernel's headers, into build/selftests-arm64/liveupdate.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

UP=$BUILD/upstream/linux-source-7.3
SRC=$UP/tools/testing/selftests/liveupdate
case ${1:-x86_64} in
x86_64)	OUT=$BUILD/selftests/liveupdate
	KOBJ=$BUILD/obj/main
	CROSS=()
	CC=gcc ;;
arm64)	OUT=$BUILD/selftests-arm64/liveupdate
	KOBJ=$BUILD/obj/arm64
	CROSS=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	CC=aarch64-linux-gnu-gcc ;;
*)	die "unknown architecture $1" ;;
esac
HDR=$KOBJ/usr/include

if [ ! -d "$SRC" ]; then
	say "no upstream source: live update selftests not built"
	exit 0
fi
[ -f "$KOBJ/.config" ] || die "build the ${KOBJ##*/} kernel first"

# Our uAPI headers, as "make headers" installs them.
make -C "$BUILD/src/linux" O="$KOBJ" -s "${CROSS[@]}" headers
[ -f "$HDR/linux/liveupdate.h" ] || die "no linux/liveupdate.h in $HDR"

mkdir -p "$OUT"
# The tests' objects land in the source directory, whichever architecture
# built them last: start from none.
rm -f "$SRC"/*.o "$SRC"/*.d
LDFLAGS=-static make -C "$SRC" -s OUTPUT="$OUT" KHDR_INCLUDES="-isystem $HDR" \
	CC="$CC" all >/dev/null
for t in liveupdate luo_kexec_simple luo_multi_session luo_stress_sessions \
	 luo_stress_files; do
	file "$OUT/$t" | grep -q "statically linked" || die "$t is not a static binary"
done
say "live update selftests (upstream 7.3) in $OUT"
