#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [-l] [SCENARIO...]: run test scenarios and report.
#
# A guest scenario is tests/guest/scenarios/NAME.sh: it boots in QEMU and
# may kexec through several stages; it passes when its serial log shows at
# least one PASS, no FAIL, and KT-DONE. A host scenario is
# tests/host/NAME.sh: a script run here that exits 0 on success.
# Settings for a guest scenario come from its "# kt: NAME=value" lines:
# KT_MEM, KT_SMP, KT_KERNEL (variant booted first), KT_APPEND, KT_TIMEOUT,
# KT_INITRD (vm: the initramfs with QEMU, build/initramfs-vm.cpio;
# kasan: with the KASAN kernel), KT_FIRMWARE (bios or efi), KT_NUMA (NUMA
# nodes), KT_CAMPAIGN=1 (a long campaign: run only when named),
# KT_ALONE=1 (host or guest: runs last, with nothing else, for timing),
# KT_FULL=1 (only in the full run, FULL=1, or when named: it needs a
# kernel only that run builds),
# KT_ARM64=1 (also runs on arm64, as NAME@arm64; =only: only there; QEMU's virt machine,
# build/images/Image-arm64 and build/initramfs-arm64.cpio from
# "make arm64"), KT_ARM64_DEFAULT=1 (NAME@arm64 is in the default run;
# the others only with ARM64=all). ARM64=no leaves arm64 out; arm64
# scenarios are listed only when the arm64 kernel and initramfs are there.
# KT_JOBS=N runs N scenarios at once (default: the number of CPUs), host
# scenarios one at a time.
#
# Logs: build/logs/NAME.log; failed ones are also copied to
# build/logs/failed/. The last line is "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

LOGS=$BUILD/logs
GUEST=$TOP/tests/guest/scenarios
HOST=$TOP/tests/host

# Scenarios of the default run: campaigns ("# kt: KT_CAMPAIGN=1", long
# runs such as the soak) run only when named.
all_scenarios() {
	local f
	for f in "$HOST"/*.sh "$GUEST"/*.sh; do
		[ -f "$f" ] || continue
		grep -q '^# kt: .*KT_CAMPAIGN=1' "$f" && continue
		grep -q '^# kt: .*KT_ARM64=only' "$f" && continue
		[ "${FULL:-0}" = 1 ] || ! grep -q '^# kt: .*KT_FULL=1' "$f" || continue
		basename "$f" .sh
	done
	[ "${ARM64:-default}" != no ] && arm64_ready || return 0
	[ "${FULL:-0}" = 1 ] && ARM64=all
	for f in "$GUEST"/*.sh; do
		grep -q '^# kt: .*KT_CAMPAIGN=1' "$f" && continue
		grep -qE '^# kt: .*KT_ARM64=(1|only)' "$f" || continue
		[ "${ARM64:-default}" = all ] || grep -q '^# kt: .*KT_ARM64_DEFAULT=1' "$f" || continue
		echo "$(basename "$f" .sh)@arm64"
	done
}

arm64_ready() {
	[ -f "$BUILD/images/Image-arm64" ] && [ -f "$BUILD/initramfs-arm64.cpio" ]
}

if [ "${1:-}" = "-l" ]; then
	all_scenarios
	exit 0
fi

# scenario_setting FILE NAME DEFAULT
scenario_setting() {
	local v
	v=$(sed -n "s/^# kt: .*\b$2=\(\"[^\"]*\"\|[^ ]*\).*/\1/p" "$1" | head -1)
	v=${v#\"}; v=${v%\"}
	echo "${v:-$3}"
}

run_guest() {
	local name=$1 file=$GUEST/${1%@*}.sh log=$LOGS/$1.log
	local mem smp kernel append timeout initrd firmware nodes rc image arch
	mem=$(scenario_setting "$file" KT_MEM 1G)
	smp=$(scenario_setting "$file" KT_SMP 2)
	kernel=$(scenario_setting "$file" KT_KERNEL main)
	append=$(scenario_setting "$file" KT_APPEND "")
	timeout=$(scenario_setting "$file" KT_TIMEOUT 120)
	initrd=$(scenario_setting "$file" KT_INITRD "")
	firmware=$(scenario_setting "$file" KT_FIRMWARE bios)
	nodes=$(scenario_setting "$file" KT_NUMA 1)
	initrd=$BUILD/initramfs${initrd:+-$initrd}.cpio
	image=$BUILD/images/bzImage-$kernel
	arch=x86_64
	if [ "${name#*@}" = arm64 ]; then
		# Only this project's kernel, from the plain test initramfs, yet.
		arch=arm64
		image=$BUILD/images/Image-arm64
		[ "$kernel" = main ] || image=$BUILD/images/Image-arm64-$kernel
		initrd=${initrd%.cpio}-arm64.cpio
	fi
	if [ ! -f "$image" ]; then
		echo "KT: $name - SKIP no kernel image ${image##*/}" > "$LOGS/$name.results"
		return 2
	fi
	if [ ! -f "$initrd" ]; then
		echo "KT: $name - SKIP no initramfs $initrd" > "$LOGS/$name.results"
		return 2
	fi
	"$TOP/tests/vm.sh" -k "$image" -i "$initrd" -m "$mem" -s "$smp" \
		-t "$timeout" -l "$log" -f "$firmware" -n "$nodes" -A "$arch" \
		-a "kt.scenario=${name%@*} $append"
	rc=$?
	tr -d '\r' < "$log" | grep -a -o 'KT: .*\|KT-DONE: .*\|KT-KEXEC: .*' > "$LOGS/$name.results"
	[ $rc = 124 ] && echo "KT: $name - FAIL timeout after ${timeout}s" >> "$LOGS/$name.results"
	if grep -a -q "Kernel panic" "$log"; then
		echo "KT: $name - FAIL kernel-panic $(grep -a -m1 'Kernel panic' "$log")" >> "$LOGS/$name.results"
	fi
	grep -q ' PASS ' "$LOGS/$name.results" || echo "KT: $name - FAIL no-checks no PASS line" >> "$LOGS/$name.results"
	grep -q '^KT-DONE: ' "$LOGS/$name.results" || echo "KT: $name - FAIL not-done no KT-DONE line" >> "$LOGS/$name.results"
	! grep -q '^KT: [^ ]* [^ ]* FAIL ' "$LOGS/$name.results"
}

run_host() {
	local name=$1 log=$LOGS/$1.log rc
	bash "$HOST/$name.sh" > "$log" 2>&1
	rc=$?
	grep -a -o 'KT: .*' "$log" > "$LOGS/$name.results"
	# Exit 2 with a "KT: NAME - SKIP reason" line: something it needs is missing.
	if [ $rc = 2 ] && grep -q '^KT: [^ ]* - SKIP ' "$LOGS/$name.results"; then
		grep '^KT: [^ ]* - SKIP ' "$LOGS/$name.results" > "$LOGS/$name.results.skip"
		mv "$LOGS/$name.results.skip" "$LOGS/$name.results"
		return 2
	fi
	[ $rc = 0 ] || echo "KT: $name - FAIL exit-status $rc" >> "$LOGS/$name.results"
	grep -q ' PASS ' "$LOGS/$name.results" || echo "KT: $name - FAIL no-checks no PASS line" >> "$LOGS/$name.results"
	! grep -q '^KT: [^ ]* [^ ]* FAIL ' "$LOGS/$name.results"
}

# run_one NAME: run one scenario; its verdict (0 pass, 1 fail, 2 skip,
# 3 unknown) and seconds go to $LOGS/NAME.rc.
run_one() {
	local name=$1 start ok
	start=$(date +%s.%N)
	if [ -f "$GUEST/${name%@arm64}.sh" ]; then
		run_guest "$name"; ok=$?
	elif [ -f "$HOST/$name.sh" ]; then
		run_host "$name"; ok=$?
	else
		ok=3
	fi
	echo "$ok $(echo "$(date +%s.%N) - $start" | bc)" > "$LOGS/$name.rc"
}

# report NAME: print the verdict of a finished scenario and count it.
report() {
	local name=$1 ok secs
	read -r ok secs < "$LOGS/$name.rc"
	rm -f "$LOGS/$name.rc"
	case $ok in
	0)	passed=$((passed + 1))
		printf 'PASS  %-32s %6.1fs\n' "$name" "$secs" ;;
	2)	skipped=$((skipped + 1))
		printf 'SKIP  %-32s %s\n' "$name" "$(cut -d' ' -f5- "$LOGS/$name.results")"
		return ;;
	3)	echo "unknown scenario '$name' (see tests/run.sh -l)"
		failed=$((failed + 1)); failed_names+=("$name")
		return ;;
	*)	failed=$((failed + 1)); failed_names+=("$name")
		printf 'FAIL  %-32s %6.1fs  log: %s\n' "$name" "$secs" "build/logs/failed/$name.log"
		cp "$LOGS/$name.log" "$LOGS/failed/$name.log"
		sed 's/^/      /' "$LOGS/$name.results" | grep -E 'FAIL|KT-DONE' | head -20 ;;
	esac
	if [ -n "${KT_VERBOSE:-}" ]; then
		sed 's/^/      /' "$LOGS/$name.results"
	fi
}

# Scenarios run KT_JOBS at a time (default: one per CPU): a QEMU guest
# under TCG keeps about one CPU busy. Host scenarios, which build and
# fuzz, run one at a time; those marked "# kt: KT_ALONE=1" (timing) run
# last, with nothing else.
setting_of() {
	local f=$GUEST/${1%@arm64}.sh
	[ -f "$f" ] || f=$HOST/$1.sh
	[ -f "$f" ] || { echo "$3"; return; }
	scenario_setting "$f" "$2" "$3"
}

mkdir -p "$LOGS/failed"
if [ $# -eq 0 ]; then
	mapfile -t names < <(all_scenarios)
else
	names=("$@")
fi
JOBS=${KT_JOBS:-$(nproc)}
[ "$JOBS" -ge 1 ] 2>/dev/null || JOBS=1

passed=0 failed=0 skipped=0
failed_names=()
pending=() alone=()
for name in "${names[@]}"; do
	if [ "$(setting_of "$name" KT_ALONE 0)" = 1 ]; then
		alone+=("$name")
	else
		pending+=("$name")
	fi
done
declare -A pid_of=()
host_busy=

# reap: report every scenario whose process has ended.
reap() {
	local name
	for name in "${!pid_of[@]}"; do
		kill -0 "${pid_of[$name]}" 2>/dev/null && continue
		wait "${pid_of[$name]}" 2>/dev/null
		unset "pid_of[$name]"
		[ "$host_busy" = "$name" ] && host_busy=
		report "$name"
	done
}

while [ ${#pending[@]} -gt 0 ] || [ ${#pid_of[@]} -gt 0 ]; do
	launched=
	if [ ${#pid_of[@]} -lt "$JOBS" ]; then
		for i in "${!pending[@]}"; do
			name=${pending[$i]}
			if [ -f "$HOST/$name.sh" ] && [ ! -f "$GUEST/$name.sh" ]; then
				[ -n "$host_busy" ] && continue
				host_busy=$name
			fi
			run_one "$name" &
			pid_of[$name]=$!
			unset "pending[$i]"
			pending=("${pending[@]}")
			launched=1
			break
		done
	fi
	[ -n "$launched" ] && continue
	wait -n 2>/dev/null
	reap
done
for name in "${alone[@]}"; do
	run_one "$name"
	report "$name"
done

[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]}"
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed = 0 ]
