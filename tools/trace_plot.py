#!/usr/bin/env python3
"""Draw ONE shootdown from a flushlab ftrace text file as a PNG timeline.

One row per CPU. Bars: the initiator's wait for acknowledgements (exactly
the `wait_ns` that its shootdown_done line reports, ending at done) and each
target's time in its IPI handler (call_function_entry to _exit). Points:
every phase (local flush, publish, IPI sent, handler entry, request
received, flush, ack, done), labelled. Arrows: from each IPI sent to the
handler entry it caused, and from each target's ack to the initiator's
done. x: microseconds from the publish (emulator time). The title says the
protocol, how many CPUs were targets (a count; the trace's publish line
gives them as a hex CPU mask) and how many pages.

Usage: trace_plot.py TRACE.txt OUT.png [N] [--xrange LO:HI] [--note TEXT]
  N: which shootdown (0 = the first whose every phase is in the trace);
  --xrange: the x-axis in microseconds, to draw several shootdowns alike;
  --note: a line under the title (where the trace came from).
Every label is drawn noenhanced (gnuplot would read _ as a subscript).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace2json import fields, parse  # noqa: E402

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
    init, t1 = events[first]["cpu"], events[last]["us"]
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
    return sorted(picked, key=lambda e: e["us"]), events[first]["us"]


def mask_cpus(hexmask):
    """The CPUs of a trace's hex CPU mask (`e` = CPUs 1, 2, 3)."""
    bits = int(hexmask, 16)
    return [c for c in range(64) if bits >> c & 1]


def bars(evs, t0):
    """(x0, cpu, x1): the initiator's wait (wait_ns before done) and each
    target's handler entry..exit."""
    out, start = [], {}
    for e in evs:
        if e["event"] == "shootdown_done":
            wait_us = int(fields(e["args"])["wait_ns"]) / 1000.0
            out.append((e["us"] - t0 - wait_us, e["cpu"], e["us"] - t0))
        elif e["event"] == "call_function_entry":
            start[e["cpu"]] = e["us"]
        elif e["event"] == "call_function_exit" and e["cpu"] in start:
            out.append((start.pop(e["cpu"]) - t0, e["cpu"], e["us"] - t0))
    return out


def arrows(evs, t0):
    """(x0, y0, x1, y1): IPI sent -> that target's handler entry (or its
    first phase), and each target's ack -> the initiator's done."""
    first_on, sends, acks, done = {}, [], [], None
    for e in evs:
        if e["event"] == "shootdown_publish":
            continue
        first_on.setdefault(e["cpu"], e)
        if e["event"] == "ipi_send_cpu":
            sends.append((e, [int(fields(e["args"])["cpu"])]))
        elif e["event"] == "ipi_send_cpumask":
            sends.append((e, mask_cpus(fields(e["args"])["cpumask"])))
        elif e["event"] == "shootdown_ack":
            acks.append(e)
        elif e["event"] == "shootdown_done":
            done = e
    out = []
    for send, cpus in sends:
        for c in cpus:
            if c in first_on and first_on[c]["cpu"] != send["cpu"]:
                out.append((send["us"] - t0, send["cpu"], first_on[c]["us"] - t0, c))
    for a in acks:
        if done is not None:
            out.append((a["us"] - t0, a["cpu"], done["us"] - t0, done["cpu"]))
    return out


def title_of(pub):
    """`protocol=linux targets=e pages=28` -> words, the targets as a count."""
    f = fields(pub["args"])
    n = len(mask_cpus(f["targets"]))
    pages = "a full flush" if f["pages"] == "-1" else f"{f['pages']} pages"
    return (f"protocol {f['protocol']}: CPU {pub['cpu']} shoots down {pages} "
            f"on {n} other CPU{'s' if n != 1 else ''}")


def span(evs, t0):
    """The x extent of one shootdown's drawing (bars and points)."""
    xs = [e["us"] - t0 for e in evs] + [x for b in bars(evs, t0) for x in (b[0], b[2])]
    return min(xs), max(xs)


def draw(events, n, png, xrange=None, note=""):
    sds = shootdowns(events)
    first, last = sds[min(n, len(sds) - 1)]
    evs, t0 = window(events, first, last)
    ncpu = max(e["cpu"] for e in events) + 1
    lo, hi = xrange or span(evs, t0)
    pad = (hi - lo) * 0.04 or 1.0
    with tempfile.TemporaryDirectory() as d:
        pts, bar, arr = (os.path.join(d, n) for n in ("pts.dat", "bars.dat", "arrows.dat"))
        with open(pts, "w") as f:  # labels staggered per CPU row so neighbours stay legible
            nth = {}
            for e in evs:
                k = nth[e["cpu"]] = nth.get(e["cpu"], -1) + 1
                f.write(f'{e["us"] - t0:.3f} {e["cpu"]} "{LABELS[e["event"]]}" {k % 6}\n')
        with open(bar, "w") as f:
            for x0, cpu, x1 in bars(evs, t0):
                f.write(f"{x0:.3f} {cpu} {x1 - x0:.3f}\n")
        with open(arr, "w") as f:
            for x0, y0, x1, y1 in arrows(evs, t0):
                f.write(f"{x0:.3f} {y0} {x1 - x0:.3f} {y1 - y0}\n")
        ytics = ", ".join(f'"CPU {c}" {c}' for c in range(ncpu))
        sub = f"\\n{note}" if note else ""
        gp = f"""
set terminal png size 1200,{200 + 130 * ncpu} font ',10'
set output '{png}'
set title "{title_of(events[first])}{sub}" noenhanced
set xlabel "microseconds since shootdown_publish" noenhanced
set ytics ({ytics}) noenhanced
set xrange [{lo - pad}:{hi + 6 * pad}]
set yrange [{ncpu - 0.35}:-0.75]
set lmargin 9
set rmargin 4
set grid xtics
set key outside bottom center horizontal noenhanced
plot '{bar}' using 1:($2 - 0.12):3:(0) with vectors nohead lw 10 lc rgb '#9ab8e0' title 'initiator waits (wait_ns) / target in its IPI handler', \\
     '{arr}' using 1:2:3:4 with vectors head filled size screen 0.008,20 lw 1 lc rgb '#707070' title 'IPI to handler, ack to done', \\
     '{pts}' using 1:2 with points pt 7 ps 1.2 lc rgb '#c03030' title 'phase', \\
     '{pts}' using 1:($2 - 0.2 - 0.095 * $4):3 with labels left offset 0.3,0 font ',9' noenhanced notitle
"""
        subprocess.run(["gnuplot"], input=gp, text=True, check=True)
    return evs, events[first]


def main():
    args = sys.argv[1:]
    xrange, note = None, ""
    if "--xrange" in args:
        i = args.index("--xrange")
        xrange = tuple(float(v) for v in args[i + 1].split(":"))
        del args[i:i + 2]
    if "--note" in args:
        i = args.index("--note")
        note = args[i + 1]
        del args[i:i + 2]
    if len(args) < 2:
        print(__doc__)
        return 2
    events = parse(args[0])
    if not shootdowns(events):
        print("trace_plot: no complete shootdown in the trace", file=sys.stderr)
        return 1
    evs, pub = draw(events, int(args[2]) if len(args) > 2 else 0, args[1], xrange, note)
    print(f"trace_plot: shootdown at {pub['ts']} s, {len(evs)} phases -> {args[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
