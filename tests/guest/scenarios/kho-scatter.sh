# SPDX-License-Identifier: GPL-2.0
# 256 MiB preserved as 65536 scattered 4 KiB pages, each followed by a
# free page (the worst shape for the new kernel's memory init): every
# byte survives the kexec, the one-page holes between the blocks are kept
# reserved through boot and given to the page allocator by a worker after
# it ("KHO: gave ... KiB between preserved blocks"), and then the kernel
# has as much memory as before the kexec.
# kt: KT_ARM64=1 KT_MEM=1536M KT_TIMEOUT=300 KT_APPEND="kho=on kho_selftest=256M,scatter"

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

stage1() {
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1 folios=65536 "
	kt_kexec 2 main -kho_selftest "kt.memtotal=$(meminfo MemTotal)"
}

stage2() {
	local kib total before
	kt_check restored dmesg_has "KHO-SELFTEST: PASS generation=1 folios=65536 bytes=268435456 vmalloc=1048576 checked=all"
	kt_check holes-freed wait_dmesg "between preserved blocks to the page allocator"
	kib=$(dmesg | sed -n 's/.*KHO: gave \([0-9]*\) KiB between preserved blocks.*/\1/p')
	kt_info holes "${kib:-0} KiB"
	# A hole after every scattered page (less any that touched something
	# else reserved), plus holes of under 2 MiB around the test's other
	# blocks (its lists, its vmalloc area).
	kt_check holes-size test "${kib:-0}" -ge $((65000 * 4)) -a "${kib:-0}" -le $((65536 * 4 + 8192))
	total=$(meminfo MemTotal)
	before=$(kt_arg kt.memtotal)
	kt_info memtotal "$total kB, $before kB before the kexec"
	# The holes count again and the handover once (not again for every
	# restored page); what the two kernels reserve differs a little.
	kt_check memory-back test "$total" -ge $((before - 16384)) -a "$total" -le $((before + 16384))
	no_kernel_warning no-warning
}
