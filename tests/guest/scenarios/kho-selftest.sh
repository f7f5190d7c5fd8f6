# SPDX-License-Identifier: GPL-2.0
# KHO self test over one kexec: kernel A preserves folios of several
# orders, a vmalloc area and a subtree, all filled with a pattern; kernel
# B restores them and compares every byte. KASLR is on: B must have been
# placed inside the scratch areas. On arm64 the handover comes through
# the device tree's /chosen node.
# kt: KT_MEM=1G KT_TIMEOUT=180 KT_ARM64=1 KT_APPEND="kho=on kho_selftest=32M"

stage1() {
	kt_check kho-enabled dmesg_has "KHO: enabled"
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_check debugfs-out-fdt is_fdt /sys/kernel/debug/kho/out/fdt
	kt_check debugfs-scratch test -n "$(cat /sys/kernel/debug/kho/out/scratch_len)"
	kt_check no-incoming test ! -e /sys/kernel/debug/kho/in
	kt_check scratch-is-cma cma_pageblocks
	kt_kexec 2 main
}

stage2() {
	kt_check handover-found dmesg_has "KHO: found handover data"
	kt_check metadata dmesg_has "KHO: exec from: $(uname -r) (count 1)"
	kt_check restored dmesg_has "KHO-SELFTEST: PASS generation=1 "
	kt_check no-fail sh -c '! dmesg | grep -q "KHO-SELFTEST: FAIL"'
	kt_check no-warning sh -c '! dmesg | grep -q "WARNING:"'
	kt_check debugfs-in-fdt is_fdt /sys/kernel/debug/kho/in/fdt
	kt_check debugfs-in-subtree is_fdt /sys/kernel/debug/kho/in/sub_fdts/kho-selftest
	kt_check debugfs-in-metadata test -e /sys/kernel/debug/kho/in/sub_fdts/kexec-metadata
	kt_check kernel-in-scratch kernel_in_scratch
	kt_check kaslr-on sh -c '! grep -q nokaslr /proc/cmdline'
	kt_check scratch-is-cma cma_pageblocks
	if [ -d /proc/device-tree ]; then
		kt_check chosen-kho-fdt test -s /proc/device-tree/chosen/linux,kho-fdt
		kt_check chosen-kho-scratch test -s /proc/device-tree/chosen/linux,kho-scratch
	fi
	dmesg | grep -E "KHO" | sed 's/^/    /'
}
