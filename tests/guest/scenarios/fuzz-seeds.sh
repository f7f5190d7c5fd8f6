# SPDX-License-Identifier: GPL-2.0
# Seeds for the kho-fdt fuzz target from real handovers, as the next
# kernel's debugfs shows them (kho/in/fdt): one an unmodified upstream
# Linux 7.3 sent (its test_kho and a live update memfd), one this
# project's 6.12 sent with everything at once (KHO self test, a memfd
# session, trace buffers, a pkernfs instance). Each root FDT is printed
# as a "KT-SEED: NAME HEX" line; tests/fuzz/import-seeds.sh takes them
# from the log into tests/fuzz/corpus/kho-fdt/ ("make fuzz-seeds").
# kt: KT_CAMPAIGN=1 KT_KERNEL=linux73 KT_MEM=1G KT_TIMEOUT=300 KT_APPEND="kho=on liveupdate=on"

K=/sys/kernel/debug/kho

# seed NAME FILE: print FILE as one hex line the importer recognises.
seed() {
	kt_check "$1-is-fdt" is_fdt "$2"
	echo "KT-SEED: $1 $(od -An -tx1 -v "$2" | tr -d ' \n')"
}

stage1() {
	kt_check hold luo hold vm-ram 8 0x7300
	kt_from_upstream 2 kho_selftest=4M trace_kho=global
}

stage2() {
	kt_check found-handover dmesg_has "KHO: found handover data"
	seed vm-upstream73 $K/in/fdt
	kt_check luo-check luo check vm-ram 8 0x7300 keep
	echo 1 > /sys/kernel/tracing/kho
	trace_markers kt-seed 20
	pk_mount vm0 /mnt/vm0
	pkfs fill /mnt/vm0/disk 4 0x5eed >/dev/null
	umount /mnt/vm0
	kt_kexec 3 main
}

stage3() {
	kt_check found-handover dmesg_has "KHO: found handover data"
	seed vm-main $K/in/fdt
}
