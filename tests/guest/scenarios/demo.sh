# SPDX-License-Identifier: GPL-2.0
# The README demo: kernel A (with kho=on) preserves 64 MiB of patterned
# memory, a vmalloc area and a subtree through the KHO API, then kexecs
# into kernel B with kexec_file_load. B finds the handover, checks it,
# restores the memory and compares every byte.
# kt: KT_MEM=1G KT_TIMEOUT=180 KT_APPEND="kho=on kho_selftest=64M"

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
	banner "Demo done"
}
