# SPDX-License-Identifier: GPL-2.0
# Scratch that cannot be reserved: KHO is disabled with a message and
# kexec works as without KHO. Then scratch too small for the next kernel:
# kexec_file_load() fails with EADDRNOTAVAIL and a message naming
# kho_scratch=, and the kernel keeps running with nothing loaded.
# kt: KT_MEM=1G KT_TIMEOUT=90 KT_APPEND="kho=on kho_scratch=3000M,4M,4M"

stage1() {
	kt_check no-scratch-message dmesg_has "KHO: cannot reserve scratch memory; kexec handover disabled"
	kt_check kho-disabled test ! -e /sys/kernel/debug/kho
	kt_kexec 2 main kho_scratch=4M,4M,4M kt.plain
}

stage2() {
	local out
	kt_check plain-kexec-worked kt_has_arg kt.plain
	kt_check kho-enabled dmesg_has "KHO: enabled"
	out=$(kexec-load -i "$(kt_initrd)" -c "console=ttyS0" /kt/images/bzImage-main 2>&1)
	kt_info load "$out"
	case "$out" in
	*"Cannot assign requested address"*) kt_pass load-refused ;;
	*) kt_fail load-refused "unexpected: $out" ;;
	esac
	kt_check kernel-says-why dmesg_has "in scratch memory; boot with a larger kho_scratch="
	kt_expect_eq nothing-loaded 0 "$(cat /sys/kernel/kexec_loaded)"
	kt_check still-running test -r /proc/uptime
}
