"""`make bench`: the same GPT training step in the Swift core and in PyTorch, on this machine, in
one invocation. Prints tokens/s for each, their ratio, and the core's achieved GFLOP/s against
this machine's measured sgemm peak (MFU). Reports ratios: absolute times depend on the machine
and on whatever else runs on it (run it on a quiet machine).

Usage: Benchmarks/.venv/bin/python Benchmarks/bench.py [--threads 2] [--configs tiny,medium] [--swift PATH]
"""
import argparse
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))


def lines(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--configs", default="tiny,medium")
    ap.add_argument("--swift", default=os.path.join(here, "..", ".build", "release", "lmbench"))
    args = ap.parse_args()
    env = dict(os.environ)
    rows = []
    sgemm = None
    for cfg in args.configs.split(","):
        swift = lines([args.swift, "--threads", str(args.threads), "--config", cfg], env)
        sgemm = next(r for r in swift if r.get("measure") == "sgemm")
        s = next(r for r in swift if r.get("config") == cfg)
        t = lines([sys.executable, os.path.join(here, "torch_gpt_bench.py"), "--config", cfg, "--threads", str(args.threads)], env)[0]
        rows.append((cfg, s, t))
    print(f"machine: sgemm peak {sgemm['gflops']:.0f} GFLOP/s (n=2048, {args.threads} threads, OpenBLAS core {sgemm['blas_core']}); "
          f"PyTorch {rows[0][2]['torch']}")
    print(f"{'config':<8} {'params':>9} {'Swift tok/s':>12} {'PyTorch tok/s':>14} {'ratio':>7} {'Swift GFLOP/s':>14} {'MFU':>6}")
    for cfg, s, t in rows:
        print(f"{cfg:<8} {s['params']:>9} {s['tokens_per_s']:>12.0f} {t['tokens_per_s']:>14.0f} "
              f"{s['tokens_per_s'] / t['tokens_per_s']:>6.2f}x {s['gflops']:>14.1f} {100 * s['mfu']:>5.1f}%")


if __name__ == "__main__":
    main()
