# SPDX-License-Identifier: GPL-2.0
# The KUnit tests of the handover checks and tracking code pass.
# kt: KT_MEM=512M KT_TIMEOUT=90 KT_APPEND=""

stage1() {
	local summary
	summary=$(dmesg | grep -o "# kexec_handover: pass:[0-9]* fail:[0-9]* skip:[0-9]* total:[0-9]*")
	kt_info kunit "$summary"
	dmesg | grep -E "not ok|# kho_test|Expected|kexec_handover" | sed 's/^/    /'
	case "$summary" in
	*"fail:0 "*) kt_pass kunit-kexec-handover "$summary" ;;
	*) kt_fail kunit-kexec-handover "summary: '$summary'" ;;
	esac
	kt_check suite-ok sh -c 'dmesg | grep -qE "^\[[ 0-9.]*\] ok [0-9]+ kexec_handover"'
}
