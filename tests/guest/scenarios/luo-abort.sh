# SPDX-License-Identifier: GPL-2.0
# A failure while serializing in the reboot path aborts the kexec with the
# error and leaves every session as it was: the memfd stays preserved, the
# sessions keep working, and the next kexec hands everything over. A
# pkernfs instance written into the handover before the failure is let go
# (pkernfs_kexec_cancel()): its file can shrink and change again, and the
# next kexec hands over the changed file.
# kt: KT_MEM=1G KT_TIMEOUT=240 KT_APPEND="kho=on liveupdate=on"

stage1() {
	luo hold first 32 11 > /tmp/a.log 2>&1 && luo hold second 16 12 >> /tmp/a.log 2>&1
	cat /tmp/a.log
	kt_check held sh -c '[ "$(grep -c "LUO: preserved" /tmp/a.log)" = 2 ]'
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/ram 16 0x16 > /dev/null
	# The third file's freeze fails (after two succeeded).
	echo 3 > /sys/kernel/debug/liveupdate/freeze_fault
	kexec-load -i "$(kt_initrd)" -c "$(kt_cmdline_for_stage 2)" "$(kt_image main)"
	if kexec-load -e 2> /tmp/e.log; then
		kt_fail kexec-aborted "reboot returned success"
	fi
	cat /tmp/e.log
	kt_check kexec-aborted grep -q "Input/output error" /tmp/e.log
	kt_check aborted-logged sh -c 'dmesg | grep -qE "cannot hand the sessions over \((-EIO|-5)\): kexec aborted"'
	kt_check still-running true
	kt_check pkernfs-was-written dmesg_has "pkernfs: 1 instances handed over"
	# Let go: shrinking frees (no reference is left), and it can change.
	before=$(awk '/^Unevictable:/ { print $2 }' /proc/meminfo)
	truncate -s 0 /mnt/vm0/ram
	after=$(awk '/^Unevictable:/ { print $2 }' /proc/meminfo)
	kt_check pkernfs-let-go test $((before - after)) -ge 16384
	pkfs fill /mnt/vm0/ram 8 0x8 > /dev/null
	kt_kexec 2 main
}

stage2() {
	kt_check two-sessions dmesg_has "liveupdate: 2 sessions handed over"
	luo check first 32 11 > /tmp/c.log 2>&1; luo check second 16 12 >> /tmp/c.log 2>&1
	cat /tmp/c.log
	kt_check both-intact sh -c '[ "$(grep -c "LUO: check passed" /tmp/c.log)" = 2 ]'
	pk_mount vm0 /mnt/vm0
	kt_check pkernfs-changed-file pkfs check /mnt/vm0/ram 8 0x8
}
