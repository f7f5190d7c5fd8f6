# SPDX-License-Identifier: GPL-2.0
# A damaged handover is refused as a whole: for each kind of damage the
# next kernel logs the reason, boots without the handover, restores
# nothing, loses no memory, and can itself hand over again. The last hop
# is a clean handover after all the refused ones.
# kt: KT_MEM=1G KT_TIMEOUT=400 KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_APPEND="kho=on kho_selftest=4M"

# corruption|reason the next kernel must give
CASES="fdt-magic|root FDT header is invalid
fdt-compatible|root FDT is not compatible with kho-v4
fdt-totalsize|root FDT is larger than the handed over buffer
fdt-structure|root FDT structure is malformed
memmap-misaligned|preserved-memory-map is missing or invalid
memmap-outside-ram|a tree node lies outside usable memory
block-in-scratch|a preserved block lies outside RAM or in scratch
block-outside-ram|a preserved block lies outside RAM or in scratch
block-overlap|preserved blocks overlap each other
block-reserved|overlaps the kernel or other reserved memory
tree-cycle|the preserved-memory tree has a cycle or shared node
tree-garbage|a tree node lies outside usable memory
subtree-unpreserved|a subtree blob is not preserved memory"
# block-reserved damages low memory, which every x86 kernel reserves; RAM
# starts at 1 GiB on arm64's virt machine, where it is checked as outside RAM.
[ "$(uname -m)" = aarch64 ] && CASES=$(echo "$CASES" | grep -v '^block-reserved|')

case_line() { echo "$CASES" | sed -n "${1}p"; }
nr_cases() { echo "$CASES" | wc -l; }

memtotal() { awk '/^MemTotal/ { print $2 }' /proc/meminfo; }

# Damage the outgoing handover with case N and kexec to stage N+1.
corrupt_and_kexec() {
	local n=$1 what
	what=$(case_line "$n" | cut -d'|' -f1)
	if echo "$what" > /sys/kernel/debug/kho_selftest/corrupt; then
		kt_pass "corrupt-$what"
	else
		kt_fail "corrupt-$what" "could not apply"
	fi
	kt_kexec $((n + 1)) main kt.memtotal="$(kt_arg kt.memtotal "$(memtotal)")"
}

# Stage N+1 checks case N.
check_case() {
	local n=$1 what reason mt0 mt
	what=$(case_line "$n" | cut -d'|' -f1)
	reason=$(case_line "$n" | cut -d'|' -f2)
	kt_check "$what-refused" dmesg_has "KHO: ignoring the handover from the previous kernel"
	kt_check "$what-reason" dmesg_has "$reason"
	kt_check "$what-not-restored" sh -c '! dmesg | grep -q "KHO-SELFTEST: PASS"'
	kt_check "$what-no-incoming" test ! -e /sys/kernel/debug/kho/in
	kt_check "$what-kho-works" dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_check "$what-no-panic-or-warning" sh -c '! dmesg | grep -qE "WARNING:|BUG:"'
	mt0=$(kt_arg kt.memtotal)
	mt=$(memtotal)
	if [ $((mt0 - mt)) -lt $((mt0 / 50)) ] && [ $((mt - mt0)) -lt $((mt0 / 50)) ]; then
		kt_pass "$what-memory-kept" "MemTotal $mt kB, first kernel $mt0 kB"
	else
		kt_fail "$what-memory-kept" "MemTotal $mt kB, first kernel $mt0 kB"
	fi
}

stage1() {
	corrupt_and_kexec 1
}

stage_any() {
	local n=$((KT_STAGE - 1)) last
	last=$(nr_cases)
	if [ "$n" -le "$last" ]; then
		check_case "$n"
		if [ "$n" -lt "$last" ]; then
			corrupt_and_kexec $((n + 1))
		else
			kt_kexec $((KT_STAGE + 1)) main
		fi
	else
		kt_check clean-after-refusals dmesg_has "KHO-SELFTEST: PASS generation=1 "
		kt_check clean-no-refusal sh -c '! dmesg | grep -q "ignoring the handover"'
	fi
}

for s in $(seq 2 16); do
	eval "stage$s() { stage_any; }"
done
