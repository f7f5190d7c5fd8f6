# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): boot time of the new kernel after
#   plain  - a plain kexec (no KHO)
#   kho0   - a KHO kexec with nothing preserved but KHO's own metadata
#   kho512 - a KHO kexec carrying 512 MiB of scattered 4 KiB pages
#   luo256 - a live update carrying a 256 MiB memfd (/dev/liveupdate):
#            preserve, kexec, retrieve (and, not timed, compare every byte)
#   trace64 - a KHO kexec handing over a full 64 MiB trace buffer
#            (32 MiB per CPU, filled by the function tracer)
# measured in one chain, in one QEMU run. "up" is the new kernel's
# uptime when /init starts, in ms.


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
	kt_kexec 7 main -kho_selftest liveupdate=on
}

stage7() {
	local pre
	luo hold bench 256 0xbe > /tmp/hold.log 2>&1
	cat /tmp/hold.log
	pre=$(sed -n 's/^LUO: preserved 256 MiB in \([0-9.]*\) ms.*/\1/p' /tmp/hold.log)
	echo "KT-BENCH: luo256-preserve preserve_us=$(ms_to_us "$pre")"
	kt_kexec 8 main
}

stage8() {
	local ret
	bench_line luo256
	luo check bench 256 0xbe > /tmp/check.log 2>&1
	cat /tmp/check.log
	kt_check luo-256M-intact grep -q "LUO: check passed" /tmp/check.log
	ret=$(sed -n 's/^LUO: retrieved 256 MiB in \([0-9.]*\) ms/\1/p' /tmp/check.log)
	echo "KT-BENCH: luo256-retrieve retrieve_us=$(ms_to_us "$ret")"
	kt_kexec 9 main -liveupdate
}

stage9() {
	local T=/sys/kernel/tracing
	echo 32768 > $T/buffer_size_kb
	echo 1 > $T/kho
	echo function > $T/current_tracer
	sleep 3
	# Stop tracing everything (this keeps the buffer), then kexec.
	echo ksys_sync > $T/set_ftrace_filter
	kt_info trace-buffer "$(cat $T/buffer_total_size_kb) KiB"
	kt_kexec 10 main
}

stage10() {
	local n us
	bench_line trace64
	n=$(dmesg | sed -n 's/.*trace-kho: global: \([0-9]*\) records.*/\1/p')
	us=$(dmesg | sed -n 's/.*trace-kho: handover checked in \([0-9]*\) us.*/\1/p')
	kt_check trace64-records test "${n:-0}" -gt 100000
	echo "KT-BENCH: trace64-in records=${n:-0} check_us=${us:-0}"
}
