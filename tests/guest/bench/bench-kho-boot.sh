# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): boot time of the new kernel after
#   plain  - a plain kexec (no KHO)
#   kho0   - a KHO kexec with nothing preserved but KHO's own metadata
#   kho512 - a KHO kexec carrying 512 MiB of scattered 4 KiB pages
# measured in one chain, in one QEMU run. "up" is the new kernel's
# uptime when /init starts, in ms.

bench_line() {
	local up check restore
	up=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
	check=$(dmesg | sed -n 's/.*KHO: handover checked in \([0-9]*\) us.*/\1/p')
	restore=$(dmesg | sed -n 's/.*KHO-SELFTEST: PASS .*restore_us=\([0-9]*\).*/\1/p')
	echo "KT-BENCH: $1 up_ms=$up kho_check_us=${check:-0} selftest_restore_us=${restore:-0}"
}

stage1() {
	kt_kexec 2 main -kho=on
}

stage2() {
	bench_line plain
	kt_kexec 3 main kho=on
}

stage3() {
	kt_kexec 4 main kho=on
}

stage4() {
	bench_line kho0
	kt_kexec 5 main kho=on kho_selftest=512M,scatter,nofill
}

stage5() {
	expect_dmesg preserved-512M "KHO-SELFTEST: PRESERVED generation=1 folios=131072 "
	kt_kexec 6 main -kho_selftest
}

stage6() {
	bench_line kho512
	kt_check restored-512M dmesg_has "KHO-SELFTEST: PASS generation=1 folios=131072 "
}
