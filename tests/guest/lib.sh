# SPDX-License-Identifier: GPL-2.0
# Guest-side helpers for scenarios. Every result is one console line:
#
#   KT: <scenario> <stage> PASS|FAIL|INFO <check> [detail...]
#   KT-DONE: <scenario>            (the scenario ran to its end)
#
# The host harness (tests/run.sh) collects these from the serial log.

KT_SCENARIO=
KT_STAGE=1

# kt_arg NAME [DEFAULT]: value of NAME= on the kernel command line (the
# last one, as for kernel parameters: kexec --reuse-cmdline --append can
# override).
kt_arg() {
	local w v= found=
	for w in $(cat /proc/cmdline); do
		case "$w" in
		"$1="*) v=${w#*=}; found=1 ;;
		esac
	done
	if [ -n "$found" ]; then
		echo "$v"
		return 0
	fi
	[ $# -ge 2 ] && echo "$2"
	return 1
}

kt_has_arg() {
	local w
	for w in $(cat /proc/cmdline); do
		[ "$w" = "$1" ] && return 0
		case "$w" in "$1="*) return 0 ;; esac
	done
	return 1
}

kt_say() { echo "KT: $KT_SCENARIO $KT_STAGE $*"; }
kt_pass() { kt_say PASS "$@"; }
kt_fail() { kt_say FAIL "$@"; KT_FAILED=1; }
kt_info() { kt_say INFO "$@"; }

# kt_check NAME CMD...: PASS when CMD succeeds, FAIL otherwise.
kt_check() {
	local name=$1; shift
	if "$@"; then kt_pass "$name"; else kt_fail "$name" "command failed: $*"; fi
}

# kt_expect_eq NAME EXPECTED ACTUAL
kt_expect_eq() {
	if [ "$2" = "$3" ]; then
		kt_pass "$1"
	else
		kt_fail "$1" "expected '$2' got '$3'"
	fi
}

# kt_cmdline_for_stage STAGE [EXTRA...]: this kernel's command line with
# kt.stage replaced by STAGE and EXTRA words appended (a word NAME=VALUE
# replaces an existing NAME=; a word -NAME removes NAME or NAME=...).
kt_cmdline_for_stage() {
	local stage=$1 w e out= drop
	shift
	for w in $(cat /proc/cmdline); do
		case "$w" in kt.stage=*) continue ;; esac
		drop=
		for e in "$@"; do
			case "$e" in
			-*) [ "$w" = "${e#-}" ] && drop=1
			    case "$w" in "${e#-}="*) drop=1 ;; esac ;;
			*=*) case "$w" in "${e%%=*}="*) drop=1 ;; esac ;;
			*) [ "$w" = "$e" ] && drop=1 ;;
			esac
		done
		[ -n "$drop" ] || out="$out $w"
	done
	for e in "$@"; do
		case "$e" in -*) ;; *) out="$out $e" ;; esac
	done
	echo "${out# } kt.stage=$stage"
}

# kt_image VARIANT: the kernel image of that variant for this machine
# (x86: /kt/images/bzImage-VARIANT; arm64: Image-VARIANT, uncompressed,
# the only kind arm64's kexec_file_load takes).
# The arm64 images travel gzipped (the initramfs goes along with every
# kexec and must fit in scratch): unpacked into /tmp on first use.
kt_image() {
	case "$(uname -m)" in
	aarch64)
		if [ ! -f "/tmp/Image-$1" ] && [ -f "/kt/images/Image-$1.gz" ]; then
			gunzip -c "/kt/images/Image-$1.gz" > "/tmp/Image-$1.part" &&
				mv "/tmp/Image-$1.part" "/tmp/Image-$1"
		fi
		echo "/tmp/Image-$1" ;;
	*) echo "/kt/images/bzImage-$1" ;;
	esac
}

# kt_sys NAME: the symbol of system call NAME's entry on this machine.
kt_sys() {
	case "$(uname -m)" in
	aarch64) echo "__arm64_sys_$1" ;;
	*) echo "__x64_sys_$1" ;;
	esac
}

# kt_initrd: path of a copy of the initramfs this kernel booted with
# (kept by the retain_initrd boot parameter), for handing to the next
# kernel.
kt_initrd() {
	if [ ! -f /tmp/initrd.cpio ]; then
		cat /sys/firmware/initrd > /tmp/initrd.cpio || return 1
	fi
	echo /tmp/initrd.cpio
}

# kt_kexec STAGE [KERNEL-VARIANT] [EXTRA...]: load the kernel image and
# boot into it with kt.stage=STAGE. Returns only on failure.
kt_kexec() {
	local stage=$1 variant=${2:-main} cmdline initrd
	shift; [ $# -gt 0 ] && shift
	cmdline=$(kt_cmdline_for_stage "$stage" "$@")
	initrd=$(kt_initrd) || { kt_fail kexec-initrd "no /sys/firmware/initrd"; return 1; }
	kt_info kexec "into $variant stage $stage"
	if ! kexec-load -i "$initrd" -c "$cmdline" "$(kt_image "$variant")"; then
		kt_fail kexec-load "loading the $variant image failed"
		return 1
	fi
	echo "KT-KEXEC: $KT_SCENARIO $KT_STAGE -> $stage"
	kexec-load -e
	kt_fail kexec-exec "reboot(LINUX_REBOOT_CMD_KEXEC) returned"
	return 1
}

# kt_kexec_tools STAGE VARIANT: the operator's way, Debian's kexec-tools
# ("kexec -s -l" with the same command line plus kt.stage=STAGE, then
# "kexec -e"). Returns only on failure.
kt_kexec_tools() {
	# /usr/sbin on x86 (the host's, merged /usr), /sbin from the package.
	local kexec=/usr/sbin/kexec
	[ -x "$kexec" ] || kexec=/sbin/kexec
	kt_check debian-kexec sh -c "$kexec --version | grep -q kexec-tools"
	kt_check loaded "$kexec" -s -l "$(kt_image "$2")" \
		--initrd="$(kt_initrd)" --reuse-cmdline --append="kt.stage=$1"
	echo "KT-KEXEC: $KT_SCENARIO $KT_STAGE -> $1"
	"$kexec" -e
	kt_fail kexec-e "kexec -e returned"
}

# kt_kho_update STAGE VARIANT HOOK [EXTRA...]: like kt_kexec, through the
# operator's tool kho-update, which runs HOOK (a shell command line that
# can use this library and the scenario's functions) first and refuses if
# anything would be lost.
kt_kho_update() {
	local stage=$1 variant=$2 hook=$3 cmdline initrd
	shift 3
	cmdline=$(kt_cmdline_for_stage "$stage" "$@")
	initrd=$(kt_initrd) || { kt_fail kexec-initrd "no /sys/firmware/initrd"; return 1; }
	kt_info kexec "into $variant stage $stage with kho-update"
	echo "KT-KEXEC: $KT_SCENARIO $KT_STAGE -> $stage"
	KT_SCENARIO=$KT_SCENARIO KT_STAGE=$KT_STAGE kho-update \
		-H ". /kt/lib.sh; . /kt/scenarios/$KT_SCENARIO.sh; $hook" \
		-i "$initrd" -c "$cmdline" \
		"$(kt_image "$variant")"
	kt_fail kho-update "kho-update returned"
	return 1
}

kt_finish() {
	echo "KT-DONE: $KT_SCENARIO stage $KT_STAGE"
	sync
	# An x86 kernel without ACPI (linux73, nothp) cannot power off; it
	# resets, which ends QEMU too (-no-reboot).
	if [ -d /sys/firmware/acpi ] || [ "$(uname -m)" = aarch64 ]; then
		poweroff -f
	else
		reboot -f
	fi
	sleep 5
	echo o > /proc/sysrq-trigger 2>/dev/null
}

kt_main() {
	KT_SCENARIO=$(kt_arg kt.scenario)
	KT_STAGE=$(kt_arg kt.stage 1)
	if [ -z "$KT_SCENARIO" ]; then
		echo "kt: no kt.scenario= on the command line; starting a shell"
		exec setsid cttyhack sh
	fi
	if [ ! -f "/kt/scenarios/$KT_SCENARIO.sh" ]; then
		kt_fail scenario "no such scenario"
		kt_finish
	fi
	. "/kt/scenarios/$KT_SCENARIO.sh"
	if ! command -v "stage$KT_STAGE" >/dev/null; then
		kt_fail stage "scenario has no stage $KT_STAGE"
		kt_finish
	fi
	[ -n "${KT_INIT_CYCLES:-}" ] && echo "kexec-timing: user init cycles=$KT_INIT_CYCLES"
	kt_info boot "$(uname -r) $(cat /proc/cmdline)"
	"stage$KT_STAGE"
	kt_finish
}

# wait_dmesg TEXT [SECS]: wait up to SECS (30) seconds for TEXT in the
# kernel log (for what the kernel does in a worker after boot, such as
# freeing memory nobody restored); returns 1 if it never came.
wait_dmesg() {
	local n=$((${2:-30} * 10))
	while ! dmesg_has "$1"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# dmesg_has TEXT: the kernel log contains TEXT.
dmesg_has() {
	dmesg | grep -qF -- "$1"
}

# is_fdt FILE: FILE starts with the flattened device tree magic.
is_fdt() {
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = d00dfeed ]
}

# kernel_in_scratch: the running kernel's code lies inside a KHO scratch
# area (the areas it was handed and now hands on).
kernel_in_scratch() {
	local range start end a l
	range=$(grep "Kernel code" /proc/iomem | head -1 | sed 's/^ *//;s/ :.*//')
	start=$((0x${range%-*}))
	end=$((0x${range#*-}))
	paste /sys/kernel/debug/kho/out/scratch_phys /sys/kernel/debug/kho/out/scratch_len |
	while read -r a l; do
		if [ "$start" -ge $((a)) ] && [ "$end" -lt $((a + l)) ]; then
			echo inside
		fi
	done | grep -q inside
}

# cma_pageblocks: some pageblocks are MIGRATE_CMA (KHO scratch).
cma_pageblocks() {
	awk '/^Number of blocks type/ { for (i = 1; i <= NF; i++) if ($i == "CMA") col = i - 4 }
	     /^Node .* zone/ && col { n += $(col + 4) } END { exit !(n > 0) }' /proc/pagetypeinfo
}

# expect_dmesg NAME TEXT: PASS when the kernel log has TEXT, else FAIL
# showing the lines of the log that mention KHO.
expect_dmesg() {
	if dmesg_has "$2"; then
		kt_pass "$1"
	else
		kt_fail "$1" "$(dmesg | grep KHO | tail -3 | tr '\n' ' ')"
	fi
}

# trace_markers PREFIX N [DIR]: write PREFIX-1..N to DIR/trace_marker
# (default the top-level trace buffer), one write each.
trace_markers() {
	local i=1 dir=${3:-/sys/kernel/tracing}
	while [ $i -le "$2" ]; do
		echo "$1-$i" > "$dir/trace_marker"
		i=$((i + 1))
	done
}

# shmem_huge_kb: kB of shmem (memfds included) in PMD-sized folios.
shmem_huge_kb() {
	awk '/^ShmemHugePages:/ { print $2 }' /proc/meminfo
}

# luo_run NAME LOG luo ARGS...: run the luo tool, show its output and
# PASS NAME when it reports "LUO: check passed" or a preservation.
luo_run() {
	local name=$1 log=$2
	shift 2
	"$@" > "$log" 2>&1
	sed 's/^/    /' "$log"
	kt_check "$name" grep -qE "LUO: (check passed|preserved)" "$log"
}

# luo_hold_thp: on a kernel with shmem THP, preserve two memfds made of
# large folios: session "thp-2m" (48 MiB in 2 MiB folios, seed 0x7302)
# and session "thp-64k" (8 MiB in 64 KiB folios, seed 0x7364), and check
# that the folios really are that large.
luo_hold_thp() {
	local t=/sys/kernel/mm/transparent_hugepage n0 n1
	echo always > $t/shmem_enabled
	echo always > $t/hugepages-2048kB/shmem_enabled
	luo_run thp-2m-held /tmp/h.log luo hold thp-2m 48 0x7302
	n0=$(shmem_huge_kb)
	kt_info thp-2m "ShmemHugePages: $n0 kB"
	kt_check thp-2m-in-2m-folios test "$n0" -ge 40960
	echo never > $t/hugepages-2048kB/shmem_enabled
	echo always > $t/hugepages-64kB/shmem_enabled
	n0=$(cat $t/hugepages-64kB/stats/shmem_alloc)
	luo_run thp-64k-held /tmp/h.log luo hold thp-64k 8 0x7364
	n1=$(cat $t/hugepages-64kB/stats/shmem_alloc)
	kt_info thp-64k "64 KiB shmem folios allocated: $((n1 - n0))"
	kt_check thp-64k-in-64k-folios test $((n1 - n0)) -ge 100
	echo never > $t/hugepages-64kB/shmem_enabled
	echo never > $t/shmem_enabled
}

# no_kernel_warning NAME: the kernel log has no oops, WARN or BUG.
no_kernel_warning() {
	kt_check "$1" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops:|general protection"'
}

# pk_mount NAME DIR [OPTIONS]: mount pkernfs instance NAME on DIR.
pk_mount() {
	mkdir -p "$2"
	mount -t pkernfs -o "name=$1${3:+,$3}" none "$2"
}

# pk_manifest DIR: every entry under DIR, one line each: path, type,
# mode, owner, group, size, mtime and (files) md5 of the contents.
pk_manifest() {
	(cd "$1" && find . | sort | while read -r f; do
		s=-
		[ -f "$f" ] && s=$(md5sum < "$f" | cut -c1-32)
		echo "$f $(stat -c '%F %a %u %g %s %Y' "$f") $s"
	done)
}

# pk_try NAME ERRNO [as UID GID] OP ARGS...: PASS when the operation
# fails with ERRNO (or succeeds, for OK).
pk_try() {
	local name=$1 want=$2 got
	shift 2
	if [ "$1" = as ]; then
		local u=$2 g=$3
		shift 3
		got=$(pkfs as "$u" "$g" try "$@" | sed -n 's/^PKFS: .* -> //p')
	else
		got=$(pkfs try "$@" | sed -n 's/^PKFS: .* -> //p')
	fi
	kt_expect_eq "$name" "$want" "$got"
}


# Virtual machines inside the test VM (KT_INITRD=vm): Debian's QEMU under
# TCG running the guest of tests/vm-guest, its monitor on the FIFOs
# /tmp/NAME.in and /tmp/NAME.out (answers collected in /tmp/NAME.mon).
VM_QEMU=/usr/bin/qemu-system-x86_64

# vm_start NAME RAM_MIB RAM_PATH SERIAL_LOG [QEMU ARGS...]: start a VM
# whose RAM is the file RAM_PATH (shared: handed over in place). With
# VM_WRAP set, QEMU is started through that command (e.g. "luo vm S 64 --").
vm_start() {
	local name=$1 mib=$2 path=$3 log=$4
	shift 4
	rm -f "/tmp/$name.in" "/tmp/$name.out"
	mkfifo "/tmp/$name.in" "/tmp/$name.out"
	$VM_WRAP "$VM_QEMU" -accel tcg -M pc -m "$mib" -nodefaults -vga none \
		-display none -bios /kt/vm/guest.bin \
		-object "memory-backend-file,id=ram,size=${mib}M,mem-path=$path,share=on" \
		-machine memory-backend=ram -serial "file:$log" \
		-chardev "pipe,id=mon,path=/tmp/$name" -mon chardev=mon,mode=readline \
		"$@" > "/tmp/$name.qemu" 2>&1 &
	echo $! > "/tmp/$name.pid"
	cat "/tmp/$name.out" > "/tmp/$name.mon" &
}

# vm_cmd NAME COMMAND...: one monitor command.
vm_cmd() {
	local name=$1
	shift
	echo "$*" > "/tmp/$name.in"
}

# vm_wait_for NAME TEXT SECONDS: wait until the monitor has said TEXT.
vm_wait_for() {
	local i=0
	while [ $i -lt "$3" ]; do
		tr -d '\r' < "/tmp/$1.mon" | grep -q "$2" && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# vm_ticks LOG: how many TICK lines the guest printed.
vm_ticks() {
	cat "$1" 2>/dev/null | grep -ac "GUEST: TICK"
}

# vm_wait_ticks LOG N SECONDS: wait for N more TICK lines than now.
vm_wait_ticks() {
	local want=$(($(vm_ticks "$1") + $2)) i=0
	while [ $i -lt "$3" ]; do
		[ "$(vm_ticks "$1")" -ge $want ] && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# vm_last_tick LOG: the guest's counter in its last TICK line (decimal).
vm_last_tick() {
	echo $((0x$(grep -a "GUEST: TICK" "$1" | tail -1 | cut -d' ' -f3)))
}

# vm_first_tick LOG: the counter in its first TICK line (decimal).
vm_first_tick() {
	echo $((0x$(grep -a "GUEST: TICK" "$1" | head -1 | cut -d' ' -f3)))
}

# vm_save NAME STATE_FILE: pause the VM and save its device state (not its
# RAM: x-ignore-shared) to STATE_FILE, then quit QEMU.
vm_save() {
	vm_cmd "$1" stop
	vm_cmd "$1" migrate_set_capability x-ignore-shared on
	vm_cmd "$1" migrate "\"exec:cat > $2\""
	vm_cmd "$1" info migrate
	vm_wait_for "$1" "Migration status: completed" 120 || return 1
	vm_cmd "$1" quit
	vm_wait_exit "$1"
}

# vm_wait_exit NAME: wait until the VM's process has exited (from any
# shell, not only the one that started it).
vm_wait_exit() {
	local pid i=0
	pid=$(cat "/tmp/$1.pid")
	while [ -e "/proc/$pid" ] && ! grep -q "^State:.*Z" "/proc/$pid/status" 2>/dev/null; do
		[ $i -ge 120 ] && return 1
		sleep 1
		i=$((i + 1))
	done
}

# vm_restore NAME RAM_MIB RAM_PATH SERIAL_LOG STATE_FILE: start a VM on
# the same RAM and load its device state from STATE_FILE (where %PID% is
# the pid vm_start recorded); it stays paused until "vm_cmd NAME cont".
vm_restore() {
	local i=0 state
	vm_start "$1" "$2" "$3" "$4" -incoming defer
	state=$(echo "$5" | sed "s/%PID%/$(cat "/tmp/$1.pid")/")
	vm_cmd "$1" migrate_set_capability x-ignore-shared on
	vm_cmd "$1" migrate_incoming "\"exec:cat $state\""
	# Paused, no longer "(inmigrate)": the state is in.
	while [ $i -lt 120 ]; do
		vm_cmd "$1" info status
		sleep 1
		tr -d '\r' < "/tmp/$1.mon" | grep "VM status" | tail -1 |
			grep -qx "VM status: paused" && break
		i=$((i + 1))
	done
	[ $i -lt 120 ]
}

# vm_stop NAME: quit QEMU.
vm_stop() {
	vm_cmd "$1" quit
	vm_wait_exit "$1"
}

# vm_check_resumed LOG LAST_TICK: the VM whose serial log is LOG resumed
# after a live update: its counter went on from LAST_TICK (within a few
# ticks), it did not boot again, and its RAM still checks.
vm_check_resumed() {
	local first
	first=$(vm_first_tick "$1")
	kt_info resumed "first tick $first, last before the update $2"
	kt_check counter-continues test "$first" -gt "$2" -a "$first" -le $(($2 + 4 * 262144))
	kt_check no-reboot sh -c "! grep -q 'GUEST: BOOT' $1"
	kt_check guest-ram-ok sh -c "! grep -q 'GUEST: TICK .* BAD' $1"
}

# bench_line NAME: a benchmark line with this kernel's uptime at /init and
# what KHO timed (0 when it did not run): the check of the incoming
# handover, the marking of the preserved pages, the KiB of KHO's
# preserved-memory tree.
bench_line() {
	local up msg
	up=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
	msg=$(dmesg | grep -m1 'KHO: handover checked in')
	echo "KT-BENCH: $1 up_ms=$up kho_check_us=$(kho_msg_field "$msg" 'checked in \([0-9]*\) us') kho_mark_us=$(kho_msg_field "$msg" 'marked in \([0-9]*\) us') tree_kib=$(kho_msg_field "$msg" 'tracked in \([0-9]*\) KiB')"
}

# kho_msg_field TEXT SED-REGEX: the group of SED-REGEX in TEXT, or 0.
kho_msg_field() {
	local v
	v=$(echo "$1" | sed -n "s/.*$2.*/\1/p")
	echo "${v:-0}"
}

# selftest_run NAME: run the deferred KHO self test (kho_selftest=...,defer):
# restore what the previous kernel preserved, then preserve the next
# generation; report the restore time.
selftest_run() {
	local us
	echo 1 > /sys/kernel/debug/kho_selftest/run
	us=$(dmesg | sed -n 's/.*KHO-SELFTEST: PASS .*restore_us=\([0-9]*\).*/\1/p' | tail -1)
	echo "KT-BENCH: $1-restore restore_us=${us:-0}"
}

# ms_to_us MS: a decimal millisecond count in whole microseconds.
ms_to_us() { awk "BEGIN { printf \"%d\", ${1:-0} * 1000 }"; }

# kt_from_upstream STAGE [EXTRA...]: on upstream Linux 7.3 with KHO
# enabled (its debugfs shows an outgoing handover), kexec into this
# project's kernel, EXTRA added to its command line.
kt_from_upstream() {
	local stage=$1
	shift
	kt_check is-upstream sh -c 'uname -r | grep -q "^7\."'
	kt_check upstream-hands-over test -e /sys/kernel/debug/kho/out
	kt_kexec "$stage" main "$@"
}
