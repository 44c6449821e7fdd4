"""`make bench`: the same GPT training step in the Swift core and in PyTorch, on this machine, in
one invocation, robust to a shared and noisy machine.

Each config is measured k times (--repeats, at least 5), interleaved: sgemm peak, Swift, PyTorch,
then the next config, then the next repeat, with the Swift/PyTorch order alternating between
repeats, so that load from other jobs falls on both sides alike. Each measurement is the median
step time of its own timed steps. The table shows, per config, the median tokens/s of each side,
the median of the per-repeat ratios with its range, and the core's achieved GFLOP/s against the
sgemm peak measured in the same interleaving (MFU). A warning says when the spread shows that
the machine was busy: then the ratios are not to be quoted.

Usage: Benchmarks/.venv/bin/python Benchmarks/bench.py [--threads 2] [--configs tiny,medium,paper]
       [--repeats 5] [--swift PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
# A repeat-to-repeat range wider than this (max/min - 1) means something else was running.
BUSY_SPREAD = 0.15


def lines(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def spread(xs):
    return max(xs) / min(xs) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--configs", default="tiny,medium,paper")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--swift", default=os.path.join(here, "..", ".build", "release", "lmbench"))
    args = ap.parse_args()
    if args.repeats < 5:
        sys.exit("error: --repeats must be at least 5 (medians of fewer interleaved repeats do not hold under noise)")
    configs = args.configs.split(",")
    swift = {c: [] for c in configs}
    torch = {c: [] for c in configs}
    peaks, core, torch_version = [], None, None
    t = str(args.threads)
    for rep in range(args.repeats):
        sgemm = lines([args.swift, "--threads", t, "--sgemm-only"])[0]
        peaks.append(sgemm["gflops"])
        core = sgemm["blas_core"]
        for cfg in configs:
            def run_swift():
                swift[cfg].append(next(r for r in lines([args.swift, "--threads", t, "--config", cfg, "--no-peak"])
                                       if r.get("config") == cfg))

            def run_torch():
                torch[cfg].append(lines([sys.executable, os.path.join(here, "torch_gpt_bench.py"),
                                         "--config", cfg, "--threads", t])[0])

            for side in ((run_swift, run_torch) if rep % 2 == 0 else (run_torch, run_swift)):
                side()
        torch_version = torch[configs[0]][-1]["torch"]
        print(f"repeat {rep + 1}/{args.repeats}: sgemm {peaks[-1]:.0f} GFLOP/s; "
              + ", ".join(f"{c} {swift[c][-1]['tokens_per_s'] / torch[c][-1]['tokens_per_s']:.2f}x" for c in configs),
              file=sys.stderr, flush=True)

    peak = statistics.median(peaks)
    print(f"machine: sgemm peak {peak:.0f} GFLOP/s median of {len(peaks)} (range {min(peaks):.0f}-{max(peaks):.0f}; "
          f"n=2048, {args.threads} threads, OpenBLAS core {core}); PyTorch {torch_version}; "
          f"{args.repeats} interleaved repeats per config")
    print(f"{'config':<8} {'params':>9} {'Swift tok/s':>12} {'PyTorch tok/s':>14} {'ratio':>7} {'ratio range':>13} "
          f"{'Swift GFLOP/s':>14} {'MFU':>6}")
    busy = spread(peaks) > BUSY_SPREAD
    for c in configs:
        s_tps = [r["tokens_per_s"] for r in swift[c]]
        t_tps = [r["tokens_per_s"] for r in torch[c]]
        ratios = [a / b for a, b in zip(s_tps, t_tps)]
        gflops = statistics.median(r["gflops"] for r in swift[c])
        print(f"{c:<8} {swift[c][0]['params']:>9} {statistics.median(s_tps):>12.0f} {statistics.median(t_tps):>14.0f} "
              f"{statistics.median(ratios):>6.2f}x {min(ratios):>5.2f}-{max(ratios):.2f}x {gflops:>14.1f} "
              f"{100 * gflops / peak:>5.1f}%")
        busy = busy or spread(s_tps) > BUSY_SPREAD or spread(t_tps) > BUSY_SPREAD
    if busy:
        print(f"warning: the repeats spread by more than {100 * BUSY_SPREAD:.0f}% (sgemm peak or tokens/s): "
              "the machine was busy; measure again on a quiet machine before quoting these ratios")


if __name__ == "__main__":
    main()
