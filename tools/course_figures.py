#!/usr/bin/env python3
"""`make course-figures`: the real runs and pictures behind docs/course/.

Everything under results/course/, remade so that a rerun changes no byte:
  session.txt          tests/scripts/course-guided.fl at -smp 2 under the
                       instruction-count clock (ACCEL=icount: one host
                       thread, one instruction = one ns, so every count and
                       frame number repeats, and times to within about a
                       microsecond); the chapters quote it part by part
                       (`===NAME===` lines)
  vmemmap-hvo.png      two huge pages' 8 vmemmap pages each and the frames
                       they map, HVO off and on, from session.txt
  process.txt,         tests/scripts/course-traced.fl at -smp 4 under plain
  trace-protocols.txt  TCG: the process part of the course (threads on
                       several CPUs crawl under icount, whose one host
                       thread gives each CPU 100 ms slices), and one listed
                       shootdown (4 huge pages' 28 vmemmap addresses) under
                       each protocol, traced (icount's clock makes a
                       shootdown shorter than the trace's microsecond)
  shootdown-PROTO.png  that shootdown, one row per CPU (tools/trace_plot.py),
                       the five drawn on one x-range
  fig-*.png            the schematics (tools/course_schematics.py)
  runs.md              which QEMU and clock made each file
and results/shootdown-summary.md, results/shootdown_protocols.png from
results/shootdown.csv (make bench's; tools/shootdown_summary.py).

The TCG boot is rerun every time into build/course/ and must show the same
counts as the committed process.txt and, for every protocol, the same order
of phases as the committed trace (the protocol's definition); its times
differ from run to run, so it replaces the committed files only with
COURSE_NEW=1.

When a change to the kernel moves a count or a frame number (a bigger
kernel image is enough), the rerun fails and says which line; then
`COURSE_NEW=1 make course-figures` replaces the transcripts, lists every
line the chapters quote that is no longer there, and the chapters' quoted
blocks (marked `<!-- quoted from results/course/NAME -->`) are updated to
the new files by hand or script before the next rerun, which must pass.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import course_schematics  # noqa: E402
import flushlab_qemu  # noqa: E402
import trace_check  # noqa: E402
import trace_plot  # noqa: E402
from trace2json import fields, parse  # noqa: E402

OUT = os.path.join(ROOT, "results", "course")
BUILD = os.path.join(ROOT, "build", "course")
PROTOCOLS = ("linux", "broadcast", "concurrent", "early_ack", "cacheline")
BEGIN, END = "===TRACE-BEGIN===", "===TRACE-END==="


def qemu_version():
    out = subprocess.run([flushlab_qemu.QEMU, "--version"], capture_output=True, text=True)
    return out.stdout.split("\n")[0].strip() or "unknown QEMU"


def console(out):
    """The console part of a boot's output: from the first command on,
    without the script's own comment lines."""
    out = out.replace("\r", "")
    start = out.find("flushlab# ")
    out = out[start:] if start >= 0 else out
    return re.sub(r"^flushlab# #.*\n", "", out, flags=re.M)


def boot(script, smp, mem, accel, cpu=None):
    status, out = flushlab_qemu.boot(script, smp=smp, mem=mem, accel=accel, timeout=600,
                                     echo=False, cpu=cpu)
    if status != 0 or "flushlab: script finished, 0 failed commands" not in out:
        print(console(out)[-3000:])
        raise SystemExit(f"course_figures: the -smp {smp} boot ended with status {status}")
    return console(out)


def save(path, text):
    with open(path, "w") as f:
        f.write(text)
    print(f"course_figures: {os.path.relpath(path, ROOT)}")
    return path


TIMES = [(re.compile(r"^real\t0m\d+\.\d{6}s$", re.M), "real\t0m?s"),
         (re.compile(r"wait_(us|ns)=\d+"), r"wait_\1=?"),
         (re.compile(r"\] (\S{5}) +\d+\.\d{6}:"), r"] \1 ?:"),
         (re.compile(r"^(\S+ +\d+ +\d+ +\d+ +\d+ +\d+) +\d+( +\d+)$", re.M), r"\1 ?\2")]


def without_times(text):
    """@text with every time masked (real, wait_us, wait_ns, trace
    timestamps, the ledger's wait_cycles): what a rerun must repeat."""
    for pattern, repl in TIMES:
        text = pattern.sub(repl, text)
    return text


def keep_or_replace(fresh, name):
    """The committed results/course/NAME stays unless COURSE_NEW=1 (or it is
    missing); a fresh run must repeat it, times apart, or this fails."""
    committed = os.path.join(OUT, name)
    if os.environ.get("COURSE_NEW") == "1" or not os.path.exists(committed):
        shutil.copy(fresh, committed)
        print(f"course_figures: results/course/{name} replaced (COURSE_NEW=1)")
    with open(committed) as f, open(fresh) as g:
        a, b = without_times(f.read()), without_times(g.read())
    if a != b:
        diff = next((f"{x!r} != {y!r}" for x, y in zip(a.split("\n"), b.split("\n")) if x != y),
                    "a different length")
        raise SystemExit(f"course_figures: build/course/{name} differs from results/course/{name} "
                         f"beyond its times: {diff}")
    print(f"course_figures: build/course/{name} repeats results/course/{name}, times apart")
    return committed


# QEMU 10's instruction-count clock aborts ("Bad icount read") when the
# kernel reads the x2APIC timer through an MSR: the icount boot runs the
# local APIC in xAPIC mode, whose registers are memory-mapped.
ICOUNT_CPU = "max,-x2apic"


def session():
    """The guided session under icount, kept as committed unless it changed."""
    with open(os.path.join(ROOT, "tests", "scripts", "course-guided.fl")) as f:
        text = boot(f.read(), 2, "512M", "icount", ICOUNT_CPU)
    os.makedirs(BUILD, exist_ok=True)
    path = keep_or_replace(save(os.path.join(BUILD, "session.txt"), text), "session.txt")
    icount_qemu = os.path.join(OUT, "icount-qemu.txt")
    if os.environ.get("COURSE_NEW") == "1" or not os.path.exists(icount_qemu):
        with open(icount_qemu, "w") as f:
            f.write(qemu_version() + "\n")
    return path


def part(text, name):
    """The lines after `echo ===NAME===` up to the next part."""
    return text.split(f"flushlab# echo ==={name}===\n", 1)[1].split("flushlab# echo ===", 1)[0]


def check_quotes(text, name="session.txt"):
    """Every code block the chapters mark as quoted from results/course/NAME
    must be in it, line for line and in order (`...` marks lines left out):
    the prose then never contradicts a rerun."""
    quote = f"<!-- quoted from results/course/{name} -->"
    bad = []
    for path in sorted(os.listdir(os.path.join(ROOT, "docs", "course"))):
        with open(os.path.join(ROOT, "docs", "course", path)) as f:
            doc = f.read()
        for block in doc.split(quote + "\n```\n")[1:]:
            lines = [l for l in block.split("\n```", 1)[0].split("\n") if l != "..."]
            at = 0
            for line in lines:
                found = text.find(line + "\n", at)
                if found < 0:
                    bad.append(f"docs/course/{path}: {line!r}")
                    break
                at = found + len(line)
    if bad and os.environ.get("COURSE_NEW") == "1":  # replaced on purpose: say what to update
        print(f"course_figures: the chapters quote lines no longer in results/course/{name}; "
              "update them:\n  " + "\n  ".join(bad))
        return
    if bad:
        raise SystemExit(f"course_figures: quoted lines not in results/course/{name} "
                         "(a rerun changed them; update the chapter):\n  " + "\n  ".join(bad))
    print(f"course_figures: every line the chapters quote from {name} is in it")


# ---- the vmemmap picture (from session.txt) ----

RUN = re.compile(r"^  (?:page (\d+)|pages (\d+)-(\d+))\s+0x([0-9a-f]+)\s+(4K|2M|1G) (RW|ro)\s+"
                 r"frame 0x([0-9a-f]+)\s+(own frames|shared tail page \(HVO\))$")


def vmemmap_pages(text):
    """[[(page index, va, frame, writable, shared) x 8] per huge page]."""
    pages = []
    for line in text.split("\n"):
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
    return pages


def draw_vmemmap(views, png, qemu):
    """Two panels (HVO off, on): vmemmap pages on top, the frames below, arrows."""
    gp = ["set terminal png size 1200,760 font ',10'", f"set output '{png}'",
          "set multiplot layout 2,1", "unset border; unset tics; unset key"]
    for hvo in (0, 1):
        pages = views[hvo]
        frames = sorted({pa for hp in pages for (_, _, pa, _, _) in hp})
        fx = {pa: 0.5 + i * (16.0 / max(len(frames), 1)) for i, pa in enumerate(frames)}
        title = ("hugetlb_optimize_vmemmap=0: each huge page's 8 vmemmap pages on 8 frames of their own"
                 if hvo == 0 else "hugetlb_optimize_vmemmap=1: page 0 keeps its frame; pages 1-7 "
                 "map one read-only shared tail frame, 7 frames per huge page freed")
        objs = [f"set title \"{title}\" noenhanced", "set xrange [0:17]; set yrange [-0.4:2.95]"]
        for h, hp in enumerate(pages):
            for (i, va, pa, rw, shared) in hp:
                x = h * 8 + i + 0.5
                color = "#9ab8e0" if rw else "#f0b0a0"
                objs.append(f"set object rect from {x - 0.42},1.7 to {x + 0.42},2.3 "
                            f"fc rgb '{color}' fs solid border lc rgb 'black'")
                objs.append(f"set label \"{i}\\n{'RW' if rw else 'ro'}\" at {x},2.0 center "
                            "font ',9' noenhanced")
                objs.append(f"set arrow from {x},1.7 to {fx[pa]},0.9 lc rgb "
                            f"'{'#c03030' if shared else '#406090'}'")
            objs.append(f"set label \"huge page {h}: struct pages at 0x{hp[0][1]:x}\" "
                        f"at {h * 8 + 4},2.5 center noenhanced")
        for pa, x in fx.items():
            shared = any(p[2] == pa and p[4] for hp in pages for p in hp)
            objs.append(f"set object rect from {x - 0.42},0.3 to {x + 0.42},0.9 fc rgb "
                        f"'{'#f0d080' if shared else '#d0d0d0'}' fs solid border lc rgb 'black'")
            objs.append(f"set label \"{pa >> 12:x}\" at {x},0.6 center font ',8' noenhanced")
        objs.append("set label 'vmemmap pages (virtual, 4 KiB each), and below the frame each "
                    "one maps' at 0.1,2.8 left font ',9' noenhanced")
        objs.append(f"set label 'frames (pfn, hex): {len(frames)} for 2 huge pages; "
                    f"{qemu}, ACCEL=icount, -smp 2' at 0.1,0.05 left font ',9' noenhanced")
        gp += objs + ["plot -10 notitle", "unset object; unset label; unset arrow"]
    gp.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(gp) + "\n", text=True, check=True)


def vmemmap_figure(text, qemu):
    views = {0: vmemmap_pages(part(text, "pool")), 1: vmemmap_pages(part(text, "hvo"))}
    if any(len(v) != 2 or any(len(hp) != 8 for hp in v) for v in views.values()):
        raise SystemExit("course_figures: `hugepage vmemmap` output not as expected")
    png = os.path.join(OUT, "vmemmap-hvo.png")
    draw_vmemmap(views, png, qemu)
    print(f"course_figures: {os.path.relpath(png, ROOT)}")


# ---- the protocol traces ----

def tcg_run():
    """course-traced.fl under plain TCG: (process part, trace) in build/course/."""
    with open(os.path.join(ROOT, "tests", "scripts", "course-traced.fl")) as f:
        text = boot(f.read(), 4, "1G", "tcg")
    process = text.split("flushlab# echo ===process===\n===process===\n", 1)[1]
    process = process.split("flushlab# echo ===protocols===", 1)[0]
    body = text.split("\n" + BEGIN + "\n", 1)[1].split("\n" + END, 1)[0]
    trace = "\n".join(l for l in body.split("\n") if not l.startswith("flushlab# ")) + "\n"
    problems = trace_check.check_text(trace)
    if problems:
        raise SystemExit(f"course_figures: trace not in ftrace's format: {problems[0]}")
    os.makedirs(BUILD, exist_ok=True)
    return (save(os.path.join(BUILD, "process.txt"), process),
            save(os.path.join(BUILD, "trace-protocols.txt"), trace))


COUNT_LINE = re.compile(r"^(pcid: .*|  .* in \d+ of \d+ trials|# bench munmap_lat .*|\d+)$")


def process_counts(path):
    """The lines of the process part that every run repeats: trial counts
    (the local-only one only as "some"), munmap_lat's per-op counts, knobs."""
    out = []
    with open(path) as f:
        for line in f.read().split("\n"):
            if not COUNT_LINE.match(line):
                continue
            line = re.sub(r"local flush only: (.*) in [1-9]\d* of", r"local flush only: \1 in N of", line)
            line = re.sub(r" (ns_per_op_\w+|accel|cpus)=\S+", "", line)
            out.append(line)
    return out


def check_same_counts(committed, fresh):
    a, b = process_counts(committed), process_counts(fresh)
    if a != b:
        diff = next((f"{x!r} != {y!r}" for x, y in zip(a, b) if x != y), f"{len(a)} != {len(b)} lines")
        raise SystemExit(f"course_figures: the fresh process run differs in its counts: {diff}")
    print("course_figures: the fresh process run repeats every count of the committed one")


def by_protocol(events):
    """{protocol: (publish index, done index)}: the last of each protocol."""
    out = {}
    for first, last in trace_plot.shootdowns(events):
        out[fields(events[first]["args"])["protocol"]] = (first, last)
    return out


def order_facts(events, first, last):
    """What the protocol fixes about one shootdown, whatever the timing: the
    initiator's steps in order, and each target's order of ack and flush."""
    evs, _ = trace_plot.window(events, first, last)
    init = events[first]["cpu"]
    mine = [trace_plot.LABELS[e["event"]] for e in evs if e["cpu"] == init]
    facts = ["initiator: " + " > ".join(dict.fromkeys(mine))]
    for cpu in sorted({e["cpu"] for e in evs} - {init}):
        steps = [trace_plot.LABELS[e["event"]] for e in evs if e["cpu"] == cpu
                 and e["event"] in ("tlb_flush", "shootdown_ack")]
        facts.append(f"target {cpu}: " + " > ".join(steps))
    return facts


def check_same_order(committed, fresh):
    a, b = parse(committed), parse(fresh)
    pa, pb = by_protocol(a), by_protocol(b)
    for p in PROTOCOLS:
        if p not in pa or p not in pb:
            raise SystemExit(f"course_figures: no complete {p} shootdown in "
                             f"{committed if p not in pa else fresh}")
        fa, fb = order_facts(a, *pa[p]), order_facts(b, *pb[p])
        if fa != fb:
            raise SystemExit(f"course_figures: {p}: the fresh trace's order {fb} differs from "
                             f"the committed trace's {fa}")
    print("course_figures: the fresh trace shows every protocol's phases in the committed order")


def timelines(path, qemu_note):
    events = parse(path)
    sds = by_protocol(events)
    spans = []
    for p in PROTOCOLS:
        evs, t0 = trace_plot.window(events, *sds[p])
        spans.append(trace_plot.span(evs, t0))
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    for p in PROTOCOLS:
        png = os.path.join(OUT, f"shootdown-{p}.png")
        trace_plot.draw(events, trace_plot.shootdowns(events).index(sds[p]), png, (lo, hi),
                        qemu_note)
        print(f"course_figures: {os.path.relpath(png, ROOT)}")


def runs_md(qemu, trace_qemu):
    return f"""# How results/course/ was made

`make course-figures` (tools/course_figures.py) wrote every file here.

| file | run |
|---|---|
| session.txt, vmemmap-hvo.png | tests/scripts/course-guided.fl, {qemu}, ACCEL=icount (`-icount shift=0,sleep=off,align=off`, one host thread), `-cpu max,-x2apic` (QEMU 10's icount aborts on x2APIC timer reads), -smp 2, 512 MiB: a rerun (build/course/session.txt) must repeat it but for its times, which move by a microsecond or so; `COURSE_NEW=1` replaces it |
| process.txt, trace-protocols.txt, shootdown-*.png | tests/scripts/course-traced.fl, {trace_qemu}, plain TCG (`-accel tcg,thread=multi`), -smp 4, 1 GiB, on 2 host cores: times differ from run to run; a rerun writes build/course/ and checks that every count and each protocol's order of phases are the same; `COURSE_NEW=1 make course-figures` replaces these files |
| fig-*.png | tools/course_schematics.py: drawings, no run |
| ../shootdown-summary.md, ../shootdown_protocols.png | results/shootdown.csv (make bench) |
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(session()) as f:
        text = f.read()
    with open(os.path.join(OUT, "icount-qemu.txt")) as f:
        qemu = f.read().strip()  # the QEMU that made the committed session
    check_quotes(text)
    vmemmap_figure(text, qemu)
    fresh_process, fresh = tcg_run()
    committed = os.path.join(OUT, "trace-protocols.txt")
    committed_process = os.path.join(OUT, "process.txt")
    if os.environ.get("COURSE_NEW") == "1" or not os.path.exists(committed):
        shutil.copy(fresh, committed)
        shutil.copy(fresh_process, committed_process)
        with open(os.path.join(OUT, "tcg-qemu.txt"), "w") as f:
            f.write(qemu_version() + "\n")
        print("course_figures: results/course/process.txt and trace-protocols.txt replaced "
              "(COURSE_NEW=1)")
    check_same_counts(committed_process, fresh_process)
    check_same_order(committed, fresh)
    with open(os.path.join(OUT, "tcg-qemu.txt")) as f:
        tcg_qemu = f.read().strip()
    for name in ("process.txt", "trace-protocols.txt"):
        with open(os.path.join(OUT, name)) as f:
            check_quotes(f.read(), name)
    timelines(committed, f"{tcg_qemu}, plain TCG, -smp 4 on 2 host cores: emulator time")
    course_schematics.main([OUT])
    save(os.path.join(OUT, "runs.md"), runs_md(qemu, tcg_qemu))
    return subprocess.run([sys.executable, os.path.join(HERE, "shootdown_summary.py")]).returncode


if __name__ == "__main__":
    sys.exit(main())
