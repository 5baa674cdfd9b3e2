#!/usr/bin/python3
"""The reference loop ionloop's pool bench is compared with: a scikit-learn GP (Matern 5/2 with
one length scale per descriptor, a constant amplitude and a learned white-noise term, targets
normalised) and analytic expected improvement over the best value measured so far, choosing one
row at a time from the rows not yet measured. Same protocol as `bin/ionloop bench planner --pool`:
5 random starters, top 1 % (by the objective) as targets, the experiment at which the first,
the ceil(K/2)-th and the K-th target was found.

  /usr/bin/python3 bench/gp_ei_pool.py ../shared/data/pools/p3ht.csv conductivity_measured_s_cm --seeds 20

Needs Debian's python3-sklearn. A reference, not part of the product or the test suite.
"""
import argparse
import csv
import math
import time
import warnings

import numpy as np
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel


def read_pool(path, objective, exclude):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    columns = [c for c in rows[0] if c != objective and c != "id" and c not in exclude]
    x = np.array([[float(r[c]) for c in columns] for r in rows])
    y = np.array([float(r[objective]) for r in rows])
    span = x.max(axis=0) - x.min(axis=0)
    keep = span > 0
    x = (x[:, keep] - x.min(axis=0)[keep]) / span[keep]
    return x, y


def run_seed(x, y, target, seed, budget, starters, xi, noise):
    rng = np.random.default_rng(seed)
    n = len(y)
    measured = list(rng.choice(n, size=starters, replace=False))
    found = []
    seconds = []
    for i, row in enumerate(measured):
        if target[row]:
            found.append(i + 1)
    while len(measured) < min(budget, n) and len(found) < target.sum():
        t0 = time.process_time()
        kernel = ConstantKernel(1.0) * Matern(length_scale=np.ones(x.shape[1]), nu=2.5)
        if noise == "learned":
            kernel = kernel + WhiteKernel(1e-2)
        gp = GaussianProcessRegressor(kernel=kernel, normalize_y=True, n_restarts_optimizer=2,
                                      alpha=1e-6 if noise == "none" else 1e-10, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gp.fit(x[measured], y[measured])
        open_rows = np.setdiff1d(np.arange(n), measured)
        mu, sd = gp.predict(x[open_rows], return_std=True)
        best = y[measured].max()
        sd = np.maximum(sd, 1e-12)
        z = (mu - best - xi) / sd
        ei = (mu - best - xi) * norm.cdf(z) + sd * norm.pdf(z)
        row = open_rows[int(np.argmax(ei))]
        seconds.append(time.process_time() - t0)
        measured.append(row)
        if target[row]:
            found.append(len(measured))
    return found, seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("pool")
    p.add_argument("objective")
    p.add_argument("--minimize", action="store_true")
    p.add_argument("--exclude", default="")
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--budget", type=int, default=300)
    p.add_argument("--starters", type=int, default=5)
    p.add_argument("--xi", type=float, default=0.01)
    p.add_argument("--noise", choices=["learned", "none"], default="learned",
                   help="learned: a white-noise term in the kernel; none: the GP interpolates")
    a = p.parse_args()
    x, y = read_pool(a.pool, a.objective, set(filter(None, a.exclude.split(","))))
    if a.minimize:
        y = -y
    n = len(y)
    k = max(1, round(0.01 * n))
    threshold = np.sort(y)[n - k]
    target = y >= threshold
    kk = int(target.sum())
    half = (kk + 1) // 2
    firsts, halves, alls, cpu = [], [], [], []
    for s in range(a.seeds):
        found, seconds = run_seed(x, y, target, s, a.budget, a.starters, a.xi, a.noise)
        cpu += seconds
        pad = found + [a.budget + 1] * (kk - len(found))
        firsts.append(pad[0]); halves.append(pad[half - 1]); alls.append(pad[kk - 1])
        print(f"seed {s}: first {pad[0]}, half {pad[half - 1]}, all {pad[kk - 1]}", flush=True)
    def line(name, j, v):
        rnd = j * (n + 1) / (kk + 1)
        unreached = sum(1 for e in v if e > a.budget)
        mean = sum(v) / len(v)
        sdm = float(np.std(v, ddof=1) / math.sqrt(len(v))) if len(v) > 1 else float("nan")
        if unreached:
            # A seed that never reached the target counts as budget + 1: the mean is a lower bound
            # and no acceleration can be claimed.
            print(f"  {name} (target {j}): not reached by {unreached} of {len(v)} seeds within {a.budget}"
                  f" (mean >= {mean:.1f}; random {rnd:.1f}): no acceleration figure")
        else:
            print(f"  {name} (target {j}): GP-EI {mean:.1f} ± {sdm:.1f}, random {rnd:.1f} -> {rnd / mean:.1f}x")
    print(f"{kk} targets (top 1% of {n}); experiments until found, mean ± s.e. over {a.seeds} seeds:")
    line("first", 1, firsts)
    line("half ", half, halves)
    line("all  ", kk, alls)
    print(f"  CPU per decision: p50 {np.percentile(cpu, 50):.3f} s, p90 {np.percentile(cpu, 90):.3f} s")


if __name__ == "__main__":
    main()
