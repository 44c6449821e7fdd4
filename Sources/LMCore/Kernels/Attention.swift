/// Causal multi-head softmax attention over a packed qkv tensor, with an optional per-document
/// mask (position i sees j iff j ≤ i and, when documents are given, doc[j] == doc[i]).
///
/// qkv is [B,T,3C] (q | k | v, heads as contiguous hd-wide column blocks); each (batch, head)
/// pair is two strided sgemms. The probabilities [B,H,T,T] are kept: backward needs them, and
/// they are the model's inspectable attention weights.
public enum Attention {
    public typealias P = UnsafeMutablePointer<Float>
    public typealias CP = UnsafePointer<Float>

    public static func forward(out: P, probs: P, qkv: CP, documents: UnsafePointer<Int32>?,
                               b batch: Int, t: Int, c: Int, h heads: Int) {
        let hd = c / heads
        let scale = 1 / Float(hd).squareRoot()
        let c3 = 3 * c
        for b in 0..<batch {
            let doc = documents.map { $0 + b * t }
            for h in 0..<heads {
                let q = qkv + b * t * c3 + h * hd
                let k = q + c, v = q + 2 * c
                let s = probs + (b * heads + h) * t * t
                Ops.gemm(transA: false, transB: true, m: t, n: t, k: hd, alpha: scale, a: q, lda: c3, b: k, ldb: c3,
                         beta: 0, c: s, ldc: t)
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
                        let sum = FastMath.expShiftSum(row, row, i + 1, shift: mx)
                        let inv = 1 / sum
                        for j in 0...i { row[j] *= inv }
                    }
                    if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
                }
                Ops.gemm(transA: false, transB: false, m: t, n: hd, k: t, a: s, lda: t, b: v, ldb: c3,
                         beta: 0, c: out + b * t * c + h * hd, ldc: c)
            }
        }
    }

    /// Writes dqkv (overwrites). `scratch` needs t·t floats.
    public static func backward(dqkv: P, scratch: P, dout: CP, qkv: CP, probs: CP,
                                b batch: Int, t: Int, c: Int, h heads: Int) {
        let hd = c / heads
        let scale = 1 / Float(hd).squareRoot()
        let c3 = 3 * c
        let dp = scratch
        for b in 0..<batch {
            for h in 0..<heads {
                let q = qkv + b * t * c3 + h * hd
                let k = q + c, v = q + 2 * c
                let dq = dqkv + b * t * c3 + h * hd
                let dk = dq + c, dv = dq + 2 * c
                let dy = dout + b * t * c + h * hd
                let p = probs + (b * heads + h) * t * t
                // dP = dY·Vᵀ ; dV = Pᵀ·dY
                Ops.gemm(transA: false, transB: true, m: t, n: t, k: hd, a: dy, lda: c, b: v, ldb: c3, beta: 0, c: dp, ldc: t)
                Ops.gemm(transA: true, transB: false, m: t, n: hd, k: t, a: p, lda: t, b: dy, ldb: c, beta: 0, c: dv, ldc: c3)
                // softmax backward: dS = P ⊙ (dP − rowsum(P ⊙ dP))
                for i in 0..<t {
                    let pr = p + i * t, dr = dp + i * t
                    var dot: Float = 0
                    for j in 0...i { dot += pr[j] * dr[j] }
                    for j in 0...i { dr[j] = pr[j] * (dr[j] - dot) }
                    if i + 1 < t { (dr + i + 1).update(repeating: 0, count: t - i - 1) }
                }
                // dQ = scale·dS·K ; dK = scale·dSᵀ·Q
                Ops.gemm(transA: false, transB: false, m: t, n: hd, k: t, alpha: scale, a: dp, lda: t, b: k, ldb: c3,
                         beta: 0, c: dq, ldc: c3)
                Ops.gemm(transA: true, transB: false, m: t, n: hd, k: t, alpha: scale, a: dp, lda: t, b: q, ldb: c3,
                         beta: 0, c: dk, ldc: c3)
            }
        }
    }
}
