# SPDX-License-Identifier: GPL-2.0
# The README demo: kernel A (with kho=on) preserves 64 MiB of patterned
# memory, a vmalloc area and a subtree through the KHO API, then kexecs
# into kernel B with kexec_file_load. B finds the handover, checks it,
# restores the memory and compares every byte. A also traces (function
# tracer on one function, sched_switch, trace_marker) into a buffer that
# opted in to the handover, and B reads A's records from its own trace
# file before B's. Then userspace: a process
# in B keeps 128 MiB of "guest RAM" in a memfd and preserves it through
# /dev/liveupdate, and another 64 MiB lives in a file of the pkernfs
# instance "vm-2"; after the kexec into kernel C a new process retrieves
# the memfd and compares every byte, and the pkernfs instance is mounted
# again with its file intact.
# kt: KT_MEM=1G KT_TIMEOUT=240 KT_APPEND="kho=on liveupdate=on kho_selftest=64M"

banner() { printf '\n======== %s ========\n' "$*"; }

stage1() {
	banner "Kernel A: $(uname -r), up $(cut -d' ' -f1 /proc/uptime)s"
	echo "command line: $(cat /proc/cmdline)"
	echo "Kexec handover is on; scratch areas (start, size):"
	paste /sys/kernel/debug/kho/out/scratch_phys /sys/kernel/debug/kho/out/scratch_len | sed 's/^/    /'
	echo "A KHO user preserved memory for the next kernel:"
	dmesg | grep -o "KHO-SELFTEST: PRESERVED.*" | sed 's/^/    /'
	echo "Subtrees in the outgoing root FDT: $(ls /sys/kernel/debug/kho/out/sub_fdts | tr '\n' ' ')"
	kt_check a-preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	echo "A traces: function tracer on ksys_sync, sched_switch, trace_marker;"
	echo "the top-level buffer opts in to the handover (echo 1 > /sys/kernel/tracing/kho):"
	T=/sys/kernel/tracing
	echo 1 > $T/kho
	echo ksys_sync > $T/set_ftrace_filter
	echo function > $T/current_tracer
	sync
	echo 1 > $T/events/sched/sched_switch/enable
	echo "hello from kernel A ($(uname -r))" > $T/trace_marker
	echo 0 > $T/events/sched/sched_switch/enable
	grep -v '^#' $T/trace | grep -E 'hello|ksys_sync' | sed 's/^/    /'
	echo "Loading kernel B with kexec_file_load and rebooting into it..."
	kt_kexec 2 main -kho_selftest kt.demo-from="$(uname -r)"
}

stage2() {
	banner "Kernel B: $(uname -r), up $(cut -d' ' -f1 /proc/uptime)s"
	echo "What B's kernel log says about the handover:"
	dmesg | grep -oE "KHO: (found|handover checked|exec from|freed).*" | sed 's/^/    /'
	echo "The KHO user in B restored the memory and compared every byte:"
	dmesg | grep -o "KHO-SELFTEST: PASS.*" | sed 's/^/    /'
	echo "Subtrees received: $(ls /sys/kernel/debug/kho/in/sub_fdts | tr '\n' ' ')"
	kt_check b-restored dmesg_has "KHO-SELFTEST: PASS generation=1 "
	kt_check b-counted dmesg_has "KHO: exec from: $(kt_arg kt.demo-from) (count 1)"
	banner "Kernel B: the trace of kernel A"
	T=/sys/kernel/tracing
	dmesg | grep -oE "trace-kho: .*" | sed 's/^/    /'
	echo "hello from kernel B" > $T/trace_marker
	echo "B's /sys/kernel/tracing/trace: A's records first (A's timestamps, A's"
	echo "function names), then B's own:"
	grep -v '^#' $T/trace > /tmp/b.trace
	grep -E 'hello|ksys_sync' /tmp/b.trace | sed 's/^/    /'
	echo "    ... and $(grep -c sched_switch /tmp/b.trace) sched_switch records of A"
	kt_check b-sees-a-trace grep -q "hello from kernel A" /tmp/b.trace
	kt_check b-sees-a-function grep -q "ksys_sync <-__x64_sys_sync" /tmp/b.trace
	kt_check b-own-after-a sh -c "[ \$(grep -n 'hello from kernel B' /tmp/b.trace | cut -d: -f1) -gt \$(grep -n 'hello from kernel A' /tmp/b.trace | cut -d: -f1) ]"
	banner "Kernel B: live update of userspace memory"
	echo "A process fills a 128 MiB memfd (its 'guest RAM'), opens /dev/liveupdate,"
	echo "creates the session 'vm-1', preserves the memfd in it and stays alive:"
	luo hold vm-1 128 0xda7a 2>&1 | sed 's/^/    /'
	kt_check b-preserved-memfd sh -c 'luo hold vm-1b 1 >/dev/null'
	echo "Another VM keeps its RAM in a file of the pkernfs instance 'vm-2'"
	echo "(no boot-time reservation; 2 MiB pages, mapped by PMDs):"
	pk_mount vm-2 /mnt/vm-2 size=256M
	pkfs fill /mnt/vm-2/ram 64 0xfeed | sed 's/^/    /'
	pkfs pmd /mnt/vm-2/ram | sed 's/^/    /'
	umount /mnt/vm-2
	sed 's/^/    \/sys\/fs\/pkernfs\/instances: /' /sys/fs/pkernfs/instances
	echo "Rebooting into kernel C; the session and the instance go into the handover..."
	kt_kexec 3 main
}

stage3() {
	banner "Kernel C: $(uname -r), up $(cut -d' ' -f1 /proc/uptime)s"
	echo "What C's kernel log says about the live update:"
	dmesg | grep -oE "liveupdate: .*" | sed 's/^/    /'
	echo "A new process retrieves session 'vm-1' and its memfd, checks size,"
	echo "file position and every byte, and finishes the session:"
	luo check vm-1 128 0xda7a > /tmp/c.log 2>&1
	sed 's/^/    /' /tmp/c.log
	kt_check c-memfd-intact grep -q "LUO: check passed" /tmp/c.log
	kt_check c-second-session luo check vm-1b 1
	banner "Kernel C: the pkernfs instance of kernel B"
	dmesg | grep -oE "pkernfs: .*" | sed 's/^/    /'
	sed 's/^/    \/sys\/fs\/pkernfs\/instances: /' /sys/fs/pkernfs/instances
	echo "Mounting 'vm-2' again and comparing every byte of its RAM file:"
	pk_mount vm-2 /mnt/vm-2
	pkfs check /mnt/vm-2/ram 64 0xfeed > /tmp/p.log
	sed 's/^/    /' /tmp/p.log
	kt_check c-pkernfs-intact grep -q "PKFS: check passed" /tmp/p.log
	banner "Demo done"
}
