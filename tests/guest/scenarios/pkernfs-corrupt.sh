# SPDX-License-Identifier: GPL-2.0
# Damaged pkernfs handovers (fault injection: pkernfs.corrupt=vm1:WHAT
# damages instance vm1's stream after it is written): each time the new
# kernel refuses vm1 with a one-line reason, recovers vm0 intact, frees
# vm1's memory and does not warn or crash. Header damage is done to the
# v1 format (pkernfs.format=1); damage to the content goes through the
# default pkernfs-v2, whose KSTATE record carries it; "kstate" damages
# vm1's KSTATE record itself.
# kt: KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=600 KT_APPEND="kho=on"

CASES="1:version 1:count 2:kstate 2:extent-outside 1:extent-shared 2:size 2:cycle 2:name-slash 1:name-nul 2:name-long 2:dup-name"

# The case this stage checks (the previous stage's) and the next one.
case_of() { echo $CASES | cut -d' ' -f"$1"; }

make_instances() {
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/ram 8 0x$1 >/dev/null
	pk_mount vm1 /mnt/vm1
	mkdir /mnt/vm1/d
	pkfs fill /mnt/vm1/d/a1 2 0x1 >/dev/null
	pkfs fill /mnt/vm1/d/b2 2 0x2 >/dev/null
	umount /mnt/vm1
}

stage_any() {
	local n=$KT_STAGE what next
	if [ "$n" -gt 1 ]; then
		what=$(case_of $((n - 1)) | tr : -)
		pk_mount vm0 /mnt/vm0
		kt_check "$what-vm0-intact" pkfs check /mnt/vm0/ram 8 0x$((n - 1))
		if dmesg | grep -q "pkernfs: instance vm1 refused: "; then
			kt_pass "$what-refused"
			kt_info "$what" "$(dmesg | grep 'pkernfs: instance vm1 refused' | sed 's/.*refused: //')"
		else
			kt_fail "$what-refused" "vm1 was not refused"
		fi
		kt_check "$what-vm1-gone" sh -c '! grep -q "^vm1 " /sys/fs/pkernfs/instances'
		expect_dmesg "$what-freed" "KHO: freed"
		no_kernel_warning "$what-no-warning"
		umount /mnt/vm0
		echo vm0 > /sys/fs/pkernfs/discard
	fi
	next=$(case_of "$n")
	[ -n "$next" ] || return 0
	make_instances "$n"
	echo "${next%%:*}" > /sys/module/pkernfs/parameters/format
	echo "vm1:${next#*:}" > /sys/module/pkernfs/parameters/corrupt
	kt_kexec $((n + 1)) main
}

for s in 1 2 3 4 5 6 7 8 9 10 11 12; do
	eval "stage$s() { stage_any; }"
done
