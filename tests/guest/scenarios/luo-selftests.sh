# SPDX-License-Identifier: GPL-2.0
# Upstream's own live update selftests (tools/testing/selftests/liveupdate
# of Linux 7.3, built at test time against this kernel's uAPI headers) on
# this 6.12 kernel: the ioctl tests, then each kexec test's stage 1 before
# a kexec and its stage 2 after it.
# kt: KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on"

ST=/kt/selftests/liveupdate
KEXEC_TESTS="luo_kexec_simple luo_multi_session luo_stress_sessions luo_stress_files"

# run_stage TEST STAGE: run one stage of a kexec selftest.
run_stage() {
	local log=/tmp/$1-$2.log
	if "$ST/$1" -s "$2" > "$log" 2>&1; then
		kt_pass "$1-stage-$2"
	else
		kt_fail "$1-stage-$2" "exit status $?"
	fi
	sed 's/^/    /' "$log"
}

# Stage N runs stage 2 of kexec test N-1 and stage 1 of kexec test N.
kexec_tests_at() {
	local n=$1 prev next
	prev=$(echo $KEXEC_TESTS | cut -d' ' -f$((n - 1)) -s)
	next=$(echo $KEXEC_TESTS | cut -d' ' -f"$n")
	[ "$n" -gt 1 ] && run_stage "$prev" 2
	if [ -n "$next" ]; then
		run_stage "$next" 1
		kt_kexec $((n + 1)) main
	fi
}

stage1() {
	[ -x "$ST/liveupdate" ] || { kt_fail selftests "not built (no upstream source?)"; return; }
	"$ST/liveupdate" > /tmp/lu.log 2>&1
	kt_expect_eq liveupdate-exit 0 $?
	sed 's/^/    /' /tmp/lu.log
	grep -E '^(not )?ok [0-9]+ ' /tmp/lu.log | while read -r l; do
		case "$l" in
		not*) kt_fail "liveupdate: ${l#not ok }" ;;
		*) kt_pass "liveupdate: ${l#ok }" ;;
		esac
	done
	kt_check liveupdate-all-passed grep -q "^# Totals: pass:[0-9]* fail:0 " /tmp/lu.log
	kexec_tests_at 1
}

stage2() { kexec_tests_at 2; }
stage3() { kexec_tests_at 3; }
stage4() { kexec_tests_at 4; }
stage5() { kexec_tests_at 5; }
