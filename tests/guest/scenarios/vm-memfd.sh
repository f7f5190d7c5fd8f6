# SPDX-License-Identifier: GPL-2.0
# Hypervisor live update the way upstream's Live Update Orchestrator is
# built for: Debian's QEMU runs a VM whose RAM is a memfd (mem-path=
# /proc/self/fd/10, handed to QEMU by fd by "luo vm"). The operator
# pauses the VM and saves its device state into a second memfd; when
# QEMU exits both memfds are preserved in the /dev/liveupdate session
# "vm-1" and the host kexecs. In the new kernel "luo vm-resume" retrieves
# them and runs a new QEMU on the same fds, which loads the state and
# resumes: the counter goes on, no reboot, RAM unchanged. When that QEMU
# exits the memfds are preserved again: twice, A -> B -> C.
# kt: KT_INITRD=vm KT_MEM=2G KT_TIMEOUT=900 KT_APPEND="kho=on liveupdate=on"

RAM=64

stage1() {
	VM_WRAP="luo vm vm-1 $RAM --" vm_start vm1 $RAM /proc/self/fd/10 /tmp/guest.log
	kt_check guest-runs vm_wait_ticks /tmp/guest.log 3 300
	kt_check guest-booted grep -q "GUEST: BOOT" /tmp/guest.log
	vm_memfd_out 1
}

# vm_memfd_out STAGE: pause, save into the state memfd, let "luo vm"
# preserve both memfds, kexec with what the next kernel must find.
vm_memfd_out() {
	local pid md5 last
	pid=$(cat /tmp/vm1.pid)
	vm_cmd vm1 stop
	sleep 1
	md5=$(md5sum < /proc/$pid/fd/10 | cut -c1-32)
	last=$(vm_last_tick /tmp/guest.log)
	# QEMU's migration helper does not inherit fd 11: it writes through
	# the copy "luo vm" holds.
	kt_check saved vm_save vm1 /proc/$pid/fd/11
	sed 's/^/    /' /tmp/vm1.qemu
	kt_check preserved grep -q "LUO: preserved guest RAM and [0-9]* bytes of VM state in vm-1" /tmp/vm1.qemu
	kt_info paused-at "tick $last, RAM md5 $md5"
	kt_kexec $(($1 + 1)) main kt.last-tick=$last kt.ram-md5=$md5
}

stage2() {
	vm_memfd_in 2
	vm_memfd_out 2
}

# vm_memfd_in STAGE: retrieve, check, restore and watch the VM.
vm_memfd_in() {
	kt_check accepted dmesg_has "liveupdate: live update $(($1 - 1)): state of the previous kernel accepted"
	: > /tmp/guest.log
	VM_WRAP="luo vm-resume vm-1 --" vm_restore vm1 $RAM /proc/self/fd/10 /tmp/guest.log /proc/%PID%/fd/11
	kt_check restored test $? = 0
	kt_expect_eq ram-unchanged "$(kt_arg kt.ram-md5)" "$(md5sum < /proc/$(cat /tmp/vm1.pid)/fd/10 | cut -c1-32)"
	vm_cmd vm1 cont
	kt_check guest-runs-again vm_wait_ticks /tmp/guest.log 3 300
	vm_check_resumed /tmp/guest.log "$(kt_arg kt.last-tick)"
}

stage3() {
	vm_memfd_in 3
	vm_stop vm1
	no_kernel_warning no-warning
}
