# SPDX-License-Identifier: GPL-2.0
# The kernel boots to userspace with the command line it was given.
# kt: KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_TIMEOUT=60

stage1() {
	case "$(uname -r)" in
	6.12.*) kt_pass kernel-release "$(uname -r)" ;;
	*) kt_fail kernel-release "unexpected $(uname -r)" ;;
	esac
	kt_check cmdline-scenario grep -q "kt.scenario=boot" /proc/cmdline
	kt_check proc-mounted test -r /proc/meminfo
	kt_check initrd-retained test -s /sys/firmware/initrd
	kt_check kexec-helper test -x /kt/bin/kexec-load
}
