"""One parser for both kernels' console output.

Each measured line's segment (between lines.BEGIN and lines.END) gives:
- the program's own `# bench` key=values (numbers only; -1 is a counter the
  program could not read on that kernel: not a figure there);
- real_ms of a `time` line: from the trace clock, between the two
  tracing_mark_write events lines.py puts around it (both kernels), and
  console_real_ms from flushlab's own `real 0m0.123s`;
- from the trace, parsed with tools/trace2json.py's line regex, per op:
    trace_remote_flushes  tlb_flush `reason:remote ipi send` (Linux:
                          native_flush_tlb_multi; flushlab: flush_tlb_mm_range)
    trace_received        tlb_flush `reason:remote shootdown` (a CPU flushing
                          for another: Linux's flush_tlb_func when !local)
    trace_ipis_sent       CPUs named by ipi_send_cpu / ipi_send_cpumask (every
                          IPI, reschedule and wake-up ones included)
    trace_irqs_received   call_function_entry + call_function_single_entry
    trace_ipi_delivery_us_median  (not per op) from an IPI sent to a CPU to
                          that CPU's next call_function*_entry: how long the
                          target took to take it (under TCG: whether the host
                          was running its vCPU)
    csd_FUNC              Linux only (csd:csd_function_entry): functions run by
                          on_each_cpu and friends, the caller's own run included (flush_tlb_func, do_flush_tlb_all,
                          tlb_remove_table_smp_sync, ...)
- /proc/interrupts' TLB row (all CPUs) and /proc/vmstat nr_tlb_* deltas, per op.
A figure a kernel cannot give is absent, never zero (the table says "n/a").
An op is one iters= iteration of the bench line (reps= if it has none), or
the whole line.
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import trace2json  # noqa: E402
from lines import BEGIN, TRACE, END, MARK_BEGIN, MARK_END  # noqa: E402

CRASH = re.compile(r"(Oops|BUG:|Kernel panic|general protection fault|WARNING: CPU|"
                   r"Call Trace:|kernel BUG at)")
BENCH = re.compile(r"^# bench (\S+) (.*)$")
REAL = re.compile(r"^real\s+(\d+)m\s*([\d.]+)s")
ENTRIES = re.compile(r"^# entries-in-buffer/entries-written: (\d+)/(\d+)")
# Keys that say what was run, not what was measured.
IDENTITY = {"accel", "cpus", "protocol", "threads", "iters", "mode", "cpu", "pages", "size",
            "reps", "thp", "scheme", "path", "dev", "align", "pcid", "hvo"}


def mask_cpus(mask):
    """CPUs of an ipi_send_cpumask mask: hex words (flushlab, Linux) or a list."""
    if re.fullmatch(r"[0-9a-fA-F,]+", mask):
        bits = int(mask.replace(",", ""), 16)
        return [c for c in range(bits.bit_length()) if bits >> c & 1]
    cpus = []
    for part in mask.split(","):
        a, _, b = part.partition("-")
        cpus += range(int(a), int(b or a) + 1)
    return cpus


def cpu_count(mask):
    return len(mask_cpus(mask))


def trace_counts(text):
    """Counts of the trace events named in the module comment; None if no trace."""
    c = {"trace_remote_flushes": 0, "trace_received": 0, "trace_ipis_sent": 0,
         "trace_irqs_received": 0}
    seen, lost, marks, pending, delays = False, False, {}, {}, []
    for line in text.split("\n"):
        m = ENTRIES.match(line)
        if m:
            seen, lost = True, int(m.group(1)) < int(m.group(2))
            continue
        m = trace2json.LINE.match(line)
        if not m:
            continue
        ev, args, ts = m.group("event"), m.group("args"), float(m.group("ts"))
        if ev == "tlb_flush" and "reason:remote ipi send" in args:
            c["trace_remote_flushes"] += 1
        elif ev == "tlb_flush" and "reason:remote shootdown" in args:
            c["trace_received"] += 1
        elif ev == "ipi_send_cpu":
            c["trace_ipis_sent"] += 1
            pending.setdefault(int(trace2json.fields(args).get("cpu", "-1")), ts)
        elif ev == "ipi_send_cpumask":
            mask = trace2json.fields(args).get("cpumask", "0")
            c["trace_ipis_sent"] += cpu_count(mask)
            for cpu in mask_cpus(mask):
                pending.setdefault(cpu, ts)
        elif ev in ("call_function_entry", "call_function_single_entry"):
            c["trace_irqs_received"] += 1
            if m.group("cpu") and int(m.group("cpu")) in pending:
                delays.append((ts - pending.pop(int(m.group("cpu")))) * 1e6)
        elif ev == "csd_function_entry":
            func = re.sub(r"\+0x.*", "", trace2json.fields(args).get("func", "?").rstrip(","))
            c[f"csd_{func}"] = c.get(f"csd_{func}", 0) + 1
        elif ev == "tracing_mark_write" and args.strip() in (MARK_BEGIN, MARK_END):
            marks[args.strip()] = float(m.group("ts"))
    if not seen:
        return None
    if lost:
        c["trace_lost"] = 1
    if delays:
        c["trace_ipi_delivery_us_median"] = statistics.median(delays)
    if MARK_BEGIN in marks and MARK_END in marks:
        c["real_ms"] = (marks[MARK_END] - marks[MARK_BEGIN]) * 1000
    return c


def interrupts_tlb(text):
    for line in text.split("\n"):
        parts = line.split()
        if parts and parts[0] == "TLB:":
            return sum(int(p) for p in parts[1:] if p.isdigit())
    return None


def vmstat_tlb(text):
    return {k: int(v) for k, v in re.findall(r"^(nr_tlb_\w+) (\d+)$", text, re.M)}


def bench_figures(segment):
    figs, ops = {}, None
    for line in segment:
        m = BENCH.match(line)
        if m:
            kv = dict(re.findall(r"(\w+)=(\S+)", m.group(2)))
            ops = ops or int(kv.get("iters", kv.get("reps", "1")) or 1)
            for k, v in kv.items():
                if k in IDENTITY or not re.fullmatch(r"-?\d+(\.\d+)?", v):
                    continue
                if float(v) != -1:
                    figs[k] = float(v)
        m = REAL.match(line)
        if m:
            figs["console_real_ms"] = (int(m.group(1)) * 60 + float(m.group(2))) * 1000
    return figs, ops or 1


def segment_figures(segment):
    """Figures of one measured line's console segment (list of lines)."""
    try:
        t = next(i for i, l in enumerate(segment) if l.startswith(TRACE))
    except StopIteration:
        return None
    head, trace = segment[:t], "\n".join(segment[t + 1:])
    figs, ops = bench_figures(head)
    figs["_ops"] = ops  # not a figure: for notes.ledger_check
    tlb_rows = [interrupts_tlb(l) for l in head if l.split()[:1] == ["TLB:"]]
    if len(tlb_rows) >= 2 and None not in tlb_rows[:2]:
        figs["irq_tlb_row_per_op"] = (tlb_rows[-1] - tlb_rows[0]) / ops
    stat_at = [i for i, l in enumerate(head) if l.startswith("nr_tlb_")]
    if stat_at:
        half = len(stat_at) // 2
        a = vmstat_tlb("\n".join(head[stat_at[0]:stat_at[half - 1] + 1])) if half else {}
        b = vmstat_tlb("\n".join(head[stat_at[half]:stat_at[-1] + 1]))
        for k in a:
            if k in b:
                figs[f"vmstat_{k}_per_op"] = (b[k] - a[k]) / ops
    counts = trace_counts(trace)
    if counts:
        for k, v in counts.items():
            per_line = k in ("trace_lost", "real_ms", "trace_ipi_delivery_us_median")
            figs[k if per_line else f"{k}_per_op"] = v if per_line else v / ops
    return figs


def split_segments(out):
    """{line number: (segment lines, crash text or None)} of one boot's console."""
    lines = out.replace("\r", "").split("\n")
    segs, cur, num = {}, None, None
    for l in lines:
        if l.startswith(BEGIN):
            num, cur = int(l[len(BEGIN):].strip(" =")), []
            continue
        if l.startswith(END) and cur is not None:
            segs[num] = cur
            cur = None
            continue
        if cur is not None:
            cur.append(l)
    if cur is not None:  # the boot ended inside this line
        segs[num] = cur
    return segs


# The figures each trace event gives: gone (n/a) when the kernel lacks the
# event, which the Linux init reports as `compare: event E: not on this kernel`.
EVENT_FIGURES = {
    "tlb/tlb_flush": ("trace_remote_flushes_per_op", "trace_received_per_op"),
    "ipi": ("trace_ipis_sent_per_op", "trace_ipi_delivery_us_median"),
    "irq_vectors/call_function_entry": ("trace_irqs_received_per_op",
                                        "trace_ipi_delivery_us_median"),
}
MISSING_EVENT = re.compile(r"^compare: event (\S+): not on this kernel", re.M)


def unavailable_figures(out):
    """Figures a boot's kernel cannot give, from its console text."""
    gone = set()
    for event in MISSING_EVENT.findall(out.replace("\r", "")):
        gone.update(EVENT_FIGURES.get(event, ()))
    return gone


def crashes(text):
    """The console lines that show a Linux crash (empty: none)."""
    return [l for l in text.replace("\r", "").split("\n") if CRASH.search(l)
            and not l.startswith("compare:")]
