# SPDX-License-Identifier: GPL-2.0
# Opt-out: a trace array that did not opt in hands nothing over (the
# default), and one that opted in and then out neither.
# kt: KT_MEM=512M KT_TIMEOUT=120 KT_APPEND="kho=on"

T=/sys/kernel/tracing

stage1() {
	kt_check default-off sh -c "[ \$(cat $T/kho) = 0 ]"
	mkdir $T/instances/flip
	echo 1 > $T/instances/flip/kho
	echo 0 > $T/instances/flip/kho
	echo kt-not-kept > $T/trace_marker
	echo kt-not-kept > $T/instances/flip/trace_marker
	kt_kexec 2 main
}

stage2() {
	kt_check nothing-handed-over sh -c '! dmesg | grep -q "trace-kho: .* records of"'
	kt_check no-old-records sh -c "! grep -q kt-not-kept $T/trace"
	kt_check no-instance sh -c "[ ! -d $T/instances/flip ]"
}
