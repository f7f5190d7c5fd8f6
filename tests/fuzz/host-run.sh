#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-run.sh TARGET...: the body of the tests/host/fuzz-*.sh scenarios.
# Builds the fuzz targets if needed, replays every kept crash input
# (regress/TARGET) and runs each target for SHORT_SECS seconds (45) from
# its seed corpus. Exit 0 on success, 1 on a failure, 2 (skip) when
# clang-14 with libFuzzer or the prepared kernel tree is missing.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
name=${KT_SCENARIO:-fuzz}
. "$TOP/tests/host-lib.sh"
KT_SCENARIO=$name
BUILD=${BUILD:-$TOP/build}
FUZZ=$TOP/tests/fuzz

kt_skip() {
	echo "KT: $KT_SCENARIO - SKIP $*"
	exit 2
}

command -v clang-14 >/dev/null ||
	kt_skip "clang-14 not installed (apt-get install clang-14 libclang-rt-14-dev)"
rt=$(clang-14 -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)
[ -f "$rt" ] || rt=$(find /usr/lib/llvm-14 -name 'libclang_rt.fuzzer-x86_64.a' 2>/dev/null | head -1)
[ -n "$rt" ] && [ -f "$rt" ] ||
	kt_skip "libFuzzer not installed (apt-get install libclang-rt-14-dev)"
[ -f "$BUILD/src/linux/scripts/dtc/libfdt/fdt.c" ] ||
	kt_skip "no prepared kernel tree for libfdt (make prepare)"

log=$BUILD/fuzz/host-$KT_SCENARIO.log
mkdir -p "$BUILD/fuzz"
if nice -n 19 make -s -C "$FUZZ" BUILD="$BUILD" T="$*" all > "$log" 2>&1; then
	kt_pass "build $*"
else
	tail -30 "$log"
	kt_fail "build" "building $* failed (log $log)"
	kt_end
fi
for t in "$@"; do
	if make -s -C "$FUZZ" BUILD="$BUILD" T="$t" regress > "$log" 2>&1; then
		kt_pass "regress-$t $(ls "$FUZZ/regress/$t" 2>/dev/null | wc -l) kept inputs replayed"
	else
		tail -60 "$log"
		kt_fail "regress-$t" "a kept crash input of tests/fuzz/regress/$t still crashes (log $log)"
		continue
	fi
	if make -s -C "$FUZZ" BUILD="$BUILD" T="$t" SHORT_SECS="${SHORT_SECS:-45}" \
		run-short > "$log" 2>&1; then
		kt_pass "short-run-$t $(grep -h '^stat::number_of_executed_units' "$BUILD/fuzz/short-$t.log" | awk '{print $2}') executions"
	else
		tail -60 "$BUILD/fuzz/short-$t.log"
		kt_fail "short-run-$t" "the fuzzer found a crash: input in $BUILD/fuzz/artifacts/$t/ (log $BUILD/fuzz/short-$t.log); replay with $BUILD/fuzz/fuzz-$t INPUT"
	fi
done
kt_end
