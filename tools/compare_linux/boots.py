"""One boot of each kernel for make compare-linux, in the same QEMU.

flushlab boots the usual way (tools/flushlab_qemu.py: OVMF, the ESP, its
initramfs, the console script). Linux boots directly (-kernel/-initrd/-append:
QEMU's own loader instead of OVMF; the firmware does not take part in
anything measured) with the same QEMU binary, -machine q35, -cpu max, -smp,
-m and accelerator, a serial console, and the host-wide lock every flushlab
boot takes, so boots of the two kernels take turns with each other and with
other users of the machine.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import flushlab_qemu  # noqa: E402
import mkinitramfs  # noqa: E402

# What makes the two kernels comparable, on Linux's command line (docs/compare-linux.md):
#  init_on_alloc=0           Debian zeroes every page on allocation; flushlab only
#                            zeroes what it must (a demand-zero page), so does Linux
#                            without it (clear_page in the fault path);
#  clearcpuid=erms,rep_good,fsrm  Linux clears pages with `rep stosb` (ERMS) or
#                            `rep stosq` (REP_GOOD) and copies with `rep movsb`
#                            (memcpy with FSRM: the THP collapse's copy_mc_to_kernel
#                            ends there); TCG emulates string instructions slowly,
#                            flushlab uses plain loops: so does Linux without them
#                            (clear_page_orig, memcpy_orig);
#  nopti, mitigations=off    flushlab has no page-table isolation or speculation
#                            mitigations (PTI would double Linux's CR3 writes).
LINUX_COMPARABLE = "init_on_alloc=0 clearcpuid=erms,rep_good,fsrm nopti mitigations=off"
LINUX_BASE = "console=ttyS0 panic=-1 loglevel=5 rdinit=/init"


def linux_initramfs(busybox, init_text, programs):
    """The cpio bytes: /init, /bin/busybox, /bin/PROGRAM..., and the mount points."""
    recs, ino = [], 1
    for d in ("bin", "proc", "sys", "dev", "tmp"):
        recs.append(mkinitramfs.entry(ino, d, mkinitramfs.S_IFDIR | 0o755))
        ino += 1
    files = [("init", init_text.encode())]
    with open(busybox, "rb") as f:
        files.append(("bin/busybox", f.read()))
    for p in programs:
        with open(p, "rb") as f:
            files.append((f"bin/{os.path.basename(p)}", f.read()))
    for name, data in files:
        recs.append(mkinitramfs.entry(ino, name, mkinitramfs.S_IFREG | 0o755, data))
        ino += 1
    recs.append(mkinitramfs.entry(0, "TRAILER!!!", 0))
    return b"".join(recs)


def boot_linux(vmlinuz, initrd_bytes, smp, mem, accel, append, timeout, log=None):
    """(status, console text): 0 when init reached its end, 124 on timeout, else QEMU's."""
    flushlab_qemu.check_accel(accel)
    env, extra = flushlab_qemu.qemu_env_and_args()  # build/qemu's modules and data, as flushlab's
    with tempfile.TemporaryDirectory(prefix="compare-linux-") as work:
        initrd = os.path.join(work, "initrd.cpio")
        with open(initrd, "wb") as f:
            f.write(initrd_bytes)
        cmd = [flushlab_qemu.QEMU, *extra, *flushlab_qemu.memory_args(mem, None), "-cpu", "max",
               "-smp", str(smp), *flushlab_qemu.accel_args(accel),
               "-kernel", vmlinuz, "-initrd", initrd, "-append", append,
               "-display", "none", "-nic", "none", "-no-reboot", "-serial", "stdio"]
        with flushlab_qemu._one_qemu_at_a_time():
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, env=env)
            out = flushlab_qemu._collect(proc, timeout, False, None, None, log)
    if out is None:
        return flushlab_qemu.STATUS_TIMEOUT, flushlab_qemu._collect.partial
    return (0 if "===CMP-DONE===" in out else proc.returncode or 1), out


def boot_flushlab(script, smp, mem, accel, timeout, bins):
    return flushlab_qemu.boot(script, smp=smp, mem=mem, accel=accel, timeout=timeout,
                              echo=False, bins=bins or None)
