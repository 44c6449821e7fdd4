import Foundation

/// AdamW with decoupled weight decay on matrices only and global-norm gradient clipping,
/// numerically the same update as `torch.optim.AdamW` + `clip_grad_norm_`.
public final class AdamW {
    public struct Config: Codable, Hashable, Sendable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.95
        public var eps: Float = 1e-8
        public var weightDecay: Float = 0.1
        /// Max global gradient norm; nil = no clipping.
        public var clip: Float? = 1.0
        public init(beta1: Float = 0.9, beta2: Float = 0.95, eps: Float = 1e-8, weightDecay: Float = 0.1, clip: Float? = 1.0) {
            self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay; self.clip = clip
        }
    }

    public let config: Config
    public let parameters: ParameterSet
    public private(set) var m: FloatBuffer
    public private(set) var v: FloatBuffer
    /// Number of updates since the last reset (bias correction uses it).
    public private(set) var t: Int = 0
    private let decayMask: [Bool]

    public init(_ parameters: ParameterSet, config: Config = Config()) {
        self.parameters = parameters
        self.config = config
        m = FloatBuffer(parameters.count)
        v = FloatBuffer(parameters.count)
        decayMask = parameters.entries.map(\.decays)
    }

    /// Forget the moments and the step count (the "reset at the switch" of continual pre-training).
    public func reset() {
        m.zero(); v.zero(); t = 0
    }

    /// Global L2 norm of the gradients (accumulated in Double for a stable value).
    public func gradNorm() -> Float {
        let g = parameters.grads.ptr
        var s: Double = 0
        for i in 0..<parameters.count { s += Double(g[i]) * Double(g[i]) }
        return Float(s.squareRoot())
    }

    /// Clip, then apply one update at learning rate `lr`. Returns the pre-clip gradient norm.
    @discardableResult
    public func step(lr: Float) -> Float {
        let norm = gradNorm()
        let g = parameters.grads.ptr
        let count = parameters.count
        if let clip = config.clip {
            let coef = clip / (norm + 1e-6)
            if coef < 1 { Parallel.chunks(count, minChunk: 1 << 13) { r, _ in for i in r { g[i] *= coef } } }
        }
        t += 1
        let b1 = config.beta1, b2 = config.beta2
        let bc1 = 1 - Float(pow(Double(b1), Double(t)))
        let bc2 = 1 - Float(pow(Double(b2), Double(t)))
        let stepSize = lr / bc1
        let bc2Sqrt = bc2.squareRoot()
        let mp = m.ptr, vp = v.ptr, w = parameters.values.ptr, eps = config.eps
        // Elementwise, so splitting a tensor over the workers leaves every bit as it is.
        for (k, e) in parameters.entries.enumerated() {
            let decay: Float = decayMask[k] ? 1 - lr * config.weightDecay : 1
            Parallel.chunks(e.count, minChunk: 1 << 13) { r, _ in
                for i in (e.offset + r.lowerBound)..<(e.offset + r.upperBound) {
                    w[i] *= decay
                    let gi = g[i]
                    mp[i] = b1 * mp[i] + (1 - b1) * gi
                    vp[i] = b2 * vp[i] + (1 - b2) * gi * gi
                    let denom = vp[i].squareRoot() / bc2Sqrt + eps
                    w[i] -= stepSize * mp[i] / denom
                }
            }
        }
        return norm
    }

    /// State for checkpoints.
    public func load(m mv: [Float], v vv: [Float], t: Int) {
        precondition(mv.count == parameters.count && vv.count == parameters.count, "optimizer state size mismatch")
        m = FloatBuffer(mv); v = FloatBuffer(vv); self.t = t
    }
}
