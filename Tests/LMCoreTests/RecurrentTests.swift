import Foundation
import Testing
@testable import LMCore

/// The recurrent side of the core: LSTM and static n-gram kernels against finite differences,
/// follower sets against their definition, and the recurrent LM end to end.
struct RecurrentTests {
    typealias Buf = FloatBuffer
    typealias G = GradientCheckTests

    static func randomTokens(_ n: Int, vocab: Int, _ rng: inout RandomStream) -> [Int32] {
        (0..<n).map { _ in Int32(rng.int(below: vocab)) }
    }

    /// S_i(n) straight from the definition: j < i, j − n ≥ 0, x_{j−1−s} = x_{i−s} for s < n.
    static func bruteForce(_ x: [Int32], i: Int, order n: Int) -> [Int] {
        guard i - (n - 1) >= 0 else { return [] }
        return (0..<i).filter { j in j - n >= 0 && (0..<n).allSatisfy { s in x[j - 1 - s] == x[i - s] } }
    }

    // MARK: LSTM kernel

    @Test func lstmGradients() {
        var rng = RandomStream(seed: 11, stream: "test")
        let b = 2, t = 5, c = 3, h = 9  // 2H = 18: vector body and scalar tail in every gate block
        let n = b * t
        let x = G.randomBuffer(n * c, &rng), wih = G.randomBuffer(4 * h * c, &rng, scale: 0.5)
        let whh = G.randomBuffer(4 * h * h, &rng, scale: 0.5), bias = G.randomBuffer(4 * h, &rng, scale: 0.5)
        let r = G.randomBuffer(n * h, &rng)
        let out = Buf(n * h), gates = Buf(n * 4 * h), cells = Buf(n * h), tc = Buf(n * h)
        func loss() -> Double {
            LSTM.forward(out: out.ptr, gates: gates.ptr, cells: cells.ptr, tanhCells: tc.ptr, inp: x.ptr, wih: wih.ptr,
                         whh: whh.ptr, bias: bias.ptr, b: b, t: t, c: c, h: h)
            return G.dot(out, r)
        }
        _ = loss()
        // forward against a scalar Double reference of the recurrence
        for row in 0..<b {
            var hp = [Double](repeating: 0, count: h), cp = hp
            for s in 0..<t {
                var pre = [Double](repeating: 0, count: 4 * h)
                for g in 0..<(4 * h) {
                    var a = Double(bias[g])
                    for k in 0..<c { a += Double(wih[g * c + k]) * Double(x[(row * t + s) * c + k]) }
                    for k in 0..<h { a += Double(whh[g * h + k]) * hp[k] }
                    pre[g] = a
                }
                func sg(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
                for j in 0..<h {
                    cp[j] = sg(pre[h + j]) * cp[j] + sg(pre[j]) * Foundation.tanh(pre[2 * h + j])
                    hp[j] = sg(pre[3 * h + j]) * Foundation.tanh(cp[j])
                    #expect(abs(Double(out[(row * t + s) * h + j]) - hp[j]) < 1e-5)
                }
            }
        }
        let dx = Buf(n * c), dwih = Buf(4 * h * c), dwhh = Buf(4 * h * h), db = Buf(4 * h)
        let dh = Buf(n * h), dgates = Buf(n * 4 * h), dcell = Buf(b * h)
        dh.copy(from: r)
        LSTM.backward(dinp: dx.ptr, dwih: dwih.ptr, dwhh: dwhh.ptr, dbias: db.ptr, dout: dh.ptr, dgates: dgates.ptr,
                      dcell: dcell.ptr, inp: x.ptr, out: out.ptr, gates: gates.ptr, cells: cells.ptr, tanhCells: tc.ptr,
                      wih: wih.ptr, whh: whh.ptr, b: b, t: t, c: c, h: h)
        G.check("lstm dx", x: x, analytic: dx.array, eps: 5e-3, loss: loss)
        G.check("lstm dW_ih", x: wih, analytic: dwih.array, eps: 5e-3, loss: loss)
        G.check("lstm dW_hh", x: whh, analytic: dwhh.array, eps: 5e-3, loss: loss)
        G.check("lstm db", x: bias, analytic: db.array, eps: 5e-3, loss: loss)
    }

    @Test func lstmOrthogonalInit() {
        let h = 16
        let w = Buf(4 * h * h)
        LSTM.orthogonalInit(w.ptr, h: h, rng: RandomStream(seed: 1, stream: "init"))
        var worst: Float = 0
        for g in 0..<4 {
            for i in 0..<h {
                for k in 0..<h {
                    var d: Float = 0
                    for j in 0..<h { d += w[(g * h + i) * h + j] * w[(g * h + k) * h + j] }
                    worst = max(worst, abs(d - (i == k ? 1 : 0)))
                }
            }
        }
        #expect(worst < 1e-5)
    }

    // MARK: static n-gram layer

    @Test func followerSetsHandExample() {
        // a b c a b : order 2 at the last position follows the earlier "a b" → {position of c}
        let x: [Int32] = [0, 1, 2, 0, 1]
        let s2 = StaticNGram.followerSets(tokens: x, batchSize: 1, seqLen: 5, order: 2)
        #expect(s2.positions(row: 0, query: 4) == [2])
        #expect(s2.positions(row: 0, query: 3) == [])        // "c a" never seen before
        let s1 = StaticNGram.followerSets(tokens: x, batchSize: 1, seqLen: 5, order: 1)
        #expect(s1.positions(row: 0, query: 3) == [1])       // after the earlier a came b (position 1)
        #expect(s1.positions(row: 0, query: 4) == [2])
        #expect(s1.positions(row: 0, query: 0) == [])
        let s3 = StaticNGram.followerSets(tokens: x, batchSize: 1, seqLen: 5, order: 3)
        #expect((0..<5).allSatisfy { s3.positions(row: 0, query: $0).isEmpty })
        // a a a a: the follower is strictly before the query and the n-gram fits in the sequence
        let y: [Int32] = [5, 5, 5, 5]
        let t1 = StaticNGram.followerSets(tokens: y, batchSize: 1, seqLen: 4, order: 1)
        #expect(t1.positions(row: 0, query: 3) == [1, 2])
        let t2 = StaticNGram.followerSets(tokens: y, batchSize: 1, seqLen: 4, order: 2)
        #expect(t2.positions(row: 0, query: 3) == [2])
        #expect(t2.positions(row: 0, query: 2) == [])
    }

    @Test func followerSetsMatchDefinition() {
        var rng = RandomStream(seed: 12, stream: "test")
        for trial in 0..<60 {
            let b = 1 + rng.int(below: 3), t = 1 + rng.int(below: 24), vocab = 2 + rng.int(below: 3)
            let order = 1 + trial % 4
            let x = Self.randomTokens(b * t, vocab: vocab, &rng)
            let sets = StaticNGram.followerSets(tokens: x, batchSize: b, seqLen: t, order: order)
            for r in 0..<b {
                let row = Array(x[(r * t)..<((r + 1) * t)])
                for i in 0..<t {
                    #expect(sets.positions(row: r, query: i) == Self.bruteForce(row, i: i, order: order),
                            "order \(order) row \(row) query \(i)")
                }
            }
        }
    }

    @Test func ngramLayerGradients() {
        var rng = RandomStream(seed: 13, stream: "test")
        let b = 2, t = 10, c = 5
        let n = b * t
        let tokens = Self.randomTokens(n, vocab: 3, &rng)
        let sets = StaticNGram.followerSets(tokens: tokens, batchSize: b, seqLen: t, order: 2)
        #expect(sets.members.count > 4, "the test needs non-trivial follower sets")
        let h = G.randomBuffer(n * c, &rng), w0 = G.randomBuffer(c * c, &rng), b0 = G.randomBuffer(c, &rng)
        let w1 = G.randomBuffer(c * c, &rng), b1 = G.randomBuffer(c, &rng), r = G.randomBuffer(n * c, &rng)
        let out = Buf(n * c), mean = Buf(n * c)
        func loss() -> Double {
            StaticNGram.forward(out: out.ptr, mean: mean.ptr, inp: h.ptr, sets: sets, w0: w0.ptr, b0: b0.ptr,
                                w1: w1.ptr, b1: b1.ptr, c: c)
            return G.dot(out, r)
        }
        _ = loss()
        // h0 against the definition
        for q in 0..<n {
            let js = sets.positions(row: q / t, query: q % t)
            for k in 0..<c {
                let ref = js.isEmpty ? 0 : js.map { Double(h[((q / t) * t + $0) * c + k]) }.reduce(0, +) / Double(js.count)
                #expect(abs(Double(mean[q * c + k]) - ref) < 1e-5)
            }
        }
        let dh = Buf(n * c), dw0 = Buf(c * c), db0 = Buf(c), dw1 = Buf(c * c), db1 = Buf(c), dmean = Buf(n * c)
        StaticNGram.backward(dinp: dh.ptr, dw0: dw0.ptr, db0: db0.ptr, dw1: dw1.ptr, db1: db1.ptr, dmean: dmean.ptr,
                             dout: r.ptr, inp: h.ptr, mean: mean.ptr, sets: sets, w0: w0.ptr, w1: w1.ptr, c: c)
        G.check("ngram dh", x: h, analytic: dh.array, loss: loss)
        G.check("ngram dW0", x: w0, analytic: dw0.array, loss: loss)
        G.check("ngram db0", x: b0, analytic: db0.array, loss: loss)
        G.check("ngram dW1", x: w1, analytic: dw1.array, loss: loss)
        G.check("ngram db1", x: b1, analytic: db1.array, loss: loss)
    }

    // MARK: the recurrent LM

    @Test func parameterCounts() {
        // the miniature's models: vocabulary 10, d = 64, tied
        let lstm = RecurrentLM(RecurrentLMConfig(vocabSize: 10, dModel: 64))
        let ng = RecurrentLM(RecurrentLMConfig(vocabSize: 10, dModel: 64, orders: [1, 2, 3]))
        #expect(lstm.parameters.count == 640 + 2 * 16384 + 256 + 128)   // 33,792
        #expect(ng.parameters.count == lstm.parameters.count + 3 * (128 + 2 * (4096 + 64)))  // 59,136
        let untied = RecurrentLM(RecurrentLMConfig(vocabSize: 10, dModel: 64, tiedEmbeddings: false))
        #expect(untied.parameters.count == lstm.parameters.count + 650)
        #expect(lstm.parameters.entry("lstm.b") != nil && ng.parameters.entry("ng.2.W1.weight") != nil)
        // forget-gate bias 1, the other gates 0
        let bias = lstm.parameters.value(lstm.parameters.entry("lstm.b")!.offset)
        #expect((0..<256).allSatisfy { bias[$0] == ($0 >= 64 && $0 < 128 ? 1 : 0) })
    }

    /// Whole-model check: sampled coordinates of every parameter tensor.
    @Test(arguments: ["tied-123", "untied-21-masked", "plain"])
    func recurrentEndToEnd(variant: String) {
        var rng = RandomStream(seed: 14, stream: variant)
        let bsz = 2, t = 9, n = bsz * t, v = 4
        var cfg = RecurrentLMConfig(vocabSize: v, dModel: 8, orders: [1, 2, 3], initStd: 0.5)
        var weights = [Float](repeating: 1, count: n)
        switch variant {
        case "untied-21-masked":
            cfg.orders = [2, 1]; cfg.tiedEmbeddings = false
            weights = (0..<n).map { $0 % 4 == 3 ? 0 : 1 }
        case "plain": cfg.orders = []
        default: break
        }
        let batch = Batch(batchSize: bsz, seqLen: t, tokens: Self.randomTokens(n, vocab: v, &rng),
                          targets: Self.randomTokens(n, vocab: v, &rng), weights: weights)
        let model = RecurrentLM(cfg, seed: 5)
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

    /// Sequences that repeat a random motif: the next token is predictable in context.
    static func motifBatch(step: Int, b: Int, t: Int, vocab: Int) -> Batch {
        var rng = RandomStream(seed: 3, stream: "data").child(step)
        var tokens: [Int32] = [], targets: [Int32] = []
        for _ in 0..<b {
            let motif = (0..<(3 + rng.int(below: 3))).map { _ in Int32(rng.int(below: vocab)) }
            let seq = (0...t).map { motif[$0 % motif.count] }
            tokens += seq[0..<t]
            targets += seq[1...t]
        }
        return Batch(batchSize: b, seqLen: t, tokens: tokens, targets: targets)
    }

    static func train(_ cfg: RecurrentLMConfig, steps: Int) -> (RecurrentLM, [Float]) {
        let model = RecurrentLM(cfg, seed: 1)
        let opt = AdamW(model.parameters, config: .init(beta1: 0.9, beta2: 0.99, weightDecay: 0.01))
        var losses: [Float] = []
        for s in 0..<steps {
            model.parameters.zeroGrads()
            losses.append(model.forward(motifBatch(step: s, b: 8, t: 24, vocab: cfg.vocabSize)))
            model.backward()
            _ = opt.step(lr: 1e-2)
        }
        return (model, losses)
    }

    @Test func trainingLowersLoss() {
        let cfg = RecurrentLMConfig(vocabSize: 8, dModel: 16, orders: [1, 2])
        let (_, losses) = Self.train(cfg, steps: 80)
        let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
        #expect(first > 1.9 && last < 0.5 * first, "loss \(first) → \(last)")
    }

    @Test func trainingIsDeterministic() {
        let cfg = RecurrentLMConfig(vocabSize: 8, dModel: 16, orders: [1, 3])
        let (m1, l1) = Self.train(cfg, steps: 10)
        let (m2, l2) = Self.train(cfg, steps: 10)
        #expect(l1 == l2)
        #expect(m1.parameters.values.array == m2.parameters.values.array)
    }
}
