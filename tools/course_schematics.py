#!/usr/bin/env python3
"""The course's schematics (docs/course/): drawings of ideas, not of data.

Drawn with gnuplot's objects, labels and arrows (coordinates in pixels),
so that `make course-figures` makes the same bytes every time:
  fig-walk.png       a TLB in front of the four-level page walk, with the
                     names Linux, the Intel SDM and OSTEP give each part
  fig-stale.png      tlbdemo on two CPUs: a stale TLB entry, then a shootdown
  fig-protocols.png  the five shootdown protocols as schematic timelines
  fig-hvo.png        why one read-only frame can hold the tails of every
                     2 MiB huge page (HVO), and what a grow must flush

Usage: course_schematics.py OUT_DIR
"""
import os
import subprocess
import sys

class Pic:
    """A drawing in pixel coordinates (y down), rendered by gnuplot's png
    terminal with objects, labels and arrows only; labels are noenhanced."""

    def __init__(self, w, h):
        self.w, self.h, self.parts, self.n = w, h, [], 0

    @staticmethod
    def q(s):
        return s.replace("\\", "\\\\").replace('"', '\\"')

    def rect(self, x, y, w, h, fill="#ffffff", stroke="#000000", rx=4, dash=False):
        self.n += 1
        self.parts.append(f"set object {self.n} rect from {x},{y} to {x + w},{y + h} "
                          f"fc rgb '{fill}' fs solid 1.0 border lc rgb '{stroke}' "
                          f"{'dt 2' if dash else ''} back")

    def text(self, x, y, s, size=13, anchor="middle", weight="normal", fill="#000000"):
        where = {"middle": "center", "start": "left", "end": "right"}[anchor]
        font = "DejaVuSans-Bold" if weight == "bold" else "DejaVuSans"
        self.parts.append(f'set label "{self.q(s)}" at {x},{y - size * 0.35:.1f} {where} '
                          f"font '{font},{size * 0.78:.1f}' tc rgb '{fill}' noenhanced front")

    def arrow(self, x0, y0, x1, y1, color="#404040", dash=False, width=1.5):
        self.parts.append(f"set arrow from {x0},{y0} to {x1},{y1} head filled size 8,20 "
                          f"lw {width} lc rgb '{color}' {'dt 2' if dash else ''} front")

    def line(self, x0, y0, x1, y1, color="#404040", width=1.5):
        self.parts.append(f"set arrow from {x0},{y0} to {x1},{y1} nohead lw {width} "
                          f"lc rgb '{color}' back")

    def save(self, path):
        gp = [f"set terminal png size {self.w},{self.h} font 'DejaVuSans,10'",
              f"set output '{path}'", "unset border; unset tics; unset key",
              "set lmargin at screen 0; set rmargin at screen 1",
              "set tmargin at screen 1; set bmargin at screen 0",
              f"set xrange [0:{self.w}]; set yrange [{self.h}:0]"] + self.parts + [
              "plot NaN notitle"]
        subprocess.run(["gnuplot"], input="\n".join(gp) + "\n", text=True, check=True)
        print(f"course_schematics: {path}")


def walk(path):
    s = Pic(980, 560)
    s.text(490, 26, "Translating one virtual address: the TLB first, the page walk on a miss",
           16, weight="bold")
    # the address
    fields = [("sign ext.", "63:48", "#eeeeee"), ("PML4 index", "47:39", "#cfe0f5"),
              ("PDPT index", "38:30", "#d5ecd4"), ("PD index", "29:21", "#f7e3c4"),
              ("PT index", "20:12", "#f3d0d0"), ("offset", "11:0", "#e6dcf2")]
    x = 60
    for name, bits, col in fields:
        w = 110 if name != "sign ext." else 100
        s.rect(x, 50, w, 44, col)
        s.text(x + w / 2, 69, name, 12)
        s.text(x + w / 2, 86, "bits " + bits, 11)
        x += w + 4
    s.text(60, 112, "a 48-bit virtual address (4-level paging); each index picks one of "
           "512 8-byte entries in a 4 KiB table", 12, "start")
    # TLB box
    s.rect(760, 44, 190, 120, "#fff6cc")
    s.text(855, 66, "TLB (per CPU)", 13, weight="bold")
    s.text(855, 86, "virtual page -> frame,", 11)
    s.text(855, 101, "permissions, G bit, PCID", 11)
    s.text(855, 122, "hit: done, no memory read", 11)
    s.text(855, 140, "miss: walk (4 reads), then", 11)
    s.text(855, 154, "cache the result here", 11)
    s.arrow(730, 72, 758, 72)
    # the walk
    levels = [("CR3", "register", "#dddddd", "page-table base register (OSTEP)", "CR3 (+ PCID in bits 11:0)", "mm->pgd"),
              ("PML4", "table", "#cfe0f5", "page directory (top)", "PML4 / PML4E", "pgd / pgd_t"),
              ("PDPT", "table", "#d5ecd4", "", "PDPT / PDPTE  (1 GiB leaf: PS=1)", "pud / pud_t"),
              ("PD", "table", "#f7e3c4", "", "PD / PDE  (2 MiB leaf: PS=1)", "pmd / pmd_t"),
              ("PT", "table", "#f3d0d0", "page table (leaf level)", "PT / PTE", "pte / pte_t"),
              ("frame", "4 KiB of RAM", "#e6dcf2", "physical frame (PFN = address >> 12)", "page frame", "struct page, pfn")]
    y0 = 190
    s.text(140, y0 - 8, "the walk (memory reads)", 12, weight="bold")
    s.text(480, y0 - 8, "Intel SDM vol. 3A, ch. 4", 12, weight="bold")
    s.text(700, y0 - 8, "Linux", 12, weight="bold")
    s.text(860, y0 - 8, "OSTEP", 12, weight="bold")
    for i, (name, kind, col, ostep, sdm, linux) in enumerate(levels):
        y = y0 + i * 58
        s.rect(80, y, 120, 40, col)
        s.text(140, y + 18, name, 13, weight="bold")
        s.text(140, y + 33, kind, 10)
        if i:
            s.arrow(140, y - 18, 140, y - 1)
        s.text(300, y + 25, sdm, 12, "start")
        s.text(660, y + 25, linux, 12, "start")
        s.text(860, y + 18, ostep, 10)
    s.text(40, y0 + 6 * 58 + 6, "Linux's p4d (five-level paging's PML5 below the pgd) folds away with 4 levels; "
           "paging-structure caches (SDM 4.10.3) may keep PML4E, PDPTE and PDE entries too.", 11, "start")
    s.save(path)


def stale(path):
    s = Pic(980, 485)
    s.text(490, 26, "tlbdemo: why a flush on one CPU is not enough", 16, weight="bold")
    for cpu, x in ((0, 60), (1, 560)):
        s.rect(x, 50, 360, 160, "#f4f4f4")
        s.text(x + 180, 72, f"CPU {cpu}", 14, weight="bold")
        s.rect(x + 20, 88, 320, 100, "#fff6cc")
        s.text(x + 180, 108, f"CPU {cpu}'s TLB", 12, weight="bold")
    s.text(240, 140, "VA -> frame B (after its INVLPG)", 12)
    s.text(740, 140, "VA -> frame A   (stale!)", 12, fill="#b00000", weight="bold")
    s.text(740, 162, "cached by its earlier read", 11)
    s.rect(330, 270, 320, 60, "#dfe9f7")
    s.text(490, 292, "page table in memory (shared)", 12, weight="bold")
    s.text(490, 314, "PTE for VA: frame A  ->  frame B", 12)
    s.rect(220, 380, 200, 50, "#e6dcf2")
    s.text(320, 400, "frame A: holds 1", 12)
    s.text(320, 418, "(old; freed and reused)", 10)
    s.rect(560, 380, 200, 50, "#e6dcf2")
    s.text(660, 410, "frame B: holds 2", 12)
    s.arrow(240, 210, 420, 270)
    s.text(210, 240, "1. CPU 0 rewrites the PTE", 11, "start")
    s.text(700, 240, "2. CPU 1 reads VA: its TLB hits,", 11, "start")
    s.text(700, 255, "the page table is never read", 11, "start")
    s.arrow(740, 210, 330, 378, "#b00000", True)
    s.text(40, 452, "3. Without a shootdown CPU 1 reads 1 from frame A. A shootdown (an IPI: CPU 0 asks CPU 1 to run", 11, "start")
    s.text(40, 468, "   INVLPG itself) empties CPU 1's entry; its next read walks the page table and finds frame B.", 11, "start")
    s.save(path)


# (step, who, colour) per protocol: who is I (initiator) or T (each target)
PROTO = [
    ("linux", "one IPI per target; initiator flushes first; target acks after its flush",
     [("flush", "I"), ("publish", "I"), ("IPI x N", "I"), ("wait", "I"), ("done", "I")],
     [("entry", "T"), ("read", "T"), ("flush", "T"), ("ack", "T")]),
    ("broadcast", "as linux, but one ICR write with the all-but-self shorthand",
     [("flush", "I"), ("publish", "I"), ("IPI x 1", "I"), ("wait", "I"), ("done", "I")],
     [("entry", "T"), ("read", "T"), ("flush", "T"), ("ack", "T")]),
    ("concurrent", "the initiator flushes while the IPI travels",
     [("publish", "I"), ("IPI x 1", "I"), ("flush", "I"), ("wait", "I"), ("done", "I")],
     [("entry", "T"), ("read", "T"), ("flush", "T"), ("ack", "T")]),
    ("early_ack", "the target acks as soon as it has copied the request, then flushes",
     [("publish", "I"), ("IPI x 1", "I"), ("flush", "I"), ("wait", "I"), ("done", "I")],
     [("entry", "T"), ("read", "T"), ("ack", "T"), ("flush", "T")]),
    ("cacheline", "as early_ack; request and ack counter share one 64-byte line",
     [("publish", "I"), ("IPI x 1", "I"), ("flush", "I"), ("wait", "I"), ("done", "I")],
     [("entry", "T"), ("read", "T"), ("ack", "T"), ("flush", "T")]),
]
COLOURS = {"flush": "#f3b0a0", "ack": "#b8e0b0", "wait": "#dddddd", "IPI x N": "#9ab8e0",
           "IPI x 1": "#9ab8e0", "publish": "#fff0a0", "read": "#fff0a0", "entry": "#e6dcf2",
           "done": "#ffffff"}


def protocols(path):
    s = Pic(980, 640)
    s.text(490, 26, "The shootdown protocols, in order of steps (a schematic: widths are not times)",
           15, weight="bold")
    box, gap = 78, 6
    for n, (name, what, ini, tgt) in enumerate(PROTO):
        y = 50 + n * 116
        s.text(20, y + 14, name, 14, "start", "bold")
        s.text(140, y + 14, what, 12, "start")
        s.text(60, y + 44, "initiator", 11, "end")
        s.text(60, y + 84, "target", 11, "end")
        xi, x = {}, 70
        for step, _ in ini[:-2]:  # the steps before the wait
            s.rect(x, y + 26, box, 28, COLOURS[step])
            s.text(x + box / 2, y + 45, step, 11)
            xi[step] = x
            x += box + gap
        ipi = xi[[k for k in xi if k.startswith("IPI")][0]]
        t0 = ipi + box / 2 + 40
        ack = t0 + [k for k, _ in tgt].index("ack") * (box + gap)
        done = ack + box + gap
        s.rect(x, y + 26, done - gap - x, 28, COLOURS["wait"])
        s.text((x + done - gap) / 2, y + 45, "wait for acks", 11)
        s.rect(done, y + 26, box, 28, COLOURS["done"])
        s.text(done + box / 2, y + 45, "done", 11)
        for i, (step, _) in enumerate(tgt):
            tx = t0 + i * (box + gap)
            s.rect(tx, y + 66, box, 28, COLOURS[step])
            s.text(tx + box / 2, y + 85, step, 11)
            if step == "entry":
                s.arrow(ipi + box / 2, y + 54, tx + 10, y + 66)
            if step == "ack":
                s.arrow(tx + box / 2, y + 66, done + 8, y + 54, "#2e7d32")
        s.line(20, y + 106, 960, y + 106, "#cccccc", 1)
    s.save(path)


def hvo(path):
    s = Pic(980, 430)
    s.text(490, 26, "HVO: why one read-only frame can hold the tails of every 2 MiB huge page",
           15, weight="bold")
    s.text(40, 50, "A 2 MiB huge page is 512 frames, so 512 struct pages of 64 bytes: 32 KiB = 8 vmemmap pages.", 11, "start")
    s.text(40, 65, "Struct page 0 is the head; 1-63 share vmemmap page 0 with it. Struct pages 64-511 (vmemmap pages 1-7)", 11, "start")
    s.text(40, 80, "are tails that store only a mask (compound_head() rounds the tail's own address down): the same bytes in every huge page.", 11, "start")
    for h, y in ((0, 105), (1, 215)):
        s.text(40, y + 22, f"huge page {h}", 12, "start", "bold")
        for i in range(8):
            x = 150 + i * 70
            s.rect(x, y, 62, 34, "#9ab8e0" if i == 0 else "#f0b0a0")
            s.text(x + 31, y + 15, f"page {i}", 10)
            s.text(x + 31, y + 28, "RW" if i == 0 else "read-only", 9)
            if i == 0:
                s.arrow(x + 31, y + 34, 100 + 120 * h + 60, 352)
            else:
                s.arrow(x + 31, y + 34, 760, 352, "#c03030")
    s.rect(60 + 40, 354, 120, 40, "#d0d0d0")
    s.text(160, 378, "own frame (page 0)", 10)
    s.rect(220 + 40, 354, 120, 40, "#d0d0d0")
    s.text(320, 378, "own frame (page 0)", 10)
    s.rect(690, 354, 150, 40, "#f0d080")
    s.text(765, 372, "one shared tail frame", 11, weight="bold")
    s.text(765, 387, "for every 2 MiB page", 10)
    s.text(730, 120, "7 frames per huge page", 11, "start")
    s.text(730, 135, "go back to the allocator", 11, "start")
    s.text(730, 160, "Two changes need flushes:", 11, "start", "bold")
    s.text(730, 176, "1. split: the vmemmap's 2 MiB", 11, "start")
    s.text(730, 191, "   leaf becomes 512 4 KiB leaves", 11, "start")
    s.text(730, 207, "2. remap: 7 leaves point at the", 11, "start")
    s.text(730, 222, "   shared frame; old frames freed", 11, "start")
    s.text(730, 238, "   only after every CPU flushed", 11, "start")
    s.save(path)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else "results/course"
    os.makedirs(out, exist_ok=True)
    walk(os.path.join(out, "fig-walk.png"))
    stale(os.path.join(out, "fig-stale.png"))
    protocols(os.path.join(out, "fig-protocols.png"))
    hvo(os.path.join(out, "fig-hvo.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
