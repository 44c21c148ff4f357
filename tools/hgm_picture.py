#!/usr/bin/env python3
"""Draw docs/hgm-schemes.svg from the `hgmdemo` lines of a real run.

hgmdemo (mm/hgm_cmd.c) prints, for each mapcount scheme, the PMD table of one
1 GiB hugetlb page as 512 characters (H: 2 MiB leaf, T: table of 512 PTEs,
t: table with holes, .: none) and the counts the scheme keeps. This script
draws the three side by side: the PUD entry, the 512 PMD slots as a 32 x 16
grid, and where each scheme counts and what a collapse to 1 GiB cost it.

usage: tools/hgm_picture.py LOG OUT.svg   (LOG: the console output of
       make run SCRIPT=scripts/hgmdemo.fl SMP=1 MEM=4G)
"""
import re
import sys

COLOURS = {"H": "#4a7fc1", "T": "#e8913a", "t": "#f6c89a", ".": "#ffffff"}
WHERE = {
    "subpage": ["one _mapcount per 4 KiB subpage",
                "(a PMD leaf adds 1 to 512 of them)",
                "+ an entire count for the PUD leaf"],
    "head": ["one count on the head page,",
             "+1 per entry of any size",
             "(PUD, PMD or PTE)"],
    "pxd": ["one count on the head page,",
            "1 while the PUD entry is populated",
            "(leaf or table): nothing below"],
}


def parse(text):
    """{scheme: {key: value}} from the hgmdemo lines."""
    out = {}
    for m in re.finditer(r"^hgmdemo scheme=(\w+) (.*?)\r?$", text, re.M):
        d = out.setdefault(m.group(1), {})
        for kv in m.group(2).split():
            k, v = kv.split("=", 1)
            d[k] = v
    return out


def panel(x0, scheme, d):
    cell, cols = 9, 32
    s = [f'<text x="{x0 + 150}" y="28" font-size="18" text-anchor="middle" '
         f'font-weight="bold">{scheme}</text>',
         f'<rect x="{x0 + 95}" y="40" width="110" height="24" fill="#ddd" stroke="#333"/>',
         f'<text x="{x0 + 150}" y="57" font-size="12" text-anchor="middle">PUD: table</text>',
         f'<line x1="{x0 + 150}" y1="64" x2="{x0 + 150}" y2="80" stroke="#333"/>']
    for i, c in enumerate(d["pmd_map_lo"] + d["pmd_map_hi"]):
        x, y = x0 + 6 + (i % cols) * cell, 80 + (i // cols) * cell
        s.append(f'<rect x="{x}" y="{y}" width="{cell - 1}" height="{cell - 1}" '
                 f'fill="{COLOURS[c]}" stroke="#999" stroke-width="0.3"/>')
    y = 80 + 16 * cell + 20
    lines = WHERE[scheme] + [
        f"PMD leaves {d['pmd_leaves']}, PTEs {d['pte_leaves']}",
        f"head count {d['folio_count']}, subpages counted {d['subpages_counted']}",
        f"folio_mapcount {d['folio_mapcount']}, page_mapcount(0) {d['page_mapcount_0']}",
        f"collapse to 1 GiB: {d['collapse_1g_dec']} dec + {d['collapse_1g_inc']} inc"]
    for j, line in enumerate(lines):
        s.append(f'<text x="{x0 + 6}" y="{y + 16 * j}" font-size="11.5">{line}</text>')
    return s


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = parse(open(sys.argv[1], errors="replace").read())
    if set(data) != {"subpage", "head", "pxd"}:
        sys.exit(f"{sys.argv[1]}: hgmdemo lines for every scheme expected, found {sorted(data)}")
    body = []
    for n, scheme in enumerate(("subpage", "head", "pxd")):
        body += panel(10 + n * 310, scheme, data[scheme])
    legend = [("H", "2 MiB PMD leaf"), ("T", "table of 512 PTEs"),
              ("t", "PTE table with holes"), (".", "none (2 MiB hole)")]
    for j, (c, what) in enumerate(legend):
        x = 20 + j * 230
        body.append(f'<rect x="{x}" y="400" width="10" height="10" fill="{COLOURS[c]}" '
                    f'stroke="#999"/><text x="{x + 16}" y="409" font-size="12">{what}</text>')
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="950" height="425" '
           'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'
           + "".join(body) + "</svg>\n")
    open(sys.argv[2], "w").write(svg)


if __name__ == "__main__":
    main()
