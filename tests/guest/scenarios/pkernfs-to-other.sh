# SPDX-License-Identifier: GPL-2.0
# Kernels that do not know pkernfs: a 6.12 built without it, then
# upstream Linux 7.3, boot cleanly after a kexec from one with pkernfs
# instances, and the instances' memory is cleared and freed.
# kt: KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on"

stage1() {
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/ram 64 0x64 >/dev/null
	kt_kexec 2 upstream
}

stage2() {
	kt_check no-pkernfs sh -c '! grep -q pkernfs /proc/filesystems'
	# Freed by a worker after boot.
	wait_dmesg "KHO: freed"
	expect_dmesg freed "KHO: freed"
	kb=$(dmesg | sed -n 's/.*KHO: freed \([0-9]*\) KiB.*/\1/p' | head -1)
	kt_info freed "$kb KiB"
	kt_check freed-the-file test "${kb:-0}" -ge 65536
	no_kernel_warning no-warning
	# Back to a kernel with pkernfs, with a new instance, then to 7.3.
	kt_kexec 3 main
}

stage3() {
	kt_check nothing-came sh -c '! grep -q . /sys/fs/pkernfs/instances'
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/ram 64 0x65 >/dev/null
	kt_kexec 4 linux73
}

stage4() {
	kt_check is-upstream sh -c 'uname -r | grep -q "^7\."'
	kt_check booted test -r /proc/meminfo
	no_kernel_warning no-warning
}
