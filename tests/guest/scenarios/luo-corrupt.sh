# SPDX-License-Identifier: GPL-2.0
# Malformed live update state from the previous kernel never panics the
# next one. Damage to the session or file tables makes it refuse the whole
# state with a message, keep running, offer /dev/liveupdate for the next
# update, and clear and free the memory behind the refused state once boot
# is done. Damage to one memfd's description fails only that memfd's
# retrieval. The last hop is a clean update after all the refused ones.
# kt: KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=500 KT_APPEND="kho=on liveupdate=on"

# corruption|what the next kernel must say ("-" for memfd-level damage)
CASES="compatible|format \"lXo-v5\", expected \"luo-v5\"
session-chain|is not a page preserved by the previous kernel
session-loop|is not a page preserved by the previous kernel
session-count|entries (1 to 51 allowed)
session-name|a session name is empty or unterminated
session-dup|appears twice
file-count|chain holds 2 entries, 3 expected
file-loop|is not a page preserved by the previous kernel
file-compat|format name empty or unterminated
file-dup|appears twice
memfd-data|-description at
memfd-index|-does not fit the file
memfd-folios|-malformed description"

case_line() { echo "$CASES" | sed -n "${1}p"; }
nr_cases() { echo "$CASES" | wc -l; }

# Two sessions, each with a 4 MiB patterned memfd and a text memfd.
hold_and_kexec() {
	local n=$1 what
	luo hold s-one 4 1 >/dev/null && luo hold s-two 4 2 >/dev/null ||
		kt_fail hold "luo hold failed"
	what=$(case_line "$n" | cut -d'|' -f1)
	echo "$what" > /sys/kernel/debug/liveupdate/corrupt
	kt_kexec $((n + 1)) main
}

check_case() {
	local n=$1 what msg
	what=$(case_line "$n" | cut -d'|' -f1)
	msg=$(case_line "$n" | cut -d'|' -f2)
	case "$msg" in
	-*)
		kt_check "$what-accepted" dmesg_has "state of the previous kernel accepted"
		luo check s-one 4 1 > /tmp/c.log 2>&1
		cat /tmp/c.log
		kt_check "$what-memfd-refused" grep -q "LUO: error: retrieve token 1" /tmp/c.log
		kt_check "$what-reason" dmesg_has "${msg#-}"
		luo check s-two 4 2 > /tmp/c.log 2>&1
		kt_check "$what-other-session-intact" grep -q "LUO: check passed" /tmp/c.log
		;;
	*)
		kt_check "$what-refused" dmesg_has "liveupdate: refusing the previous kernel's state"
		kt_check "$what-reason" dmesg_has "$msg"
		kt_check "$what-no-session" sh -c '! luo check s-two 4 2 >/dev/null 2>&1'
		kt_check "$what-memory-cleared" dmesg_has "KHO: freed"
		;;
	esac
	kt_check "$what-no-panic-or-warning" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
	kt_check "$what-device-works" test -c /dev/liveupdate
}

stage1() {
	hold_and_kexec 1
}

stage_any() {
	local n=$((KT_STAGE - 1)) last
	last=$(nr_cases)
	if [ "$n" -le "$last" ]; then
		check_case "$n"
		if [ "$n" -lt "$last" ]; then
			hold_and_kexec $((n + 1))
		else
			luo hold clean 8 3 >/dev/null
			kt_kexec $((KT_STAGE + 1)) main
		fi
	else
		kt_check clean-after-refusals luo check clean 8 3
		kt_check clean-no-refusal sh -c '! dmesg | grep -q "refusing"'
	fi
}

for s in $(seq 2 16); do
	eval "stage$s() { stage_any; }"
done
