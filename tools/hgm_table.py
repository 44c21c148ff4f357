#!/usr/bin/env python3
"""The hgm_collapse table of docs/hgm.md from the console logs of real runs.

Reads `# bench hgm_collapse ...` lines (scripts/hgm-bench.fl at -smp 1 and 4),
groups them by CPUs, path and scheme, and prints a markdown table: medians
with [min-max] of the times (ms), the counts (the same in every run, or all
values shown), the 2M -> 1G ratio subpage / head, and whether MemFree is the
same before and after the series (the first and last /proc/meminfo of a log).

usage: tools/hgm_table.py LOG...
"""
import re
import statistics
import sys

TIMES = ("collapse_ns", "collapse_2m_ns", "collapse_1g_ns", "walk_ns", "flush_ns")
COUNTS = ("atomics", "atomics_2m", "atomics_1g", "remote_flushes", "ipis", "pt_pages_freed")


def lines(text):
    for m in re.finditer(r"^# bench hgm_collapse (.*?)\r?$", text, re.M):
        yield dict(kv.split("=", 1) for kv in m.group(1).split())


def ms(values):
    v = [int(x) / 1e6 for x in values]
    return f"{statistics.median(v):.1f} [{min(v):.1f}-{max(v):.1f}]"


def counts(rows, key):
    vals = sorted({r[key] for r in rows if key in r}, key=int)
    return "/".join(vals) if vals else "-"


def main():
    groups, memfree = {}, []
    for path in sys.argv[1:]:
        text = open(path, errors="replace").read()
        for r in lines(text):
            groups.setdefault((int(r["cpus"]), r["path"], r["scheme"]), []).append(r)
        free = re.findall(r"^MemFree:\s+(\d+) kB", text, re.M)
        if len(free) >= 2:
            memfree.append((path, free[0], free[-1]))
    if not groups:
        sys.exit("no hgm_collapse lines")
    print("| cpus | path | scheme | runs | collapse ms | 2M step ms | 1G step ms | walk+uncount ms "
          "| flush ms | atomics (2M / 1G step) | remote flushes | IPIs | PT pages freed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (cpus, path, scheme), rows in sorted(groups.items()):
        two = path == "4k-2m-1g"
        step = lambda k: ms(r[k] for r in rows) if two else "-"
        at = counts(rows, "atomics") + (f" ({counts(rows, 'atomics_2m')} / "
                                        f"{counts(rows, 'atomics_1g')})" if two else "")
        print(f"| {cpus} | {path} | {scheme} | {len(rows)} | {ms(r['collapse_ns'] for r in rows)} "
              f"| {step('collapse_2m_ns')} | {step('collapse_1g_ns')} "
              f"| {ms(r['walk_ns'] for r in rows)} | {ms(r['flush_ns'] for r in rows)} | {at} "
              f"| {counts(rows, 'remote_flushes')} | {counts(rows, 'ipis')} "
              f"| {counts(rows, 'pt_pages_freed')} |")
    print()
    for cpus in sorted({k[0] for k in groups}):
        sub, head = groups.get((cpus, "4k-2m-1g", "subpage")), groups.get((cpus, "4k-2m-1g", "head"))
        if sub and head:
            s = statistics.median(int(r["collapse_1g_ns"]) for r in sub)
            h = statistics.median(int(r["collapse_1g_ns"]) for r in head)
            lo = min(int(r["collapse_1g_ns"]) for r in sub) / max(int(r["collapse_1g_ns"]) for r in head)
            hi = max(int(r["collapse_1g_ns"]) for r in sub) / min(int(r["collapse_1g_ns"]) for r in head)
            print(f"- -smp {cpus}: 2M -> 1G step, subpage / head = {s / h:.1f}x "
                  f"(medians; {lo:.1f}x to {hi:.1f}x worst to best pairing)")
    for path, first, last in memfree:
        print(f"- {path}: MemFree {first} kB before the series, {last} kB after "
              f"({'exact' if first == last else 'DIFFERS'})")


if __name__ == "__main__":
    main()
