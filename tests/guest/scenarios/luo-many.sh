# SPDX-License-Identifier: GPL-2.0
# Many sessions with many files each (more than fit in one page of the
# session and file tables) cross a kexec, each file with its own content.
# kt: KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=240 KT_APPEND="kho=on liveupdate=on"

stage1() {
	luo many hold 60 80 > /tmp/many.log 2>&1
	cat /tmp/many.log
	kt_check held grep -q "LUO: hold 60 sessions x 80 files" /tmp/many.log
	kt_kexec 2 main
}

stage2() {
	kt_check sessions dmesg_has "liveupdate: 60 sessions handed over"
	luo many check 60 80 > /tmp/many.log 2>&1
	cat /tmp/many.log
	kt_check all-files grep -q "LUO: check 60 sessions x 80 files in .* 0 bad" /tmp/many.log
	# Every session finished: nothing of the handover is left reserved.
	kt_check nothing-left sh -c '! dmesg | grep -q "preserved but not restored"'
}
