# SPDX-License-Identifier: GPL-2.0
# A kernel user of pkernfs keeps its own file across two kexecs: with
# pkernfs_selftest=8M the kernel opens "state" in instance
# "kernel-selftest" through pkernfs_kern_open(), fills its pages through
# pkernfs_kern_get_page(), and the next kernel checks every page of the
# previous generation before writing the next. Users can mount the
# instance while the kernel uses it and see the same bytes.
# kt: KT_MEM=1G KT_TIMEOUT=240 KT_APPEND="kho=on pkernfs_selftest=8M"

stage1() {
	expect_dmesg written-1 "PKERNFS-SELFTEST: WRITTEN generation 1, 2048 pages"
	kt_check no-failure sh -c '! dmesg | grep -q "PKERNFS-SELFTEST: FAILED"'
	kt_check user-mount pk_mount kernel-selftest /mnt/k
	kt_expect_eq user-sees-size 8388608 "$(stat -c %s /mnt/k/state)"
	kt_expect_eq user-sees-generation "0100000000000000" "$(od -An -tx1 -N8 /mnt/k/state | tr -d ' ')"
	umount /mnt/k
	kt_kexec 2 main
}

stage2() {
	expect_dmesg verified-1 "PKERNFS-SELFTEST: VERIFIED generation 1, 2048 pages"
	expect_dmesg written-2 "PKERNFS-SELFTEST: WRITTEN generation 2, 2048 pages"
	kt_check no-failure sh -c '! dmesg | grep -q "PKERNFS-SELFTEST: FAILED"'
	kt_kexec 3 main
}

stage3() {
	expect_dmesg verified-2 "PKERNFS-SELFTEST: VERIFIED generation 2, 2048 pages"
	kt_check no-failure sh -c '! dmesg | grep -q "PKERNFS-SELFTEST: FAILED"'
	no_kernel_warning no-warning
}
