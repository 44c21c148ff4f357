#!/usr/bin/env python3
"""The tree's shape in numbers: lines per folder, arrows between folders,
the arrows that run back up the layering, and include circles.

An arrow F -> G means a file in folder F includes a header of folder G.
The layers, lowest first, are LAYERS below: a file may include its own
layer and any lower one. An arrow to a higher layer "runs back up"; the
only ones allowed are interfaces a lower layer implements for a higher one
(INTERFACE_HEADERS), and each such header says so in its opening comment.

A circle is a set of modules (x.c with x.h) that include one another round
a cycle: a strongly connected component of the module include graph with
more than one member. Circles inside one folder can be a design; a circle
spanning folders means two layers each need the other.

Usage: tools/layering.py [--check] [--rev REV]
  --check   exit 1 on a back-up arrow not in INTERFACE_HEADERS or a circle
            spanning folders (make check runs this)
  --rev     measure a commit instead of the work tree (for before/after)
"""
import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict

# Lowest first. Folders on one line are one layer.
LAYERS = [
    ["include", "lib"],
    ["kernel"],
    ["mm-core"],
    ["arch"],
    ["smp"],
    ["mm"],
    ["task", "fs"],  # beside each other, as Linux's kernel/ and fs/: syscalls, fd tables
    ["trace"],
    ["bench", "init"],
    ["tests"],
]
# Headers of a higher layer that a lower one implements (the arrow from the
# implementer to the header is an interface, not a dependency on the layer).
INTERFACE_HEADERS = {
    "mm/mm_types.h",  # struct mm_struct, read by the flush engine (smp/tlb_mm.c)
}
# Files that sit lower than their folder. cpu.h is the instructions
# themselves (the one home of inline asm), below everything that runs.
# mm's core (frames, struct page, the buddy and slab allocators, memblock,
# page-table frames, and the mmu.h interface arch implements) is below arch
# and the flush engine, which use it; the rest of mm (address spaces,
# faults, hugetlb, THP, device memory) is above the flush engine it calls.
HEADER_LAYER = {"arch/x86_64/cpu.h": "include"}
MM_CORE = {"mm/" + f for f in (
    "gfp.h", "list.h", "page.h", "page_alloc.h", "page_alloc.c", "page_alloc_priv.h",
    "arena.c", "slab.h", "slab.c", "memblock.h", "memblock.c", "pgtable_alloc.h",
    "pgtable_alloc.c", "mmu.h", "mm.h", "efi_memmap.h", "efi_memmap.c",
    "fail_page_alloc.h", "fail_page_alloc.c", "seq_buf_mem.c", "vmemmap.h", "vmemmap.c",
    "mman.h")}
for _f in MM_CORE:
    HEADER_LAYER[_f] = "mm-core"
SRC_DIRS = ["arch", "boot", "bench", "fs", "include", "init", "kernel", "lib", "mm",
            "smp", "task", "trace", "user", "tests/kernel"]
INC_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder(path):
    top = path.split("/")[0]
    return "arch" if top == "arch" else ("tests" if top == "tests" else top)


def layer_of(f):
    for i, names in enumerate(LAYERS):
        if f in names:
            return i
    return None


def list_files(rev):
    if rev:
        out = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev],
                             capture_output=True, text=True, check=True).stdout
    else:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, text=True, check=True).stdout
    return [p for p in out.split() if p.split("/")[0] in {d.split("/")[0] for d in SRC_DIRS}
            and any(p.startswith(d + "/") for d in SRC_DIRS)
            and p.endswith((".c", ".h", ".asm", ".S", ".inc"))]


def read(rev, path):
    if rev:
        return subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True,
                              text=True, check=True).stdout
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def resolve(inc, src, files):
    for cand in (os.path.normpath(os.path.join(os.path.dirname(src), inc)), inc,
                 "include/" + inc, "user/include/" + inc):
        if cand in files:
            return cand
    return None


def module(path):
    """x.c, x.h and x's private header x_priv.h are one module."""
    base = os.path.splitext(path)[0]
    return base[:-len("_priv")] if base.endswith("_priv") else base


def tarjan(graph):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def measure(rev):
    files = set(list_files(rev))
    lines = defaultdict(int)
    arrows = defaultdict(set)   # (F, G) -> {src -> header}, by folder
    layer_arrows = defaultdict(set)  # the same, by layer (HEADER_LAYER applied)
    modgraph = defaultdict(set)
    for src in sorted(files):
        text = read(rev, src)
        f = folder(src)
        fl = HEADER_LAYER.get(src, f)
        if not src.startswith("tests/"):
            lines[f] += text.count("\n")
        a = module(src)
        modgraph[a]
        for inc in INC_RE.findall(text):
            hdr = resolve(inc, src, files)
            if not hdr:
                continue
            g = folder(hdr)
            if g != f:
                arrows[(f, g)].add(f"{src} -> {hdr}")
            gl = HEADER_LAYER.get(hdr, g)
            if gl != fl:
                layer_arrows[(fl, gl)].add(f"{src} -> {hdr}")
            b = module(hdr)
            if b != a:
                modgraph[a].add(b)
    circles = [c for c in tarjan(modgraph) if len(c) > 1]
    return lines, arrows, layer_arrows, circles


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--rev")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    lines, arrows, layer_arrows, circles = measure(args.rev)
    code = {f: n for f, n in lines.items() if f not in ("tests",)}
    print(f"lines outside tests: {sum(code.values())} in {len(code)} folders")
    for f in sorted(code, key=lambda f: -code[f]):
        print(f"  {f:8} {code[f]:6}")
    up, bad = [], []
    for (f, g), why in sorted(layer_arrows.items()):
        lf, lg = layer_of(f), layer_of(g)
        if lf is None or lg is None or f == "tests" or f == "user" or lg <= lf:
            continue
        hdrs = {w.split(" -> ")[1] for w in why}
        up.append((f, g, why))
        if not hdrs <= INTERFACE_HEADERS:
            bad.append((f, g, why))
    print(f"arrows between folders: {len(arrows)}; back up: {len(up)} "
          f"({len(up) - len(bad)} documented interfaces)")
    for f, g, why in up:
        tag = "interface" if (f, g, why) not in bad else "BACK UP"
        print(f"  {f} -> {g} [{tag}]" + ("" if not args.verbose and tag == "interface" else ""))
        if args.verbose or tag == "BACK UP":
            for w in sorted(why):
                print(f"      {w}")
    cross = [c for c in circles if len({folder(m) for m in c}) > 1]
    print(f"circles: {len(circles)} ({len(cross)} spanning folders)")
    for c in circles:
        where = "/".join(sorted({folder(m) for m in c}))
        print(f"  [{where}] {len(c)} modules: {' '.join(c)}")
    if args.check and (bad or cross):
        print("layering: back-up arrows or cross-folder circles (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
