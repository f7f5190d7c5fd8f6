# SPDX-License-Identifier: GPL-2.0
# pkernfs, what a tmpfs user expects, before and after a kexec: a tree of
# directories and files written through mmap and write(), grown, shrunk,
# preallocated, punched, renamed, chmod/chown/touch'ed, with permission
# checks and the errors of what is not supported; then the same tree,
# byte for byte, with its modes, owners, sizes and times, in the next
# kernel, 2 MiB folios still mapped by PMDs, size= still enforced.
# kt: KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on"

M=/mnt/vm0

stage1() {
	kt_check registered grep -q pkernfs /proc/filesystems
	kt_check mounted pk_mount vm0 $M mode=0751,uid=1000,gid=100
	kt_expect_eq root-attrs "751 1000 100" "$(stat -c '%a %u %g' $M)"
	chmod 755 $M
	mkdir -p $M/a/b/c $M/empty $M/gone
	echo hello > $M/a/b/c/hello.txt
	kt_check fill-mmap pkfs fill $M/ram 8 0x11
	kt_check fill-write pkfs fill $M/a/written 3 0x22 write
	kt_check pmd-mapped sh -c "pkfs pmd $M/ram | grep -q ': 8192 kB of 8192 kB mapped by PMDs'"
	# Grow with a hole, then write past it.
	truncate -s 20M $M/sparse
	echo tail | dd of=$M/sparse bs=1 seek=$((15 << 20)) conv=notrunc 2>/dev/null
	kt_expect_eq sparse-size 20971520 "$(stat -c %s $M/sparse)"
	# One 2 MiB folio: the file is past 2 MiB.
	kt_expect_eq sparse-blocks 4096 "$(stat -c %b $M/sparse)"
	kt_expect_eq hole-reads-zero 0 "$(dd if=$M/sparse bs=4096 count=16 2>/dev/null | tr -d '\0' | wc -c)"
	# Shrink: what went is freed.
	pkfs fill $M/shrink 8 0x33 >/dev/null
	truncate -s 5000000 $M/shrink
	kt_expect_eq shrunk-size 5000000 "$(stat -c %s $M/shrink)"
	kt_check shrink-freed test "$(stat -c %b $M/shrink)" -le 12288
	# Preallocate, then punch a hole in the middle of a 2 MiB folio.
	pk_try falloc OK falloc $M/prealloc 0 $((6 << 20))
	kt_expect_eq falloc-size 6291456 "$(stat -c %s $M/prealloc)"
	pkfs fill $M/punched 4 0x44 >/dev/null
	pk_try punch OK punch $M/punched $((1 << 20)) 8192
	kt_expect_eq punched-reads-zero 0 "$(dd if=$M/punched bs=4096 skip=256 count=2 2>/dev/null | tr -d '\0' | wc -c)"
	kt_expect_eq punch-keeps-size 4194304 "$(stat -c %s $M/punched)"
	# Names.
	mv $M/a/written $M/a/b/moved
	echo old > $M/replaced
	echo new > $M/replacer
	mv $M/replacer $M/replaced
	kt_expect_eq rename-replaces new "$(cat $M/replaced)"
	rmdir $M/gone
	kt_check rmdir-nonempty sh -c "! rmdir $M/a 2>/dev/null"
	# Attributes and permissions.
	echo secret > $M/private
	chmod 600 $M/private
	chown 1234:5678 $M/a/b/c/hello.txt
	chmod 640 $M/a/b/c/hello.txt
	touch -d '2021-02-03 04:05:06' $M/a/b/c/hello.txt
	pk_try perm-denied EACCES as 4321 4321 read $M/private
	pk_try perm-owner OK as 1234 5678 read $M/a/b/c/hello.txt
	pk_try perm-write-denied EACCES as 4321 4321 create $M/nope
	# Errors.
	pk_try mounted-twice EBUSY mount name=vm0 /mnt
	pk_try no-name EINVAL mount size=1M /mnt
	pk_try bad-name EINVAL mount name=a/b /mnt
	pk_try name-too-long ENAMETOOLONG create "$M/$(printf '%0256d' 0)"
	pk_try fifo EOPNOTSUPP fifo $M/fifo
	pk_try symlink EPERM symlink $M/link
	pk_try hardlink EPERM link $M/replaced $M/hard
	pk_try tmpfile EOPNOTSUPP tmpfile $M
	kt_check small-mounted pk_mount small /mnt/small size=4M
	kt_expect_eq small-statfs 4096 "$(df -k /mnt/small | awk 'NR == 2 { print $2 }')"
	pk_try small-enospc ENOSPC fill /mnt/small/f 8
	pk_try node-without-memory EINVAL mount name=n1,node=1 /mnt
	kt_check node0-mounted pk_mount n0 /mnt/n0 node=0
	kt_check node0-fill pkfs fill /mnt/n0/f 4 0x40
	kt_check node0-listed grep -q '^n0 mounted used=4096k size=0k node=0' /sys/fs/pkernfs/instances
	pk_manifest $M > /tmp/manifest
	kt_info manifest "$(wc -l < /tmp/manifest) entries"
	pk_mount meta /mnt/meta && cp /tmp/manifest /mnt/meta/manifest
	umount $M
	kt_check unmounted-kept grep -q '^vm0 unmounted ' /sys/fs/pkernfs/instances
	kt_kexec 2 main
}

stage2() {
	expect_dmesg handed-over "pkernfs: instance vm0 handed over"
	kt_check listed-unmounted grep -q '^vm0 unmounted incoming ' /sys/fs/pkernfs/instances
	pk_mount meta /mnt/meta
	kt_check mounted-again pk_mount vm0 $M
	pk_try node-without-memory EINVAL mount name=n1,node=1 /mnt
	kt_check node0-mounted pk_mount n0 /mnt/n0 node=0
	kt_check node0-fill pkfs fill /mnt/n0/f 4 0x40
	kt_check node0-listed grep -q '^n0 mounted used=4096k size=0k node=0' /sys/fs/pkernfs/instances
	pk_manifest $M > /tmp/manifest
	if cmp -s /tmp/manifest /mnt/meta/manifest; then
		kt_pass same-tree
	else
		kt_fail same-tree "$(diff /mnt/meta/manifest /tmp/manifest | head -5 | tr '\n' '|')"
	fi
	kt_check ram-bytes pkfs check $M/ram 8 0x11
	kt_check written-bytes pkfs check $M/a/b/moved 3 0x22
	kt_check pmd-mapped-again sh -c "pkfs pmd $M/ram | grep -q ': 8192 kB of 8192 kB mapped by PMDs'"
	kt_expect_eq sparse-blocks 4096 "$(stat -c %b $M/sparse)"
	kt_expect_eq hello-attrs "640 1234 5678 1612325106" "$(stat -c '%a %u %g %Y' $M/a/b/c/hello.txt)"
	pk_try perm-denied EACCES as 4321 4321 read $M/private
	pk_try mounted-twice EBUSY mount name=vm0 /mnt
	kt_check small-mounted pk_mount small /mnt/small
	pk_try small-still-limited ENOSPC fill /mnt/small/g 8
	# The files are ours again: change them.
	pkfs fill $M/ram 8 0x55 >/dev/null
	kt_check rewritten pkfs check $M/ram 8 0x55
	rm -r $M/a
	kt_check removed test ! -e $M/a
	no_kernel_warning no-warning
}
