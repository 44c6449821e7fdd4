"""PyTorch half of the GPT training benchmark: the same model as the Swift core (reference_gpt.py),
float32, eager mode (no torch.compile), attention through F.scaled_dot_product_attention (PyTorch's
fastest CPU attention, to give it its best shot; --no-sdpa uses the explicit softmax path instead).

Times full training steps -- forward, backward, global-norm clip (1.0), AdamW step -- on random
tokens after warm-up steps (each timed step separately; step_ms is the median, tokens_per_s =
batch*seq_len/median, so a burst of load from other jobs skews it less), and prints exactly one
JSON line:
  {"impl":"pytorch","config":...,"tokens_per_s":...,"step_ms":...,"params":...,"threads":...,"torch":...}

Usage: Benchmarks/.venv/bin/python Benchmarks/torch_gpt_bench.py --config tiny [--threads 2]
       [--warmup N] [--steps N] [--no-sdpa]
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_gpt as R  # noqa: E402

CONFIGS = {
    # name: (model config, batch size, default warm-up steps, default timed steps)
    "tiny": (dict(vocabSize=256, contextLength=128, dModel=128, nLayers=4, nHeads=4, mlpHidden=512,
                  norm="layernorm", bias=True, tied=True), 16, 5, 20),
    "medium": (dict(vocabSize=256, contextLength=256, dModel=256, nLayers=6, nHeads=8, mlpHidden=1024,
                    norm="layernorm", bias=True, tied=True), 16, 2, 5),
    # rewarm's model, typical of the papers' default runs
    "paper": (dict(vocabSize=256, contextLength=64, dModel=96, nLayers=4, nHeads=4, mlpHidden=384,
                   norm="rmsnorm", bias=False, tied=True), 16, 10, 60),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", choices=sorted(CONFIGS), default="tiny")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=None)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--no-sdpa", action="store_true", help="explicit softmax attention instead of SDPA")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    mcfg, batch, warmup, steps = CONFIGS[args.config]
    warmup = warmup if args.warmup is None else args.warmup
    steps = steps if args.steps is None else args.steps
    cfg = R.GPTConfig(**mcfg)
    T = cfg.contextLength

    model = R.GPT(cfg, use_sdpa=not args.no_sdpa)  # float32, N(0, 0.02) matrices, unit norms
    model.train()
    opt = R.configure_optimizer(model, lr=1e-3, weight_decay=0.1)
    tokens = torch.randint(0, cfg.vocabSize, (batch, T))
    targets = torch.randint(0, cfg.vocabSize, (batch, T))
    data = {"tokens": tokens, "targets": targets}

    for _ in range(warmup):
        R.train_step(model, opt, data, clip=1.0)
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        loss, _ = R.train_step(model, opt, data, clip=1.0)
        loss.item()  # eager CPU ops are synchronous; this just makes it explicit
        times.append(time.perf_counter() - t0)
    # Median step time: robust to interference from other jobs on a shared machine.
    dt = statistics.median(times)

    print(json.dumps({
        "impl": "pytorch",
        "config": args.config,
        "tokens_per_s": round(batch * T / dt, 1),
        "step_ms": round(dt * 1e3, 2),
        "step_ms_mean": round(statistics.fmean(times) * 1e3, 2),
        "params": model.num_params(),
        "threads": args.threads,
        "torch": torch.__version__,
        "batch": batch,
        "seq_len": T,
        "warmup": warmup,
        "steps": steps,
        "sdpa": not args.no_sdpa,
    }))


if __name__ == "__main__":
    main()
