# SPDX-License-Identifier: GPL-2.0
# Hypervisor live update, the seeds' story, with Debian's own QEMU: a
# virtual machine whose RAM is a file in the pkernfs instance vm0 runs
# (nested TCG). The operator pauses it, saves its device state (not its
# RAM: x-ignore-shared) to a file in the same instance, and kexecs the
# host with kho-update (the pause-and-save is its hook). In the new kernel the instance is mounted again, a new QEMU takes
# the same RAM file and the state, and the VM goes on counting where it
# stopped: no reboot, its RAM unchanged byte for byte, the state file far
# smaller than its RAM. Twice: A -> B -> C.
# kt: KT_INITRD=vm KT_MEM=2G KT_TIMEOUT=900 KT_APPEND="kho=on"

P=/mnt/pk
RAM=64

stage1() {
	kt_check debian-qemu sh -c "$VM_QEMU --version | grep -q Debian"
	pk_mount vm0 $P size=256M
	vm_start vm0 $RAM $P/ram $P/guest.1.log
	kt_check guest-runs vm_wait_ticks $P/guest.1.log 3 300
	kt_check guest-booted grep -q "GUEST: BOOT" $P/guest.1.log
	vm_live_update_out 1
}

# vm_live_update_out STAGE: the operator's update with kho-update: its hook
# pauses and saves the VM and records what it must be afterwards; then
# kho-update checks, reports and kexecs.
vm_live_update_out() {
	kt_kho_update $(($1 + 1)) main "vm_save_for_update $1"
}

# vm_save_for_update STAGE: the hook.
vm_save_for_update() {
	local t0 t1
	t0=$(date +%s)
	vm_save vm0 $P/state || return 1
	t1=$(date +%s)
	kt_pass saved
	kt_info save "$((t1 - t0)) s"
	kt_info state "$(stat -c %s $P/state) bytes of device state for $RAM MiB of RAM"
	kt_check state-small test "$(stat -c %s $P/state)" -lt $((RAM << 17))
	vm_last_tick $P/guest.$1.log > $P/last-tick
	md5sum < $P/ram | cut -c1-32 > $P/ram.md5
	kt_info paused-at "tick $(cat $P/last-tick), RAM md5 $(cat $P/ram.md5)"
}

# vm_live_update_in STAGE: mount, check, restore and watch the VM.
vm_live_update_in() {
	local log=$P/guest.$1.log
	kt_check instance-back pk_mount vm0 $P
	kt_check handed-over sh -c "dmesg | grep -q 'pkernfs: instance vm0 handed over'"
	kt_expect_eq ram-unchanged "$(cat $P/ram.md5)" "$(md5sum < $P/ram | cut -c1-32)"
	kt_check restored vm_restore vm0 $RAM $P/ram $log $P/state
	vm_cmd vm0 cont
	kt_check guest-runs-again vm_wait_ticks $log 3 300
	vm_check_resumed $log "$(cat $P/last-tick)"
}

stage2() {
	vm_live_update_in 2
	vm_live_update_out 2
}

stage3() {
	vm_live_update_in 3
	vm_stop vm0
	no_kernel_warning no-warning
}
