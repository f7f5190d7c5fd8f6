# SPDX-License-Identifier: GPL-2.0
# Scratch sizes a kernel cannot live with are refused both ways. Upstream
# 7.3, booted with scratch too large for a 1 GiB machine (576 MiB would
# all become CMA), hands over: this kernel refuses the handover with the
# reason and boots; reserving the same sizes itself, it disables KHO with
# a message instead of starving unmovable allocations.
# kt: KT_KERNEL=linux73 KT_MEM=1G KT_TIMEOUT=150 KT_APPEND="kho=on kho_scratch=256M,256M,64M"

stage1() { kt_from_upstream 2; }

stage2() {
	kt_check refused dmesg_has "KHO: ignoring the handover from the previous kernel: scratch areas cover more than half of memory"
	kt_check own-scratch-refused dmesg_has "KHO: kho_scratch= asks for 576 MiB, more than half of memory"
	kt_check kho-disabled test ! -e /sys/kernel/debug/kho
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
