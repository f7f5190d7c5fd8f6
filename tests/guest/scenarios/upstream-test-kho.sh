# SPDX-License-Identifier: GPL-2.0
# Upstream Linux's own KHO test (lib/test_kho.c from Debian's
# linux-source-7.3, built in unchanged at test time, not kept in this
# repository) runs against this kernel's KHO API: the first kernel
# preserves random folios of all orders, a vmalloc area and an FDT
# subtree with a checksum; after kexec the test restores them and
# compares the checksum.
# kt: KT_KERNEL=upstream KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_MEM=1G KT_TIMEOUT=180 KT_APPEND="kho=on"

stage1() {
	kt_check no-restore-on-cold-boot sh -c '! dmesg | grep -q "test_kho: KHO restore"'
	kt_check subtree-published is_fdt /sys/kernel/debug/kho/out/sub_fdts/kho_test
	kt_kexec 2 upstream
}

stage2() {
	kt_check upstream-restore-succeeded dmesg_has "test_kho: KHO restore succeeded"
	kt_check no-restore-failure sh -c '! dmesg | grep -q "test_kho: KHO restore failed"'
	dmesg | grep -E "test_kho|KHO:" | sed 's/^/    /'
}
