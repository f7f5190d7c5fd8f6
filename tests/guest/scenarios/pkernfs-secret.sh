# SPDX-License-Identifier: GPL-2.0
# A "secret" pkernfs instance: its file pages are out of the kernel's
# direct map, as memfd_secret() does. The owner maps and uses them;
# read()/write(), /proc/PID/mem and the kernel itself cannot reach them
# (the kernel's probe of the first page through the direct map faults,
# where it reads a normal instance's first word). Across a kexec the
# bytes survive and the pages are out of the new kernel's direct map too.
# kt: KT_MEM=1G KT_TIMEOUT=240 KT_APPEND="kho=on"

S=/mnt/sec

# probe FILE: what the kernel saw reading FILE's first page directly.
probe() {
	echo "$1" > /sys/kernel/debug/pkernfs/probe
	dmesg | grep "PKERNFS-SELFTEST: PROBE $1:" | tail -1 | sed 's/.*PROBE [^:]*: //'
}

secret_checks() {
	kt_check mmap-intact pkfs check $S/ram 8 0x5ec mmap
	pk_try read-refused EPERM read $S/ram
	pk_try write-refused EPERM write $S/ram
	pk_try proc-mem-refused EIO procmem $S/ram
	kt_expect_eq kernel-cannot-read "direct map unreadable (-14)" "$(probe $S/ram)"
	kt_check listed-secret grep -q '^sec mounted .* secret$' /sys/fs/pkernfs/instances
}

stage1() {
	kt_check secret-mounted pk_mount sec $S secret
	pkfs fill $S/ram 8 0x5ec > /dev/null
	secret_checks
	pk_mount pub /mnt/pub
	pkfs fill /mnt/pub/ram 8 0x9 > /dev/null
	kt_expect_eq kernel-reads-normal "direct map readable: $(od -An -tx8 -N8 /mnt/pub/ram | tr -d ' ')" "$(probe /mnt/pub/ram)"
	umount /mnt/pub
	pk_try not-secret-remount EINVAL mount name=pub,secret /mnt
	kt_kexec 2 main
}

stage2() {
	expect_dmesg handed-over "pkernfs: instance sec handed over"
	kt_check secret-back pk_mount sec $S
	secret_checks
	umount $S
	kt_check discarded sh -c 'echo sec > /sys/fs/pkernfs/discard'
	no_kernel_warning no-warning
}
