#!/usr/bin/env python3
"""Turn a flushlab ftrace text file into Chrome trace-event JSON.

Perfetto's UI (ui.perfetto.dev) and chrome://tracing open the result: one
process "flushlab", one track (thread) per CPU; slices for the shootdown
phases (an initiator's publish..done, a target's handler entry..exit and
its received..ack), instants for every other event, args kept as fields.

Usage: trace2json.py TRACE.txt OUT.json
"""
import json
import re
import sys

LINE = re.compile(r"^\s*(?P<task>.+)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?P<flags>\S{5})\s+"
                  r"(?P<ts>\d+\.\d+):\s+(?P<event>\w+):\s?(?P<args>.*)$")
SHOOTDOWN_VECTOR = 251


def parse(path):
    """The trace's event lines as dicts, in file order."""
    events = []
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\r\n"))
            if m:
                d = m.groupdict()
                d["cpu"] = int(d["cpu"])
                d["us"] = float(d["ts"]) * 1e6
                events.append(d)
    return events


def fields(args):
    """An event's `key=value` fields as a dict, and its whole text."""
    out = dict(re.findall(r"(\w+)=(\S+)", args))
    out["text"] = args
    return out


def slice_ev(name, cpu, start, end, args):
    return {"name": name, "ph": "X", "pid": 0, "tid": cpu, "ts": start,
            "dur": max(end - start, 0.0), "args": args}


def instant(e):
    name = e["event"]
    if name == "tracing_mark_write":
        name = "marker: " + e["args"]
    return {"name": name, "ph": "i", "s": "t", "pid": 0, "tid": e["cpu"], "ts": e["us"],
            "args": {"text": e["args"], "flags": e["flags"], "task": e["task"].strip()}}


def pair_slices(events):
    """Slices from begin/end event pairs on one CPU (innermost first on each)."""
    pairs = {"shootdown_publish": ("shootdown_done", "shootdown ({protocol})"),
             "call_function_entry": ("call_function_exit", "{handler}"),
             "local_timer_entry": ("local_timer_exit", "timer tick"),
             "shootdown_received": ("shootdown_ack", "serve request")}
    ends = {v[0]: k for k, v in pairs.items()}
    open_, out = {}, []
    for e in events:
        ev, cpu = e["event"], e["cpu"]
        if ev in pairs:
            open_[(cpu, ev)] = e
        elif ev in ends and (cpu, ends[ev]) in open_:
            b = open_.pop((cpu, ends[ev]))
            f = fields(b["args"])
            f.update({"end_" + k: v for k, v in fields(e["args"]).items()})
            vec = int(f.get("vector", 0) or 0)
            handler = "shootdown IPI handler" if vec == SHOOTDOWN_VECTOR else "call function IPI handler"
            name = pairs[ends[ev]][1].format(protocol=f.get("protocol", "?"), handler=handler)
            out.append(slice_ev(name, cpu, b["us"], e["us"], f))
    return out


def convert(events):
    cpus = sorted({e["cpu"] for e in events})
    meta = [{"name": "process_name", "ph": "M", "pid": 0, "args": {"name": "flushlab"}}]
    for c in cpus:
        meta.append({"name": "thread_name", "ph": "M", "pid": 0, "tid": c,
                     "args": {"name": f"CPU {c}"}})
        meta.append({"name": "thread_sort_index", "ph": "M", "pid": 0, "tid": c,
                     "args": {"sort_index": c}})
    return {"traceEvents": meta + pair_slices(events) + [instant(e) for e in events],
            "displayTimeUnit": "ns",
            "otherData": {"source": "flushlab /sys/kernel/tracing/trace"}}


def validate(doc):
    """Problems against the trace-event format's required fields (none: [])."""
    probs = []
    for e in doc["traceEvents"]:
        if not {"name", "ph", "pid"} <= e.keys():
            probs.append(f"missing name/ph/pid: {e}")
        elif e["ph"] in "Xi" and not ({"tid", "ts"} <= e.keys()):
            probs.append(f"missing tid/ts: {e}")
        elif e["ph"] == "X" and not e.get("dur", -1) >= 0:
            probs.append(f"slice without a duration: {e}")
    return probs


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    events = parse(sys.argv[1])
    if not events:
        print(f"trace2json: no event lines in {sys.argv[1]}", file=sys.stderr)
        return 1
    doc = convert(events)
    probs = validate(doc)
    for p in probs[:10]:
        print("trace2json:", p, file=sys.stderr)
    if probs:
        return 1
    with open(sys.argv[2], "w") as f:
        json.dump(doc, f, indent=0)
    json.load(open(sys.argv[2]))  # it reads back
    print(f"trace2json: {len(events)} events -> {sys.argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
