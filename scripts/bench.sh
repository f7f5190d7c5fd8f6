#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: measure handover overhead in QEMU (TCG) and print ratios
# measured in the same run. REPS=N repeats the chain (default 3) and
# reports medians. The handover into upstream Linux 7.3 runs once.
#
# "kexec to /init" is wall time on the host between the guest printing
# KT-KEXEC (just before reboot(LINUX_REBOOT_CMD_KEXEC)) and the new
# kernel's /init printing its first line: shutdown, relocation,
# purgatory, decompression and the whole boot of the new kernel.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
LOGS=$BUILD/logs/bench
mkdir -p "$LOGS"
: > "$LOGS/lines"
# run_chain NAME LOG APPEND [INITRD]: one benchmark chain, timestamped on
# the host.
run_chain() {
	local name=$1 log=$2 append=$3 initrd=${4:-$BUILD/initramfs.cpio}
	"$TOP/tests/vm.sh" -i "$initrd" -m 2G -s 2 -t 900 -a "kt.scenario=$name quiet $append" |
		python3 -u -c '
import sys, time
t0 = time.monotonic()
for line in sys.stdin.buffer:
    sys.stdout.write("%.6f %s" % (time.monotonic() - t0, line.decode(errors="replace")))
' > "$log"
	python3 - "$log" "$name" >> "$LOGS/lines" <<'PY'
import re, sys
kexec_at, label_of = {}, {}
out = []
for line in open(sys.argv[1], errors="replace"):
    t, _, rest = line.partition(" ")
    m = re.search(r"KT-KEXEC: \S+ (\d+) -> (\d+)", rest)
    if m:
        kexec_at[int(m.group(2))] = float(t)
        continue
    m = re.search(r"KT: \S+ (\d+) INFO boot", rest)
    if m and int(m.group(1)) in kexec_at:
        st = int(m.group(1))
        out.append("KT-HOPTIME: %s stage=%d ms=%d" % (sys.argv[2], st, (float(t) - kexec_at.pop(st)) * 1000))
print("\n".join(out))
PY
	if grep -aq "KT: .* FAIL" "$log" || ! grep -aq "KT-DONE" "$log"; then
		grep -a "KT: .*FAIL" "$log"
		die "benchmark chain $name failed; see $log"
	fi
	tr -d '\r' < "$log" | grep -ao 'KT-BENCH: .*' >> "$LOGS/lines"
}

# kstate_save_times LOG: what the old kernel printed while writing each
# labelled handover of bench-kstate (pkernfs, and KSTATE for v2).
kstate_save_times() {
	tr -d '\r' < "$1" | python3 -c '
import re, sys
label, pk, ks = None, 0, 0
def flush():
    if label:
        print("KT-BENCH: kstate-%s-save save_us=%d" % (label, pk + ks))
for line in sys.stdin:
    m = re.search(r"KT-BENCH-LABEL: (\S+)", line)
    if m:
        flush()
        label, pk, ks = m.group(1), 0, 0
        continue
    m = re.search(r"pkernfs: 1 instances handed over as .* in (\d+) us", line)
    if m:
        pk = int(m.group(1))
    m = re.search(r"kstate: handing over .* written in (\d+) us", line)
    if m:
        ks = int(m.group(1))
flush()
'
}

for r in $(seq 1 "$REPS"); do
	run_chain bench-kho-boot "$LOGS/bench-kho-boot.$r.log" ""
	run_chain bench-pkernfs "$LOGS/bench-pkernfs.$r.log" "kho=on"
	run_chain bench-vm "$LOGS/bench-vm.$r.log" "kho=on liveupdate=on" \
		"$BUILD/initramfs-vm.cpio"
	run_chain bench-kstate "$LOGS/bench-kstate.$r.log" "kho=on"
	kstate_save_times "$LOGS/bench-kstate.$r.log" >> "$LOGS/lines"
	# Upstream takes minutes here: once is enough for the comparison.
	if [ "$r" = 1 ] && [ -f "$BUILD/images/bzImage-linux73" ]; then
		run_chain bench-kho-upstream "$LOGS/bench-kho-upstream.$r.log" \
			"kho=on kho_selftest=512M,scatter,nofill"
	fi
done

python3 - "$LOGS/lines" <<'PY'
import re, statistics, sys
vals = {}
stage_label = {("bench-kho-boot", 2): "plain", ("bench-kho-boot", 4): "kho0",
               ("bench-kho-boot", 6): "kho512", ("bench-kho-boot", 8): "luo256",
               ("bench-kho-boot", 10): "trace64",
               ("bench-kho-upstream", 2): "upstream512",
               ("bench-pkernfs", 2): "pk1g", ("bench-pkernfs", 4): "memfd1g",
               ("bench-vm", 2): "vm-pk", ("bench-vm", 3): "vm-memfd"}
for line in open(sys.argv[1]):
    m = re.match(r"KT-HOPTIME: (\S+) stage=(\d+) ms=(\d+)", line)
    if m:
        key = (m.group(1), int(m.group(2)))
        if key in stage_label:
            vals.setdefault((stage_label[key], "kexec_ms"), []).append(int(m.group(3)))
        continue
    m = re.match(r"KT-BENCH: (\S+) (.*)", line)
    if not m:
        continue
    d = dict(kv.split("=") for kv in m.group(2).split())
    for k, v in d.items():
        vals.setdefault((m.group(1), k), []).append(int(v))
med = {k: statistics.median(v) for k, v in vals.items()}
labels = ["plain", "kho0", "kho512", "luo256", "trace64"]
if ("upstream512", "kexec_ms") in med:
    labels.append("upstream512")
names = {"plain": "plain kexec", "kho0": "KHO, nothing preserved",
         "kho512": "KHO, 512 MiB in 4 KiB pages",
         "luo256": "live update, 256 MiB memfd",
         "trace64": "KHO, 64 MiB trace buffer",
         "upstream512": "same, received by Linux 7.3"}
print("median of %d runs, QEMU TCG (software emulation), 2 vCPUs, 2 GiB:" % len(vals[("plain", "up_ms")]))
print("%-30s %14s %12s %13s %15s" % ("", "kexec->/init", "uptime at", "KHO check", "restore all"))
print("%-30s %14s %12s %13s %15s" % ("", "ms (host)", "/init ms", "us", "us"))
for l in labels:
    print("%-30s %14d %12d %13d %15d" % (names[l], med[(l, "kexec_ms")], med[(l, "up_ms")],
                                         med[(l, "kho_check_us")], med[(l, "selftest_restore_us")]))
base = med[("plain", "kexec_ms")]
for l in labels[1:]:
    print("ratio kexec->/init %s / plain kexec: %.3f" % (l, med[(l, "kexec_ms")] / base))
pre = med[("luo256-preserve", "preserve_us")] / 1000
ret = med[("luo256-retrieve", "retrieve_us")] / 1000
total = pre + med[("luo256", "kexec_ms")] + ret
print("live update of a 256 MiB memfd: preserve %.1f ms + kexec->/init %d ms + retrieve %.1f ms"
      " = %.0f ms; plain kexec->/init %d ms; ratio %.3f"
      % (pre, med[("luo256", "kexec_ms")], ret, total, base, total / base))
print("trace handover: %d records in a 64 MiB buffer, checked in %.1f ms; kexec->/init %d ms"
      " vs plain %d ms; ratio %.3f"
      % (med[("trace64-in", "records")], med[("trace64-in", "check_us")] / 1000,
         med[("trace64", "kexec_ms")], base, med[("trace64", "kexec_ms")] / base))
pbase = base
print()
print("1 GiB of guest RAM across a kexec (median of %d runs):" % len(vals[("pk1g", "kexec_ms")]))
print("%-34s %14s %12s" % ("", "kexec->/init", "uptime at"))
print("%-34s %14s %12s" % ("", "ms (host)", "/init ms"))
for l, n in (("plain", "plain kexec"), ("kho0", "KHO, nothing preserved"),
             ("pk1g", "pkernfs, 1 GiB file"), ("memfd1g", "live update, 1 GiB memfd")):
    print("%-34s %14d %12d" % (n, med[(l, "kexec_ms")], med[(l, "up_ms")]))
mpre = med[("memfd1g-preserve", "preserve_us")] / 1000
mret = med[("memfd1g-retrieve", "retrieve_us")] / 1000
mtotal = mpre + med[("memfd1g", "kexec_ms")] + mret
print("ratio pkernfs 1 GiB / plain kexec: %.3f" % (med[("pk1g", "kexec_ms")] / pbase))
print("ratio pkernfs 1 GiB / KHO with nothing preserved: %.3f" % (med[("pk1g", "kexec_ms")] / med[("kho0", "kexec_ms")]))
print("memfd 1 GiB: preserve %.1f ms + kexec->/init %d ms + retrieve %.1f ms = %.0f ms;"
      " ratio to plain kexec %.3f; ratio pkernfs / memfd %.3f"
      % (mpre, med[("memfd1g", "kexec_ms")], mret, mtotal, mtotal / pbase,
         med[("pk1g", "kexec_ms")] / mtotal))
kib = med[("pk1g-meta", "kib")]
print("pkernfs handover metadata: %d bytes for %d MiB: %.0f bytes per GiB"
      % (med[("pk1g-meta", "bytes")], kib / 1024, med[("pk1g-meta", "bytes")] * 1048576 / max(kib, 1)))
print("pkernfs instance mountable at %d ms after the new kernel started"
      % med[("pk1g-meta", "mountable_ms")])
print()
print("VM blackout (Debian's QEMU, 64 MiB guest, stop -> cont), median of %d runs:" % len(vals[("vm-pk", "kexec_ms")]))
print("%-22s %9s %14s %11s %10s %12s %10s" % ("guest RAM in", "save ms", "kexec->/init", "restore ms", "total ms", "state bytes", "RAM bytes"))
for l, n in (("vm-pk", "pkernfs file"), ("vm-memfd", "memfd (liveupdate)")):
    save = med[(l + "-save", "save_ms")]
    kx = med[(l, "kexec_ms")]
    rest = med[(l + "-restore", "restore_ms")]
    print("%-22s %9d %14d %11d %10d %12d %10d" % (n, save, kx, rest, save + kx + rest,
          med[(l + "-save", "state_bytes")], med[(l + "-save", "ram_bytes")]))
print()
print("pkernfs handover, hand-written format (v1) vs KSTATE records (v2), median of %d:"
      % len(vals[("kstate-small-v1", "restore_us")]))
print("%-26s %12s %12s %7s %12s %12s %7s" % ("", "write v1 us", "write v2 us", "ratio",
                                           "take v1 us", "take v2 us", "ratio"))
for c, n in (("small", "10,000 small files"), ("big", "one 64 MiB file")):
    w1 = med[("kstate-%s-v1-save" % c, "save_us")]
    w2 = med[("kstate-%s-v2-save" % c, "save_us")]
    t1 = med[("kstate-%s-v1" % c, "restore_us")]
    t2 = med[("kstate-%s-v2" % c, "restore_us")]
    print("%-26s %12d %12d %7.3f %12d %12d %7.3f" % (n, w1, w2, w2 / max(w1, 1), t1, t2, t2 / max(t1, 1)))
if "upstream512" in labels:
    print("ratio kexec->/init upstream 7.3 / this 6.12, receiving 512 MiB in 4 KiB pages: %.3f"
          % (med[("upstream512", "kexec_ms")] / med[("kho512", "kexec_ms")]))
PY
