# SPDX-License-Identifier: GPL-2.0
# Live update of memfds made of large folios into a kernel without THP:
# upstream Linux 7.3 with shmem THP on preserves a memfd of 2 MiB folios
# and one of 64 KiB folios; this project's 6.12 built without THP (the
# nothp variant, built for the full run: FULL=1) takes
# each large folio back as pages, checks every byte, punches a hole and
# cuts the file short inside what were large folios, closes it (this
# oopsed before), and hands the second memfd on to a 6.12 with THP.
# kt: KT_FULL=1 KT_KERNEL=linux73 KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on"

stage1() {
	kt_check is-upstream sh -c 'uname -r | grep -q "^7\."'
	luo_hold_thp
	kt_kexec 2 nothp
}

stage2() {
	kt_check is-6.12 sh -c 'uname -r | grep -q "^6\.12\."'
	kt_check without-thp test ! -e /sys/kernel/mm/transparent_hugepage
	kt_check accepted dmesg_has "liveupdate: live update 1: state of the previous kernel accepted"
	luo_run thp-2m-as-pages /tmp/c.log luo check thp-2m 48 0x7302 punch
	kt_check thp-2m-every-byte grep -q "LUO: compared 48 MiB .*: 0 bad words" /tmp/c.log
	kt_check thp-2m-punched grep -q "LUO: punched a page, .*: 0 bad words" /tmp/c.log
	luo_run thp-64k-as-pages /tmp/c.log luo check thp-64k 8 0x7364 keep
	no_kernel_warning no-oops
	kt_kexec 3 main
}

stage3() {
	kt_check accepted-again dmesg_has "liveupdate: live update 2: state of the previous kernel accepted"
	luo_run thp-64k-again /tmp/c.log luo check thp-64k 8 0x7364 punch
	kt_check thp-64k-punched grep -q "LUO: punched a page, .*: 0 bad words" /tmp/c.log
	no_kernel_warning no-oops
}
