#!/usr/bin/env python3
"""`make trace SCRIPT=path`: run a console script with tracing on around it.

Boots once (SMP, MEM, ACCEL from the environment), with the script wrapped:
before it, a 1 MiB ring per CPU, the tlb, ipi, call_function and flushlab
events on, the buffer cleared and tracing_on=1; after it, tracing_on=0 and
the `trace` file printed between two marker lines. Then, for NAME (the
script's name without `trace-` and `.fl`):
  results/trace-NAME.txt   the trace text, as /sys/kernel/tracing/trace gave it
  results/trace-NAME.json  Chrome trace-event JSON (tools/trace2json.py)
  results/trace-NAME.png   one shootdown, one row per CPU (tools/trace_plot.py)
The text is checked with tools/trace_check.py first. Exit status: the
script's, or 1 if the trace is missing or malformed.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import flushlab_qemu  # noqa: E402
import trace_check  # noqa: E402

T = "/sys/kernel/tracing"
BEFORE = f"""echo 0 > {T}/tracing_on
echo 1024 > {T}/buffer_size_kb
echo 1 > {T}/events/tlb/enable
echo 1 > {T}/events/ipi/enable
echo 1 > {T}/events/irq_vectors/call_function_entry/enable
echo 1 > {T}/events/irq_vectors/call_function_exit/enable
echo 1 > {T}/events/flushlab/enable
echo > {T}/trace
echo 1 > {T}/tracing_on
"""
BEGIN, END = "===TRACE-BEGIN===", "===TRACE-END==="
AFTER = f"""echo 0 > {T}/tracing_on
echo {BEGIN}
cat {T}/trace
echo {END}
"""


def extract(out):
    """The trace text between the markers, without the console's echoed commands."""
    lines = out.replace("\r", "").split("\n")
    try:
        a, b = lines.index(BEGIN), lines.index(END)
    except ValueError:
        return None
    return "\n".join(l for l in lines[a + 1:b] if not l.startswith("flushlab# ")) + "\n"


def main():
    script = sys.argv[1] if len(sys.argv) > 1 else "scripts/trace-hugetlb.fl"
    name = os.path.basename(script)
    name = name[:-3] if name.endswith(".fl") else name
    name = name[6:] if name.startswith("trace-") else name
    with open(script) as f:
        body = f.read()
    status, out = flushlab_qemu.boot(BEFORE + body + AFTER, smp=int(os.environ.get("SMP") or "4"),
                                     mem=os.environ.get("MEM") or "1G",
                                     accel=os.environ.get("ACCEL", "tcg"),
                                     timeout=int(os.environ.get("TIMEOUT", "600")), echo=False)
    text = extract(out)
    if text is None:
        print(out[-3000:])
        print("trace_run: no trace in the console output", file=sys.stderr)
        return 1
    res = os.path.join(ROOT, "results")
    os.makedirs(res, exist_ok=True)
    base = os.path.join(res, f"trace-{name}")
    with open(base + ".txt", "w") as f:
        f.write(text)
    problems = trace_check.check_text(text)
    for p in problems[:20]:
        print("trace_check:", p)
    print(f"trace_run: {base}.txt: {text.count(chr(10))} lines, "
          f"format {'ok' if not problems else 'BAD'}; script status {status}")
    subprocess.run([sys.executable, os.path.join(HERE, "trace2json.py"), base + ".txt",
                    base + ".json"], check=True)
    subprocess.run([sys.executable, os.path.join(HERE, "trace_plot.py"), base + ".txt",
                    base + ".png"], check=False)
    return 1 if problems else status


if __name__ == "__main__":
    sys.exit(main())
