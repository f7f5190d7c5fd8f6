#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py LINES OUTDIR: the table of make bench, and its plot.

LINES holds the KT-HOP lines of scripts/bench-hops.py and the KT-BENCH
lines the guests printed, for every run of every chain. Prints the tables
(min / median / max over the runs, ratios of medians to the plain kexec
and to upstream Linux 7.3) and writes OUTDIR/blackout.dat, blackout.gp
and, when gnuplot is installed, blackout.png and blackout.svg.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys

# (chain, stage the hop lands in) -> row label
HOPS = {
    ("bench-kho-boot", 2): "plain", ("bench-kho-boot", 3): "plain",
    ("bench-kho-boot", 5): "kho0", ("bench-kho-boot", 6): "kho0",
    ("bench-kho-boot", 7): "scatter128", ("bench-kho-boot", 8): "scatter256",
    ("bench-kho-boot", 9): "scatter512", ("bench-kho-boot", 10): "scatter1g",
    ("bench-kho-boot", 11): "folio2m", ("bench-kho-boot", 12): "contig",
    ("bench-kho-boot", 13): "luo256", ("bench-kho-boot", 15): "trace64",
    ("bench-kho-upstream", 2): "up-plain", ("bench-kho-upstream", 4): "up-kho0",
    ("bench-kho-upstream", 6): "up-scatter128",
    ("bench-kho-upstream", 8): "up-scatter256",
    ("bench-kho-upstream", 10): "up-scatter512",
    ("bench-kho-upstream", 12): "up-scatter1g",
    ("bench-pkernfs", 2): "pk1g", ("bench-pkernfs", 4): "memfd1g",
    ("bench-vm", 2): "vm-pk", ("bench-vm", 3): "vm-memfd",
}
NAMES = {
    "plain": "plain kexec",
    "kho0": "KHO, nothing preserved",
    "scatter128": "128 MiB, scattered 4 KiB pages",
    "scatter256": "256 MiB, scattered 4 KiB pages",
    "scatter512": "512 MiB, scattered 4 KiB pages",
    "scatter1g": "1 GiB, scattered 4 KiB pages",
    "folio2m": "1 GiB as 2 MiB folios",
    "contig": "1 GiB, one contiguous range",
    "luo256": "256 MiB memfd, live update",
    "trace64": "64 MiB trace buffer",
    "up-plain": "7.3: plain kexec",
    "up-kho0": "7.3: KHO, nothing preserved",
    "up-scatter128": "7.3 receives 128 MiB scattered",
    "up-scatter256": "7.3 receives 256 MiB scattered",
    "up-scatter512": "7.3 receives 512 MiB scattered",
    "up-scatter1g": "7.3 receives 1 GiB scattered",
}
PHASES = ("reboot", "serialize", "devices", "cpus", "purgatory",
          "setup_arch", "mm", "rest", "exec_init")
# row, goal (ratio to plain), what the ratio includes
GOALS = (("kho0", 1.05), ("scatter1g", 1.10), ("folio2m", 1.05),
         ("contig", 1.05), ("trace64", 1.10), ("luo256", 1.10))
SIZES = {"kho0": 0, "scatter128": 128, "scatter256": 256, "scatter512": 512,
         "scatter1g": 1024, "up-kho0": 0, "up-scatter128": 128,
         "up-scatter256": 256, "up-scatter512": 512, "up-scatter1g": 1024}

hops = {}    # label -> list of {field: ms}
bench = {}   # (name, key) -> list of int


def load(path):
    for line in open(path):
        m = re.match(r"KT-HOP: (\S+) (\d+) (.*)", line)
        if m:
            label = HOPS.get((m.group(1), int(m.group(2))))
            if label:
                d = {k: float(v) for k, v in
                     (kv.split("=") for kv in m.group(3).split())}
                hops.setdefault(label, []).append(d)
            continue
        m = re.match(r"KT-BENCH: (\S+) (.*)", line)
        if m:
            for kv in m.group(2).split():
                k, _, v = kv.partition("=")
                if v.lstrip("-").isdigit():
                    bench.setdefault((m.group(1), k), []).append(int(v))


def vals(label, field="total"):
    return [h[field] for h in hops.get(label, []) if field in h]


def med(label, field="total"):
    v = vals(label, field)
    return statistics.median(v) if v else None


def bmed(name, key):
    v = bench.get((name, key))
    return statistics.median(v) if v else None


def fmt(v, spec="%.0f"):
    return spec % v if v is not None else "-"


def blackout_table():
    plain, upplain = med("plain"), med("up-plain")
    print("Kexec blackout: the old kernel's userspace calling reboot() to the"
          " new kernel's /init,")
    print("timed by the cycle counter (TSC), which runs on across the kexec;"
          " ms, %d runs at most;" % max([len(v) for v in hops.values()] or [0]))
    if os.environ.get("KT_ICOUNT"):
        print("QEMU ran with -icount shift=%s: guest time is the instruction"
              " count (1 instruction = %d ns)," % (os.environ["KT_ICOUNT"],
                                                    1 << int(os.environ["KT_ICOUNT"])))
        print("so figures measure work, not the host's load; 'host' is the"
              " host's wall clock (serial output).")
    else:
        print("'host' is the same span on the host's clock (serial output), as"
              " a cross-check.")
    print("%-34s %8s %8s %8s %6s %7s %7s %8s" % ("", "min", "median", "max",
                                                 "ratio", "vs KHO", "vs 7.3", "host"))
    for label in NAMES:
        v = vals(label)
        if not v:
            continue
        up7 = label.startswith("up-")
        base = upplain if up7 else plain
        empty = med("up-kho0" if up7 else "kho0")
        if label in ("plain", "up-plain"):
            empty = None
        up = med("up-" + label) if not up7 else None
        print("%-34s %8.0f %8.0f %8.0f %6s %7s %7s %8s" % (
            NAMES[label], min(v), statistics.median(v), max(v),
            fmt(statistics.median(v) / base if base else None, "%.3f"),
            fmt(statistics.median(v) / empty if empty else None, "%.3f"),
            fmt(statistics.median(v) / up if up else None, "%.3f"),
            fmt(med(label, "host"))))
    print("ratio: to the plain kexec of the same kernel (7.3 rows: to 7.3's"
          " plain kexec); vs KHO: to the")
    print("same kernel's KHO kexec with nothing preserved (what the handover"
          " itself adds; a KHO kexec")
    print("skips purgatory's SHA-256 when its segments lie in free scratch"
          " pages); vs 7.3: ours / 7.3 for the same handover.")


def phase_table():
    print()
    print("Where the time goes (medians, ms): reboot = reboot() to"
          " kernel_kexec(); serialize = pkernfs")
    print("and live update state; devices = reboot notifiers (trace, KSTATE),"
          " device and syscore shutdown;")
    print("cpus = machine_shutdown(); purgatory = purgatory, relocation,"
          " decompression; setup_arch =")
    print("memblock and the KHO check; mm = struct pages, marking preserved"
          " pages, buddy allocator;")
    print("rest = initcalls to /init; exec_init = the kernel running /init to"
          " its first command.")
    print("%-22s" % "" + "".join("%11s" % p for p in PHASES))
    for label in NAMES:
        if label.startswith("up-") or not vals(label):
            continue
        print("%-22s" % label + "".join("%11s" % fmt(med(label, p), "%.1f")
                                        for p in PHASES))


def work_table():
    print()
    print("KHO's own work in the new kernel (medians): check of the handover"
          " and marking of preserved")
    print("pages (both in the blackout), its preserved-memory tree; restore ="
          " the kho_restore_*() calls")
    print("for every page (not the frees after them) by the KHO self test,"
          " after /init (not in the blackout).")
    print("%-22s %10s %10s %10s %14s %12s" % ("", "check us", "mark us",
                                            "tree KiB", "KiB per GiB", "restore us"))
    for label in NAMES:
        if label.startswith("up-") or (label, "kho_check_us") not in bench:
            continue
        tree = bmed(label, "tree_kib")
        size = SIZES.get(label) or (1024 if label in ("folio2m", "contig") else 0)
        print("%-22s %10s %10s %10s %14s %12s" % (
            label, fmt(bmed(label, "kho_check_us")), fmt(bmed(label, "kho_mark_us")),
            fmt(tree), fmt(tree * 1024 / size if size and tree else None),
            fmt(bmed(label + "-restore", "restore_us"))))
    print("The tree of a handover with nothing preserved (kho0) is the fixed"
          " part; per GiB includes it.")


def goals():
    plain = med("plain")
    if not plain:
        return
    print()
    print("Goals (ratio of medians to the plain kexec):")
    for label, goal in GOALS:
        m = med(label)
        if m is None:
            continue
        extra, what = 0, ""
        if label == "luo256":
            # The blackout ends when the memfd is back; preserve runs
            # before kexec -e, while the workload still runs.
            pre = (bmed("luo256-preserve", "preserve_us") or 0) / 1000
            ret = (bmed("luo256-retrieve", "retrieve_us") or 0) / 1000
            extra, what = ret, (" (kexec + retrieve %.0f ms; preserve %.0f ms"
                                " before kexec -e, not in the blackout)" % (ret, pre))
        if label == "trace64":
            take = (bmed("trace64-in", "take_us") or 0) / 1000
            chk = (bmed("trace64-in", "check_us") or 0) / 1000
            what = (" (taken at boot in %.0f ms; %s records checked on first"
                    " read in %.0f ms)" % (take, fmt(bmed("trace64-in", "records")), chk))
        r = (m + extra) / plain
        empty = med("kho0")
        if empty and label != "kho0":
            what += "; %+.0f ms over an empty KHO kexec" % (m + extra - empty)
        print("  %-10s %.3f  goal %.2f  %s%s" % (label, r, goal,
                                                 "met" if r <= goal else "NOT met", what))
    ours = bmed("scatter1g-restore", "restore_us")
    if ours:
        print("  restoring 1 GiB of scattered pages after the kexec: %.0f ms" % (ours / 1000))
    # Restore of every page, ours against 7.3's (kho_restore_time.c).
    for label in ("scatter128", "scatter256", "scatter512", "scatter1g"):
        ours = bmed(label + "-restore", "restore_us")
        up = bmed("up-" + label + "-restore", "restore_us")
        if ours and up:
            print("  restore %-10s ours %6.0f ms, 7.3 %6.0f ms: %.2fx 7.3's speed, goal 2  %s"
                  % (label, ours / 1000, up / 1000, up / ours,
                     "met" if up / ours >= 2 else "NOT met"))


def scratch():
    rows = sorted(k[0] for k in bench if k[0].startswith("scratch-") and k[1] == "kib")
    if not rows:
        return
    print()
    print("Scratch memory reserved by default (kho=on, cold boot or plain"
          " kexec), MiB:")
    for gib in sorted({r.rsplit("-", 1)[1] for r in rows}, key=lambda g: int(g[:-1])):
        ours = bmed("scratch-ours-" + gib, "kib")
        up = bmed("scratch-up-" + gib, "kib")
        print("  %4s guest: ours %s MiB, upstream 7.3 %s MiB" % (
            gib, fmt(ours / 1024 if ours else None), fmt(up / 1024 if up else None)))


def plot(outdir):
    os.makedirs(outdir, exist_ok=True)
    dat = os.path.join(outdir, "blackout.dat")
    with open(dat, "w") as f:
        f.write("# MiB preserved (scattered 4 KiB pages), blackout median ms:"
                " plain kexec, ours, upstream 7.3 receiving\n")
        for size in (0, 128, 256, 512, 1024):
            ours = [k for k, v in SIZES.items() if v == size and not k.startswith("up-")]
            up = [k for k, v in SIZES.items() if v == size and k.startswith("up-")]
            f.write("%d %s %s %s\n" % (size, fmt(med("plain"), "%.1f"),
                                       fmt(med(ours[0]) if ours else None, "%.1f"),
                                       fmt(med(up[0]) if up else None, "%.1f")))
    gp = os.path.join(outdir, "blackout.gp")
    with open(gp, "w") as f:
        f.write('''set title "Kexec blackout vs memory preserved (QEMU TCG, 4 GiB guest)"
set xlabel "MiB preserved as scattered 4 KiB pages"
set ylabel "reboot() to /init, ms (median)"
set datafile missing "-"
set key top left
set grid
set logscale y
plot "%s" using 1:2 with linespoints title "plain kexec", \\
     "" using 1:3 with linespoints title "this project (6.12)", \\
     "" using 1:4 with linespoints title "upstream Linux 7.3"
''' % dat)
    if not shutil.which("gnuplot"):
        print("\n(gnuplot not installed: %s and %s written, no plot)" % (dat, gp))
        return
    for term, ext in (("pngcairo size 900,600", "png"), ("svg size 900,600", "svg")):
        out = os.path.join(outdir, "blackout." + ext)
        subprocess.run(["gnuplot", "-e", "set terminal %s; set output '%s'" % (term, out), gp],
                       check=False)
    print("\nplot: %s/blackout.png (data: blackout.dat)" % outdir)


def main():
    load(sys.argv[1])
    blackout_table()
    phase_table()
    work_table()
    goals()
    scratch()
    plot(sys.argv[2])


main()
