# SPDX-License-Identifier: GPL-2.0
# Live update, 6.12 -> upstream: memfds preserved by this project's 6.12
# (a 64 MiB patterned one, and upstream's own kexec selftest stage 1) are
# retrieved intact by an unmodified upstream Linux 7.3.
# kt: KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=240 KT_APPEND="kho=on liveupdate=on"

ST=/kt/selftests/liveupdate

stage1() {
	kt_check is-6.12 sh -c 'uname -r | grep -q "^6\.12\."'
	[ -f "$(kt_image linux73)" ] || { kt_fail linux73-image "missing"; return; }
	kt_check hold luo hold vm-ram 64 0x6120
	kt_check upstream-selftest-stage-1 "$ST/luo_kexec_simple" -s 1
	kt_kexec 2 linux73
}

stage2() {
	kt_check is-upstream sh -c 'uname -r | grep -q "^7\."'
	kt_check upstream-took-state dmesg_has "liveupdate number: 1"
	luo check vm-ram 64 0x6120 > /tmp/c.log 2>&1
	sed 's/^/    /' /tmp/c.log
	kt_check upstream-retrieved-every-byte grep -q "LUO: check passed" /tmp/c.log
	"$ST/luo_kexec_simple" -s 2 > /tmp/s.log 2>&1
	kt_expect_eq upstream-selftest-stage-2 0 $?
	sed 's/^/    /' /tmp/s.log
}
