# SPDX-License-Identifier: GPL-2.0
# Benchmark (make bench): pkernfs handed over in its hand-written format
# (pkernfs-v1) and as KSTATE records (pkernfs-v2), alternately, twice
# each: an instance of 10,000 small files, then one of a 64 MiB file. The
# old kernel prints how long writing the handover took (pkernfs prepare,
# plus the KSTATE stream for v2), the new one how long taking it took;
# "KT-BENCH-LABEL:" lines tell scripts/bench.sh which case a kexec is.

M=/mnt/pk
FMT=/sys/module/pkernfs/parameters/format

# next CASE STAGE: hand the instance over in the format for STAGE.
next() {
	local v=$(( $2 % 2 ? 1 : 2 ))
	echo $v > $FMT
	# The save times are printed on the way out: let them reach the log.
	dmesg -n 7
	echo "KT-BENCH-LABEL: $1-v$v"
	kt_kexec "$2" main
}

# taken CASE: the previous kernel's handover, as this kernel took it.
taken() {
	local line us v
	line=$(dmesg | grep -o "pkernfs: pkernfs-v[12] handover of 1 instances taken in [0-9]* us")
	v=$(echo "$line" | sed -n 's/.*pkernfs-v\([12]\) .*/\1/p')
	us=$(echo "$line" | sed -n 's/.* in \([0-9]*\) us/\1/p')
	kt_check "$1-v$v-taken" dmesg_has "pkernfs: instance $1 handed over as pkernfs-v$v"
	echo "KT-BENCH: kstate-$1-v$v restore_us=${us:-0}"
}

stage1() {
	local i=0
	pk_mount small $M
	while [ $i -lt 10000 ]; do
		echo $i > $M/f$i
		i=$((i + 1))
	done
	umount $M
	next small 3
}

stage3() { taken small; next small 4; }
stage4() { taken small; next small 5; }
stage5() { taken small; next small 6; }

stage6() {
	taken small
	pk_mount small $M
	kt_expect_eq small-files 10000 "$(ls $M | wc -l)"
	kt_expect_eq small-content 9999 "$(cat $M/f9999)"
	umount $M
	echo small > /sys/fs/pkernfs/discard
	pk_mount big $M
	pkfs fill $M/ram 64 0x64 >/dev/null
	umount $M
	next big 7
}

stage7() { taken big; next big 8; }
stage8() { taken big; next big 9; }
stage9() { taken big; next big 10; }

stage10() {
	taken big
	pk_mount big $M
	kt_check big-intact pkfs check $M/ram 64 0x64
	umount $M
}
