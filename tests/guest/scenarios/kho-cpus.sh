# SPDX-License-Identifier: GPL-2.0
# CPUs change across the update: trace records from 4 CPUs and a memfd
# go to a kernel that brings up 1 CPU (nr_cpus=1), which shows the
# records of all four, and on to one with 4 CPUs again.
# kt: KT_SMP=4 KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on trace_kho=global"

records_of_all_cpus() {
	local c
	for c in 0 1 2 3; do
		kt_check "$1-cpu$c-records" sh -c "[ \$(grep -c ': kt-c$c-' /sys/kernel/tracing/trace) = 40 ]"
	done
}

stage1() {
	local c
	kt_expect_eq four-cpus 4 "$(nproc)"
	for c in 0 1 2 3; do
		taskset -c $c sh -c ". /kt/lib.sh; trace_markers kt-c$c 40"
	done
	luo hold cpus-ram 32 0xc9 > /tmp/luo.log 2>&1
	kt_check memfd-preserved grep -q "LUO: preserved 32 MiB" /tmp/luo.log
	kt_kexec 2 main nr_cpus=1
}

stage2() {
	kt_expect_eq one-cpu 1 "$(nproc)"
	records_of_all_cpus one
	luo check cpus-ram 32 0xc9 keep > /tmp/luo.log 2>&1
	kt_check memfd-one-cpu grep -q "LUO: compared 32 MiB .*: 0 bad words" /tmp/luo.log
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
	kt_kexec 3 main -nr_cpus
}

stage3() {
	kt_expect_eq four-cpus-again 4 "$(nproc)"
	records_of_all_cpus four
	luo check cpus-ram 32 0xc9 > /tmp/luo.log 2>&1
	kt_check memfd-four-cpus grep -q "LUO: compared 32 MiB .*: 0 bad words" /tmp/luo.log
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
