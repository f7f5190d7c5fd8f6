# SPDX-License-Identifier: GPL-2.0
# The KUnit tests of the handover checks and tracking code, of the
# pkernfs handover parser and of the KSTATE encoder and decoder pass: on a cold boot and again on a kernel
# booted by a handover (where subtrees must be gone once boot released
# what nobody restored).
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
	kt_check retrieve-after-release-ran sh -c \
		"dmesg | grep -E 'ok [0-9]+ kho_test_retrieve_after_release' | grep -vq SKIP"
}
