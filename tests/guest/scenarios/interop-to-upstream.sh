# SPDX-License-Identifier: GPL-2.0
# Wire compatibility, 6.12 -> upstream: this project's 6.12 kernel runs
# upstream's lib/test_kho.c, which preserves random folios of all orders,
# a vmalloc area and an FDT subtree; it kexecs into an unmodified upstream
# Linux 7.3, whose own test_kho restores and checks them.
# kt: KT_KERNEL=upstream KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=180 KT_APPEND="kho=on"

stage1() {
	kt_check is-6.12 sh -c 'uname -r | grep -q "^6\.12\."'
	kt_check subtree-published is_fdt /sys/kernel/debug/kho/out/sub_fdts/kho_test
	[ -f "$(kt_image linux73)" ] || { kt_fail linux73-image "missing"; return; }
	kt_kexec 2 linux73
}

stage2() {
	kt_check is-upstream sh -c 'uname -r | grep -q "^7\."'
	kt_check upstream-took-handover dmesg_has "KHO: exec from: 6.12"
	kt_check upstream-restore-succeeded dmesg_has "test_kho: KHO restore succeeded"
	kt_check no-restore-failure sh -c '! dmesg | grep -q "KHO restore failed"'
	dmesg | grep -E "test_kho|KHO" | sed 's/^/    /'
}
