"""Boot cases built by code, not by a tests/scripts/*.fl file: each needs
something a script header cannot say (binary noise, a broken kernel or
initramfs on the ESP, a program built here, two boots compared).

Called by run_tests.py, which lists them in its one table of cases.
"""
import os
import random
import re
import shutil
import subprocess
import tempfile

import flushlab_qemu

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bad_script_bytes():
    """Hostile script bytes the kernel must refuse line by line and survive."""
    rng = random.Random(2026)
    noise = bytes(rng.randrange(256) for _ in range(4096)).replace(b"\n", b" ")
    script = (b"echo before\n" + b"x" * 10000 + b"\n" + b"echo a\x00b\n"
              + b"cat /proc/meminfo\x01\x02\n" + noise + b"\n" + b"echo after\n")
    spec = {"status": 1, "smp": 1, "mem": "512M",
            "expect": [r"^before\r?$", r"line too long \(10000 bytes, limit 1023\)",
                       r"control character 0x00", r"control character 0x01",
                       r"^after\r?$", r"script finished, [1-9]\d* failed"],
            "reject": [r"EXCEPTION", r"PANIC"]}
    return script, spec


def serial_noise():
    """Binary noise typed at the interactive console, then real commands."""
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(20000))
    spec = {"status": 1, "smp": 2, "mem": "512M",
            "console": noise + b"\x15\x03\r" + b"echo still alive\r" + b"poweroff\r",
            "expect": [r"^still alive\r?$"], "reject": [r"EXCEPTION", r"PANIC"]}
    return None, spec


def icount_deterministic(res, ctx):
    """ACCEL=icount: two boots print the same `# bench` lines and read the
    same wall clock from the pinned CMOS RTC (when it followed the host's
    clock, the boot-time read moved later timers by nanoseconds). Every
    count and the rtc line must be equal; a time (key ending in _ns) may
    differ by ICOUNT_NS_SLACK ns: one clean clone in four still saw 116,878
    against 116,877 ns from a source not yet found."""
    script = "bench hugetlb pages=8 reps=3 init=full\nbench shootdown iters=20\n"
    name, runs = "generated/icount-deterministic", []
    for i in (1, 2):
        status, out = flushlab_qemu.boot(script, smp=2, mem="512M", accel="icount",
                                         timeout=ctx.timeout, echo=False)
        ctx.save_log(f"generated/icount-run{i}", out)
        runs.append((status, [l.strip() for l in out.splitlines()
                              if l.startswith("# bench ") or l.startswith("rtc: ")]))
    (s1, l1), (s2, l2) = runs
    if s1 or s2 or not l1:
        why = f"statuses {s1}/{s2}, {len(l1)} bench lines; logs build/test-logs/generated_icount-run*"
        res.record(name, False, why)
    elif not all("accel=icount" in l for l in l1 if l.startswith("# bench ")):
        res.record(name, False, "a line lacks accel=icount")
    else:
        diff = next((f"{a} != {b}" for a, b in zip(l1, l2) if not icount_lines_agree(a, b)),
                    None)
        res.record(name, len(l1) == len(l2) and diff is None,
                   diff or f"{len(l1)} vs {len(l2)} lines")


ICOUNT_NS_SLACK = 2


def icount_lines_agree(a, b):
    """The same line but for times (`*_ns=`) at most ICOUNT_NS_SLACK apart."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb):
        kx, _, vx = x.partition("=")
        ky, _, vy = y.partition("=")
        if x == y:
            continue
        if kx != ky or not kx.endswith("_ns") or not (vx.isdigit() and vy.isdigit()):
            return False
        if abs(int(vx) - int(vy)) > ICOUNT_NS_SLACK:
            return False
    return True


def big_smp(res, ctx):
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
    ctx.boot_case(res, name, script, spec)


def esp_with_file(tmpdir, esp_path, name, data):
    """A copy of the ESP whose \\flushlab\\NAME is replaced (None: removed)."""
    esp = os.path.join(tmpdir, f"esp-{name.replace('.', '-')}.img")
    shutil.copyfile(esp_path, esp)
    subprocess.run(["mdel", "-i", esp, f"::/flushlab/{name}"], check=True)
    if data is not None:
        path = os.path.join(tmpdir, name)
        with open(path, "wb") as f:
            f.write(data)
        subprocess.run(["mcopy", "-i", esp, path, f"::/flushlab/{name}"], check=True)
    return esp


LOADER_CASES = [
    ("missing", None, r"cannot read \\flushlab\\kernel\.elf"),
    ("not-elf", b"this is not an ELF file\n" * 10, r"kernel\.elf: not an ELF file"),
    ("truncated", 200, r"kernel\.elf: (program headers out of bounds|bad PT_LOAD)"),
]


def broken_kernel(kind):
    """loader/KIND-kernel: the loader refuses a bad kernel.elf in one line."""
    _, data, pattern = next(c for c in LOADER_CASES if c[0] == kind)

    def run(res, ctx):
        body = data
        if isinstance(data, int):
            with open(os.path.join(ROOT, "build", "kernel.elf"), "rb") as f:
                body = f.read()[:data]
        with tempfile.TemporaryDirectory() as tmpdir:
            esp = esp_with_file(tmpdir, os.path.join(ROOT, "build", "esp.img"), "kernel.elf",
                                body)
            spec = {"status": 4, "smp": 1, "mem": "256M",
                    "expect": [r"flushlab loader: error: " + pattern], "reject": []}
            ctx.boot_case(res, f"loader/{kind}-kernel", "poweroff\n", spec, esp_img=esp)
    return run


def initramfs_bin_added(res, ctx):
    """make run BIN=... adds a program to /bin for one boot."""
    esp_dir = os.path.dirname(flushlab_qemu.default_esp())
    with tempfile.TemporaryDirectory() as tmpdir:
        extra = os.path.join(tmpdir, "extra")
        shutil.copyfile(os.path.join(esp_dir, "user", "hello"), extra)
        spec = {"status": 0, "smp": 1, "mem": "256M", "reject": [r"corrupt archive"],
                "expect": [r"^extra\r?$", r"^hello\r?$",
                           r"^/bin/extra: ELF 64-bit LSB executable"]}
        ctx.boot_case(res, "initramfs/bin-added", "ls /bin\ncat /bin/extra\n", spec,
                      bins=[extra])


def initramfs_broken(kind):
    """initramfs/truncated, initramfs/missing: one clear boot line, the console goes on."""
    def run(res, ctx):
        esp_img = flushlab_qemu.default_esp()
        with open(os.path.join(os.path.dirname(esp_img), "initramfs.cpio"), "rb") as f:
            good = f.read()
        if kind == "truncated":
            data, script = good[:len(good) // 2], "ls /\n"
            spec = {"status": 0, "smp": 1, "mem": "256M", "reject": [r"EXCEPTION"],
                    "expect": [r"^initramfs: corrupt archive \(\d+ bytes\): offset 0x[0-9a-f]+: "
                               r".+; kept the \d+ files before it", r"script finished, 0 failed"]}
        else:
            data, script = None, "ls /bin\n"
            spec = {"status": 1, "smp": 1, "mem": "256M", "reject": [r"EXCEPTION"],
                    "expect": [r"^initramfs: none \(no \\flushlab\\initrd on the ESP\)",
                               r"^ls: cannot access '/bin': No such file or directory"]}
        with tempfile.TemporaryDirectory() as tmpdir:
            esp = esp_with_file(tmpdir, esp_img, "initrd", data)
            ctx.boot_case(res, f"initramfs/{kind}", script, spec, esp_img=esp)
    return run


def musl_hello(res, ctx):
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
        res.record("musl/hello/linux", p.returncode == 0 and re.search(want, p.stdout, re.M),
                   f"exit status {p.returncode}, output {p.stdout!r}")
        spec = {"status": 0, "smp": 2, "mem": "256M", "expect": [want],
                "reject": [r"EXCEPTION", r"segfault"]}
        ctx.boot_case(res, "musl/hello/flushlab", "musl_hello arg1\n", spec, bins=[prog])


def glibc_threads(smp):
    """A static glibc program with threads (gcc -static -pthread) behaves on
    flushlab as on Linux: its output equals tests/user/glibc_threads.expected,
    recorded once on a Linux host, and abort() ends it with SIGABRT, status
    134 (issue 19). Twice per boot, frames exact."""
    def run(res, ctx):
        name = f"glibc/threads-smp{smp}"
        with open(os.path.join(ROOT, "tests", "user", "glibc_threads.expected")) as f:
            want = [line.rstrip("\n") for line in f if line.strip()]
        lines = r"\r?\n".join("^" + re.escape(w) for w in want)
        run_once = lines + r"\r?\n^glibc_threads: killed by SIGABRT \(status 134\)"
        with tempfile.TemporaryDirectory() as tmpdir:
            prog = os.path.join(tmpdir, "glibc_threads")
            p = subprocess.run(["gcc", "-static", "-pthread", "-O2", "-o", prog,
                                os.path.join(ROOT, "tests", "user", "glibc_threads.c")],
                               capture_output=True, text=True)
            if p.returncode:
                res.record(name, True, "no static glibc here: " + p.stderr.strip()[-200:],
                           skip=True)
                return
            spec = {"status": 1, "smp": smp, "mem": "512M",
                    "expect": [rf"(?s){run_once}.*?^ok: \d+ frames = (\d+) free.*?{run_once}"
                               r".*?^ok: \d+ frames = \1 free",
                               r"^flushlab: script finished, 2 failed commands\r?$"],
                    "reject": [r"EXCEPTION", r"PANIC", r"segfault", r"traps:"]}
            script = ("glibc_threads\ncat /sys/kernel/debug/flushlab/check_memory\n"
                      "glibc_threads\ncat /sys/kernel/debug/flushlab/check_memory\n")
            ctx.boot_case(res, name, script, spec, bins=[prog])
    return run


def from_spec(name, build):
    """A case from a function that returns (script bytes, header dict)."""
    def run(res, ctx):
        script, spec = build()
        ctx.boot_case(res, name, script, spec)
    return run


def cases():
    """(name, function) for each generated case, in the order make test runs them."""
    out = [(name, from_spec(name, build)) for name, build in
           (("generated/bad-script-bytes", bad_script_bytes),
            ("generated/serial-noise", serial_noise))]
    out += [(f"loader/{kind}-kernel", broken_kernel(kind)) for kind, _, _ in LOADER_CASES]
    out += [("generated/icount-deterministic", icount_deterministic),
            ("initramfs/bin-added", initramfs_bin_added),
            ("initramfs/truncated", initramfs_broken("truncated")),
            ("initramfs/missing", initramfs_broken("missing")),
            ("musl/hello", musl_hello),
            ("glibc/threads-smp2", glibc_threads(2)),
            ("glibc/threads-smp4", glibc_threads(4)),
            ("script/big-smp-pseudofiles", big_smp)]
    return out
