"""Tooling cases of the runner: the host-side promises of the README.

ACCEL=kvm refused without vmx/svm, `make run`'s exit status, and `make
usb`'s disk booted as a USB stick. Called by run_tests.py's table.
"""
import os
import re
import struct
import subprocess
import tempfile
import zlib

import flushlab_qemu
import script_header

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def kvm_detection(res, ctx):
    """The detection itself, checked on made-up hosts."""
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


def accel_kvm_refused(res, ctx):
    """ACCEL=kvm is refused, in one line and before QEMU starts, on a host
    without vmx/svm."""
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


def make_run_verdict(res, ctx):
    """make can only exit 0 or 2: a failing script gives 2, and the verdict
    is the last line of the run and make's `Error N`, as the README says."""
    with tempfile.NamedTemporaryFile("w", suffix=".fl", delete=False) as f:
        f.write("echo make-run-check\nfalse\n")
    # A make of its own, not a sub-make of `make test`: no inherited jobserver.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    try:
        p = subprocess.run(["make", "-s", "--no-print-directory", "run", f"SCRIPT={f.name}",
                            "SMP=1", "MEM=512M", f"TIMEOUT={ctx.timeout}"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=ctx.timeout + 120)
    finally:
        os.unlink(f.name)
    ctx.save_log("tooling/make-run-verdict", p.stdout + p.stderr)
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    ok = (p.returncode == 2 and last == "[qemu-boot] exit status 1: a command failed"
          and re.search(r"\[Makefile:\d+: run\] Error 1$", p.stderr, re.M))
    res.record("tooling/make-run-verdict", bool(ok),
               f"make exited {p.returncode}, last line {last!r}, stderr {p.stderr[-200:]!r}")


def gpt_problem(path):
    """None if @path is a GPT disk whose one partition is an ESP at 1 MiB."""
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


def usb_image(res, ctx):
    """`make usb` writes a GPT disk; OVMF boots it as a USB stick."""
    p = subprocess.run(["make", "-s", "--no-print-directory", "usb"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    img = os.path.join(ROOT, "build", "usb.img")
    why = f"make usb: {p.stderr.strip()}" if p.returncode else gpt_problem(img)
    if why:
        res.record("tooling/usb-image", False, why)
        return
    spec = {"status": 0, "smp": 1, "mem": "512M",
            "expect": [r"BdsDxe: starting Boot\w+ \"UEFI QEMU QEMU USB HARDDRIVE",
                       r"^usb-ok\r?$", r"^cpu: x2APIC (present|absent)"], "reject": []}
    status, out = flushlab_qemu.boot("echo usb-ok\n", smp=1, mem="512M", timeout=ctx.timeout,
                                     echo=False, esp_img=img, usb_fat_offset=1 << 20)
    log = ctx.save_log("tooling/usb-image", out)
    why = script_header.check(status, out, spec)
    res.record("tooling/usb-image", why is None, f"{why}; log {log}")


def qemu_boot_header(res, ctx):
    """tools/qemu-boot boots a script with its own header (here -smp 1 and
    xAPIC mode, not qemu-boot's defaults) and with --check checks its
    expectations; an explicit --smp wins over the header."""
    name = "tooling/qemu-boot-header"
    with tempfile.NamedTemporaryFile("w", suffix=".fl", delete=False) as f:
        f.write("#! smp: 1\n#! cpu: max,-x2apic\n#! expect: ^smp: 2 of 2 CPUs online\n"
                "#! expect: ^lapic: xAPIC \\(MMIO\\) mode\n#! expect: ^header-ok\\r?$\n"
                "echo header-ok\n")
    env = {k: v for k, v in os.environ.items() if k not in ("SMP", "MEM", "CPU")}
    try:
        p = subprocess.run([os.path.join(ROOT, "tools", "qemu-boot"), "--check", "--smp", "2",
                            "--timeout", str(ctx.timeout), "--script", f.name],
                           capture_output=True, text=True, env=env, timeout=ctx.timeout + 60)
    finally:
        os.unlink(f.name)
    log = ctx.save_log(name, p.stdout + p.stderr)
    ok = (p.returncode == 0 and "-smp 2 -m 512M" in p.stdout and "cpu=max,-x2apic" in p.stdout
          and "[qemu-boot] check: every expectation of the header holds" in p.stdout)
    res.record(name, ok, f"status {p.returncode}; log {log}")


def cases():
    return [("tooling/kvm-detection", kvm_detection),
            ("tooling/accel-kvm-refused", accel_kvm_refused),
            ("tooling/make-run-verdict", make_run_verdict),
            ("tooling/usb-image", usb_image),
            ("tooling/qemu-boot-header", qemu_boot_header)]
