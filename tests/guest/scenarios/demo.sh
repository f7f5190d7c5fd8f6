# SPDX-License-Identifier: GPL-2.0
# The README demo: kernel A (with kho=on) preserves 64 MiB of patterned
# memory, a vmalloc area and a subtree through the KHO API, then kexecs
# into kernel B with kexec_file_load. B finds the handover, checks it,
# restores the memory and compares every byte. A also traces (function
# tracer on one function, sched_switch, trace_marker) into a buffer that
# opted in to the handover, and B reads A's records from its own trace
# file before B's. Then userspace: a process
# in B keeps 128 MiB of "guest RAM" in a memfd and preserves it through
# /dev/liveupdate, and a virtual machine run by Debian's QEMU keeps its
# RAM in a file of the pkernfs instance "vm-2". The host is updated with
# kho-update, whose hook pauses the VM and saves its device state; in
# kernel C a new process retrieves the memfd and compares every byte, and
# a new QEMU resumes the VM from the same RAM: it goes on counting where
# it stopped, without a reboot.
# kt: KT_INITRD=vm KT_MEM=2G KT_TIMEOUT=600 KT_APPEND="kho=on liveupdate=on kho_selftest=64M"

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
	banner "Kernel B: a virtual machine with its RAM in pkernfs"
	echo "Debian's QEMU ($($VM_QEMU --version | head -1 | cut -d' ' -f4)) runs a small guest that counts"
	echo "and checks its RAM; its 64 MiB of RAM is the file /mnt/vm-2/ram of the"
	echo "pkernfs instance 'vm-2' (no boot-time reservation; 2 MiB pages):"
	pk_mount vm-2 /mnt/vm-2 size=256M
	vm_start vm2 64 /mnt/vm-2/ram /mnt/vm-2/guest.log
	kt_check b-vm-runs vm_wait_ticks /mnt/vm-2/guest.log 3 300
	tr -d '\r' < /mnt/vm-2/guest.log | grep -a "GUEST: TICK .* OK" | tail -3 | sed 's/^/    /'
	echo "Updating the host with kho-update: its hook pauses the VM and saves its"
	echo "device state (not its RAM) next to the RAM, then it checks, reports and kexecs:"
	kt_kho_update 3 main demo_vm_save
}

# demo_vm_save: kho-update's hook in kernel B.
demo_vm_save() {
	vm_save vm2 /mnt/vm-2/state || return 1
	vm_last_tick /mnt/vm-2/guest.log > /mnt/vm-2/last-tick
	md5sum < /mnt/vm-2/ram | cut -c1-32 > /mnt/vm-2/ram.md5
	echo "    VM paused after tick $(printf %08x "$(cat /mnt/vm-2/last-tick)"); device state: $(stat -c %s /mnt/vm-2/state) bytes, RAM: 64 MiB"
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
	banner "Kernel C: the virtual machine of kernel B resumes"
	dmesg | grep -oE "pkernfs: .*" | sed 's/^/    /'
	pk_mount vm-2 /mnt/vm-2
	kt_expect_eq c-vm-ram-unchanged "$(cat /mnt/vm-2/ram.md5)" "$(md5sum < /mnt/vm-2/ram | cut -c1-32)"
	echo "A new QEMU takes the same RAM file and the saved state, and continues:"
	kt_check c-vm-restored vm_restore vm2 64 /mnt/vm-2/ram /mnt/vm-2/guest.c.log /mnt/vm-2/state
	vm_cmd vm2 cont
	kt_check c-vm-runs vm_wait_ticks /mnt/vm-2/guest.c.log 3 300
	tr -d '\r' < /mnt/vm-2/guest.c.log | grep -a "GUEST:" | head -3 | sed 's/^/    /'
	echo "    (paused after tick $(printf %08x "$(cat /mnt/vm-2/last-tick)") in kernel B; no BOOT line: it never rebooted)"
	kt_check c-vm-continues test "$(vm_first_tick /mnt/vm-2/guest.c.log)" -gt "$(cat /mnt/vm-2/last-tick)"
	kt_check c-vm-no-reboot sh -c "! grep -q 'GUEST: BOOT' /mnt/vm-2/guest.c.log"
	vm_stop vm2
	banner "Demo done"
}
