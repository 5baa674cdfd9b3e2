#!/usr/bin/python3
"""Train the element-space diffusion proposer on measured solid electrolytes and export it to ONNX.

Data: models/training/sse-real.csv (prepare_real_data.py; OBELiX + the Liverpool ionics
database, CC BY 4.0). The model is a DDPM denoiser eps_theta(x_t, t, c) over the elements of the
training compositions, with the network of train_diffusion.py:
    x = (sqrt(element fractions) - mean) / scale     (one scale for all elements)
The square root (the Hellinger embedding of the simplex) keeps absent elements at exactly zero
and spreads the small fractions that matter chemistry-wise; a sample is decoded as
f = max(x * scale + mean, 0)^2, fractions below SPARSITY dropped (an element at < 0.3 % of the
atoms is noise, not a dopant the data support), renormalised.
Conditions c = [log10 sigma (S/cm), 1000 / T (1/K)], standardised: Arrhenius behaviour is the
thermodynamic conditioning the data support. Energy above hull is absent (no source for these
compositions was at hand) and so is the structural family. Censored rows (sigma below a bound)
train the unconditional model only (cond_mask = 0), never as an exact sigma; every other row
drops its condition with p = 0.15 for classifier-free guidance.

Evaluation on OBELiX's test split (plus the Liverpool rows of test compositions), at 25 °C, with
DDIM (eta = 0) and guidance w as the Java sampler runs them:
  hit rate   share of samples whose nearest test composition within RADIUS (total-variation
             distance of element fractions) was measured within +/-0.5 decades of the target;
  near-real  share with any test composition within RADIUS;
  against unconditional samples and a retrieval baseline (the training rows nearest the target
  sigma), with validity (charge-neutral with common oxidation states), uniqueness and novelty
  (farther than NOVEL from every training composition).

Usage (Debian's python3-torch; single-threaded so a rebuild is bit for bit):
    /usr/bin/python3 models/training/train_element_diffusion.py \
        --data models/training/sse-real.csv --out-dir models/proposer-sse --base-data ../training/sse-real.csv
Fine-tuning on a lab's rows (what ionloop's retraining runs; --init-from keeps the encoding):
    /usr/bin/python3 models/training/train_element_diffusion.py --data TABLE_WITH_LAB_ROWS \
        --out-dir OUT --init-from models/proposer-sse --epochs 40 --base-data ABSOLUTE_TABLE
"""
import argparse
import csv
import hashlib
import itertools
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_diffusion import Denoiser, alphas_cumprod, T_STEPS, COSINE_S  # noqa: E402

SPARSITY = 0.003
CONDITION_DROPOUT = 0.15
RADIUS = 0.10
NOVEL = 0.05
HERE = os.path.dirname(os.path.abspath(__file__))
OXIDATION = os.path.join(HERE, "..", "..", "src", "main", "resources", "chemistry", "common-oxidation-states.csv")


def load(path):
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(l for l in fh if not l.startswith("#")))
    if not rows:
        sys.exit(f"{path}: no rows")
    fixed = ["split", "sources", "family", "formula", "temperature_c", "log10_sigma", "censored", "n"]
    for name in fixed:
        if name not in rows[0]:
            sys.exit(f"{path}: missing column '{name}'")
    elements = [k for k in rows[0].keys() if k not in fixed]
    frac = np.array([[float(r[e]) for e in elements] for r in rows])
    temp = np.array([float(r["temperature_c"]) for r in rows])
    logs = np.array([float(r["log10_sigma"]) for r in rows])
    censored = np.array([r["censored"] == "1" for r in rows])
    split = np.array([r["split"] for r in rows])
    sources = [r["sources"] for r in rows]
    return elements, frac, temp, logs, censored, split, sources


def conditions(logs, temp_c):
    return np.stack([logs, 1000.0 / (temp_c + 273.15)], axis=1)


def oxidation_states():
    with open(OXIDATION, encoding="utf-8") as fh:
        rows = list(csv.DictReader(l for l in fh if not l.startswith("#")))
    return {r["symbol"]: [int(s) for s in r["states"].split()] for r in rows}


def charge_neutral(fractions, elements, states, tolerance=0.05):
    """One common oxidation state per element balancing the charge to within 5 % of its total."""
    present = [(elements[i], f) for i, f in enumerate(fractions) if f > 0]
    options = [states.get(e, []) for e, _ in present]
    if any(not o for o in options) or len(present) > 8:
        return False
    for combo in itertools.product(*options):
        charge = sum(f * s for (_, f), s in zip(present, combo))
        magnitude = sum(f * abs(s) for (_, f), s in zip(present, combo))
        if magnitude > 0 and abs(charge) <= tolerance * magnitude:
            return True
    return False


class Encoding:
    def __init__(self, mean, scale):
        self.mean, self.scale = mean, scale

    def encode(self, frac):
        return (np.sqrt(frac) - self.mean) / self.scale

    def decode(self, x):
        f = np.maximum(x * self.scale + self.mean, 0.0) ** 2
        f[f < SPARSITY] = 0.0
        total = f.sum(axis=1, keepdims=True)
        ok = total[:, 0] > 0
        f[ok] /= total[ok]
        return f, ok


def ddim_sample(model, n, cond_n, guidance, steps, gen, x_dim, unconditional=False):
    """DDIM (eta = 0) with classifier-free guidance exactly as the Java DdimSampler runs it:
    eps = (1 + w) eps(x, t, c) - w eps(x, t, none), x0 clipped to +/-4, timesteps
    round((T - 1)(1 - s / steps)) and a final step to alpha_bar = 1."""
    abar = alphas_cumprod()
    x = torch.randn(n, x_dim, generator=gen)
    c = torch.tensor(np.repeat(cond_n[None, :], n, axis=0), dtype=torch.float32)
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    with torch.no_grad():
        for s in range(steps):
            tau = int(round((T_STEPS - 1) * (1 - s / steps)))
            prev = int(round((T_STEPS - 1) * (1 - (s + 1) / steps))) if s + 1 < steps else -1
            t = torch.full((n, 1), (tau + 1) / T_STEPS)
            eps_u = model(x, t, c, zeros)
            eps = eps_u if unconditional else (1 + guidance) * model(x, t, c, ones) - guidance * eps_u
            a = float(abar[tau])
            a_prev = float(abar[prev]) if prev >= 0 else 1.0
            x0 = ((x - math.sqrt(1 - a) * eps) / math.sqrt(a)).clamp(-4, 4)
            x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    return x.numpy()


def total_variation(a, b):
    """Pairwise TV distance (half the L1) between rows of a [n,E] and b [m,E]."""
    return 0.5 * np.abs(a[:, None, :] - b[None, :, :]).sum(axis=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--version", default="sse-elements-v1")
    ap.add_argument("--guidance", type=float, default=2.0)
    ap.add_argument("--samples", type=int, default=400, help="samples per target in the evaluation")
    ap.add_argument("--init-from", help="fine-tune this model folder (its weights, encoding and condition"
                    " scaling are kept: the lab's retraining path)")
    ap.add_argument("--lr", type=float, default=None, help="learning rate (default 1e-3; 3e-4 when fine-tuning)")
    ap.add_argument("--base-data", default=None, help="the card's training.base_data (relative to the"
                    " model folder): what a retraining of this model trains on besides the lab's rows")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)  # bit for bit: no thread-order-dependent sums
    elements, frac, temp, logs, censored, split, sources = load(args.data)
    with open(args.data, "rb") as fh:
        data_sha = hashlib.sha256(fh.read()).hexdigest()
    train = split == "train"
    test = split == "test"
    cond = conditions(logs, temp)
    init_card = None
    if args.init_from:
        # Fine-tuning keeps the encoding and condition scaling the weights were trained with, and
        # the vocabulary: the lab's rows must be written over the same elements.
        with open(os.path.join(args.init_from, "model-card.json"), encoding="utf-8") as fh:
            init_card = json.load(fh)
        if init_card["elements"] != elements:
            sys.exit(f"{args.data}: its elements differ from {args.init_from}'s; write the rows over the model's"
                     f" elements {' '.join(init_card['elements'])}")
        enc = Encoding(np.array(init_card["encoding"]["mean"]), float(init_card["encoding"]["scale"]))
        c_mean, c_std = np.array(init_card["cond_mean"]), np.array(init_card["cond_std"])
    else:
        root = np.sqrt(frac[train])
        enc = Encoding(root.mean(0), float(root.std(0).mean() * 3 + 1e-8))
        c_mean, c_std = cond[train & ~censored].mean(0), cond[train & ~censored].std(0) + 1e-8
    x = enc.encode(frac).astype(np.float32)
    cn = ((cond - c_mean) / c_std).astype(np.float32)
    exact = (~censored).astype(np.float32)[:, None]

    rng = np.random.default_rng(args.seed)
    tr_all = np.flatnonzero(train)
    perm = rng.permutation(tr_all)
    n_val = max(1, len(perm) // 10)
    val_idx, tr_idx = perm[:n_val], perm[n_val:]
    abar = torch.tensor(alphas_cumprod(), dtype=torch.float32)
    model = Denoiser(x_dim=len(elements), c_dim=2)
    if args.init_from:
        model.load_state_dict(torch.load(os.path.join(args.init_from, "diffusion.pt")))
    lr = args.lr if args.lr is not None else (3e-4 if args.init_from else 1e-3)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    xt_all, ct_all, ex_all = torch.tensor(x), torch.tensor(cn), torch.tensor(exact)

    def loss_on(idx, gen):
        xb, cb = xt_all[idx], ct_all[idx]
        t = torch.randint(0, T_STEPS, (len(idx),), generator=gen)
        a = abar[t].unsqueeze(1)
        noise = torch.randn(xb.shape, generator=gen)
        xt = a.sqrt() * xb + (1 - a).sqrt() * noise
        mask = (torch.rand((len(idx), 1), generator=gen) > CONDITION_DROPOUT).float() * ex_all[idx]
        pred = model(xt, (t.float().unsqueeze(1) + 1) / T_STEPS, cb, mask)
        return ((pred - noise) ** 2).mean()

    gen = torch.Generator().manual_seed(args.seed)
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = tr_idx[rng.permutation(len(tr_idx))]
        for i in range(0, len(order), 256):
            loss = loss_on(torch.tensor(order[i:i + 256]), gen)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        if epoch % 500 == 0 or epoch == args.epochs - 1 or (args.init_from and epoch % 10 == 0):
            model.eval()
            with torch.no_grad():
                vl = loss_on(torch.tensor(val_idx), torch.Generator().manual_seed(1)).item()
            print(f"epoch {epoch:5d}  train {loss.item():.4f}  val {vl:.4f}  ({time.time() - start:.0f} s)",
                  flush=True)
    train_seconds = time.time() - start
    model.eval()
    with torch.no_grad():
        val_loss = loss_on(torch.tensor(val_idx), torch.Generator().manual_seed(1)).item()

    # --- evaluation on the held-out split ---------------------------------------------------
    states = oxidation_states()
    room = (temp >= 15) & (temp <= 35) & ~censored
    test_room = np.flatnonzero(test & room)
    train_room = np.flatnonzero(train & room)
    train_frac = frac[train]
    targets = [-7.0, -5.0, -3.0]

    def judge(samples):
        if len(samples) == 0:
            return {"n": 0}
        d_test = total_variation(samples, frac[test_room])
        nearest = d_test.argmin(axis=1)
        near = d_test[np.arange(len(samples)), nearest] <= RADIUS
        d_train = total_variation(samples, train_frac).min(axis=1)
        rounded = {tuple(np.round(s, 2)) for s in samples}
        return {"n": int(len(samples)), "near": near, "nearest_logs": logs[test_room][nearest],
                "novel": float((d_train > NOVEL).mean()),
                "unique": len(rounded) / len(samples),
                "valid": float(np.mean([charge_neutral(s, elements, states) for s in samples]))}

    def rates(j, target):
        if j["n"] == 0:
            return {"hit_rate": 0.0}
        hit = j["near"] & (np.abs(j["nearest_logs"] - target) <= 0.5)
        return {"hit_rate": float(hit.mean()), "near_real": float(j["near"].mean()),
                "novel": j["novel"], "unique": j["unique"], "valid": j["valid"],
                "novel_hit_rate": float((hit & (total_variation(j["samples"], train_frac).min(axis=1) > NOVEL)).mean())}

    # The share of measured training materials the same neutrality check accepts: a reference
    # for the samples' validity (mixed valence and the 5 % tolerance reject some real ones).
    reference_valid = float(np.mean([charge_neutral(f, elements, states) for f in train_frac]))
    print(f"charge-neutral by the same check: {reference_valid:.2f} of the training materials", flush=True)
    evaluation = []
    g_eval = torch.Generator().manual_seed(2024)
    for target in targets:
        c = ((conditions(np.array([target]), np.array([25.0]))[0] - c_mean) / c_std).astype(np.float32)
        row = {"target_log10_sigma": target, "temperature_c": 25.0}
        for kind, uncond in (("conditional", False), ("unconditional", True)):
            xs = ddim_sample(model, args.samples, c, args.guidance, 40, g_eval, len(elements), unconditional=uncond)
            f, ok = enc.decode(xs)
            j = judge(f[ok])
            j["samples"] = f[ok]
            row[kind] = rates(j, target) | {"decoded": float(ok.mean())}
        nearest_sigma = train_room[np.argsort(np.abs(logs[train_room] - target))[:50]]
        j = judge(frac[nearest_sigma])
        j["samples"] = frac[nearest_sigma]
        row["retrieval"] = rates(j, target)
        evaluation.append(row)
        print(f"target {target:+.1f}: hit conditional {row['conditional']['hit_rate']:.3f}, "
              f"unconditional {row['unconditional']['hit_rate']:.3f}, retrieval {row['retrieval']['hit_rate']:.3f}; "
              f"novel-hit conditional {row['conditional']['novel_hit_rate']:.3f}; valid "
              f"{row['conditional']['valid']:.2f}, near-real {row['conditional']['near_real']:.2f}", flush=True)

    # --- export ----------------------------------------------------------------------------------
    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, "diffusion.onnx")
    e = len(elements)
    dummy = (torch.zeros(2, e), torch.full((2, 1), 0.5), torch.zeros(2, 2), torch.ones(2, 1))
    torch.onnx.export(model, dummy, onnx_path, opset_version=13,
                      input_names=["x", "t", "cond", "cond_mask"], output_names=["eps"],
                      dynamic_axes={n: {0: "batch"} for n in ["x", "t", "cond", "cond_mask", "eps"]})
    torch.save(model.state_dict(), os.path.join(args.out_dir, "diffusion.pt"))
    g = torch.Generator().manual_seed(123)
    fx, ft, fc = torch.randn(5, e, generator=g), torch.rand(5, 1, generator=g), torch.randn(5, 2, generator=g)
    fm = torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0]])
    with torch.no_grad():
        fe = model(fx, ft, fc, fm)
    with open(os.path.join(args.out_dir, "fixture.json"), "w") as fh:
        json.dump({"x": fx.tolist(), "t": ft.tolist(), "cond": fc.tolist(), "cond_mask": fm.tolist(),
                   "eps": fe.tolist()}, fh)
    with open(onnx_path, "rb") as fh:
        model_hash = hashlib.sha256(fh.read()).hexdigest()
    card = {
        "version": args.version,
        "file": "diffusion.onnx",
        "sha256": model_hash,
        "space": "elements",
        "elements": elements,
        "encoding": {"kind": "sqrt-fraction", "mean": enc.mean.tolist(), "scale": enc.scale,
                     "sparsity": SPARSITY},
        "inputs": {"x": f"[B,{e}] encoded element fractions", "t": "[B,1] (step+1)/T in (0,1]",
                   "cond": "[B,2] standardised conditions", "cond_mask": "[B,1] 1 = conditional, 0 = unconditional"},
        "outputs": {"eps": f"[B,{e}] predicted noise"},
        "conditions": ["log10_sigma_s_per_cm", "inverse_temperature_1000_per_k"],
        "cond_mean": c_mean.tolist(), "cond_std": c_std.tolist(),
        "absent_conditions": {"e_hull_mev_per_atom": "no source of energy above hull for these compositions was at hand",
                              "family": "not used as a condition"},
        "schedule": {"kind": "cosine", "steps": T_STEPS, "s": COSINE_S},
        "training": {"data": os.path.relpath(args.data, os.path.join(HERE, "..", "..")), "data_sha256": data_sha,
                     "rows": int(train.sum()), "censored_rows_unconditional_only": int((train & censored).sum()),
                     "validation_rows": int(n_val), "epochs": args.epochs, "seed": args.seed,
                     "condition_dropout": CONDITION_DROPOUT, "torch": torch.__version__,
                     "threads": 1, "seconds": round(train_seconds, 1),
                     "licence": "CC BY 4.0 (OBELiX, Therrien et al. 2025; Liverpool ionics database, Hargreaves"
                                " et al. 2023, as redistributed by OBELiX; its own licence not checked further)",
                     "split": "OBELiX's train/test split; Liverpool rows of OBELiX test compositions are test",
                     **({"base_data": args.base_data} if args.base_data else {}),
                     **({"fine_tuned_from": init_card["version"], "lab_rows": int(sum(
                         1 for i in np.flatnonzero(train) if sources[i].startswith("lab:")))} if init_card else {})},
        "metrics": {"val_denoising_mse": val_loss,
                    "evaluation": {"split": "test", "radius_tv": RADIUS, "novel_tv": NOVEL, "guidance": args.guidance,
                                   "ddim_steps": 40, "samples_per_target": args.samples, "window_decades": 0.5,
                                   "training_materials_valid": reference_valid,
                                   "not_yet_measured": "leave-one-family-out; a forward model of sigma(T)",
                                   "targets": evaluation}},
        "rebuild": "/usr/bin/python3 models/training/prepare_real_data.py --data ../shared/data/sse-conductivity"
                   " --out models/training/sse-real.csv && /usr/bin/python3 models/training/train_element_diffusion.py"
                   " --data models/training/sse-real.csv --out-dir models/proposer-sse --base-data ../training/sse-real.csv",
    }
    with open(os.path.join(args.out_dir, "model-card.json"), "w") as fh:
        json.dump(card, fh, indent=2)
    print(f"wrote {onnx_path} (sha256 {model_hash[:12]}), val mse {val_loss:.4f}, {train_seconds:.0f} s")


if __name__ == "__main__":
    main()
