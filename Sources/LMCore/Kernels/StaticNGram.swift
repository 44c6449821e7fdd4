/// The static n-gram layer: a parameter-free attention pattern computed from token ids only,
/// followed by two dense maps.
///
/// For query position i and order n the follower set is
///   S_i(n) = { j < i : x_{j−1−s} = x_{i−s} for s = 0…n−1 }  (and j − n ≥ 0),
/// the positions that follow an earlier occurrence of the n-gram ending at i. The layer averages
/// its input over them, h0_i = mean_{j∈S_i} h_j (0 if S_i is empty), and outputs
///   y = W0·h0 + b0 + W1·h + b1.
/// Fed with embeddings, h0_i is the embedding-space mean of the empirical next-token distribution
/// after the current n-gram: an in-context n-gram estimate a recurrent state cannot hold.
/// Each batch row is one sequence (no document boundaries inside a row).
public enum StaticNGram {
    public typealias P = UnsafeMutablePointer<Float>
    public typealias CP = UnsafePointer<Float>

    /// The follower sets of every position of a batch, in CSR form: the members of query row
    /// q = b·T + i are `members[start[q] ..< start[q+1]]`, as flattened row indices b·T + j, ascending.
    public struct FollowerSets: Sendable, Equatable {
        public let order: Int
        public let batchSize: Int
        public let seqLen: Int
        public internal(set) var start: [Int32]
        public internal(set) var members: [Int32]

        /// Positions j (within batch row b) of S_i(n).
        public func positions(row b: Int, query i: Int) -> [Int] {
            let q = b * seqLen + i
            return members[Int(start[q])..<Int(start[q + 1])].map { Int($0) - b * seqLen }
        }
        public func size(_ q: Int) -> Int { Int(start[q + 1] - start[q]) }
    }

    /// Follower sets of order n for B rows of T tokens (row-major, index b·T + t).
    ///
    /// Each position p ≥ n−1 gets a 64-bit hash of the n-gram x_{p−n+1…p}; a query i then scans
    /// the earlier n-gram ends p ≤ i−2 (so that the follower j = p+1 < i) for an equal hash and
    /// confirms the match token by token, so a hash collision can never add a wrong member.
    /// O(T²) per row in the worst case, which is nothing next to the matmuls for T ≤ a few hundred.
    public static func followerSets(tokens: [Int32], batchSize: Int, seqLen: Int, order n: Int) -> FollowerSets {
        precondition(n >= 1, "n-gram order must be ≥ 1")
        precondition(tokens.count == batchSize * seqLen, "tokens must have B·T entries")
        let t = seqLen
        var start = [Int32](repeating: 0, count: batchSize * t + 1)
        var members: [Int32] = []
        var key = [UInt64](repeating: 0, count: t)
        tokens.withUnsafeBufferPointer { tok in
            for b in 0..<batchSize {
                let x = tok.baseAddress! + b * t
                for p in 0..<t where p >= n - 1 {
                    var hsh: UInt64 = 0xcbf2_9ce4_8422_2325
                    for s in 0..<n { hsh = RandomStream.mix(hsh ^ UInt64(UInt32(bitPattern: x[p - s]))) }
                    key[p] = hsh
                }
                for i in 0..<t {
                    let q = b * t + i
                    if i >= n + 1 {  // else no earlier n-gram end p with n−1 ≤ p ≤ i−2
                        let ki = key[i]
                        for p in (n - 1)...(i - 2) where key[p] == ki {
                            var same = true
                            for s in 0..<n where x[p - s] != x[i - s] { same = false; break }
                            if same { members.append(Int32(b * t + p + 1)) }
                        }
                    }
                    start[q + 1] = Int32(members.count)
                }
            }
        }
        return FollowerSets(order: n, batchSize: batchSize, seqLen: seqLen, start: start, members: members)
    }

    /// h0[q] = mean of inp over the follower set of q (0 if empty). inp and out are [N,C].
    public static func averageForward(out: P, inp: CP, sets: FollowerSets, c: Int) {
        let n = sets.batchSize * sets.seqLen
        sets.start.withUnsafeBufferPointer { st in
            sets.members.withUnsafeBufferPointer { mem in
                for q in 0..<n {
                    let o = out + q * c
                    o.update(repeating: 0, count: c)
                    let lo = Int(st[q]), hi = Int(st[q + 1])
                    guard hi > lo else { continue }
                    for k in lo..<hi {
                        let x = inp + Int(mem[k]) * c
                        for j in 0..<c { o[j] += x[j] }
                    }
                    let inv = 1 / Float(hi - lo)
                    for j in 0..<c { o[j] *= inv }
                }
            }
        }
    }

    /// dinp[j] += dout[q]/|S_q| for every j ∈ S_q (accumulates).
    public static func averageBackward(dinp: P, dout: CP, sets: FollowerSets, c: Int) {
        let n = sets.batchSize * sets.seqLen
        sets.start.withUnsafeBufferPointer { st in
            sets.members.withUnsafeBufferPointer { mem in
                for q in 0..<n {
                    let lo = Int(st[q]), hi = Int(st[q + 1])
                    guard hi > lo else { continue }
                    let inv = 1 / Float(hi - lo), d = dout + q * c
                    for k in lo..<hi {
                        let di = dinp + Int(mem[k]) * c
                        for j in 0..<c { di[j] += d[j] * inv }
                    }
                }
            }
        }
    }

    /// y[N,C] = W0·h0 + b0 + W1·h + b1, with h0 = the follower-set mean of h (kept in `mean` for backward).
    public static func forward(out: P, mean: P, inp: CP, sets: FollowerSets, w0: CP, b0: CP, w1: CP, b1: CP, c: Int) {
        let n = sets.batchSize * sets.seqLen
        averageForward(out: mean, inp: inp, sets: sets, c: c)
        Ops.linearForward(out: out, inp: mean, weight: w0, bias: b0, n: n, c: c, oc: c)
        Ops.gemm(transA: false, transB: true, m: n, n: c, k: c, a: inp, lda: c, b: w1, ldb: c, beta: 1, c: out, ldc: c)
        for i in 0..<n {
            let o = out + i * c
            for j in 0..<c { o[j] += b1[j] }
        }
    }

    /// Accumulates into dW0, db0, dW1, db1; writes dinp [N,C] (or adds with `accumulate`).
    /// `dmean` [N,C] is scratch.
    public static func backward(dinp: P, dw0: P, db0: P, dw1: P, db1: P, dmean: P, dout: CP, inp: CP, mean: CP,
                                sets: FollowerSets, w0: CP, w1: CP, c: Int, accumulate: Bool = false) {
        let n = sets.batchSize * sets.seqLen
        Ops.linearBackward(dinp: dinp, dweight: dw1, dbias: db1, dout: dout, inp: inp, weight: w1, n: n, c: c, oc: c,
                           accumulate: accumulate)
        Ops.linearBackward(dinp: dmean, dweight: dw0, dbias: db0, dout: dout, inp: mean, weight: w0, n: n, c: c, oc: c)
        averageBackward(dinp: dinp, dout: dmean, sets: sets, c: c)
    }
}
