import COpenBLAS

/// The kernels of the core, each with an explicit backward (llm.c style).
///
/// Conventions: row-major; a linear layer's weight is [out, in] (as PyTorch); backward functions
/// *accumulate* into parameter gradients (so shared weights such as tied embeddings just work)
/// and write or accumulate input gradients as their `accumulate` flag says.
public enum Ops {
    public typealias P = UnsafeMutablePointer<Float>
    public typealias CP = UnsafePointer<Float>

    // MARK: matmul (cblas_sgemm)

    /// C[m,n] = alpha·op(A)·op(B) + beta·C with explicit leading dimensions, on the calling thread.
    @inline(__always)
    public static func gemmSerial(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                                  a: CP, lda: Int, b: CP, ldb: Int, beta: Float, c: P, ldc: Int) {
        _ = BLAS.singleThreaded
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The same, with the rows of C split over the workers when the product is large enough.
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: CP, lda: Int, b: CP, ldb: Int, beta: Float, c: P, ldc: Int) {
        if Parallel.workers <= 1 || m * n * k < 1 << 18 || m < 16 {
            gemmSerial(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                       beta: beta, c: c, ldc: ldc)
            return
        }
        Parallel.chunks(m, minChunk: 8) { rows, _ in
            // Rows of op(A): A's rows (no transpose) or A's columns (transpose).
            let aStart = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
            gemmSerial(transA: transA, transB: transB, m: rows.count, n: n, k: k, alpha: alpha, a: aStart, lda: lda,
                       b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
        }
    }

    /// out[N,OC] = inp[N,C]·Wᵀ + b, W is [OC,C].
    public static func linearForward(out: P, inp: CP, weight: CP, bias: CP?, n: Int, c: Int, oc: Int) {
        gemm(transA: false, transB: true, m: n, n: oc, k: c, a: inp, lda: c, b: weight, ldb: c, beta: 0, c: out, ldc: oc)
        if let bias {
            Parallel.chunks(n, minChunk: 64) { rows, _ in
                for i in rows {
                    let o = out + i * oc
                    for j in 0..<oc { o[j] += bias[j] }
                }
            }
        }
    }

    /// dW += doutᵀ·inp, db += Σ_rows dout, dinp (+)= dout·W.
    public static func linearBackward(dinp: P?, dweight: P, dbias: P?, dout: CP, inp: CP, weight: CP,
                                      n: Int, c: Int, oc: Int, accumulate: Bool = false) {
        if let dinp {
            gemm(transA: false, transB: false, m: n, n: c, k: oc, a: dout, lda: oc, b: weight, ldb: c,
                 beta: accumulate ? 1 : 0, c: dinp, ldc: c)
        }
        weightGradient(dweight: dweight, dout: dout, inp: inp, n: n, c: c, oc: oc)
        if let dbias {
            sumRows(into: dbias, dout, n: n, width: oc)
        }
    }

    /// dW[OC,C] += doutᵀ·inp, split over the rows (k = N) rather than over dW's rows: each worker
    /// packs only its own slice of both operands. Worker 0 accumulates into dW, the others into
    /// scratch that is then added in worker order (deterministic for a fixed worker count).
    static func weightGradient(dweight: P, dout: CP, inp: CP, n: Int, c: Int, oc: Int) {
        let workers = Parallel.workers
        if workers <= 1 || n * c * oc < 1 << 18 || n < 64 {
            gemmSerial(transA: true, transB: false, m: oc, n: c, k: n, a: dout, lda: oc, b: inp, ldb: c, beta: 1, c: dweight, ldc: c)
            return
        }
        let scratch = ScratchPool.shared.acquire((workers - 1) * oc * c)
        defer { ScratchPool.shared.release(scratch) }
        Parallel.chunks(n, minChunk: 32) { rows, w in
            let target = w == 0 ? dweight : scratch.ptr + (w - 1) * oc * c
            gemmSerial(transA: true, transB: false, m: oc, n: c, k: rows.count, a: dout + rows.lowerBound * oc, lda: oc,
                       b: inp + rows.lowerBound * c, ldb: c, beta: w == 0 ? 1 : 0, c: target, ldc: c)
        }
        let used = min(workers, max(1, n / 32))
        for w in 1..<used { accumulate(dweight, scratch.ptr + (w - 1) * oc * c, count: oc * c) }
    }

    // MARK: normalisation

    /// LayerNorm over the last dimension (eps 1e-5); saves mean and 1/σ per row for backward.
    public static func layerNormForward(out: P, mean: P, rstd: P, inp: CP, weight: CP, bias: CP?, n: Int, c: Int) {
        let eps: Float = 1e-5
        Parallel.chunks(n, minChunk: 32) { rows, _ in
        for i in rows {
            let x = inp + i * c
            var m: Float = 0
            for j in 0..<c { m += x[j] }
            m /= Float(c)
            var v: Float = 0
            for j in 0..<c { let d = x[j] - m; v += d * d }
            v /= Float(c)
            let s = 1 / (v + eps).squareRoot()
            let o = out + i * c
            if let bias {
                for j in 0..<c { o[j] = (x[j] - m) * s * weight[j] + bias[j] }
            } else {
                for j in 0..<c { o[j] = (x[j] - m) * s * weight[j] }
            }
            mean[i] = m
            rstd[i] = s
        }
        }
    }

    /// Accumulates into dinp, dweight, dbias. Each worker sums its rows' parameter gradients
    /// separately; the partial sums are then added in worker order (deterministic).
    public static func layerNormBackward(dinp: P, dweight: P, dbias: P?, dout: CP, inp: CP, weight: CP,
                                         mean: CP, rstd: CP, n: Int, c: Int) {
        let parts = Scratch.partials(count: 2 * c)
        Parallel.chunks(n, minChunk: 32) { rows, w in
            let dw = parts.ptr(w), db = dw + c
            for i in rows {
                let x = inp + i * c, d = dout + i * c, di = dinp + i * c
                let m = mean[i], s = rstd[i]
                var dnormMean: Float = 0, dnormNormMean: Float = 0
                for j in 0..<c {
                    let norm = (x[j] - m) * s
                    let dn = weight[j] * d[j]
                    dnormMean += dn
                    dnormNormMean += dn * norm
                }
                dnormMean /= Float(c)
                dnormNormMean /= Float(c)
                for j in 0..<c {
                    let norm = (x[j] - m) * s
                    let dn = weight[j] * d[j]
                    db[j] += d[j]
                    dw[j] += norm * d[j]
                    di[j] += (dn - dnormMean - norm * dnormNormMean) * s
                }
            }
        }
        parts.reduce { w in
            accumulate(dweight, w, count: c)
            if let dbias { accumulate(dbias, w + c, count: c) }
        }
    }

    /// RMSNorm: y = x / sqrt(mean(x²) + eps) · w; saves 1/rms per row.
    public static func rmsNormForward(out: P, rstd: P, inp: CP, weight: CP, n: Int, c: Int) {
        let eps: Float = 1e-5
        Parallel.chunks(n, minChunk: 32) { rows, _ in
            for i in rows {
                let x = inp + i * c
                var ss: Float = 0
                for j in 0..<c { ss += x[j] * x[j] }
                let s = 1 / (ss / Float(c) + eps).squareRoot()
                let o = out + i * c
                for j in 0..<c { o[j] = x[j] * s * weight[j] }
                rstd[i] = s
            }
        }
    }

    public static func rmsNormBackward(dinp: P, dweight: P, dout: CP, inp: CP, weight: CP, rstd: CP, n: Int, c: Int) {
        let parts = Scratch.partials(count: c)
        Parallel.chunks(n, minChunk: 32) { rows, w in
            let dw = parts.ptr(w)
            for i in rows {
                let x = inp + i * c, d = dout + i * c, di = dinp + i * c
                let s = rstd[i]
                var dot: Float = 0
                for j in 0..<c { dot += weight[j] * d[j] * x[j] }
                let k = dot * s * s * s / Float(c)
                for j in 0..<c {
                    dw[j] += x[j] * s * d[j]
                    di[j] += weight[j] * d[j] * s - x[j] * k
                }
            }
        }
        parts.reduce { accumulate(dweight, $0, count: c) }
    }

    // MARK: GELU (tanh approximation, as GPT-2)

    static let geluA: Float = 0.797_884_56  // sqrt(2/π)
    static let geluB: Float = 0.044_715

    /// out = gelu(inp); with `derivative`, also gelu'(inp), so backward is one multiply and the
    /// tanh is computed once. `derivative` may alias `inp` (the pre-activation is not needed later).
    public static func geluForward(out: P, derivative: P?, inp: CP, count: Int) {
        Parallel.chunks(count / 8, minChunk: 512) { r, _ in
            let lo = r.lowerBound * 8, hi = r.upperBound == count / 8 ? count : r.upperBound * 8
            geluSerial(out: out + lo, derivative: derivative.map { $0 + lo }, inp: inp + lo, count: hi - lo)
        }
        if count < 8 { geluSerial(out: out, derivative: derivative, inp: inp, count: count) }
    }

    static func geluSerial(out: P, derivative: P?, inp: CP, count: Int) {
        typealias V = FastMath.V
        @inline(__always) func both(_ x: V) -> (V, V) {
            let x2 = x * x
            let t = FastMath.tanh(geluA * (x + geluB * x2 * x))
            let y = 0.5 * x * (1 + t)
            let half: V = 0.5 * (1 + t)
            let du: V = geluA * (1 + 3 * geluB * x2)
            let sech2: V = 1 - t * t
            let g: V = half + 0.5 * x * sech2 * du
            return (y, g)
        }
        var i = 0
        while i + 8 <= count {
            let (y, g) = both(UnsafeRawPointer(inp + i).loadUnaligned(as: V.self))
            UnsafeMutableRawPointer(out + i).storeBytes(of: y, as: V.self)
            if let derivative { UnsafeMutableRawPointer(derivative + i).storeBytes(of: g, as: V.self) }
            i += 8
        }
        while i < count {
            let (y, g) = both(V(repeating: inp[i]))
            out[i] = y[0]
            derivative?[i] = g[0]
            i += 1
        }
    }

    /// dinp = dout · gelu'(x), from the derivative saved by the forward pass (dinp may alias dout).
    public static func geluBackward(dinp: P, derivative: CP, dout: CP, count: Int) {
        Parallel.chunks(count, minChunk: 1 << 13) { r, _ in
            for i in r { dinp[i] = dout[i] * derivative[i] }
        }
    }

    // MARK: elementwise

    /// out = a + b
    public static func add(out: P, _ a: CP, _ b: CP, count: Int) {
        for i in 0..<count { out[i] = a[i] + b[i] }
    }

    /// y += x
    public static func accumulate(_ y: P, _ x: CP, count: Int) {
        if count < 1 << 14 {
            for i in 0..<count { y[i] += x[i] }
            return
        }
        Parallel.chunks(count, minChunk: 1 << 13) { r, _ in
            for i in r { y[i] += x[i] }
        }
    }

    /// sums[j] += Σ_i m[i, j] (bias gradients), with per-worker partial sums.
    public static func sumRows(into sums: P, _ m: CP, n: Int, width: Int) {
        let parts = Scratch.partials(count: width)
        Parallel.chunks(n, minChunk: 64) { rows, w in
            let acc = parts.ptr(w)
            for i in rows {
                let r = m + i * width
                for j in 0..<width { acc[j] += r[j] }
            }
        }
        parts.reduce { accumulate(sums, $0, count: width) }
    }

    // MARK: losses

    /// Weighted softmax cross-entropy over rows of logits[N,V].
    ///
    /// loss = Σ_i w_i·CE_i / Σ_i w_i. Writes dlogits (already scaled by w_i/Σw), the per-row CE
    /// (0 where w = 0; such rows are skipped entirely) and, optionally, the probabilities.
    @discardableResult
    public static func crossEntropyForwardBackward(logits: CP, targets: UnsafePointer<Int32>, weights: CP,
                                                   n: Int, v: Int, dlogits: P?, rowLoss: P) -> Float {
        var wsum: Float = 0
        for i in 0..<n { wsum += weights[i] }
        let scale: Float = wsum > 0 ? 1 / wsum : 0
        var totals = [Double](repeating: 0, count: Parallel.workers)
        totals.withUnsafeMutableBufferPointer { tot in
            Parallel.chunks(n, minChunk: 16) { rows, worker in
                var total: Double = 0
                for i in rows {
                    let w = weights[i]
                    let row = logits + i * v
                    if w == 0 {
                        rowLoss[i] = 0
                        if let dlogits { (dlogits + i * v).update(repeating: 0, count: v) }
                        continue
                    }
                    var mx = -Float.infinity
                    for j in 0..<v { mx = max(mx, row[j]) }
                    let t = Int(targets[i])
                    precondition(t >= 0 && t < v, "target \(t) out of range 0..<\(v)")
                    if let dlogits {
                        let d = dlogits + i * v
                        let s = FastMath.expShiftSum(row, d, v, shift: mx)
                        rowLoss[i] = Foundation_log(s) - (row[t] - mx)
                        let k = w * scale / s
                        for j in 0..<v { d[j] *= k }
                        d[t] -= w * scale
                    } else {
                        var s: Float = 0
                        for j in 0..<v { s += FastMath.exp(row[j] - mx) }
                        rowLoss[i] = Foundation_log(s) - (row[t] - mx)
                    }
                    total += Double(w * rowLoss[i])
                }
                tot[worker] = total
            }
        }
        let total = totals.reduce(0, +)
        return Float(total * Double(scale))
    }

    /// Weighted mean squared error: Σ_i w_i Σ_d (p−y)² / (D·Σ_i w_i). Writes dpred and per-row SE/D.
    @discardableResult
    public static func mseForwardBackward(pred: CP, target: CP, weights: CP, n: Int, d: Int,
                                          dpred: P?, rowLoss: P) -> Float {
        var wsum: Float = 0
        for i in 0..<n { wsum += weights[i] }
        let scale: Float = wsum > 0 ? 1 / (wsum * Float(d)) : 0
        var total: Double = 0
        for i in 0..<n {
            var se: Float = 0
            for k in 0..<d {
                let e = pred[i * d + k] - target[i * d + k]
                se += e * e
                dpred?[i * d + k] = 2 * e * weights[i] * scale
            }
            rowLoss[i] = se / Float(d)
            total += Double(weights[i] * se)
        }
        return Float(total * Double(scale))
    }
}

/// Reusable scratch buffers (a lock-protected free list), so hot loops do not allocate.
final class ScratchPool: @unchecked Sendable {
    static let shared = ScratchPool()
    private var free: [FloatBuffer] = []
    private let lock = NSLock()
    func acquire(_ count: Int) -> FloatBuffer {
        lock.lock(); defer { lock.unlock() }
        if let i = free.firstIndex(where: { $0.count >= count }) { return free.remove(at: i) }
        return FloatBuffer(count)
    }
    func release(_ b: FloatBuffer) {
        lock.lock(); defer { lock.unlock() }
        if free.count < 16 { free.append(b) }
    }
}

/// Per-worker zeroed accumulators for parameter-gradient partial sums.
final class Scratch {
    let buffer: FloatBuffer
    let width: Int
    private init(width: Int) {
        self.width = width
        buffer = FloatBuffer(width * Parallel.workers)
    }
    static func partials(count: Int) -> Scratch { Scratch(width: count) }
    func ptr(_ worker: Int) -> UnsafeMutablePointer<Float> { buffer.ptr + worker * width }
    /// Visit the partial sums in worker order.
    func reduce(_ body: (UnsafePointer<Float>) -> Void) {
        for w in 0..<Parallel.workers { body(ptr(w)) }
    }
}

import Foundation
@inline(__always) func Foundation_log(_ x: Float) -> Float { Foundation.log(x) }
