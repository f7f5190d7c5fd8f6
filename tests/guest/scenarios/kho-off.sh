# SPDX-License-Identifier: GPL-2.0
# Without kho=on nothing is handed over and kexec works as before.
# kt: KT_MEM=1G KT_TIMEOUT=120 KT_APPEND=""

stage1() {
	kt_check kho-not-enabled sh -c '! dmesg | grep -q "KHO: enabled"'
	kt_check no-debugfs test ! -e /sys/kernel/debug/kho
	kt_kexec 2 main kt.plain
}

stage2() {
	kt_check reached-b kt_has_arg kt.plain
	kt_check no-handover sh -c '! dmesg | grep -q "KHO: found handover data"'
	kt_check no-debugfs test ! -e /sys/kernel/debug/kho
}
