# SPDX-License-Identifier: GPL-2.0
# KASLR off, then on again: with nokaslr the kernel stays where
# kexec_file_load() put it (inside scratch); with KASLR the decompressor
# picks a slot inside scratch. The self test passes both times.
# kt: KT_MEM=1G KT_TIMEOUT=200 KT_APPEND="kho=on kho_selftest=16M"

stage1() {
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_kexec 2 main nokaslr
}

stage2() {
	kt_check nokaslr kt_has_arg nokaslr
	kt_check nokaslr-selftest dmesg_has "KHO-SELFTEST: PASS generation=1"
	kt_check nokaslr-in-scratch kernel_in_scratch
	kt_kexec 3 main -nokaslr
}

stage3() {
	kt_check kaslr sh -c '! grep -qw nokaslr /proc/cmdline'
	kt_check kaslr-selftest dmesg_has "KHO-SELFTEST: PASS generation=2"
	kt_check kaslr-in-scratch kernel_in_scratch
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
