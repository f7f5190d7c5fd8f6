# SPDX-License-Identifier: GPL-2.0
# KASLR off, then on again: with nokaslr the kernel stays where
# kexec_file_load() put it (inside scratch); with KASLR the decompressor
# picks a slot inside scratch. The self test passes both times. On arm64
# the Image runs where kexec put it and KASLR moves its virtual addresses
# (and the linear map) from the seed kexec_file_load() writes into
# /chosen: checked from _stext's address.
# kt: KT_MEM=1G KT_TIMEOUT=200 KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_APPEND="kho=on kho_selftest=16M"

# _stext at its link address: the kernel was not moved (arm64 only here;
# x86's few hundred virtual slots include the link address).
text_at_link_address() {
	local text
	text=$(awk '$3 == "_stext" { print $1; exit }' /proc/kallsyms)
	kt_info "_stext at $text"
	[ "$text" = ffff800080010000 ]
}
text_moved() {
	! text_at_link_address && grep -q ' _stext$' /proc/kallsyms
}

stage1() {
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_kexec 2 main nokaslr
}

stage2() {
	kt_check nokaslr kt_has_arg nokaslr
	kt_check nokaslr-selftest dmesg_has "KHO-SELFTEST: PASS generation=1"
	kt_check nokaslr-in-scratch kernel_in_scratch
	if [ "$(uname -m)" = aarch64 ]; then
		kt_check nokaslr-not-moved text_at_link_address
	fi
	kt_kexec 3 main -nokaslr
}

stage3() {
	kt_check kaslr sh -c '! grep -qw nokaslr /proc/cmdline'
	kt_check kaslr-selftest dmesg_has "KHO-SELFTEST: PASS generation=2"
	kt_check kaslr-in-scratch kernel_in_scratch
	if [ "$(uname -m)" = aarch64 ]; then
		kt_check kaslr-moved text_moved
	fi
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
