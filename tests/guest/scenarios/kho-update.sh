# SPDX-License-Identifier: GPL-2.0
# The operator's tool, kho-update, refuses a kexec that would lose what
# should survive, each time with its reason and changing nothing: a new
# command line without kho=on, a hook that fails (a VM that could not be
# saved), a kernel and initramfs that do not fit in the scratch areas.
# Then it checks, reports and loads (-n), and finally kexecs; the pkernfs
# instance it reported is there in the new kernel. A kernel without kho=on
# refuses too.
# kt: KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on"

K=$(kt_image main)

stage1() {
	local initrd cmd
	initrd=$(kt_initrd)
	cmd=$(kt_cmdline_for_stage 2)
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/ram 16 0x16 >/dev/null
	kho-update -n -i "$initrd" -c "$(kt_cmdline_for_stage 2 -kho)" $K > /tmp/u.log 2>&1
	kt_expect_eq no-kho-next-refused 1 $?
	kt_check no-kho-next-says-why grep -q "refused: the new command line has no kho=on" /tmp/u.log
	kho-update -n -H "false" -i "$initrd" -c "$cmd" $K > /tmp/u.log 2>&1
	kt_expect_eq failed-hook-refused 1 $?
	kt_check failed-hook-says-why grep -q "refused: hook 'false' failed" /tmp/u.log
	truncate -s 2G /tmp/huge-initrd
	kho-update -n -i /tmp/huge-initrd -c "$cmd" $K > /tmp/u.log 2>&1
	kt_expect_eq no-scratch-refused 1 $?
	kt_check no-scratch-says-why grep -q "do not fit in the .* KiB of scratch" /tmp/u.log
	rm /tmp/huge-initrd
	kt_check nothing-loaded sh -c '[ "$(cat /sys/kernel/kexec_loaded)" = 0 ]'
	kho-update -n -H "echo hook ran" -i "$initrd" -c "$cmd" $K > /tmp/u.log 2>&1
	kt_expect_eq dry-run 0 $?
	sed 's/^/    /' /tmp/u.log
	kt_check reports-instance grep -q "hands over pkernfs instance vm0 mounted" /tmp/u.log
	kt_check ran-hook grep -q "^hook ran" /tmp/u.log
	kt_check loaded sh -c '[ "$(cat /sys/kernel/kexec_loaded)" = 1 ]'
	kt_kho_update 2 main "echo hook ran again"
}

stage2() {
	kt_check instance-came pk_mount vm0 /mnt/vm0
	kt_check file-intact pkfs check /mnt/vm0/ram 16 0x16
	kho-update -n -c "$(kt_cmdline_for_stage 3)" $K > /tmp/u.log 2>&1
	kt_expect_eq loads-without-initrd 0 $?
	kho-update -c "$(kt_cmdline_for_stage 3 -kho)" -i "$(kt_initrd)" $K > /tmp/u.log 2>&1
	kt_expect_eq refuses-before-kexec 1 $?
	# Now into a kernel booted without kho=on: kho-update refuses there.
	kt_kexec 3 main -kho
}

stage3() {
	kho-update -n -c "$(kt_cmdline_for_stage 4 kho=on)" $K > /tmp/u.log 2>&1
	kt_expect_eq kho-off-refused 1 $?
	kt_check kho-off-says-why grep -q "refused: kexec handover is off in this kernel" /tmp/u.log
	sed 's/^/    /' /tmp/u.log
}
