"""What the table needs said beside it: per program, the knobs that make the
two kernels comparable and the emulator artefacts that distort one side
(with the boot parameter that removes them), the lines run on flushlab
only, and the boots that crashed. docs/compare-linux.md explains each.
"""
import re

PROGRAM_NOTES = {
    "madv_touch": "madv_touch: the touch reads the page before writing it; both kernels map "
                  "the shared zero page on the read (do_anonymous_page) and copy it on the "
                  "write (wp_page_copy, whose ptep_clear_flush is a second shootdown per op; "
                  "flushlab counts it as tlb_flush_zero_page_break). Neither has a knob for "
                  "the 4 KiB zero page",
    "munmap_lat": "munmap_lat: pages are written by thread 0 (no zero page); THP off for a "
                  "small mapping on both",
    "ctxswitch": "ctxswitch: two threads of one mm (no CR3 write on either); PCID as the "
                 "CPU offers it (TCG's -cpu max has none: pcid=off); Linux booted nopti "
                 "mitigations=off, as flushlab has neither PTI nor the mitigations",
    "memtouch": "memtouch: demand-zero 4 KiB faults (writes: no zero page); page clearing "
                "is `rep stosb`/`rep stosq` on Linux unless clearcpuid=erms,rep_good,fsrm "
                "(TCG emulates string stores slowly), init_on_alloc=0 so Linux zeroes once",
    "largepages3": "largepages3: the THP mode is the line's knob write before it "
                   "(transparent_hugepage/enabled, same on both); 2 MiB clearing as memtouch",
    "thp_split": "thp_split: MADV_HUGEPAGE + MADV_COLLAPSE on both; use_zero_page left at "
                 "its default on Linux (the huge zero page is not touched: thread 0 writes). "
                 "Emulator artefact: the collapse copies between two 2 MiB-aligned blocks, "
                 "whose frames share a slot of QEMU's direct-mapped soft TLB; a copy loop "
                 "that alternates load and store swaps it on every access (flushlab copies "
                 "64 bytes a turn since this was found, Linux's memcpy_orig 32 under "
                 "clearcpuid=fsrm; no QEMU option sizes the soft TLB). Readers at K > 1 spin "
                 "on flushlab's mm lock where Linux's sleep in the rwsem: with more vCPUs "
                 "than host cores the spinning ones take the holder's host time",
}

# Lines that are not programs but need their knobs said: (pattern in the line, note).
LINE_NOTES = (
    ("nr_hugepages", "HVO pair (`time echo N > /proc/sys/vm/nr_hugepages`): "
                     "hugetlb_optimize_vmemmap=1 on both, init_on_alloc=0 so Linux does not "
                     "zero each 2 MiB page as it allocates it; Linux 6.12 batches its vmemmap "
                     "flushes (hugetlb_vmemmap_optimize_folios) and patches code on the first "
                     "and last optimized page (a static key: text_poke_sync's do_sync_core "
                     "IPIs), flushlab by its strategy knob, patching nothing; Linux counts "
                     "kernel-range flushes as function calls, not TLB shootdowns"),
)

# Both boots, whatever the script.
BOOT_NOTE = ("boot path: flushlab boots through OVMF and its EFI loader, Linux through QEMU's "
             "-kernel loader; the frames UEFI ran code from would keep QEMU translations that "
             "make every store to them slow (the self-modifying-code path), so flushlab "
             "rewrites them at boot (mm/mm_init.c); no such frames in Linux's RAM")


def notes(lines, append, config_path, events):
    out = [f"Linux command line: `{append}`"]
    try:
        with open(config_path) as f:
            cfg = f.read()
        for opt, what in (("CONFIG_INIT_ON_ALLOC_DEFAULT_ON", "init_on_alloc on by default "
                           "(turned off on the command line)"),
                          ("CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS", "THP `always` by default"),
                          ("CONFIG_DEBUG_TLBFLUSH", "nr_tlb_* in /proc/vmstat")):
            on = re.search(rf"^{opt}=y", cfg, re.M) is not None
            out.append(f"Linux config: {opt}={'y' if on else 'n'}: "
                       f"{what if on else 'not ' + what.split(' (')[0]}")
    except OSError:
        out.append(f"Linux config: {config_path} not found")
    used = []
    for line in lines:
        w = line.text.split()[0]
        if line.kind == "program" and w not in used:
            used.append(w)
    out += [PROGRAM_NOTES[p] for p in used if p in PROGRAM_NOTES]
    out += [note for pat, note in LINE_NOTES
            if any(l.kind != "program" and pat in l.text for l in lines)]
    out.append(BOOT_NOTE)
    only = [l.text for l in lines if l.kind == "flushlab"]
    if only:
        out.append("run on flushlab only (no Linux counterpart): " +
                   "; ".join(f"`{t}`" for t in only))
    out.append("times are emulator time (TCG, docs/tcg.md), with tracing on for both "
               "kernels; counts are exact")
    out += [f"boot: {e}" for e in events]  # a crash, a timeout, a bad status
    return out


# flushlab figures that must agree: (trace figure, ledger or program figure,
# program lines only, window): the ledger is read around the same line as the
# trace, so they must be equal; a program counts its timed ops only, so the
# trace may see up to 2 shootdowns more (thread start and exit) in its line.
AGREE = (("trace_received_per_op", "vmstat_nr_tlb_remote_flush_received_per_op", False, 0),
         ("trace_remote_flushes_per_op", "vmstat_nr_tlb_remote_flush_per_op", True, 0),
         ("trace_received_per_op", "received_per_op", True, 2),
         ("trace_remote_flushes_per_op", "remote_flushes_per_op", True, 2))


def ledger_check(lines, flushlab_results):
    """Where flushlab's trace and its ledger (or the program's own count) differ,
    one string each, and how many comparisons were made. The programs print
    3 decimals."""
    bad, checked = [], 0
    for line in lines:
        for boot, figs in enumerate(flushlab_results.get(line.number, []), 1):
            if not isinstance(figs, dict):
                continue
            for a, b, user_only, window in AGREE:
                if a not in figs or b not in figs or (user_only and line.kind != "program"):
                    continue
                checked += 1
                if not 0 <= figs[a] - figs[b] <= 0.0015 + window / figs.get("_ops", 1) and \
                        abs(figs[a] - figs[b]) > 0.0015:
                    bad.append(f"`{line.text}` boot {boot}: {a}={figs[a]:.3f} but "
                               f"{b}={figs[b]:.3f}")
    return bad, checked
