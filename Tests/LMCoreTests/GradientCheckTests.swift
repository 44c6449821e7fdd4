import Testing
@testable import LMCore

/// Finite-difference checks: each op's explicit backward against central differences of a
/// random linear functional of its output, L = Σ r·out, computed in Double where it matters.
struct GradientCheckTests {
    typealias Buf = FloatBuffer

    static func randomBuffer(_ n: Int, _ rng: inout RandomStream, scale: Float = 1) -> Buf {
        let b = Buf(n)
        for i in 0..<n { b[i] = rng.normal() * scale }
        return b
    }

    /// Compares an analytic gradient with central differences of `loss` w.r.t. `x`.
    static func check(_ name: String, x: Buf, analytic: [Float], eps: Float = 1e-2, tol: Double = 2e-2,
                      loss: () -> Double) {
        var worst = 0.0
        for i in 0..<x.count {
            let orig = x[i]
            x[i] = orig + eps; let lp = loss()
            x[i] = orig - eps; let lm = loss()
            x[i] = orig
            let fd = (lp - lm) / (2 * Double(eps))
            let err = abs(fd - Double(analytic[i])) / max(1, abs(fd))
            worst = max(worst, err)
        }
        #expect(worst < tol, "\(name): worst relative error \(worst)")
    }

    static func dot(_ a: Buf, _ r: Buf) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += Double(a[i]) * Double(r[i]) }
        return s
    }

    @Test func linear() {
        var rng = RandomStream(seed: 1, stream: "test")
        let n = 5, c = 4, oc = 3
        let x = Self.randomBuffer(n * c, &rng), w = Self.randomBuffer(oc * c, &rng), b = Self.randomBuffer(oc, &rng)
        let r = Self.randomBuffer(n * oc, &rng), out = Buf(n * oc)
        func loss() -> Double { Ops.linearForward(out: out.ptr, inp: x.ptr, weight: w.ptr, bias: b.ptr, n: n, c: c, oc: oc); return Self.dot(out, r) }
        let dx = Buf(n * c), dw = Buf(oc * c), db = Buf(oc)
        Ops.linearBackward(dinp: dx.ptr, dweight: dw.ptr, dbias: db.ptr, dout: r.ptr, inp: x.ptr, weight: w.ptr, n: n, c: c, oc: oc)
        Self.check("linear dx", x: x, analytic: dx.array, loss: loss)
        Self.check("linear dw", x: w, analytic: dw.array, loss: loss)
        Self.check("linear db", x: b, analytic: db.array, loss: loss)
    }

    @Test(arguments: [true, false]) func layerNorm(withBias: Bool) {
        var rng = RandomStream(seed: 2, stream: "test")
        let n = 4, c = 8
        let x = Self.randomBuffer(n * c, &rng), w = Self.randomBuffer(c, &rng), b = Self.randomBuffer(c, &rng)
        let r = Self.randomBuffer(n * c, &rng), out = Buf(n * c), mean = Buf(n), rstd = Buf(n)
        func loss() -> Double {
            Ops.layerNormForward(out: out.ptr, mean: mean.ptr, rstd: rstd.ptr, inp: x.ptr, weight: w.ptr, bias: withBias ? b.ptr : nil, n: n, c: c)
            return Self.dot(out, r)
        }
        _ = loss()
        let dx = Buf(n * c), dw = Buf(c), db = Buf(c)
        Ops.layerNormBackward(dinp: dx.ptr, dweight: dw.ptr, dbias: withBias ? db.ptr : nil, dout: r.ptr, inp: x.ptr, weight: w.ptr,
                              mean: mean.ptr, rstd: rstd.ptr, n: n, c: c)
        Self.check("layernorm dx", x: x, analytic: dx.array, eps: 5e-3, loss: loss)
        Self.check("layernorm dw", x: w, analytic: dw.array, eps: 5e-3, loss: loss)
        if withBias { Self.check("layernorm db", x: b, analytic: db.array, eps: 5e-3, loss: loss) }
    }

    @Test func rmsNorm() {
        var rng = RandomStream(seed: 3, stream: "test")
        let n = 4, c = 8
        let x = Self.randomBuffer(n * c, &rng), w = Self.randomBuffer(c, &rng)
        let r = Self.randomBuffer(n * c, &rng), out = Buf(n * c), rstd = Buf(n)
        func loss() -> Double { Ops.rmsNormForward(out: out.ptr, rstd: rstd.ptr, inp: x.ptr, weight: w.ptr, n: n, c: c); return Self.dot(out, r) }
        _ = loss()
        let dx = Buf(n * c), dw = Buf(c)
        Ops.rmsNormBackward(dinp: dx.ptr, dweight: dw.ptr, dout: r.ptr, inp: x.ptr, weight: w.ptr, rstd: rstd.ptr, n: n, c: c)
        Self.check("rmsnorm dx", x: x, analytic: dx.array, eps: 5e-3, loss: loss)
        Self.check("rmsnorm dw", x: w, analytic: dw.array, eps: 5e-3, loss: loss)
    }

    @Test func gelu() {
        var rng = RandomStream(seed: 4, stream: "test")
        let n = 37  // not a multiple of 8: exercises the vector body and the scalar tail
        let x = Self.randomBuffer(n, &rng, scale: 2), r = Self.randomBuffer(n, &rng), out = Buf(n)
        func loss() -> Double { Ops.geluForward(out: out.ptr, derivative: nil, inp: x.ptr, count: n); return Self.dot(out, r) }
        let dx = Buf(n), derivative = Buf(n)
        Ops.geluForward(out: out.ptr, derivative: derivative.ptr, inp: x.ptr, count: n)
        Ops.geluBackward(dinp: dx.ptr, derivative: derivative.ptr, dout: r.ptr, count: n)
        Self.check("gelu", x: x, analytic: dx.array, eps: 1e-3, loss: loss)
        // forward value against the closed form in Double
        _ = loss()
        for i in 0..<n {
            let v = Double(x[i]), u = 0.7978845608028654 * (v + 0.044715 * v * v * v)
            #expect(abs(Double(out[i]) - 0.5 * v * (1 + Foundation.tanh(u))) < 1e-5)
        }
    }

    @Test(arguments: [false, true]) func attention(documentMask: Bool) {
        var rng = RandomStream(seed: 5, stream: "test")
        let b = 2, t = 5, c = 6, h = 2
        let qkv = Self.randomBuffer(b * t * 3 * c, &rng), r = Self.randomBuffer(b * t * c, &rng)
        let out = Buf(b * t * c), probs = Buf(b * h * t * t)
        let docs: [Int32] = [0, 0, 1, 1, 1, 3, 3, 3, 4, 4]
        func loss() -> Double {
            docs.withUnsafeBufferPointer { d in
                Attention.forward(out: out.ptr, probs: probs.ptr, qkv: qkv.ptr, documents: documentMask ? d.baseAddress : nil, b: b, t: t, c: c, h: h)
            }
            return Self.dot(out, r)
        }
        _ = loss()
        // probabilities: causal rows sum to 1, no weight on the future or on other documents
        for bh in 0..<(b * h) {
            for i in 0..<t {
                var s: Float = 0
                for j in 0..<t {
                    let p = probs[(bh * t + i) * t + j]
                    if j > i { #expect(p == 0) }
                    if documentMask && docs[(bh / h) * t + j] != docs[(bh / h) * t + i] { #expect(p == 0) }
                    s += p
                }
                #expect(abs(s - 1) < 1e-5)
            }
        }
        let dqkv = Buf(b * t * 3 * c), scratch = Buf(Parallel.workers * t * t)
        Attention.backward(dqkv: dqkv.ptr, scratch: scratch.ptr, dout: r.ptr, qkv: qkv.ptr, probs: probs.ptr, b: b, t: t, c: c, h: h)
        Self.check("attention dqkv", x: qkv, analytic: dqkv.array, eps: 5e-3, loss: loss)
    }

    @Test func crossEntropy() {
        var rng = RandomStream(seed: 6, stream: "test")
        let n = 6, v = 11
        let logits = Self.randomBuffer(n * v, &rng, scale: 2)
        let targets: [Int32] = [0, 3, 10, 5, 5, 1]
        let weights: [Float] = [1, 0, 2, 1, 0.5, 1]
        let d = Buf(n * v), rows = Buf(n)
        func loss() -> Double {
            Double(Ops.crossEntropyForwardBackward(logits: logits.ptr, targets: targets, weights: weights, n: n, v: v, dlogits: d.ptr, rowLoss: rows.ptr))
        }
        let l0 = loss()
        let analytic = d.array
        // the loss itself: weighted mean of -log softmax at the target
        var ref = 0.0, wsum = 0.0
        for i in 0..<n {
            var z = 0.0
            for j in 0..<v { z += Foundation.exp(Double(logits[i * v + j])) }
            ref += Double(weights[i]) * (Foundation.log(z) - Double(logits[i * v + Int(targets[i])]))
            wsum += Double(weights[i])
        }
        #expect(abs(l0 - ref / wsum) < 1e-5)
        #expect(rows[1] == 0)
        Self.check("cross-entropy", x: logits, analytic: analytic, eps: 1e-2, loss: loss)
    }

    @Test func meanSquaredError() {
        var rng = RandomStream(seed: 7, stream: "test")
        let n = 5, d = 2
        let pred = Self.randomBuffer(n * d, &rng), y = Self.randomBuffer(n * d, &rng)
        let w: [Float] = [1, 0, 1, 2, 1]
        let dp = Buf(n * d), rows = Buf(n)
        func loss() -> Double { Double(Ops.mseForwardBackward(pred: pred.ptr, target: y.ptr, weights: w, n: n, d: d, dpred: dp.ptr, rowLoss: rows.ptr)) }
        _ = loss()
        Self.check("mse", x: pred, analytic: dp.array, eps: 1e-2, loss: loss)
    }

    /// Whole-model check: every parameter tensor of three GPT variants (sampled coordinates).
    @Test(arguments: ["layernorm-tied", "rmsnorm-docmask-untied", "continuous-mse"])
    func gptEndToEnd(variant: String) {
        var cfg = GPTConfig(vocabSize: 13, contextLength: 6, dModel: 8, nLayers: 2, nHeads: 2, mlpHidden: 12, initStd: 0.3)
        var rng = RandomStream(seed: 8, stream: variant)
        let bsz = 2, t = 6, n = bsz * t
        var batch: Batch
        switch variant {
        case "rmsnorm-docmask-untied":
            cfg.norm = .rmsNorm; cfg.bias = false; cfg.tiedEmbeddings = false
            batch = Batch(batchSize: bsz, seqLen: t, tokens: (0..<n).map { _ in Int32(rng.int(below: 13)) },
                          targets: (0..<n).map { _ in Int32(rng.int(below: 13)) },
                          weights: (0..<n).map { $0 % 5 == 4 ? 0 : 1 },
                          positions: [0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 3, 4], documents: [0, 0, 0, 1, 1, 1, 7, 8, 8, 8, 8, 8])
        case "continuous-mse":
            cfg.inputDim = 3; cfg.outputDim = 1
            batch = Batch(batchSize: bsz, seqLen: t, inputs: (0..<(n * 3)).map { _ in rng.normal() },
                          targetValues: (0..<n).map { _ in rng.normal() }, weights: (0..<n).map { $0 % 2 == 0 ? 1 : 0 })
        default:
            batch = Batch(batchSize: bsz, seqLen: t, tokens: (0..<n).map { _ in Int32(rng.int(below: 13)) },
                          targets: (0..<n).map { _ in Int32(rng.int(below: 13)) })
        }
        let model = GPT(cfg, seed: 3)
        let p = model.parameters
        p.zeroGrads()
        _ = model.forward(batch)
        model.backward()
        let grads = p.grads.array
        var worst = 0.0, worstName = ""
        for e in p.entries {
            var pick = rng
            for _ in 0..<min(6, e.count) {
                let i = e.offset + pick.int(below: e.count)
                let orig = p.values[i]
                let eps: Float = 1e-2
                p.values[i] = orig + eps; let lp = Double(model.forward(batch))
                p.values[i] = orig - eps; let lm = Double(model.forward(batch))
                p.values[i] = orig
                let fd = (lp - lm) / (2 * Double(eps))
                let err = abs(fd - Double(grads[i])) / max(0.05, abs(fd))
                if err > worst { worst = err; worstName = e.name }
            }
            rng = pick
        }
        #expect(worst < 5e-2, "\(variant): worst relative error \(worst) in \(worstName)")
    }
}

import Foundation
