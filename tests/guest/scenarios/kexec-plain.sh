# SPDX-License-Identifier: GPL-2.0
# A plain kexec_file_load kexec from kernel A into kernel B reaches B's
# userspace with B's command line.
# kt: KT_ARM64=1 KT_TIMEOUT=120

stage1() {
	local token
	token=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
	kt_info token "$token"
	kt_kexec 2 main kt.token="$token" kt.from-a
}

stage2() {
	local token
	token=$(kt_arg kt.token) || token=
	case "$token" in
	????????????????) kt_pass new-cmdline-token "$token" ;;
	*) kt_fail new-cmdline-token "kt.token missing or malformed: '$token'" ;;
	esac
	kt_check new-cmdline-flag kt_has_arg kt.from-a
	kt_expect_eq single-stage-arg 1 "$(grep -o 'kt.stage=' /proc/cmdline | wc -l)"
	kt_check userspace-works test -r /proc/self/status
}
