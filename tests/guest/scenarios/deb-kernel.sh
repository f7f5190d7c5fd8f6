# SPDX-License-Identifier: GPL-2.0
# The kernel of the Debian packages "make deb" builds (Debian's own 6.12
# configuration plus deb.config: no self tests, no KUnit) boots in QEMU
# and updates itself with Debian's kexec-tools ("kexec -s -l", "kexec -e")
# while a 64 MiB memfd sits in a live update session, the trace buffer
# holds 50 markers and a pkernfs file holds 8 MiB. The next kernel takes
# the handover and gives all three back byte for byte, in order. Then
# modules of the linux-image package (signed, xz-compressed; put into the
# initramfs by scripts/deb-check.sh) load into the kernel the handover
# booted and work. A campaign: it needs what "make deb" builds, not in
# the default run.
# kt: KT_CAMPAIGN=1 KT_KERNEL=deb KT_INITRD=deb KT_MEM=2G KT_TIMEOUT=600 KT_APPEND="kho=on liveupdate=on"

T=/sys/kernel/tracing

# Debian's configuration, not the test kernels' (both are "-kho"): module
# support and AppArmor built in.
is_debian_config() {
	uname -r | grep -q -- "-kho$" && test -e /proc/modules &&
		test -d /sys/module/apparmor
}

# A FAT file system on a loop device, both from the package's modules,
# keeps 4 MiB of random data across a remount.
fat_on_loop() {
	dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null &&
	dd if=/dev/zero of=/tmp/fat.img bs=1M count=16 2>/dev/null &&
	losetup /dev/loop0 /tmp/fat.img && mkdosfs /dev/loop0 >/dev/null &&
	mkdir -p /mnt/fat &&
	mount -t vfat -o codepage=437,iocharset=ascii /dev/loop0 /mnt/fat &&
	cp /tmp/data /mnt/fat/data && umount /mnt/fat &&
	mount -t vfat -o ro,codepage=437,iocharset=ascii /dev/loop0 /mnt/fat &&
	cmp /tmp/data /mnt/fat/data && umount /mnt/fat && losetup -d /dev/loop0
}

deb_modules() {
	local t0 t1 m
	kt_check package-modules test -f "/lib/modules/$(uname -r)/modules.dep"
	t0=$(cat /proc/sys/kernel/tainted)
	for m in loop vfat nls_cp437 nls_ascii; do
		kt_check "modprobe-$m" modprobe "$m"
	done
	kt_check modprobe-dependency grep -q '^fat ' /proc/modules
	t1=$(cat /proc/sys/kernel/tainted)
	# Taint bit 13 (E): a module was loaded without a valid signature.
	kt_expect_eq module-signatures-valid 0 $(((t1 & ~t0) >> 13 & 1))
	kt_check modules-work fat_on_loop
}

stage1() {
	kt_check debian-config-kernel is_debian_config
	kt_info kernel "$(uname -r): $(cat /proc/version)"
	kt_check kho-on test -d /sys/kernel/debug/kho/out
	kt_check no-selftest-hooks test ! -e /sys/kernel/debug/kho_selftest
	kt_check device test -c /dev/liveupdate
	luo hold guest-ram 64 0xdeb > /tmp/luo.log 2>&1
	cat /tmp/luo.log
	kt_check memfd-preserved grep -q "LUO: preserved 64 MiB" /tmp/luo.log
	echo 1 > $T/kho
	trace_markers kt-deb 50
	kt_expect_eq markers-written 50 "$(grep -c ': kt-deb-' $T/trace)"
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/disk 8 0xdeb >/dev/null
	kt_kexec_tools 2 deb
}

stage2() {
	kt_check debian-config-kernel is_debian_config
	kt_check handover-taken dmesg_has "KHO: found handover data"
	kt_check luo-accepted dmesg_has "liveupdate: live update 1: state of the previous kernel accepted"
	luo check guest-ram 64 0xdeb > /tmp/luo.log 2>&1
	cat /tmp/luo.log
	kt_check memfd-every-byte grep -q "LUO: compared 64 MiB .*: 0 bad words" /tmp/luo.log
	grep -o ': kt-deb-[0-9]*' $T/trace | cut -d- -f3 > /tmp/markers
	kt_expect_eq trace-markers 50 "$(wc -l < /tmp/markers)"
	kt_check trace-in-order sh -c 'seq 1 50 | cmp -s - /tmp/markers'
	pk_mount vm0 /mnt/vm0
	kt_check pkernfs-file pkfs check /mnt/vm0/disk 8 0xdeb
	deb_modules
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
