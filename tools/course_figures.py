#!/usr/bin/env python3
"""`make course-figures`: the real runs and pictures behind docs/tlb.md.

Four short boots (each a few seconds under TCG), everything saved under
results/course/:
  guided-session.txt   tests/scripts/course-guided.fl at -smp 2, as the
                       console printed it (the doc's guided session; the
                       script's `#! expect:` lines keep its counts true)
  exercises.txt        tests/scripts/course-exercises.fl at -smp 4: the
                       answers to the doc's ten exercises
  trace-protocols.txt  -smp 4: one listed shootdown (4 huge pages' 28
                       vmemmap addresses) under each shootdown protocol, traced
  shootdown-PROTO.png  that shootdown, one row per CPU (tools/trace_plot.py)
  vmemmap.txt          -smp 1: `hugepage vmemmap` and the vmemmap part of
                       /sys/kernel/debug/page_tables/kernel, HVO off then on
  vmemmap-hvo.png      two huge pages' 8 vmemmap pages each and the frames
                       they map, HVO off and on, drawn from vmemmap.txt
Then tools/shootdown_summary.py makes results/shootdown-summary.md and
results/shootdown_protocols.png from results/shootdown.csv (make bench's).
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import flushlab_qemu  # noqa: E402
import trace_check  # noqa: E402
import trace_plot  # noqa: E402
from trace2json import parse  # noqa: E402

OUT = os.path.join(ROOT, "results", "course")
T = "/sys/kernel/tracing"
PROTOCOLS = ("linux", "broadcast", "concurrent", "early_ack", "cacheline")
BEGIN, END = "===TRACE-BEGIN===", "===TRACE-END==="


def console(out):
    """The console part of a boot's output: from the first command on."""
    out = out.replace("\r", "")
    start = out.find("flushlab# ")
    return out[start:] if start >= 0 else out


def boot(script, smp, mem):
    status, out = flushlab_qemu.boot(script, smp=smp, mem=mem, timeout=300, echo=False)
    if status != 0:
        print(console(out)[-3000:])
        raise SystemExit(f"course_figures: the -smp {smp} boot ended with status {status}")
    return console(out)


def script_test(name, smp, mem, out):
    """Run tests/scripts/NAME.fl and save what the console printed, the
    script's own comment lines left out."""
    with open(os.path.join(ROOT, "tests", "scripts", name + ".fl")) as f:
        script = f.read()
    text = boot(script, smp, mem)
    save(out, re.sub(r"^flushlab# #.*\n", "", text, flags=re.M))


def protocols_script():
    """Split the vmemmap first (untraced), then one 4-page grow per protocol."""
    lines = ["echo precise > /proc/sys/vm/hugetlb_vmemmap_flush_strategy",
             "echo 1 > /proc/sys/vm/hugetlb_optimize_vmemmap",
             "echo 4 > /proc/sys/vm/nr_hugepages",
             f"echo 0 > {T}/tracing_on", f"echo 1024 > {T}/buffer_size_kb",
             f"echo 1 > {T}/events/tlb/enable", f"echo 1 > {T}/events/ipi/enable",
             f"echo 1 > {T}/events/irq_vectors/call_function_entry/enable",
             f"echo 1 > {T}/events/irq_vectors/call_function_exit/enable",
             f"echo 1 > {T}/events/flushlab/enable", f"echo > {T}/trace",
             f"echo 1 > {T}/tracing_on"]
    for n, p in enumerate(PROTOCOLS):
        lines += [f"echo {p} > /sys/kernel/debug/flushlab/shootdown_protocol",
                  f"echo protocol {p}: grow by 4 > {T}/trace_marker",
                  f"time echo {8 + 4 * n} > /proc/sys/vm/nr_hugepages"]
    lines += [f"echo 0 > {T}/tracing_on", "echo cacheline > /sys/kernel/debug/flushlab/shootdown_protocol",
              "echo 0 > /proc/sys/vm/nr_hugepages", f"echo {BEGIN}", f"cat {T}/trace", f"echo {END}"]
    return "\n".join(lines) + "\n"


def protocol_timelines():
    text = boot(protocols_script(), 4, "1G")
    body = text.split("\n" + BEGIN + "\n", 1)[1].split("\n" + END, 1)[0]
    trace = "\n".join(l for l in body.split("\n") if not l.startswith("flushlab# ")) + "\n"
    problems = trace_check.check_text(trace)
    if problems:
        raise SystemExit(f"course_figures: trace not in ftrace's format: {problems[0]}")
    path = save("trace-protocols.txt", trace)
    save("protocols-session.txt", text.split("flushlab# echo " + BEGIN)[0])
    events = parse(path)
    sds = trace_plot.shootdowns(events)
    for p in PROTOCOLS:
        mine = [n for n, (first, _) in enumerate(sds)
                if f"protocol={p} " in events[first]["args"] + " "]
        if not mine:
            raise SystemExit(f"course_figures: no complete {p} shootdown in the trace")
        subprocess.run([sys.executable, os.path.join(HERE, "trace_plot.py"), path,
                        os.path.join(OUT, f"shootdown-{p}.png"), str(mine[-1])], check=True)


VMEMMAP_SCRIPT = """echo 0 > /proc/sys/vm/hugetlb_optimize_vmemmap
echo 2 > /proc/sys/vm/nr_hugepages
echo ===HVO 0===
hugepage vmemmap 2M 0
hugepage vmemmap 2M 1
cat /sys/kernel/debug/page_tables/kernel
echo 0 > /proc/sys/vm/nr_hugepages
echo 1 > /proc/sys/vm/hugetlb_optimize_vmemmap
echo 2 > /proc/sys/vm/nr_hugepages
echo ===HVO 1===
hugepage vmemmap 2M 0
hugepage vmemmap 2M 1
cat /sys/kernel/debug/page_tables/kernel
echo 0 > /proc/sys/vm/nr_hugepages
"""
RUN = re.compile(r"^  (?:page (\d+)|pages (\d+)-(\d+))\s+0x([0-9a-f]+)\s+(4K|2M|1G) (RW|ro)\s+"
                 r"frame 0x([0-9a-f]+)\s+(own frames|shared tail page \(HVO\))$")


def vmemmap_views(text):
    """{hvo: [[(page index, va, frame, writable, shared) x 8] per huge page]}."""
    views = {}
    for part in text.split("===HVO ")[1:]:
        hvo, pages = int(part[0]), []
        for line in part.split("\n"):
            if re.match(r"^2048kB page \d+:", line):
                pages.append([])
            m = RUN.match(line)
            if m and pages:
                first = int(m.group(1) or m.group(2))
                last = int(m.group(1) or m.group(3))
                va, pa = int(m.group(4), 16), int(m.group(7), 16)
                for i in range(first, last + 1):  # a run of own frames is contiguous
                    step = 0 if m.group(8) != "own frames" else (i - first) * 4096
                    pages[-1].append((i, va + (i - first) * 4096, pa + step,
                                      m.group(6) == "RW", m.group(8) != "own frames"))
        views[hvo] = pages
    return views


def draw_vmemmap(views, png):
    """Two panels (HVO off, on): vmemmap pages on top, the frames below, arrows."""
    gp = ["set terminal png size 1200,760 font ',10'", f"set output '{png}'",
          "set multiplot layout 2,1", "unset border; unset tics; unset key"]
    for hvo in (0, 1):
        pages = views[hvo]
        frames = sorted({pa for hp in pages for (_, _, pa, _, _) in hp})
        fx = {pa: 0.5 + i * (16.0 / max(len(frames), 1)) for i, pa in enumerate(frames)}
        objs = []
        title = ("hugetlb_optimize_vmemmap=0: each huge page's 8 vmemmap pages on 8 frames of their own"
                 if hvo == 0 else "hugetlb_optimize_vmemmap=1: page 0 keeps its frame; pages 1-7 "
                 "map one read-only shared tail page, 7 frames per huge page freed")
        objs.append(f"set title \"{title}\" noenhanced")
        objs.append("set xrange [0:17]; set yrange [-0.4:2.95]")
        for h, hp in enumerate(pages):
            for (i, va, pa, rw, shared) in hp:
                x = h * 8 + i + 0.5
                color = "#9ab8e0" if rw else "#f0b0a0"
                objs.append(f"set object rect from {x - 0.42},1.7 to {x + 0.42},2.3 "
                            f"fc rgb '{color}' fs solid border lc rgb 'black'")
                objs.append(f"set label \"{i}\\n{'RW' if rw else 'ro'}\" at {x},2.0 center font ',9'")
                objs.append(f"set arrow from {x},1.7 to {fx[pa]},0.9 lc rgb "
                            f"'{'#c03030' if shared else '#406090'}'")
            objs.append(f"set label \"huge page {h}: struct pages at 0x{hp[0][1]:x}\" "
                        f"at {h * 8 + 4},2.5 center noenhanced")
        for pa, x in fx.items():
            shared = any(p[2] == pa and p[4] for hp in pages for p in hp)
            objs.append(f"set object rect from {x - 0.42},0.3 to {x + 0.42},0.9 fc rgb "
                        f"'{'#f0d080' if shared else '#d0d0d0'}' fs solid border lc rgb 'black'")
            objs.append(f"set label \"{pa >> 12:x}\" at {x},0.6 center font ',8' noenhanced")
        objs.append("set label 'vmemmap pages (virtual, 4 KiB each), and below the frame each one maps' "
                    "at 0.1,2.8 left font ',9'")
        objs.append(f"set label 'frames (pfn, hex): {len(frames)} for 2 huge pages' "
                    "at 0.1,0.05 left font ',9'")
        gp += objs + ["plot -10 notitle", "unset object; unset label; unset arrow"]
    gp.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(gp) + "\n", text=True, check=True)


def vmemmap_figure():
    text = boot(VMEMMAP_SCRIPT, 1, "512M")
    save("vmemmap.txt", text)
    views = vmemmap_views(text)
    if sorted(views) != [0, 1] or any(len(v) != 2 or len(v[0]) != 8 for v in views.values()):
        raise SystemExit("course_figures: `hugepage vmemmap` output not as expected")
    draw_vmemmap(views, os.path.join(OUT, "vmemmap-hvo.png"))


def save(name, text):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(text)
    print(f"course_figures: {os.path.relpath(path, ROOT)}")
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    script_test("course-guided", 2, "512M", "guided-session.txt")
    script_test("course-exercises", 4, "1G", "exercises.txt")
    protocol_timelines()
    vmemmap_figure()
    return subprocess.run([sys.executable, os.path.join(HERE, "shootdown_summary.py")]).returncode


if __name__ == "__main__":
    sys.exit(main())
