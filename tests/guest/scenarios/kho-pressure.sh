# SPDX-License-Identifier: GPL-2.0
# Memory pressure: a 128 MiB memfd and a self test are preserved, then a
# hog takes all but 160 MiB of the available memory (what kexec_file_load
# and the initramfs copy need), so reclaim and compaction run. Nothing
# preserved is reclaimed or moved: the kexec works under pressure and
# every byte arrives.
# kt: KT_MEM=1G KT_TIMEOUT=240 KT_APPEND="kho=on liveupdate=on kho_selftest=32M"

stage1() {
	local avail
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	luo hold pressed 128 0x9e55 > /tmp/luo.log 2>&1
	kt_check memfd-preserved grep -q "LUO: preserved 128 MiB" /tmp/luo.log
	avail=$(awk '/^MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)
	memhog $((avail - 160)) > /tmp/hog.log 2>&1 &
	for _ in $(seq 120); do
		grep -q MEMHOG /tmp/hog.log && break
		sleep 1
	done
	kt_check hog-holds grep -q "MEMHOG: holding" /tmp/hog.log
	kt_info meminfo "$(grep -E '^(MemFree|MemAvailable|Shmem):' /proc/meminfo | tr -s ' \n' ' ')"
	kt_kexec 2 main
}

stage2() {
	kt_check selftest dmesg_has "KHO-SELFTEST: PASS generation=1"
	luo check pressed 128 0x9e55 > /tmp/luo.log 2>&1
	cat /tmp/luo.log
	kt_check memfd-every-byte grep -q "LUO: compared 128 MiB .*: 0 bad words" /tmp/luo.log
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
