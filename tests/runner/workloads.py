"""Tests of the shootdown workloads (user/madv_touch.c, munmap_lat.c, ctxswitch.c).

Cases of run_tests.py's table. Speed is never asserted; what is asserted is exact:
  - on Linux (the build machine) each workload runs once and prints its line;
  - on flushlab at -smp 1, 2 and 4, every bench line has its keys, and
    madv_touch interrupts exactly the K-1 CPUs that run its other threads,
    twice per op as on Linux (the drop, then the write that breaks the zero
    page the touch's read mapped: received_per_op == 2(K-1)) under every
    shootdown protocol, and nobody at K=1 (idle and lazy CPUs are left alone); ctxswitch between threads writes
    CR3 zero times per switch, between processes once;
  - after many runs not one frame is missing: MemFree and nr_free_pages are
    back to their start values and check_memory passes (WORKLOAD_FAIL=1:
    with fail_page_alloc armed at 10% for madv_touch).
"""
import os
import re
import subprocess

import flushlab_qemu

PROTOCOLS = ("linux", "broadcast", "concurrent", "early_ack", "cacheline")
PROTO_FILE = "/sys/kernel/debug/flushlab/shootdown_protocol"
FAIL_DIR = "/sys/kernel/debug/fail_page_alloc/"

COMMON = ("accel", "cpus", "protocol", "threads", "iters", "ns_per_op_median",
          "ns_per_op_min", "ns_per_op_max", "remote_flushes_per_op", "ipis_per_op",
          "received_per_op", "lazy_skipped_per_op")
KEYS = {
    "madv_touch": COMMON,
    "munmap_lat": COMMON[:4] + ("pages",) + COMMON[4:],
    "ctxswitch": ("accel", "cpus", "mode", "cpu", "iters", "pcid", "ns_per_switch_median",
                  "ns_per_switch_min", "ns_per_switch_max", "cr3_writes_per_switch",
                  "tlb_flushes_per_switch"),
}
PER_OP = re.compile(r"^(-1|\d+\.\d{3})$")


def bench_lines(out, name):
    """Every `# bench NAME k=v ...` line of @out as (raw line, ordered keys, dict)."""
    found = []
    for m in re.finditer(rf"^# bench {name} (.*?)\r?$", out, re.M):
        pairs = [kv.split("=", 1) for kv in m.group(1).split()]
        found.append((m.group(0), [k for k, _ in pairs], dict(pairs)))
    return found


def key_problem(name, keys, d):
    """None if the line has exactly the documented keys, in order, well formed."""
    if tuple(keys) != KEYS[name]:
        return f"keys {keys}, expected {list(KEYS[name])}"
    for k, v in d.items():
        if k.endswith("_per_op") or k.endswith("_per_switch"):
            if not PER_OP.match(v):
                return f"{k}={v} is not N.NNN or -1"
        elif k.startswith("ns_per") and not v.isdigit():
            return f"{k}={v} is not a count"
        elif k == "pcid" and v not in ("on", "off"):
            return f"pcid={v}: the kernel's mode is on or off"
    return None


# --------------------------------------------------------------- on Linux --
LINUX_RUNS = [("madv_touch", ["threads=1", "iters=200"]),
              ("madv_touch", [f"threads={min(2, len(os.sched_getaffinity(0)))}", "iters=200"]),
              ("munmap_lat", ["threads=1", "pages=4", "iters=50"]),
              ("ctxswitch", ["mode=threads", "iters=200"]),
              ("ctxswitch", ["mode=procs", "iters=200"])]


def linux_case(bindir, name, args, test):
    """The identical sources, built for Linux, run here with short parameters."""
    def run(res, ctx):
        try:
            p = subprocess.run([os.path.join(bindir, name), *args], capture_output=True,
                               text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            res.record(test, False, str(e))
            return
        log = ctx.save_log(test, p.stdout + p.stderr)
        lines = bench_lines(p.stdout, name)
        why = (f"exit status {p.returncode}" if p.returncode else
               "no bench line" if len(lines) != 1 else
               key_problem(name, lines[0][1], lines[0][2]) or
               (None if lines[0][2]["accel"] == "linux" else "accel is not linux"))
        res.record(test, why is None, f"{why}; log {log}")
    return run


def linux_cases(bindir):
    out = []
    for name, args in LINUX_RUNS:
        test = f"user-linux/{name}-{'-'.join(a.replace('=', '') for a in args)}"
        out.append((test, linux_case(bindir, name, args, test)))
    return out


# ------------------------------------------------------------ on flushlab --
def smp_script(smp):
    """One boot: every workload, madv_touch at each K under every protocol."""
    lines = []
    for proto in PROTOCOLS:
        lines.append(f"echo {proto} > {PROTO_FILE}")
        for k in range(1, smp + 1):
            lines.append(f"madv_touch threads={k} iters=40")
    lines.append(f"echo cacheline > {PROTO_FILE}")
    for k in sorted({1, smp}):
        lines.append(f"munmap_lat threads={k} pages=8 iters=20")
    top = smp - 1
    lines += ["ctxswitch mode=threads iters=200",
              # The peer is queued on an idle CPU, which the reschedule IPI
              # wakes at once (task/sched.c): no wait for its next tick.
              f"ctxswitch mode=peer secs=2 cpu={top} &",
              f"ctxswitch mode=procs iters=200 cpu={top}",
              "wait",
              "cat /sys/kernel/debug/flushlab/check_memory"]
    return "\n".join(lines) + "\n"


# Flushes per madv_touch op: MADV_DONTNEED's, and the zero-page break of
# the touch (its read maps the shared zero page, its write replaces it:
# Linux's do_anonymous_page then wp_page_copy), as on Linux.
MADV_FLUSHES_PER_OP = 2


def check_madv(d, smp):
    """received == 2(K-1) exactly, or explain the difference by lazy skips."""
    k, f = int(d["threads"]), MADV_FLUSHES_PER_OP
    recv, lazy = float(d["received_per_op"]), float(d["lazy_skipped_per_op"])
    want_remote = f"{f}.000" if k > 1 else "0.000"
    remote = float(d["remote_flushes_per_op"])
    if k == smp and k > 1:
        # A flush meets CPU 0 lazy (the console's turn) now and then. With K=2
        # it is the only target, so that flush sends nothing: remote = 2 - lazy.
        # With K>2 the busy CPUs 1..K-1 are always targets: remote = 2.
        want = f * 1000 - round(lazy * 1000) if k == 2 else f * 1000
        if round(remote * 1000) != want:
            return f"remote_flushes_per_op={remote:.3f} with lazy_skipped {lazy:.3f}"
    elif d["remote_flushes_per_op"] != want_remote:
        return f"remote_flushes_per_op={d['remote_flushes_per_op']}, expected {want_remote}"
    if k < smp or k == 1:
        # Threads on CPUs 1..smp-1 only (the console's CPU 0 is not used): every
        # other thread's CPU runs the mm for the whole loop and takes every flush.
        ok = d["received_per_op"] == f"{f * (k - 1)}.000"
        return None if ok else (f"received_per_op={d['received_per_op']}, "
                                f"expected {f * (k - 1)}.000")
    # K = smp puts a thread on CPU 0, which the console shares while it polls
    # the serial line: then CPU 0 is lazy and rightly skipped. Each flush still
    # accounts for every other CPU exactly: received + lazy-skipped = 2(K-1).
    total = round((recv + lazy) * 1000)
    if total != f * (k - 1) * 1000:
        return f"received {recv} + lazy_skipped {lazy} != {f * (k - 1)}"
    return None


def check_smp_boot(res, smp, status, out, log):
    name = f"workloads/smp{smp}"
    if status != 0:
        res.record(name + " (boot)", False, f"status {status}; log {log}")
        return
    if not re.search(r"^ok: \d+ frames", out, re.M):
        res.record(name + "/check_memory", False, f"check_memory failed; log {log}")
    madv = bench_lines(out, "madv_touch")
    res.record(name + "/madv_touch lines", len(madv) == len(PROTOCOLS) * smp,
               f"{len(madv)} lines; log {log}")
    for raw, keys, d in madv:
        why = key_problem("madv_touch", keys, d) or check_madv(d, smp)
        res.record(f"{name}/madv_touch {d.get('protocol')} K={d.get('threads')}",
                   why is None, f"{why}: {raw}; log {log}")
    for raw, keys, d in bench_lines(out, "munmap_lat"):
        k = int(d.get("threads", 0))
        why = key_problem("munmap_lat", keys, d)
        # As for madv_touch: with K = smp one thread shares CPU 0 with the
        # console, which may be lazy then and rightly skipped (a flush that
        # frees no page table): every other CPU is still accounted for.
        reached = float(d.get("received_per_op", 0)) + (
            float(d.get("lazy_skipped_per_op", 0)) if k == smp else 0)
        if not why and k > 1 and round(reached * 1000) < (k - 1) * 1000:
            why = f"received (+ lazy-skipped) per op below {k - 1}: a busy CPU missed a munmap flush"
        res.record(f"{name}/munmap_lat K={k}", why is None, f"{why}: {raw}; log {log}")
    check_ctxswitch(res, name, smp, out, log)


# A tick that lands while a ping-pong process is in ring 3 preempts it
# (task/sched.c): two more switches than the loop's own (to the peer and
# back), each writing CR3, over the 2 x iters the ratio is taken against.
# At most this many such pairs are accepted (the loop spans a tick or two).
TICK_PAIRS_MAX = 4


def ctxswitch_problem(mode, d):
    """None if the CR3 writes per switch are those of @mode: none between
    threads of one mm; between processes, one per switch: 2 x iters, plus
    an even few from tick preemptions (never an odd one: that would be a
    switch that wrote CR3 twice, or not at all)."""
    ratio, switches = d["cr3_writes_per_switch"], 2 * int(d["iters"])
    if mode == "threads":
        return None if ratio == "0.000" else f"cr3_writes_per_switch={ratio}, expected 0.000"
    writes = round(float(ratio) * switches)
    if writes < switches or (writes - switches) % 2 or writes - switches > 2 * TICK_PAIRS_MAX:
        return (f"cr3_writes_per_switch={ratio}: {writes} CR3 writes for {switches} switches, "
                f"expected {switches} plus an even number up to {2 * TICK_PAIRS_MAX}")
    return None


def check_ctxswitch(res, name, smp, out, log):
    modes = {d.get("mode"): (raw, keys, d) for raw, keys, d in bench_lines(out, "ctxswitch")}
    for mode in ("threads", "procs"):
        if mode not in modes:
            res.record(f"{name}/ctxswitch {mode}", False, f"no line; log {log}")
            continue
        raw, keys, d = modes[mode]
        why = key_problem("ctxswitch", keys, d)
        # At -smp 1 the console shares the CPU: its turns add switches we cannot count.
        if not why and smp > 1:
            why = ctxswitch_problem(mode, d)
        res.record(f"{name}/ctxswitch {mode}", why is None, f"{why}: {raw}; log {log}")


def smp_case(smp):
    def run(res, ctx):
        status, out = flushlab_qemu.boot(smp_script(smp), smp=smp, mem="512M",
                                         timeout=max(ctx.timeout, 600), echo=False)
        log = ctx.save_log(f"workloads-smp{smp}", out)
        check_smp_boot(res, smp, status, out, log)
    return run


def flushlab_cases():
    """workloads/smpN at -smp 1, 2, 4; 20 runs of each workload with fault
    injection armed for madv_touch (about 30 s; make test-frames: 100). This
    series found a lost wakeup in the scheduler, fixed in sched.c. THP_RUNS=N
    adds the THP workloads' series (N runs of each, to show no frame is lost after many; minutes)."""
    out = [(f"workloads/smp{smp}", smp_case(smp)) for smp in (1, 2, 4)]
    runs = int(os.environ.get("WORKLOAD_RUNS", "20"))
    armed = os.environ.get("WORKLOAD_FAIL", "1") == "1"
    name = f"workloads/zero-frames-lost-{runs}-runs" + ("-fail10" if armed else "")
    out.append((name, lambda res, ctx: run_frames_lost(res, ctx, name, runs, armed)))
    thp_runs = int(os.environ.get("THP_RUNS", "0"))
    if thp_runs:
        name = f"workloads/thp-zero-frames-lost-{thp_runs}-runs"
        out.append((name, lambda res, ctx: run_thp_frames_lost(res, ctx, name, thp_runs)))
    return out


# ------------------------------------------------------- zero frames lost --
def frames_script(runs, armed):
    """Warm up once, snapshot, `runs` runs of each workload, snapshot,
    check_memory. Armed: the madv_touch runs with 10% of page allocations
    failing after a varying allowance."""
    work = ["madv_touch threads=2 iters=20", "munmap_lat threads=2 pages=8 iters=5",
            "ctxswitch mode=threads iters=20"]
    snap = ["cat /proc/meminfo", "cat /proc/vmstat", "cat /sys/kernel/debug/flushlab/check_memory"]
    lines = work + ["echo snapshot-start"] + snap
    if armed:
        # 10% of all allocations failing would stop every exec before main():
        # a different number of pages goes through first each run (space),
        # so the failures land in exec, clone, page faults and madvise.
        lines += [f"echo -1 > {FAIL_DIR}times", f"echo 10 > {FAIL_DIR}probability"]
        for i in range(runs):
            lines += [f"echo {8 + (i * 37) % 300} > {FAIL_DIR}space", work[0] + " &",
                      "sleep 1000", "ps", "wait"]
        lines += [f"echo 0 > {FAIL_DIR}probability", f"cat {FAIL_DIR}injected"]
    else:
        lines += [work[0]] * runs
    lines += [work[1]] * runs + [work[2]] * runs
    lines += ["echo snapshot-end"] + snap
    return "\n".join(lines) + "\n"


def snapshot(text, marker):
    part = text.split(marker, 2)[-1]
    free = re.search(r"^MemFree:\s+(\d+) kB", part, re.M)
    pages = re.search(r"^nr_free_pages (\d+)", part, re.M)
    ok = re.search(r"^ok: \d+ frames", part, re.M)
    return (int(free.group(1)) if free else None, int(pages.group(1)) if pages else None,
            bool(ok))


def frames_problem(out, runs, armed):
    """None if no frame went missing and every unfailed run printed its line."""
    start, end = snapshot(out, "\nsnapshot-start"), snapshot(out, "\nsnapshot-end")
    injected = re.search(r"^(\d+)\r?$", out.split("injected", 1)[-1], re.M)
    lines = len(bench_lines(out, "munmap_lat")) + len(bench_lines(out, "ctxswitch"))
    if not armed:
        lines += len(bench_lines(out, "madv_touch"))
    want = (2 if armed else 3) * (runs + 1)
    if None in start[:2] or None in end[:2]:
        return "no MemFree/nr_free_pages in a snapshot"
    if start[:2] != end[:2]:
        return f"MemFree/nr_free_pages {start[:2]} at the start, {end[:2]} at the end"
    if not (start[2] and end[2]):
        return "check_memory failed"
    if lines != want:
        return f"{lines} runs printed a line, expected {want}"
    if armed and (not injected or int(injected.group(1)) == 0):
        return "fail_page_alloc injected no failure: the test tested nothing"
    return None


def run_frames_lost(res, ctx, name, runs, armed):
    """fail_page_alloc is armed for madv_touch (10%) unless WORKLOAD_FAIL=0."""
    timeout = ctx.timeout
    # Many boots' worth of programs: more than one boot's timeout when the
    # host's 2 cores are shared with another QEMU.
    status, out = flushlab_qemu.boot(frames_script(runs, armed), smp=4, mem="512M",
                                     timeout=max(timeout, 900, 15 * runs), echo=False)
    log = ctx.save_log(name, out)
    # Armed, some commands fail (status 1) as they must; 3 would be a crash.
    if status not in ((0, 1) if armed else (0,)) or re.search(r"EXCEPTION|PANIC", out):
        res.record(name, False, f"status {status}; log {log}")
        return
    why = frames_problem(out, runs, armed)
    res.record(name, why is None, f"{why}; log {log}")


# ------------------------------------------- THP workloads, frames exact --
THP_KNOB = "/sys/kernel/mm/transparent_hugepage/enabled"
KHUGEPAGED_SLEEP = "/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs"


def thp_frames_script(runs):
    """Warm up, snapshot, `runs` runs of each THP workload (largepages3
    under always and never, thp_split with 2 threads, khugepaged_wait with
    a short khugepaged sleep), snapshot, check_memory; knobs put back."""
    work = [f"echo always > {THP_KNOB}", "largepages3 size=8M", f"echo never > {THP_KNOB}",
            "largepages3 size=8M", f"echo madvise > {THP_KNOB}", "thp_split threads=2 iters=5",
            f"echo 100 > {KHUGEPAGED_SLEEP}", "khugepaged_wait", f"echo 10000 > {KHUGEPAGED_SLEEP}"]
    snap = ["cat /proc/meminfo", "cat /proc/vmstat", "cat /sys/kernel/debug/flushlab/check_memory"]
    lines = work + ["echo snapshot-start"] + snap + work * runs + ["echo snapshot-end"] + snap
    return "\n".join(lines) + "\n"


def run_thp_frames_lost(res, ctx, name, runs):
    timeout = ctx.timeout
    status, out = flushlab_qemu.boot(thp_frames_script(runs), smp=4, mem="512M",
                                     timeout=max(timeout, 3600), echo=False)
    log = ctx.save_log(name, out)
    start, end = snapshot(out, "\nsnapshot-start"), snapshot(out, "\nsnapshot-end")
    lines = len(bench_lines(out, "largepages3")) + len(bench_lines(out, "thp_split"))
    waits = len(re.findall(r"^khugepaged_wait: .* pattern intact", out, re.M))
    why = None
    if status != 0 or re.search(r"EXCEPTION|PANIC", out):
        why = f"status {status}"
    elif None in start[:2] or start[:2] != end[:2]:
        why = f"MemFree/nr_free_pages {start[:2]} at the start, {end[:2]} at the end"
    elif not (start[2] and end[2]):
        why = "check_memory failed"
    elif lines != 3 * (runs + 1) or waits != runs + 1:
        why = f"{lines} bench lines and {waits} khugepaged_wait lines for {runs + 1} rounds"
    res.record(name, why is None, f"{why}; log {log}")
