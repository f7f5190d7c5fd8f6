#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: measure handover overhead in QEMU (TCG) and print ratios
# measured in the same run. REPS=N repeats each chain (default 5) and
# reports min / median / max; the chains into upstream Linux 7.3 and the
# scratch sizing run once. BENCH_UP1G=1 adds 1 GiB received by 7.3;
# BENCH_SET=kho runs only the handover chains (no pkernfs, VM, KSTATE).
#
# Every kernel boots with kexec_timing=1 (and loglevel=6, which shows its
# lines and hides the rest of the boot log): the old and the new kernel
# print the cycle counter at fixed points of the kexec, and
# scripts/bench-hops.py turns them into phases of each hop. The blackout
# is the old kernel's userspace calling reboot() to the new kernel's /init
# running its first command, on that same counter; the host's clock (the
# serial output timestamped here) is kept as a cross-check.
#
# QEMU runs with -icount (BENCH_ICOUNT=SHIFT, default 0): guest time, and
# so the counter, advances with the instructions executed, one host
# thread for all vCPUs. Under plain TCG the same hop varied by 10-25%
# from run to run with the host's load (the TSC calibration in
# setup_arch, purgatory); with -icount it repeats to 0.3%, so the ratios
# measure the work each handover adds. BENCH_ICOUNT= (empty) runs
# without it (3 times faster, noisy).
# Output: the tables below, build/bench/ (plot), build/logs/bench/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-5}
if [ -n "${BENCH_ICOUNT-0}" ]; then
	export KT_ICOUNT=${BENCH_ICOUNT-0}
else
	unset KT_ICOUNT
fi
LOGS=$BUILD/logs/bench
OUT=$BUILD/bench
mkdir -p "$LOGS" "$OUT"
: > "$LOGS/lines"
# run_chain NAME LOG APPEND [INITRD] [MEM]: one benchmark chain,
# timestamped on the host.
run_chain() {
	local name=$1 log=$2 append=$3 initrd=${4:-$BUILD/initramfs.cpio} mem=${5:-2G}
	"$TOP/tests/vm.sh" -i "$initrd" -m "$mem" -s 2 -t 1800 \
		-a "kt.scenario=$name loglevel=6 kexec_timing=1 $append" |
		python3 -u -c '
import sys, time
t0 = time.monotonic()
for line in sys.stdin.buffer:
    sys.stdout.write("%.6f %s" % (time.monotonic() - t0, line.decode(errors="replace")))
' > "$log"
	python3 "$TOP/scripts/bench-hops.py" "$name" "$log" >> "$LOGS/lines"
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
	say "run $r of $REPS"
	run_chain bench-kho-boot "$LOGS/bench-kho-boot.$r.log" "" "" 4G
	[ "${BENCH_SET:-}" = kho ] && continue
	run_chain bench-pkernfs "$LOGS/bench-pkernfs.$r.log" "kho=on" "" 4G
	run_chain bench-vm "$LOGS/bench-vm.$r.log" "kho=on liveupdate=on" \
		"$BUILD/initramfs-vm.cpio"
	run_chain bench-kstate "$LOGS/bench-kstate.$r.log" "kho=on"
	kstate_save_times "$LOGS/bench-kstate.$r.log" >> "$LOGS/lines"
done
# Upstream takes minutes here: once is enough for the comparison. It runs
# from an initramfs whose 7.3 image is the one with the restore timer
# (same size as the test initramfs, so the kexecs load the same bytes).
if [ -f "$BUILD/images/bzImage-linux73" ]; then
	"$TOP/scripts/kernel-build.sh" linux73bench
	rm -rf "$BUILD/initramfs-bench73"
	cp -a "$BUILD/initramfs" "$BUILD/initramfs-bench73"
	cp "$BUILD/images/bzImage-linux73bench" \
		"$BUILD/initramfs-bench73/kt/images/bzImage-linux73"
	(cd "$BUILD/initramfs-bench73" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 --reproducible) > "$BUILD/initramfs-bench73.cpio"
	run_chain bench-kho-upstream "$LOGS/bench-kho-upstream.log" \
		"${BENCH_UP1G:+kt.up1g=1}" "$BUILD/initramfs-bench73.cpio" 4G
	for mem in 2G 16G; do
		run_chain bench-scratch "$LOGS/bench-scratch-$mem.log" "kho=on" "" "$mem"
	done
fi

python3 "$TOP/scripts/bench-report.py" "$LOGS/lines" "$OUT"
echo
[ "${BENCH_SET:-}" = kho ] && exit 0
python3 - "$LOGS/lines" <<'PY'
import re, statistics, sys
vals = {}
stage_label = {("bench-kho-boot", 2): "plain", ("bench-kho-boot", 5): "kho0",
               ("bench-pkernfs", 2): "pk1g", ("bench-pkernfs", 4): "memfd1g",
               ("bench-vm", 2): "vm-pk", ("bench-vm", 3): "vm-memfd"}
for line in open(sys.argv[1]):
    m = re.match(r"KT-HOP: (\S+) (\d+) .*total=([0-9.]+)", line)
    if m:
        key = (m.group(1), int(m.group(2)))
        if key in stage_label:
            vals.setdefault((stage_label[key], "kexec_ms"), []).append(float(m.group(3)))
        continue
    m = re.match(r"KT-BENCH: (\S+) (.*)", line)
    if not m:
        continue
    d = dict(kv.split("=") for kv in m.group(2).split())
    for k, v in d.items():
        vals.setdefault((m.group(1), k), []).append(int(v))
med = {k: statistics.median(v) for k, v in vals.items()}
base = med[("plain", "kexec_ms")]
pbase = base
print()
print("1 GiB of guest RAM across a kexec (reboot() to /init, TSC; median of %d runs):" % len(vals[("pk1g", "kexec_ms")]))
print("%-34s %14s %12s" % ("", "kexec->/init", "uptime at"))
print("%-34s %14s %12s" % ("", "ms", "/init ms"))
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
PY
