#!/usr/bin/env python3
"""Read a boot log made under the TLB-model plugin (TLBMODEL=PRESET).

  tools/tlbmodel_report.py LOG [--sym build/kernel.sym]

prints each phase's modelled counters (`# tlbmodel phase=...` lines) as a
table and the stale hits the checker saw (`# tlbmodel stale ...`) with their
RIP symbolised from kernel.sym. The functions are shared with tools/bench.py
(the HVO table's modelled columns and projection) and the test runner.

The projection is a model, not a measurement: direct cost = remote
shootdowns x ipi_ns + INVLPGs x invlpg_ns + full flushes x full_flush_ns,
indirect cost = modelled page walks x walk_ns, with each preset's costs from
tools/tlbmodel/presets.c (cited there; `make run TLBMODEL=list`).
"""
import bisect
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PHASE_LINE = re.compile(r"^# tlbmodel phase=(\S+) (.*)$")
STALE_LINE = re.compile(r"^# tlbmodel stale (.*)$")


def fields(text):
    return dict(kv.split("=", 1) for kv in text.split() if "=" in kv)


def parse_phases(text):
    """[{phase, cpus or cpu, counters...}] in log order: totals have cpus=, per-CPU cpu=."""
    rows = []
    for line in text.splitlines():
        m = PHASE_LINE.match(line.strip())
        if m:
            row = fields(m.group(2))
            row["phase"] = m.group(1)
            rows.append(row)
    return rows


def phase_totals(text):
    """{phase: the last total row of that name} (a name that repeats keeps its last)."""
    return {r["phase"]: r for r in parse_phases(text) if "cpus" in r}


def parse_stale(text):
    return [fields(m.group(1)) for line in text.splitlines()
            if (m := STALE_LINE.match(line.strip()))]


class Symbols:
    """kernel.sym (nm -n) as sorted addresses: RIP -> function+offset."""

    def __init__(self, path):
        self.addrs, self.names = [], []
        try:
            with open(path) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and parts[1] in "tTwW":
                        self.addrs.append(int(parts[0], 16))
                        self.names.append(parts[2])
        except OSError:
            pass

    def name(self, rip):
        if rip < 0xffff800000000000:
            return "user"
        i = bisect.bisect_right(self.addrs, rip) - 1
        if i < 0:
            return "?"
        return f"{self.names[i]}+{rip - self.addrs[i]:#x}"


def presets(build="build"):
    """{name: {walk_ns, invlpg_ns, ...}} from tlbmodel-presets --keys."""
    tool = os.path.join(ROOT, build, "tlbmodel", "tlbmodel-presets")
    out = subprocess.run([tool, "--keys"], capture_output=True, text=True, check=True).stdout
    result = {}
    for line in out.splitlines():
        f = fields(line[len("preset "):])
        result[f["name"]] = f
    return result


def projection(preset, walks, invlpg, full_flushes, remote_flushes):
    """(direct_us, indirect_us): the model's cost of a phase, in microseconds."""
    p = {k: float(v) for k, v in preset.items() if k.endswith("_ns")}
    direct = (remote_flushes * p["ipi_ns"] + invlpg * p["invlpg_ns"]
              + full_flushes * p["full_flush_ns"])
    return direct / 1000.0, walks * p["walk_ns"] / 1000.0


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    sym = os.path.join(ROOT, "build", "kernel.sym")
    if "--sym" in args:
        sym = args[args.index("--sym") + 1]
    with open(args[0], errors="replace") as f:
        text = f.read()
    rows = [r for r in parse_phases(text) if "cpus" in r]
    keys = ("accesses", "l1_misses", "stlb_misses", "walks", "walks_4k", "walks_2m", "walks_1g",
            "invlpg", "full_flushes", "stale_hits")
    print("| phase | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for r in rows:
        print(f"| {r['phase']} | " + " | ".join(r.get(k, "") for k in keys) + " |")
    stale = parse_stale(text)
    if stale:
        syms = Symbols(sym)
        print(f"\nstale hits (first {len(stale)}):")
        for s in stale:
            rip = int(s["rip"], 16)
            print(f"  phase={s['phase']} cpu={s['cpu']} rip={s['rip']} ({syms.name(rip)}) "
                  f"vaddr={s['vaddr']} old={s['old']} new={s['new']} write={s['write']} "
                  f"via={s['via']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
