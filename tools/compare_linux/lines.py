"""A compare script's lines, and the two boot scripts made from them.

The script is flushlab's console language. Each line is one of:
  program  `NAME args...` where NAME is a user/ program (or a BIN= one):
           measured on both kernels;
  timed    `time echo VALUE > PATH` on a knob Linux shares: measured on both
           (real_ms, between two trace_marker writes), e.g. the HVO grow/shrink pair;
  knob     `echo VALUE > PATH` on a knob Linux shares: run on both, not measured;
  flushlab anything else (flushlab's own knobs under /sys/kernel/debug/flushlab/,
           bench, selftest, ...): run on flushlab only, and listed as such.
Every measured line is wrapped the same way on both kernels: /proc/interrupts
and /proc/vmstat read, the trace cleared and switched on, the line run, the
trace switched off, the two files read again, the trace printed; all between
marker lines the parser finds (parse.py).
"""
import os
import re

T = "/sys/kernel/tracing"
FLUSHLAB_ONLY_PREFIX = "/sys/kernel/debug/flushlab/"
# The events flushlab emits in ftrace's format (docs/tracing.md), by Linux's names.
EVENTS = ("tlb/tlb_flush", "ipi", "irq_vectors/call_function_entry",
          "irq_vectors/call_function_exit", "irq_vectors/call_function_single_entry",
          "irq_vectors/call_function_single_exit")
# Linux's own: which function each cross-CPU call ran (csd:csd_function_entry,
# since 6.4), so the table can name the function behind Linux's extra IPIs.
LINUX_ONLY_EVENTS = ("csd/csd_function_entry",)
BEGIN, TRACE, END = "===CMP-BEGIN", "===CMP-TRACE", "===CMP-END"
ECHO = re.compile(r"^echo\s+(\S+)\s*>\s*(\S+)$")


class Line:
    def __init__(self, number, text, kind):
        self.number, self.text, self.kind = number, text, kind
        self.label = text  # what the table calls it (label_duplicates)

    @property
    def measured(self):
        return self.kind in ("program", "timed")


def classify(text, programs):
    """One script line's kind (see the module comment), or None to skip it."""
    words = text.split()
    if not words or words[0].startswith("#"):
        return None
    if words[0] == "time" and ECHO.match(" ".join(words[1:])):
        path = ECHO.match(" ".join(words[1:])).group(2)
        return "flushlab" if path.startswith(FLUSHLAB_ONLY_PREFIX) else "timed"
    if ECHO.match(text):
        path = ECHO.match(text).group(2)
        return "flushlab" if path.startswith(FLUSHLAB_ONLY_PREFIX) else "knob"
    if words[0] in programs:
        return "program"
    return "flushlab"


def too_many_threads(text, cpus):
    """A program line asking for threads=K above the boot's CPU count."""
    m = re.search(r"(?:^|\s)threads=(\d+)(?:\s|$)", text)
    return bool(m) and int(m.group(1)) > cpus


def read_script(path, programs, cpus):
    """The script's lines as Line objects (comments, blank lines and program
    lines with threads=K above @cpus left out: the K = 1..N of a script
    written for the largest N)."""
    out = []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            text = raw.split(" #")[0].strip() if not raw.lstrip().startswith("#") else ""
            kind = classify(text, programs)
            if kind == "program" and too_many_threads(text, cpus):
                continue
            if kind:
                out.append(Line(n, text, kind))
    label_duplicates(out)
    return out


def label_duplicates(lines):
    """Lines of the same text (largepages3 under THP always, then never) get
    the knob writes in force that tell them apart, e.g. `[enabled=never]`."""
    knobs, seen = {}, {}
    for line in lines:
        m = ECHO.match(line.text)
        if line.kind in ("knob", "flushlab") and m:
            knobs[m.group(2)] = m.group(1)
        line.knobs = dict(knobs)
        seen.setdefault(line.text, []).append(line)
    for same in seen.values():
        if len(same) < 2 or not same[0].measured:
            continue
        paths = [p for p in set().union(*(l.knobs for l in same))
                 if len({l.knobs.get(p) for l in same}) > 1]
        for line in same:
            tags = " ".join(f"{os.path.basename(p)}={line.knobs.get(p, '-')}" for p in sorted(paths))
            line.label = f"{line.text} [{tags or 'line ' + str(line.number)}]"


def _wrap(line, body, enable_lines):
    return [f"echo {BEGIN} {line.number}===", "cat /proc/interrupts", "cat /proc/vmstat",
            f"echo > {T}/trace", f"echo 1 > {T}/tracing_on", body,
            f"echo 0 > {T}/tracing_on", "cat /proc/interrupts", "cat /proc/vmstat",
            f"echo {TRACE} {line.number}===", f"cat {T}/trace", f"echo {END} {line.number}==="]


MARK_BEGIN, MARK_END = "compare-begin", "compare-end"


def timed(cmd):
    """A timed line's body: trace markers around it, so both kernels' times
    come from their own trace clock, with no fork in between (parse.py)."""
    return (f"echo {MARK_BEGIN} > {T}/trace_marker\n{cmd}\n"
            f"echo {MARK_END} > {T}/trace_marker")


def flushlab_script(lines):
    """flushlab's console script for one boot."""
    out = [f"echo 0 > {T}/tracing_on", f"echo 4096 > {T}/buffer_size_kb",
           f"echo 1 > {T}/events/tlb/enable", f"echo 1 > {T}/events/ipi/enable",
           f"echo 1 > {T}/events/irq_vectors/call_function_entry/enable",
           f"echo 1 > {T}/events/irq_vectors/call_function_exit/enable"]
    for line in lines:
        body = timed(line.text) if line.kind == "timed" else line.text
        out += _wrap(line, body, None) if line.measured else [line.text]
    return "\n".join(out) + "\n"


def linux_command(line):
    """The sh form of a line for the Linux init (None: not run on Linux)."""
    if line.kind == "program":
        return "/bin/" + line.text
    if line.kind == "knob":
        m = ECHO.match(line.text)
        return f"echo {m.group(1)} > {m.group(2)} || echo 'compare: {m.group(2)}: refused'"
    if line.kind == "timed":  # no `time`: busybox's would fork a shell inside the timing
        return timed(line.text.split(None, 1)[1])
    return None


INIT_HEAD = """#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs {T} 2>/dev/null
echo 0 > {T}/tracing_on
echo 4096 > {T}/buffer_size_kb
for e in {events}; do
  if [ -e {T}/events/$e/enable ]; then echo 1 > {T}/events/$e/enable;
  else echo "compare: event $e: not on this kernel"; fi
done
echo "compare: cmdline: $(cat /proc/cmdline)"
echo "compare: thp: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
echo "compare: string-op flags:" $(grep -m1 -o -w -E 'erms|rep_good|fsrm|fsrs' /proc/cpuinfo)
"""


def linux_init(lines):
    """The /init of the Linux initramfs: the lines, then power off."""
    out = [INIT_HEAD.format(T=T, events=" ".join(EVENTS + LINUX_ONLY_EVENTS))]
    for line in lines:
        cmd = linux_command(line)
        if cmd is None:
            continue
        out += _wrap(line, cmd, None) if line.measured else [cmd]
    out += ["echo ===CMP-DONE===", "sync", "poweroff -f"]
    return "\n".join(out) + "\n"


def programs_available(user_linux_dir, extra_bins=()):
    names = set(os.listdir(user_linux_dir)) if os.path.isdir(user_linux_dir) else set()
    return names | {os.path.basename(b) for b in extra_bins}
