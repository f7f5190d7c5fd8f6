# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): the same kexecs received by unmodified upstream
# Linux 7.3, in one chain (4 GiB guest, as bench-kho-boot):
#   up-plain       - a plain kexec into 7.3
#   up-kho0        - 7.3 into 7.3 with KHO on, nothing preserved
#   up-scatterN    - N MiB of scattered 4 KiB pages (128, 256, 512), sent
#                    by this project's kernel (its KHO self test) and
#                    received by 7.3, which takes long: its reservation of
#                    the preserved memory is quadratic in the number of
#                    blocks. kt.up1g=1 adds 1024 MiB (minutes).
# The blackout is timed by the cycle counter (exec in the old kernel's
# userspace to /init); 7.3 prints no phases of its own. After /init, 7.3
# restores every page it received (tests/bench/kho_restore_time.c, in
# the bench's 7.3 image): up-scatterN-restore, as our scatterN-restore.

# up_restore NAME: time 7.3's restore of the self test's pages, if the
# image has the timer.
up_restore() {
	local f=/sys/kernel/debug/kho_restore_time/run us
	[ -e $f ] || return 0
	echo 1 > $f
	us=$(dmesg | sed -n 's/.*KHO-RESTORE-TIME: .* failed=0 restore_us=\([0-9]*\).*/\1/p')
	kt_check "restored-$1" test -n "$us"
	echo "KT-BENCH: $1-restore restore_us=${us:-0}"
}

stage1() {
	kt_kexec 2 linux73 -kho=on
}

stage2() {
	bench_line up-plain
	kt_kexec 3 linux73 kho=on
}

stage3() {
	kt_kexec 4 linux73
}

stage4() {
	bench_line up-kho0
	kt_kexec 5 main kho_selftest=128M,scatter,nofill,defer
}

# send MIB STAGE NEXT-MIB: on this project's kernel, preserve MIB MiB of
# scattered pages (deferred self test), then kexec into 7.3.
send() {
	selftest_run "send$1"
	expect_dmesg "preserved-$1M" "KHO-SELFTEST: PRESERVED generation=1 folios=$(($1 * 256)) "
	kt_kexec "$2" linux73 -kho_selftest
}

stage5() { send 128 6; }
stage6() { bench_line up-scatter128; up_restore up-scatter128; kt_kexec 7 main kho_selftest=256M,scatter,nofill,defer; }
stage7() { send 256 8; }
stage8() { bench_line up-scatter256; up_restore up-scatter256; kt_kexec 9 main kho_selftest=512M,scatter,nofill,defer; }
stage9() { send 512 10; }

stage10() {
	bench_line up-scatter512
	up_restore up-scatter512
	kt_check upstream-took-handover dmesg_has "KHO: exec from: 6.12"
	grep -q 'kt.up1g=1' /proc/cmdline || return 0
	kt_kexec 11 main kho_selftest=1G,scatter,nofill,defer
}

stage11() { send 1024 12; }
stage12() { bench_line up-scatter1g; up_restore up-scatter1g; }
