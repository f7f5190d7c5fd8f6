# SPDX-License-Identifier: GPL-2.0
# pkernfs across three kernels, two instances: A fills vm0 (mounted) and
# vm1 (unmounted); B finds both listed, unmounted, mounts vm0, checks it,
# changes it (a new file, a removed one, an appended one) and leaves vm1
# alone; C finds B's changes and vm1 as A left it. Then vm1 is discarded:
# refused while mounted, and its memory comes back.
# kt: KT_MEM=1G KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_TIMEOUT=300 KT_APPEND="kho=on"

M=/mnt/vm0
N=/mnt/vm1

stage1() {
	pk_mount vm0 $M
	pk_mount vm1 $N size=64M
	pkfs fill $M/disk 16 0xa0 >/dev/null
	pkfs fill $M/doomed 2 0xa1 >/dev/null
	echo "log line 1" > $M/log
	pkfs fill $N/other 32 0xb0 >/dev/null
	umount $N
	# An instance with nothing in it goes over too.
	pk_mount empty /mnt/empty && umount /mnt/empty
	kt_check three-instances sh -c '[ $(wc -l < /sys/fs/pkernfs/instances) -eq 3 ]'
	kt_kexec 2 main
}

stage2() {
	expect_dmesg vm0-handed-over "pkernfs: instance vm0 handed over"
	expect_dmesg vm1-handed-over "pkernfs: instance vm1 handed over"
	kt_check vm1-listed grep -q '^vm1 unmounted incoming .*size=65536k' /sys/fs/pkernfs/instances
	kt_check empty-listed grep -q '^empty unmounted incoming used=0k' /sys/fs/pkernfs/instances
	pk_mount vm0 $M
	kt_check vm0-bytes pkfs check $M/disk 16 0xa0
	rm $M/doomed
	echo "log line 2" >> $M/log
	pkfs fill $M/from-b 4 0xc0 >/dev/null
	kt_kexec 3 main
}

stage3() {
	pk_mount vm0 $M
	kt_check disk-after-two pkfs check $M/disk 16 0xa0
	kt_check b-file pkfs check $M/from-b 4 0xc0
	kt_check b-removed test ! -e $M/doomed
	kt_expect_eq b-appended "log line 1|log line 2" "$(tr '\n' '|' < $M/log | sed 's/|$//')"
	pk_mount vm1 $N
	kt_check vm1-as-a-left-it pkfs check $N/other 32 0xb0
	kt_check discard-refused-mounted sh -c '! echo vm1 > /sys/fs/pkernfs/discard'
	umount $N
	# pkernfs pages sit on the unevictable LRU until they are freed.
	before=$(awk '/^Unevictable:/ { print $2 }' /proc/meminfo)
	kt_check discarded sh -c 'echo vm1 > /sys/fs/pkernfs/discard'
	after=$(awk '/^Unevictable:/ { print $2 }' /proc/meminfo)
	kt_info discard "Unevictable $before kB -> $after kB"
	kt_check memory-back test $((before - after)) -ge 32768
	kt_check gone sh -c '! grep -q "^vm1 " /sys/fs/pkernfs/instances'
	kt_check discard-unknown sh -c '! echo vm1 > /sys/fs/pkernfs/discard'
	no_kernel_warning no-warning
}
