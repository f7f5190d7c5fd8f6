# SPDX-License-Identifier: GPL-2.0
# The boot loader's handover entry is followed only once checked, in the
# decompressor (KASLR) and in the kernel: a scratch map at a non-canonical
# address or above any physical address, or a scratch area outside RAM,
# is refused with a reason and the kernel boots without the handover; a
# root FDT announced larger than early_memremap() can map is mapped only
# as far as the FDT goes, and accepted, without a warning. Only the first
# handover entry in the boot loader's list counts: a second one is
# ignored with a message, whether the first was taken or refused.
# kt: KT_MEM=1G KT_TIMEOUT=300 KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_APPEND="kho=on kho_selftest=4M"

# damage|"+" and what the next kernel logs when it accepts, else its
# reason; then ";"-separated lines it must log as well
CASES="setup-fdt-size|+KHO-SELFTEST: PASS generation=1
setup-noncanonical|scratch map address or size is invalid
setup-maxphys|scratch map address or size is invalid
scratch-not-ram|a scratch area is not RAM
setup-twice|+KHO-SELFTEST: PASS generation=1;KHO: ignoring a second handover entry
setup-bad-first|root FDT address or size is invalid;KHO: ignoring a second handover entry"
# arm64 hands over in /chosen, one property each, not in a list of
# entries: no second entry to add there.
[ "$(uname -m)" = aarch64 ] && CASES=$(echo "$CASES" | grep -v '^setup-twice|\|^setup-bad-first|')

case_line() { echo "$CASES" | sed -n "${1}p"; }
nr_cases() { echo "$CASES" | wc -l; }

damage_and_kexec() {
	local n=$1 what
	what=$(case_line "$n" | cut -d'|' -f1)
	kt_check "preserved-before-$what" dmesg_has "KHO-SELFTEST: PRESERVED generation="
	if echo "$what" > /sys/kernel/debug/kho_selftest/corrupt; then
		kt_pass "damage-$what"
	else
		kt_fail "damage-$what" "could not apply"
	fi
	kt_kexec $((n + 1)) main
}

check_case() {
	local n=$1 what want
	what=$(case_line "$n" | cut -d'|' -f1)
	want=$(case_line "$n" | cut -d'|' -f2 | cut -d';' -f1)
	case_line "$n" | cut -d'|' -f2 | tr ';' '\n' | tail -n +2 |
	while read -r also; do
		kt_check "$what-logged" dmesg_has "$also"
	done
	case "$want" in
	+*)
		kt_check "$what-accepted" dmesg_has "${want#+}"
		kt_check "$what-no-refusal" sh -c '! dmesg | grep -q "ignoring the handover"' ;;
	*)
		kt_check "$what-refused" dmesg_has "KHO: ignoring the handover from the previous kernel: $want"
		kt_check "$what-nothing-restored" sh -c '! dmesg | grep -q "KHO-SELFTEST: PASS"' ;;
	esac
	kt_check "$what-no-warning" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}

stage1() { damage_and_kexec 1; }

stage_any() {
	local n=$((KT_STAGE - 1))
	check_case "$n"
	[ "$n" -lt "$(nr_cases)" ] && damage_and_kexec $((n + 1))
}

for s in $(seq 2 $(($(nr_cases) + 1))); do
	eval "stage$s() { stage_any; }"
done
