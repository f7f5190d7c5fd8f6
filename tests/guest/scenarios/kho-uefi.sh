# SPDX-License-Identifier: GPL-2.0
# Under UEFI (Debian's OVMF; on arm64 Debian's EDK2 for QEMU, with the
# device tree), where the memory map comes from the EFI stub: a KHO self
# test, a 64 MiB memfd through /dev/liveupdate and the trace buffer
# survive two kexecs, the new kernels placed in scratch.
# kt: KT_FIRMWARE=efi KT_ARM64=1 KT_ARM64_DEFAULT=1 KT_MEM=1G KT_TIMEOUT=360 KT_APPEND="kho=on liveupdate=on kho_selftest=8M trace_kho=global"

uefi_stage1() {
	kt_check efi-boot test -d /sys/firmware/efi
	kt_check efi-memmap dmesg_has "efi: EFI v"
	kt_check kho-enabled dmesg_has "KHO: enabled"
	kt_check preserved dmesg_has "KHO-SELFTEST: PRESERVED generation=1"
	luo hold efi-ram 64 0xef1 > /tmp/luo.log 2>&1
	kt_check memfd-preserved grep -q "LUO: preserved 64 MiB" /tmp/luo.log
	trace_markers kt-efi 100
	kt_kexec 2 main
}

uefi_stage2() {
	kt_check selftest dmesg_has "KHO-SELFTEST: PASS generation=1"
	kt_check kernel-in-scratch kernel_in_scratch
	luo check efi-ram 64 0xef1 keep > /tmp/luo.log 2>&1
	cat /tmp/luo.log
	kt_check memfd-every-byte grep -q "LUO: compared 64 MiB .*: 0 bad words" /tmp/luo.log
	kt_check trace-kept sh -c "[ \$(grep -c ': kt-efi-' /sys/kernel/tracing/trace) = 100 ]"
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
	kt_kexec 3 main
}

uefi_stage3() {
	kt_check selftest-again dmesg_has "KHO-SELFTEST: PASS generation=2"
	luo check efi-ram 64 0xef1 > /tmp/luo.log 2>&1
	kt_check memfd-twice grep -q "LUO: compared 64 MiB .*: 0 bad words" /tmp/luo.log
	kt_check trace-twice sh -c "[ \$(grep -c ': kt-efi-' /sys/kernel/tracing/trace) = 100 ]"
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
}

# kho-acpi.sh runs the same stages after checks of its own.
stage1() { uefi_stage1; }
stage2() { uefi_stage2; }
stage3() { uefi_stage3; }
