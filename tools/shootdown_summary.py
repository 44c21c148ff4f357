#!/usr/bin/env python3
"""Summarise results/shootdown.csv (`bench shootdown` rows from make bench).

Writes results/shootdown-summary.md (per CPU count and protocol: the
initiator's median time for one flush of 1 page and of 34 pages, the first
full flush, with min-max, and the IPIs and acknowledgements per flush) and
results/shootdown_protocols.png (the 1-page median against CPUs, one line
per protocol, gnuplot). Times are QEMU TCG emulator time; counts are exact.

Usage: shootdown_summary.py [CSV] [OUT_DIR]   (defaults: results/shootdown.csv, results/)
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTOCOLS = ("linux", "broadcast", "concurrent", "early_ack", "cacheline")
TRUSTED_TSC = ("pm-timer", "cpuid-15h", "cpuid-16h", "cpuid-40000010h")  # as tools/bench.py
UNTRUSTED_NOTE = ("(*) that boot calibrated its TSC from the PIT, wrongly (results/summary.md, "
                  "\"The boots\"): its times are too small by the calibration's error; its "
                  "counts are exact.")


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {(int(r["cpus"]), r["protocol"], int(r["pages"])): r for r in rows}


def us(r, key):
    return int(r[key]) / 1000.0


def cell(r):
    return f"{us(r, 'median_ns'):.1f} [{us(r, 'min_ns'):.1f}-{us(r, 'max_ns'):.1f}]"


def table(rows, pages):
    cpus = sorted({c for c, _, p in rows if p == pages})
    lines = ["| CPUs | iters | " + " | ".join(PROTOCOLS) + " | IPIs/flush (linux; others) | acks/flush |",
             "|---:|---:|" + "---:|" * len(PROTOCOLS) + "---:|---:|"]
    for c in cpus:
        got = [rows.get((c, p, pages)) for p in PROTOCOLS]
        lin, other = got[0], next((g for g in got[1:] if g), None)
        ipis = f"{lin['ipis'] if lin else '-'}; {other['ipis'] if other else '-'}"
        iters = next((g["iters"] for g in got if g), "-")
        first = next(g for g in got if g)
        star = "*" if first.get("tsc_source") not in (None, "", *TRUSTED_TSC) else ""
        lines.append(f"| {c}{star} | {iters} | " + " | ".join(cell(g) if g else "-" for g in got)
                     + f" | {ipis} | {(lin or other)['acks']} |")
    return lines


def plot(rows, png, accel):
    """The 1-page median against CPUs, one line per protocol, with min-max
    bars (the conclusion rests on the spread). Each protocol's points are
    set a little apart on x so that their bars do not hide each other.
    Every label is noenhanced: gnuplot would read _ as a subscript."""
    if not shutil.which("gnuplot"):
        print("shootdown_summary: gnuplot not found: no plot")
        return
    tmp = tempfile.TemporaryDirectory()
    dat = os.path.join(tmp.name, "protocols.dat")
    with open(dat, "w") as f:
        for i, p in enumerate(PROTOCOLS):
            f.write(f"# {p}: cpus (shifted) median min max, microseconds\n")
            for c in sorted({c for c, q, n in rows if q == p and n == 1}):
                r = rows[(c, p, 1)]
                x = c * 2 ** ((i - 2) * 0.07)
                f.write(f"{x:.4f} {us(r, 'median_ns')} {us(r, 'min_ns')} {us(r, 'max_ns')}\n")
            f.write("\n\n")
    plots = ", ".join(f"'{dat}' index {i} using 1:2:3:4 with yerrorlines lw 2 pt 7 "
                      f"title '{p}' noenhanced" for i, p in enumerate(PROTOCOLS))
    gp = (f"set terminal png size 1000,620; set output '{png}';"
          "set title 'bench shootdown: one 1-page flush_tlb_kernel_range, time of its initiator: "
          f"median and min-max, accel={accel}' noenhanced;"
          "set xlabel 'CPUs (each protocol drawn a little apart)' noenhanced;"
          "set ylabel 'microseconds (emulator time)' noenhanced; set logscale x 2;"
          "set xtics (1, 2, 4, 8, 16, 32, 64); set logscale y 10; set grid;"
          "set key top left noenhanced; plot " + plots)
    subprocess.run(["gnuplot", "-e", gp], check=True)
    tmp.cleanup()


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "results", "shootdown.csv")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(path)
    if not os.path.exists(path):
        print(f"shootdown_summary: {path}: No such file or directory (make bench writes it)",
              file=sys.stderr)
        return 1
    rows = load(path)
    accel = {r["accel"] for r in rows.values()}
    accel = accel.pop() if len(accel) == 1 else "mixed"
    untrusted = any(r.get("tsc_source") not in (None, "", *TRUSTED_TSC) for r in rows.values())
    note = ["", UNTRUSTED_NOTE] if untrusted else []
    text = [f"# bench shootdown: what one kernel flush costs its initiator (accel={accel})", "",
            "From `results/shootdown.csv` (`make bench`), made by `tools/shootdown_summary.py`. "
            "Microseconds of emulator time, median [min-max] of `iters` flushes, per protocol "
            "(`/sys/kernel/debug/flushlab/shootdown_protocol`); IPIs and acks per flush are exact "
            "counts. With more vCPUs than the 2 host cores, the host scheduler decides much of "
            "the time.", "", "## 1 page (one INVLPG on every CPU)", ""] + table(rows, 1) + [
            "", "## 34 pages (one past the ceiling of 33: a full flush on every CPU)", ""] + table(
            rows, 34) + note + ["", "![1-page flush against CPUs](shootdown_protocols.png)", ""]
    with open(os.path.join(out, "shootdown-summary.md"), "w") as f:
        f.write("\n".join(text))
    plot(rows, os.path.join(out, "shootdown_protocols.png"), accel)
    print(f"shootdown_summary: {out}/shootdown-summary.md, shootdown_protocols.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
