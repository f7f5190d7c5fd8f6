#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: measure handover overhead in QEMU (TCG) and print ratios
# measured in the same run. REPS=N repeats the chain (default 3) and
# reports medians.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
LOGS=$BUILD/logs/bench
mkdir -p "$LOGS"
: > "$LOGS/lines"
for r in $(seq 1 "$REPS"); do
	log=$LOGS/bench-kho-boot.$r.log
	"$TOP/tests/vm.sh" -m 2G -s 2 -t 600 -l "$log" -a "kt.scenario=bench-kho-boot"
	if grep -aq "KT: .* FAIL" "$log" || ! grep -aq "KT-DONE" "$log"; then
		grep -a "KT: .*FAIL" "$log"
		die "benchmark run $r failed; see $log"
	fi
	tr -d '\r' < "$log" | grep -ao 'KT-BENCH: .*' >> "$LOGS/lines"
done

python3 - "$LOGS/lines" <<'PY'
import re, statistics, sys
vals = {}
for line in open(sys.argv[1]):
    m = re.match(r"KT-BENCH: (\S+) (.*)", line)
    if not m:
        continue
    d = dict(kv.split("=") for kv in m.group(2).split())
    for k, v in d.items():
        vals.setdefault((m.group(1), k), []).append(int(v))
med = {k: statistics.median(v) for k, v in vals.items()}
labels = ["plain", "kho0", "kho512"]
names = {"plain": "plain kexec", "kho0": "KHO, nothing preserved",
         "kho512": "KHO, 512 MiB in 4 KiB pages"}
print("new kernel boot (start to /init), median of %d runs, QEMU TCG:" % len(vals[("plain", "up_ms")]))
print("%-32s %10s %14s %16s" % ("", "boot ms", "KHO check us", "restore all us"))
for l in labels:
    print("%-32s %10d %14d %16d" % (names[l], med[(l, "up_ms")], med[(l, "kho_check_us")],
                                     med[(l, "selftest_restore_us")]))
base = med[("plain", "up_ms")]
for l in labels[1:]:
    print("ratio %s / plain kexec: %.3f" % (l, med[(l, "up_ms")] / base))
PY
