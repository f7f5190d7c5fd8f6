# SPDX-License-Identifier: GPL-2.0
# KSTATE roll-forward and roll-back between two kernels with different
# versions of one description: main has version 1 of "kstate-selftest",
# the "upstream" variant version 2 (a field "bonus" with default 1234, a
# subsection "kstate-selftest-extra"). 64 instances, instance 0 with a
# folio, four pages and a vmalloc area checked byte for byte, go
# v1 -> v2 (bonus gets its default) -> v1 (bonus skipped) -> v2 -> v2
# (bonus kept) -> v2 with the subsection needed for odd ids (extra
# restored) -> v1 (odd ids refused, naming the subsection; even ids
# restored) -> v1 with one record damaged on the way (only it refused).
# kt: KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on kstate_selftest=64"

st() { dmesg | grep -c "KSTATE-SELFTEST: PASS version $1: 64 instances: $2"; }

no_warning() {
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}

stage1() {
	kt_expect_eq v1-cold 1 "$(st 1 'restored=0 nothing=64 refused=0 bad=0')"
	kt_kexec 2 upstream
}

stage2() {
	kt_check handed-over dmesg_has "kstate: restored 64 of 64 instances handed over ("
	kt_expect_eq v1-to-v2 1 "$(st 2 'restored=64 nothing=0 refused=0 bad=0')"
	kt_check bonus-default dmesg_has "KSTATE-SELFTEST: instance 0: from version 1, generation 1, inst-0-gen-1, bonus=1234"
	kt_check rolled-forward sh -c 'dmesg | grep -q "kstate: restored 64 of 64 instances handed over ([0-9]* bytes), refused 0, unclaimed 0"'
	no_warning
	kt_kexec 3 main
}

stage3() {
	kt_expect_eq v2-to-v1 1 "$(st 1 'restored=64 nothing=0 refused=0 bad=0')"
	kt_check rolled-back dmesg_has "KSTATE-SELFTEST: instance 0: from version 2, generation 2"
	no_warning
	kt_kexec 4 upstream
}

stage4() {
	kt_expect_eq v1-to-v2-again 1 "$(st 2 'restored=64 nothing=0 refused=0 bad=0')"
	kt_check bonus-default-again dmesg_has "KSTATE-SELFTEST: instance 0: from version 1, generation 3, inst-0-gen-3, bonus=1234"
	kt_kexec 5 upstream kstate_selftest=64,extra
}

stage5() {
	kt_expect_eq v2-to-v2 1 "$(st 2 'restored=64 nothing=0 refused=0 bad=0')"
	kt_check bonus-kept dmesg_has "KSTATE-SELFTEST: instance 0: from version 2, generation 4, inst-0-gen-4, bonus=5004 extra=0x0"
	kt_kexec 6 upstream
}

stage6() {
	kt_expect_eq v2-extra-to-v2 1 "$(st 2 'restored=64 nothing=0 refused=0 bad=0')"
	kt_check even-no-extra dmesg_has "KSTATE-SELFTEST: instance 0: from version 2, generation 5, inst-0-gen-5, bonus=5005 extra=0x0"
	kt_check odd-extra-restored sh -c 'dmesg | grep "KSTATE-SELFTEST: instance 1: from version 2, generation 5, inst-1-gen-5, bonus=5005 extra=0x" | grep -qv "extra=0x0$"'
	kt_kexec 7 main kstate_selftest=64,damage=5
}

stage7() {
	kt_expect_eq v2-needed-to-v1 1 "$(st 1 'restored=32 nothing=0 refused=32 bad=0')"
	kt_check subsection-named dmesg_has "kstate: kstate-selftest/1: previous kernel's state (version 2) refused: kstate-selftest: subsection kstate-selftest-extra is not known to this kernel"
	kt_check even-restored dmesg_has "KSTATE-SELFTEST: instance 0: from version 2, generation 6, inst-0-gen-6"
	no_warning
	kt_kexec 8 main kstate_selftest=64
}

stage8() {
	kt_expect_eq one-refused 1 "$(st 1 'restored=63 nothing=0 refused=1 bad=0')"
	kt_check summary sh -c 'dmesg | grep -q "kstate: restored 63 of 64 instances handed over ([0-9]* bytes), refused 1, unclaimed 0"'
	kt_check damage-named dmesg_has "kstate: kstate-selftest/5: previous kernel's state (version 1) refused: kstate-selftest: bad object header"
	no_warning
}
