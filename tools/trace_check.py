#!/usr/bin/env python3
"""Check text saved from /sys/kernel/tracing/trace against ftrace's format.

Rules (Linux kernel/trace/trace.c and trace_output.c for the nop tracer):
the `# tracer: nop` header block line for line; every event line laid out
as `%16s-%-7d [%03d] FLAGS %5lu.%06lu: EVENT: ARGS`; and every event line
accepted by the regex Perfetto's systrace importer tokenizes lines with
(src/trace_processor/importers/systrace/systrace_line_tokenizer.cc), which
trace-cmd-style tools share. Also: timestamps never go back (the CPUs are
merged) and the entries-in-buffer count matches the lines.

Usage: trace_check.py FILE   (exit 0: ok; 1: problems, each printed)
Also imported by tests/runner/run_tests.py (`#! ftrace: check`).
"""
import re
import sys

HEADER = [
    "# tracer: nop",
    "#",
    None,  # entries line, below
    "#",
    "#                                _-----=> irqs-off/BH-disabled",
    "#                               / _----=> need-resched",
    "#                              | / _---=> hardirq/softirq",
    "#                              || / _--=> preempt-depth",
    "#                              ||| / _-=> migrate-disable",
    "#                              |||| /     delay",
    "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
    "#              | |         |   |||||     |         |",
]
ENTRIES = re.compile(r"^# entries-in-buffer/entries-written: (\d+)/(\d+)   #P:(\d+)$")

# Perfetto's tokenizer regex (POSIX form), searched anywhere in the line.
PERFETTO = re.compile(
    r"-([0-9]+)[ \t]+\(?[ \t]*([0-9]+|-+)?\)?[ \t]?\[([0-9]+)\][ \t]*"
    r"([a-zA-Z.]{3}[0-9a-f.]{1,2}[ \t]*)?([0-9]+\.[0-9]+):[ \t]+([^ \t]+):")

# ftrace's own layout: comm right-aligned in 16, pid left-aligned in 7.
FTRACE = re.compile(
    r"^(?P<comm>.{16})-(?P<pid>\d+) *\[(?P<cpu>\d{3})\] "
    r"(?P<flags>[dDbBX.][NnpPbB.][hHsSzZ.][0-9a-f.][0-9a-f.]) "
    r"(?P<secs> *\d+)\.(?P<us>\d{6}): (?P<event>\w+): (?P<args>.*)$")


def extract(text):
    """Every trace block in console text: from `# tracer:` to the first other line."""
    blocks, cur = [], None
    for line in text.replace("\r", "").split("\n"):
        if line.startswith("# tracer: "):
            cur = [line]
            blocks.append(cur)
        elif cur is not None and (line.startswith("#") or PERFETTO.search(line)):
            cur.append(line)
        else:
            cur = None
    return blocks


def check_event_line(line, n):
    probs = []
    if not PERFETTO.search(line):
        probs.append(f"line {n}: Perfetto's systrace regex does not match: {line!r}")
    m = FTRACE.match(line)
    if not m:
        probs.append(f"line {n}: not ftrace's TASK-PID [CPU] FLAGS TIMESTAMP layout: {line!r}")
        return probs, None
    pid = m.group("pid")
    if len(pid) < 7 and line[17 + len(pid):17 + 7] != " " * (7 - len(pid)):
        probs.append(f"line {n}: pid not padded to 7 columns")
    if len(m.group("secs")) < 5:
        probs.append(f"line {n}: seconds not right-aligned in 5 columns")
    return probs, float(m.group("secs") + "." + m.group("us"))


def check_block(lines):
    """Problems of one trace block (header + event lines), as strings."""
    probs = []
    if len(lines) < len(HEADER):
        return [f"header has {len(lines)} lines, ftrace's has {len(HEADER)}"]
    for i, want in enumerate(HEADER):
        if want is None:
            if not ENTRIES.match(lines[i]):
                probs.append(f"line {i + 1}: not an entries line: {lines[i]!r}")
        elif lines[i] != want:
            probs.append(f"line {i + 1}: {lines[i]!r} is not ftrace's {want!r}")
    events, last = lines[len(HEADER):], -1.0
    for n, line in enumerate(events, len(HEADER) + 1):
        p, ts = check_event_line(line, n)
        probs += p
        if ts is not None and ts < last:
            probs.append(f"line {n}: timestamp {ts} goes back from {last}")
        last = ts if ts is not None else last
    m = ENTRIES.match(lines[2])
    if m and int(m.group(1)) != len(events):
        probs.append(f"header says {m.group(1)} entries, {len(events)} event lines follow")
    return probs


def check_text(text):
    blocks = extract(text)
    if not blocks:
        return ["no `# tracer:` block found"]
    return [p for b in blocks for p in check_block(b)]


def main():
    with open(sys.argv[1], errors="replace") as f:
        probs = check_text(f.read())
    for p in probs:
        print(p)
    print(f"trace_check: {'ok' if not probs else f'{len(probs)} problems'}")
    return 1 if probs else 0


if __name__ == "__main__":
    sys.exit(main())
