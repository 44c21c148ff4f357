"""The TLB-model tier of `make test` (tools/tlbmodel/, TLBMODEL=PRESET).

Short tier (every `make test`): QEMU < 10 and a bad preset refused before
any boot; one -smp 2 boot of `tlbdemo` and `tlbdemo_user` under the model,
whose checker must report stale hits in both local-only halves and none in
either shootdown half, with per-CPU lines and the phase lines merged into
the console in order; one small `bench hugetlb` whose phases must all be
there, without stale hits, with the modelled walks ordered as the flush
strategies say (a full flush costs more walks than the page list).
Full matrix (opt-in, TLBMODEL_FULL=1 make test): the shootdown, hvo, thp,
hgm and mm_user suites under the checker.
Kept in its own module: run_tests.py takes its cases() into its table
(tier `tlbmodel`; `run_tests.py --only tlbmodel`, or `-k 'tlbmodel/*'`).
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import flushlab_qemu  # noqa: E402
import tlbmodel_report  # noqa: E402

PRESET = os.environ.get("TLBMODEL_TEST_PRESET", "skylake-sp")
QEMU_BOOT = os.path.join(ROOT, "tools", "qemu-boot")


def check_refusals(res):
    """A QEMU without plugin API 4, or an unknown preset: exit 2 and one clear line."""
    env = dict(os.environ, QEMU="qemu-system-x86_64")
    version = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                             text=True).stdout
    m = re.search(r"version (\d+)", version)
    if m and int(m.group(1)) < 10:
        p = subprocess.run([QEMU_BOOT, "--tlbmodel", "1", "--script", os.devnull], env=env,
                           capture_output=True, text=True)
        res.record("tlbmodel/refuses-old-qemu",
                   p.returncode == 2 and "needs QEMU >= 10" in p.stderr,
                   f"status {p.returncode}, stderr {p.stderr.strip()!r}")
    p = subprocess.run([QEMU_BOOT, "--tlbmodel", "no-such-core", "--script", os.devnull],
                       capture_output=True, text=True)
    res.record("tlbmodel/refuses-unknown-preset",
               p.returncode == 2 and "no such preset" in p.stderr,
               f"status {p.returncode}, stderr {p.stderr.strip()!r}")


def model_boot(res, save_log, name, script, smp, mem, timeout):
    """(status, log) of one boot under the model, or None (with the failure recorded)."""
    try:
        status, out = flushlab_qemu.boot(script, smp=smp, mem=mem, timeout=timeout,
                                         echo=False, tlbmodel=PRESET)
    except flushlab_qemu.TlbmodelUnavailable as e:
        res.record(name, True, str(e), skip=True)
        return None
    log = save_log(name.replace("/", "-"), out)
    if status != 0:
        res.record(name, False, f"status {status}; log {log}")
        return None
    return out, log


def expect(res, name, cond, why, log):
    res.record(name, cond, f"{why}; log {log}")


def check_tlbdemo(res, save_log, timeout):
    got = model_boot(res, save_log, "tlbmodel/tlbdemo", "tlbdemo trials=10\n"
                     "tlbdemo_user trials=10\n", 2, "512M", timeout)
    if not got:
        return
    out, log = got
    phases = tlbmodel_report.phase_totals(out)
    for demo in ("tlbdemo", "tlbdemo_user"):
        local, shoot = phases.get(f"{demo}-local-only"), phases.get(f"{demo}-shootdown")
        if not local or not shoot:
            expect(res, f"tlbmodel/{demo}-phases", False, "phase lines missing", log)
            continue
        expect(res, f"tlbmodel/{demo}-local-only-is-stale", int(local["stale_hits"]) > 0,
               f"stale_hits={local['stale_hits']}", log)
        expect(res, f"tlbmodel/{demo}-shootdown-is-not", int(shoot["stale_hits"]) == 0,
               f"stale_hits={shoot['stale_hits']}", log)
    per_cpu = [r for r in tlbmodel_report.parse_phases(out)
               if r["phase"] == "tlbdemo-shootdown" and "cpu" in r]
    expect(res, "tlbmodel/per-cpu-lines", sorted(r["cpu"] for r in per_cpu) == ["0", "1"],
           f"cpu= lines for {[r['cpu'] for r in per_cpu]}", log)
    # In order: the kernel half's phase lines come before tlbdemo's own explanation.
    a, b = out.find("# tlbmodel phase=tlbdemo-shootdown"), out.find("tlbdemo: CPU")
    expect(res, "tlbmodel/lines-in-console-order", 0 <= a < b, f"offsets {a} and {b}", log)
    stale = tlbmodel_report.parse_stale(out)
    expect(res, "tlbmodel/stale-hit-reported",
           any(s["phase"] == "tlbdemo-local-only" and s["new"] != s["old"] for s in stale),
           f"{len(stale)} stale lines", log)


def check_hugetlb(res, save_log, timeout):
    got = model_boot(res, save_log, "tlbmodel/bench-hugetlb",
                     "bench hugetlb pages=16 reps=1 init=unshared\n", 2, "1G", timeout)
    if not got:
        return
    out, log = got
    phases = tlbmodel_report.phase_totals(out)
    want = ["hugetlb-off"] + [f"hugetlb-{s}-unshared"
                              for s in ("page", "batch", "precise", "deferred")]
    missing = [w for w in want if w not in phases]
    expect(res, "tlbmodel/hugetlb-phases", not missing, f"missing {missing}", log)
    if missing:
        return
    stale = {w: phases[w]["stale_hits"] for w in want if phases[w]["stale_hits"] != "0"}
    expect(res, "tlbmodel/hugetlb-no-stale-hits", not stale, f"stale hits {stale}", log)
    # batch ends each grow with global flushes on every CPU, page only INVLPGs:
    # the model must show the refills that cost (the 281 vs 1,926 at 64 pages).
    page, batch = int(phases["hugetlb-page-unshared"]["walks"]), \
        int(phases["hugetlb-batch-unshared"]["walks"])
    expect(res, "tlbmodel/hugetlb-full-flush-walks-more", batch > page * 1.2,
           f"walks page={page} batch={batch}", log)


def check_suites(res, save_log, timeout):
    """Opt-in: the suites that change page tables most, under the checker."""
    for suite, smp in (("shootdown", 4), ("hvo", 2), ("thp", 2), ("hgm", 2), ("mm_user", 2)):
        name = f"tlbmodel/selftest-{suite}"
        got = model_boot(res, save_log, name, f"selftest {suite}\n", smp, "2G", timeout * 3)
        if not got:
            continue
        out, log = got
        phases = tlbmodel_report.phase_totals(out)
        # The suites' own tlbdemo cases forget a shootdown on purpose: their stale hits
        # are the checker working; any other is a finding.
        deliberate = sum(int(r["stale_hits"]) for n, r in phases.items()
                         if n.endswith("-local-only"))
        found = int(phases.get("boot", {}).get("stale_hits", -1)) - deliberate
        stale = [s for s in tlbmodel_report.parse_stale(out)
                 if not s["phase"].endswith("-local-only")]
        expect(res, name, "boot" in phases and found == 0,
               f"{found} stale hits outside the deliberate ones: {stale[:3]}", log)


def cases():
    """(name, function(res, ctx)) for run_tests.py's table."""
    out = [("tlbmodel/refusals", lambda res, ctx: check_refusals(res)),
           ("tlbmodel/tlbdemo", lambda res, ctx: check_tlbdemo(res, ctx.save_log, ctx.timeout * 2)),
           ("tlbmodel/bench-hugetlb",
            lambda res, ctx: check_hugetlb(res, ctx.save_log, ctx.timeout * 3))]
    if os.environ.get("TLBMODEL_FULL"):
        out.append(("tlbmodel/suites",
                    lambda res, ctx: check_suites(res, ctx.save_log, ctx.timeout)))
    return out
