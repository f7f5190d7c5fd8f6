# SPDX-License-Identifier: GPL-2.0
# The KUnit tests of the handover checks and tracking code, and of the
# pkernfs handover parser, pass.
# kt: KT_MEM=512M KT_TIMEOUT=90 KT_APPEND=""

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
}
