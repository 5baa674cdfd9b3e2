#!/usr/bin/python3
"""Throughput of the proposer's network in PyTorch eager mode, for `ionloop bench proposer`.

Runs the same DDIM sampling loop as ionloop's Java sampler (classifier-free guidance: the
conditional and unconditional passes in one batch of 2B) on the weights the trainer saved next
to the ONNX file (diffusion.pt), and prints one JSON line: candidates per second.

Usage: /usr/bin/python3 models/training/bench_eager.py --model-dir models/proposer --batch 1024 --steps 50
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_diffusion import Denoiser, alphas_cumprod  # noqa: E402  (the trainer's definitions)


def sample(model, abar, batch, steps, guidance, cond):
    x = torch.randn(batch, 4)
    c = cond.repeat(2 * batch, 1)
    mask = torch.cat([torch.ones(batch, 1), torch.zeros(batch, 1)])
    total = len(abar)
    for s in range(steps):
        t = round((total - 1) * (1 - s / steps))
        t_prev = round((total - 1) * (1 - (s + 1) / steps)) if s + 1 < steps else -1
        tt = torch.full((2 * batch, 1), (t + 1) / total)
        eps = model(torch.cat([x, x]), tt, c, mask)
        e = (1 + guidance) * eps[:batch] - guidance * eps[batch:]
        a = abar[t]
        a_prev = abar[t_prev] if t_prev >= 0 else 1.0
        x0 = ((x - (1 - a) ** 0.5 * e) / a ** 0.5).clamp(-4, 4)
        x = a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * e
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--guidance", type=float, default=2.0)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    weights = os.path.join(args.model_dir, "diffusion.pt")
    if not os.path.exists(weights):
        sys.exit(f"{weights} not found: retrain with models/training/train_diffusion.py to get it")
    with open(os.path.join(args.model_dir, "model-card.json")) as fh:
        card = json.load(fh)
    torch.set_num_threads(os.cpu_count() or 1)
    model = Denoiser()
    model.load_state_dict(torch.load(weights))
    model.eval()
    abar = alphas_cumprod().tolist()
    cond = torch.zeros(1, 3)
    times = []
    with torch.no_grad():
        sample(model, abar, args.batch, 2, args.guidance, cond)  # warm-up
        for _ in range(args.repeats):
            start = time.perf_counter()
            sample(model, abar, args.batch, args.steps, args.guidance, cond)
            times.append(time.perf_counter() - start)
    best = sorted(times)[len(times) // 2]
    print(json.dumps({"engine": "pytorch-eager", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "batch": args.batch, "steps": args.steps, "seconds": best,
                      "candidates_per_s": args.batch / best}))


if __name__ == "__main__":
    main()
