#!/usr/bin/env python3
"""flushlab's test runner (`make test`): one table of cases, one verdict.

Every case has a name, the one printed for its result (a case with many
results prints them as NAME/...), so any case runs alone:
`run_tests.py -k 'script/ptdump'` or `make test T='kernel/smp*'` (a glob);
`--list` prints the table. The tiers, in the order they run:

1. host: the unit-test binaries built from tests/host/host.mk (ASan and
   UBSan), each printing KTAP; the user programs built for Linux, run here.
2. kernel: `selftest` booted in QEMU at -smp 1, 2 and 4; its KTAP is parsed
   case by case and each level's plan is checked.
3. script: tests/scripts/*.fl, console scripts whose `#!` header says how to
   boot them and what they must show (tools/script_header.py; the same
   header tools/qemu-boot honours), then the cases built by code
   (generated.py: binary noise, broken kernels and initramfs) and the
   shootdown workloads (workloads.py).
4. tooling: ACCEL=kvm refused without vmx/svm, `make run`'s exit status,
   `make usb`'s disk booted as a USB stick, qemu-boot and a script header
   (tooling.py).
5. tlbmodel: the TLB-model plugin's short tier (tlbmodel_tier.py): tlbdemo's
   stale hits and a small bench; TLBMODEL_FULL=1 adds the suites under it.
Opt-in by environment: the long zero-frames series (make test-frames),
THP_RUNS=N, TEST_BIG_SMP=N.

Every boot has a timeout, so a hang is a failure, never a stuck CI. The last
line is `N passed, M failed`; the exit status is 1 if anything failed.
Logs of every boot go to build/test-logs/ (or $TEST_LOG_DIR).
"""
import argparse
import fnmatch
import glob
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
import flushlab_qemu  # noqa: E402
import generated  # noqa: E402
import ktap  # noqa: E402
import script_header  # noqa: E402
import tlbmodel_tier  # noqa: E402
import tooling  # noqa: E402
import workloads  # noqa: E402
import compare_linux_test  # noqa: E402

LOG_DIR = os.environ.get("TEST_LOG_DIR") or os.path.join(ROOT, "build", "test-logs")
BOOT_TIMEOUT = int(os.environ.get("TEST_BOOT_TIMEOUT", "180"))


class Results:
    def __init__(self):
        self.passed, self.failed, self.skipped = 0, 0, 0

    def record(self, name, ok, why="", skip=False):
        if skip:
            self.skipped += 1
            print(f"  ok   {name} # SKIP {why}")
        elif ok:
            self.passed += 1
            print(f"  ok   {name}")
        else:
            self.failed += 1
            print(f"  FAIL {name}: {why}")
        sys.stdout.flush()


def save_log(name, text):
    os.makedirs(LOG_DIR, exist_ok=True)
    path = os.path.join(LOG_DIR, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".log")
    with open(path, "w") as f:
        f.write(text)
    return os.path.relpath(path, ROOT)


def record_ktap(res, text, prefix, status_ok, status_why):
    cases, problems = ktap.parse(text, prefix)
    if not cases:
        problems.append(f"{prefix}: no KTAP results found")
    for c in cases:
        res.record(c.path, c.ok, "see log", skip=c.skip and c.ok)
    for p in problems:
        res.record(prefix + " (KTAP structure)", False, p)
    if not status_ok:
        res.record(prefix + " (exit status)", False, status_why)


# ------------------------------------------------------------------ tier 1 --
def run_host_test(res, binary):
    name = "host/" + os.path.basename(binary)
    try:
        p = subprocess.run([binary], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        res.record(name, False, "timed out after 300 s")
        return
    except OSError as e:
        res.record(name, False, f"{binary}: {e.strerror} (make test-host builds it)")
        return
    log = save_log(name, p.stdout + p.stderr)
    record_ktap(res, p.stdout, name, p.returncode == 0,
                f"exit status {p.returncode}; log {log}")


def user_linux_cases(bindir):
    """flushlab's user programs, built for Linux (make user-linux), run here on
    the build machine: the same sources must behave the same on both kernels."""
    def run(name, *args):
        try:
            p = subprocess.run([os.path.join(bindir, name), *args], capture_output=True,
                               text=True, timeout=120, env={"FLUSHLAB": "1"})
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, str(e)
        return p.returncode, p.stdout + p.stderr

    def ktap_program(name):
        def case(res, ctx):
            rc, out = run(name)
            log = save_log("user-linux/" + name, out)
            record_ktap(res, out, "user-linux/" + name, rc == 0, f"exit status {rc}; log {log}")
        return case

    def hello(res, ctx):
        rc, out = run("hello", "one", "two words")
        want = ['argv[1] = "one"', 'argv[2] = "two words"', "argc 3, envc 1"]
        res.record("user-linux/hello", rc == 0 and all(w in out for w in want),
                   f"exit status {rc}, output {out!r}")

    def memtouch(res, ctx):
        rc, out = run("memtouch", "size=4M", "reps=1")
        ok = rc == 0 and re.search(r"^# bench memtouch accel=\w+ cpus=\d+ size=4194304 "
                                   r"pages=1024 reps=1 touch_ns_per_page_median=\d+", out, re.M)
        res.record("user-linux/memtouch", bool(ok), f"exit status {rc}, output {out!r}")

    def fpu_switch(res, ctx):
        rc, out = run("fpu_switch", "iters=200")
        res.record("user-linux/fpu_switch", rc == 0 and "fpu_switch: ok:" in out,
                   f"exit status {rc}, output {out!r}")

    def segv(res, ctx):
        rc, out = run("segv")
        res.record("user-linux/segv", rc == -11, f"exit status {rc} (expected SIGSEGV), {out!r}")

    def clonerace(res, ctx):
        rc, out = run("clonerace")
        res.record("user-linux/clonerace", rc == 0, f"exit status {rc}, {out!r}")

    def forktest(res, ctx):
        """forktest's modes but the fork bomb (no bomb on the build machine)."""
        for mode in ("cow", "status", "shared", "zero", "threads", "thp"):
            args = [mode] + ([f"hello={os.path.join(bindir, 'hello')}"] if mode == "status" else [])
            rc, out = run("forktest", *args)
            res.record(f"user-linux/forktest {mode}", rc == 0 and f"forktest {mode}: ok" in out,
                       f"exit status {rc}, {out!r}")

    def mremaptest(res, ctx):
        rc, out = run("mremaptest")
        res.record("user-linux/mremaptest", rc == 0 and "mremaptest: ok" in out,
                   f"exit status {rc}, {out!r}")

    def execthreads(res, ctx):
        rc, out = run("execthreads", os.path.join(bindir, "hello"))
        ok = rc == 0 and "execthreads: ok" in out and 'argv[1] = "exec-from-threads"' in out
        res.record("user-linux/execthreads", ok, f"exit status {rc}, {out!r}")

    def dbtrap(res, ctx):
        rc, out = run("dbtrap")
        res.record("user-linux/dbtrap", rc == -5 and "still alive" not in out,
                   f"exit status {rc} (expected SIGTRAP), {out!r}")

    def ok_line(name):
        def case(res, ctx):
            rc, out = run(name)
            res.record("user-linux/" + name, rc == 0 and f"{name}: ok " in out,
                       f"exit status {rc}, output {out!r}")
        return case

    return [("user-linux/badcalls", ktap_program("badcalls")),
            ("user-linux/vfs_files", ok_line("vfs_files")),
            ("user-linux/vfs_pipe", ok_line("vfs_pipe")),
            ("user-linux/vfs_mmap", ok_line("vfs_mmap")),
            ("user-linux/rtcheck", ktap_program("rtcheck")),
            ("user-linux/sys_info", ktap_program("sys_info")),
            ("user-linux/futexwake", ktap_program("futexwake")),
            ("user-linux/futexshare", ktap_program("futexshare")),
            ("user-linux/sigtest", ktap_program("sigtest")),
            ("user-linux/sleeptest", ktap_program("sleeptest")),
            ("user-linux/schedhog", ktap_program("schedhog")),
            ("user-linux/procself", ktap_program("procself")),
            ("user-linux/gathertest", ktap_program("gathertest")),
            ("user-linux/hello", hello), ("user-linux/memtouch", memtouch),
            ("user-linux/fpu_switch", fpu_switch),
            ("user-linux/segv", segv), ("user-linux/clonerace", clonerace),
            ("user-linux/dbtrap", dbtrap), ("user-linux/forktest", forktest),
            ("user-linux/mremaptest", mremaptest),
            ("user-linux/execthreads", execthreads)]


# ------------------------------------------------------------------ tier 2 --
def run_selftest(res, smp):
    name = f"selftest-smp{smp}"
    t0 = time.monotonic()
    status, out = flushlab_qemu.boot("selftest\n", smp=smp, mem="512M",
                                     timeout=BOOT_TIMEOUT, echo=False)
    log = save_log(name, out)
    print(f"# {name}: status {status} in {time.monotonic() - t0:.1f} s, log {log}")
    record_ktap(res, out, f"kernel/smp{smp}", status == 0,
                f"exit status {status}, expected 0; log {log}")


# ------------------------------------------------------------------ tier 3 --
class Context:
    """What a case needs from the runner: its timeout, logs, one boot."""
    timeout = BOOT_TIMEOUT

    @staticmethod
    def save_log(name, text):
        return save_log(name, text)

    @staticmethod
    def boot_case(res, name, script, spec, **kw):
        run_boot_case(res, name, script, spec, **kw)


def run_boot_case(res, name, script, spec, **kw):
    """One boot as @spec (a script header) says; records one result, @name."""
    t0 = time.monotonic()
    if spec.get("console") is not None:  # typed at the console, no script
        script, kw = None, dict(kw, stdin_bytes=spec["console"], stdin_after="console ready")
    status, out = flushlab_qemu.boot(script, smp=spec["smp"], mem=spec["mem"],
                                     timeout=BOOT_TIMEOUT, echo=False,
                                     pmem=spec.get("pmem"), cmdline=spec.get("cmdline"),
                                     cpu=spec.get("cpu"), **kw)
    log = save_log(name, out)
    skip = script_header.skipped(out, spec)
    if skip:
        res.record(name, True, skip, skip=True)
        return
    why = script_header.check(status, out, spec)
    res.record(name, why is None, f"{why}; log {log} ({time.monotonic() - t0:.1f} s)")


def script_case(path):
    def run(res, ctx):
        with open(path, "rb") as f:
            script = f.read()
        try:
            spec = script_header.parse(script.decode("utf-8", "replace"))
        except script_header.HeaderError as e:
            res.record(name, False, f"{os.path.relpath(path, ROOT)}: {e}")
            return
        run_boot_case(res, name, script, spec)
    name = "script/" + os.path.basename(path)[:-3]
    return name, run


# ------------------------------------------------------------ the table --
def cases(args):
    """Every case, in the order `make test` runs them: (name, tier, function).
    A function takes (Results, Context) and records its results."""
    table = [(f"host/{os.path.basename(b)}", "host", lambda r, c, b=b: run_host_test(r, b))
             for b in args.host_tests.split()]
    if args.user_linux:
        table += [(n, "host", f) for n, f in user_linux_cases(args.user_linux)]
        table += [(n, "host", f) for n, f in workloads.linux_cases(args.user_linux)]
    table += [(f"kernel/smp{n}", "kernel", lambda r, c, n=n: run_selftest(r, n))
              for n in (int(s) for s in args.smp.split(","))]
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "scripts", "*.fl"))):
        name, run = script_case(path)
        table.append((name, "script", run))
    table += [(n, "script", f) for n, f in generated.cases()]
    table += [(n, "script", f) for n, f in workloads.flushlab_cases()]
    table += [(n, "tooling", f) for n, f in tooling.cases()]
    table += [(n, "tlbmodel", f) for n, f in tlbmodel_tier.cases()]  # tests/runner/tlbmodel_tier.py
    # make compare-linux, one small run against Debian's Linux
    table += [(n, "tooling", f) for n, f in compare_linux_test.cases()]
    return table


def selected(table, only, globs):
    """The cases to run: of one tier (--only) or all; by name (-k, any glob;
    one -k may hold several, separated by spaces: make test T='a* b*')."""
    globs = [g for arg in globs for g in arg.split()]
    return [c for c in table if (not only or c[1] == only)
            and (not globs or any(fnmatch.fnmatchcase(c[0], g) for g in globs))]


def main():
    ap = argparse.ArgumentParser(description="flushlab tests")
    ap.add_argument("--host-tests", default="", help="host test binaries")
    ap.add_argument("--user-linux", default=None,
                    help="directory of user programs built for Linux (make user-linux)")
    ap.add_argument("--smp", default="1,2,4", help="CPU counts for selftest")
    ap.add_argument("--only", choices=["host", "kernel", "script", "tooling", "tlbmodel"],
                    default=None)
    ap.add_argument("-k", dest="globs", action="append", default=[], metavar="GLOB",
                    help="run only the cases whose name matches (fnmatch; repeatable)")
    ap.add_argument("--list", action="store_true", help="print the cases' names and tiers")
    args = ap.parse_args()
    table = cases(args)
    picked = selected(table, args.only, args.globs)
    if args.list:
        for name, tier, _ in picked:
            print(f"{tier:8} {name}")
        return 0
    if not picked:
        print(f"run_tests: no case matches {' '.join(args.globs)} (--list shows them)",
              file=sys.stderr)
        return 2
    res, ctx = Results(), Context()
    t0, tier = time.monotonic(), None
    for name, case_tier, run in picked:
        if case_tier != tier:
            print(f"# {case_tier} tier")
            tier = case_tier
        run(res, ctx)
    waited = flushlab_qemu.lock_wait_seconds
    print(f"# tests took {time.monotonic() - t0:.0f} s ({waited:.0f} s of it waiting for "
          f"other QEMUs' turns); logs in {os.path.relpath(LOG_DIR, ROOT)}/")
    print(f"{res.passed} passed, {res.failed} failed" +
          (f", {res.skipped} skipped" if res.skipped else ""))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
