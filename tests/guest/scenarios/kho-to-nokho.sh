# SPDX-License-Identifier: GPL-2.0
# A KHO kernel handing over to a kernel built without KHO: the new kernel
# says it ignores the handover data and boots normally.
# kt: KT_MEM=1G KT_TIMEOUT=120 KT_APPEND="kho=on kho_selftest=8M"

stage1() {
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_kexec 2 nokho
}

stage2() {
	kt_check ignored dmesg_has "KHO: handover data ignored: kernel built without CONFIG_KEXEC_HANDOVER"
	kt_check no-kho test ! -e /sys/kernel/debug/kho
	kt_check userspace-works test -r /proc/meminfo
	# And a kernel without KHO kexecs into a KHO kernel as ever.
	kt_kexec 3 main kt.from-nokho
}

stage3() {
	kt_check reached-kho-kernel kt_has_arg kt.from-nokho
	kt_check no-handover sh -c '! dmesg | grep -q "KHO: found handover data"'
	kt_check kho-enabled-cold dmesg_has "KHO: enabled"
}
