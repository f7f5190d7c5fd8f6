# SPDX-License-Identifier: GPL-2.0
# A large handover with deferred struct page initialisation (as Debian's
# kernels have it): 768 MiB of folios of mixed orders, most of them in
# memory whose struct pages are only initialised after boot, survive a
# kexec byte for byte, and the memory is usable afterwards.
# kt: KT_ARM64=1 KT_MEM=1536M KT_TIMEOUT=300 KT_APPEND="kho=on kho_selftest=768M"

stage1() {
	kt_check deferred-init dmesg_has "deferred pages initialised in"
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_kexec 2 main -kho_selftest
}

stage2() {
	local free
	kt_check deferred-init dmesg_has "deferred pages initialised in"
	kt_check restored dmesg_has "KHO-SELFTEST: PASS generation=1 "
	kt_check no-fail sh -c '! dmesg | grep -qE "KHO-SELFTEST: FAIL|WARNING:|BUG:"'
	# The restored folios were freed again: most memory is free.
	free=$(awk '/^MemFree/ { print $2 }' /proc/meminfo)
	if [ "$free" -gt $((1024 * 1024)) ]; then
		kt_pass memory-back "MemFree $free kB"
	else
		kt_fail memory-back "MemFree $free kB"
	fi
	dmesg | grep -E "KHO|deferred" | sed 's/^/    /'
}
