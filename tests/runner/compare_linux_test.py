"""make compare-linux keeps working (part of make test, tier tooling;
docs/compare-linux.md; alone: run_tests.py -k 'compare/*').

- compare/parser: the one trace parser and the crash catcher on canned
  console text (no boot): counts of a flushlab and a Linux trace, a crash
  inside a line shown as a crash, a figure only one kernel has as n/a (and
  the figures of an event the kernel lacks, as Linux 6.1 lacks ipi:*).
- compare/smp2: a small compare run, one boot of each kernel at -smp 2
  (madv_touch threads=2, iters=10): both kernels measured; flushlab's trace,
  ledger and the program's own counts agree; a busy CPU receives exactly two
  flushes per op on flushlab (the drop, and the write that breaks the zero
  page the read mapped, as Linux does) and at least one on Linux. SKIPped, with the
  reason, when Debian's registry cannot be reached and no kernel is cached.
"""
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "compare_linux"))
import lines as cmp_lines  # noqa: E402
import parse as cmp_parse  # noqa: E402
import table as cmp_table  # noqa: E402

FLUSHLAB_TRACE = """===CMP-BEGIN 1===
TLB:          5          7   TLB shootdowns
===CMP-TRACE 1===
# tracer: nop
#
# entries-in-buffer/entries-written: 5/5   #P:4
      madv_touch-3       [001] .....     1.000000: tlb_flush: pages:1 reason:remote ipi send (4)
      madv_touch-3       [001] d....     1.000001: ipi_send_cpumask: cpumask=d callsite=a+0x1/0x2 callback=b+0x0/0x1
          <idle>-0       [002] d.h1.     1.000002: call_function_entry: vector=251
          <idle>-0       [002] d.h1.     1.000003: tlb_flush: pages:1 reason:remote shootdown (1)
      madv_touch-3       [001] d....     1.000004: ipi_send_cpu: cpu=3 callsite=a+0x1/0x2 callback=b+0x0/0x1
===CMP-END 1===
"""
LINUX_CRASH = """===CMP-BEGIN 1===
# bench madv_touch accel=linux cpus=2 threads=2 iters=10 ns_per_op_median=5 received_per_op=-1
[    9.1] BUG: kernel NULL pointer dereference, address: 0000000000000008
[    9.2] Oops: 0002 [#1] PREEMPT SMP NOPTI
"""


def check_parser(res):
    segs = cmp_parse.split_segments(FLUSHLAB_TRACE)
    figs = cmp_parse.segment_figures(segs[1])
    want = {"trace_remote_flushes_per_op": 1, "trace_received_per_op": 1,
            "trace_ipis_sent_per_op": 4, "trace_irqs_received_per_op": 1}
    got = {k: figs.get(k) for k in want}
    res.record("compare/parser-counts", got == want, f"{got} != {want}")
    line = cmp_lines.Line(1, "madv_touch threads=2 iters=10", "program")
    crash = cmp_parse.split_segments(LINUX_CRASH)[1]
    results = {"flushlab": {1: [figs]},
               "linux": {1: ["crash"] if cmp_parse.crashes("\n".join(crash)) else []}}
    rows = {r["figure"]: r for r in cmp_table.rows([line], results, "linux")}
    ok = rows["trace_received_per_op"]["linux"] == "crash (boot 1)"
    res.record("compare/parser-crash", ok, f"a crashed line shows {rows['trace_received_per_op']}")
    gone = cmp_parse.unavailable_figures("compare: event ipi: not on this kernel\r\n")
    res.record("compare/parser-missing-event", "trace_ipis_sent_per_op" in gone
               and "trace_received_per_op" not in gone, f"a kernel without ipi:* loses {gone}")
    results["linux"] = {1: [{"ns_per_op_median": 5.0}]}
    rows = {r["figure"]: r for r in cmp_table.rows([line], results, "linux")}
    res.record("compare/parser-n/a", rows["trace_received_per_op"]["linux"] == "n/a on linux",
               f"a figure Linux lacks shows {rows['trace_received_per_op']['linux']!r}")


def values(path, figure):
    out = {"flushlab": [], "linux": []}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["figure"] == figure:
                out[row["kernel"]].append(float(row["value"]))
    return out


def run_small(res, ctx):
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "compare-test.fl")
        with open(script, "w") as f:
            f.write("madv_touch threads=2 iters=10\n")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "compare_linux"),
                            "--script", script, "--smp", "2", "--mem", "512M", "--boots", "1",
                            "--out", tmp, "--timeout", "240"],
                           capture_output=True, text=True, timeout=900)
        ctx.save_log("compare-smp2", p.stdout + p.stderr)
        if p.returncode == 77:
            res.record("compare/smp2", True, p.stdout.strip().splitlines()[-1], skip=True)
            return
        if p.returncode != 0:
            res.record("compare/smp2", False, f"exit status {p.returncode}: "
                       f"{(p.stdout + p.stderr).strip().splitlines()[-1:]}")
            return
        csv_path = os.path.join(tmp, "compare-test-smp2.csv")
        rec = values(csv_path, "trace_received_per_op")
        # At -smp 2 the one other CPU may be lazy (idle on the console's mm)
        # when madv_touch flushes: the flush then skips it (a lazy CPU
        # catches up on resume), so each of the op's two flushes is received
        # or lazily skipped.
        lazy = values(csv_path, "lazy_skipped_per_op")["flushlab"] or [0.0]
        ok = (len(rec["flushlab"]) == 1 and abs(rec["flushlab"][0] + lazy[0] - 2.0) < 0.001
              and len(rec["linux"]) == 1 and rec["linux"][0] >= 1)
        res.record("compare/smp2-received", ok, f"received per op {rec}, lazily skipped {lazy}")
        ledger = "0 differ" in p.stdout and " 0 comparisons" not in p.stdout
        res.record("compare/smp2-trace-is-ledger", ledger,
                   "flushlab's trace and ledger differ: see build/test-logs/compare-smp2.log")


def cases():
    """(name, function(res, ctx)) for tests/runner/run_tests.py's table."""
    return [("compare/parser", lambda res, ctx: check_parser(res)),
            ("compare/smp2", run_small)]
