# SPDX-License-Identifier: GPL-2.0
# Scratch sizing: kho_scratch=lowmem,global,pernode gives exactly those
# (4 MiB aligned) areas, the next kernel keeps them whatever its own
# kho_scratch= says, and the N% form scales with early kernel memory.
# kt: KT_MEM=1G KT_TIMEOUT=150 KT_APPEND="kho=on kho_scratch=16M,40M,24M"

lens() { tr '\n' ' ' < /sys/kernel/debug/kho/out/scratch_len; }

stage1() {
	kt_expect_eq explicit-sizes "0x1000000 0x2800000 0x1800000 " "$(lens)"
	kt_kexec 2 main kho_scratch=300%
}

stage2() {
	kt_check handover-found dmesg_has "KHO: found handover data"
	kt_expect_eq sizes-inherited "0x1000000 0x2800000 0x1800000 " "$(lens)"
	# A receiver without kho=on still takes the handover, but hands
	# nothing on.
	kt_kexec 3 main -kho=on kho=off
}

stage3() {
	kt_check received-without-kho-on dmesg_has "KHO: found handover data"
	kt_check kho-off test ! -e /sys/kernel/debug/kho
	# From a kernel with KHO off: a cold boot, scratch sized by percent.
	kt_kexec 4 main -kho=off kho=on kho_scratch=100%
}

stage4() {
	local total=0 l
	kt_check cold-boot sh -c '! dmesg | grep -q "KHO: found handover data"'
	for l in $(cat /sys/kernel/debug/kho/out/scratch_len); do
		total=$((total + l))
	done
	kt_info percent-scratch "total $((total >> 20)) MiB"
	# 100% of early kernel memory: more than 4 MiB per area, far less
	# than the 1 GiB machine.
	if [ $total -gt $((12 << 20)) ] && [ $total -lt $((512 << 20)) ]; then
		kt_pass percent-size "$((total >> 20)) MiB"
	else
		kt_fail percent-size "$((total >> 20)) MiB"
	fi
}
