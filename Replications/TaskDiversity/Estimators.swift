import Foundation
import LMCore

/// The two Bayes-optimal predictors of the paper, in closed form, position by position.
/// Predictions are n × K: the k-th sees (x_1, y_1, …, x_{k−1}, y_{k−1}, x_k).
public enum Estimators {
    /// Ridge regression on the first k−1 pairs with λ = σ²/τ² (posterior mean under the
    /// Gaussian prior: optimal for fresh tasks). ŷ_1 = 0. A D×D Cholesky solve per position.
    public static func ridge(_ set: RegressionSet) -> [Double] {
        let d = set.task.dims, k = set.task.points, lambda = set.task.ridgeLambda
        var out = [Double](repeating: 0, count: set.count * k)
        var a = [Double](repeating: 0, count: d * d), b = [Double](repeating: 0, count: d)
        var l = [Double](repeating: 0, count: d * d), z = [Double](repeating: 0, count: d), w = [Double](repeating: 0, count: d)
        for s in 0..<set.count {
            for i in 0..<(d * d) { a[i] = 0 }
            for i in 0..<d { a[i * d + i] = lambda; b[i] = 0 }
            for p in 0..<k {
                let xo = (s * k + p) * d
                if p > 0 {
                    // Cholesky A = L Lᵀ, then L z = b, Lᵀ w = z
                    for i in 0..<d {
                        for j in 0...i {
                            var sum = a[i * d + j]
                            for m in 0..<j { sum -= l[i * d + m] * l[j * d + m] }
                            l[i * d + j] = i == j ? sum.squareRoot() : sum / l[j * d + j]
                        }
                    }
                    for i in 0..<d {
                        var sum = b[i]
                        for m in 0..<i { sum -= l[i * d + m] * z[m] }
                        z[i] = sum / l[i * d + i]
                    }
                    for i in stride(from: d - 1, through: 0, by: -1) {
                        var sum = z[i]
                        for m in (i + 1)..<d { sum -= l[m * d + i] * w[m] }
                        w[i] = sum / l[i * d + i]
                    }
                    var pred = 0.0
                    for j in 0..<d { pred += w[j] * Double(set.x[xo + j]) }
                    out[s * k + p] = pred
                }
                let yv = Double(set.y[s * k + p])
                for i in 0..<d {
                    let xi = Double(set.x[xo + i])
                    b[i] += xi * yv
                    for j in 0..<d { a[i * d + j] += xi * Double(set.x[xo + j]) }
                }
            }
        }
        return out
    }

    /// The discrete MMSE estimator: posterior mean over the M pool tasks under the Gaussian
    /// likelihood, ŵ_k = Σ_i softmax_i(α)·w_i with α_i = −Σ_{j<k}(y_j − w_iᵀx_j)²/(2σ²).
    /// ŷ_1 uses the pool mean. The pool projections for a block of sequences are one sgemm.
    public static func dmmse(_ set: RegressionSet, pool: TaskPool) -> [Double] {
        let d = set.task.dims, k = set.task.points, m = pool.count
        let inv2s2 = 1 / (2 * set.task.noiseVariance)
        var out = [Double](repeating: 0, count: set.count * k)
        let block = max(1, min(set.count, (1 << 22) / max(1, k * m)))
        var proj = [Float](repeating: 0, count: block * k * m)      // (seq, pos) × task: w_iᵀx
        var alpha = [Float](repeating: 0, count: m)
        let inv2s2f = Float(inv2s2)
        set.x.withUnsafeBufferPointer { xs in
            pool.tasks.withUnsafeBufferPointer { ws in
                proj.withUnsafeMutableBufferPointer { pr in
                    alpha.withUnsafeMutableBufferPointer { al in
                        var start = 0
                        while start < set.count {
                            let n = min(block, set.count - start)
                            Ops.gemm(transA: false, transB: true, m: n * k, n: m, k: d, a: xs.baseAddress! + start * k * d, lda: d,
                                     b: ws.baseAddress!, ldb: d, beta: 0, c: pr.baseAddress!, ldc: m)
                            for s in 0..<n {
                                al.update(repeating: 0)
                                var maxAlpha: Float = 0
                                for p in 0..<k {
                                    let row = pr.baseAddress! + (s * k + p) * m
                                    let y = set.y[(start + s) * k + p]
                                    out[(start + s) * k + p] = posteriorMeanAndUpdate(alpha: al.baseAddress!, projections: row, m: m,
                                                                                      y: y, inv2s2: inv2s2f, maxAlpha: &maxAlpha)
                                }
                            }
                            start += n
                        }
                    }
                }
            }
        }
        return out
    }

    /// Σ_i softmax(α)_i·p_i (the posterior-mean prediction), then α_i −= (y − p_i)²/(2σ²).
    /// Eight lanes at a time with the core's vector exp; sums are carried in Double.
    /// `maxAlpha` is max_i α_i on entry and is updated to the new maximum in the same pass.
    /// Once the posterior has concentrated, most lanes lie below exp's clamp, where exp is one
    /// constant: those blocks skip the polynomial, which leaves every bit of the result unchanged.
    @inline(__always)
    static func posteriorMeanAndUpdate(alpha: UnsafeMutablePointer<Float>, projections row: UnsafeMutablePointer<Float>,
                                       m: Int, y: Float, inv2s2: Float, maxAlpha: inout Float) -> Double {
        typealias V = SIMD8<Float>
        let mx = maxAlpha
        var z = 0.0, pred = 0.0
        var i = 0
        let shift = V(repeating: mx), yv = V(repeating: y), c = V(repeating: inv2s2)
        let floor = V(repeating: FastMath.expClampLow), expAtFloor = FastMath.exp(floor)
        var newMax = V(repeating: -.infinity)
        while i + 8 <= m {
            let a = UnsafeRawPointer(alpha + i).loadUnaligned(as: V.self)
            let p = UnsafeRawPointer(row + i).loadUnaligned(as: V.self)
            let x = a - shift
            let e = all(x .< floor) ? expAtFloor : FastMath.exp(x)
            z += Double(e.sum())
            pred += Double((e * p).sum())
            let r = yv - p
            let updated = a - r * r * c
            newMax.replace(with: updated, where: updated .> newMax)
            UnsafeMutableRawPointer(alpha + i).storeBytes(of: updated, as: V.self)
            i += 8
        }
        var mxNext = newMax.max()
        while i < m {
            let e = FastMath.exp(alpha[i] - mx)
            z += Double(e)
            pred += Double(e * row[i])
            let r = y - row[i]
            alpha[i] -= r * r * inv2s2
            mxNext = max(mxNext, alpha[i])
            i += 1
        }
        maxAlpha = mxNext
        return pred / z
    }

    /// (1/(K·D))·mean over sequences of Σ_k (a − b)²: the paper's Δ (Eq. 4), and, with b the
    /// noiseless target, its "MSE/D vs True" error.
    public static func delta(_ a: [Double], _ b: [Double], points k: Int, dims d: Int) -> Double {
        precondition(a.count == b.count)
        var s = 0.0
        for i in 0..<a.count { let e = a[i] - b[i]; s += e * e }
        return s / Double(a.count) / Double(d)
    }

    /// Per-position mean squared error / D (for the per-position curves).
    public static func perPosition(_ a: [Double], _ b: [Double], points k: Int, dims d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: k)
        let n = a.count / k
        for s in 0..<n { for p in 0..<k { let e = a[s * k + p] - b[s * k + p]; out[p] += e * e } }
        return out.map { $0 / Double(n) / Double(d) }
    }

    /// 3 standard errors of the mean of per-sequence paired differences of squared errors:
    /// the Monte-Carlo error of "A is no worse than B" on the same sequences.
    public static func pairedMCError(_ a: [Double], _ b: [Double], target: [Double], points k: Int, dims d: Int) -> Double {
        let n = a.count / k
        var diffs = [Double](repeating: 0, count: n)
        for s in 0..<n {
            var v = 0.0
            for p in 0..<k {
                let ea = a[s * k + p] - target[s * k + p], eb = b[s * k + p] - target[s * k + p]
                v += ea * ea - eb * eb
            }
            diffs[s] = v / Double(k * d)
        }
        let mean = diffs.reduce(0, +) / Double(n)
        let variance = diffs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(n - 1, 1))
        return 3 * (variance / Double(n)).squareRoot()
    }
}
