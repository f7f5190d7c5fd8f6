# SPDX-License-Identifier: GPL-2.0
# arm64 booted from ACPI (Debian's EDK2 with QEMU's ACPI tables, an empty
# device tree from the EFI stub): the same two handovers as kho-uefi (KHO
# self test, a 64 MiB memfd, the trace buffer). After each kexec the
# handover still travels in the device tree kexec_file_load() passes on,
# now the stub's nearly empty one, beside the ACPI tables.
# kt: KT_FIRMWARE=acpi KT_ARM64=only KT_ARM64_DEFAULT=1 KT_MEM=1G KT_TIMEOUT=360 KT_APPEND="kho=on liveupdate=on kho_selftest=8M trace_kho=global"

. /kt/scenarios/kho-uefi.sh

# kho-uefi's stages, each first checking that the kernel runs on ACPI.
acpi_boot() {
	kt_check acpi-tables test -d /sys/firmware/acpi/tables
	kt_check acpi-console dmesg_has "ARMH0011:00: ttyAMA0"
}
stage1() { acpi_boot; uefi_stage1; }
stage2() { acpi_boot; uefi_stage2; }
stage3() { acpi_boot; uefi_stage3; }
