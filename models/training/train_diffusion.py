#!/usr/bin/python3
"""Train ionloop's thermodynamics-conditioned diffusion proposer and export it to ONNX.

The model is a DDPM-style denoiser eps_theta(x_t, t, c) over a 4-dim design vector
    x = [ilr(Li2S, P2S5, LiCl, LiBr) (3 coords), anneal temperature scaled to [-1, 1]]
standardised with the training mean/std, conditioned on
    c = [log10 sigma at T (S/cm), T (degC), energy above hull (meV/atom)] standardised.
Condition dropout (p = 0.15, cond_mask = 0) trains the unconditional model used by
classifier-free guidance (Ho & Salimans, 2022). Noise schedule: cosine (Nichol & Dhariwal, 2021),
T = 1000. Fractions live on a simplex: they go through the isometric log-ratio transform
(Egozcue et al., Math. Geol. 35, 279, 2003) after a floor of 1e-3, never clip-and-renormalise.

Usage (PyTorch from Debian's python3-torch):
    /usr/bin/python3 models/training/train_diffusion.py --data train.csv --out-dir models/proposer
Writes diffusion.onnx, diffusion.pt (the same weights for PyTorch), model-card.json and
fixture.json (ONNX inputs and PyTorch outputs used by the Java test that checks ONNX Runtime
matches PyTorch to 1e-4).
"""
import argparse
import csv
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

PRECURSORS = ["Li2S", "P2S5", "LiCl", "LiBr"]
ANNEAL_RANGE = (300.0, 650.0)
FRACTION_FLOOR = 1e-3
T_STEPS = 1000
COSINE_S = 0.008
TIME_EMBED = 32


def helmert_basis(d):
    """Orthonormal basis (d x d-1) of the clr hyperplane; columns are balances."""
    v = np.zeros((d, d - 1))
    for j in range(1, d):
        v[:j, j - 1] = 1.0 / j
        v[j, j - 1] = -1.0
        v[:, j - 1] *= math.sqrt(j / (j + 1.0))
    return v


def ilr(fractions, basis):
    f = np.maximum(fractions, FRACTION_FLOOR)
    f = f / f.sum(axis=1, keepdims=True)
    logf = np.log(f)
    clr = logf - logf.mean(axis=1, keepdims=True)
    return clr @ basis


class Denoiser(nn.Module):
    def __init__(self, x_dim=4, c_dim=3, hidden=256):
        super().__init__()
        half = TIME_EMBED // 2
        freqs = torch.exp(-math.log(1000.0) * torch.arange(half, dtype=torch.float32) / half)
        self.register_buffer("freqs", freqs)
        self.net = nn.Sequential(
            nn.Linear(x_dim + c_dim + 1 + TIME_EMBED, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, x_dim))

    def forward(self, x, t, cond, cond_mask):
        # t: [B,1] in [0,1]; sinusoidal embedding of 1000 t
        angles = t * 1000.0 * self.freqs.unsqueeze(0)
        emb = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
        return self.net(torch.cat([x, cond * cond_mask, cond_mask, emb], dim=1))


def alphas_cumprod():
    steps = np.arange(T_STEPS + 1, dtype=np.float64) / T_STEPS
    f = np.cos((steps + COSINE_S) / (1 + COSINE_S) * math.pi / 2) ** 2
    a = f / f[0]
    return np.clip(a[1:], 1e-5, 1.0)  # alpha_bar for t = 1..T


def load(path):
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        sys.exit(f"{path}: no rows")
    for name in PRECURSORS + ["anneal_c", "temperature_c", "log10_sigma", "e_hull_mev"]:
        if name not in rows[0]:
            sys.exit(f"{path}: missing column '{name}'")
    fr = np.array([[float(r[p]) for p in PRECURSORS] for r in rows])
    anneal = np.array([float(r["anneal_c"]) for r in rows])
    cond = np.array([[float(r["log10_sigma"]), float(r["temperature_c"]), float(r["e_hull_mev"])]
                     for r in rows])
    return fr, anneal, cond


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, nargs="+", help="training CSV file(s)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--epochs", type=int, default=150)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--version", default="diffusion-v1")
    ap.add_argument("--base-data", help="file beside the card that retraining keeps training on (its card's"
                    " training.base_data)")
    ap.add_argument("--init-from", help="model folder to fine-tune (its diffusion.pt and the "
                    "normalisation in its model-card.json) instead of training from scratch")
    ap.add_argument("--lr", type=float, default=None, help="learning rate (default 2e-3, 5e-4 when fine-tuning)")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    parts = [load(p) for p in args.data]
    fr = np.concatenate([p[0] for p in parts])
    anneal = np.concatenate([p[1] for p in parts])
    cond = np.concatenate([p[2] for p in parts])
    digest = hashlib.sha256()
    for p in args.data:
        with open(p, "rb") as fh:
            digest.update(fh.read())

    basis = helmert_basis(len(PRECURSORS))
    x = np.concatenate([ilr(fr, basis),
                        ((anneal - ANNEAL_RANGE[0]) / (ANNEAL_RANGE[1] - ANNEAL_RANGE[0]) * 2 - 1)[:, None]],
                       axis=1)
    x_mean, x_std = x.mean(0), x.std(0) + 1e-8
    c_mean, c_std = cond.mean(0), cond.std(0) + 1e-8
    init_card = None
    if args.init_from:
        # Fine-tuning keeps the network's input normalisation: its weights were learnt on it.
        with open(os.path.join(args.init_from, "model-card.json")) as fh:
            init_card = json.load(fh)
        x_mean, x_std = np.array(init_card["x_mean"]), np.array(init_card["x_std"])
        c_mean, c_std = np.array(init_card["cond_mean"]), np.array(init_card["cond_std"])
    xn = ((x - x_mean) / x_std).astype(np.float32)
    cn = ((cond - c_mean) / c_std).astype(np.float32)

    rng = np.random.default_rng(args.seed)
    perm = rng.permutation(len(xn))
    n_val = max(1, len(xn) // 10)
    val_idx, tr_idx = perm[:n_val], perm[n_val:]
    abar = torch.tensor(alphas_cumprod(), dtype=torch.float32)

    model = Denoiser()
    if init_card is not None:
        model.load_state_dict(torch.load(os.path.join(args.init_from, "diffusion.pt")))
    lr = args.lr if args.lr is not None else (5e-4 if init_card is not None else 2e-3)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    xt_all, ct_all = torch.tensor(xn), torch.tensor(cn)

    def loss_on(idx, gen):
        xb, cb = xt_all[idx], ct_all[idx]
        t = torch.randint(0, T_STEPS, (len(idx),), generator=gen)
        a = abar[t].unsqueeze(1)
        noise = torch.randn(xb.shape, generator=gen)
        xt = a.sqrt() * xb + (1 - a).sqrt() * noise
        mask = (torch.rand((len(idx), 1), generator=gen) > 0.15).float()
        pred = model(xt, (t.float().unsqueeze(1) + 1) / T_STEPS, cb, mask)
        return ((pred - noise) ** 2).mean()

    gen = torch.Generator().manual_seed(args.seed)
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = tr_idx[rng.permutation(len(tr_idx))]
        for i in range(0, len(order), 512):
            loss = loss_on(torch.tensor(order[i:i + 512]), gen)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        if epoch % 25 == 0 or epoch == args.epochs - 1:
            model.eval()
            with torch.no_grad():
                vl = loss_on(torch.tensor(val_idx), torch.Generator().manual_seed(1)).item()
            print(f"epoch {epoch:4d}  train {loss.item():.4f}  val {vl:.4f}  "
                  f"({time.time() - start:.0f} s)", flush=True)

    model.eval()
    with torch.no_grad():
        val_loss = loss_on(torch.tensor(val_idx), torch.Generator().manual_seed(1)).item()
    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, "diffusion.onnx")
    dummy = (torch.zeros(2, 4), torch.full((2, 1), 0.5), torch.zeros(2, 3), torch.ones(2, 1))
    torch.onnx.export(model, dummy, onnx_path, opset_version=13,
                      input_names=["x", "t", "cond", "cond_mask"], output_names=["eps"],
                      dynamic_axes={n: {0: "batch"} for n in ["x", "t", "cond", "cond_mask", "eps"]})

    # The PyTorch weights too: bench_eager.py runs the same network in PyTorch eager mode to
    # compare throughput with ONNX Runtime.
    torch.save(model.state_dict(), os.path.join(args.out_dir, "diffusion.pt"))

    g = torch.Generator().manual_seed(123)
    fx = torch.randn(5, 4, generator=g)
    ft = torch.rand(5, 1, generator=g)
    fc = torch.randn(5, 3, generator=g)
    fm = torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0]])
    with torch.no_grad():
        fe = model(fx, ft, fc, fm)
    with open(os.path.join(args.out_dir, "fixture.json"), "w") as fh:
        json.dump({"x": fx.tolist(), "t": ft.tolist(), "cond": fc.tolist(),
                   "cond_mask": fm.tolist(), "eps": fe.tolist()}, fh)

    with open(onnx_path, "rb") as fh:
        model_hash = hashlib.sha256(fh.read()).hexdigest()
    card = {
        "version": args.version,
        "file": "diffusion.onnx",
        "sha256": model_hash,
        "inputs": {"x": "[B,4] standardised design vector", "t": "[B,1] (step+1)/T in (0,1]",
                   "cond": "[B,3] standardised conditions", "cond_mask": "[B,1] 1 = conditional, 0 = unconditional"},
        "outputs": {"eps": "[B,4] predicted noise"},
        "precursors": PRECURSORS,
        "process": [{"name": "anneal_c", "min": ANNEAL_RANGE[0], "max": ANNEAL_RANGE[1]}],
        "fraction_floor": FRACTION_FLOOR,
        "ilr_basis": basis.tolist(),
        "x_mean": x_mean.tolist(), "x_std": x_std.tolist(),
        "conditions": ["log10_sigma_s_per_cm", "temperature_c", "e_hull_mev_per_atom"],
        "cond_mean": c_mean.tolist(), "cond_std": c_std.tolist(),
        "schedule": {"kind": "cosine", "steps": T_STEPS, "s": COSINE_S},
        "training": {**({"base_data": args.base_data} if args.base_data else {}),
                     "rows": int(len(xn)), "data_sha256": digest.hexdigest(), "epochs": args.epochs,
                     "seed": args.seed, "condition_dropout": 0.15, "torch": torch.__version__,
                     "learning_rate": lr,
                     "fine_tuned_from": init_card["version"] if init_card is not None else None},
        "metrics": {"val_denoising_mse": val_loss},
        "rebuild": "bin/ionloop sim training-data --out target/train.csv && /usr/bin/python3 "
                   "models/training/train_diffusion.py --data target/train.csv --out-dir models/proposer",
    }
    with open(os.path.join(args.out_dir, "model-card.json"), "w") as fh:
        json.dump(card, fh, indent=2)
    print(f"wrote {onnx_path} (sha256 {model_hash[:12]}), val mse {val_loss:.4f}")


if __name__ == "__main__":
    main()
