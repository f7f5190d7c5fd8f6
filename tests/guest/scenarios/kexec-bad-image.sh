# SPDX-License-Identifier: GPL-2.0
# Loading a kernel image that does not exist or is garbage fails with a
# clear error and leaves kernel A running with nothing loaded.
# kt: KT_TIMEOUT=90

# expect_load_error NAME ERRTEXT FILE: kexec-load FILE must fail and say
# ERRTEXT.
expect_load_error() {
	local out rc
	out=$(kexec-load -c "x" "$3" 2>&1); rc=$?
	kt_info "$1" "rc=$rc: $out"
	if [ $rc -ne 0 ] && echo "$out" | grep -q "$2"; then
		kt_pass "$1"
	else
		kt_fail "$1" "expected failure with '$2'"
	fi
}

stage1() {
	expect_load_error missing-image "No such file or directory" /kt/images/does-not-exist

	head -c 4194304 /dev/urandom > /tmp/garbage
	expect_load_error garbage-image "Exec format error" /tmp/garbage

	# A real image cut short: the bzImage header survives, the payload not.
	head -c 65536 /kt/images/bzImage-main > /tmp/truncated
	expect_load_error truncated-image "Exec format error" /tmp/truncated

	: > /tmp/empty
	expect_load_error empty-image "Invalid argument" /tmp/empty

	kt_expect_eq nothing-loaded 0 "$(cat /sys/kernel/kexec_loaded)"

	# Executing with nothing loaded must fail too, and return.
	local out
	out=$(kexec-load -e 2>&1)
	if [ $? -ne 0 ] && echo "$out" | grep -q "Invalid argument"; then
		kt_pass exec-nothing-loaded "$out"
	else
		kt_fail exec-nothing-loaded "$out"
	fi
	kt_check still-running test -r /proc/uptime
}
