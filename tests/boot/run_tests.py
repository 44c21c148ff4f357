#!/usr/bin/env python3
"""flushlab's test runner (`make test`): all three tiers, one verdict.

1. Host tier: the unit-test binaries built from tests/host/host.mk (ASan and
   UBSan), each printing KTAP.
2. Kernel tier: `selftest` booted in QEMU at -smp 1, 2 and 4; its KTAP is
   parsed case by case and each level's plan is checked.
3. Script tier: tests/scripts/*.fl (console scripts whose `#!` header lines
   give the expected exit status and output patterns, `#! pmem: SIZE`
   for an emulated NVDIMM and `#! cmdline: WORDS` for the kernel command
   line, `#! skip: PATTERN` for a case that reports SKIP when its output
   matches, e.g. a course lab not yet done) and the generated
   tests below (long lines, control bytes, serial noise, broken kernels).
4. Tooling: ACCEL=kvm refused without vmx/svm, `make run`'s exit status,
   `make usb`'s disk booted as a USB stick, and an x2APIC boot where QEMU's
   TCG has x2APIC (a SKIP line says why not).

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
import workloads  # noqa: E402
import trace_check  # noqa: E402

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


def run_user_linux(res, bindir):
    """flushlab's user programs, built for Linux (make user-linux), run here on
    the build machine: the same sources must behave the same on both kernels."""
    def run(name, *args):
        try:
            p = subprocess.run([os.path.join(bindir, name), *args], capture_output=True,
                               text=True, timeout=120, env={"FLUSHLAB": "1"})
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, str(e)
        return p.returncode, p.stdout + p.stderr

    print("# host tier: user programs on Linux")
    for name in ("badcalls", "rtcheck"):
        rc, out = run(name)
        log = save_log("user-linux/" + name, out)
        record_ktap(res, out, "user-linux/" + name, rc == 0, f"exit status {rc}; log {log}")
    rc, out = run("hello", "one", "two words")
    want = ['argv[1] = "one"', 'argv[2] = "two words"', "argc 3, envc 1"]
    res.record("user-linux/hello", rc == 0 and all(w in out for w in want),
               f"exit status {rc}, output {out!r}")
    rc, out = run("memtouch", "size=4M", "reps=1")
    ok = rc == 0 and re.search(r"^# bench memtouch accel=\w+ cpus=\d+ size=4194304 pages=1024 "
                               r"reps=1 touch_ns_per_page_median=\d+", out, re.M)
    res.record("user-linux/memtouch", bool(ok), f"exit status {rc}, output {out!r}")
    rc, out = run("segv")
    res.record("user-linux/segv", rc == -11, f"exit status {rc} (expected SIGSEGV), {out!r}")


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
    if spec.get("ftrace") == "check":  # every saved trace block in ftrace's format
        problems = trace_check.check_text(out)
        if problems:
            return f"ftrace format: {problems[0]} (and {len(problems) - 1} more)"
    return None


def run_boot_case(res, name, script, spec, **kw):
    t0 = time.monotonic()
    status, out = flushlab_qemu.boot(script, smp=spec["smp"], mem=spec["mem"],
                                     timeout=BOOT_TIMEOUT, echo=False,
                                     pmem=spec.get("pmem"), cmdline=spec.get("cmdline"),
                                     **kw)
    log = save_log(name, out)
    # `#! skip: PATTERN` (and `#! skip_why: TEXT`): a case that cannot run
    # yet, e.g. a course lab whose code the student has not written, says
    # so as a SKIP line instead of failing.
    m = re.search(spec["skip"], out, re.M) if spec.get("skip") else None
    if m:
        res.record(name, True, f"{spec.get('skip_why', 'not runnable')}: {m.group(0).strip()}",
                   skip=True)
        return
    why = check_output(name, status, out, spec)
    res.record(name, why is None, f"{why}; log {log} ({time.monotonic() - t0:.1f} s)")


def run_script_tests(res):
    print("# script tier")
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "scripts", "*.fl"))):
        with open(path, "rb") as f:
            script = f.read()
        spec = parse_header(script.decode("utf-8", "replace"))
        run_boot_case(res, "script/" + os.path.basename(path)[:-3], script, spec)


def run_named_scripts(paths):
    """`--scripts FILE...`: those script cases alone (make course-check)."""
    res = Results()
    for path in paths:
        with open(path, "rb") as f:
            script = f.read()
        spec = parse_header(script.decode("utf-8", "replace"))
        run_boot_case(res, "script/" + os.path.basename(path)[:-3], script, spec)
    print(f"{res.passed} passed, {res.failed} failed" +
          (f", {res.skipped} skipped" if res.skipped else ""))
    return 1 if res.failed else 0


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


def run_big_smp_test(res):
    """cat /proc/cpuinfo and the TLB ledger whole at a CPU count whose files
    pass 16 KiB (cat's first buffer): -smp 112 and up. Opt-in, it is slow
    under TCG on 2 host cores (-smp 128: about 75 s): TEST_BIG_SMP=128."""
    cpus = int(os.environ.get("TEST_BIG_SMP", "0"))
    name = "script/big-smp-pseudofiles"
    if cpus < 2:
        res.record(name, True, "off by default (-smp 128 boots in about 75 s under "
                   "TCG here); TEST_BIG_SMP=128 runs it", skip=True)
        return
    last = cpus - 1
    spec = {"status": 0, "smp": cpus, "mem": "512M",
            "expect": [rf"^smp: {cpus} of {cpus} CPUs online",
                       rf"^processor\s+: {last}\r?\n(.*\r?\n){{4}}flags\s+:.*\r?\n\r?\n"
                       r"flushlab# cat /sys/kernel/debug/flushlab/tlb_ledger",
                       rf"^{last}\s+\d+(\s+\d+){{6}}\r?\ntotal\s"],
            "reject": [r"truncated", r"EXCEPTION", r"PANIC"]}
    script = b"cat /proc/cpuinfo\ncat /sys/kernel/debug/flushlab/tlb_ledger\n"
    run_boot_case(res, name, script, spec)


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

    # Ctrl-C at the interactive console ends a sleep at once; what was typed
    # after it still runs. Without the interrupt this boot would sleep 60 s.
    typed = b"time sleep 60000\r\x03echo after ctrl-c\rpoweroff\r"
    spec = {"status": 1, "smp": 1, "mem": "512M",
            "expect": [r"^\^C\r?\nsleep: interrupted\r?$", r"^real\s+0m0\.\d+s\r?$",
                       r"^after ctrl-c\r?$", r"poweroff, status 1 \(1 failed commands\)"],
            "reject": [r"EXCEPTION", r"PANIC"]}
    run_boot_case(res, "generated/sleep-ctrl-c", None, spec, stdin_bytes=typed,
                  stdin_after="console ready")

    # Ctrl-C at the interactive console kills the foreground program (status
    # 130); what was typed after it still reaches the console.
    typed = b"memtouch size=64M reps=64\r\x03echo after ctrl-c\rpoweroff\r"
    spec = {"status": 1, "smp": 2, "mem": "512M",
            "expect": [r"\^C\r?$", r"^after ctrl-c\r?$", r"1 failed commands"],
            "reject": [r"EXCEPTION", r"PANIC", r"# bench memtouch"]}
    run_boot_case(res, "generated/ctrl-c", None, spec, stdin_bytes=typed,
                  stdin_after="console ready")

    run_broken_kernel_tests(res)
    run_icount_test(res)
    run_initramfs_tests(res)
    run_musl_test(res)


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


# ------------------------------------------------------------------ tooling --
def check_kvm_detection(res):
    """ACCEL=kvm is refused, in one line and before QEMU starts, on a host
    without vmx/svm; the detection itself is checked on made-up hosts."""
    with tempfile.TemporaryDirectory() as tmp:
        plain, virt = os.path.join(tmp, "plain"), os.path.join(tmp, "virt")
        with open(plain, "w") as f:
            f.write("processor\t: 0\nflags\t\t: fpu pae sse2 hypervisor\n")
        with open(virt, "w") as f:
            f.write("processor\t: 0\nflags\t\t: fpu pae vmx sse2\n")
        cases = [(plain, "/dev/kvm", r"no vmx or svm flag"),
                 (virt, os.path.join(tmp, "nokvm"), r"nokvm: No such file"),
                 (virt, "/dev/null", r"/dev/null does not answer KVM_GET_API_VERSION")]
        for cpuinfo, dev, pattern in cases:
            why = flushlab_qemu.kvm_problem(cpuinfo, dev) or ""
            if not re.search(pattern, why):
                res.record("tooling/kvm-detection", False, f"{cpuinfo}, {dev}: got {why!r}")
                return
    res.record("tooling/kvm-detection", True)

    name = "tooling/accel-kvm-refused"
    if flushlab_qemu.kvm_problem() is None:
        res.record(name, True, "this host has hardware KVM", skip=True)
        return
    env = dict(os.environ, ACCEL="kvm")
    p = subprocess.run([os.path.join(ROOT, "tools", "qemu-boot"), "--script",
                        os.path.join(ROOT, "scripts", "default.fl")],
                       capture_output=True, text=True, env=env, timeout=60)
    lines = p.stderr.strip().splitlines()
    ok = (p.returncode == 2 and len(lines) == 1 and "ACCEL=kvm" in lines[0]
          and "BdsDxe" not in p.stdout)
    res.record(name, ok, f"status {p.returncode}, stderr {p.stderr!r}")


def check_make_run_verdict(res):
    """make can only exit 0 or 2: a failing script gives 2, and the verdict
    is the last line of the run and make's `Error N`, as the README says."""
    with tempfile.NamedTemporaryFile("w", suffix=".fl", delete=False) as f:
        f.write("echo make-run-check\nfalse\n")
    # A make of its own, not a sub-make of `make test`: no inherited jobserver.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    try:
        p = subprocess.run(["make", "-s", "--no-print-directory", "run", f"SCRIPT={f.name}",
                            "SMP=1", "MEM=512M", f"TIMEOUT={BOOT_TIMEOUT}"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=BOOT_TIMEOUT + 120)
    finally:
        os.unlink(f.name)
    save_log("tooling/make-run-verdict", p.stdout + p.stderr)
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    ok = (p.returncode == 2 and last == "[qemu-boot] exit status 1: a command failed"
          and re.search(r"\[Makefile:\d+: run\] Error 1$", p.stderr, re.M))
    res.record("tooling/make-run-verdict", bool(ok),
               f"make exited {p.returncode}, last line {last!r}, stderr {p.stderr[-200:]!r}")


def gpt_problem(path):
    """None if @path is a GPT disk whose one partition is an ESP at 1 MiB."""
    import struct
    import zlib
    with open(path, "rb") as f:
        disk = f.read()
    if disk[510:512] != b"\x55\xaa" or disk[450] != 0xEE:
        return "no protective MBR"
    for lba in (1, len(disk) // 512 - 1):
        hdr = bytearray(disk[lba * 512:lba * 512 + 92])
        if hdr[:8] != b"EFI PART":
            return f"no GPT header at LBA {lba}"
        crc = struct.unpack_from("<I", hdr, 16)[0]
        struct.pack_into("<I", hdr, 16, 0)
        if zlib.crc32(hdr) != crc:
            return f"bad header CRC at LBA {lba}"
        my_lba, entries_lba, n, size, entries_crc = struct.unpack_from("<Q40xQIII", hdr, 24)
        table = disk[entries_lba * 512:entries_lba * 512 + n * size]
        if my_lba != lba or zlib.crc32(table) != entries_crc:
            return f"bad entry array for the header at LBA {lba}"
        esp_type = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")
        first, last = struct.unpack_from("<QQ", table, 32)
        if table[:16] != esp_type or first != 2048 or table[128:256] != bytes(128):
            return "the first entry is not the only one, or not an ESP at 1 MiB"
    return None


def check_usb_image(res):
    """`make usb` writes a GPT disk; OVMF boots it as a USB stick."""
    p = subprocess.run(["make", "-s", "--no-print-directory", "usb"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    img = os.path.join(ROOT, "build", "usb.img")
    why = f"make usb: {p.stderr.strip()}" if p.returncode else gpt_problem(img)
    if why:
        res.record("tooling/usb-image", False, why)
        return None
    spec = {"status": 0, "smp": 1, "mem": "512M",
            "expect": [r"BdsDxe: starting Boot\w+ \"UEFI QEMU QEMU USB HARDDRIVE",
                       r"^usb-ok\r?$", r"^cpu: x2APIC (present|absent)"], "reject": []}
    status, out = flushlab_qemu.boot("echo usb-ok\n", smp=1, mem="512M", timeout=BOOT_TIMEOUT,
                                     echo=False, esp_img=img, usb_fat_offset=1 << 20)
    log = save_log("tooling/usb-image", out)
    why = check_output("tooling/usb-image", status, out, spec)
    res.record("tooling/usb-image", why is None, f"{why}; log {log}")
    return out


def check_x2apic_boot(res, boot_log):
    """Where QEMU's TCG emulates x2APIC (CPUID.1:ECX[21] under -cpu max, as the
    kernel's `cpu: x2APIC` line reports), run the shootdown suite in that mode."""
    name = "kernel/x2apic-shootdown"
    m = re.search(r"^cpu: x2APIC (present|absent)", boot_log or "", re.M)
    if not m:
        res.record(name, False, "no `cpu: x2APIC` line in the -cpu max boot to decide on")
        return
    if m.group(1) == "absent":
        ver = subprocess.run([flushlab_qemu.QEMU, "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
        res.record(name, True, f"{ver}: TCG has no x2APIC (CPUID.1:ECX[21] clear under "
                   "-cpu max); QEMU 8.1 or later emulates it (QEMU=path selects one)",
                   skip=True)
        return
    spec = {"status": 0, "smp": 4, "mem": "512M",
            "expect": [r"^lapic: x2APIC \(MSRs\) mode", r"^ok \d+ shootdown\r?$"],
            "reject": [r"not ok|EXCEPTION|PANIC"]}
    run_boot_case(res, name, "selftest shootdown\n", spec)


def run_tooling_tests(res):
    print("# tooling")
    check_kvm_detection(res)
    check_make_run_verdict(res)
    check_x2apic_boot(res, check_usb_image(res))


def esp_with_initrd(tmpdir, initrd_bytes):
    """A copy of the ESP whose \\flushlab\\initrd is replaced (None: removed)."""
    esp = os.path.join(tmpdir, "esp-initrd.img")
    shutil.copyfile(flushlab_qemu.default_esp(), esp)
    subprocess.run(["mdel", "-i", esp, "::/flushlab/initrd"], check=True)
    if initrd_bytes is not None:
        path = os.path.join(tmpdir, "initrd")
        with open(path, "wb") as f:
            f.write(initrd_bytes)
        subprocess.run(["mcopy", "-i", esp, path, "::/flushlab/initrd"], check=True)
    return esp


def run_initramfs_tests(res):
    """make run BIN=... adds a program to /bin; a corrupt or missing initrd is
    one clear boot line and the console goes on."""
    esp_dir = os.path.dirname(flushlab_qemu.default_esp())
    with open(os.path.join(esp_dir, "initramfs.cpio"), "rb") as f:
        good = f.read()
    with tempfile.TemporaryDirectory() as tmpdir:
        extra = os.path.join(tmpdir, "extra")
        shutil.copyfile(os.path.join(esp_dir, "user", "hello"), extra)
        spec = {"status": 0, "smp": 1, "mem": "256M", "reject": [r"corrupt archive"],
                "expect": [r"^extra\r?$", r"^hello\r?$",
                           r"^/bin/extra: ELF 64-bit LSB executable"]}
        run_boot_case(res, "initramfs/bin-added", "ls /bin\ncat /bin/extra\n", spec,
                      bins=[extra])
        spec = {"status": 0, "smp": 1, "mem": "256M", "reject": [r"EXCEPTION"],
                "expect": [r"^initramfs: corrupt archive \(\d+ bytes\): offset 0x[0-9a-f]+: "
                           r".+; kept the \d+ files before it",
                           r"script finished, 0 failed"]}
        esp = esp_with_initrd(tmpdir, good[:len(good) // 2])
        run_boot_case(res, "initramfs/truncated", "ls /\n", spec, esp_img=esp)
        spec = {"status": 1, "smp": 1, "mem": "256M", "reject": [r"EXCEPTION"],
                "expect": [r"^initramfs: none \(no \\flushlab\\initrd on the ESP\)",
                           r"^ls: cannot access '/bin': No such file or directory"]}
        esp = esp_with_initrd(tmpdir, None)
        run_boot_case(res, "initramfs/missing", "ls /bin\n", spec, esp_img=esp)


def run_musl_test(res):
    """A static binary built by Debian's musl-gcc runs unchanged on Linux (this
    machine) and on flushlab (added to /bin as make run BIN=... does)."""
    if not shutil.which("musl-gcc"):
        res.record("musl/hello", True, "musl-gcc not found (apt-get install musl-tools)",
                   skip=True)
        return
    want = r"^musl hello: pid \d+ argc 2 argv\[1\]=arg1 p\[99999\]=1 m\[last\]=2\r?$"
    with tempfile.TemporaryDirectory() as tmpdir:
        prog = os.path.join(tmpdir, "musl_hello")
        p = subprocess.run(["musl-gcc", "-static", "-O2", "-o", prog,
                            os.path.join(ROOT, "tests", "user", "musl_hello.c")],
                           capture_output=True, text=True)
        if p.returncode:
            res.record("musl/build", False, p.stderr.strip())
            return
        p = subprocess.run([prog, "arg1"], capture_output=True, text=True, timeout=60)
        res.record("musl/hello-linux", p.returncode == 0 and re.search(want, p.stdout, re.M),
                   f"exit status {p.returncode}, output {p.stdout!r}")
        spec = {"status": 0, "smp": 2, "mem": "256M", "expect": [want],
                "reject": [r"EXCEPTION", r"segfault"]}
        run_boot_case(res, "musl/hello-flushlab", "musl_hello arg1\n", spec, bins=[prog])


def main():
    ap = argparse.ArgumentParser(description="flushlab tests")
    ap.add_argument("--host-tests", default="", help="host test binaries")
    ap.add_argument("--user-linux", default=None,
                    help="directory of user programs built for Linux (make user-linux)")
    ap.add_argument("--smp", default="1,2,4", help="CPU counts for selftest")
    ap.add_argument("--only", choices=["host", "kernel", "script", "tooling", "frames"],
                    default=None)
    ap.add_argument("--scripts", nargs="+", default=None, metavar="FILE",
                    help="run only these tests/scripts/*.fl cases (e.g. a course exercise)")
    args = ap.parse_args()
    if args.scripts:
        return run_named_scripts(args.scripts)
    res = Results()
    t0 = time.monotonic()
    if args.only in (None, "host"):
        run_host_tests(res, args.host_tests.split())
        if args.user_linux:
            run_user_linux(res, args.user_linux)
            workloads.run_linux(res, args.user_linux, save_log)
    if args.only in (None, "kernel"):
        run_selftests(res, [int(s) for s in args.smp.split(",")])
    if args.only in (None, "script"):
        run_script_tests(res)
        run_generated_tests(res)
        run_big_smp_test(res)
        workloads.run_flushlab(res, save_log, BOOT_TIMEOUT)
    if args.only in (None, "tooling"):
        run_tooling_tests(res)
    if args.only == "frames":  # opt-in: make test-frames (WORKLOAD_RUNS=100 by default)
        workloads.run_frames_lost(res, save_log, BOOT_TIMEOUT)
    print(f"# tests took {time.monotonic() - t0:.0f} s; logs in build/test-logs/")
    print(f"{res.passed} passed, {res.failed} failed" +
          (f", {res.skipped} skipped" if res.skipped else ""))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
