# SPDX-License-Identifier: GPL-2.0
# The bench's smoke test (tests/host/bench-smoke.sh, in the test run): a
# plain kexec, a KHO kexec with nothing preserved and one with 512 MiB of
# scattered 4 KiB pages, in a 2 GiB guest, every kernel with
# kexec_timing=1; the host computes the ratios.

stage1() {
	kt_kexec 2 main -kho=on
}

stage2() {
	bench_line plain
	kt_kexec 3 main kho=on
}

stage3() {
	kt_kexec 4 main kho_selftest=512M,scatter,nofill,defer
}

stage4() {
	bench_line kho0
	selftest_run kho0
	expect_dmesg preserved "KHO-SELFTEST: PRESERVED generation=1 folios=131072 "
	kt_kexec 5 main kho_selftest=0,nofill,defer
}

stage5() {
	bench_line scatter512
	selftest_run scatter512
	kt_check restored dmesg_has "KHO-SELFTEST: PASS generation=1 folios=131072 "
}
