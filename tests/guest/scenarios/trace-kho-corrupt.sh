# SPDX-License-Identifier: GPL-2.0
# Damaged trace handovers never take the next kernel down. Each hop damages
# one thing (trace_kho.trace_kho_corrupt) and the next kernel must say so:
# an unknown version is ignored; a CPU buffer with a page that is not
# preserved memory, a commit past the page, time going backwards or
# wrapping around, or a page count that does not match its list is dropped
# with a warning while the other CPU's records (the next record in the
# stream) are shown; an event the kernel does not know, or whose layout or
# a field's type differs, is shown by name with its raw fields; a stream
# naming 40 arrays without records creates none of them.
# kt: KT_ARM64=1 KT_MEM=1G KT_SMP=2 KT_TIMEOUT=600 KT_APPEND="kho=on trace_kho=global"

T=/sys/kernel/tracing
P=/sys/module/trace_kho/parameters/trace_kho_corrupt

# mode|what the next kernel must log ("-" prefix: CPU 1's records stay)
CASES="version|ignoring the trace handover: format \"ftrace-kho-v9\"
page|-a page is not preserved memory
commit|-a commit or an event lies outside its page
timestamp|-time stamps go backwards
count|-its page count does not match its page list
wrap|-time stamps go backwards or overflow
rename|sched:sched_switch_v0: prev_comm=
layout|sched:sched_switch: prev_comm=
type|sched:sched_switch: prev_comm=
arrays|kho-flood"

case_line() { echo "$CASES" | sed -n "${1}p"; }
nr_cases() { echo "$CASES" | wc -l; }

# Trace on both CPUs, damage as case N, kexec to stage N+1.
trace_and_kexec() {
	local n=$1
	echo 1 > $T/events/sched/sched_switch/enable
	taskset -c 0 sh -c ". /kt/lib.sh; trace_markers kt-c0 150"
	taskset -c 1 sh -c ". /kt/lib.sh; trace_markers kt-c1 150"
	case_line "$n" | cut -d'|' -f1 > $P
	kt_kexec $((n + 1)) main
}

check_case() {
	local n=$1 what msg
	what=$(case_line "$n" | cut -d'|' -f1)
	msg=$(case_line "$n" | cut -d'|' -f2)
	cat $T/trace > /tmp/t
	case "$what" in
	version)
		kt_check "$what-reported" dmesg_has "$msg" ;;
	arrays)
		kt_check "$what-none-created" sh -c "! ls $T/instances | grep -q $msg"
		kt_check "$what-markers-kept" sh -c "[ \$(grep -c ': kt-c[01]-' /tmp/t) = 300 ]" ;;
	rename|layout|type)
		kt_check "$what-raw" grep -q "$msg" /tmp/t
		kt_check "$what-markers-kept" sh -c "[ \$(grep -c ': kt-c1-' /tmp/t) = 150 ]" ;;
	*)
		kt_check "$what-cpu-dropped" dmesg_has "discarding CPU 0 buffer"
		kt_check "$what-reason" dmesg_has "${msg#-}"
		kt_check "$what-cpu0-gone" sh -c "! grep -q ': kt-c0-' /tmp/t"
		kt_check "$what-cpu1-shown" sh -c "[ \$(grep -c ': kt-c1-' /tmp/t) = 150 ]" ;;
	esac
	kt_check "$what-no-oops" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
	# Start the next case from an empty buffer.
	echo > $T/trace
}

stage1() { trace_and_kexec 1; }

stage_any() {
	local n=$((KT_STAGE - 1))
	check_case "$n"
	[ "$n" -lt "$(nr_cases)" ] && trace_and_kexec $((n + 1))
}

for s in $(seq 2 $(($(nr_cases) + 1))); do
	eval "stage$s() { stage_any; }"
done
