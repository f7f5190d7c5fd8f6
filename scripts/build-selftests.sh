#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build upstream's live update selftests (tools/testing/selftests/liveupdate
# of Debian's linux-source-7.3, fetched by fetch-upstream.sh) against this
# project's 6.12 uAPI headers, statically, into build/selftests/liveupdate
# for the initramfs. Nothing of them is kept in this repository.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

UP=$BUILD/upstream/linux-source-7.3
SRC=$UP/tools/testing/selftests/liveupdate
OUT=$BUILD/selftests/liveupdate
HDR=$BUILD/obj/main/usr/include

if [ ! -d "$SRC" ]; then
	say "no upstream source: live update selftests not built"
	exit 0
fi
[ -f "$BUILD/obj/main/.config" ] || die "build the main kernel first"

# Our uAPI headers, as "make headers" installs them.
make -C "$BUILD/src/linux" O="$BUILD/obj/main" -s headers
[ -f "$HDR/linux/liveupdate.h" ] || die "no linux/liveupdate.h in $HDR"

mkdir -p "$OUT"
LDFLAGS=-static make -C "$SRC" -s OUTPUT="$OUT" KHDR_INCLUDES="-isystem $HDR" \
	CC=gcc all >/dev/null
for t in liveupdate luo_kexec_simple luo_multi_session luo_stress_sessions \
	 luo_stress_files; do
	file "$OUT/$t" | grep -q "statically linked" || die "$t is not a static binary"
done
say "live update selftests (upstream 7.3) in $OUT"
