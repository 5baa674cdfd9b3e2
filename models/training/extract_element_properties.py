#!/usr/bin/env python3
"""Writes src/main/resources/chemistry/magpie-element-properties.csv from Magpie's elemental
property tables as matminer redistributes them (src/matminer/utils/data_files/magpie_elementdata/,
one value per element in order of atomic number, "Missing" where unknown).

    /usr/bin/python3 models/training/extract_element_properties.py MATMINER_CHECKOUT [OUT]

The symbols come from ionloop's own element table (IUPAC 2021 weights); elements it does not list
(no standard atomic weight) are left out, as ionloop cannot weigh them anyway.
"""
import csv
import pathlib
import sys

PROPERTIES = [
    # (Magpie table, column name, unit, what it is)
    ("Number", "atomic_number", "", "atomic number Z"),
    ("MendeleevNumber", "mendeleev_number", "", "Pettifor's Mendeleev number (chemical similarity order)"),
    ("AtomicWeight", "atomic_weight", "u", "atomic weight"),
    ("MeltingT", "melting_t", "K", "melting temperature of the element"),
    ("Column", "column", "", "periodic-table column (rare earths 3)"),
    ("Row", "row", "", "periodic-table row"),
    ("CovalentRadius", "covalent_radius", "pm", "covalent radius"),
    ("Electronegativity", "electronegativity", "", "Pauling electronegativity"),
    ("NValence", "n_valence", "", "valence electrons"),
    ("NUnfilled", "n_unfilled", "", "unfilled valence orbitals (s, p, d, f)"),
    ("GSvolume_pa", "gs_volume_pa", "Å^3/atom", "DFT ground-state volume per atom of the element"),
]


def main():
    checkout = pathlib.Path(sys.argv[1])
    root = pathlib.Path(__file__).resolve().parents[2]
    out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else root / "src/main/resources/chemistry/magpie-element-properties.csv"
    tables = checkout / "src/matminer/utils/data_files/magpie_elementdata"
    values = {}
    for table, name, _, _ in PROPERTIES:
        cells = (tables / f"{table}.table").read_text().split()
        values[name] = cells
    symbols = {}
    for line in (root / "src/main/resources/chemistry/iupac-2021-standard-atomic-weights.csv").read_text().splitlines():
        if line and not line.startswith("#") and not line.startswith("symbol"):
            symbol, z = line.split(",")[:2]
            symbols[int(z)] = symbol
    with out.open("w", newline="") as f:
        f.write("# Elemental properties for composition descriptors (Magpie: L. Ward, A. Agrawal, A. Choudhary,\n"
                "# C. Wolverton, npj Comput. Mater. 2, 16028 (2016)), as redistributed by matminer at\n"
                "# 8ddb18c (src/matminer/utils/data_files/magpie_elementdata/, BSD-3-Clause licence, Copyright\n"
                "# (c) 2015 The Regents of the University of California, through LBNL; most values from\n"
                "# Mathematica's ElementData, see the tables' README). Empty where Magpie has no value.\n"
                "# Written by models/training/extract_element_properties.py; do not edit by hand. Columns:\n")
        for _, name, unit, what in PROPERTIES:
            f.write(f"#   {name}: {what}{' (' + unit + ')' if unit else ''}\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["symbol"] + [p[1] for p in PROPERTIES])
        for z in sorted(symbols):
            row = [symbols[z]]
            for _, name, _, _ in PROPERTIES:
                v = values[name][z - 1]
                row.append("" if v == "Missing" else v)
            w.writerow(row)


if __name__ == "__main__":
    main()
