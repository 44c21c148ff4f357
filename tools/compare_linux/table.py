"""The comparison table: per measured line and figure, each kernel's median
[min-max] over its boots, and flushlab/Linux; CSV and markdown under results/,
and the picture of per-op interrupts received against K (gnuplot).
"""
import csv
import os
import re
import statistics
import subprocess

# Figures the table shows first, in this order; then the rest by name.
FIRST = ("ns_per_op_median", "ns_per_switch_median", "touch_ns_per_page_median",
         "fault_ns", "split_ns_median", "collapse_ns_median", "real_ms", "console_real_ms",
         "trace_remote_flushes_per_op", "trace_ipis_sent_per_op", "trace_received_per_op",
         "trace_irqs_received_per_op", "trace_ipi_delivery_us_median", "irq_tlb_row_per_op",
         "received_per_op")


def order(figs):
    return [f for f in FIRST if f in figs] + sorted(f for f in figs if f not in FIRST)


def cell(values, crashed, kernel):
    """'median [min-max]', 'crash', or 'n/a on KERNEL'."""
    if values:
        med = statistics.median(values)
        s = f"{fmt(med)} [{fmt(min(values))}-{fmt(max(values))}]"
        return s + (f" ({len(crashed)} crash)" if crashed else "")
    if crashed:
        return f"crash (boot {', '.join(str(b) for b in crashed)})"
    return f"n/a on {kernel}"


def fmt(v):
    if v == int(v) and abs(v) >= 10:
        return str(int(v))
    return f"{v:.3g}" if abs(v) < 1000 else str(round(v))


def ratio(a, b):
    if not a or not b:
        return ""
    mb = statistics.median(b)
    return f"{statistics.median(a) / mb:.2f}" if mb else ""


def rows(lines, results, linux_name):
    """results[kernel][line number] = list over boots of figs dict or 'crash'."""
    out = []
    for line in lines:
        if not line.measured:
            continue
        per = {k: results[k].get(line.number, []) for k in ("flushlab", "linux")}
        figs = set()
        for runs in per.values():
            for r in runs:
                if isinstance(r, dict):
                    figs |= set(r)
        figs = {f for f in figs if f != "trace_lost" and not f.startswith("_")}
        crashed = {k: [i + 1 for i, r in enumerate(per[k]) if r == "crash"] for k in per}
        for fig in order(figs) or ["(no figure)"]:
            vals = {k: [r[fig] for r in per[k] if isinstance(r, dict) and fig in r]
                    for k in per}
            out.append({"line": line.label, "line_no": line.number, "figure": fig,
                        "flushlab": cell(vals["flushlab"], crashed["flushlab"], "flushlab"),
                        "linux": cell(vals["linux"], crashed["linux"], "linux"),
                        "ratio": ratio(vals["flushlab"], vals["linux"]),
                        "values": vals})
    return out


def print_table(table, linux_name):
    w = max([len(r["line"]) for r in table] + [10])
    head = f"{'line':<{w}}  {'figure':<30} {'flushlab':>26} {linux_name:>26}  ratio"
    print(head)
    print("-" * len(head))
    last = None
    for r in table:
        name = r["line"] if r["line"] != last else ""
        last = r["line"]
        print(f"{name:<{w}}  {r['figure']:<30} {r['flushlab']:>26} {r['linux']:>26}  "
              f"{r['ratio']}")


def write_csv(path, table, meta):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["smp", "mem", "linux", "line_no", "line", "figure", "kernel", "boot",
                    "value"])
        for r in table:
            for k, vals in r["values"].items():
                for i, v in enumerate(vals, 1):
                    w.writerow([meta["smp"], meta["mem"], meta["linux"], r["line_no"], r["line"],
                                r["figure"], k, i, v])


TIMES = ("ns_per_op_median", "ns_per_switch_median", "touch_ns_per_page_median", "fault_ns",
         "split_ns_median", "collapse_ns_median", "real_ms")
BRIEF = TIMES + ("trace_remote_flushes_per_op", "trace_ipis_sent_per_op",
                 "trace_received_per_op", "trace_irqs_received_per_op",
                 "trace_ipi_delivery_us_median")


def brief(table):
    """The headline rows: each line's times and the four trace counts."""
    return [r for r in table if r["figure"] in BRIEF]


def write_md(path, table, meta, notes):
    with open(path, "w") as f:
        f.write(f"# flushlab against {meta['linux']}: {meta['script']}, -smp {meta['smp']}, "
                f"-m {meta['mem']}, accel={meta['accel']}, {meta['boots']} boots each\n\n")
        f.write("Median [min-max] over the boots (made by `make compare-linux`; "
                "docs/compare-linux.md says how to read it). ratio = flushlab / Linux.\n\n")
        for n in notes:
            f.write(f"- {n}\n")
        for title, rows_ in (("Headline: times and trace counts", brief(table)),
                             ("Every figure", table)):
            f.write(f"\n## {title}\n")
            write_md_rows(f, rows_)


def write_md_rows(f, table):
    f.write("\n| line | figure | flushlab | linux | ratio |\n|---|---|---|---|---|\n")
    for r in table:
        f.write(f"| `{r['line']}` | {r['figure']} | {r['flushlab']} | {r['linux']} | "
                f"{r['ratio']} |\n")


def plot_received(path, table, smp):
    """Per-op interrupts received against K for the madv_touch lines (gnuplot PNG)."""
    pts = {"flushlab": [], "linux": []}
    for r in table:
        m = re.match(r"madv_touch .*threads=(\d+)", r["line"])
        if not m or r["figure"] != "trace_received_per_op":
            continue
        for k in pts:
            if r["values"][k]:
                pts[k].append((int(m.group(1)), statistics.median(r["values"][k]),
                               min(r["values"][k]), max(r["values"][k])))
    if not pts["flushlab"] and not pts["linux"]:
        return None
    data = path[:-4] + ".dat"
    with open(data, "w") as f:
        for i, k in enumerate(("flushlab", "linux")):
            f.write(f"# {k}\n")
            for p in sorted(pts[k]):
                f.write(" ".join(str(x) for x in p) + "\n")
            f.write("\n\n")
    gp = (f"set terminal pngcairo size 720,440 noenhanced\nset output '{path}'\n"
          f"set title 'madv_touch: TLB interrupts received per op (-smp {smp}, trace)'\n"
          "set xlabel 'K (threads on K CPUs)'\nset ylabel 'remote flushes received per op'\n"
          "set key left top\nset xtics 1\nset grid\nset offsets 0.2, 0.2, 0, 0\n"
          "set yrange [0:*]\n"
          f"plot '{data}' index 0 using 1:2:3:4 with yerrorlines title 'flushlab', "
          f"'{data}' index 1 using 1:2:3:4 with yerrorlines title 'linux'\n")
    r = subprocess.run(["gnuplot"], input=gp, text=True, capture_output=True)
    return path if r.returncode == 0 else None
