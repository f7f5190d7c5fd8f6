# SPDX-License-Identifier: GPL-2.0
# A 4 GiB machine (memory above 4 GiB, scratch below and above): a 1 GiB
# memfd and a 64 MiB self test survive a kexec byte for byte, and the
# kernel booted by the handover gets its whole swiotlb bounce buffer
# (64 MiB below 4 GiB) from the low scratch area. On this one-node
# machine the node's scratch area, sized from the node's memory, is no
# larger than the low and global ones together, sized from all of it
# (the node area once counted the other scratch areas as kernel memory).
# The kexec segments and the new kernel (KASLR) go to scratch above 4 GiB:
# in the low area they could take the swiotlb buffer's room (CI saw the
# 64 MiB shrink when KASLR happened to pick the low area).
# kt: KT_MEM=4G KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on kho_selftest=64M"

stage1() {
	kt_check above-4g sh -c 'grep -q "^1[0-9a-f]\{8\}-" /proc/iomem'
	kt_check node-scratch-sized sh -c 'set -- $(cat /sys/kernel/debug/kho/out/scratch_len); [ $# = 3 ] && [ $(($3)) -le $(($1 + $2)) ]'
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	luo hold big-ram 1024 0x4a > /tmp/luo.log 2>&1
	cat /tmp/luo.log
	kt_check memfd-preserved grep -q "LUO: preserved 1024 MiB" /tmp/luo.log
	kt_kexec 2 main
}

stage2() {
	kt_check selftest dmesg_has "KHO-SELFTEST: PASS generation=1"
	luo check big-ram 1024 0x4a > /tmp/luo.log 2>&1
	cat /tmp/luo.log
	kt_check memfd-every-byte grep -q "LUO: compared 1024 MiB .*: 0 bad words" /tmp/luo.log
	kt_check kernel-above-4g sh -c 'grep -q "^ *1[0-9a-f]\{8\}-.* : Kernel code" /proc/iomem'
	kt_check swiotlb-whole sh -c 'dmesg | grep -q "software IO TLB: mapped .* (64MB)"'
	kt_check swiotlb-not-shrunk sh -c '! dmesg | grep -q "bounce buffer size adjusted"'
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
