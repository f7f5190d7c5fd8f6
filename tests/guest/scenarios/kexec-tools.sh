# SPDX-License-Identifier: GPL-2.0
# The flow with the tool operators already have: Debian's kexec-tools
# (/usr/sbin/kexec, or /sbin/kexec of its arm64 package, with its
# libraries) loads the next kernel with
# kexec_file_load ("kexec -s -l ... --reuse-cmdline") and boots it
# ("kexec -e"); a pkernfs file and a KHO self-test handover survive.
# kt: KT_INITRD=vm KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_MEM=2G KT_TIMEOUT=300 KT_APPEND="kho=on kho_selftest=8M"

stage1() {
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/disk 8 0x8 >/dev/null
	kt_kexec_tools 2 main
}

stage2() {
	kt_expect_eq reused-cmdline 2 "$(kt_arg kt.stage)"
	kt_check selftest-handover dmesg_has "KHO-SELFTEST: PASS generation=1 "
	pk_mount vm0 /mnt/vm0
	kt_check pkernfs-file pkfs check /mnt/vm0/disk 8 0x8
}
