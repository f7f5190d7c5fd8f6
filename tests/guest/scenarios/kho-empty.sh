# SPDX-License-Identifier: GPL-2.0
# kho=on with nothing preserved by any user: the handover carries only
# KHO's own metadata, the next kernel takes it and boots normally.
# kt: KT_ARM64=1 KT_MEM=1G KT_TIMEOUT=120 KT_APPEND="kho=on"

stage1() {
	kt_check kho-enabled dmesg_has "KHO: enabled"
	kt_check no-selftest sh -c '! dmesg | grep -q "KHO-SELFTEST"'
	kt_kexec 2 main
}

stage2() {
	kt_check handover-found dmesg_has "KHO: found handover data"
	kt_check metadata dmesg_has "KHO: exec from: $(uname -r) (count 1)"
	kt_check no-warning sh -c '! dmesg | grep -qE "WARNING:|ignoring the handover"'
	kt_check kho-enabled dmesg_has "KHO: enabled"
}
