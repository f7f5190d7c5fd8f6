# SPDX-License-Identifier: GPL-2.0
# Soak (a campaign: "make soak", not in the default run): 50 kexecs in one
# chain with everything active at once, on the variant that has upstream's
# lib/test_kho.c built in: a 256 MiB memfd through /dev/liveupdate, a trace
# instance, upstream's test_kho and the KHO self test. After every kexec
# every byte of the memfd is compared, the previous kernel's trace records
# read back, both KHO tests must pass (test_kho restores on every other
# boot and preserves anew on the others), and MemTotal, MemFree and Slab are
# compared with the first handed-over kernel's: the drift is printed
# ("KT: soak N INFO drift ...") and must stay within noise.
# kt: KT_CAMPAIGN=1 KT_KERNEL=upstream KT_MEM=1G KT_TIMEOUT=3600 KT_APPEND="kho=on liveupdate=on kho_selftest=8M trace_kho=soak kt.soak=50"

I=/sys/kernel/tracing/instances/soak

meminfo_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

write_markers() {
	[ -d $I ] || mkdir $I
	echo > $I/trace
	trace_markers "kt-s$KT_STAGE" 50 $I
}

stage1() {
	kt_check test-kho-published is_fdt /sys/kernel/debug/kho/out/sub_fdts/kho_test
	luo hold soak-ram 256 0x50a > /tmp/luo.log 2>&1
	kt_check memfd-preserved grep -q "LUO: preserved 256 MiB" /tmp/luo.log
	write_markers
	kt_kexec 2 upstream
}

stage_any() {
	local n=$KT_STAGE last=$(($(kt_arg kt.soak 50) + 1))
	local total free slab base_total base_free base_slab
	# test_kho restores on one boot and preserves anew on the next.
	if dmesg | grep -q "test_kho: KHO restore"; then
		kt_check "s$n-test-kho-restored" dmesg_has "test_kho: KHO restore succeeded"
	else
		kt_check "s$n-test-kho-saved" is_fdt /sys/kernel/debug/kho/out/sub_fdts/kho_test
	fi
	kt_check "s$n-selftest" dmesg_has "KHO-SELFTEST: PASS generation=$((n - 1)) "
	luo check soak-ram 256 0x50a keep > /tmp/luo.log 2>&1
	kt_check "s$n-memfd" grep -q "LUO: compared 256 MiB .*: 0 bad words" /tmp/luo.log
	kt_check "s$n-trace" sh -c "[ \$(grep -c ': kt-s$((n - 1))-' $I/trace) = 50 ]"
	kt_check "s$n-no-warning" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
	total=$(meminfo_kb MemTotal); free=$(meminfo_kb MemFree); slab=$(meminfo_kb Slab)
	base_total=$(kt_arg kt.base_total "$total")
	base_free=$(kt_arg kt.base_free "$free")
	base_slab=$(kt_arg kt.base_slab "$slab")
	kt_info drift "kexec $((n - 1)): MemTotal $((total - base_total)) kB, MemFree $((free - base_free)) kB, Slab $((slab - base_slab)) kB"
	# Where the handover's own pages land moves MemTotal by a page or so.
	kt_check "s$n-memtotal-steady" [ $((total - base_total)) -gt -16 -a $((total - base_total)) -lt 16 ]
	kt_check "s$n-memfree-steady" [ $((free - base_free)) -gt -65536 ]
	kt_check "s$n-slab-steady" [ $((slab - base_slab)) -lt 8192 ]
	[ "$n" -ge "$last" ] && return
	write_markers
	kt_kexec $((n + 1)) upstream kt.base_total="$base_total" \
		kt.base_free="$base_free" kt.base_slab="$base_slab"
}

for s in $(seq 2 101); do
	eval "stage$s() { stage_any; }"
done
