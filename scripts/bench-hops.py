#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-hops.py CHAIN LOG: one KT-HOP line per kexec of a benchmark chain.

LOG is the guest's serial output, each line prefixed with the host's
monotonic time in seconds (scripts/bench.sh). A hop runs from the old
kernel's "KT-KEXEC: CHAIN A -> B" to the new kernel's "KT: CHAIN B INFO
boot". In between, with kexec_timing=1 on every command line:

  kexec-timing: user exec cycles=N        old userspace, before reboot()
  kexec-timing: old khz=K entry= serialized= prepared= jump=
  kexec-timing: new khz=K start= setup_arch= mm= init=
  kexec-timing: user init cycles=N        new /init, its first command

The cycle counter runs on across the kexec, so differences between any
two of these are phases of the hop, whichever kernel took them (a kernel
that does not print its side, such as upstream Linux, leaves those
phases out). Output (ms, 3 decimals):

  KT-HOP: CHAIN B host=... total=... reboot=... serialize=... devices=...
          cpus=... purgatory=... setup_arch=... mm=... rest=... exec_init=...
"""
import re
import sys

PHASES = (
    ("reboot", "exec", "entry"),          # reboot() syscall, sync
    ("serialize", "entry", "serialized"),  # pkernfs, LUO state
    ("devices", "serialized", "prepared"),  # reboot notifiers, devices
    ("cpus", "prepared", "jump"),          # machine_shutdown()
    ("purgatory", "jump", "start"),        # purgatory + decompressor
    ("setup_arch", "start", "setup_arch"),  # memblock, KHO check
    ("mm", "setup_arch", "mm"),            # struct pages, KHO marking
    ("rest", "mm", "init"),                # initcalls ... /init
    ("exec_init", "init", "uinit"),        # exec of /init
)


def main():
    chain, log = sys.argv[1], sys.argv[2]
    hop, khz = None, 0
    for line in open(log, errors="replace"):
        t, _, rest = line.partition(" ")
        try:
            t = float(t)
        except ValueError:
            continue
        m = re.search(r"KT-KEXEC: \S+ (\d+) -> (\d+)", rest)
        if m:
            hop = {"to": int(m.group(2)), "host0": t, "marks": {}}
            continue
        if hop is None:
            continue
        m = re.search(r"kexec-timing: user (exec|init) cycles=(\d+)", rest)
        if m:
            hop["marks"]["exec" if m.group(1) == "exec" else "uinit"] = int(m.group(2))
            continue
        m = re.search(r"kexec-timing: (old|new) khz=(\d+) (.*)", rest)
        if m:
            khz = int(m.group(2)) or khz
            for kv in m.group(3).split():
                k, _, v = kv.partition("=")
                if v.isdigit() and int(v):
                    hop["marks"][k] = int(v)
            continue
        m = re.search(r"KT: \S+ (\d+) INFO boot", rest)
        if m and int(m.group(1)) == hop["to"]:
            marks = hop["marks"]
            out = ["host=%.3f" % ((t - hop["host0"]) * 1000)]

            def ms(a, b):
                if khz and a in marks and b in marks and marks[b] >= marks[a]:
                    return (marks[b] - marks[a]) / khz
                return None
            total = ms("exec", "uinit")
            if total is not None:
                out.append("total=%.3f" % total)
            for name, a, b in PHASES:
                v = ms(a, b)
                if v is not None:
                    out.append("%s=%.3f" % (name, v))
            print("KT-HOP: %s %d %s" % (chain, hop["to"], " ".join(out)))
            hop = None


main()
