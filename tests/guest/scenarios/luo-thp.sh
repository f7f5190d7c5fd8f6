# SPDX-License-Identifier: GPL-2.0
# Live update of memfds made of large folios between kernels with THP:
# upstream Linux 7.3 with shmem THP on preserves a memfd of 2 MiB folios
# and one of 64 KiB folios; this project's 6.12 (THP on, as in Debian)
# puts the folios in the new memfds whole, checks every byte, punches a
# hole and cuts the 64 KiB one short inside a folio, and preserves the
# 2 MiB one again, still in large folios, for the upstream variant (THP
# on too), which takes them whole again and checks every byte. luo-thp-nothp (full run) hands
# them to a 6.12 without THP.
# kt: KT_KERNEL=linux73 KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on"

stage1() {
	kt_check is-upstream sh -c 'uname -r | grep -q "^7\."'
	luo_hold_thp
	kt_kexec 2 main
}

stage2() {
	local kb
	kt_check is-6.12 sh -c 'uname -r | grep -q "^6\.12\."'
	kt_check with-thp test -d /sys/kernel/mm/transparent_hugepage
	kt_check accepted dmesg_has "liveupdate: live update 1: state of the previous kernel accepted"
	luo_run thp-64k-whole /tmp/c.log luo check thp-64k 8 0x7364 punch
	kt_check thp-64k-punched grep -q "LUO: punched a page, .*: 0 bad words" /tmp/c.log
	kt_expect_eq no-huge-before 0 "$(shmem_huge_kb)"
	luo_run thp-2m-whole /tmp/c.log luo check thp-2m 48 0x7302 keep
	kt_check thp-2m-every-byte grep -q "LUO: compared 48 MiB .*: 0 bad words" /tmp/c.log
	kb=$(shmem_huge_kb)
	kt_info thp-2m "ShmemHugePages after retrieve: $kb kB"
	kt_check thp-2m-still-2m-folios test "$kb" -ge 40960
	no_kernel_warning no-oops
	kt_kexec 3 upstream
}

stage3() {
	local kb
	kt_check with-thp-again test -d /sys/kernel/mm/transparent_hugepage
	kt_check accepted-again dmesg_has "liveupdate: live update 2: state of the previous kernel accepted"
	kt_expect_eq no-huge-before-again 0 "$(shmem_huge_kb)"
	luo_run thp-2m-whole-again /tmp/c.log luo check thp-2m 48 0x7302 keep
	kt_check thp-2m-every-byte-again grep -q "LUO: compared 48 MiB .*: 0 bad words" /tmp/c.log
	kb=$(shmem_huge_kb)
	kt_info thp-2m-again "ShmemHugePages after retrieve: $kb kB"
	kt_check thp-2m-still-2m-folios-again test "$kb" -ge 40960
	no_kernel_warning no-oops
}
