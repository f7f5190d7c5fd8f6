# SPDX-License-Identifier: GPL-2.0
# A kernel refuses a handover when told to or when it must: booted with
# an explicit kho=off, or as a crash kernel (elfcorehdr= makes it one).
# Either way it says why, reserves nothing, and boots as after a plain
# kexec; the previous kernel's preserved pages come back as free memory.
# kt: KT_MEM=1G KT_TIMEOUT=240 KT_ARM64=1 KT_APPEND="kho=on kho_selftest=8M"

# core_hdr: an address in RAM for elfcorehdr= (x86: the BIOS area; arm64
# on QEMU's virt machine: the start of RAM). Nothing valid is there: the
# crash kernel's /proc/vmcore gives up, which is all this needs.
core_hdr() {
	case "$(uname -m)" in
	aarch64) echo 0x40000000 ;;
	*) echo 0xf0000 ;;
	esac
}

refused() {
	kt_check "$1-says-why" dmesg_has "KHO: ignoring the handover from the previous kernel: $2"
	kt_check "$1-no-selftest" sh -c '! dmesg | grep -q "KHO-SELFTEST: PASS"'
	kt_check "$1-no-incoming" test ! -e /sys/kernel/debug/kho/in
	kt_check "$1-nothing-reserved" sh -c '! dmesg | grep -q "KHO: handover checked"'
	kt_check "$1-no-warning" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}

stage1() {
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_kexec 2 main kho=off
}

stage2() {
	refused kho-off "kho=off is on the command line"
	kt_check kho-off-disabled test ! -e /sys/kernel/debug/kho
	# A plain kexec back to a kernel that hands over.
	kt_kexec 3 main kho=on
}

stage3() {
	kt_check preserved-again dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	kt_kexec 4 main elfcorehdr=$(core_hdr)
}

stage4() {
	kt_check is-crash-kernel kt_has_arg "elfcorehdr=$(core_hdr)"
	refused crash "a crash kernel does not take handovers"
}
