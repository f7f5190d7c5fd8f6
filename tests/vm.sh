#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm.sh [options] -- boot a kernel and the test initramfs in QEMU.
#
#   -k KERNEL    kernel image        (default build/images/bzImage-main)
#   -i INITRD    initramfs           (default build/initramfs.cpio)
#   -a APPEND    extra command line  (kt.scenario=... kt.stage=1 ...)
#   -m MEM       guest memory        (default 1G)
#   -s SMP       guest CPUs          (default 2)
#   -l LOG       serial log file     (default: console on stdio)
#   -t SECONDS   hard timeout        (default 300)
#   -f FIRMWARE  bios (SeaBIOS, default) or efi (Debian's OVMF; on arm64
#                Debian's EDK2 for QEMU, qemu-efi-aarch64, with the
#                device tree; acpi: arm64 only, the same with ACPI tables)
#   -n NODES     NUMA nodes, memory and CPUs split evenly (default 1)
#   -A ARCH      x86_64 (default) or arm64 (QEMU's virt machine; the
#                kernel is an uncompressed Image, firmware bios = none)
#
# Always software emulation (TCG) unless KT_ACCEL says otherwise. The guest
# reboots into QEMU's exit (-no-reboot, panic=-1), so one run covers a
# whole chain of kexecs. Exit status: QEMU's, or 124 on timeout.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

KERNEL=$BUILD/images/bzImage-main
INITRD=$BUILD/initramfs.cpio
APPEND=
MEM=1G
SMP=2
LOG=
TIMEOUT=300
FIRMWARE=bios
NODES=1
ARCH=x86_64
while getopts "k:i:a:m:s:l:t:f:n:A:" o; do
	case $o in
	k) KERNEL=$OPTARG ;;
	i) INITRD=$OPTARG ;;
	a) APPEND=$OPTARG ;;
	m) MEM=$OPTARG ;;
	s) SMP=$OPTARG ;;
	l) LOG=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	f) FIRMWARE=$OPTARG ;;
	n) NODES=$OPTARG ;;
	A) ARCH=$OPTARG ;;
	*) sed -n '3,20p' "$0" >&2; exit 2 ;;
	esac
done
[ -f "$KERNEL" ] || die "no kernel image $KERNEL"
[ -f "$INITRD" ] || die "no initramfs $INITRD"

ACCEL=${KT_ACCEL:-tcg}
# KT_ICOUNT=SHIFT: virtual time from the instruction count (one
# instruction = 2^SHIFT ns, one host thread), so that timings measure
# work rather than the host's load (the bench).
ICOUNT=()
if [ -n "${KT_ICOUNT:-}" ]; then
	ACCEL=tcg,thread=single
	ICOUNT=(-icount "shift=$KT_ICOUNT,sleep=off")
fi
# One socket per NUMA node, so that no cache is shared across nodes.
SMP_OPT=$SMP
[ "$NODES" -gt 1 ] && SMP_OPT="$SMP,sockets=$NODES"
case $ARCH in
x86_64)
	CMDLINE="console=ttyS0,115200 panic=-1 retain_initrd $APPEND"
	QEMU=(qemu-system-x86_64 -M pc -cpu max) ;;
arm64)
	# The device tree QEMU writes (no firmware): /chosen carries the
	# handover after a kexec. Pointer authentication with QEMU's own
	# algorithm: the architected one is slow under TCG.
	CMDLINE="console=ttyAMA0 panic=-1 retain_initrd $APPEND"
	QEMU=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on) ;;
*) die "unknown architecture $ARCH" ;;
esac
QEMU+=(-accel "$ACCEL" "${ICOUNT[@]}" -m "$MEM" -smp "$SMP_OPT"
       -nodefaults -display none -no-reboot
       -kernel "$KERNEL" -initrd "$INITRD" -append "$CMDLINE")
case $ARCH-$FIRMWARE in
*-bios) ;;
x86_64-efi)
	OVMF=/usr/share/ovmf/OVMF.fd
	[ -f "$OVMF" ] || die "no $OVMF (install Debian's ovmf package)"
	QEMU+=(-bios "$OVMF") ;;
arm64-efi|arm64-acpi)
	# Debian's EDK2 for QEMU's virt machine boots the Image through its
	# EFI stub. With QEMU's ACPI tables it hands over those and an empty
	# device tree (acpi); without them, QEMU's device tree (efi).
	AAVMF=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
	[ -f "$AAVMF" ] || die "no $AAVMF (install Debian's qemu-efi-aarch64 package)"
	QEMU+=(-bios "$AAVMF")
	[ "$FIRMWARE" = efi ] && QEMU+=(-machine acpi=off) ;;
*) die "unknown firmware $FIRMWARE for $ARCH" ;;
esac
if [ "$NODES" -gt 1 ]; then
	mib=$(numfmt --from=iec "$MEM")
	mib=$((mib / 1048576 / NODES))
	[ $((SMP % NODES)) = 0 ] || die "$SMP CPUs do not split over $NODES nodes"
	for ((n = 0; n < NODES; n++)); do
		lo=$((n * SMP / NODES)); hi=$(((n + 1) * SMP / NODES - 1))
		QEMU+=(-object "memory-backend-ram,id=m$n,size=${mib}M"
		       -numa "node,nodeid=$n,cpus=$lo-$hi,memdev=m$n")
	done
fi
if [ -n "$LOG" ]; then
	QEMU+=(-serial "file:$LOG")
else
	QEMU+=(-chardev stdio,id=con,signal=off -serial chardev:con)
fi
timeout --foreground -k 5 "$TIMEOUT" "${QEMU[@]}" </dev/null
