#!/usr/bin/env python3
"""flushlab's test runner (`make test`): all three tiers, one verdict.

1. Host tier: the unit-test binaries built from tests/host/host.mk (ASan and
   UBSan), each printing KTAP.
2. Kernel tier: `selftest` booted in QEMU at -smp 1, 2 and 4; its KTAP is
   parsed case by case and each level's plan is checked.
3. Script tier: tests/scripts/*.fl (console scripts whose `#!` header lines
   give the expected exit status and output patterns, and `#! pmem: SIZE`
   for an emulated NVDIMM) and the generated
   tests below (long lines, control bytes, serial noise, broken kernels).

Every boot has a timeout, so a hang is a failure, never a stuck CI. The last
line is `N passed, M failed`; the exit status is 1 if anything failed.
Logs of every boot go to build/test-logs/.
"""
import argparse
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
import flushlab_qemu  # noqa: E402
import ktap  # noqa: E402

LOG_DIR = os.path.join(ROOT, "build", "test-logs")
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
def run_host_tests(res, binaries):
    print("# host tier")
    for binary in binaries:
        name = "host/" + os.path.basename(binary)
        try:
            p = subprocess.run([binary], capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            res.record(name, False, "timed out after 300 s")
            continue
        log = save_log(name, p.stdout + p.stderr)
        record_ktap(res, p.stdout, name, p.returncode == 0,
                    f"exit status {p.returncode}; log {log}")


# ------------------------------------------------------------------ tier 2 --
def run_selftests(res, smps):
    print("# kernel tier")
    for smp in smps:
        name = f"selftest-smp{smp}"
        t0 = time.monotonic()
        status, out = flushlab_qemu.boot("selftest\n", smp=smp, mem="512M",
                                         timeout=BOOT_TIMEOUT, echo=False)
        log = save_log(name, out)
        print(f"# {name}: status {status} in {time.monotonic() - t0:.1f} s, log {log}")
        record_ktap(res, out, f"kernel/smp{smp}", status == 0,
                    f"exit status {status}, expected 0; log {log}")


# ------------------------------------------------------------------ tier 3 --
def parse_header(text):
    """`#! key: value` lines of a script test."""
    spec = {"status": 0, "smp": 2, "mem": "512M", "expect": [], "reject": []}
    for line in text.splitlines():
        m = re.match(r"^#!\s*(\w+):\s?(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2)
        if key in ("expect", "reject"):
            spec[key].append(value)
        elif key in ("status", "smp"):
            spec[key] = int(value)
        else:
            spec[key] = value
    return spec


def check_output(name, status, out, spec):
    """None if the boot matched its spec, else the reason."""
    # The console echoes each script line; its comment lines (the spec
    # itself among them) must not satisfy or trip the patterns.
    out = re.sub(r"^flushlab# #.*$", "", out, flags=re.M)
    if status != spec["status"]:
        return f"exit status {status}, expected {spec['status']}"
    for pattern in spec["expect"]:
        if not re.search(pattern, out, re.M):
            return f"output lacks /{pattern}/"
    for pattern in spec["reject"]:
        if re.search(pattern, out, re.M):
            return f"output has /{pattern}/"
    return None


def run_boot_case(res, name, script, spec, **kw):
    t0 = time.monotonic()
    status, out = flushlab_qemu.boot(script, smp=spec["smp"], mem=spec["mem"],
                                     timeout=BOOT_TIMEOUT, echo=False,
                                     pmem=spec.get("pmem"), **kw)
    log = save_log(name, out)
    why = check_output(name, status, out, spec)
    res.record(name, why is None, f"{why}; log {log} ({time.monotonic() - t0:.1f} s)")


def run_script_tests(res):
    print("# script tier")
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "scripts", "*.fl"))):
        with open(path, "rb") as f:
            script = f.read()
        spec = parse_header(script.decode("utf-8", "replace"))
        run_boot_case(res, "script/" + os.path.basename(path)[:-3], script, spec)


def generated_bad_input():
    """Hostile script bytes the kernel must refuse line by line and survive."""
    rng = random.Random(2026)
    noise = bytes(rng.randrange(256) for _ in range(4096)).replace(b"\n", b" ")
    return (b"echo before\n"
            + b"x" * 10000 + b"\n"
            + b"echo a\x00b\n"
            + b"cat /proc/meminfo\x01\x02\n"
            + noise + b"\n"
            + b"echo after\n")


def run_icount_test(res):
    """ACCEL=icount: two boots print identical `# bench` lines, times included."""
    script = "bench hugetlb pages=8 reps=3 init=full\nbench shootdown iters=20\n"
    runs = []
    for i in (1, 2):
        status, out = flushlab_qemu.boot(script, smp=2, mem="512M", accel="icount",
                                         timeout=BOOT_TIMEOUT, echo=False)
        save_log(f"generated/icount-run{i}", out)
        runs.append((status, [l.strip() for l in out.splitlines() if l.startswith("# bench ")]))
    (s1, l1), (s2, l2) = runs
    if s1 or s2 or not l1:
        why = f"statuses {s1}/{s2}, {len(l1)} bench lines; logs build/test-logs/generated_icount-run*"
        res.record("generated/icount-deterministic", False, why)
    elif not all("accel=icount" in l for l in l1):
        res.record("generated/icount-deterministic", False, "a line lacks accel=icount")
    else:
        diff = next((f"{a} != {b}" for a, b in zip(l1, l2) if a != b), None)
        res.record("generated/icount-deterministic", l1 == l2 and diff is None,
                   diff or f"{len(l1)} vs {len(l2)} lines")


def run_generated_tests(res):
    spec = {"status": 1, "smp": 1, "mem": "512M",
            "expect": [r"^before\r?$", r"line too long \(10000 bytes, limit 1023\)",
                       r"control character 0x00", r"control character 0x01",
                       r"^after\r?$", r"script finished, [1-9]\d* failed"],
            "reject": [r"EXCEPTION", r"PANIC"]}
    run_boot_case(res, "generated/bad-script-bytes", generated_bad_input(), spec)

    # Binary noise typed at the interactive console, then real commands.
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(20000))
    typed = noise + b"\x15\x03\r" + b"echo still alive\r" + b"poweroff\r"
    spec = {"status": 1, "smp": 2, "mem": "512M",
            "expect": [r"^still alive\r?$"], "reject": [r"EXCEPTION", r"PANIC"]}
    run_boot_case(res, "generated/serial-noise", None, spec, stdin_bytes=typed,
                  stdin_after="console ready")

    run_broken_kernel_tests(res)
    run_icount_test(res)


def esp_with_kernel(tmpdir, kernel_bytes):
    """A copy of the ESP whose kernel.elf is replaced (None: removed)."""
    esp = os.path.join(tmpdir, "esp.img")
    shutil.copyfile(os.path.join(ROOT, "build", "esp.img"), esp)
    subprocess.run(["mdel", "-i", esp, "::/flushlab/kernel.elf"], check=True)
    if kernel_bytes is not None:
        path = os.path.join(tmpdir, "kernel.elf")
        with open(path, "wb") as f:
            f.write(kernel_bytes)
        subprocess.run(["mcopy", "-i", esp, path, "::/flushlab/kernel.elf"], check=True)
    return esp


def run_broken_kernel_tests(res):
    with open(os.path.join(ROOT, "build", "kernel.elf"), "rb") as f:
        good = f.read()
    cases = [
        ("missing", None, r"cannot read \\flushlab\\kernel\.elf"),
        ("not-elf", b"this is not an ELF file\n" * 10, r"kernel\.elf: not an ELF file"),
        ("truncated", good[:200], r"kernel\.elf: (program headers out of bounds|bad PT_LOAD)"),
    ]
    with tempfile.TemporaryDirectory() as tmpdir:
        for name, data, pattern in cases:
            esp = esp_with_kernel(tmpdir, data)
            spec = {"status": 4, "smp": 1, "mem": "256M",
                    "expect": [r"flushlab loader: error: " + pattern], "reject": []}
            run_boot_case(res, f"loader/{name}-kernel", "poweroff\n", spec, esp_img=esp)


def main():
    ap = argparse.ArgumentParser(description="flushlab tests")
    ap.add_argument("--host-tests", default="", help="host test binaries")
    ap.add_argument("--smp", default="1,2,4", help="CPU counts for selftest")
    ap.add_argument("--only", choices=["host", "kernel", "script"], default=None)
    args = ap.parse_args()
    res = Results()
    t0 = time.monotonic()
    if args.only in (None, "host"):
        run_host_tests(res, args.host_tests.split())
    if args.only in (None, "kernel"):
        run_selftests(res, [int(s) for s in args.smp.split(",")])
    if args.only in (None, "script"):
        run_script_tests(res)
        run_generated_tests(res)
    print(f"# tests took {time.monotonic() - t0:.0f} s; logs in build/test-logs/")
    print(f"{res.passed} passed, {res.failed} failed" +
          (f", {res.skipped} skipped" if res.skipped else ""))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
