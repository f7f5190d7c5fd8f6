# SPDX-License-Identifier: GPL-2.0
# Two NUMA nodes: a cold boot reserves a scratch area per node, each
# inside its node; the handover (self test, 128 MiB memfd) survives a
# kexec and the next kernel keeps the four areas.
# kt: KT_NUMA=2 KT_MEM=2G KT_SMP=2 KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on kho_selftest=8M"

# area_in_node N PHYS LEN: [PHYS, PHYS+LEN) lies in node N's memory.
area_in_node() {
	dmesg | sed -n "s/.*node *$1: \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\].*/\1 \2/p" |
	while read -r lo hi; do
		[ $(($2)) -ge $((lo)) ] && [ $(($2 + $3 - 1)) -le $((hi)) ] && echo in
	done | grep -q in
}

check_nodes() {
	local n phys lens
	kt_check "$1-two-nodes" test -d /sys/devices/system/node/node1
	n=$(wc -l < /sys/kernel/debug/kho/out/scratch_len)
	kt_expect_eq "$1-four-areas" 4 "$n"
	phys=$(sed -n 4p /sys/kernel/debug/kho/out/scratch_phys)
	lens=$(sed -n 4p /sys/kernel/debug/kho/out/scratch_len)
	kt_check "$1-node1-area-in-node1" area_in_node 1 "$phys" "$lens"
	phys=$(sed -n 3p /sys/kernel/debug/kho/out/scratch_phys)
	lens=$(sed -n 3p /sys/kernel/debug/kho/out/scratch_len)
	kt_check "$1-node0-area-in-node0" area_in_node 0 "$phys" "$lens"
}

stage1() {
	check_nodes cold
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	luo hold numa-ram 128 0x4e > /tmp/luo.log 2>&1
	kt_check memfd-preserved grep -q "LUO: preserved 128 MiB" /tmp/luo.log
	kt_kexec 2 main
}

stage2() {
	kt_check found dmesg_has "KHO: found handover data"
	kt_check four-areas-handed dmesg_has "4 scratch areas"
	check_nodes handed
	kt_check selftest dmesg_has "KHO-SELFTEST: PASS generation=1"
	luo check numa-ram 128 0x4e > /tmp/luo.log 2>&1
	kt_check memfd-every-byte grep -q "LUO: compared 128 MiB .*: 0 bad words" /tmp/luo.log
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
