// The Swift half of `make bench`: this machine's sgemm peak, then timed GPT training steps
// (forward, backward, clip, AdamW) of the same configs as Benchmarks/torch_gpt_bench.py.
// Prints one JSON line per measurement; Benchmarks/bench.sh joins them with PyTorch's.
import Foundation
import LMCore

struct BenchConfig {
    let name: String, model: GPTConfig, batch: Int, warmup: Int, steps: Int
}

let configs = [
    BenchConfig(name: "tiny", model: GPTConfig(vocabSize: 256, contextLength: 128, dModel: 128, nLayers: 4, nHeads: 4, mlpHidden: 512),
                batch: 16, warmup: 5, steps: 30),
    BenchConfig(name: "medium", model: GPTConfig(vocabSize: 256, contextLength: 256, dModel: 256, nLayers: 6, nHeads: 8, mlpHidden: 1024),
                batch: 16, warmup: 2, steps: 8),
    // What the papers' default runs train (rewarm's model): what users wait for.
    BenchConfig(name: "paper", model: GPTConfig(vocabSize: 256, contextLength: 64, dModel: 96, nLayers: 4, nHeads: 4, mlpHidden: 384,
                                                norm: .rmsNorm, bias: false, tiedEmbeddings: true),
                batch: 16, warmup: 10, steps: 60),
]

var args = CommandLine.arguments.dropFirst()
var threads = 2
var only: String?
var measurePeak = true
while let a = args.popFirst() {
    switch a {
    case "--no-peak": measurePeak = false
    case "--threads": threads = Int(args.popFirst() ?? "") ?? 2
    case "--config": only = args.popFirst()
    case "--sgemm-only": only = "sgemm"
    default: FileHandle.standardError.write("usage: lmbench [--threads N] [--config tiny|medium|paper] [--sgemm-only] [--no-peak]\n".data(using: .utf8)!); exit(2)
    }
}
BLAS.configure(threads: threads)

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
func emit(_ dict: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys])
    print(String(data: data, encoding: .utf8)!)
}

/// Peak sgemm GFLOP/s on square matrices (the MFU denominator), best of a few repeats.
func sgemmPeak(n: Int) -> Double {
    let a = FloatBuffer(n * n), b = FloatBuffer(n * n), c = FloatBuffer(n * n)
    var r = RandomStream(seed: 1, stream: "bench")
    for i in 0..<(n * n) { a[i] = r.uniform(); b[i] = r.uniform() }
    var best = 0.0
    for _ in 0..<4 {
        let t0 = now()
        Ops.gemm(transA: false, transB: false, m: n, n: n, k: n, a: a.ptr, lda: n, b: b.ptr, ldb: n, beta: 0, c: c.ptr, ldc: n)
        best = max(best, 2 * Double(n * n * n) / (now() - t0) / 1e9)
    }
    return best
}

// The MFU denominator; bench.py measures it in its own interleaved slot (--no-peak here).
let peak = measurePeak ? sgemmPeak(n: 2048) : .nan
if measurePeak {
    emit(["impl": "swift", "measure": "sgemm", "n": 2048, "gflops": peak, "threads": threads, "blas_core": BLAS.coreName])
}
if only == "sgemm" { exit(0) }

for cfg in configs where only == nil || only == cfg.name {
    let model = GPT(cfg.model, seed: 0)
    let opt = AdamW(model.parameters)
    let t = cfg.model.contextLength, b = cfg.batch
    var r = RandomStream(seed: 0, stream: "data")
    let tokens = (0..<(b * t)).map { _ in Int32(r.int(below: 256)) }
    let targets = (0..<(b * t)).map { _ in Int32(r.int(below: 256)) }
    let batch = Batch(batchSize: b, seqLen: t, tokens: tokens, targets: targets)
    var times: [Double] = []
    for s in 0..<(cfg.warmup + cfg.steps) {
        let t0 = now()
        model.parameters.zeroGrads()
        _ = model.forward(batch)
        model.backward()
        opt.step(lr: 1e-4)
        if s >= cfg.warmup { times.append(now() - t0) }
    }
    let step = median(times)
    // Training FLOPs per step: 6·(matmul params)·tokens + attention (QKᵀ and PV, forward 4·B·T²·C per layer, ×3 with backward).
    let c = cfg.model.dModel, l = cfg.model.nLayers
    let matmulParams = Double(l * (4 * c * c + 2 * c * cfg.model.mlpHidden) + 256 * c)
    let flops = 6 * matmulParams * Double(b * t) + 3 * Double(l) * 4 * Double(b * t * t * c)
    var row: [String: Any] = ["impl": "swift", "config": cfg.name, "tokens_per_s": Double(b * t) / step, "step_ms": step * 1000,
                              "params": model.parameters.count, "threads": threads, "blas_core": BLAS.coreName,
                              "gflops": flops / step / 1e9]
    if measurePeak { row["mfu"] = flops / step / 1e9 / peak }
    emit(row)
}
