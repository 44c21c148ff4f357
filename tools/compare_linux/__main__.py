#!/usr/bin/env python3
"""`make compare-linux`: the same script on flushlab and on Debian's Linux, one table.

  python3 tools/compare_linux --script FILE [--smp N] [--mem SIZE] [--bin "F..."]
                              [--kernel 6.12|6.1|ABI] [--boots N]

Boots flushlab and Linux in turn (BOOTS of each, alternating which goes
first, so slow phases of the host hit both), runs the script's lines on each
(lines.py says which lines run where), and prints per measured line and
figure each kernel's median [min-max] and their ratio; writes
results/compare-NAME-smpN.{csv,md} (NAME: the script's name without
compare- and .fl), the picture results/compare-NAME-smpN.png, and every
console log to build/compare-logs/. A Linux (or flushlab) crash is saved to
results/compare-NAME-smpN-KERNEL-bootB.log and shown in the table as a crash.
Exit status: 0 with a table; 1 on a flushlab failure or a line no boot
measured; 77 when Debian's registry cannot be reached (nothing cached).
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import boots  # noqa: E402
import debian  # noqa: E402
import lines as lines_mod  # noqa: E402
import notes as notes_mod  # noqa: E402
import parse  # noqa: E402
import table as table_mod  # noqa: E402

STATUS_NO_REGISTRY = 77


def args_parser():
    ap = argparse.ArgumentParser(prog="compare_linux", description=__doc__.splitlines()[0])
    ap.add_argument("--script", default="scripts/compare-default.fl")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", default="1G")
    ap.add_argument("--bin", default="", help="extra static programs, as make run BIN=")
    ap.add_argument("--kernel", default="6.12", help="Debian series or ABI (6.12, 6.1, ...)")
    ap.add_argument("--boots", type=int, default=3)
    ap.add_argument("--accel", default=os.environ.get("ACCEL", "tcg"))
    ap.add_argument("--timeout", type=int, default=1200, help="seconds per boot")
    ap.add_argument("--linux-append", default=boots.LINUX_COMPARABLE,
                    help="Linux command-line words that make the kernels comparable")
    ap.add_argument("--name", help="results/compare-NAME-smpN.*; default from the script")
    ap.add_argument("--out", default=os.path.join(ROOT, "results"), help="where the results go")
    ap.add_argument("--reparse", action="store_true",
                    help="no boots: the table again from build/compare-logs/ of an earlier run")
    return ap


def record(results, kernel, boot, lines, status, out, logbase):
    """Put one boot's figures into results[kernel][line] (a dict, or 'crash')."""
    segs = parse.split_segments(out)
    crash_lines = parse.crashes(out) if kernel == "linux" else []
    bad_status = status not in (0, 1) if kernel == "flushlab" else status != 0
    crashed_at, gone = None, parse.unavailable_figures(out)
    for line in lines:
        if not line.measured:
            continue
        seg = segs.get(line.number)
        figs = parse.segment_figures(seg) if seg is not None else None
        if figs:
            figs = {k: v for k, v in figs.items() if k not in gone}
        crashed = (seg is not None and (parse.crashes("\n".join(seg)) if kernel == "linux"
                                        else False)) or (figs is None and seg is not None
                                                         and bad_status)
        if crashed:
            crashed_at = crashed_at or line.number
            results[kernel].setdefault(line.number, []).append("crash")
        elif figs is not None:
            results[kernel].setdefault(line.number, []).append(figs)
    if crash_lines or bad_status:
        path = f"{logbase}-{kernel}-boot{boot}.log"
        with open(path, "w") as f:
            f.write(out)
        where = f"line {crashed_at}" if crashed_at else "outside a measured line"
        return (f"{kernel} boot {boot}: {'crash' if crash_lines or status == 3 else 'status ' + str(status)} "
                f"({where}); log: {os.path.relpath(path, ROOT)}"
                + (f"; first: {crash_lines[0].strip()}" if crash_lines else ""))
    return None


def boot_one(kernel, a, fl_script, vmlinuz, initrd, append, bins):
    if kernel == "flushlab":
        return boots.boot_flushlab(fl_script, a.smp, a.mem, a.accel, a.timeout, bins)
    return boots.boot_linux(vmlinuz, initrd, a.smp, a.mem, a.accel, append, a.timeout)


def reread(log, kernel):
    """(status, text) of a saved console log: 0 if the boot reached its end."""
    try:
        with open(log, errors="replace") as f:
            out = f.read()
    except OSError:
        return 125, ""
    done = "===CMP-DONE===" if kernel == "linux" else "script finished"
    return (0 if done in out else 125), out


def main():
    a = args_parser().parse_args()
    os.chdir(ROOT)
    bins = a.bin.split()
    udir = os.path.join(ROOT, "build", "user-linux")
    programs = lines_mod.programs_available(udir, bins)
    if not os.path.exists(a.script):
        print(f"compare-linux: {a.script}: No such file", file=sys.stderr)
        return 2
    lines = lines_mod.read_script(a.script, programs, a.smp)
    used = sorted({l.text.split()[0] for l in lines if l.kind == "program"})
    missing = [p for p in used if not os.path.exists(os.path.join(udir, p))
               and p not in {os.path.basename(b) for b in bins}]
    if missing:
        print(f"compare-linux: no Linux build of {', '.join(missing)} in {udir} "
              "(make user-linux)", file=sys.stderr)
        return 2
    deb = debian.Debian(ROOT)
    try:
        vmlinuz, config, pkg = deb.kernel(a.kernel)
        busybox = deb.busybox()
    except debian.RegistryUnreachable as e:
        print(f"compare-linux: SKIP: Debian's registry cannot be reached: {e}")
        return STATUS_NO_REGISTRY
    except ValueError as e:
        print(f"compare-linux: {e}", file=sys.stderr)
        return 2
    linux_name = pkg.replace("linux-image-", "linux-").replace("-unsigned", "")
    append = f"{boots.LINUX_BASE} {a.linux_append}".strip()
    prog_paths = [os.path.join(udir, p) for p in used if os.path.exists(os.path.join(udir, p))]
    prog_paths += [b for b in bins if os.path.basename(b) not in used or b not in prog_paths]
    initrd = boots.linux_initramfs(busybox, lines_mod.linux_init(lines), prog_paths)
    fl_script = lines_mod.flushlab_script(lines)
    name = a.name or os.path.basename(a.script).removesuffix(".fl").removeprefix("compare-")
    base = os.path.join(os.path.abspath(a.out), f"compare-{name}-smp{a.smp}")
    logdir = os.path.join(ROOT, "build", "compare-logs")
    os.makedirs(logdir, exist_ok=True)
    os.makedirs(os.path.dirname(base), exist_ok=True)
    print(f"compare-linux: {a.script} at -smp {a.smp} -m {a.mem}, accel={a.accel}, "
          f"{a.boots} boots each: flushlab ({boots.flushlab_qemu.default_esp()}) and "
          f"{pkg} from Debian ({vmlinuz}); Linux command line: {append}")
    results = {"flushlab": {}, "linux": {}}
    events, fl_fail = [], False
    for b in range(1, a.boots + 1):
        order = ("flushlab", "linux") if b % 2 else ("linux", "flushlab")
        for kernel in order:
            log = os.path.join(logdir, f"{name}-smp{a.smp}-{kernel}-boot{b}.log")
            if a.reparse:
                status, out = reread(log, kernel)
            else:
                print(f"compare-linux: boot {b}/{a.boots}: {kernel} ...", flush=True)
                status, out = boot_one(kernel, a, fl_script, vmlinuz, initrd, append, bins)
                with open(log, "w") as f:
                    f.write(out)
            fl_fail |= kernel == "flushlab" and status not in (0, 1)
            ev = record(results, kernel, b, lines, status, out, base)
            if ev:
                events.append(ev)
                print("compare-linux:", ev)
    tab = table_mod.rows(lines, results, linux_name)
    meta = {"smp": a.smp, "mem": a.mem, "linux": linux_name, "script": a.script,
            "accel": a.accel, "boots": a.boots}
    notes = notes_mod.notes(lines, append, config, events)
    disagree, checked = notes_mod.ledger_check(lines, results["flushlab"])
    notes.append(f"flushlab: trace against ledger and programs' own counts: {checked} "
                 f"comparisons, {len(disagree)} differ" + (": " + "; ".join(disagree)
                                                           if disagree else ""))
    table_mod.print_table(tab, linux_name)
    for n in notes:
        print("note:", n)
    table_mod.write_csv(base + ".csv", tab, meta)
    png = table_mod.plot_received(base + ".png", tab, a.smp)
    table_mod.write_md(base + ".md", tab, meta, notes + (
        [f"picture: {os.path.basename(png)}"] if png else []))
    print(f"compare-linux: {os.path.relpath(base, ROOT)}.csv, .md" + (", .png" if png else ""))
    unmeasured = [l.text for l in lines if l.measured
                  and not (results["flushlab"].get(l.number) and results["linux"].get(l.number))]
    for u in unmeasured:
        print(f"compare-linux: `{u}`: not measured on both kernels")
    return 1 if fl_fail or unmeasured else 0


if __name__ == "__main__":
    sys.exit(main())
