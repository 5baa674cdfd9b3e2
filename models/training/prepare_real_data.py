#!/usr/bin/python3
"""Build the real-data training table for the element-space proposer from OBELiX and the
Liverpool ionics database (both CC BY 4.0; see ../shared/data/sse-conductivity/README.md).

Every composition becomes element fractions (atoms of each element per atom of the formula).
Formulas are read by a small recursive-descent parser that multiplies out nested brackets
("Li1.3Al0.3Ti1.7(PO4)3", "(Li2S)0.5 ((P2S5)0.4 (Sb2S3)0.6)0.5"), sums space-separated terms
(oxide-sum notation "(Li2O)50 (Al2O3)2 (P2O5)48", "Li0.022 La0.117 ..."), and takes hydrate dots
("La(NO3)3·6H2O"). A formula it cannot read, or with a symbol that is not an element, is left
out and counted, never guessed.

Conductivities: OBELiX gives room temperature (taken as 25 °C); values written "<1E-10" are
censored (an upper bound) and are kept as such (censored = 1): the trainer uses them for the
composition prior only, never as an exact condition. Liverpool rows carry their measurement
temperature. Rows with the same composition (fractions rounded to 1e-4) and temperature (to
1 °C) are merged: the mean of their log10 sigma, the number merged in `n`.

Split: OBELiX's own train/test split. A Liverpool row whose composition is one of OBELiX's test
compositions goes to test (no test material leaks into training through the other table);
every other Liverpool row trains.

Usage:
    /usr/bin/python3 models/training/prepare_real_data.py \
        --data ../shared/data/sse-conductivity --out models/training/sse-real.csv
"""
import argparse
import csv
import math
import os
import re
import sys
from collections import OrderedDict, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = os.path.join(HERE, "..", "..", "src", "main", "resources", "chemistry",
                       "iupac-2021-standard-atomic-weights.csv")


def element_symbols(path=WEIGHTS):
    with open(path, encoding="utf-8") as f:
        rows = [l for l in f if not l.startswith("#")]
    return {r["symbol"] for r in csv.DictReader(rows)}


class FormulaError(ValueError):
    pass


class FormulaParser:
    """formula := term (ws term)* ; term := [coef] group+ ; group := (element | '(' formula ')') [number]"""

    def __init__(self, text, symbols):
        self.s = text
        self.i = 0
        self.symbols = symbols

    def parse(self):
        counts = self.sum_until(None)
        if self.i != len(self.s):
            raise FormulaError("unexpected %r at position %d" % (self.s[self.i], self.i + 1))
        if not counts:
            raise FormulaError("no elements")
        return counts

    def skip_ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1

    def number(self):
        m = re.compile(r"\d+(\.\d*)?|\.\d+").match(self.s, self.i)
        if not m:
            return None
        self.i = m.end()
        return float(m.group(0))

    def sum_until(self, close):
        total = defaultdict(float)
        while True:
            self.skip_ws()
            if self.i >= len(self.s) or (close and self.s[self.i] == close):
                return total
            if self.s[self.i] in "·*":
                self.i += 1
                self.skip_ws()
                coef = self.number() or 1.0
                for e, n in self.groups(close).items():
                    total[e] += coef * n
                continue
            for e, n in self.groups(close).items():
                total[e] += n

    def groups(self, close):
        out = defaultdict(float)
        started = False
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in "([":
                self.i += 1
                inner = self.sum_until(")" if c == "(" else "]")
                if self.i >= len(self.s):
                    raise FormulaError("unclosed %r" % c)
                self.i += 1
                mult = self.number()
                for e, n in inner.items():
                    out[e] += n * (1.0 if mult is None else mult)
                started = True
            elif c.isupper():
                m = re.compile(r"[A-Z][a-z]?").match(self.s, self.i)
                sym = m.group(0)
                if sym not in self.symbols and len(sym) == 2 and sym[0] in self.symbols:
                    sym = sym[0]  # "Co" is cobalt, but "Cx" is not an element: read "C" then fail on "x"
                if sym not in self.symbols:
                    raise FormulaError("'%s' at position %d is not an element" % (sym, self.i + 1))
                self.i += len(sym)
                n = self.number()
                out[sym] += 1.0 if n is None else n
                started = True
            else:
                break
        if not started:
            raise FormulaError("expected an element or '(' at position %d" % (self.i + 1))
        return out


def parse_formula(text, symbols):
    cleaned = text.strip().strip('"').strip()
    return dict(FormulaParser(cleaned, symbols).parse())


def fractions(counts):
    total = sum(counts.values())
    if not total > 0:
        raise FormulaError("no atoms")
    return {e: n / total for e, n in counts.items() if n > 0}


def composition_key(frac):
    return tuple(sorted((e, round(v, 4)) for e, v in frac.items() if round(v, 4) > 0))


def read_sigma(text):
    """(log10 sigma, censored) from OBELiX's cell: a number, or '<1E-10' (upper bound)."""
    t = text.strip()
    if not t:
        return None
    censored = t.startswith("<")
    v = float(t.lstrip("<").strip())
    if not v > 0:
        return None
    return math.log10(v), censored


def self_test():
    """The notations the two tables use, and the ones that must be refused, checked by hand."""
    symbols = element_symbols()

    def same(text, expected):
        got = parse_formula(text, symbols)
        assert set(got) == set(expected) and all(abs(got[e] - expected[e]) < 1e-9 for e in expected), \
            "%r read as %s, expected %s" % (text, got, expected)

    same("Li7La3Zr2O12", {"Li": 7, "La": 3, "Zr": 2, "O": 12})
    same("Li1.3Al0.3Ti1.7(PO4)3", {"Li": 1.3, "Al": 0.3, "Ti": 1.7, "P": 3, "O": 12})
    same('"(Li2S)0.5 ((P2S5)0.4 (Sb2S3)0.6)0.5"', {"Li": 1.0, "S": 0.5 + 0.5 * (0.4 * 5 + 0.6 * 3),
                                                   "P": 0.5 * 0.4 * 2, "Sb": 0.5 * 0.6 * 2})
    same("(Li2O)50 (Al2O3)2 (P2O5)48", {"Li": 100, "O": 50 + 6 + 240, "Al": 4, "P": 96})
    same("Li0.022 La0.117 Ti0.208 Al0.001 O0.626", {"Li": 0.022, "La": 0.117, "Ti": 0.208, "Al": 0.001, "O": 0.626})
    same("La(NO3)3·6H2O", {"La": 1, "N": 3, "O": 15, "H": 12})
    same(" Li6BaLa2Ta2O12 ", {"Li": 6, "Ba": 1, "La": 2, "Ta": 2, "O": 12})
    same("Li3[PS4]", {"Li": 3, "P": 1, "S": 4})
    for bad in ["LiXx", "Li(PO4", "Li2S)", "", "2", "li2S"]:
        try:
            parse_formula(bad, symbols)
        except FormulaError:
            continue
        raise AssertionError("%r was read, it must be refused" % bad)
    frac = fractions(parse_formula("Li6PS5Cl", symbols))
    assert abs(frac["Li"] - 6 / 13) < 1e-12 and abs(sum(frac.values()) - 1) < 1e-12
    assert read_sigma("<1E-10") == (-10.0, True) and read_sigma("1e-3") == (-3.0, False)
    print("self-test passed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="folder with obelix-*.csv and liverpool-ionics.csv")
    ap.add_argument("--out")
    ap.add_argument("--self-test", action="store_true", help="check the formula reader and exit")
    args = ap.parse_args()
    if args.self_test:
        self_test()
        return
    if not args.data or not args.out:
        ap.error("--data and --out are required")
    symbols = element_symbols()
    refused = []
    rows = []

    test_ids = set()
    with open(os.path.join(args.data, "obelix-test.csv"), encoding="utf-8-sig") as f:
        test_ids = {r["ID"] for r in csv.DictReader(f)}
    with open(os.path.join(args.data, "obelix-all.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            try:
                frac = fractions(parse_formula(r["Reduced Composition"], symbols))
                sigma = read_sigma(r["Ionic conductivity (S cm-1)"])
            except (FormulaError, ValueError) as e:
                refused.append(("obelix", r["ID"], r["Reduced Composition"], str(e)))
                continue
            if sigma is None:
                refused.append(("obelix", r["ID"], r["Reduced Composition"], "no conductivity"))
                continue
            rows.append(dict(source="obelix", id=r["ID"], split="test" if r["ID"] in test_ids else "train",
                             family=r["Family"] or "", formula=r["Reduced Composition"], temperature_c=25.0,
                             log10_sigma=sigma[0], censored=int(sigma[1]), frac=frac))
    test_keys = {composition_key(r["frac"]) for r in rows if r["split"] == "test"}

    with open(os.path.join(args.data, "liverpool-ionics.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            try:
                frac = fractions(parse_formula(r["composition"], symbols))
                t = float(r["temperature"])
                sigma = float(r["target"])
            except (FormulaError, ValueError) as e:
                refused.append(("liverpool", r["ID"], r["composition"], str(e)))
                continue
            if not sigma > 0 or not -100 < t < 1000:
                refused.append(("liverpool", r["ID"], r["composition"], "sigma %s at %s °C" % (sigma, t)))
                continue
            family = r["family"] if r["family"] not in ("", "#N/A") else ""
            rows.append(dict(source="liverpool", id=r["ID"],
                             split="test" if composition_key(frac) in test_keys else "train",
                             family=family, formula=r["composition"].strip().strip('"').strip(),
                             temperature_c=t, log10_sigma=math.log10(sigma), censored=0, frac=frac))

    # Merge repeated measurements of one composition at one temperature (censored apart).
    merged = OrderedDict()
    for r in rows:
        key = (composition_key(r["frac"]), round(r["temperature_c"]), r["censored"], r["split"])
        if key in merged:
            m = merged[key]
            m["sum"] += r["log10_sigma"]
            m["n"] += 1
            m["ids"].append(r["source"] + ":" + r["id"])
        else:
            merged[key] = dict(r, sum=r["log10_sigma"], n=1, ids=[r["source"] + ":" + r["id"]])
    out_rows = list(merged.values())
    vocabulary = sorted({e for r in out_rows for e in r["frac"]},
                        key=lambda e: (-sum(1 for r in out_rows if e in r["frac"]), e))

    with open(args.out, "w", newline="", encoding="utf-8") as f:
        f.write("# Derived from OBELiX (Therrien et al., arXiv:2502.14234, 2025) and the Liverpool ionics\n")
        f.write("# database (Hargreaves et al., npj Comput. Mater. 9, 9, 2023), both CC BY 4.0 as\n")
        f.write("# redistributed in NRC-Mila/OBELiX at 4eaac88. Element fractions per atom; log10 S/cm.\n")
        f.write("# Written by models/training/prepare_real_data.py; do not edit by hand.\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["split", "sources", "family", "formula", "temperature_c", "log10_sigma", "censored", "n"]
                   + vocabulary)
        for r in out_rows:
            w.writerow([r["split"], " ".join(r["ids"]), r["family"], r["formula"], "%.2f" % r["temperature_c"],
                        "%.4f" % (r["sum"] / r["n"]), r["censored"], r["n"]]
                       + ["%.6f" % r["frac"].get(e, 0.0) for e in vocabulary])
    counts = defaultdict(int)
    for r in out_rows:
        counts[r["split"]] += 1
    print("%d rows (%d train, %d test) from %d measurements; %d elements; %d censored; %d refused"
          % (len(out_rows), counts["train"], counts["test"], len(rows), len(vocabulary),
             sum(r["censored"] for r in out_rows), len(refused)))
    for source, rid, text, why in refused:
        print("  refused %s %s %r: %s" % (source, rid, text, why), file=sys.stderr)


if __name__ == "__main__":
    main()
