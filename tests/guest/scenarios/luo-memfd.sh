# SPDX-License-Identifier: GPL-2.0
# Guest RAM across two kernel updates: a process keeps 256 MiB of
# patterned memory in a memfd (file position set, plus a small text
# memfd), preserves both in a /dev/liveupdate session and kexecs. In the
# next kernel a new process retrieves the session, checks size, position
# and every byte, finishes the session and preserves the memory again;
# a third kernel checks it once more. A second session nobody claims is
# named in the log and in debugfs, and dropping it with "luo drop" frees
# its memory.
# kt: KT_MEM=1G KT_ARM64=1 KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on"

hold_log=/tmp/luo.log

stage1() {
	kt_check device test -c /dev/liveupdate
	kt_check luo-enabled dmesg_has "liveupdate: enabled: /dev/liveupdate, live update number 1"
	luo hold guest-ram 256 0x5eed > $hold_log 2>&1
	cat $hold_log
	kt_check preserved grep -q "LUO: preserved 256 MiB" $hold_log
	luo hold orphan 8 0x77 > /tmp/orphan.log 2>&1
	kt_check orphan-preserved grep -q "LUO: preserved 8 MiB" /tmp/orphan.log
	kt_kexec 2 main
}

stage2() {
	kt_check accepted dmesg_has "liveupdate: live update 1: state of the previous kernel accepted"
	kt_check two-sessions dmesg_has "liveupdate: 2 sessions handed over"
	kt_check orphan-logged dmesg_has 'liveupdate: session "orphan" handed over with 2 files'
	kt_check orphan-listed sh -c 'luo list | grep -qx "orphan 2 waiting"'
	luo check guest-ram 256 0x5eed keep > $hold_log 2>&1
	cat $hold_log
	kt_check verified grep -q "LUO: check passed" $hold_log
	kt_check every-byte grep -q "LUO: compared 256 MiB .*: 0 bad words" $hold_log
	kt_check preserved-again grep -q "LUO: preserved 256 MiB" $hold_log
	kt_check not-freed-yet sh -c '! dmesg | grep -q "preserved but not restored"'
	mt0=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
	kt_check orphan-dropped sh -c 'luo drop orphan | grep -q "LUO: dropped session orphan"'
	kt_check orphan-gone sh -c '! luo list | grep -q orphan'
	wait_dmesg "preserved but not restored"
	kt_check orphan-freed sh -c 'dmesg | grep -o "KHO: freed [0-9]* KiB that was preserved but not restored" | awk "{ exit !(\$3 >= 8192) }"'
	# The handover was counted in MemTotal once, when boot let it go:
	# freeing the 8 MiB nobody restored must not count them again (only
	# KHO's own block list, a boot allocation, joins the total).
	mt1=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
	kt_info memtotal "$mt0 kB before the release, $mt1 kB after"
	kt_check counted-once test $((mt1 - mt0)) -ge 0 -a $((mt1 - mt0)) -lt 4096
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:"'
	kt_kexec 3 main
}

stage3() {
	kt_check accepted-again dmesg_has "liveupdate: live update 2: state of the previous kernel accepted"
	luo check guest-ram 256 0x5eed > $hold_log 2>&1
	cat $hold_log
	kt_check verified-after-two-updates grep -q "LUO: check passed" $hold_log
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:"'
}
