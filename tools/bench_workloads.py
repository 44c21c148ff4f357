#!/usr/bin/env python3
"""`make bench-workloads`: the user-address-space figures of docs/address-spaces.md.

BENCH_RUNS boots (default 3), each at -smp BENCH_CPUS (default 8), run `madv_touch threads=K` for
K = 1..BENCH_CPUS under every shootdown protocol, interleaved (for each K,
every protocol in turn, so slow phases of the host hit all protocols alike),
then `ctxswitch` between threads and between processes. The kernel's
`# bench` lines go to results/workloads.csv (with the boot's number), a
table to results/workloads.md (per cell: the median of the boots' medians,
each boot's median, the extreme operations of all boots) and each console
log to results/workloads-smp<N>-run<R>.log.

Environment: BENCH_CPUS (8), BENCH_ITERS (madv_touch iters, 100),
BENCH_SWITCHES (ctxswitch iters, 1000), BENCH_MEM (512M), ACCEL (tcg),
BENCH_CMDLINE (kernel command line words, e.g. "nopcid"; default none).
Times under TCG are not hardware times (docs/tcg.md); counts are exact.
"""
import csv
import os
import statistics
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import flushlab_qemu  # noqa: E402
from bench import parse_bench_lines  # noqa: E402

RESULTS = os.path.join(ROOT, "results")
PROTOCOLS = ("linux", "broadcast", "concurrent", "early_ack", "cacheline")
PROTO_FILE = "/sys/kernel/debug/flushlab/shootdown_protocol"
MADV_KEYS = ("ns_per_op_median", "ns_per_op_min", "ns_per_op_max", "remote_flushes_per_op",
             "ipis_per_op", "received_per_op", "lazy_skipped_per_op")


def script(cpus, iters, switches):
    """The boot's console script; the protocol knob is put back as found."""
    lines = [f"cat {PROTO_FILE}", "cat /proc/cpuinfo"]
    for k in range(1, cpus + 1):
        for proto in PROTOCOLS:
            lines += [f"echo {proto} > {PROTO_FILE}", f"madv_touch threads={k} iters={iters}"]
    top = cpus - 1
    lines += ["echo cacheline > " + PROTO_FILE,
              f"ctxswitch mode=threads iters={switches} cpu={top}",
              f"ctxswitch mode=peer secs=5 cpu={top} &",
              f"ctxswitch mode=procs iters={switches} cpu={top}",
              "wait", "cat /proc/interrupts",
              "cat /sys/kernel/debug/flushlab/check_memory"]
    return "\n".join(lines) + "\n"


def cells(rows):
    """{(K, protocol): [row of each boot]} in table order."""
    out = {}
    for r in sorted(rows, key=lambda r: (int(r["threads"]), PROTOCOLS.index(r["protocol"]))):
        out.setdefault((r["threads"], r["protocol"]), []).append(r)
    return out


def joined(rs, key):
    """One value if every boot agrees, else each boot's."""
    vals = [r[key] for r in rs]
    return vals[0] if len(set(vals)) == 1 else " / ".join(vals)


def madv_table(rows):
    """Markdown: per K and protocol, the boots' medians and the counts."""
    out = ["| K | protocol | ns/op: median of boots (each boot) [min-max op] | "
           "remote_flushes/op | ipis/op | received/op | lazy_skipped/op |",
           "|---:|---|---:|---:|---:|---:|---:|"]
    for (k, proto), rs in cells(rows).items():
        meds = [int(r["ns_per_op_median"]) for r in rs]
        lo = min(int(r["ns_per_op_min"]) for r in rs)
        hi = max(int(r["ns_per_op_max"]) for r in rs)
        out.append(f"| {k} | {proto} | {statistics.median(meds):.0f} "
                   f"({' / '.join(map(str, meds))}) [{lo}-{hi}] | "
                   f"{joined(rs, 'remote_flushes_per_op')} | {joined(rs, 'ipis_per_op')} | "
                   f"{joined(rs, 'received_per_op')} | {joined(rs, 'lazy_skipped_per_op')} |")
    return out


def default_vs_linux(rows):
    """The issue's target, per K and boot: cacheline (the default) against linux."""
    by = cells(rows)
    out = []
    for k in sorted({r["threads"] for r in rows}, key=int):
        pairs = list(zip(by.get((k, "cacheline"), []), by.get((k, "linux"), [])))
        if not pairs:
            continue
        verdicts = [f"{int(a['ns_per_op_median']) / int(b['ns_per_op_median']):.2f}x"
                    for a, b in pairs]
        wins = sum(int(a["ns_per_op_median"]) <= int(b["ns_per_op_median"]) for a, b in pairs)
        out.append(f"- K={k}: cacheline/linux median per boot {', '.join(verdicts)}: "
                   f"no higher in {wins} of {len(pairs)} boots")
    return out


def write_results(cpus, accel, iters, cmdline, outs, rows):
    madv = [f for n, f in rows if n == "madv_touch"]
    ctx = [f for n, f in rows if n == "ctxswitch"]
    with open(os.path.join(RESULTS, "workloads.csv"), "w", newline="") as fh:
        keys = list(dict.fromkeys(k for _, f in rows for k in f))
        w = csv.DictWriter(fh, fieldnames=["name"] + keys)
        w.writeheader()
        for n, f in rows:
            w.writerow({"name": n, **f})
    tlb_line = next((line for line in outs[0].splitlines() if line.startswith("tlb: P")), "?")
    text = [f"# flushlab workloads: -smp {cpus}, accel={accel}, madv_touch iters={iters}, "
            f"{len(outs)} boots, cmdline '{cmdline or ''}'", "",
            f"Kernel: `{tlb_line.strip()}`. One run per cell and boot; a boot's median is "
            "over that run's operations; min and max are the extreme operations of all "
            "boots. Counts are shown once when every boot agrees. Regenerate: "
            "`make bench-workloads`.", "",
            "## madv_touch", ""] + madv_table(madv) + [
            "", "Default protocol (cacheline) against linux, medians of the same boot:", ""
            ] + default_vs_linux(madv) + ["", "## ctxswitch", "",
            "| mode (one row per boot) | pcid | ns/switch median [min-max] | CR3 writes/switch | "
            "TLB flushes/switch |", "|---|---|---:|---:|---:|"]
    for r in sorted(ctx, key=lambda r: r["mode"]):
        text.append(f"| {r['mode']} | {r['pcid']} | {r['ns_per_switch_median']} "
                    f"[{r['ns_per_switch_min']}-{r['ns_per_switch_max']}] | "
                    f"{r['cr3_writes_per_switch']} | {r['tlb_flushes_per_switch']} |")
    with open(os.path.join(RESULTS, "workloads.md"), "w") as f:
        f.write("\n".join(text) + "\n")
    print("\n".join(text))


def main():
    cpus = int(os.environ.get("BENCH_CPUS", "8"))
    iters = int(os.environ.get("BENCH_ITERS", "100"))
    switches = int(os.environ.get("BENCH_SWITCHES", "1000"))
    mem = os.environ.get("BENCH_MEM", "512M")
    accel = os.environ.get("ACCEL", "tcg")
    cmdline = os.environ.get("BENCH_CMDLINE") or None
    try:
        flushlab_qemu.check_accel(accel)
    except flushlab_qemu.AccelUnavailable as e:
        print(f"bench-workloads: {e}", file=sys.stderr)
        return 2
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    os.makedirs(RESULTS, exist_ok=True)
    outs, rows = [], []
    with tempfile.TemporaryDirectory(prefix="flushlab-bench-") as tmp:
        # A private copy: a rebuild while these boots wait in the queue changes nothing.
        esp = os.path.join(tmp, "esp.img")
        shutil.copy(flushlab_qemu.default_esp(), esp)
        for run in range(1, runs + 1):
            t0 = time.monotonic()
            print(f"[bench-workloads] boot {run}/{runs}: -smp {cpus} -m {mem} accel={accel}",
                  flush=True)
            status, out = flushlab_qemu.boot(script(cpus, iters, switches), smp=cpus, mem=mem,
                                             accel=accel, timeout=900, echo=False,
                                             esp_img=esp, cmdline=cmdline, prealloc=True)
            log = os.path.join(RESULTS, f"workloads-smp{cpus}-run{run}.log")
            with open(log, "w") as f:
                f.write(out)
            found = parse_bench_lines(out)
            print(f"[bench-workloads] status {status}, {len(found)} result lines, "
                  f"{time.monotonic() - t0:.0f} s (queue included)", flush=True)
            if status != 0:
                print(f"[bench-workloads] boot failed; see {os.path.relpath(log, ROOT)}",
                      file=sys.stderr)
                return 1
            outs.append(out)
            rows += [(n, {"run": str(run), **f}) for n, f in found]
    write_results(cpus, accel, iters, cmdline, outs, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
