# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): 1 GiB of guest RAM across a kexec, in one chain
# started with kho=on (the plain and empty-KHO kexecs to compare with are
# those of bench-kho-boot, in the same run):
#   pk1g    - a KHO kexec with a 1 GiB file in a pkernfs instance
#   memfd1g - a live update of a 1 GiB memfd (/dev/liveupdate): preserve,
#             kexec, retrieve
# Also: the handover's metadata for the pkernfs file, and when in the new
# kernel's boot the instance became mountable.

M=/mnt/vm0


stage1() {
	pk_mount vm0 $M
	pkfs fill $M/ram 1024 0x1 | sed 's/^/    /'
	umount $M
	kt_kexec 2 main
}

stage2() {
	local meta kib ready
	bench_line pk1g
	meta=$(dmesg | sed -n 's/.*pkernfs: instance vm0 handed over as [^ ]* (.* \([0-9]*\) bytes of metadata).*/\1/p')
	kib=$(sed -n 's/^vm0 .*used=\([0-9]*\)k.*/\1/p' /sys/fs/pkernfs/instances)
	ready=$(dmesg | sed -n 's/^\[ *\([0-9]*\)\.\([0-9]\{3\}\).*pkernfs: instance vm0 handed over.*/\1\2/p')
	pk_mount vm0 $M
	pkfs check $M/ram 1024 0x1 > /tmp/c.log
	sed 's/^/    /' /tmp/c.log
	kt_check pk1g-intact grep -q "PKFS: check passed" /tmp/c.log
	echo "KT-BENCH: pk1g-meta bytes=${meta:-0} kib=${kib:-0} mountable_ms=$((10#${ready:-0}))"
	umount $M
	echo vm0 > /sys/fs/pkernfs/discard
	kt_kexec 3 main liveupdate=on
}

stage3() {
	local pre
	luo hold bench 1024 0xbe > /tmp/hold.log 2>&1
	cat /tmp/hold.log
	pre=$(sed -n 's/^LUO: preserved 1024 MiB in \([0-9.]*\) ms.*/\1/p' /tmp/hold.log)
	echo "KT-BENCH: memfd1g-preserve preserve_us=$(ms_to_us "$pre")"
	kt_kexec 4 main
}

stage4() {
	local ret
	bench_line memfd1g
	luo check bench 1024 0xbe > /tmp/check.log 2>&1
	cat /tmp/check.log
	kt_check memfd1g-intact grep -q "LUO: check passed" /tmp/check.log
	ret=$(sed -n 's/^LUO: retrieved 1024 MiB in \([0-9.]*\) ms/\1/p' /tmp/check.log)
	echo "KT-BENCH: memfd1g-retrieve retrieve_us=$(ms_to_us "$ret")"
}
