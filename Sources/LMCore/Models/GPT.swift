import Foundation

/// Configuration of the GPT-style decoder (pre-norm, learned positions, causal MHA, GELU MLP).
public struct GPTConfig: Codable, Hashable, Sendable {
    public enum Norm: String, Codable, Sendable { case layerNorm = "layernorm", rmsNorm = "rmsnorm" }

    /// Token vocabulary (token mode). Ignored when `inputDim > 0`.
    public var vocabSize: Int
    /// > 0: continuous read-in (a bias-free linear map of each input vector) instead of token embeddings.
    public var inputDim: Int
    /// > 0: continuous read-out (bias-free linear map to `outputDim` values, MSE loss) instead of an LM head.
    public var outputDim: Int
    public var contextLength: Int
    public var dModel: Int
    public var nLayers: Int
    public var nHeads: Int
    public var mlpHidden: Int
    public var norm: Norm
    /// Biases on every linear layer and on LayerNorm.
    public var bias: Bool
    /// Token mode: logits = h·wteᵀ (tied) or a separate head matrix.
    public var tiedEmbeddings: Bool
    public var initStd: Float

    public init(vocabSize: Int = 256, inputDim: Int = 0, outputDim: Int = 0, contextLength: Int, dModel: Int,
                nLayers: Int, nHeads: Int, mlpHidden: Int? = nil, norm: Norm = .layerNorm, bias: Bool = true,
                tiedEmbeddings: Bool = true, initStd: Float = 0.02) {
        self.vocabSize = vocabSize
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.contextLength = contextLength
        self.dModel = dModel
        self.nLayers = nLayers
        self.nHeads = nHeads
        self.mlpHidden = mlpHidden ?? 4 * dModel
        self.norm = norm
        self.bias = bias
        self.tiedEmbeddings = tiedEmbeddings
        self.initStd = initStd
    }

    public var continuousInput: Bool { inputDim > 0 }
    public var continuousOutput: Bool { outputDim > 0 }
}

/// A GPT-style decoder with explicit forward and backward passes (one file, nanoGPT-sized).
///
/// Parameter names and order match `Benchmarks/reference_gpt.py`, which generates the committed
/// reference fixture the tests compare against.
public final class GPT: SequenceModel {
    public let config: GPTConfig
    public let parameters = ParameterSet()

    struct Norm { var weight: Int; var bias: Int? }
    struct Layer {
        var ln1: Norm, qkvW: Int, qkvB: Int?, projW: Int, projB: Int?
        var ln2: Norm, fcW: Int, fcB: Int?, mprojW: Int, mprojB: Int?
    }
    let embed: Int      // wte [V,C] or readIn [C,inputDim]
    let wpe: Int
    var layers: [Layer] = []
    let lnf: Norm
    let head: Int?      // untied head [V,C] or readOut [outputDim,C]

    // Activations of the last forward (sized for B·T).
    private var n = 0, bsz = 0, t = 0
    private var lastBatch: Batch?
    private var acts: Activations?
    private var rowLoss = FloatBuffer(0)

    final class Activations {
        let n: Int
        let x: [FloatBuffer]            // residual stream x_0 … x_L, each [N,C]; fch holds gelu′ after forward
        let ln1, ln1Mean, ln1Rstd, qkv, atty, probs, x2, ln2, ln2Mean, ln2Rstd, fch, fcg: [FloatBuffer]
        let lnf, lnfMean, lnfRstd, out: FloatBuffer
        // backward scratch
        let dx, dln, datty, dqkv, dfc, dprobs, dout: FloatBuffer
        init(_ cfg: GPTConfig, b: Int, t: Int) {
            let n = b * t, c = cfg.dModel, f = cfg.mlpHidden, l = cfg.nLayers, h = cfg.nHeads
            let o = cfg.continuousOutput ? cfg.outputDim : cfg.vocabSize
            self.n = n
            func many(_ k: Int) -> [FloatBuffer] { (0..<l).map { _ in FloatBuffer(k) } }
            x = (0...l).map { _ in FloatBuffer(n * c) }
            ln1 = many(n * c); ln1Mean = many(n); ln1Rstd = many(n)
            qkv = many(n * 3 * c); atty = many(n * c); probs = many(b * h * t * t)
            x2 = many(n * c); ln2 = many(n * c); ln2Mean = many(n); ln2Rstd = many(n)
            fch = many(n * f); fcg = many(n * f)
            lnf = FloatBuffer(n * c); lnfMean = FloatBuffer(n); lnfRstd = FloatBuffer(n); out = FloatBuffer(n * o)
            dx = FloatBuffer(n * c); dln = FloatBuffer(n * c); datty = FloatBuffer(n * c); dqkv = FloatBuffer(n * 3 * c)
            dfc = FloatBuffer(n * f); dprobs = FloatBuffer(Parallel.workers * t * t); dout = FloatBuffer(n * o)
        }
    }

    public init(_ config: GPTConfig, seed: UInt64 = 0) {
        precondition(config.dModel % config.nHeads == 0, "dModel must be divisible by nHeads")
        self.config = config
        let c = config.dModel, p = parameters
        embed = config.continuousInput ? p.declare("readIn.weight", [c, config.inputDim])
                                       : p.declare("wte", [config.vocabSize, c])
        wpe = p.declare("wpe", [config.contextLength, c])
        func norm(_ name: String) -> Norm {
            Norm(weight: p.declare("\(name).weight", [c]),
                 bias: config.norm == .layerNorm && config.bias ? p.declare("\(name).bias", [c]) : nil)
        }
        func bias(_ name: String, _ k: Int) -> Int? { config.bias ? p.declare(name, [k]) : nil }
        for l in 0..<config.nLayers {
            let pre = "h.\(l)."
            let ln1 = norm(pre + "ln1")
            let qkvW = p.declare(pre + "attn.qkv.weight", [3 * c, c]); let qkvB = bias(pre + "attn.qkv.bias", 3 * c)
            let projW = p.declare(pre + "attn.proj.weight", [c, c]); let projB = bias(pre + "attn.proj.bias", c)
            let ln2 = norm(pre + "ln2")
            let fcW = p.declare(pre + "mlp.fc.weight", [config.mlpHidden, c]); let fcB = bias(pre + "mlp.fc.bias", config.mlpHidden)
            let mW = p.declare(pre + "mlp.proj.weight", [c, config.mlpHidden]); let mB = bias(pre + "mlp.proj.bias", c)
            layers.append(Layer(ln1: ln1, qkvW: qkvW, qkvB: qkvB, projW: projW, projB: projB,
                                ln2: ln2, fcW: fcW, fcB: fcB, mprojW: mW, mprojB: mB))
        }
        lnf = norm("lnf")
        if config.continuousOutput {
            head = p.declare("readOut.weight", [config.outputDim, c])
        } else if !config.tiedEmbeddings {
            head = p.declare("head.weight", [config.vocabSize, c])
        } else {
            head = nil
        }
        p.seal()
        // GPT-2 init: N(0, std) matrices, residual projections scaled by 1/√(2L), gains 1, biases 0.
        let residualStd = config.initStd / (2 * Float(config.nLayers)).squareRoot()
        p.initialise({ e in
            if e.name.hasSuffix(".bias") { return .constant(0) }
            if e.shape.count == 1 { return .constant(1) }
            if e.name.hasSuffix("attn.proj.weight") || e.name.hasSuffix("mlp.proj.weight") { return .normal(residualStd) }
            return .normal(config.initStd)
        }, rng: RandomStream(seed: seed, stream: "init"))
    }

    public var architectureDescription: String {
        "GPT(\(parameters.layoutDescription))"
    }

    public var positionLosses: [Float] { Array(UnsafeBufferPointer(start: rowLoss.ptr, count: n)) }

    /// Model outputs of the last forward: logits [N,V] or predictions [N,outputDim].
    public var outputs: [Float] { acts?.out.array.prefix(n * outputWidth).map { $0 } ?? [] }
    public var outputWidth: Int { config.continuousOutput ? config.outputDim : config.vocabSize }

    /// Attention probabilities of one layer, batch row and head: [T,T] row-major (query × key).
    public func attentionWeights(layer: Int, batchIndex: Int, head h: Int) -> [Float] {
        guard let a = acts else { return [] }
        let base = a.probs[layer].ptr + (batchIndex * config.nHeads + h) * t * t
        return Array(UnsafeBufferPointer(start: base, count: t * t))
    }

    private func activations(b: Int, t: Int) -> Activations {
        if let a = acts, bsz == b, self.t == t { return a }
        let a = Activations(config, b: b, t: t)
        acts = a; bsz = b; self.t = t; n = b * t
        rowLoss = FloatBuffer(n)
        return a
    }

    private func validate(_ batch: Batch) {
        let n = batch.count
        precondition(batch.seqLen <= config.contextLength, "sequence length \(batch.seqLen) exceeds context \(config.contextLength)")
        precondition(batch.weights.count == n, "weights must have B·T entries")
        if config.continuousInput {
            precondition(batch.inputs?.count == n * config.inputDim, "continuous GPT needs inputs of B·T·inputDim")
        } else {
            precondition(batch.tokens?.count == n, "token GPT needs B·T tokens")
        }
        if config.continuousOutput {
            precondition(batch.targetValues?.count == n * config.outputDim, "continuous GPT needs targetValues of B·T·outputDim")
        } else {
            precondition(batch.targets?.count == n, "token GPT needs B·T targets")
        }
    }

    @discardableResult
    public func forward(_ batch: Batch) -> Float {
        validate(batch)
        let b = batch.batchSize, t = batch.seqLen, c = config.dModel, f = config.mlpHidden, h = config.nHeads
        let a = activations(b: b, t: t)
        let n = b * t
        let p = parameters
        lastBatch = batch
        // Embedding + positions
        let x0 = a.x[0].ptr
        if config.continuousInput {
            batch.inputs!.withUnsafeBufferPointer { inp in
                Ops.linearForward(out: x0, inp: inp.baseAddress!, weight: p.value(embed), bias: nil, n: n, c: config.inputDim, oc: c)
            }
        } else {
            let wte = p.value(embed)
            let v = config.vocabSize
            batch.tokens!.withUnsafeBufferPointer { tok in
                for i in 0..<n {
                    let id = Int(tok[i])
                    precondition(id >= 0 && id < v, "token \(id) out of vocabulary 0..<\(v)")
                    (x0 + i * c).update(from: wte + id * c, count: c)
                }
            }
        }
        let wpe = p.value(self.wpe)
        for i in 0..<n {
            let pos = batch.positions.map { Int($0[i]) } ?? (i % t)
            precondition(pos >= 0 && pos < config.contextLength, "position \(pos) outside the context")
            let xr = x0 + i * c, pr = wpe + pos * c
            for j in 0..<c { xr[j] += pr[j] }
        }
        // Blocks
        let docs = batch.documents
        for (l, L) in layers.enumerated() {
            let x = a.x[l].ptr
            normForward(L.ln1, out: a.ln1[l].ptr, mean: a.ln1Mean[l].ptr, rstd: a.ln1Rstd[l].ptr, inp: x, n: n)
            Ops.linearForward(out: a.qkv[l].ptr, inp: a.ln1[l].ptr, weight: p.value(L.qkvW), bias: L.qkvB.map(p.value),
                              n: n, c: c, oc: 3 * c)
            if let docs {
                docs.withUnsafeBufferPointer { d in
                    Attention.forward(out: a.atty[l].ptr, probs: a.probs[l].ptr, qkv: a.qkv[l].ptr, documents: d.baseAddress,
                                      b: b, t: t, c: c, h: h)
                }
            } else {
                Attention.forward(out: a.atty[l].ptr, probs: a.probs[l].ptr, qkv: a.qkv[l].ptr, documents: nil, b: b, t: t, c: c, h: h)
            }
            let x2 = a.x2[l].ptr
            Ops.linearForward(out: x2, inp: a.atty[l].ptr, weight: p.value(L.projW), bias: L.projB.map(p.value), n: n, c: c, oc: c)
            Ops.accumulate(x2, x, count: n * c)
            normForward(L.ln2, out: a.ln2[l].ptr, mean: a.ln2Mean[l].ptr, rstd: a.ln2Rstd[l].ptr, inp: x2, n: n)
            Ops.linearForward(out: a.fch[l].ptr, inp: a.ln2[l].ptr, weight: p.value(L.fcW), bias: L.fcB.map(p.value), n: n, c: c, oc: f)
            Ops.geluForward(out: a.fcg[l].ptr, derivative: a.fch[l].ptr, inp: a.fch[l].ptr, count: n * f)
            let xn = a.x[l + 1].ptr
            Ops.linearForward(out: xn, inp: a.fcg[l].ptr, weight: p.value(L.mprojW), bias: L.mprojB.map(p.value), n: n, c: f, oc: c)
            Ops.accumulate(xn, x2, count: n * c)
        }
        normForward(lnf, out: a.lnf.ptr, mean: a.lnfMean.ptr, rstd: a.lnfRstd.ptr, inp: a.x[config.nLayers].ptr, n: n)
        // Head and loss
        let headW = p.value(head ?? embed)
        Ops.linearForward(out: a.out.ptr, inp: a.lnf.ptr, weight: headW, bias: nil, n: n, c: c, oc: outputWidth)
        return batch.weights.withUnsafeBufferPointer { w -> Float in
            if config.continuousOutput {
                return batch.targetValues!.withUnsafeBufferPointer { y in
                    Ops.mseForwardBackward(pred: a.out.ptr, target: y.baseAddress!, weights: w.baseAddress!, n: n,
                                           d: config.outputDim, dpred: a.dout.ptr, rowLoss: rowLoss.ptr)
                }
            } else {
                return batch.targets!.withUnsafeBufferPointer { y in
                    Ops.crossEntropyForwardBackward(logits: a.out.ptr, targets: y.baseAddress!, weights: w.baseAddress!,
                                                    n: n, v: config.vocabSize, dlogits: a.dout.ptr, rowLoss: rowLoss.ptr)
                }
            }
        }
    }

    public func backward() {
        guard let a = acts, let batch = lastBatch else { preconditionFailure("backward() before forward()") }
        let b = bsz, t = self.t, c = config.dModel, f = config.mlpHidden, h = config.nHeads
        let n = b * t
        let p = parameters
        let dx = a.dx.ptr
        // Head: dlnf = dout·W ; dW += doutᵀ·lnf
        Ops.linearBackward(dinp: a.dln.ptr, dweight: p.grad(head ?? embed), dbias: nil, dout: a.dout.ptr, inp: a.lnf.ptr,
                           weight: p.value(head ?? embed), n: n, c: c, oc: outputWidth)
        a.dx.zero()
        normBackward(lnf, dinp: dx, dout: a.dln.ptr, inp: a.x[config.nLayers].ptr, mean: a.lnfMean.ptr, rstd: a.lnfRstd.ptr, n: n)
        for l in stride(from: config.nLayers - 1, through: 0, by: -1) {
            let L = layers[l]
            // MLP: dx holds d x_{l+1}
            Ops.linearBackward(dinp: a.dfc.ptr, dweight: p.grad(L.mprojW), dbias: L.mprojB.map(p.grad), dout: dx,
                               inp: a.fcg[l].ptr, weight: p.value(L.mprojW), n: n, c: f, oc: c)
            Ops.geluBackward(dinp: a.dfc.ptr, derivative: a.fch[l].ptr, dout: a.dfc.ptr, count: n * f)
            Ops.linearBackward(dinp: a.dln.ptr, dweight: p.grad(L.fcW), dbias: L.fcB.map(p.grad), dout: a.dfc.ptr,
                               inp: a.ln2[l].ptr, weight: p.value(L.fcW), n: n, c: c, oc: f)
            normBackward(L.ln2, dinp: dx, dout: a.dln.ptr, inp: a.x2[l].ptr, mean: a.ln2Mean[l].ptr, rstd: a.ln2Rstd[l].ptr, n: n)
            // Attention: dx holds d x2
            Ops.linearBackward(dinp: a.datty.ptr, dweight: p.grad(L.projW), dbias: L.projB.map(p.grad), dout: dx,
                               inp: a.atty[l].ptr, weight: p.value(L.projW), n: n, c: c, oc: c)
            Attention.backward(dqkv: a.dqkv.ptr, scratch: a.dprobs.ptr, dout: a.datty.ptr, qkv: a.qkv[l].ptr,
                               probs: a.probs[l].ptr, b: b, t: t, c: c, h: h)
            Ops.linearBackward(dinp: a.dln.ptr, dweight: p.grad(L.qkvW), dbias: L.qkvB.map(p.grad), dout: a.dqkv.ptr,
                               inp: a.ln1[l].ptr, weight: p.value(L.qkvW), n: n, c: c, oc: 3 * c)
            normBackward(L.ln1, dinp: dx, dout: a.dln.ptr, inp: a.x[l].ptr, mean: a.ln1Mean[l].ptr, rstd: a.ln1Rstd[l].ptr, n: n)
        }
        // Positions and embeddings
        let dwpe = p.grad(wpe)
        for i in 0..<n {
            let pos = batch.positions.map { Int($0[i]) } ?? (i % t)
            Ops.accumulate(dwpe + pos * c, dx + i * c, count: c)
        }
        if config.continuousInput {
            batch.inputs!.withUnsafeBufferPointer { inp in
                Ops.linearBackward(dinp: nil, dweight: p.grad(embed), dbias: nil, dout: dx, inp: inp.baseAddress!,
                                   weight: p.value(embed), n: n, c: config.inputDim, oc: c)
            }
        } else {
            let dwte = p.grad(embed)
            batch.tokens!.withUnsafeBufferPointer { tok in
                for i in 0..<n { Ops.accumulate(dwte + Int(tok[i]) * c, dx + i * c, count: c) }
            }
        }
    }

    private func normForward(_ nm: Norm, out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                             rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int) {
        let p = parameters, c = config.dModel
        switch config.norm {
        case .layerNorm:
            Ops.layerNormForward(out: out, mean: mean, rstd: rstd, inp: inp, weight: p.value(nm.weight),
                                 bias: nm.bias.map(p.value), n: n, c: c)
        case .rmsNorm:
            Ops.rmsNormForward(out: out, rstd: rstd, inp: inp, weight: p.value(nm.weight), n: n, c: c)
        }
    }

    /// Accumulates into dinp.
    private func normBackward(_ nm: Norm, dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                              inp: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int) {
        let p = parameters, c = config.dModel
        switch config.norm {
        case .layerNorm:
            Ops.layerNormBackward(dinp: dinp, dweight: p.grad(nm.weight), dbias: nm.bias.map(p.grad), dout: dout,
                                  inp: inp, weight: p.value(nm.weight), mean: mean, rstd: rstd, n: n, c: c)
        case .rmsNorm:
            Ops.rmsNormBackward(dinp: dinp, dweight: p.grad(nm.weight), dout: dout, inp: inp, weight: p.value(nm.weight),
                                rstd: rstd, n: n, c: c)
        }
    }
}
