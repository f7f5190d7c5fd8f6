# SPDX-License-Identifier: GPL-2.0
# Handovers chain: A -> B -> C -> D. Each kernel verifies every byte the
# previous one preserved and preserves a new generation, reusing the
# scratch areas it was handed.
# kt: KT_MEM=1G KT_TIMEOUT=240 KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_APPEND="kho=on kho_selftest=16M"

stage1() {
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	cat /sys/kernel/debug/kho/out/scratch_phys > /tmp/scratch
	kt_kexec 2 main kt.scratch="$(tr '\n' , < /tmp/scratch)"
}

hop() {
	local gen=$1
	kt_check "restored-gen$gen" dmesg_has "KHO-SELFTEST: PASS generation=$gen "
	kt_check "count-$gen" dmesg_has "KHO: exec from: $(uname -r) (count $gen)"
	kt_check "preserved-gen$((gen + 1))" dmesg_has "KHO-SELFTEST: PRESERVED generation=$((gen + 1))"
	kt_expect_eq "same-scratch-$gen" "$(kt_arg kt.scratch)" \
		"$(tr '\n' , < /sys/kernel/debug/kho/out/scratch_phys)"
	kt_check "no-fail-$gen" sh -c '! dmesg | grep -q "KHO-SELFTEST: FAIL"'
}

stage2() {
	hop 1
	kt_kexec 3 main
}

stage3() {
	hop 2
	kt_kexec 4 main
}

stage4() {
	hop 3
}
