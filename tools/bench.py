#!/usr/bin/env python3
"""`make bench`: the experiment matrix, booted once per CPU count.

Each boot runs `bench hugetlb` (every HVO flush strategy, HVO off and on)
and `bench shootdown`; the kernel prints `# bench NAME key=value ...` lines,
which this script collects into results/hugetlb.csv and results/shootdown.csv,
a markdown summary (results/summary.md) and PNG plots made with gnuplot:
results/hvo_ratio.png (grow time HVO on / off against CPUs, one line per
strategy) and results/hvo_ipis.png (shootdown interrupts the other CPUs took
per grow, against CPUs).

Environment: BENCH_CPUS (default "1 2 4 8"), BENCH_PAGES (2048), BENCH_REPS (5),
BENCH_MEM (5G: 2048 x 2 MiB pages need 4 GiB), ACCEL (tcg).
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import flushlab_qemu  # noqa: E402

RESULTS = os.path.join(ROOT, "results")
BENCH_LINE = re.compile(r"^# bench (\w+) (.*)$")


def parse_bench_lines(text):
    """[(name, {key: value})] for every `# bench` line of a boot's output."""
    rows = []
    for line in text.splitlines():
        m = BENCH_LINE.match(line.strip())
        if m:
            fields = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
            rows.append((m.group(1), fields))
    return rows


def run_boots(cpus_list, pages, reps, mem, accel):
    rows = []
    script = (f"bench hugetlb pages={pages} reps={reps}\n"
              "bench shootdown\n")
    os.makedirs(RESULTS, exist_ok=True)
    for cpus in cpus_list:
        t0 = time.monotonic()
        print(f"[bench] -smp {cpus} -m {mem} accel={accel}: booting", flush=True)
        status, out = flushlab_qemu.boot(script, smp=cpus, mem=mem, accel=accel,
                                         timeout=3000, echo=False, prealloc=True)
        with open(os.path.join(RESULTS, f"boot-smp{cpus}.log"), "w") as f:
            f.write(out)
        found = parse_bench_lines(out)
        print(f"[bench] -smp {cpus}: status {status}, {len(found)} result lines, "
              f"{time.monotonic() - t0:.0f} s", flush=True)
        if status != 0:
            print(f"[bench] boot failed; see results/boot-smp{cpus}.log", file=sys.stderr)
            return None
        rows += found
    return rows


def write_csv(rows, name):
    data = [f for n, f in rows if n == name]
    if not data:
        return []
    keys = list(dict.fromkeys(k for f in data for k in f))
    with open(os.path.join(RESULTS, f"{name}.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(data)
    return data


def ratio(a, b):
    return float(a) / float(b) if float(b) else float("nan")


def hugetlb_table(data):
    """The cover letter's shape: per CPUs and strategy, grow and shrink with HVO off/on."""
    by = {(r["cpus"], r["strategy"], r["hvo"]): r for r in data}
    lines = ["| CPUs | strategy | grow off (ms) | grow on (ms) | grow on/off | "
             "shrink off (ms) | shrink on (ms) | shrink on/off | flushes/grow | "
             "IPIs/grow | interrupts/grow | KiB saved/page |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (cpus, strategy, hvo), on in sorted(by.items(), key=lambda kv: (int(kv[0][0]), kv[0][1])):
        if hvo != "1" or (cpus, strategy, "0") not in by:
            continue
        off = by[(cpus, strategy, "0")]
        ms = lambda r, k: int(r[k]) / 1e6  # noqa: E731
        lines.append(
            f"| {cpus} | {strategy} | {ms(off, 'grow_median_ns'):.1f} | "
            f"{ms(on, 'grow_median_ns'):.1f} | "
            f"{ratio(on['grow_median_ns'], off['grow_median_ns']):.2f} | "
            f"{ms(off, 'shrink_median_ns'):.1f} | {ms(on, 'shrink_median_ns'):.1f} | "
            f"{ratio(on['shrink_median_ns'], off['shrink_median_ns']):.2f} | "
            f"{on['grow_remote_flushes']} | {on['grow_ipis']} | {on['grow_received']} | "
            f"{on['saved_kib_per_page']} |")
    return lines


def plot(data, accel, pages):
    """Two PNGs with gnuplot: the grow ratio and the IPIs against CPU count."""
    if not shutil.which("gnuplot"):
        print("[bench] gnuplot not found: no plots (apt-get install gnuplot-nox)")
        return
    strategies = list(dict.fromkeys(r["strategy"] for r in data))
    for name, ylabel, value in (
            ("hvo_ratio", "grow time, HVO on / HVO off", lambda on, off:
             ratio(on["grow_median_ns"], off["grow_median_ns"])),
            ("hvo_ipis", "shootdown interrupts taken per grow (HVO on)",
             lambda on, off: float(on["grow_received"]))):
        dat = os.path.join(RESULTS, f"{name}.dat")
        with open(dat, "w") as f:
            for s in strategies:
                f.write(f"# {s}\n")
                for r in data:
                    if r["strategy"] == s and r["hvo"] == "1":
                        off = next(o for o in data if o["strategy"] == s and o["hvo"] == "0"
                                   and o["cpus"] == r["cpus"])
                        f.write(f"{r['cpus']} {value(r, off)}\n")
                f.write("\n\n")
        plots = ", ".join(f"'{dat}' index {i} with linespoints title '{s}'"
                          for i, s in enumerate(strategies))
        gp = (f"set terminal png size 800,500; set output '{RESULTS}/{name}.png';"
              f"set title '{pages} x 2 MiB pages, accel={accel}'; set xlabel 'CPUs';"
              f"set ylabel '{ylabel}'; set key top left; set grid; set logscale x 2;"
              "set logscale y 10;"
              + ("plot 1 with lines dt 2 lc 'gray' title 'HVO off', " if name == "hvo_ratio"
                 else "set title '(zero, with 1 CPU or deferred: not drawn on a log scale)' offset 0,-1; plot ")
              + plots)
        subprocess.run(["gnuplot", "-e", gp], check=True)


def main():
    cpus_list = [int(c) for c in os.environ.get("BENCH_CPUS", "1 2 4 8").split()]
    pages = int(os.environ.get("BENCH_PAGES", "2048"))
    reps = int(os.environ.get("BENCH_REPS", "5"))
    mem = os.environ.get("BENCH_MEM", "5G")
    accel = os.environ.get("ACCEL", "tcg")
    try:
        flushlab_qemu.check_accel(accel)
    except flushlab_qemu.AccelUnavailable as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    rows = run_boots(cpus_list, pages, reps, mem, accel)
    if rows is None:
        return 1
    hugetlb = write_csv(rows, "hugetlb")
    write_csv(rows, "shootdown")
    table = hugetlb_table(hugetlb)
    with open(os.path.join(RESULTS, "summary.md"), "w") as f:
        f.write(f"# flushlab bench: {pages} x 2 MiB pages, accel={accel}, "
                f"median of {reps}\n\n" + "\n".join(table) + "\n")
    print("\n".join(table))
    plot(hugetlb, accel, pages)
    print("[bench] results/: hugetlb.csv shootdown.csv summary.md hvo_ratio.png hvo_ipis.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
