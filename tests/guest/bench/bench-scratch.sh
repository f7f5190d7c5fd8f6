# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): the scratch memory KHO reserves by default, this
# project's kernel against upstream Linux 7.3, on the guest size the bench
# boots (scripts/bench.sh runs it with 2 GiB and 16 GiB). Each kernel sizes
# its own scratch only when it does not receive a handover: ours is booted
# cold with kho=on, 7.3 is reached through a plain kexec (from the nokho
# variant, which cannot hand over).

# scratch_line WHO: the scratch areas' total size.
scratch_line() {
	local kib=0 gib v
	while read -r v; do
		kib=$((kib + v / 1024))
	done < /sys/kernel/debug/kho/out/scratch_len
	gib=$(awk '/MemTotal/ { printf "%d", ($2 + 524288) / 1048576 }' /proc/meminfo)
	kt_check "scratch-$1" test "$kib" -gt 0
	echo "KT-BENCH: scratch-$1-${gib}g kib=$kib areas=$(wc -l < /sys/kernel/debug/kho/out/scratch_len)"
}

stage1() {
	scratch_line ours
	kt_kexec 2 nokho -kho=on
}

stage2() {
	kt_kexec 3 linux73 kho=on
}

stage3() {
	scratch_line up
}
