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
import shutil
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


def add_model_columns(found, log):
    """Give each `# bench hugetlb` row of a boot its phase's model counters, per
    grow+shrink (the phase holds reps of each), and the projection (model_*)."""
    phases = phase_totals(log)
    table = None
    for name, row in found:
        if name != "hugetlb":
            continue
        phase = phases.get("hugetlb-off" if row["hvo"] == "0"
                           else f"hugetlb-{row['strategy']}-{row['init']}")
        if not phase:
            continue
        if table is None:
            table = presets()
        reps = max(1, int(row["reps"]))
        per = {k: int(phase[k]) / reps for k in ("walks", "invlpg", "full_flushes")}
        others = max(0, int(row["cpus"]) - 1)
        remote = int(row["grow_received"]) + int(row["shrink_remote_flushes"]) * others
        direct, indirect = projection(table[phase["preset"]], per["walks"], per["invlpg"],
                                      per["full_flushes"], remote)
        row.update(model_preset=phase["preset"], model_walks=f"{per['walks']:.0f}",
                   model_invlpg=f"{per['invlpg']:.0f}",
                   model_full_flushes=f"{per['full_flushes']:.0f}",
                   model_stale_hits=phase["stale_hits"], model_remote=str(remote),
                   model_direct_us=f"{direct:.1f}", model_indirect_us=f"{indirect:.1f}")


def model_table(data):
    """Markdown: the model's columns of every hugetlb row (add_model_columns)."""
    rows = [r for r in data if "model_walks" in r]
    if not rows:
        return []
    lines = [f"## TLB model (preset {rows[0]['model_preset']}): walks and a projection",
             "",
             "A model, not a measurement: counts per grow+shrink over the case's phase; "
             "projected = remote shootdowns x ipi_ns + INVLPGs x invlpg_ns + full flushes x "
             "full_flush_ns (direct) + walks x walk_ns (indirect), costs cited in "
             "tools/tlbmodel/presets.c. TCG time is the same grow+shrink under the plugin.",
             "",
             "| CPUs | strategy | init | walks | INVLPGs | full flushes | remote | stale | "
             "direct us | indirect us | projected us | TCG us |",
             "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in sorted(rows, key=lambda r: (int(r["cpus"]), r["init"], r["strategy"])):
        tcg = (int(r["grow_median_ns"]) + int(r["shrink_median_ns"])) / 1000
        proj = float(r["model_direct_us"]) + float(r["model_indirect_us"])
        lines.append(f"| {r['cpus']} | {r['strategy']} | {r['init']} | {r['model_walks']} | "
                     f"{r['model_invlpg']} | {r['model_full_flushes']} | {r['model_remote']} | "
                     f"{r['model_stale_hits']} | {r['model_direct_us']} | "
                     f"{r['model_indirect_us']} | {proj:.1f} | {tcg:.0f} |")
    return lines


def model_plot(data, outdir):
    """outdir/walks.png: modelled walks per grow+shrink, strategy x init, at each CPU count."""
    rows = [r for r in data if "model_walks" in r and r["hvo"] == "1"]
    if not rows or not shutil.which("gnuplot"):
        return None
    cpus = sorted({r["cpus"] for r in rows}, key=int)
    keys = sorted({(r["init"], r["strategy"]) for r in rows},
                  key=lambda k: (k[0], ["page", "batch", "precise", "deferred"].index(k[1])
                                 if k[1] in ("page", "batch", "precise", "deferred") else 9))
    dat = os.path.join(outdir, "walks.dat")
    with open(dat, "w") as f:
        f.write("# case " + " ".join(f"cpus{c}" for c in cpus) + "\n")
        for init, strategy in keys:
            vals = [next((r["model_walks"] for r in rows if r["cpus"] == c
                          and r["init"] == init and r["strategy"] == strategy), "0")
                    for c in cpus]
            f.write(f"{strategy}/{init} " + " ".join(vals) + "\n")
    png = os.path.join(outdir, "walks.png")
    plots = ", ".join(f"'{dat}' using {i + 2}:xtic(1) title '{c} CPU{'s' if c != '1' else ''}'"
                      for i, c in enumerate(cpus))
    gp = (f"set terminal png size 900,520; set output '{png}';"
          f"set title 'Modelled page walks per grow+shrink (TLB model, preset "
          f"{rows[0]['model_preset']}, {rows[0]['pages']} pages)' noenhanced;"
          "set style data histograms; set style fill solid 0.8 border -1;"
          "set ylabel 'page walks'; set key top left; set grid ytics;"
          "set xtics rotate by -30 noenhanced;"
          f"plot {plots}")
    subprocess.run(["gnuplot", "-e", gp], check=True)
    return png


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
