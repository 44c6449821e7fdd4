/// A single-layer LSTM with explicit backward through time (llm.c style).
///
/// Gate order i, f, g, o (as PyTorch); one fused gate matmul per step:
///   gates[B,4H] = x_t·W_ihᵀ + h_{t−1}·W_hhᵀ + b,
///   c_t = σ(f)⊙c_{t−1} + σ(i)⊙tanh(g),  h_t = σ(o)⊙tanh(c_t),  h_{−1} = c_{−1} = 0.
/// The input part x·W_ihᵀ + b is one big matmul over all B·T rows before the recurrence; only
/// h_{t−1}·W_hhᵀ runs per step. Rows are flattened as everywhere in the core (index = b·T + t),
/// so the rows of step t are strided by T: the per-step gemm uses leading dimensions T·4H / T·H.
///
/// Unlike PyTorch there is a single bias b (PyTorch's b_ih + b_hh is the same function with 4H
/// redundant parameters).
public enum LSTM {
    public typealias P = UnsafeMutablePointer<Float>
    public typealias CP = UnsafePointer<Float>

    /// Forward. Writes `out` h [N,H], and keeps for backward the post-activation `gates` [N,4H]
    /// (σ(i), σ(f), tanh(g), σ(o)), the cells `cells` c [N,H] and `tanhCells` tanh(c) [N,H].
    /// `inp` is [N,C] with N = B·T; W_ih is [4H,C], W_hh is [4H,H], b is [4H].
    public static func forward(out: P, gates: P, cells: P, tanhCells: P, inp: CP, wih: CP, whh: CP, bias: CP,
                               b: Int, t: Int, c: Int, h: Int) {
        let n = b * t, g4 = 4 * h
        Ops.linearForward(out: gates, inp: inp, weight: wih, bias: bias, n: n, c: c, oc: g4)
        for s in 0..<t {
            if s > 0 {
                // gates[:, s] += h[:, s−1]·W_hhᵀ (rows of one step are T apart)
                Ops.gemm(transA: false, transB: true, m: b, n: g4, k: h, a: out + (s - 1) * h, lda: t * h,
                         b: whh, ldb: h, beta: 1, c: gates + s * g4, ldc: t * g4)
            }
            for r in 0..<b {
                let row = r * t + s
                let gr = gates + row * g4
                sigmoid(gr, count: 2 * h)           // i, f
                tanh(gr + 2 * h, count: h)          // g
                sigmoid(gr + 3 * h, count: h)       // o
                let cr = cells + row * h, tc = tanhCells + row * h, hr = out + row * h
                if s > 0 {
                    let cp = cells + (row - 1) * h
                    for j in 0..<h { cr[j] = gr[h + j] * cp[j] + gr[j] * gr[2 * h + j] }
                } else {
                    for j in 0..<h { cr[j] = gr[j] * gr[2 * h + j] }
                }
                tc.update(from: cr, count: h)
                tanh(tc, count: h)
                for j in 0..<h { hr[j] = gr[3 * h + j] * tc[j] }
            }
        }
    }

    /// Backward through time. `dout` is dL/dh [N,H] from above and is overwritten (it becomes the
    /// total dL/dh_t including the recurrent path). `dgates` [N,4H] and `dcell` [B,H] are scratch.
    /// Accumulates into dW_ih, dW_hh, db; writes (or, with `accumulate`, adds to) `dinp` [N,C].
    public static func backward(dinp: P?, dwih: P, dwhh: P, dbias: P, dout: P, dgates: P, dcell: P,
                                inp: CP, out: CP, gates: CP, cells: CP, tanhCells: CP, wih: CP, whh: CP,
                                b: Int, t: Int, c: Int, h: Int, accumulate: Bool = false) {
        let n = b * t, g4 = 4 * h
        dcell.update(repeating: 0, count: b * h)
        for s in stride(from: t - 1, through: 0, by: -1) {
            for r in 0..<b {
                let row = r * t + s
                let gr = gates + row * g4, dg = dgates + row * g4
                let dh = dout + row * h, tc = tanhCells + row * h, dc = dcell + r * h
                let cp = cells + max(row - 1, 0) * h  // read only when s > 0 (c_{−1} = 0)
                for j in 0..<h {
                    let i = gr[j], f = gr[h + j], g = gr[2 * h + j], o = gr[3 * h + j]
                    let dct = dc[j] + dh[j] * o * (1 - tc[j] * tc[j])
                    dg[j] = dct * g * i * (1 - i)
                    dg[h + j] = s > 0 ? dct * cp[j] * f * (1 - f) : 0
                    dg[2 * h + j] = dct * i * (1 - g * g)
                    dg[3 * h + j] = dh[j] * tc[j] * o * (1 - o)
                    dc[j] = dct * f
                }
            }
            if s > 0 {
                // dh[:, s−1] += dgates[:, s]·W_hh
                Ops.gemm(transA: false, transB: false, m: b, n: h, k: g4, a: dgates + s * g4, lda: t * g4,
                         b: whh, ldb: h, beta: 1, c: dout + (s - 1) * h, ldc: t * h)
            }
        }
        // dW_hh += Σ_{s≥1} dgates_sᵀ·h_{s−1}: per batch row, steps 1… against outputs 0…T−2 (contiguous).
        if t > 1 {
            for r in 0..<b {
                Ops.gemm(transA: true, transB: false, m: g4, n: h, k: t - 1, a: dgates + (r * t + 1) * g4, lda: g4,
                         b: out + r * t * h, ldb: h, beta: 1, c: dwhh, ldc: h)
            }
        }
        Ops.linearBackward(dinp: dinp, dweight: dwih, dbias: dbias, dout: dgates, inp: inp, weight: wih,
                           n: n, c: c, oc: g4, accumulate: accumulate)
    }

    // MARK: vector activations (FastMath on 8 lanes, scalar tail)

    /// x ← 1/(1+e^{−x}) in place.
    @inline(__always) static func sigmoid(_ x: P, count: Int) {
        typealias V = FastMath.V
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(x + i).storeBytes(of: 1 / (1 + FastMath.exp(-v)), as: V.self)
            i += 8
        }
        while i < count { x[i] = 1 / (1 + FastMath.exp(-x[i])); i += 1 }
    }

    /// x ← tanh(x) in place.
    @inline(__always) static func tanh(_ x: P, count: Int) {
        typealias V = FastMath.V
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(x + i).storeBytes(of: FastMath.tanh(v), as: V.self)
            i += 8
        }
        while i < count { x[i] = FastMath.tanh(V(repeating: x[i]))[0]; i += 1 }
    }

    // MARK: initialisation

    /// Fills W_hh [4H,H] with one random orthogonal H×H block per gate (Gram–Schmidt on Gaussian
    /// rows, in Double): each gate's recurrent map then preserves the norm of h at init, which
    /// keeps the signal from exploding or vanishing through time (the "orthogonal" half of the
    /// usual Xavier/orthogonal LSTM recipe).
    public static func orthogonalInit(_ whh: P, h: Int, rng: RandomStream) {
        for gate in 0..<4 {
            var r = rng.child(gate)
            var m = (0..<(h * h)).map { _ in r.normalDouble() }
            for i in 0..<h {
                for k in 0..<i {
                    var d = 0.0
                    for j in 0..<h { d += m[i * h + j] * m[k * h + j] }
                    for j in 0..<h { m[i * h + j] -= d * m[k * h + j] }
                }
                var s = 0.0
                for j in 0..<h { s += m[i * h + j] * m[i * h + j] }
                let inv = 1 / s.squareRoot()
                for j in 0..<h { m[i * h + j] *= inv }
            }
            let base = whh + gate * h * h
            for i in 0..<(h * h) { base[i] = Float(m[i]) }
        }
    }
}
