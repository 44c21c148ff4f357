#!/usr/bin/env python3
"""What the trace hooks cost while tracing is off.

Boots the normal build (hooks compiled in, tracing_on=1 but no event on:
every hook is one not-taken branch) and a `make TRACING=0` build (no hooks)
in turn, the same number of times each, at -smp 4 with 5 GiB preallocated,
running `bench hugetlb pages=2048 reps=5 init=full`. Reports, per row of
the bench, the median over boots of each boot's median grow/shrink time,
with min-max, and writes results/trace-overhead.md. Times are QEMU TCG
emulator time on a shared 2-core host: compare the two columns, nothing else.

Usage: trace_overhead.py [BOOTS]   (default 3; needs build/ and build-notrace/)
"""
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import flushlab_qemu  # noqa: E402

SCRIPT = "bench hugetlb pages=2048 reps=5 init=full\n"
BUILDS = [("hooks in, tracing off", "build"), ("TRACING=0", "build-notrace")]


def bench_rows(out):
    """{(strategy, init, hvo): (grow_median_ns, shrink_median_ns)} of one boot."""
    rows = {}
    for line in out.splitlines():
        if not line.startswith("# bench hugetlb "):
            continue
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        rows[(kv["strategy"], kv["init"], kv["hvo"])] = (
            int(kv["grow_median_ns"]), int(kv["shrink_median_ns"]))
    return rows


def summary(vals):
    return statistics.median(vals), min(vals), max(vals)


def fmt(s):
    return f"{s[0] / 1000:.0f} ({s[1] / 1000:.0f}-{s[2] / 1000:.0f})"


def main():
    boots = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    runs = {b: [] for _, b in BUILDS}
    for i in range(boots):
        for label, b in BUILDS:  # interleaved, so host noise falls on both
            status, out = flushlab_qemu.boot(SCRIPT, smp=4, mem="5G", prealloc=True,
                                             esp_img=os.path.join(ROOT, b, "esp.img"),
                                             echo=False, timeout=900)
            rows = bench_rows(out)
            print(f"[overhead] boot {i + 1}/{boots} {label}: status {status}, {len(rows)} rows")
            if status != 0 or not rows:
                print(out[-2000:])
                return 1
            runs[b].append(rows)
    keys = sorted(runs["build"][0])
    lines = ["# Tracing overhead with tracing off", "",
             f"`bench hugetlb pages=2048 reps=5 init=full`, -smp 4, MEM=5G (preallocated), "
             f"accel=tcg, {boots} boots per build, interleaved. Each cell: median over boots "
             "of the boot's median, in µs, (min-max over boots). Emulator time on a shared "
             "2-core host (other QEMUs ran beside): compare columns, not absolute values.", "",
             "| strategy | init | hvo | grow, hooks in, off | grow, TRACING=0 | grow ratio "
             "| shrink, hooks in, off | shrink, TRACING=0 | shrink ratio |",
             "|---|---|---|---|---|---|---|---|---|"]
    for k in keys:
        g = [summary([r[k][0] for r in runs[b]]) for _, b in BUILDS]
        s = [summary([r[k][1] for r in runs[b]]) for _, b in BUILDS]
        lines.append(f"| {k[0]} | {k[1]} | {k[2]} | {fmt(g[0])} | {fmt(g[1])} | "
                     f"{g[0][0] / g[1][0]:.3f} | {fmt(s[0])} | {fmt(s[1])} | "
                     f"{s[0][0] / s[1][0]:.3f} |")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(ROOT, "results"), exist_ok=True)
    with open(os.path.join(ROOT, "results", "trace-overhead.md"), "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
