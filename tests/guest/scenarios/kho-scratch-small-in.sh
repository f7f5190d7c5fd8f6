# SPDX-License-Identifier: GPL-2.0
# Scratch too small to boot in (80 MiB on a 4 GiB machine, whose memory
# map alone takes 64 MiB): upstream 7.3 reserves and hands it over anyway;
# this kernel refuses the handover, saying how much it needs, instead of
# running out of memory in early boot, and warns about the same sizes
# when it reserves them itself.
# kt: KT_KERNEL=linux73 KT_MEM=4G KT_TIMEOUT=150 KT_APPEND="kho=on kho_scratch=16M,48M,16M"

stage1() { kt_from_upstream 2; }

stage2() {
	kt_check refused dmesg_has "KHO: ignoring the handover from the previous kernel: scratch areas are too small to boot in"
	kt_check says-how-much dmesg_has "KHO: scratch areas hold 80 MiB, booting needs"
	kt_check own-scratch-warned dmesg_has "the next kernel needs"
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
