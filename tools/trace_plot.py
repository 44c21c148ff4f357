#!/usr/bin/env python3
"""Draw ONE shootdown from a flushlab ftrace text file as a PNG timeline.

One row per CPU; the initiator's publish..done and each target's IPI
handler as bars; every phase (publish, IPI sent, handler entry, request
received, flush, ack, done) as a labelled point; x in microseconds from
the publish (emulator time under TCG). Made with gnuplot.

Usage: trace_plot.py TRACE.txt OUT.png [N]   (N: which shootdown, 0 = the
first whose every phase is in the trace)
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace2json import parse  # noqa: E402

LABELS = {"shootdown_publish": "publish", "ipi_send_cpu": "IPI sent",
          "ipi_send_cpumask": "IPI sent", "call_function_entry": "handler entry",
          "shootdown_received": "received", "tlb_flush": "flush",
          "shootdown_ack": "ack", "call_function_exit": "handler exit",
          "shootdown_done": "done"}


def shootdowns(events):
    """(publish index, done index) of each shootdown, by its initiator's CPU."""
    out, open_ = [], {}
    for i, e in enumerate(events):
        if e["event"] == "shootdown_publish":
            open_[e["cpu"]] = i
        elif e["event"] == "shootdown_done" and e["cpu"] in open_:
            out.append((open_.pop(e["cpu"]), i))
    return out


def window(events, first, last):
    """The events of one shootdown: the initiator's from publish to done;
    each target's from its handler entry (or poll) to its handler exit, or
    to its ack and flush when it served the request by polling."""
    init, t0, t1 = events[first]["cpu"], events[first]["us"], events[last]["us"]
    picked = [e for e in events[first:last + 1] if e["cpu"] == init and e["event"] in LABELS]
    before = [e for e in events[:first] if e["cpu"] == init]
    if before and before[-1]["event"] == "tlb_flush" and "d" in before[-1]["flags"]:
        picked.append(before[-1])  # the linux and broadcast protocols flush before publishing
    seen, finished = {}, set()
    for e in events[first + 1:]:
        cpu, ev = e["cpu"], e["event"]
        if cpu == init or cpu in finished or ev not in LABELS or ev.startswith("ipi_"):
            continue
        if cpu not in seen and ev not in ("call_function_entry", "shootdown_received"):
            continue
        seen.setdefault(cpu, set()).add(ev)
        picked.append(e)
        if ev == "call_function_exit" or (
                "call_function_entry" not in seen[cpu] and {"shootdown_ack", "tlb_flush"} <= seen[cpu]):
            finished.add(cpu)
        if e["us"] > t1 + 1000:
            break
    return sorted(picked, key=lambda e: e["us"]), t0


def bars(evs, t0):
    """Horizontal bars: publish..done and handler entry..exit, per CPU."""
    out, start = [], {}
    for e in evs:
        if e["event"] in ("shootdown_publish", "call_function_entry"):
            start[e["cpu"]] = e["us"]
        elif e["event"] in ("shootdown_done", "call_function_exit") and e["cpu"] in start:
            out.append((start.pop(e["cpu"]) - t0, e["cpu"], e["us"] - t0))
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    events = parse(sys.argv[1])
    sds = shootdowns(events)
    if not sds:
        print("trace_plot: no complete shootdown in the trace", file=sys.stderr)
        return 1
    first, last = sds[min(int(sys.argv[3]) if len(sys.argv) > 3 else 0, len(sds) - 1)]
    evs, t0 = window(events, first, last)
    ncpu = max(e["cpu"] for e in events) + 1
    pub = events[first]["args"]
    with tempfile.TemporaryDirectory() as d:
        pts, bar = os.path.join(d, "pts.dat"), os.path.join(d, "bars.dat")
        with open(pts, "w") as f:  # labels staggered per CPU row so neighbours stay legible
            nth = {}
            for e in evs:
                k = nth[e["cpu"]] = nth.get(e["cpu"], -1) + 1
                f.write(f'{e["us"] - t0:.3f} {e["cpu"]} "{LABELS[e["event"]]}" {k % 5}\n')
        with open(bar, "w") as f:
            for x0, cpu, x1 in bars(evs, t0):
                f.write(f"{x0:.3f} {cpu} {x1 - x0:.3f}\n")
        ytics = ", ".join(f'"CPU {c}" {c}' for c in range(ncpu))
        gp = f"""
set terminal png size 1100,{180 + 130 * ncpu}
set output '{sys.argv[2]}'
set title "One TLB shootdown from the trace: CPU {events[first]['cpu']} initiates ({pub})" noenhanced
set xlabel "microseconds since shootdown_publish (QEMU TCG emulator time)" noenhanced
set ytics ({ytics})
set yrange [{ncpu - 0.4}:-0.6]
set grid xtics
set key bottom right
plot '{bar}' using 1:2:3:(0) with vectors nohead lw 12 lc rgb '#9ab8e0' title 'initiator waits / target in its IPI handler', \\
     '{pts}' using 1:2 with points pt 7 ps 1.3 lc rgb '#c03030' title 'phase', \\
     '{pts}' using 1:($2 - 0.16 - 0.13 * $4):3 with labels font ',9' noenhanced notitle
"""
        subprocess.run(["gnuplot"], input=gp, text=True, check=True)
    print(f"trace_plot: shootdown at {events[first]['ts']} s, {len(evs)} phases -> {sys.argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
