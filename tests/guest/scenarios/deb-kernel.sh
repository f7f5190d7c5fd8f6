# SPDX-License-Identifier: GPL-2.0
# The kernel of the Debian packages "make deb" builds (Debian's own 6.12
# configuration plus deb.config: no self tests, no KUnit) boots in QEMU
# and updates itself with Debian's kexec-tools ("kexec -s -l", "kexec -e")
# while a 64 MiB memfd sits in a live update session, the trace buffer
# holds 50 markers and a pkernfs file holds 8 MiB. The next kernel takes
# the handover and gives all three back byte for byte, in order. A
# campaign: it needs build/images/bzImage-deb (make deb), not in the
# default run.
# kt: KT_CAMPAIGN=1 KT_KERNEL=deb KT_INITRD=deb KT_MEM=2G KT_TIMEOUT=600 KT_APPEND="kho=on liveupdate=on"

T=/sys/kernel/tracing

# Debian's configuration, not the test kernels' (both are "-kho"): module
# support and AppArmor built in.
is_debian_config() {
	uname -r | grep -q -- "-kho$" && test -e /proc/modules &&
		test -d /sys/module/apparmor
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
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}
