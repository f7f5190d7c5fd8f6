# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): the same 512 MiB of scattered 4 KiB pages as
# bench-kho-boot's last hop, handed from this project's kernel to an
# unmodified upstream Linux 7.3, to compare the receiving side.

bench_line() {
	local up
	up=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
	echo "KT-BENCH: $1 up_ms=$up kho_check_us=0 selftest_restore_us=0"
}

stage1() {
	expect_dmesg preserved-512M "KHO-SELFTEST: PRESERVED generation=1 folios=131072 "
	kt_kexec 2 linux73 -kho_selftest
}

stage2() {
	bench_line upstream512
	kt_check upstream-took-handover dmesg_has "KHO: exec from: 6.12"
}
