# SPDX-License-Identifier: GPL-2.0
# Mutated handovers (a campaign: "make mutate", not in the default run):
# a chain of 200 kexecs into the KASAN kernel. Before each kexec the
# kernel holds a KHO self test, a 16 MiB memfd in a live update session,
# trace records and a pkernfs file; then the self test's "mutate" flips
# random bytes of the outgoing handover's metadata (root FDT, subtree
# blobs, preserved-memory tree, LUO, memfd, trace and pkernfs records),
# chosen by a seed printed here. Every boot must complete with no panic,
# WARN, BUG or KASAN report; each part is either taken or refused with a
# message. The outcome is logged per seed; to replay one, write
# "mutate:SEED" to /sys/kernel/debug/kho_selftest/corrupt before a kexec.
# Scratch is sized by hand: KASAN's shadow (1/8 of memory) is allocated
# while only scratch may be used, and the default scaling (200% of early
# kernel memory, shadow included) would ask for more than half of memory.
# no5lvl: on a CPU with 5-level paging (QEMU's -cpu max), 6.12's KASAN
# calls every direct-map access "wild" while identify_cpu() rebuilds
# boot_cpu_data's capabilities with interrupts on (pgtable_l5_enabled()
# reads LA57 there before alternatives); a timer interrupt in that window
# gave the two early-boot reports of seeds 1113 and 3017. Not ours, not
# the handover's: 4-level paging keeps the campaign's reports meaningful.
# kt: KT_CAMPAIGN=1 KT_KERNEL=kasan KT_INITRD=kasan KT_MEM=1G KT_TIMEOUT=9000 KT_APPEND="kho=on kho_scratch=64M,256M,64M liveupdate=on kho_selftest=4M trace_kho=global kstate_selftest=16 no5lvl kt.mutate=200 kt.seed0=1000"

M=/mnt/pk

outcome() {
	local kho luo pk tr
	if dmesg | grep -q "KHO: ignoring the handover"; then kho=refused
	elif dmesg_has "KHO: found handover data"; then kho=taken
	else kho=none; fi
	if dmesg | grep -q "liveupdate: refusing"; then luo=refused
	elif luo check "m$((KT_STAGE - 1))" 16 "$(kt_arg kt.seed)" > /tmp/luo.log 2>&1; then luo=intact
	else luo="lost($(grep -m1 -o 'LUO: .*' /tmp/luo.log | cut -c1-60))"; fi
	if grep -q '^vm ' /sys/fs/pkernfs/instances 2>/dev/null &&
	   pk_mount vm $M 2>/dev/null; then
		pkfs check $M/f 4 "$(kt_arg kt.seed)" >/dev/null 2>&1 && pk=intact || pk=changed
		umount $M
		echo vm > /sys/fs/pkernfs/discard 2>/dev/null
	else
		pk=absent
	fi
	tr=$(grep -c ': kt-mut-' /sys/kernel/tracing/trace)
	kt_info outcome "seed $(kt_arg kt.seed) kho=$kho luo=$luo pkernfs=$pk trace=$tr/40"
}

prepare_and_kexec() {
	local n=$KT_STAGE seed=$(( $(kt_arg kt.seed0 1000) + KT_STAGE ))
	echo > /sys/kernel/tracing/trace
	trace_markers kt-mut 40
	luo hold "m$n" 16 "$seed" > /tmp/luo.log 2>&1
	kt_check "s$n-memfd-held" grep -q "LUO: preserved 16 MiB" /tmp/luo.log
	if pk_mount vm $M size=16M; then
		pkfs fill $M/f 4 "$seed" >/dev/null
		umount $M
	fi
	kt_info seed "$seed"
	if echo "mutate:$seed" > /sys/kernel/debug/kho_selftest/corrupt; then
		kt_pass "s$n-mutated"
	else
		kt_fail "s$n-mutated" "cannot set the seed"
	fi
	kt_kexec $((n + 1)) kasan kt.seed="$seed"
}

stage1() { prepare_and_kexec; }

stage_any() {
	local n=$KT_STAGE
	kt_check "s$n-booted" test -r /proc/uptime
	kt_check "s$n-no-report" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops|KASAN|Kernel panic"'
	dmesg | grep -E "KASAN|WARNING:|BUG:" | head -5 | sed 's/^/    /'
	outcome
	[ "$n" -gt "$(kt_arg kt.mutate 200)" ] && return
	prepare_and_kexec
}

for s in $(seq 2 401); do
	eval "stage$s() { stage_any; }"
done
