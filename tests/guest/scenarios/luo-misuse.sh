# SPDX-License-Identifier: GPL-2.0
# /dev/liveupdate misuse gets upstream's errno for each case (second
# opener, duplicate or bad session names, bad and unsupported fds,
# duplicate tokens, double preservation, wrong structure sizes, commands
# on the wrong kind of session) and loses nothing: a preserved memfd's
# size is frozen, and closing the session releases it. A session closed
# before the kexec does not reach the next kernel; a kept one does.
# kt: KT_ARM64=1 KT_MEM=512M KT_TIMEOUT=120 KT_APPEND="kho=on liveupdate=on"

stage1() {
	luo misuse > /tmp/misuse.log 2>&1
	cat /tmp/misuse.log
	grep "^LUO: ok" /tmp/misuse.log | while read -r _ _ what; do kt_pass "errno: $what"; done
	grep "^LUO: FAIL" /tmp/misuse.log | while read -r l; do kt_fail misuse "$l"; done
	kt_check misuse-passed grep -q "LUO: misuse passed" /tmp/misuse.log
	kt_check not-for-users sh -c '[ "$(stat -c %a /dev/liveupdate)" = 600 ]'
	# The misuse sessions were all closed; only this one goes over.
	kt_check hold luo hold kept 1
	kt_kexec 2 main
}

stage2() {
	kt_check one-session dmesg_has "liveupdate: 1 sessions handed over"
	kt_check closed-session-gone sh -c '! luo check misuse 1 2>&1 | grep -q "check passed"'
	kt_check kept-session luo check kept 1
	kt_check retrieve-twice sh -c 'luo check kept 1 2>&1 | grep -q "retrieve session kept"'
}
