/// Causal multi-head softmax attention over a packed qkv tensor, with an optional per-document
/// mask (position i sees j iff j ≤ i and, when documents are given, doc[j] == doc[i]).
///
/// qkv is [B,T,3C] (q | k | v, heads as contiguous hd-wide column blocks); each (batch, head)
/// pair is a few strided single-threaded sgemms, and the pairs are spread over the workers. The
/// probabilities [B,H,T,T] are kept: backward needs them, and they are the model's inspectable
/// attention weights.
public enum Attention {
    public typealias P = UnsafeMutablePointer<Float>
    public typealias CP = UnsafePointer<Float>

    public static func forward(out: P, probs: P, qkv: CP, documents: UnsafePointer<Int32>?,
                               b batch: Int, t: Int, c: Int, h heads: Int) {
        Parallel.chunks(batch * heads) { range, _ in
            for bh in range {
                forwardOne(out: out, probs: probs, qkv: qkv, documents: documents, bh: bh, t: t, c: c, heads: heads)
            }
        }
    }

    static func forwardOne(out: P, probs: P, qkv: CP, documents: UnsafePointer<Int32>?, bh: Int, t: Int, c: Int, heads: Int) {
        let b = bh / heads, h = bh % heads
        let hd = c / heads, c3 = 3 * c
        let scale = 1 / Float(hd).squareRoot()
        let q = qkv + b * t * c3 + h * hd
        let k = q + c, v = q + 2 * c
        let s = probs + bh * t * t
        Ops.gemmSerial(transA: false, transB: true, m: t, n: t, k: hd, alpha: scale, a: q, lda: c3, b: k, ldb: c3, beta: 0, c: s, ldc: t)
        let doc = documents.map { $0 + b * t }
        for i in 0..<t {
            let row = s + i * t
            if let doc {
                let di = doc[i]
                var mx = -Float.infinity
                for j in 0...i where doc[j] == di { mx = max(mx, row[j]) }
                var sum: Float = 0
                for j in 0...i {
                    if doc[j] == di { let e = FastMath.exp(row[j] - mx); row[j] = e; sum += e } else { row[j] = 0 }
                }
                let inv = 1 / sum
                for j in 0...i { row[j] *= inv }
            } else {
                var mx = -Float.infinity
                for j in 0...i { mx = max(mx, row[j]) }
                let inv = 1 / FastMath.expShiftSum(row, row, i + 1, shift: mx)
                for j in 0...i { row[j] *= inv }
            }
            if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
        }
        Ops.gemmSerial(transA: false, transB: false, m: t, n: hd, k: t, a: s, lda: t, b: v, ldb: c3,
                 beta: 0, c: out + b * t * c + h * hd, ldc: c)
    }

    /// Writes dqkv (overwrites). `scratch` needs `Parallel.workers`·t·t floats.
    public static func backward(dqkv: P, scratch: P, dout: CP, qkv: CP, probs: CP,
                                b batch: Int, t: Int, c: Int, h heads: Int) {
        Parallel.chunks(batch * heads) { range, worker in
            for bh in range {
                backwardOne(dqkv: dqkv, dp: scratch + worker * t * t, dout: dout, qkv: qkv, probs: probs,
                            bh: bh, t: t, c: c, heads: heads)
            }
        }
    }

    static func backwardOne(dqkv: P, dp: P, dout: CP, qkv: CP, probs: CP, bh: Int, t: Int, c: Int, heads: Int) {
        let b = bh / heads, h = bh % heads
        let hd = c / heads, c3 = 3 * c
        let scale = 1 / Float(hd).squareRoot()
        let q = qkv + b * t * c3 + h * hd
        let k = q + c, v = q + 2 * c
        let dq = dqkv + b * t * c3 + h * hd
        let dk = dq + c, dv = dq + 2 * c
        let dy = dout + b * t * c + h * hd
        let p = probs + bh * t * t
        // dP = dY·Vᵀ ; dV = Pᵀ·dY
        Ops.gemmSerial(transA: false, transB: true, m: t, n: t, k: hd, a: dy, lda: c, b: v, ldb: c3, beta: 0, c: dp, ldc: t)
        Ops.gemmSerial(transA: true, transB: false, m: t, n: hd, k: t, a: p, lda: t, b: dy, ldb: c, beta: 0, c: dv, ldc: c3)
        // softmax backward: dS = P ⊙ (dP − rowsum(P ⊙ dP))
        for i in 0..<t {
            let pr = p + i * t, dr = dp + i * t
            var dot: Float = 0
            for j in 0...i { dot += pr[j] * dr[j] }
            for j in 0...i { dr[j] = pr[j] * (dr[j] - dot) }
            if i + 1 < t { (dr + i + 1).update(repeating: 0, count: t - i - 1) }
        }
        // dQ = scale·dS·K ; dK = scale·dSᵀ·Q
        Ops.gemmSerial(transA: false, transB: false, m: t, n: hd, k: t, alpha: scale, a: dp, lda: t, b: k, ldb: c3, beta: 0, c: dq, ldc: c3)
        Ops.gemmSerial(transA: true, transB: false, m: t, n: hd, k: t, alpha: scale, a: dp, lda: t, b: q, ldb: c3, beta: 0, c: dk, ldc: c3)
    }
}
