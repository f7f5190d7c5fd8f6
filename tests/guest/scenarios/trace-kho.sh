# SPDX-License-Identifier: GPL-2.0
# The previous kernel's trace survives kexec. Kernel A traces with the
# function tracer (one function), sched_switch and trace_marker writes
# from two CPUs at once, into the top-level buffer and an instance, both
# opted in. Kernel B (one CPU only, a bigger buffer) shows A's records
# first, each marker exactly once and in order, function names resolved
# with A's symbols, then its own; it hands both over again. Kernel C shows
# A's and B's records. Resizing the buffer frees the old pages. Records
# are checked when first read, not at boot; an instance B never reads
# goes on to C unchecked and C checks and shows it.
# kt: KT_MEM=1G KT_SMP=2 KT_TIMEOUT=300 KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_APPEND="kho=on"

T=/sys/kernel/tracing

# in_order FILE PREFIX N: PREFIX-1..N appear exactly once each, in order.
in_order() {
	awk -v p=": $2-" -v n="$3" '
	{
		i = index($0, p)
		if (!i) next
		v = substr($0, i + length(p))
		if (v !~ /^[0-9]+$/) next
		seen++
		if (v != seen) { print "got " v " at position " seen; bad = 1; exit }
	}
	END {
		if (bad) exit 1
		if (seen != n) { print seen " of " n " markers"; exit 1 }
	}' "$1"
}

# first_line FILE PATTERN
first_line() { grep -n "$2" "$1" | head -1 | cut -d: -f1; }

stage1() {
	kt_check kho-file-default-off sh -c "[ \$(cat $T/kho) = 0 ]"
	echo 1 > $T/kho
	# A bigger buffer than the next kernel's default.
	echo 2048 > $T/buffer_size_kb
	echo ksys_sync > $T/set_ftrace_filter
	echo function > $T/current_tracer
	sync
	echo 1 > $T/events/sched/sched_switch/enable
	trace_markers kt-A 30
	# Two CPUs busy at once.
	taskset -c 0 sh -c ". /kt/lib.sh; trace_markers kt-cpu0 200" &
	taskset -c 1 sh -c ". /kt/lib.sh; trace_markers kt-cpu1 200" &
	wait
	mkdir $T/instances/keep
	echo 1 > $T/instances/keep/kho
	echo kt-inst-A > $T/instances/keep/trace_marker
	mkdir $T/instances/fwd
	echo 1 > $T/instances/fwd/kho
	echo kt-fwd-A > $T/instances/fwd/trace_marker
	cat $T/trace > /tmp/a.trace
	kt_check a-has-function grep -q "ksys_sync <-" /tmp/a.trace
	kt_info a-records "$(grep -vc '^#' /tmp/a.trace)"
	# B is another build (the "upstream" test kernel: same source, extra
	# code, so other addresses) when it was built.
	if [ -f "$(kt_image upstream)" ]; then
		kt_kexec 2 upstream nr_cpus=1
	else
		kt_kexec 2 main nr_cpus=1
	fi
}

stage2() {
	kt_check one-cpu sh -c '[ "$(nproc)" = 1 ]'
	kt_check smaller-buffer sh -c "[ \$(cut -d\" \" -f1 $T/buffer_size_kb) -lt 2048 ]"
	kt_check handed-over dmesg_has "trace-kho: global: records of "
	kt_check not-checked-at-boot sh -c '! dmesg | grep -q "global: .* checked in"'
	echo kt-B-first > $T/trace_marker
	cat $T/trace > /tmp/b.trace
	kt_check checked-on-read sh -c 'dmesg | grep -q "trace-kho: global: [1-9][0-9]* records of earlier kernels checked in"'
	kt_check a-markers-once-in-order in_order /tmp/b.trace kt-A 30
	kt_check a-cpu0-markers in_order /tmp/b.trace kt-cpu0 200
	kt_check a-cpu1-markers in_order /tmp/b.trace kt-cpu1 200
	kt_check a-function-named grep -q "ksys_sync <-$(kt_sys sync)" /tmp/b.trace
	kt_check a-sched-switch grep -q "sched_switch: prev_comm=" /tmp/b.trace
	kt_check a-both-cpus sh -c "grep ': kt-cpu' /tmp/b.trace | grep -q '\[001\]'"
	kt_check new-after-old sh -c "[ $(first_line /tmp/b.trace ': kt-B-first$') -gt $(first_line /tmp/b.trace ': kt-cpu1-200$') ]"
	kt_check per-cpu-file sh -c "grep -q ': kt-cpu0-' $T/per_cpu/cpu0/trace && ! grep -q '\[001\]' $T/per_cpu/cpu0/trace"
	kt_check instance-recreated grep -q ": kt-inst-A$" $T/instances/keep/trace
	# Resizing frees the old pages.
	echo 8 > $T/instances/keep/buffer_size_kb
	kt_check resize-frees dmesg_has "trace-kho: keep: freed"
	kt_check instance-empty sh -c "! grep -q kt-inst-A $T/instances/keep/trace"
	head -20 /tmp/b.trace | sed 's/^/    /'
	# Hand A's and B's records on to C.
	echo 1 > $T/kho
	echo 1 > $T/instances/fwd/kho
	kt_check fwd-not-read sh -c '! dmesg | grep -q "fwd: .* checked in"'
	trace_markers kt-B 10
	kt_kexec 3 main -nr_cpus
}

stage3() {
	cat $T/trace > /tmp/c.trace
	kt_check c-a-markers in_order /tmp/c.trace kt-A 30
	kt_check c-b-markers in_order /tmp/c.trace kt-B 10
	kt_check c-a-before-b sh -c "[ $(first_line /tmp/c.trace ': kt-A-30$') -lt $(first_line /tmp/c.trace ': kt-B-1$') ]"
	kt_check c-a-function-named grep -q "ksys_sync <-$(kt_sys sync)" /tmp/c.trace
	kt_check c-fwd-unchecked-in-b grep -q ": kt-fwd-A$" $T/instances/fwd/trace
	kt_check c-fwd-checked dmesg_has "trace-kho: fwd: 1 records of earlier kernels checked in"
	# Consuming read: old records come first in trace_pipe too.
	timeout 2 cat $T/trace_pipe > /tmp/c.pipe
	kt_check c-pipe-order sh -c "[ $(first_line /tmp/c.pipe ': kt-A-1$') -lt $(first_line /tmp/c.pipe ': kt-B-1$') ]"
	kt_check c-pipe-consumed sh -c "! grep -q ': kt-A-1$' $T/trace"
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:"'
}
