import Foundation

/// Configuration of the recurrent LM: embedding → 1-layer LSTM → optional static n-gram blocks →
/// final LayerNorm → LM head.
public struct RecurrentLMConfig: Codable, Hashable, Sendable {
    public var vocabSize: Int
    /// Embedding width = LSTM hidden size = residual width of the n-gram blocks.
    public var dModel: Int
    /// Orders of the static n-gram blocks, bottom to top ([] = plain LSTM).
    public var orders: [Int]
    /// logits = h·wteᵀ (tied, no head bias) or a separate head Linear d→V with bias.
    public var tiedEmbeddings: Bool
    /// Std of the token embedding init.
    public var initStd: Float

    public init(vocabSize: Int, dModel: Int, orders: [Int] = [], tiedEmbeddings: Bool = true, initStd: Float = 0.02) {
        self.vocabSize = vocabSize
        self.dModel = dModel
        self.orders = orders
        self.tiedEmbeddings = tiedEmbeddings
        self.initStd = initStd
    }
}

/// A recurrent LM with explicit forward and backward passes (token mode, weighted cross-entropy).
///
///   x_0 = LSTM(wte[tokens]);  x_{k+1} = x_k + NG_{n_k}(LN_k(x_k));  logits = head(LN_f(x_K)).
/// The n-gram blocks are pre-LN residual mixers without MLP; their follower sets depend on the
/// tokens only, so they are computed once per forward and order.
///
/// Init: wte N(0, initStd); W_ih Xavier-uniform (±√(6/(C+4H)), PyTorch's xavier_uniform_ on the
/// fused [4H,C] matrix); W_hh one orthogonal H×H block per gate; LSTM bias 0 except the forget
/// gate's 1 (remember by default, so gradients reach early steps); n-gram maps U(±1/√d) as
/// PyTorch's nn.Linear default (the reference layer is two nn.Linear), their biases 0; LN gains 1,
/// biases 0; untied head N(0, initStd), bias 0.
public final class RecurrentLM: SequenceModel {
    public let config: RecurrentLMConfig
    public let parameters = ParameterSet()

    struct Block { var order: Int, lnW: Int, lnB: Int, w0: Int, b0: Int, w1: Int, b1: Int }
    let wte: Int
    let wih: Int, whh: Int, lstmB: Int
    var blocks: [Block] = []
    let lnfW: Int, lnfB: Int
    let headW: Int?, headB: Int?

    private var n = 0, bsz = 0, t = 0
    private var lastBatch: Batch?
    private var acts: Activations?
    private var rowLoss = FloatBuffer(0)
    /// Follower sets of the last forward, by order.
    public private(set) var followerSets: [Int: StaticNGram.FollowerSets] = [:]

    final class Activations {
        let emb, gates, cells, tanhCells: FloatBuffer
        let x: [FloatBuffer]                    // x_0 (LSTM output) … x_K, each [N,C]
        let ln, lnMean, lnRstd, mean: [FloatBuffer]
        let lnf, lnfMean, lnfRstd, logits: FloatBuffer
        // backward scratch
        let dx, dln, dmean, dgates, dcell, demb, dlogits: FloatBuffer
        init(_ cfg: RecurrentLMConfig, b: Int, t: Int) {
            let n = b * t, c = cfg.dModel, k = cfg.orders.count, v = cfg.vocabSize
            func many(_ m: Int) -> [FloatBuffer] { (0..<k).map { _ in FloatBuffer(m) } }
            emb = FloatBuffer(n * c); gates = FloatBuffer(n * 4 * c); cells = FloatBuffer(n * c); tanhCells = FloatBuffer(n * c)
            x = (0...k).map { _ in FloatBuffer(n * c) }
            ln = many(n * c); lnMean = many(n); lnRstd = many(n); mean = many(n * c)
            lnf = FloatBuffer(n * c); lnfMean = FloatBuffer(n); lnfRstd = FloatBuffer(n); logits = FloatBuffer(n * v)
            dx = FloatBuffer(n * c); dln = FloatBuffer(n * c); dmean = FloatBuffer(n * c); dgates = FloatBuffer(n * 4 * c)
            dcell = FloatBuffer(b * c); demb = FloatBuffer(n * c); dlogits = FloatBuffer(n * v)
        }
    }

    public init(_ config: RecurrentLMConfig, seed: UInt64 = 0) {
        precondition(config.orders.allSatisfy { $0 >= 1 }, "n-gram orders must be ≥ 1")
        self.config = config
        let c = config.dModel, v = config.vocabSize, p = parameters
        wte = p.declare("wte", [v, c])
        wih = p.declare("lstm.W_ih", [4 * c, c])
        whh = p.declare("lstm.W_hh", [4 * c, c])
        lstmB = p.declare("lstm.b", [4 * c])
        for (k, order) in config.orders.enumerated() {
            let pre = "ng.\(k)."
            blocks.append(Block(order: order,
                                lnW: p.declare(pre + "ln.weight", [c]), lnB: p.declare(pre + "ln.bias", [c]),
                                w0: p.declare(pre + "W0.weight", [c, c]), b0: p.declare(pre + "W0.bias", [c]),
                                w1: p.declare(pre + "W1.weight", [c, c]), b1: p.declare(pre + "W1.bias", [c])))
        }
        lnfW = p.declare("lnf.weight", [c])
        lnfB = p.declare("lnf.bias", [c])
        if config.tiedEmbeddings {
            headW = nil; headB = nil
        } else {
            headW = p.declare("head.weight", [v, c])
            headB = p.declare("head.bias", [v])
        }
        p.seal()
        let rng = RandomStream(seed: seed, stream: "init")
        let xavier = (6 / Float(c + 4 * c)).squareRoot()
        p.initialise({ e in
            switch e.name {
            case "lstm.W_ih": return .uniform(xavier)
            case "lstm.W_hh", "lstm.b": return .constant(0)   // set below
            case "wte", "head.weight": return .normal(config.initStd)
            default:
                if e.name.hasSuffix(".bias") { return .constant(0) }
                if e.shape.count == 1 { return .constant(1) }
                return .uniform(1 / Float(c).squareRoot())
            }
        }, rng: rng)
        LSTM.orthogonalInit(p.value(whh), h: c, rng: rng.child("lstm.W_hh"))
        p.value(lstmB + c).update(repeating: 1, count: c)  // forget gate
    }

    public var architectureDescription: String { "RecurrentLM(\(parameters.layoutDescription))" }

    public var positionLosses: [Float] { Array(UnsafeBufferPointer(start: rowLoss.ptr, count: n)) }

    /// Logits [N,V] of the last forward.
    public var outputs: [Float] { acts.map { Array(UnsafeBufferPointer(start: $0.logits.ptr, count: n * config.vocabSize)) } ?? [] }

    private struct Shape: Hashable { let b: Int, t: Int }
    /// Buffers kept per batch shape: training and evaluation alternate shapes, and allocating
    /// (and zeroing) fresh buffers at every switch cost more than some of the arithmetic.
    private var buffersByShape: [Shape: (acts: Activations, rowLoss: FloatBuffer)] = [:]

    private func activations(b: Int, t: Int) -> Activations {
        if let a = acts, bsz == b, self.t == t { return a }
        let shape = Shape(b: b, t: t)
        let buffers = buffersByShape[shape] ?? (Activations(config, b: b, t: t), FloatBuffer(b * t))
        buffersByShape[shape] = buffers
        acts = buffers.acts; rowLoss = buffers.rowLoss; bsz = b; self.t = t; n = b * t
        return buffers.acts
    }

    @discardableResult
    public func forward(_ batch: Batch) -> Float {
        let b = batch.batchSize, t = batch.seqLen, c = config.dModel, v = config.vocabSize
        let n = b * t
        guard let tokens = batch.tokens, tokens.count == n, let targets = batch.targets, targets.count == n else {
            preconditionFailure("RecurrentLM needs B·T tokens and targets")
        }
        precondition(batch.weights.count == n, "weights must have B·T entries")
        let a = activations(b: b, t: t)
        let p = parameters
        lastBatch = batch
        // Embedding
        let emb = a.emb.ptr, table = p.value(wte)
        for i in 0..<n {
            let id = Int(tokens[i])
            precondition(id >= 0 && id < v, "token \(id) out of vocabulary 0..<\(v)")
            (emb + i * c).update(from: table + id * c, count: c)
        }
        // LSTM
        LSTM.forward(out: a.x[0].ptr, gates: a.gates.ptr, cells: a.cells.ptr, tanhCells: a.tanhCells.ptr, inp: emb,
                     wih: p.value(wih), whh: p.value(whh), bias: p.value(lstmB), b: b, t: t, c: c, h: c)
        // Static n-gram blocks
        followerSets = [:]
        for order in Set(config.orders) {
            followerSets[order] = StaticNGram.followerSets(tokens: tokens, batchSize: b, seqLen: t, order: order)
        }
        for (k, B) in blocks.enumerated() {
            let x = a.x[k].ptr, xn = a.x[k + 1].ptr
            Ops.layerNormForward(out: a.ln[k].ptr, mean: a.lnMean[k].ptr, rstd: a.lnRstd[k].ptr, inp: x,
                                 weight: p.value(B.lnW), bias: p.value(B.lnB), n: n, c: c)
            StaticNGram.forward(out: xn, mean: a.mean[k].ptr, inp: a.ln[k].ptr, sets: followerSets[B.order]!,
                                w0: p.value(B.w0), b0: p.value(B.b0), w1: p.value(B.w1), b1: p.value(B.b1), c: c)
            Ops.accumulate(xn, x, count: n * c)
        }
        // Final norm, head, loss
        Ops.layerNormForward(out: a.lnf.ptr, mean: a.lnfMean.ptr, rstd: a.lnfRstd.ptr, inp: a.x[blocks.count].ptr,
                             weight: p.value(lnfW), bias: p.value(lnfB), n: n, c: c)
        Ops.linearForward(out: a.logits.ptr, inp: a.lnf.ptr, weight: p.value(headW ?? wte), bias: headB.map(p.value),
                          n: n, c: c, oc: v)
        return batch.weights.withUnsafeBufferPointer { w in
            targets.withUnsafeBufferPointer { y in
                Ops.crossEntropyForwardBackward(logits: a.logits.ptr, targets: y.baseAddress!, weights: w.baseAddress!,
                                                n: n, v: v, dlogits: a.dlogits.ptr, rowLoss: rowLoss.ptr)
            }
        }
    }

    public func backward() {
        guard let a = acts, let batch = lastBatch, let tokens = batch.tokens else { preconditionFailure("backward() before forward()") }
        let b = bsz, t = self.t, c = config.dModel, v = config.vocabSize
        let n = b * t
        let p = parameters
        let dx = a.dx.ptr, dln = a.dln.ptr
        // Head (tied: accumulates into dwte, the embedding scatter below adds its part)
        Ops.linearBackward(dinp: dln, dweight: p.grad(headW ?? wte), dbias: headB.map(p.grad), dout: a.dlogits.ptr,
                           inp: a.lnf.ptr, weight: p.value(headW ?? wte), n: n, c: c, oc: v)
        a.dx.zero()
        Ops.layerNormBackward(dinp: dx, dweight: p.grad(lnfW), dbias: p.grad(lnfB), dout: dln, inp: a.x[blocks.count].ptr,
                              weight: p.value(lnfW), mean: a.lnfMean.ptr, rstd: a.lnfRstd.ptr, n: n, c: c)
        // Blocks: dx holds d x_{k+1}; the residual passes it through, the mixer adds its LN path.
        for k in stride(from: blocks.count - 1, through: 0, by: -1) {
            let B = blocks[k]
            StaticNGram.backward(dinp: dln, dw0: p.grad(B.w0), db0: p.grad(B.b0), dw1: p.grad(B.w1), db1: p.grad(B.b1),
                                 dmean: a.dmean.ptr, dout: dx, inp: a.ln[k].ptr, mean: a.mean[k].ptr,
                                 sets: followerSets[B.order]!, w0: p.value(B.w0), w1: p.value(B.w1), c: c)
            Ops.layerNormBackward(dinp: dx, dweight: p.grad(B.lnW), dbias: p.grad(B.lnB), dout: dln, inp: a.x[k].ptr,
                                  weight: p.value(B.lnW), mean: a.lnMean[k].ptr, rstd: a.lnRstd[k].ptr, n: n, c: c)
        }
        // LSTM (dx is consumed as the running dL/dh)
        LSTM.backward(dinp: a.demb.ptr, dwih: p.grad(wih), dwhh: p.grad(whh), dbias: p.grad(lstmB), dout: dx,
                      dgates: a.dgates.ptr, dcell: a.dcell.ptr, inp: a.emb.ptr, out: a.x[0].ptr, gates: a.gates.ptr,
                      cells: a.cells.ptr, tanhCells: a.tanhCells.ptr, wih: p.value(wih), whh: p.value(whh),
                      b: b, t: t, c: c, h: c)
        // Embedding scatter
        let dwte = p.grad(wte), demb = a.demb.ptr
        for i in 0..<n { Ops.accumulate(dwte + Int(tokens[i]) * c, demb + i * c, count: c) }
    }
}
