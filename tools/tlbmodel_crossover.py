#!/usr/bin/env python3
"""The crossover experiment under the TLB model: where does one full flush
get cheaper than N INVLPGs? (Linux's answer: tlb_single_page_flush_ceiling, 33.)

  tools/tlbmodel_crossover.py [--log LOG...]

Boots once per preset (PRESETS, default "skylake-sp zen4"; -smp 1, 512M) and
runs `bench tlb_crossover ws=W` for each working set W (WS, default
"64 256 1024"): W non-global 4 KiB pages touched, N flushed by INVLPG or by
one CR3 reload, W touched again. From the model's phase lines, per repetition:

  cost(invlpg, N) = INVLPGs x invlpg_ns + walks x walk_ns
  cost(full, N)   = full flushes x full_flush_ns + walks x walk_ns

and the crossover N* is the first N where cost(full) <= cost(invlpg). A model:
the costs are the presets' cited per-event figures, the walks are modelled.
Writes results/tlbmodel/crossover.{csv,md,png} (gnuplot) from every
results/tlbmodel/crossover-PRESET-wsW....log there (this run's and earlier
ones, so `WS=2048` adds a working set). --log reads the logs named instead.
"""
import csv
import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import flushlab_qemu  # noqa: E402
import tlbmodel_report  # noqa: E402

OUT = os.path.join(ROOT, "results", "tlbmodel")
PHASE = re.compile(r"^crossover-ws(\d+)-n(\d+)-(invlpg|full)$")
REPS = 8


def boot_logs(presets, sets):
    logs = []
    script = "".join(f"bench tlb_crossover ws={w} max=256 reps={REPS}\n" for w in sets)
    for p in presets:
        print(f"[crossover] preset {p}: booting (-smp 1)", flush=True)
        status, out = flushlab_qemu.boot(script, smp=1, mem="512M", timeout=1800, echo=False,
                                         tlbmodel=p)
        path = os.path.join(OUT, f"crossover-{p}-ws{'-'.join(sets)}.log")
        with open(path, "w") as f:
            f.write(out)
        if status != 0:
            print(f"[crossover] preset {p}: status {status}; see {path}", file=sys.stderr)
            return None
        logs.append(path)
    return logs


def costs(logs):
    """[(preset, ws, n, mode, walks, cost_ns)] per repetition, from the phase lines."""
    table, rows = tlbmodel_report.presets(), []
    for path in logs:
        with open(path, errors="replace") as f:
            text = f.read()
        for name, r in tlbmodel_report.phase_totals(text).items():
            m = PHASE.match(name)
            if not m:
                continue
            p = table[r["preset"]]
            walks = int(r["walks"]) / REPS
            direct, indirect = tlbmodel_report.projection(
                p, walks, int(r["invlpg"]) / REPS, int(r["full_flushes"]) / REPS, 0)
            rows.append((r["preset"], int(m.group(1)), int(m.group(2)), m.group(3), walks,
                         (direct + indirect) * 1000))
    return sorted(rows)


def crossovers(rows):
    """{(preset, ws): N where full and invlpg cost the same, or None}: linear between
    the last N where N INVLPGs were cheaper and the first where the full flush was."""
    by = {}
    for preset, ws, n, mode, _, cost in rows:
        by.setdefault((preset, ws), {}).setdefault(n, {})[mode] = cost
    result = {}
    for key, ns in by.items():
        both = [(n, ns[n]["invlpg"] - ns[n]["full"]) for n in sorted(ns) if len(ns[n]) == 2]
        result[key] = None
        for i, (n1, d1) in enumerate(both):
            if d1 >= 0:  # the first tested N already: "from N on"; else interpolated
                n0, d0 = both[i - 1] if i else (n1, d1)
                result[key] = n1 if not i else n0 + (n1 - n0) * -d0 / (d1 - d0)
                break
    return result


def plot(rows):
    """N INVLPGs (one line per preset: the same at every working set while it fits)
    against one full flush (one flat line per preset and working set)."""
    if not shutil.which("gnuplot"):
        print("[crossover] gnuplot not found: no plot")
        return
    dat = os.path.join(OUT, "crossover.dat")
    presets = sorted({r[0] for r in rows})
    sets = sorted({r[1] for r in rows})
    series = [(p, max(sets), "invlpg") for p in presets] + \
        [(p, ws, "full") for p in presets for ws in sets]
    with open(dat, "w") as f:
        for preset, ws, mode in series:
            f.write(f"# {preset} ws={ws} {mode}\n")
            for r in rows:
                if (r[0], r[1], r[3]) == (preset, ws, mode):
                    f.write(f"{r[2]} {r[5] / 1000:.3f}\n")
            f.write("\n\n")
    colour = {p: c for p, c in zip(presets, ("'#1f5fbf'", "'#c0392b'", "'#2e8b57'"))}
    plots = ", ".join(
        f"'{dat}' index {i} with linespoints lw 2 dt {1 if mode == 'invlpg' else sets.index(ws) + 2} "
        f"lc rgb {colour.get(preset, 'black')} "
        f"title '{preset}: {'N INVLPGs' if mode == 'invlpg' else f'one full flush, ws={ws}'}' "
        "noenhanced"
        for i, (preset, ws, mode) in enumerate(series))
    gp = (f"set terminal png size 1100,600; set output '{OUT}/crossover.png';"
          'set title "Flush N pages of a working set of ws pages, then touch it all\\n'
          '(a model: cited per-event costs x modelled walks)" noenhanced;'
          "set xlabel 'pages flushed (N)'; set ylabel 'projected us per flush + touch';"
          "set logscale xy 2; set key outside right; set grid;"
          "set arrow from 33, graph 0 to 33, graph 1 nohead dt 3 lc 'gray';"
          "set label 'Linux: 33' at 35, graph 0.05 noenhanced;"
          f"plot {plots}")
    subprocess.run(["gnuplot", "-e", gp], check=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    args = sys.argv[1:]
    if args[:1] == ["--log"]:
        logs = args[1:]
    else:
        presets = (os.environ.get("PRESETS") or "skylake-sp zen4").split()
        sets = (os.environ.get("WS") or "64 256 1024").split()
        if boot_logs(presets, sets) is None:
            return 1
        logs = sorted(glob.glob(os.path.join(OUT, "crossover-*.log")))  # earlier runs' too
    rows = costs(logs)
    with open(os.path.join(OUT, "crossover.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["preset", "ws", "n", "mode", "walks_per_rep", "projected_ns_per_rep"])
        w.writerows([r[:4] + (f"{r[4]:.1f}", f"{r[5]:.0f}") for r in rows])
    lines = ["| preset | working set (pages) | crossover N (one full flush as cheap as N "
             "INVLPGs) | Linux's ceiling |", "|---|---:|---:|---:|"]
    for (preset, ws), n in sorted(crossovers(rows).items()):
        lines.append(f"| {preset} | {ws} | {f'{n:.0f}' if n else '> ' + str(min(ws, 256))} | 33 |")
    with open(os.path.join(OUT, "crossover.md"), "w") as f:
        f.write("# Crossover: N INVLPGs against one full flush (a model)\n\n"
                + "\n".join(lines) + "\n")
    print("\n".join(lines))
    plot(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
