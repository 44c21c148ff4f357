#!/usr/bin/env python3
"""`make bench`: the experiment matrix, booted once per CPU count.

Each boot runs `bench hugetlb` (HVO off once, then every flush strategy x
struct-page init form with HVO on) and `bench shootdown`; the kernel prints
`# bench NAME key=value ...` lines, which this script collects into
results/hugetlb.csv and results/shootdown.csv, a markdown summary
(results/summary.md: the factorial table, then every row) and PNG plots made
with gnuplot: results/hvo_ratio.png (grow time HVO on / off against CPUs, one
line per strategy and init) and results/hvo_ipis.png (shootdown interrupts
the other CPUs took per grow, against CPUs).

Environment: SMPS, the CPU counts (default "1 2 4 8"; `make bench SMPS="16 32 64"`
for the scale rows; BENCH_CPUS is the old name); ACCEL (tcg). Per CPU count,
unless BENCH_PAGES / BENCH_REPS / BENCH_MEM / BENCH_ITERS say otherwise:
2048 pages up to 16 CPUs and 2048 x 16 / CPUs above (1024 at 32, 512 at 64),
so that a boot of many vCPUs on 2 host cores stays within minutes; 5
repetitions up to 8 CPUs, 3 above; `bench shootdown` 200 iterations up to 8
CPUs, 50 above; MEM = the pages' 2 MiB each + 1 GiB. Every boot says what it
used. Rows of the CPU counts run replace those counts' rows in the CSVs and
the rows of other counts stay, so `make bench SMPS="16 32 64"` adds to a table
made by `make bench`; each row carries its own pages= and reps=, and the TSC
calibration line of its boot (tsc_mhz, tsc_source: times are TSC cycles
converted with it, ratios do not depend on it).
`tools/bench.py --summary` remakes the tables and plots from the saved CSVs.

TLBMODEL=PRESET (make bench TLBMODEL=zen4): every boot runs under the TLB-model
plugin, without `bench shootdown`, and everything goes to
results/tlbmodel/PRESET/ instead (the plugin slows the guest: its times are not
comparable with a plain run's); each hugetlb row gains the model's walks,
INVLPGs, full flushes and stale hits over its phase, per grow+shrink, and a
projection labelled as a model (tools/tlbmodel_report.py).
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
import tlbmodel_report  # noqa: E402

TLBMODEL = os.environ.get("TLBMODEL") or None
RESULTS = os.path.join(ROOT, "results", *(("tlbmodel", TLBMODEL) if TLBMODEL else ()))
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


# Calibrations that measure or read the rate. Before arch/x86_64/tsc.c paired
# its PM-timer reads with the TSC, 32 and 64 vCPUs on 2 host cores fell back
# to the PIT, which read 4 to 9 times too fast (results/scale/README.md).
TRUSTED_TSC = ("pm-timer", "cpuid-15h", "cpuid-16h", "cpuid-40000010h")
TSC_LINE = re.compile(r"^tsc: ([\d.]+) MHz \(source: ([^)]*)\)", re.M)


def boot_plan(cpus):
    """(pages, reps, mem, shootdown iters) for a boot at @cpus: the defaults
    of the docstring, or the BENCH_* overrides."""
    env = os.environ.get
    pages = int(env("BENCH_PAGES") or (2048 if cpus <= 16 else 2048 * 16 // cpus))
    reps = int(env("BENCH_REPS") or (5 if cpus <= 8 else 3))
    mem = env("BENCH_MEM") or f"{(pages * 2 + 1023) // 1024 + 1}G"
    iters = int(env("BENCH_ITERS") or (200 if cpus <= 8 else 50))
    return pages, reps, mem, iters


def run_boots(cpus_list, accel):
    rows = []
    os.makedirs(RESULTS, exist_ok=True)
    for cpus in cpus_list:
        pages, reps, mem, iters = boot_plan(cpus)
        script = f"bench hugetlb pages={pages} reps={reps}\n" + \
            ("" if TLBMODEL else f"bench shootdown iters={iters}\n")
        t0 = time.monotonic()
        fewer = " (fewer pages above 16 CPUs: 2048 x 16 / CPUs)" if pages < 2048 else ""
        print(f"[bench] -smp {cpus} -m {mem} accel={accel}: pages={pages}{fewer} reps={reps}, "
              f"bench shootdown iters={iters}: booting", flush=True)
        status, out = flushlab_qemu.boot(script, smp=cpus, mem=mem, accel=accel,
                                         timeout=3000 * (4 if TLBMODEL else 1), echo=False,
                                         prealloc=True, tlbmodel=TLBMODEL)
        with open(os.path.join(RESULTS, f"boot-smp{cpus}.log"), "w") as f:
            f.write(out)
        found = parse_bench_lines(out)
        tsc = TSC_LINE.search(out)
        for _, fields in found:
            fields["tsc_mhz"], fields["tsc_source"] = tsc.groups() if tsc else ("?", "?")
        if TLBMODEL:
            tlbmodel_report.add_model_columns(found, out)
        if tsc and tsc.group(2) not in TRUSTED_TSC:
            print(f"[bench] -smp {cpus}: warning: the TSC was calibrated from the {tsc.group(2)} "
                  f"({tsc.group(1)} MHz): this boot's times, and its timer tick (which deferred "
                  "waits for), may be off by that error; its counts are exact", flush=True)
        print(f"[bench] -smp {cpus}: status {status}, {len(found)} result lines, "
              f"{time.monotonic() - t0:.0f} s", flush=True)
        if status != 0:
            print(f"[bench] boot failed; see results/boot-smp{cpus}.log", file=sys.stderr)
            return None
        rows += found
    return rows


def write_csv(rows, name):
    """results/NAME.csv: this run's rows, and the saved rows of CPU counts
    this run did not boot; sorted by CPU count, stable otherwise."""
    data = [f for n, f in rows if n == name]
    if not data:
        return []
    path = os.path.join(RESULTS, f"{name}.csv")
    ran = {f["cpus"] for f in data}
    if os.path.exists(path):
        with open(path, newline="") as fh:
            data = [r for r in csv.DictReader(fh) if r["cpus"] not in ran] + data
    data.sort(key=lambda r: int(r["cpus"]))
    keys = list(dict.fromkeys(k for f in data for k in f))
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys, restval="")
        w.writeheader()
        w.writerows(data)
    return data


def ratio(a, b):
    return float(a) / float(b) if float(b) else float("nan")


STRATEGIES = ("page", "batch", "precise", "deferred")
INITS = ("full", "unshared")


def split_rows(data):
    """{cpus: HVO-off row} and {(cpus, strategy, init): HVO-on row}."""
    off = {r["cpus"]: r for r in data if r["hvo"] == "0"}
    on = {(r["cpus"], r["strategy"], r["init"]): r for r in data if r["hvo"] == "1"}
    return off, on


def ms(r, k):
    return int(r[k]) / 1e6


def factorial_table(data):
    """Grow time HVO on / off: strategy x init at each CPU count."""
    off, on = split_rows(data)
    lines = ["| CPUs | pages | reps | HVO off grow (ms) | init | " + " | ".join(STRATEGIES) + " |",
             "|---:|---:|---:|---:|---|" + "---:|" * len(STRATEGIES)]
    for cpus in sorted(off, key=int):
        o = off[cpus]
        for init in INITS:
            cells = [f"{ratio(on[(cpus, s, init)]['grow_median_ns'], o['grow_median_ns']):.2f}x"
                     if (cpus, s, init) in on else "-" for s in STRATEGIES]
            lines.append(f"| {cpus} | {o['pages']} | {o['reps']} | {ms(o, 'grow_median_ns'):.2f}"
                         f" | {init} | " + " | ".join(cells) + " |")
    return lines


def hugetlb_table(data):
    """Every HVO-on row against its boot's HVO-off control."""
    off, on = split_rows(data)
    lines = ["| CPUs | pages | strategy | init | grow on (ms) [min-max] | grow on/off | "
             "shrink on (ms) | shrink on/off | flushes/grow | full flushes by ceiling | "
             "IPIs/grow | interrupts/grow | KiB saved/page |",
             "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    order = {s: i for i, s in enumerate(STRATEGIES)}
    for (cpus, strategy, init), r in sorted(
            on.items(), key=lambda kv: (int(kv[0][0]), kv[0][2], order.get(kv[0][1], 9))):
        o = off.get(cpus)
        if not o:
            continue
        lines.append(
            f"| {cpus} | {r['pages']} | {strategy} | {init} | {ms(r, 'grow_median_ns'):.1f} "
            f"[{ms(r, 'grow_min_ns'):.1f}-{ms(r, 'grow_max_ns'):.1f}] | "
            f"{ratio(r['grow_median_ns'], o['grow_median_ns']):.2f} | "
            f"{ms(r, 'shrink_median_ns'):.1f} | "
            f"{ratio(r['shrink_median_ns'], o['shrink_median_ns']):.2f} | "
            f"{r['grow_remote_flushes']} | {r['grow_over_ceiling']} | {r['grow_ipis']} | "
            f"{r['grow_received']} | {r['saved_kib_per_page']} |")
    return lines


def plot(data, accel):
    """Two PNGs with gnuplot: the grow ratio and the IPIs against CPU count."""
    if not shutil.which("gnuplot"):
        print("[bench] gnuplot not found: no plots (apt-get install gnuplot-nox)")
        return
    off, on = split_rows(data)
    series = [(s, i) for i in INITS for s in STRATEGIES
              if any(k[1] == s and k[2] == i for k in on)]
    for name, ylabel, value in (
            ("hvo_ratio", "grow time, HVO on / HVO off",
             lambda r, o: ratio(r["grow_median_ns"], o["grow_median_ns"])),
            ("hvo_ipis", "shootdown interrupts taken per grow (HVO on)",
             lambda r, o: float(r["grow_received"]))):
        dat = os.path.join(RESULTS, f"{name}.dat")
        with open(dat, "w") as f:
            for s, i in series:
                f.write(f"# {s} init={i}\n")
                for cpus in sorted(off, key=int):
                    if (cpus, s, i) in on:
                        f.write(f"{cpus} {value(on[(cpus, s, i)], off[cpus])}\n")
                f.write("\n\n")
        plots = ", ".join(f"'{dat}' index {n} with linespoints dt {1 if i == 'full' else 2} "
                          f"lc {STRATEGIES.index(s) + 1} title '{s} init={i}'"
                          for n, (s, i) in enumerate(series))
        gp = (f"set terminal png size 900,560; set output '{RESULTS}/{name}.png';"
              f"set title '{pages_note(data)} x 2 MiB pages, accel={accel}'; set xlabel 'CPUs';"
              f"set ylabel '{ylabel}'; set key top left; set grid; set logscale x 2;"
              "set logscale y 10;"
              + ("plot 1 with lines dt 3 lc 'gray' title 'HVO off', " if name == "hvo_ratio"
                 else "set title '(zero, with 1 CPU or deferred: not drawn on a log scale)' offset 0,-1; plot ")
              + plots)
        subprocess.run(["gnuplot", "-e", gp], check=True)


def boots_table(data):
    """One line per boot: its pool size, repetitions and TSC calibration."""
    off, _ = split_rows(data)
    lines = ["| CPUs | pages | reps | TSC (MHz, source) |", "|---:|---:|---:|---|"]
    for cpus in sorted(off, key=int):
        r = off[cpus]
        tsc = f"{r['tsc_mhz']}, {r['tsc_source']}" if r.get("tsc_mhz") else "not recorded"
        if r.get("tsc_source") and r["tsc_source"] not in TRUSTED_TSC:
            tsc += " (untrusted: see below)"
        lines.append(f"| {cpus} | {r['pages']} | {r['reps']} | {tsc} |")
    return lines + ["", "Times are TSC cycles converted at the boot's calibrated rate; under "
                    "TCG the guest's TSC is the host's (the pm-timer rows measure it). A boot "
                    "calibrated from the PIT with many vCPUs read it too fast: its times are too small by that "
                    "factor, and its 100 Hz tick, programmed from the same rate, is slower by "
                    "it, which lengthens `deferred`'s waits for a tick. Its counts are exact and "
                    "the ratios of the strategies that do not wait for a tick stand."]


def pages_note(data):
    """"2048" or "2048 (512 at 64 CPUs)": the pool sizes behind a table."""
    off, _ = split_rows(data)
    sizes = {c: r["pages"] for c, r in off.items()}
    common = max(set(sizes.values()), key=list(sizes.values()).count)
    other = [f"{p} at {c} CPUs" for c, p in sorted(sizes.items(), key=lambda kv: int(kv[0]))
             if p != common]
    return common + (f" ({', '.join(other)})" if other else "")


def write_summary(hugetlb, accel):
    """results/summary.md, the plots and results/shootdown-summary.md from the rows."""
    factorial, table = factorial_table(hugetlb), hugetlb_table(hugetlb)
    with open(os.path.join(RESULTS, "summary.md"), "w") as f:
        f.write(f"# flushlab bench: {pages_note(hugetlb)} x 2 MiB pages, accel={accel}\n\n"
                "Each row is the median of its reps= runs (min-max below). Times are QEMU "
                "TCG emulator time; with more vCPUs than the 2 host cores the host scheduler "
                "decides much of it. Counts are exact.\n\n"
                "## Grow time with HVO on / HVO off, strategy x init\n\n"
                "With init=full every strategy writes struct pages as Linux does, so that "
                "row compares flush strategies alone; down a column, the init form alone.\n\n"
                + "\n".join(factorial) + "\n\n## Every row\n\n" + "\n".join(table)
                + "\n\n## The boots\n\n" + "\n".join(boots_table(hugetlb)) + "\n"
                + ("\n" + "\n".join(tlbmodel_report.model_table(hugetlb)) + "\n"
                   if any("model_walks" in r for r in hugetlb) else ""))
    print("\n".join(factorial))
    if TLBMODEL:
        print("\n".join(tlbmodel_report.model_table(hugetlb)))
        tlbmodel_report.model_plot(hugetlb, RESULTS)
    plot(hugetlb, accel)
    if TLBMODEL:  # no bench shootdown under the model: its summary stays as it was
        print(f"[bench] {os.path.relpath(RESULTS, ROOT)}/: hugetlb.csv summary.md walks.png "
              "hvo_ratio.png hvo_ipis.png")
        return
    subprocess.run([sys.executable, os.path.join(HERE, "shootdown_summary.py")], check=False)
    print("[bench] results/: hugetlb.csv shootdown.csv summary.md hvo_ratio.png hvo_ipis.png "
          "shootdown-summary.md shootdown_protocols.png")


def main():
    env = os.environ.get
    accel = env("ACCEL", "tcg")
    if sys.argv[1:] == ["--summary"]:  # the tables and plots again, from the saved CSVs
        with open(os.path.join(RESULTS, "hugetlb.csv"), newline="") as fh:
            write_summary(list(csv.DictReader(fh)), accel)
        return 0
    cpus_list = [int(c) for c in (env("SMPS") or env("BENCH_CPUS") or "1 2 4 8").split()]
    if TLBMODEL == "list":
        print(flushlab_qemu.tlbmodel_presets(), end="")
        return 0
    try:
        flushlab_qemu.check_accel(accel)
    except flushlab_qemu.AccelUnavailable as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    try:
        rows = run_boots(cpus_list, accel)
    except flushlab_qemu.TlbmodelUnavailable as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    if rows is None:
        return 1
    hugetlb = write_csv(rows, "hugetlb")
    write_csv(rows, "shootdown")
    write_summary(hugetlb, accel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
