# SPDX-License-Identifier: GPL-2.0
# The KUnit tests of the handover checks and tracking code, of the
# pkernfs handover parser and of the KSTATE encoder and decoder pass: on a cold boot and again on a kernel
# booted by a handover (where subtrees must be gone once boot released
# what nobody restored, which it does once init runs).
# kt: KT_MEM=512M KT_ARM64=1 KT_TIMEOUT=150 KT_APPEND="kho=on kunit.enable=1"

# kunit_suite NAME: the suite ran, failed nothing, and ended "ok".
kunit_suite() {
	local summary
	summary=$(dmesg | grep -o "# $1: pass:[0-9]* fail:[0-9]* skip:[0-9]* total:[0-9]*")
	kt_info "kunit-$1" "$summary"
	dmesg | grep -E "not ok|Expected" | sed 's/^/    /'
	case "$summary" in
	*"fail:0 "*) kt_pass "kunit-$1" "$summary" ;;
	*) kt_fail "kunit-$1" "summary: '$summary'" ;;
	esac
	kt_check "suite-ok-$1" sh -c "dmesg | grep -qE '^\[[ 0-9.]*\] ok [0-9]+ $1'"
}

stage1() {
	kunit_suite kexec_handover
	kunit_suite pkernfs_handover
	kunit_suite kstate
	kt_kexec 2 main
}

stage2() {
	kt_check kho-boot dmesg_has "KHO: found handover data"
	kunit_suite kexec_handover
	kunit_suite pkernfs_handover
	kunit_suite kstate
	# At boot the incoming state is still held (the case checks nothing
	# yet): boot lets it go once init runs. Run the suite again until the
	# case has checked.
	kt_check retrieve-after-release-ran kunit_after_release
}

# kunit_after_release: run the kexec_handover suite from debugfs until
# its retrieve-after-release case checks (10 s at most); all must pass.
kunit_after_release() {
	local d=/sys/kernel/debug/kunit/kexec_handover i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo 1 > $d/run || return 1
		if grep -q "checked after the release" $d/results; then
			grep -E "release|not ok|^ok" $d/results | sed 's/^/    /'
			grep -qE "^ok [0-9]+ kexec_handover" $d/results &&
				! grep -q "not ok" $d/results
			return
		fi
		sleep 1
	done
	return 1
}
