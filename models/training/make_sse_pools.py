#!/usr/bin/env python3
"""Writes the solid-electrolyte pools for the planner's pool mode from models/training/sse-real.csv:
campaigns/pools/obelix-rt.csv and campaigns/pools/liverpool-rt.csv, one row per composition measured
at room temperature (20-30 °C, not censored: a value reported only as "below" is no measurement to
look up), log10 sigma averaged over its measurements, the element amounts per atom as descriptors.

    /usr/bin/python3 models/training/make_sse_pools.py

Derived from OBELiX and the Liverpool ionics database, both CC BY 4.0 (see sse-real.csv's header).
"""
import csv
import pathlib
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    lines = (ROOT / "models/training/sse-real.csv").read_text().splitlines()
    rows = list(csv.DictReader(l for l in lines if not l.startswith("#")))
    header = next(l for l in lines if not l.startswith("#")).split(",")
    elements = header[header.index("n") + 1:]
    for source, citation in (("obelix", "OBELiX (Therrien et al., arXiv:2502.14234, 2025)"),
                             ("liverpool", "the Liverpool ionics database (Hargreaves et al., npj Comput. Mater. 9, 9, 2023)")):
        by_formula = defaultdict(list)
        amounts = {}
        for r in rows:
            if source in r["sources"] and r["censored"] == "0" and 20 <= float(r["temperature_c"]) <= 30:
                by_formula[r["formula"]].append(float(r["log10_sigma"]))
                amounts[r["formula"]] = [float(r[e]) for e in elements]
        present = [k for k, e in enumerate(elements) if any(amounts[f][k] > 0 for f in amounts)]
        out = ROOT / f"campaigns/pools/{source}-rt.csv"
        with out.open("w", newline="") as f:
            f.write(f"# Solid electrolytes measured at 20-30 °C in {citation}, CC BY 4.0, as\n"
                    "# redistributed in NRC-Mila/OBELiX at 4eaac88; one row per composition (log10 S/cm averaged\n"
                    "# over its measurements, censored values left out), element amounts per atom.\n"
                    "# Written by models/training/make_sse_pools.py from models/training/sse-real.csv.\n")
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["id"] + [elements[k] for k in present] + ["log10_sigma"])
            for formula in sorted(by_formula):
                values = by_formula[formula]
                w.writerow([formula] + ["%.6f" % amounts[formula][k] for k in present]
                           + ["%.4f" % (sum(values) / len(values))])
        print(f"{out.relative_to(ROOT)}: {len(by_formula)} compositions, {len(present)} elements")


if __name__ == "__main__":
    main()
