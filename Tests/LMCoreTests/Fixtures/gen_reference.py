"""Generate gpt_reference.json: the PyTorch ground truth the Swift LM core's GPT is tested against.

Regenerate (from the repository root; Benchmarks/setup_torch.sh installs torch into the venv):

    Benchmarks/setup_torch.sh
    Benchmarks/.venv/bin/python Tests/LMCoreTests/Fixtures/gen_reference.py

The model is Benchmarks/reference_gpt.py. Everything runs in float64 with fixed seeds, so the output
is deterministic for a given torch version (recorded in the JSON). Tests read only the JSON and never
need torch. Each case holds the config, a batch, the initial parameters, the outputs (logits or
predictions), the loss, every parameter gradient (raw, before clipping), the pre-clip global gradient
norm and the losses on the same batch before each of 10 AdamW steps (with clipping) from those
parameters. Floats are rounded to 9 significant digits.

Initialisation: matrices ~ N(0, 0.2) -- ten times the usual 0.02, deliberately: with 0.02 and
d_model 16 the attention scores have std ~0.01 (softmax ~ uniform) and the q/k gradients are ~1e-5,
so a float32 comparison with an absolute tolerance could not tell a broken attention from a correct
one; 0.2 gives scores of std ~0.7, and a pre-clip gradient norm above 1 so clipping is exercised.
Norm weights are 1 + 0.1 N(0,1) and biases 0.1 N(0,1), so they are exercised too.
"""

import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "Benchmarks"))

import torch  # noqa: E402
import reference_gpt as R  # noqa: E402

OUT = os.path.join(HERE, "gpt_reference.json")
SIG = 9
MATRIX_STD = 0.2
NORM_STD = 0.1
BIAS_STD = 0.1
OPT = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weightDecay": 0.1, "clip": 1.0}
STEPS = 10


def r(x):
    """Round a float to SIG significant digits."""
    x = float(x.detach()) if isinstance(x, torch.Tensor) else float(x)
    return float(f"{x:.{SIG}g}") if math.isfinite(x) else x


def flat(t):
    return [r(v) for v in t.detach().reshape(-1).tolist()]


def ints(t):
    return None if t is None else [int(v) for v in t.reshape(-1).tolist()]


def run_case(name, cfg, B, T, seed, make_batch):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = R.GPT(cfg).double()
    model.init_weights(MATRIX_STD, NORM_STD, BIAS_STD, generator=gen)
    with torch.no_grad():  # store exactly the parameters that are used: round them first
        for p in model.parameters():
            p.copy_(torch.tensor(flat(p), dtype=p.dtype).view(p.shape))
    batch = make_batch(gen)
    params = [{"name": n, "shape": list(p.shape), "data": flat(p)} for n, p in model.named_parameters()]

    out, loss = model(**batch)
    loss.backward()
    grads = [{"name": n, "data": flat(p.grad)} for n, p in model.named_parameters()]
    grad_norm = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters()))

    # 10 AdamW steps from the same parameters (train_step zeroes the gradients first).
    opt = R.configure_optimizer(model, lr=OPT["lr"], weight_decay=OPT["weightDecay"],
                                betas=(OPT["beta1"], OPT["beta2"]), eps=OPT["eps"])
    step_losses, step_norms = [], []
    for _ in range(STEPS):
        l, n = R.train_step(model, opt, batch, clip=OPT["clip"])
        step_losses.append(r(l))
        step_norms.append(r(n))

    return {
        "name": name,
        "config": {k: cfg.to_dict()[k] for k in ("vocabSize", "inputDim", "outputDim", "contextLength",
                                                  "dModel", "nLayers", "nHeads", "mlpHidden", "norm",
                                                  "bias", "tied")},
        "batch": B,
        "seqLen": T,
        "tokens": ints(batch.get("tokens")),
        "inputs": flat(batch["inputs"]) if "inputs" in batch else None,
        "targets": ints(batch.get("targets")),
        "targetValues": flat(batch["target_values"]) if "target_values" in batch else None,
        "weights": flat(batch["weights"]),
        "positions": ints(batch.get("positions")),
        "documents": ints(batch.get("documents")),
        "init": {"matrixStd": MATRIX_STD, "normWeight": f"1 + {NORM_STD}*N(0,1)",
                 "bias": f"{BIAS_STD}*N(0,1)", "seed": seed},
        "params": params,
        "outputs": flat(out),
        "loss": r(loss),
        "gradNorm": r(grad_norm),
        "grads": grads,
        "optimizer": OPT,
        "stepLosses": step_losses,
        "stepGradNorms": step_norms,
    }


def case_a():
    cfg = R.GPTConfig(vocabSize=32, contextLength=8, dModel=16, nLayers=2, nHeads=2, mlpHidden=64,
                      norm="layernorm", bias=True, tied=True)
    B, T = 2, 8

    def batch(g):
        w = torch.ones(B, T, dtype=torch.float64)
        w[0, 3] = 0.0
        w[1, 0] = 0.0
        w[1, 6] = 0.0
        return {"tokens": torch.randint(0, 32, (B, T), generator=g),
                "targets": torch.randint(0, 32, (B, T), generator=g),
                "weights": w}
    return run_case("gpt-layernorm-tied", cfg, B, T, 1234, batch)


def case_b():
    cfg = R.GPTConfig(vocabSize=32, contextLength=8, dModel=16, nLayers=2, nHeads=4, mlpHidden=48,
                      norm="rmsnorm", bias=False, tied=False)
    B, T = 2, 8
    documents = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 2],
                              [5, 5, 5, 5, 5, 6, 6, 6]])
    positions = torch.zeros_like(documents)
    for b in range(B):
        for t in range(1, T):
            positions[b, t] = 0 if documents[b, t] != documents[b, t - 1] else positions[b, t - 1] + 1
    # Zero weight at the last token of each document (its target would be the next document's).
    weights = torch.ones(B, T, dtype=torch.float64)
    for b in range(B):
        for t in range(T):
            if t == T - 1 or documents[b, t + 1] != documents[b, t]:
                weights[b, t] = 0.0

    def batch(g):
        return {"tokens": torch.randint(0, 32, (B, T), generator=g),
                "targets": torch.randint(0, 32, (B, T), generator=g),
                "weights": weights, "positions": positions, "documents": documents}
    return run_case("gpt-rmsnorm-docmask", cfg, B, T, 2345, batch)


def case_c():
    cfg = R.GPTConfig(inputDim=5, outputDim=1, contextLength=16, dModel=16, nLayers=2, nHeads=2,
                      mlpHidden=64, norm="layernorm", bias=True, tied=False)
    B, T = 3, 16

    def batch(g):
        w = torch.zeros(B, T, dtype=torch.float64)
        w[:, 0::2] = 1.0  # predictions are read at the x-tokens (even positions)
        return {"inputs": torch.randn(B, T, 5, generator=g, dtype=torch.float64),
                "target_values": torch.randn(B, T, 1, generator=g, dtype=torch.float64),
                "weights": w}
    return run_case("gpt-continuous-mse", cfg, B, T, 3456, batch)


def dump(obj, f, indent=0):
    """JSON with one key per line and every list of numbers on a single line (diffable, compact)."""
    pad = " " * indent
    if isinstance(obj, dict):
        f.write("{\n")
        items = list(obj.items())
        for i, (k, v) in enumerate(items):
            f.write(f'{pad}  {json.dumps(k)}: ')
            dump(v, f, indent + 2)
            f.write(",\n" if i < len(items) - 1 else "\n")
        f.write(pad + "}")
    elif isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        f.write("[\n")
        for i, v in enumerate(obj):
            f.write(pad + "  ")
            dump(v, f, indent + 2)
            f.write(",\n" if i < len(obj) - 1 else "\n")
        f.write(pad + "]")
    elif isinstance(obj, list):
        f.write("[" + ",".join(json.dumps(v) for v in obj) + "]")
    else:
        f.write(json.dumps(obj))


def main():
    torch.set_num_threads(1)  # deterministic reductions
    doc = {
        "generator": "Tests/LMCoreTests/Fixtures/gen_reference.py (model: Benchmarks/reference_gpt.py), float64",
        "torch": torch.__version__,
        "cases": [case_a(), case_b(), case_c()],
    }
    with open(OUT, "w") as f:
        dump(doc, f)
        f.write("\n")
    with open(OUT) as f:
        json.load(f)  # round-trip check
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")
    for c in doc["cases"]:
        print(f"  {c['name']}: loss {c['loss']:.6f} gradNorm {c['gradNorm']:.4f} "
              f"stepLosses {c['stepLosses'][0]:.4f} -> {c['stepLosses'][-1]:.4f}")


if __name__ == "__main__":
    main()
