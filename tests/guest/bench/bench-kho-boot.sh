# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): the kexecs of the handover bench, one chain,
# one QEMU run (4 GiB guest), every kernel booted with kexec_timing=1:
#   plain       - a plain kexec (neither kernel has KHO on)
#   kho0        - KHO kexecs with nothing preserved but KHO's own metadata
#                 (two per chain)
#   scatterN    - N MiB preserved as scattered 4 KiB pages (a free page
#                 after each): 128, 256, 512 and 1024 MiB
#   folio2m     - 1 GiB preserved as 512 folios of 2 MiB
#   contig      - 1 GiB preserved as one range (kho_preserve_pages)
#   luo256      - a live update of a 256 MiB memfd (/dev/liveupdate):
#                 preserve, kexec, retrieve (and, not timed, every byte)
#   trace64     - a full 64 MiB trace buffer (32 MiB per CPU) handed over
# The KHO self test runs deferred (kho_selftest=...,defer): after /init,
# out of the timed kexec, it restores every page that came (NAME-restore
# lines) and preserves the next shape.

# hop NAME GEN FOLIOS NEXT...: this kernel received shape NAME (self test
# generation GEN, FOLIOS blocks): report it, restore it, preserve the next
# one and kexec with NEXT on the command line.
hop() {
	local name=$1 gen=$2 folios=$3 next=$4
	shift 4
	bench_line "$name"
	selftest_run "$name"
	if [ "$gen" -gt 0 ]; then
		kt_check "restored-$name" dmesg_has "KHO-SELFTEST: PASS generation=$gen folios=$folios "
	fi
	kt_kexec "$next" main "$@"
}

# The first kexec after QEMU's cold boot runs slower than later ones
# (1 -> 2): it is not counted; two plain kexecs follow.
stage1() {
	kt_kexec 2 main -kho=on
}

stage2() {
	bench_line plain
	kt_kexec 3 main
}

stage3() {
	bench_line plain
	kt_kexec 4 main kho=on
}

stage4() {
	kt_kexec 5 main
}

stage5() {
	bench_line kho0
	kt_kexec 6 main kho_selftest=128M,scatter,nofill,defer
}

stage6() { hop kho0 0 0 7 kho_selftest=256M,scatter,nofill,defer; }
stage7() { hop scatter128 1 32768 8 kho_selftest=512M,scatter,nofill,defer; }
stage8() { hop scatter256 2 65536 9 kho_selftest=1G,scatter,nofill,defer; }
stage9() { hop scatter512 3 131072 10 kho_selftest=1G,order=9,nofill,defer; }
stage10() { hop scatter1g 4 262144 11 kho_selftest=1G,contig,nofill,defer; }
stage11() { hop folio2m 5 512 12 kho_selftest=0,nofill,defer liveupdate=on; }

stage12() {
	local pre
	bench_line contig
	selftest_run contig
	kt_check restored-contig dmesg_has "KHO-SELFTEST: PASS generation=6 folios=0 bytes=1073741824 "
	luo hold bench 256 0xbe > /tmp/hold.log 2>&1
	cat /tmp/hold.log
	pre=$(sed -n 's/^LUO: preserved 256 MiB in \([0-9.]*\) ms.*/\1/p' /tmp/hold.log)
	echo "KT-BENCH: luo256-preserve preserve_us=$(ms_to_us "$pre")"
	kt_kexec 13 main -kho_selftest
}

stage13() {
	local ret
	bench_line luo256
	luo check bench 256 0xbe > /tmp/check.log 2>&1
	cat /tmp/check.log
	kt_check luo-256M-intact grep -q "LUO: check passed" /tmp/check.log
	ret=$(sed -n 's/^LUO: retrieved 256 MiB in \([0-9.]*\) ms/\1/p' /tmp/check.log)
	echo "KT-BENCH: luo256-retrieve retrieve_us=$(ms_to_us "$ret")"
	kt_kexec 14 main -liveupdate
}

stage14() {
	local T=/sys/kernel/tracing
	echo 32768 > $T/buffer_size_kb
	echo 1 > $T/kho
	echo function > $T/current_tracer
	sleep 3
	# Stop tracing everything (this keeps the buffer), then kexec.
	echo ksys_sync > $T/set_ftrace_filter
	kt_info trace-buffer "$(cat $T/buffer_total_size_kb) KiB"
	kt_kexec 15 main
}

stage15() {
	local n us chk
	bench_line trace64
	us=$(dmesg | sed -n 's/.*trace-kho: handover taken in \([0-9]*\) us.*/\1/p')
	# The first reader checks every record (after /init, not timed).
	head -n 1 /sys/kernel/tracing/trace > /dev/null
	n=$(dmesg | sed -n 's/.*trace-kho: global: \([0-9]*\) records of earlier kernels checked in \([0-9]*\) us.*/\1/p')
	chk=$(dmesg | sed -n 's/.*trace-kho: global: \([0-9]*\) records of earlier kernels checked in \([0-9]*\) us.*/\2/p')
	kt_check trace64-records test "${n:-0}" -gt 100000
	echo "KT-BENCH: trace64-in records=${n:-0} take_us=${us:-0} check_us=${chk:-0}"
}
