# SPDX-License-Identifier: GPL-2.0
# kexec segments stay off the swiotlb bounce buffer (patch 0004b). A
# kernel booted by a handover takes its 64 MiB swiotlb buffer, which
# devices write to, from the low scratch area. With the areas above 4 GiB
# too small for the initramfs, the segments of the next kexec must go to
# the low area too: they are placed in its free pages, off the buffer, so
# that purgatory can skip their digest. Checked from both sides: the
# loading kernel logs no segment over boot-time memory, and the kernel it
# starts (nokaslr: it runs where it was loaded) finds its own code and
# its initramfs (boot_params) outside the old kernel's swiotlb buffer.
# kt: KT_MEM=4G KT_TIMEOUT=300 KT_APPEND="kho=on nokaslr kho_scratch=192M,16M,16M"

# swiotlb_range: "START END" (exclusive) of this kernel's swiotlb buffer.
swiotlb_range() {
	dmesg | sed -n 's/.*software IO TLB: mapped \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\].*/\1 \2/p' |
		head -1 | { read -r a b && echo "$((a)) $((b))"; }
}

# in_scratch START END: the range lies inside one scratch area.
in_scratch() {
	paste /sys/kernel/debug/kho/out/scratch_phys /sys/kernel/debug/kho/out/scratch_len |
	while read -r a l; do
		[ "$1" -ge $((a)) ] && [ "$2" -le $((a + l)) ] && echo inside
	done | grep -q inside
}

# clear_of NAME START END: [START, END) does not touch kt.swiotlb.
clear_of() {
	local s e
	s=$(kt_arg kt.swiotlb | cut -d- -f1)
	e=$(kt_arg kt.swiotlb | cut -d- -f2)
	kt_info "$1" "$(printf '%#x-%#x, old swiotlb %#x-%#x' "$2" "$3" "$s" "$e")"
	[ "$3" -le "$s" ] || [ "$2" -ge "$e" ]
}

# le32 FILE OFFSET: a little-endian u32 of FILE.
le32() {
	od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}

stage1() {
	kt_kexec 2 main
}

stage2() {
	local r
	kt_check kho-boot dmesg_has "KHO: found handover data"
	r=$(swiotlb_range)
	kt_info swiotlb "$r"
	kt_check swiotlb-in-scratch in_scratch $r
	kt_check loaded kexec-load -i "$(kt_initrd)" -c "$(kt_cmdline_for_stage 3)" \
		"$(kt_image main)"
	kt_check segments-off-boot-memory sh -c '! dmesg | grep -q "lies over boot-time memory"'
	set -- $r
	kt_kexec 3 main "kt.swiotlb=$1-$2"
}

stage3() {
	local range start end bp lo hi size
	range=$(grep "Kernel code" /proc/iomem | head -1 | sed 's/^ *//;s/ :.*//')
	start=$((0x${range%-*}))
	range=$(grep "Kernel bss" /proc/iomem | head -1 | sed 's/^ *//;s/ :.*//')
	end=$((0x${range#*-} + 1))
	kt_check kernel-off-swiotlb clear_of kernel "$start" "$end"
	bp=/sys/kernel/boot_params/data
	lo=$(le32 $bp $((0x218)))
	hi=$(le32 $bp $((0xc0)))
	start=$((lo + (hi << 32)))
	size=$(($(le32 $bp $((0x21c))) + ($(le32 $bp $((0xc4))) << 32)))
	kt_check initrd-found test "$size" -gt 0
	kt_check initrd-off-swiotlb clear_of initrd "$start" $((start + size))
}
