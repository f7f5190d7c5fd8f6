# SPDX-License-Identifier: GPL-2.0
# A 512 MiB pkernfs file (guest RAM sized) across a kexec, in place:
# every byte compared in the next kernel, still mapped by PMDs, and the
# handover's metadata far smaller than the file.
# kt: KT_MEM=2G KT_TIMEOUT=400 KT_APPEND="kho=on"

M=/mnt/vm0

stage1() {
	pk_mount vm0 $M
	pkfs fill $M/ram 512 0x512 > /tmp/f.log
	sed 's/^/    /' /tmp/f.log
	kt_check pmd-mapped sh -c "pkfs pmd $M/ram | grep -q ': 524288 kB of 524288 kB mapped by PMDs'"
	kt_kexec 2 main
}

stage2() {
	expect_dmesg handed-over "pkernfs: instance vm0 handed over"
	pk_mount vm0 $M
	pkfs check $M/ram 512 0x512 > /tmp/c.log
	sed 's/^/    /' /tmp/c.log
	kt_check every-byte grep -q "PKFS: check passed" /tmp/c.log
	kt_check pmd-mapped-again sh -c "pkfs pmd $M/ram | grep -q ': 524288 kB of 524288 kB mapped by PMDs'"
	kt_expect_eq used "used=524288k" "$(grep -o 'used=[0-9]*k' /sys/fs/pkernfs/instances)"
}
