# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): the blackout of a virtual machine (Debian's
# QEMU, 64 MiB of RAM) across a host kexec, from "stop" to "cont", split
# into save (stop, save the device state, QEMU exits), kexec to /init
# (timed on the host) and restore (from /init: mount or retrieve, start
# QEMU, load the state, cont); with its RAM in pkernfs (stages 1-2) and in
# a memfd preserved through /dev/liveupdate (stages 2-3).

RAM=64

# uptime_ms: this kernel's uptime in ms.
uptime_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

stage1() {
	local t0
	pk_mount vm0 /mnt/pk
	vm_start vm0 $RAM /mnt/pk/ram /mnt/pk/guest.log
	vm_wait_ticks /mnt/pk/guest.log 2 300
	t0=$(uptime_ms)
	kt_check pk-saved vm_save vm0 /mnt/pk/state
	echo "KT-BENCH: vm-pk-save save_ms=$(($(uptime_ms) - t0)) state_bytes=$(stat -c %s /mnt/pk/state) ram_bytes=$((RAM << 20))"
	kt_kexec 2 main
}

stage2() {
	local t0=$(uptime_ms) pid
	echo "KT-BENCH: vm-pk up_ms=$t0 kho_check_us=0 kho_mark_us=0 tree_kib=0"
	pk_mount vm0 /mnt/pk
	kt_check pk-restored vm_restore vm0 $RAM /mnt/pk/ram /mnt/pk/guest.2.log /mnt/pk/state
	vm_cmd vm0 cont
	echo "KT-BENCH: vm-pk-restore restore_ms=$(($(uptime_ms) - t0))"
	kt_check pk-runs vm_wait_ticks /mnt/pk/guest.2.log 1 300
	kt_check pk-no-reboot sh -c "! grep -q 'GUEST: BOOT' /mnt/pk/guest.2.log"
	vm_stop vm0

	VM_WRAP="luo vm vm-1 $RAM --" vm_start vm1 $RAM /proc/self/fd/10 /tmp/guest.log
	vm_wait_ticks /tmp/guest.log 2 300
	pid=$(cat /tmp/vm1.pid)
	t0=$(uptime_ms)
	kt_check memfd-saved vm_save vm1 /proc/$pid/fd/11
	echo "KT-BENCH: vm-memfd-save save_ms=$(($(uptime_ms) - t0)) state_bytes=$(grep -o 'and [0-9]* bytes' /tmp/vm1.qemu | cut -d' ' -f2) ram_bytes=$((RAM << 20))"
	kt_kexec 3 main
}

stage3() {
	local t0=$(uptime_ms)
	echo "KT-BENCH: vm-memfd up_ms=$t0 kho_check_us=0 kho_mark_us=0 tree_kib=0"
	VM_WRAP="luo vm-resume vm-1 --" vm_restore vm1 $RAM /proc/self/fd/10 /tmp/guest.log /proc/%PID%/fd/11
	kt_check memfd-restored test $? = 0
	vm_cmd vm1 cont
	echo "KT-BENCH: vm-memfd-restore restore_ms=$(($(uptime_ms) - t0))"
	kt_check memfd-runs vm_wait_ticks /tmp/guest.log 1 300
	kt_check memfd-no-reboot sh -c "! grep -q 'GUEST: BOOT' /tmp/guest.log"
	vm_stop vm1
}
