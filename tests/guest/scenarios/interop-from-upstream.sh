# SPDX-License-Identifier: GPL-2.0
# Wire compatibility, upstream -> 6.12: an unmodified upstream Linux 7.3
# runs its lib/test_kho.c, which preserves random folios, a vmalloc area
# and an FDT subtree, and kexecs into this project's 6.12 kernel, where
# the same test restores and checks them through our implementation.
# kt: KT_KERNEL=linux73 KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=180 KT_APPEND="kho=on"

stage1() {
	kt_check is-upstream sh -c 'uname -r | grep -q "^7\."'
	kt_check subtree-published is_fdt /sys/kernel/debug/kho/out/sub_fdts/kho_test
	[ -f "$(kt_image upstream)" ] || { kt_fail upstream-variant-image "missing"; return; }
	kt_kexec 2 upstream
}

stage2() {
	kt_check is-6.12 sh -c 'uname -r | grep -q "^6\.12\."'
	kt_check found-handover dmesg_has "KHO: found handover data"
	kt_check metadata-from-upstream dmesg_has "KHO: exec from: 7."
	kt_check restore-succeeded dmesg_has "test_kho: KHO restore succeeded"
	kt_check no-refusal sh -c '! dmesg | grep -q "ignoring the handover"'
	dmesg | grep -E "test_kho|KHO" | sed 's/^/    /'
}
