"""Boot flushlab in QEMU with OVMF, one fresh machine per call.

Used by tools/qemu-boot (make run, make shell, make debug), the boot-test
runner and the benchmark driver. Each boot gets its own copy of the ESP
image, with the script and command line written into \\flushlab\\ on it (the
route a USB stick would take), and its own copy of OVMF_VARS, so no boot can
change the next one. Programs from outside the tree (`make run BIN=...`) go
into that copy's initramfs as a second, concatenated cpio archive. The kernel's verdict comes back through isa-debug-exit.
"""
import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import mkinitramfs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"
# QEMU 10 from Debian bookworm-backports, unpacked into build/qemu/ by
# tools/deps.sh (README: "QEMU"); QEMU=/path/to/qemu-system-x86_64 selects
# another (the system's 7.2 works too: xAPIC only, not tested by CI).
QEMU_TREE = os.path.join(ROOT, "build", "qemu")
QEMU = os.environ.get("QEMU") or os.path.join(QEMU_TREE, "usr", "bin", "qemu-system-x86_64")


def qemu_env_and_args(qemu=None):
    """Environment and extra arguments for a QEMU unpacked outside /usr (a
    tree TREE/usr/bin/qemu-system-x86_64, as build/qemu/): its own modules
    (QEMU_MODULE_DIR; else it tries the system's, of another build, and
    says so on every boot) and its own data files (-L) first."""
    qemu = qemu or QEMU
    if os.sep not in qemu:
        if not shutil.which(qemu):
            raise QemuMissing(f"{qemu}: not found on PATH")
        return dict(os.environ), []
    if not os.access(qemu, os.X_OK):
        raise QemuMissing(f"{qemu}: no such program (run tools/deps.sh, or QEMU=path)")
    env, args = dict(os.environ), []
    real = os.path.realpath(qemu)
    if real.startswith("/usr/bin/"):  # the system's own: its modules and data are in place
        return env, args
    tree = os.path.dirname(os.path.dirname(os.path.dirname(real)))
    modules = os.path.join(tree, "usr", "lib", "x86_64-linux-gnu", "qemu")
    if "QEMU_MODULE_DIR" not in env and os.path.isdir(modules):
        env["QEMU_MODULE_DIR"] = modules
    data = os.path.join(tree, "usr", "share", "qemu")
    if os.path.isdir(data):
        args = ["-L", data]
    return env, args


# Statuses beyond the kernel's own (0 ok, 1 failed command, 3 crash, 4 loader error).
STATUS_TIMEOUT = 124
STATUS_NO_VERDICT = 125


def default_esp():
    """build/esp.img, or $FLUSHLAB_ESP (a second build tree: make B=dir)."""
    return os.environ.get("FLUSHLAB_ESP") or os.path.join(ROOT, "build", "esp.img")


# ---- the TLB-model plugin (tools/tlbmodel/; TLBMODEL=PRESET) ----
class TlbmodelUnavailable(Exception):
    """TLBMODEL asks for something this QEMU or this boot cannot give."""


def tlbmodel_dir(esp_img=None):
    """The build tree's tlbmodel/ (beside the ESP image the boot uses)."""
    return os.path.join(os.path.dirname(esp_img or default_esp()), "tlbmodel")


def tlbmodel_presets(esp_img=None):
    """The presets table as tlbmodel-presets prints it (TLBMODEL=list)."""
    tool = os.path.join(tlbmodel_dir(esp_img), "tlbmodel-presets")
    return subprocess.run([tool], capture_output=True, text=True, check=True).stdout


def qemu_version():
    """(major, minor) of $QEMU, or None if it does not say."""
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout
    except OSError:
        return None
    m = re.search(r"version (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def direct_map_base():
    """DIRECT_MAP_BASE from include/flushlab/layout.h: where the plugin reads page tables."""
    with open(os.path.join(ROOT, "include", "flushlab", "layout.h")) as f:
        return re.search(r"#define DIRECT_MAP_BASE (0x[0-9a-fA-F]+)", f.read()).group(1)


def tlbmodel_args(preset, accel, smp, esp_img=None):
    """QEMU's -plugin arguments for the model, or TlbmodelUnavailable saying why not.

    QEMU 10.0.2's round-robin TCG (thread=single, which -icount forces) hands
    plugin callbacks the vCPU index of the CPU that translated a block, so with
    -smp >= 2 per-CPU figures are wrong: the model runs under MTTCG only then.
    """
    so = os.path.join(tlbmodel_dir(esp_img), "libtlbmodel.so")
    check = os.path.join(tlbmodel_dir(esp_img), "tlbmodel-presets")
    if not os.path.exists(so) or not os.path.exists(check):
        raise TlbmodelUnavailable(f"{so} is not built: run make tlbmodel")
    if subprocess.run([check, "--check", preset]).returncode:
        raise TlbmodelUnavailable(f"TLBMODEL={preset}: no such preset (TLBMODEL=list lists them)")
    version = qemu_version()
    if not version or version < (10, 0):
        have = ".".join(map(str, version)) if version else "unknown"
        raise TlbmodelUnavailable(
            f"TLBMODEL needs QEMU >= 10.0 (TCG plugin API 4); {QEMU} is version {have}, "
            "whose plugin API is too old (7.2 offers 0-1). Run with QEMU=/path/to/qemu-10's "
            "qemu-system-x86_64")
    if accel == "icount" and smp and int(smp) >= 2:
        raise TlbmodelUnavailable(
            "TLBMODEL with ACCEL=icount needs -smp 1: QEMU 10.0.2's round-robin TCG gives "
            "plugin callbacks the wrong vCPU index with -smp >= 2 (use ACCEL=tcg, MTTCG)")
    if accel == "kvm":
        raise TlbmodelUnavailable("TLBMODEL needs TCG: a plugin sees no KVM guest's accesses")
    arg = f"{so},preset={preset},dmap={direct_map_base()}"
    arg += f",check={os.environ.get('TLBMODEL_CHECK', 'gen')}"
    arg += f",report={os.environ.get('TLBMODEL_REPORT', '8')}"
    # -d plugin: the plugin's lines go to QEMU's log, stderr, merged with the console.
    return ["-plugin", arg, "-d", "plugin"]


# ACCEL=icount: TCG on one host thread with an instruction counter for a
# clock (-icount shift=0: one instruction, one nanosecond; sleep=off: idle
# time is skipped, not waited). Every count then repeats exactly from run
# to run, and every time to a nanosecond or two (docs/tcg.md), so the work two
# strategies do can be compared; but an IPI or an INVLPG costs about one instruction, so times say
# nothing about hardware. The kernel cannot see icount in CPUID, so the
# command line tells it, and it labels its lines accel=icount.
# The CMOS clock is pinned too (-rtc base=...,clock=vm: a fixed date that
# moves with the instruction counter): by default it starts from the host's
# time of day, and the kernel's boot-time read of it (arch/x86_64/rtc.c waits
# out the update-in-progress bit, then converts the date) took a different
# number of instructions on each boot, which moved every later timer by a
# few nanoseconds and made two icount runs differ.
ICOUNT_RTC_BASE = "2026-01-01T00:00:00"
ICOUNT_ARGS = ["-accel", "tcg,thread=single", "-icount", "shift=0,sleep=off,align=off",
               "-rtc", f"base={ICOUNT_RTC_BASE},clock=vm"]


ICOUNT_CPU = "max,-x2apic"


def accel_args(accel):
    if accel == "icount":
        return ICOUNT_ARGS
    return ["-accel", "tcg,thread=multi" if accel == "tcg" else accel]


def kernel_cmdline(accel, cmdline, tlbmodel=None):
    """The kernel command line for this boot: the caller's, plus accel=icount
    and tlbmodel (the kernel then marks phases for the plugin)."""
    words = [cmdline] if cmdline else []
    if accel == "icount":
        words.append("accel=icount")
    if tlbmodel:
        words.append("tlbmodel")
    return " ".join(words) or None


# PMEM=SIZE: QEMU's emulated NVDIMM (ACPI NFIT, one SPA range of persistent
# memory) backed by a sparse file, so a 4G device costs no disk until the
# guest writes it (flushlab never writes it: it only builds struct pages).
# -m needs memory slots and a maxmem that leaves room for the device.
def size_bytes(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = str(text).strip().upper()
    if text and text[-1] in units:
        return int(text[:-1]) * units[text[-1]]
    return int(text)


def pmem_file(size):
    path = os.path.join(ROOT, "build", "pmem0.img")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "ab") as f:
        f.truncate(size_bytes(size))  # sparse: no blocks written
    return path


def memory_args(mem, pmem):
    if not pmem:
        return ["-machine", "q35", "-m", str(mem)]
    total = size_bytes(mem) + size_bytes(pmem)
    return ["-machine", "q35,nvdimm=on",
            "-m", f"{mem},slots=2,maxmem={total // (1 << 20)}M",
            "-object", f"memory-backend-file,id=pmem0,share=on,mem-path={pmem_file(pmem)},"
                       f"size={size_bytes(pmem)}",
            "-device", "nvdimm,memdev=pmem0,id=nv0"]


class AccelUnavailable(Exception):
    """ACCEL names an accelerator this host cannot run flushlab with."""


class QemuMissing(AccelUnavailable):
    """The QEMU to run is not there (tools/deps.sh was not run): as for a
    missing accelerator, one line and no boot."""


KVM_GET_API_VERSION = 0xAE00
KVM_API_VERSION = 12


def kvm_problem(cpuinfo="/proc/cpuinfo", dev="/dev/kvm"):
    """None if KVM can run flushlab here, else one line saying why not.

    A /dev/kvm alone proves nothing: some VMs offer one that only emulates
    (OVMF dies on it; docs/tcg.md). Hardware virtualization shows as
    the vmx (Intel) or svm (AMD) flag; then /dev/kvm must open and answer.
    """
    try:
        with open(cpuinfo) as f:
            flags = {w for line in f if line.startswith("flags") for w in line.split()}
    except OSError as e:
        return f"ACCEL=kvm: cannot read {cpuinfo}: {e.strerror}"
    if not flags & {"vmx", "svm"}:
        return ("ACCEL=kvm needs hardware virtualization, and this CPU has no vmx or svm "
                f"flag in {cpuinfo} (a /dev/kvm here can only emulate); use ACCEL=tcg")
    try:
        fd = os.open(dev, os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        return f"ACCEL=kvm: {dev}: {e.strerror} (kvm_intel/kvm_amd loaded? in the kvm group?)"
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as e:
        return f"ACCEL=kvm: {dev} does not answer KVM_GET_API_VERSION: {e.strerror}"
    finally:
        os.close(fd)
    if version != KVM_API_VERSION:
        return f"ACCEL=kvm: {dev} speaks KVM API {version}, not {KVM_API_VERSION}"
    return None


def check_accel(accel):
    """Raise AccelUnavailable with one clear line unless @accel can run here."""
    if accel in ("tcg", "icount"):
        return
    if accel != "kvm":
        raise AccelUnavailable(f"ACCEL={accel}: unknown accelerator (tcg, icount or kvm)")
    problem = kvm_problem()
    if problem:
        raise AccelUnavailable(problem)


# -cpu: "max" offers everything TCG emulates (x2APIC too, on QEMU >= 8.1);
# "max,-x2apic" is the xAPIC machine most firmware hands over in.
DEFAULT_CPU = "max"


def qemu_command(esp, vars_fd, smp, mem, accel, serial, gdb=False, prealloc=False,
                 usb=False, pmem=None, cpu=None, plugin=None):
    """The QEMU argument list (see qemu_env_and_args for its environment)."""
    check_accel(accel)
    if accel == "icount" and not cpu:
        # QEMU 10 under -icount stops with "Bad icount read" when the kernel
        # reads an x2APIC timer MSR (a clock read outside an I/O instruction;
        # xAPIC's MMIO reads are I/O): icount boots in xAPIC mode.
        cpu = ICOUNT_CPU
    if usb:
        # The disk as a USB stick on an xHCI controller, as on a real machine.
        disk = ["-drive", f"if=none,id=stick,format=raw,file={esp}",
                "-device", "qemu-xhci", "-device", "usb-storage,drive=stick"]
    else:
        disk = ["-drive", f"format=raw,file={esp}"]
    cmd = [
        QEMU, *qemu_env_and_args()[1], *memory_args(mem, pmem), "-cpu", cpu or DEFAULT_CPU,
        "-smp", str(smp), *accel_args(accel),
        "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
        "-drive", f"if=pflash,format=raw,file={vars_fd}",
        *disk,
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        # -nodefaults, and the one default device we want named: one of
        # QEMU 10's defaults loads the ui-opengl module, which build/qemu
        # lacks, and QEMU then tries the system's (another build) and
        # complains on every boot.
        "-nodefaults", "-vga", "std",
        "-display", "none", "-nic", "none", "-no-reboot", "-serial", serial,
    ]
    if plugin:
        cmd += plugin
    if gdb:
        cmd += ["-s", "-S"]
    if prealloc:
        # Benchmarks: touch all guest RAM up front, so the first use of a
        # frame does not pay a host page fault inside a timed region.
        cmd += ["-mem-prealloc"]
    return cmd


def check_user_binary(path):
    """None if path is a program flushlab can exec (static x86-64 ELF
    executable), else the reason it is not, for an error before booting."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return e.strerror
    if len(data) < 64 or data[:4] != b"\x7fELF":
        return "not an ELF file"
    if data[4] != 2 or data[5] != 1 or struct.unpack_from("<H", data, 18)[0] != 62:
        return "not a 64-bit little-endian x86-64 ELF file"
    if struct.unpack_from("<H", data, 16)[0] != 2:
        return "not a static executable (ET_EXEC); link it with -static -no-pie"
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        off = phoff + i * phentsize
        if off + 4 > len(data):
            return "program headers out of bounds"
        if struct.unpack_from("<I", data, off)[0] == 3:  # PT_INTERP
            return "dynamically linked (has PT_INTERP); link it with -static"
    return None


def add_bins(workdir, esp, bins):
    """Append /bin/NAME for each path in bins to the ESP copy's initrd, as a
    second cpio archive (the kernel reads concatenated archives, later wins)."""
    initrd = os.path.join(workdir, "initrd")
    data = b""  # an ESP built without an initramfs: the new archive is the first
    if subprocess.run(["mcopy", "-i", esp, "::/flushlab/initrd", initrd],
                      capture_output=True).returncode == 0:
        with open(initrd, "rb") as f:
            data = f.read()
    data += b"\0" * (-len(data) % 4)
    data += mkinitramfs.archive(mkinitramfs.parse_specs(
        [f"bin/{os.path.basename(b)}={b}" for b in bins]))
    with open(initrd, "wb") as f:
        f.write(data)
    subprocess.run(["mcopy", "-o", "-i", esp, initrd, "::/flushlab/initrd"], check=True)


def prepare(workdir, esp_img, script_text=None, cmdline=None, bins=None, fat_offset=0):
    """Copy the ESP and OVMF_VARS into workdir; add the script, command line
    and extra programs (bins: paths of static binaries for /bin).
    fat_offset: where the FAT volume starts in the image (a USB disk image: 1 MiB)."""
    esp = os.path.join(workdir, "esp.img")
    vars_fd = os.path.join(workdir, "OVMF_VARS.fd")
    shutil.copyfile(esp_img, esp)
    shutil.copyfile(OVMF_VARS, vars_fd)
    for name, text in (("script", script_text), ("cmdline", cmdline)):
        if text is None:
            continue
        path = os.path.join(workdir, name)
        with open(path, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode())
        image = f"{esp}@@{fat_offset}" if fat_offset else esp
        subprocess.run(["mcopy", "-o", "-i", image, path, f"::/flushlab/{name}"], check=True)
    if bins:
        add_bins(workdir, esp, bins)
    return esp, vars_fd


def exit_status(rc):
    """QEMU's exit code to the kernel's status: isa-debug-exit gives (S << 1) | 1."""
    if rc is not None and rc > 0 and rc & 1:
        return rc >> 1
    return STATUS_NO_VERDICT


# Seconds this process's boots spent waiting for other boots' turn (the
# runner subtracts them when it says how long the tests took).
lock_wait_seconds = 0.0


def _one_qemu_at_a_time():
    """A lock held for the length of a boot: QEMU under TCG wants the host's
    cores, so concurrent boots (two terminals, parallel helpers) take turns."""
    global lock_wait_seconds
    path = os.path.join(tempfile.gettempdir(), "flushlab-qemu.lock")
    f = open(path, "w")
    t0 = time.monotonic()
    fcntl.flock(f, fcntl.LOCK_EX)
    lock_wait_seconds += time.monotonic() - t0
    return f


def boot(script_text=None, smp=4, mem="1G", accel="tcg", timeout=600, cmdline=None,
         esp_img=None, echo=True, stdin_bytes=None, stdin_after=None, log=None,
         prealloc=False, usb_fat_offset=None, bins=None, pmem=None, cpu=None, tlbmodel=None):
    """Boot once, run the script, return (status, output text).

    tlbmodel: a TLB-model preset to load the plugin with (its `# tlbmodel`
    lines join the console output); raises TlbmodelUnavailable if it cannot.

    stdin_bytes is written to the serial line once stdin_after (a string) has
    appeared on the console: how tests type at the interactive shell.
    usb_fat_offset: esp_img is a whole disk (make usb) whose FAT volume starts
    there, attached as a USB stick. cpu: QEMU's -cpu (default max).
    Raises AccelUnavailable for a bad accel, QemuMissing without a QEMU.
    """
    esp_img = esp_img or default_esp()
    check_accel(accel)
    env = qemu_env_and_args()[0]
    plugin = tlbmodel_args(tlbmodel, accel, smp, esp_img) if tlbmodel else None
    usb = usb_fat_offset is not None
    with tempfile.TemporaryDirectory(prefix="flushlab-") as workdir, _one_qemu_at_a_time():
        esp, vars_fd = prepare(workdir, esp_img, script_text,
                               kernel_cmdline(accel, cmdline, tlbmodel), bins, usb_fat_offset or 0)
        cmd = qemu_command(esp, vars_fd, smp, mem, accel, "stdio", prealloc=prealloc, usb=usb,
                           pmem=pmem, cpu=cpu, plugin=plugin)
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env)
        out = _collect(proc, timeout, echo, stdin_bytes, stdin_after, log)
    if out is None:
        return STATUS_TIMEOUT, _collect.partial
    status = exit_status(proc.returncode)
    if status == STATUS_NO_VERDICT:
        out += f"\n[qemu-boot] QEMU exited with {proc.returncode} and no verdict " \
               "(triple fault or reset?)\n"
    return status, out


def _collect(proc, timeout, echo, stdin_bytes, stdin_after, log):
    """Read the console until QEMU exits; None on timeout (QEMU is killed)."""
    os.set_blocking(proc.stdout.fileno(), False)
    deadline = time.monotonic() + timeout
    chunks, sent = [], stdin_bytes is None
    text = ""
    while True:
        data = proc.stdout.read()
        if data:
            piece = data.decode("utf-8", "replace")
            chunks.append(piece)
            text += piece
            if echo:
                sys.stdout.write(piece)
                sys.stdout.flush()
            if log:
                log.write(piece)
        if not sent and stdin_after in text:
            proc.stdin.write(stdin_bytes)
            proc.stdin.flush()
            sent = True
        if proc.poll() is not None and not data:
            rest = proc.stdout.read() or b""
            text += rest.decode("utf-8", "replace")
            return text
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            _collect.partial = text + f"\n[qemu-boot] timed out after {timeout} s\n"
            return None
        if not data:
            time.sleep(0.02)


def interactive(smp, mem, accel, gdb=False, esp_img=None, cmdline=None, bins=None, pmem=None,
                cpu=None, tlbmodel=None):
    """Serial console on this terminal (Ctrl-A X quits QEMU)."""
    esp_img = esp_img or default_esp()
    check_accel(accel)
    env = qemu_env_and_args()[0]
    plugin = tlbmodel_args(tlbmodel, accel, smp, esp_img) if tlbmodel else None
    with tempfile.TemporaryDirectory(prefix="flushlab-") as workdir:
        esp, vars_fd = prepare(workdir, esp_img, None, kernel_cmdline(accel, cmdline, tlbmodel),
                               bins)
        cmd = qemu_command(esp, vars_fd, smp, mem, accel, "mon:stdio", gdb, pmem=pmem, cpu=cpu,
                           plugin=plugin)
        rc = subprocess.call(cmd, env=env)
    return exit_status(rc) if rc else 0
